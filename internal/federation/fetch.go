package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/cogito-dev/cogito/internal/awserr"
)

// cachedDoc is a fetched document and when it was fetched.
type cachedDoc struct {
	body    []byte
	fetched time.Time
}

// document GETs a discovery or metadata document, reusing one fetched less
// than metadataCacheTTL ago.
func (s *Service) document(ctx context.Context, u string) ([]byte, error) {
	now := s.clock.Now()
	s.mu.Lock()
	d, ok := s.documents[u]
	s.mu.Unlock()
	if ok && now.Sub(d.fetched) < metadataCacheTTL && now.Sub(d.fetched) >= 0 {
		return d.body, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	b, err := s.do(req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.documents) >= maxCached {
		clear(s.documents)
	}
	s.documents[u] = cachedDoc{body: b, fetched: now}
	s.mu.Unlock()
	return b, nil
}

// do sends req and reads a 200 answer of at most maxFetchBytes.
func (s *Service) do(req *http.Request) ([]byte, error) {
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFetchBytes {
		return nil, fmt.Errorf("%s %s: answer larger than %d bytes", req.Method, req.URL.Redacted(), maxFetchBytes)
	}
	if resp.StatusCode != http.StatusOK {
		return b, &httpError{status: resp.StatusCode, body: b, url: req.URL.Redacted()}
	}
	return b, nil
}

// httpError is a non-200 answer of an IdP.
type httpError struct {
	status int
	body   []byte
	url    string
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s answered %d", e.url, e.status)
}

// discovery reads an OpenID Connect issuer's discovery document.
func (s *Service) discovery(ctx context.Context, issuer string) (map[string]any, error) {
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	b, err := s.document(ctx, u)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("discovery document of %s: %w", issuer, err)
	}
	return doc, nil
}

// keySet returns the cached key set of a JWKS URL; the key set fetches and
// refreshes the keys itself (on an unknown kid).
func (s *Service) keySet(jwksURL string) *oidc.RemoteKeySet {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ks, ok := s.keySets[jwksURL]; ok {
		return ks
	}
	if len(s.keySets) >= maxCached {
		clear(s.keySets)
	}
	// The key set keeps this context for its later fetches: never a
	// request's.
	ks := oidc.NewRemoteKeySet(oidc.ClientContext(context.Background(), s.http), jwksURL)
	s.keySets[jwksURL] = ks
	return ks
}

// awsErr returns the message of an AWS error in err's chain (a trigger's
// UserLambdaValidationException, an attribute check's
// InvalidParameterException).
func awsErr(err error) (string, bool) {
	e, ok := awserr.As(err)
	if !ok {
		return "", false
	}
	return e.Message, true
}
