package devices

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z = 1740830400.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	region    = "us-east-1"
	accountID = "123456789012"
	clientID  = "1example23456789abcdefghij"
)

type env struct {
	ctx   context.Context
	svc   *Service
	store storage.Store
	clock *clock.Fake
	pools *pools.Service
	auth  *fakeAuth
	// always remembers devices; optIn remembers them on the user's word;
	// untracked has no DeviceConfiguration.
	always, optIn, untracked string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	key := make([]byte, keys.MasterKeySize)
	rand.Read(key)
	sealer, err := keys.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{
		ctx:   context.Background(),
		store: st,
		clock: clk,
		pools: pools.New(pools.Config{Store: st, Clock: clk, Region: region, AccountID: accountID}),
		auth:  &fakeAuth{tokens: map[string]*account.Caller{}},
	}
	e.svc = New(Config{Store: st, Accounts: e.auth, Sealer: sealer, Clock: clk})
	e.always = e.createPool(t, &cognitoidp.DeviceConfigurationType{}, nil)
	e.optIn = e.createPool(t, &cognitoidp.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true}, nil)
	e.untracked = e.createPool(t, nil, nil)
	return e
}

func (e *env) createPool(t *testing.T, dc *cognitoidp.DeviceConfigurationType, fn func(*cognitoidp.CreateUserPoolRequest)) string {
	t.Helper()
	in := &cognitoidp.CreateUserPoolRequest{
		PoolName:            api.Ptr("devices"),
		AliasAttributes:     []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail},
		DeviceConfiguration: dc,
	}
	if fn != nil {
		fn(in)
	}
	out, err := e.pools.CreateUserPool(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

func (e *env) pool(t *testing.T, poolID string) *cognitoidp.UserPoolType {
	t.Helper()
	up, err := pools.Load(e.ctx, e.store, poolID)
	if err != nil {
		t.Fatal(err)
	}
	return up
}

// createUser stores a confirmed user with a verified email.
func (e *env) createUser(t *testing.T, poolID, username string) *storage.User {
	t.Helper()
	sc := attrs.FromPool(e.pool(t, poolID))
	values := attrs.Values{"email": username + "@example.com", "email_verified": "true"}
	sub := uuid.NewString()
	now := e.clock.Now()
	u := &storage.User{
		PoolID: poolID, Key: sc.Key(username), Username: username, Sub: sub,
		Status: "CONFIRMED", Enabled: true, Attributes: values, Aliases: sc.Aliases(values),
		CreatedAt: now, UpdatedAt: now,
	}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		t.Fatalf("CreateUser(%q): %v", username, err)
	}
	return u
}

// signIn returns an access token (for the fake authenticator) of a sign-in
// of u that issued a new device, and that device's metadata.
func (e *env) signIn(t *testing.T, u *storage.User) (string, *cognitoidp.NewDeviceMetadataType) {
	t.Helper()
	md, err := e.svc.NewDevice(e.ctx, e.pool(t, u.PoolID), clientID, u)
	if err != nil {
		t.Fatal(err)
	}
	return e.auth.issue(t, e, u, *md.DeviceKey), md
}

// confirm runs ConfirmDevice for a new device of u with a verifier made by
// the client maths, and returns the access token, the device key and the
// device secret.
func (e *env) confirm(t *testing.T, u *storage.User, name string) (string, string, srp.DeviceSecret) {
	t.Helper()
	tok, md := e.signIn(t, u)
	secret := srp.NewDeviceSecret(*md.DeviceGroupKey, *md.DeviceKey)
	pv, salt := secret.Config()
	in := &cognitoidp.ConfirmDeviceRequest{
		AccessToken:                api.Ptr(tok),
		DeviceKey:                  md.DeviceKey,
		DeviceSecretVerifierConfig: &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: &salt},
	}
	if name != "" {
		in.DeviceName = api.Ptr(name)
	}
	if _, err := e.svc.ConfirmDevice(e.ctx, in); err != nil {
		t.Fatalf("ConfirmDevice: %v", err)
	}
	return tok, *md.DeviceKey, secret
}

// fakeAuth stands in for the account family's access-token check: tokens it
// issued name a caller; anything else is NotAuthorizedException.
type fakeAuth struct {
	mu     sync.Mutex
	n      int
	tokens map[string]*account.Caller
}

func (f *fakeAuth) issue(t *testing.T, e *env, u *storage.User, deviceKey string) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	tok := "token" + strings.Repeat("x", f.n%3) + base64.RawURLEncoding.EncodeToString([]byte(uuid.NewString()))
	f.tokens[tok] = &account.Caller{
		Claims: &token.AccessClaims{PoolID: u.PoolID, ClientID: clientID, Username: u.Username, Sub: u.Sub, DeviceKey: deviceKey},
		Pool:   e.pool(t, u.PoolID),
		User:   u,
	}
	return tok
}

func (f *fakeAuth) Authenticate(_ context.Context, accessToken *string) (*account.Caller, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if accessToken == nil {
		return nil, cognitoidp.NewNotAuthorizedException("Invalid Access Token")
	}
	c, ok := f.tokens[*accessToken]
	if !ok {
		return nil, cognitoidp.NewNotAuthorizedException("Invalid Access Token")
	}
	return c, nil
}

// withIP returns ctx as the protocol layer makes it for a request from ip.
func withIP(ctx context.Context, ip string) context.Context {
	return awsjson.WithInfo(ctx, &awsjson.RequestInfo{RemoteIP: ip})
}

// wantErr fails unless err is the Cognito error code with message msg ("":
// any message).
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("err = %s: %s, want %s: %s", e.Code, e.Message, code, msg)
	}
}

// attrMap returns a device's attributes by name.
func attrMap(d *cognitoidp.DeviceType) map[string]string {
	m := map[string]string{}
	for _, a := range d.DeviceAttributes {
		m[api.Deref(a.Name)] = api.Deref(a.Value)
	}
	return m
}
