package idps

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	svc         *Service
	store       *sqlstore.Store
	clock       *clock.Fake
	pools       *pools.Service
	pool, other string
	disabled    []string // usernames the DisableUser hook saw
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	e := &env{store: st, clock: clk, pools: pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})}
	e.svc = New(Config{Store: st, Clock: clk, DisableUser: func(ctx context.Context, poolID, username string) error {
		e.disabled = append(e.disabled, username)
		sc := e.schema(t, poolID)
		_, err := st.UpdateUser(ctx, poolID, sc.Key(username), func(u *storage.User) error { u.Enabled = false; return nil })
		return err
	}})
	e.pool = e.createPool(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("main"),
		UsernameConfiguration: &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)},
		Schema: []cognitoidp.SchemaAttributeType{{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(true)},
			{Name: api.Ptr("badge"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(false)}}})
	e.other = e.createPool(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("other")})
	return e
}

func (e *env) createPool(t *testing.T, in *cognitoidp.CreateUserPoolRequest) string {
	t.Helper()
	out, err := e.pools.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPool.Id
}

func (e *env) schema(t *testing.T, poolID string) *attrs.Schema {
	t.Helper()
	up, err := pools.Load(context.Background(), e.store, poolID)
	if err != nil {
		t.Fatal(err)
	}
	return attrs.FromPool(up)
}

// createUser stores a confirmed local (or, with status EXTERNAL_PROVIDER, a
// federated) user.
func (e *env) createUser(t *testing.T, poolID, username, status string, kv ...string) *storage.User {
	t.Helper()
	sc := e.schema(t, poolID)
	values := attrs.Values{}
	for i := 0; i < len(kv); i += 2 {
		values[kv[i]] = kv[i+1]
	}
	u := &storage.User{PoolID: poolID, Key: sc.Key(username), Username: username, Sub: uuid.NewString(),
		Status: status, Enabled: true, Attributes: values, Aliases: sc.Aliases(values), CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *env) user(t *testing.T, poolID, username string) *storage.User {
	t.Helper()
	u, err := e.store.GetUser(context.Background(), poolID, e.schema(t, poolID).Key(username))
	if err != nil {
		t.Fatalf("GetUser(%q): %v", username, err)
	}
	return u
}

func (e *env) create(t *testing.T, in *cognitoidp.CreateIdentityProviderRequest) *cognitoidp.IdentityProviderType {
	t.Helper()
	if in.UserPoolId == nil {
		in.UserPoolId = api.Ptr(e.pool)
	}
	out, err := e.svc.CreateIdentityProvider(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateIdentityProvider(%s): %v", api.Deref(in.ProviderName), err)
	}
	return out.IdentityProvider
}

func (e *env) describe(t *testing.T, poolID, name string) *cognitoidp.IdentityProviderType {
	t.Helper()
	out, err := e.svc.DescribeIdentityProvider(context.Background(), &cognitoidp.DescribeIdentityProviderRequest{UserPoolId: api.Ptr(poolID), ProviderName: api.Ptr(name)})
	if err != nil {
		t.Fatalf("DescribeIdentityProvider(%s): %v", name, err)
	}
	return out.IdentityProvider
}

func google(ids ...string) *cognitoidp.CreateIdentityProviderRequest {
	return &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("Google"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeGoogle),
		ProviderDetails:  map[string]string{"client_id": "g-client", "client_secret": "g-secret", "authorize_scopes": "email profile openid"},
		AttributeMapping: map[string]string{"email": "email"}, IdpIdentifiers: ids}
}

func oidc(name, issuer string, ids ...string) *cognitoidp.CreateIdentityProviderRequest {
	return &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr(name), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeOidc),
		ProviderDetails: map[string]string{"client_id": "o-client", "client_secret": "o-secret", "authorize_scopes": "openid email",
			"attributes_request_method": "GET", "oidc_issuer": issuer},
		AttributeMapping: map[string]string{"email": "email", "custom:tier": "tier"}, IdpIdentifiers: ids}
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

// The server hands the service its storage.Store.
var _ Store = storage.Store(nil)
