package federation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// roundTrip is what travels through the IdP and back in the OIDC state or
// SAML RelayState parameter, sealed: the login transaction (itself sealed by
// the OAuth endpoints), the provider, and the secrets of the IdP leg.
type roundTrip struct {
	Txn       string `json:"t"`           // oauth.Completer.SealTxn's output
	PoolID    string `json:"pool"`        // binds the state to a pool
	Provider  string `json:"p"`           // the identity provider's name
	Verifier  string `json:"v,omitempty"` // PKCE code_verifier (OIDC)
	Nonce     string `json:"n,omitempty"` // nonce the ID token must carry (OIDC)
	RequestID string `json:"r,omitempty"` // AuthnRequest ID (SAML)
	ID        string `json:"i"`           // single-use id
	Expires   int64  `json:"x"`           // unix seconds
}

// stateAD binds sealed states to their purpose.
var stateAD = []byte("cogito-federation-state-v1")

// errBadState is an unreadable, altered or expired state.
var errBadState = errors.New("federation: invalid or expired state")

// sealState seals rt for the browser round trip.
func (s *Service) sealState(rt *roundTrip) (string, error) {
	b, err := json.Marshal(rt)
	if err != nil {
		return "", err
	}
	sealed, err := s.sealer.Seal(b, stateAD)
	if err != nil {
		return "", fmt.Errorf("federation: sealing state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// openState opens what sealState produced and checks its expiry.
func (s *Service) openState(v string) (*roundTrip, error) {
	if v == "" || len(v) > 8<<10 {
		return nil, errBadState
	}
	sealed, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil, errBadState
	}
	b, err := s.sealer.Open(sealed, stateAD)
	if err != nil {
		return nil, errBadState
	}
	rt := new(roundTrip)
	if err := json.Unmarshal(b, rt); err != nil || rt.Txn == "" || rt.ID == "" || rt.PoolID == "" {
		return nil, errBadState
	}
	if !s.clock.Now().Before(time.Unix(rt.Expires, 0)) {
		return nil, errBadState
	}
	return rt, nil
}

// useOnce records a single-use id (a state's, an assertion's) until expires;
// false when it was used before.
func (s *Service) useOnce(ctx context.Context, poolID, kind, id string, expires time.Time) (bool, error) {
	now := s.clock.Now()
	if !expires.After(now) {
		expires = now.Add(time.Minute)
	}
	sum := sha256.Sum256([]byte(id))
	name := "federation-" + kind + ":" + base64.RawURLEncoding.EncodeToString(sum[:18])
	c, err := s.store.IncrementCounter(ctx, poolID, name, now, expires)
	if err != nil {
		return false, fmt.Errorf("federation: recording a single-use %s: %w", kind, err)
	}
	return c.Value == 1, nil
}

// randomString returns n random bytes, base64url.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// pkceChallenge is the S256 code_challenge of a verifier (RFC 7636).
func pkceChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
