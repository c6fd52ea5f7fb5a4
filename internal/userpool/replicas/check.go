package replicas

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// regionPattern matches AWS Region names (us-east-1, us-gov-west-1,
// ap-southeast-2, eusc-de-east-1).
var regionPattern = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-\d+$`)

// RequestRegion returns the Region a request is sent to: the Region of its
// SigV4 credential scope, else a first path segment that is a Region name
// (an endpoint such as http://localhost:9229/eu-west-1), else the Region in a
// host name cognito-idp.{region}.…; "" when none says.
func RequestRegion(r *http.Request) string {
	if a := r.Header.Get("Authorization"); a != "" {
		if _, cred, ok := strings.Cut(a, "Credential="); ok {
			// AKID/20250101/eu-west-1/cognito-idp/aws4_request, ...
			if parts := strings.SplitN(cred, "/", 4); len(parts) == 4 && regionPattern.MatchString(parts[2]) {
				return parts[2]
			}
		}
	}
	if seg, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); regionPattern.MatchString(seg) {
		return seg
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if rest, ok := strings.CutPrefix(host, "cognito-idp."); ok {
		if seg, _, _ := strings.Cut(rest, "."); regionPattern.MatchString(seg) {
			return seg
		}
	}
	return ""
}

// Request names what Check needs to know of a request's body: the members
// that designate its pool.
type Request struct {
	UserPoolID  string
	ClientID    string
	AccessToken string
}

// Check is run before every User Pools operation: a request sent to a Region
// where its pool has a secondary replica meets the replica's restrictions —
// nothing while it is CREATING or DELETING, administrator reads while
// INACTIVE, and reads and sign-in (no user or configuration writes) while
// ACTIVE — and is answered OperationNotEnabledException otherwise. Requests
// to the pool's own Region, to a Region without a replica of the pool, and of
// exempt operations pass. keys is called only when the Region is another.
func (s *Service) Check(r *http.Request, operation string, keys func() Request) error {
	region := RequestRegion(r)
	if region == "" || region == s.region {
		return nil
	}
	cls, ok := classes[operation]
	if !ok || cls == exempt {
		return nil
	}
	ctx := r.Context()
	poolID := s.poolOf(ctx, keys())
	if poolID == "" || region == s.primaryRegion(poolID) {
		return nil
	}
	rp, err := s.get(ctx, poolID, region)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		s.log.Warn("reading a replica for a request; request let through", "pool", poolID, "region", region, "err", err)
		return nil
	}
	switch rp.status {
	case cognitoidp.ReplicaStatusTypeCreating, cognitoidp.ReplicaStatusTypeDeleting:
		return cognitoidp.NewOperationNotEnabledException(fmt.Sprintf(msgNotReady, region, rp.status))
	case cognitoidp.ReplicaStatusTypeInactive:
		if cls == adminRead {
			return nil
		}
		if cls == endUser {
			return cognitoidp.NewOperationNotEnabledException(fmt.Sprintf(msgInactive, region))
		}
	case cognitoidp.ReplicaStatusTypeActive:
		if cls == adminRead || cls == endUser {
			return nil
		}
	}
	return cognitoidp.NewOperationNotEnabledException(fmt.Sprintf(msgSecondary, operation))
}

// poolOf finds the pool a request is about: its UserPoolId, else its app
// client's pool, else the pool that issued its access token (read from the
// token's iss without verifying it: the handler verifies).
func (s *Service) poolOf(ctx context.Context, k Request) string {
	if k.UserPoolID != "" {
		return k.UserPoolID
	}
	if k.ClientID != "" {
		if c, err := s.store.GetClientByID(ctx, k.ClientID); err == nil {
			return c.PoolID
		}
		return ""
	}
	if k.AccessToken != "" {
		return issuerPool(k.AccessToken)
	}
	return ""
}

// issuerPool returns the pool id at the end of a JWT's iss claim.
func issuerPool(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	i := strings.LastIndexByte(claims.Iss, '/')
	if i < 0 {
		return ""
	}
	pool := claims.Iss[i+1:]
	if !userPoolIDPattern.MatchString(pool) {
		return ""
	}
	return pool
}
