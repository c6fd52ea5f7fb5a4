package webauthn

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/webauthn/authenticatortest"
)

// t0 is the fake clock's start.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// The relying party and origin of the tests' default pool.
const (
	testRP     = "auth.example.com"
	testOrigin = "https://auth.example.com"
)

type env struct {
	ctx    context.Context
	sql    storage.Store
	clk    *clock.Fake
	pools  *pools.Service
	auth   *fakeAuth
	cfg    Config
	svc    *Service
	h      *cognitoidp.Handlers
	webCfg map[string]*cognitoidp.WebAuthnConfigurationType // pool -> configuration
}

// newEnv is a Service on a fresh SQLite store with a fake clock, fake access
// tokens, relying party testRP by default and the extra origin
// http://localhost:*.
func newEnv(t testing.TB, opts ...func(*Config)) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	e := &env{
		ctx:    context.Background(),
		sql:    st,
		clk:    clk,
		pools:  pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"}),
		webCfg: map[string]*cognitoidp.WebAuthnConfigurationType{},
	}
	e.auth = &fakeAuth{store: st, tokens: map[string]fakeToken{}}
	e.cfg = Config{
		Store: st, Auth: e.auth, Clock: clk,
		PoolConfig: func(_ context.Context, poolID string) (*cognitoidp.WebAuthnConfigurationType, error) {
			return e.webCfg[poolID], nil
		},
		DefaultRelyingPartyID: testRP,
		Origins:               []string{"http://localhost:*"},
	}
	for _, o := range opts {
		o(&e.cfg)
	}
	e.rebuild(t)
	return e
}

// rebuild makes the Service again from e.cfg.
func (e *env) rebuild(t testing.TB) {
	t.Helper()
	svc, err := New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	e.h = &cognitoidp.Handlers{}
	svc.Register(e.h)
}

// pool creates a pool; factors are its AllowedFirstAuthFactors (none given:
// PASSWORD and WEB_AUTHN).
func (e *env) pool(t testing.TB, factors ...cognitoidp.AuthFactorType) string {
	t.Helper()
	if factors == nil {
		factors = []cognitoidp.AuthFactorType{cognitoidp.AuthFactorTypePassword, cognitoidp.AuthFactorTypeWebAuthn}
	}
	out, err := e.pools.CreateUserPool(e.ctx, &cognitoidp.CreateUserPoolRequest{
		PoolName:     api.Ptr("pool"),
		UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypeEssentials),
		Policies:     &cognitoidp.UserPoolPolicyType{SignInPolicy: &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: factors}},
	})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

// user stores a confirmed user.
func (e *env) user(t testing.TB, poolID, username string) *storage.User {
	t.Helper()
	u := &storage.User{
		PoolID: poolID, Key: username, Username: username, Sub: uuid.NewString(),
		Status: "CONFIRMED", Enabled: true, Attributes: map[string]string{},
		CreatedAt: e.clk.Now(), UpdatedAt: e.clk.Now(),
	}
	if err := e.sql.CreateUser(e.ctx, u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

// signedIn is a user with an access token of a client.
type signedIn struct {
	pool, client string
	user         *storage.User
	token        string
}

// signIn makes a pool (default factors), a user "jane" and a token.
func (e *env) signIn(t testing.TB) signedIn {
	t.Helper()
	pool := e.pool(t)
	u := e.user(t, pool, "jane")
	return signedIn{pool: pool, client: "client-1", user: u, token: e.auth.issue(pool, "client-1", u)}
}

// register runs Start, the authenticator and Complete for s.
func (e *env) register(t testing.TB, s signedIn, a *authenticatortest.Authenticator, o authenticatortest.Options) *authenticatortest.Credential {
	t.Helper()
	opts := e.start(t, s.token)
	resp, cred, err := a.Register(opts, o)
	if err != nil {
		t.Fatalf("authenticator Register: %v", err)
	}
	if _, err := e.complete(s.token, resp); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration: %v", err)
	}
	return cred
}

// start calls StartWebAuthnRegistration and returns the options.
func (e *env) start(t testing.TB, tok string) []byte {
	t.Helper()
	out, err := e.h.StartWebAuthnRegistration(e.ctx, &cognitoidp.StartWebAuthnRegistrationRequest{AccessToken: api.Ptr(tok)})
	if err != nil {
		t.Fatalf("StartWebAuthnRegistration: %v", err)
	}
	return out.CredentialCreationOptions
}

// complete calls CompleteWebAuthnRegistration with a response.
func (e *env) complete(tok string, resp []byte) (*cognitoidp.CompleteWebAuthnRegistrationResponse, error) {
	return e.h.CompleteWebAuthnRegistration(e.ctx, &cognitoidp.CompleteWebAuthnRegistrationRequest{
		AccessToken: api.Ptr(tok), Credential: api.Document(resp),
	})
}

// list returns every credential of the token's user.
func (e *env) list(t testing.TB, tok string) []cognitoidp.WebAuthnCredentialDescription {
	t.Helper()
	out, err := e.h.ListWebAuthnCredentials(e.ctx, &cognitoidp.ListWebAuthnCredentialsRequest{AccessToken: api.Ptr(tok)})
	if err != nil {
		t.Fatalf("ListWebAuthnCredentials: %v", err)
	}
	return out.Credentials
}

// loadPool reads a pool.
func (e *env) loadPool(t testing.TB, poolID string) *cognitoidp.UserPoolType {
	t.Helper()
	up, err := pools.Load(e.ctx, e.sql, poolID)
	if err != nil {
		t.Fatal(err)
	}
	return up
}

// stored reads a passkey record.
func (e *env) stored(t testing.TB, poolID, id string) *credentialDoc {
	t.Helper()
	r, err := e.sql.GetResource(e.ctx, poolID, kindCredential, id)
	if err != nil {
		t.Fatalf("GetResource: %v", err)
	}
	d, err := decodeCredential(r)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// wantErr checks err is the AWS error code (and message, unless "").
func wantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

// decodeJSON decodes into a generic map.
func decodeJSON(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return m
}

// fakeAuth stands in for the account family's access-token check: tokens
// map to a pool, client and user; the pool and user are read afresh.
type fakeAuth struct {
	store  storage.Store
	mu     sync.Mutex
	tokens map[string]fakeToken
}

type fakeToken struct{ pool, client, userKey string }

func (f *fakeAuth) issue(pool, client string, u *storage.User) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := "access." + uuid.NewString()
	f.tokens[tok] = fakeToken{pool: pool, client: client, userKey: u.Key}
	return tok
}

func (f *fakeAuth) Authenticate(ctx context.Context, accessToken *string) (*account.Caller, error) {
	f.mu.Lock()
	ft, ok := f.tokens[api.Deref(accessToken)]
	f.mu.Unlock()
	if !ok {
		return nil, cognitoidp.NewNotAuthorizedException("Invalid Access Token")
	}
	up, err := pools.Load(ctx, f.store, ft.pool)
	if err != nil {
		return nil, err
	}
	u, err := f.store.GetUser(ctx, ft.pool, ft.userKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewUserNotFoundException("User does not exist.")
	}
	if err != nil {
		return nil, err
	}
	return &account.Caller{
		Claims: &token.AccessClaims{PoolID: ft.pool, ClientID: ft.client, Username: u.Username, Sub: u.Sub},
		Pool:   up, User: u,
	}, nil
}
