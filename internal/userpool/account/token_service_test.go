package account

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// memTokenStore is an in-memory storage.TokenStore, for as long as the SQL
// store does not keep refresh tokens.
type memTokenStore struct {
	mu       sync.Mutex
	tokens   map[string]*storage.RefreshToken
	families map[[2]string]time.Time // pool, origin_jti -> revocation expiry
}

func (m *memTokenStore) CreateRefreshToken(_ context.Context, t *storage.RefreshToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tokens[t.ID]; ok {
		return storage.ErrAlreadyExists
	}
	c := *t
	m.tokens[t.ID] = &c
	return nil
}

func (m *memTokenStore) GetRefreshToken(_ context.Context, id string) (*storage.RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return nil, storage.ErrNotFound
	}
	c := *t
	return &c, nil
}

func (m *memTokenStore) UpdateRefreshToken(_ context.Context, id string, fn func(*storage.RefreshToken) error) (*storage.RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return nil, storage.ErrNotFound
	}
	c := *t
	if err := fn(&c); err != nil {
		return nil, err
	}
	m.tokens[id] = &c
	out := c
	return &out, nil
}

func (m *memTokenStore) RevokeFamily(_ context.Context, poolID, originJTI string, at, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.revoke(poolID, originJTI, at, expiresAt)
	return nil
}

func (m *memTokenStore) revoke(poolID, originJTI string, at, expiresAt time.Time) {
	for _, t := range m.tokens {
		if t.PoolID == poolID && t.OriginJTI == originJTI && t.RevokedAt == nil {
			a := at
			t.RevokedAt = &a
		}
	}
	m.families[[2]string{poolID, originJTI}] = expiresAt
}

func (m *memTokenStore) RevokeUserTokens(_ context.Context, poolID, userKey string, at time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	live := map[string]time.Time{}
	for _, t := range m.tokens {
		if t.PoolID == poolID && t.UserKey == userKey && t.RevokedAt == nil {
			live[t.OriginJTI] = t.ExpiresAt.Add(24 * time.Hour)
		}
	}
	for origin, exp := range live {
		m.revoke(poolID, origin, at, exp)
	}
	return len(live), nil
}

func (m *memTokenStore) FamilyRevoked(_ context.Context, poolID, originJTI string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.families[[2]string{poolID, originJTI}]
	return ok, nil
}

func (m *memTokenStore) DeleteExpiredTokens(_ context.Context, now time.Time) (int, error) {
	return 0, nil
}

// tokenEnv is env with the real token service: pools get signing keys and
// tokens are minted and verified by internal/token.
type tokenEnv struct {
	*env
	tokens *token.Service
	pool   string
	client string
}

func newTokenEnv(t *testing.T) *tokenEnv {
	t.Helper()
	e := newEnv(t)
	km := keys.New(e.sql, e.sealer, e.clk, nil)
	km.Close() // keys made inline, only for the pools that need them
	var ts storage.TokenStore = &memTokenStore{tokens: map[string]*storage.RefreshToken{}, families: map[[2]string]time.Time{}}
	if real, ok := any(e.sql).(storage.TokenStore); ok {
		ts = real
	}
	tokens := token.New(token.Config{
		Keys: km, Sealer: e.sealer, Store: ts, Clock: e.clk,
		Issuer: func(poolID string) string { return "https://cognito-idp.us-east-1.amazonaws.com/" + poolID },
	})
	e.pools = pools.New(pools.Config{Store: e.sql, Keys: km, Clock: e.clk, Region: "us-east-1", AccountID: "123456789012"})
	e.reconfigure(func(c *Config) { c.Tokens = tokens })
	te := &tokenEnv{env: e, tokens: tokens}
	te.pool = e.pool(t, nil)
	te.client = *e.client(t, te.pool, nil).ClientId
	return te
}

// signIn mints a token family for u, as a sign-in does.
func (te *tokenEnv) signIn(t *testing.T, u *storage.User, scopes ...string) *token.Issued {
	t.Helper()
	out, err := te.tokens.Issue(te.ctx, token.Subject{
		PoolID: te.pool, ClientID: te.client, Username: u.Username, Sub: u.Sub, UserKey: u.Key,
		Attributes: u.Attributes, Scopes: scopes,
	}, token.Validity{}, true)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The operations with the real token service: a sign-in's access token
// authorizes them; RevokeToken, GlobalSignOut and AdminUserGlobalSignOut
// revoke what they should with the token service's messages.
func TestWithTokenService(t *testing.T) {
	te := newTokenEnv(t)
	u := te.seed(t, te.pool, "jane", map[string]string{"email": "jane@example.com"})
	first, second := te.signIn(t, u), te.signIn(t, u)
	get := func(tok string) error {
		_, err := te.svc.GetUser(te.ctx, &cognitoidp.GetUserRequest{AccessToken: &tok})
		return err
	}
	if err := get(first.AccessToken); err != nil {
		t.Fatal(err)
	}
	wantErr(t, get(first.IDToken), "NotAuthorizedException", "Invalid Access Token")
	wantErr(t, get(te.signIn(t, u, "openid").AccessToken), "NotAuthorizedException", "Access Token does not have required scopes")

	// RevokeToken ends the first session only.
	if _, err := te.svc.RevokeToken(te.ctx, &cognitoidp.RevokeTokenRequest{Token: &first.RefreshToken, ClientId: &te.client}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, get(first.AccessToken), "NotAuthorizedException", "Access Token has been revoked")
	if err := get(second.AccessToken); err != nil {
		t.Fatalf("the other session was revoked: %v", err)
	}
	_, err := te.svc.RevokeToken(te.ctx, &cognitoidp.RevokeTokenRequest{Token: &first.AccessToken, ClientId: &te.client})
	wantErr(t, err, "UnsupportedTokenTypeException", "")

	// GlobalSignOut ends every session.
	third := te.signIn(t, u)
	if _, err := te.svc.GlobalSignOut(te.ctx, &cognitoidp.GlobalSignOutRequest{AccessToken: &second.AccessToken}); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{second.AccessToken, third.AccessToken} {
		wantErr(t, get(tok), "NotAuthorizedException", "Access Token has been revoked")
	}

	// AdminUserGlobalSignOut the same, for an administrator.
	fourth := te.signIn(t, u)
	if _, err := te.svc.AdminUserGlobalSignOut(te.ctx, &cognitoidp.AdminUserGlobalSignOutRequest{UserPoolId: &te.pool, Username: api.Ptr("jane")}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, get(fourth.AccessToken), "NotAuthorizedException", "Access Token has been revoked")

	// An expired access token.
	fifth := te.signIn(t, u)
	te.clk.Advance(time.Hour)
	wantErr(t, get(fifth.AccessToken), "NotAuthorizedException", "Access Token has expired")
}

// DeleteUser with the real token service: the user's tokens are revoked and
// the user is gone.
func TestDeleteUserWithTokenService(t *testing.T) {
	te := newTokenEnv(t)
	u := te.seed(t, te.pool, "jane", nil)
	s1, s2 := te.signIn(t, u), te.signIn(t, u)
	if _, err := te.svc.DeleteUser(te.ctx, &cognitoidp.DeleteUserRequest{AccessToken: &s1.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err := te.svc.GetUser(te.ctx, &cognitoidp.GetUserRequest{AccessToken: &s2.AccessToken})
	wantErr(t, err, "NotAuthorizedException", "Access Token has been revoked")
	if _, err := te.store.GetUser(te.ctx, te.pool, u.Key); err != storage.ErrNotFound {
		t.Errorf("user still there: %v", err)
	}
}
