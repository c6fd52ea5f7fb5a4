package federation

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/idps"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// The server hands the service its storage.Store.
var _ Store = storage.Store(nil)

// baseURL is the managed-login base of the tests' pool.
const baseURL = "https://auth.example.test/mypool"

// callbackURL is the app client's redirect_uri.
const callbackURL = "https://app.example.test/callback"

// fakeCompleter is the OAuth endpoints' side of the seam: it seals
// transactions, and records completions and failures.
type fakeCompleter struct {
	sealer *keys.Sealer
	mu     sync.Mutex
	done   []*storage.User
	failed []string // "code: description"
}

func (f *fakeCompleter) SealTxn(txn *oauth.Txn) (string, error) {
	b, _ := json.Marshal(txn)
	sealed, err := f.sealer.Seal(b, []byte("test-txn"))
	return base64.RawURLEncoding.EncodeToString(sealed), err
}

func (f *fakeCompleter) OpenTxn(s string) (*oauth.Txn, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	plain, err := f.sealer.Open(b, []byte("test-txn"))
	if err != nil {
		return nil, err
	}
	txn := new(oauth.Txn)
	return txn, json.Unmarshal(plain, txn)
}

func (f *fakeCompleter) Complete(w http.ResponseWriter, r *http.Request, txn *oauth.Txn, user *storage.User, _ time.Time) {
	f.mu.Lock()
	f.done = append(f.done, user)
	f.mu.Unlock()
	http.Redirect(w, r, txn.RedirectURI+"?code=test-code&state="+url.QueryEscape(txn.State), http.StatusFound)
}

func (f *fakeCompleter) Fail(w http.ResponseWriter, r *http.Request, txn *oauth.Txn, code, description string) {
	f.mu.Lock()
	f.failed = append(f.failed, code+": "+description)
	f.mu.Unlock()
	q := url.Values{"error": {code}, "error_description": {description}, "state": {txn.State}}
	http.Redirect(w, r, txn.RedirectURI+"?"+q.Encode(), http.StatusFound)
}

// fakeClients serves app clients from a map.
type fakeClients map[string]*clients.Client

func (f fakeClients) Lookup(_ context.Context, id string) (*clients.Client, error) {
	c, ok := f[id]
	if !ok {
		return nil, cognitoidp.NewResourceNotFoundException("User pool client " + id + " does not exist.")
	}
	return c, nil
}

// fakeTriggers records trigger calls and answers as told.
type fakeTriggers struct {
	mu        sync.Mutex
	calls     []string // "PreSignUp_ExternalProvider alice", ...
	preSignUp *trigger.PreSignUpResponse
	fail      map[string]error // by trigger: PreSignUp, PreAuthentication, ...
	attrs     map[string]map[string]string
}

func (f *fakeTriggers) record(name, user string, a map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name+" "+user)
	if f.attrs == nil {
		f.attrs = map[string]map[string]string{}
	}
	f.attrs[name] = a
	return f.fail[strings.SplitN(name, "_", 2)[0]]
}

func (f *fakeTriggers) PreSignUp(_ context.Context, _ *cognitoidp.UserPoolType, in *trigger.PreSignUpInput) (*trigger.PreSignUpResponse, error) {
	if err := f.record(in.Source, in.Username, in.UserAttributes); err != nil {
		return nil, err
	}
	return f.preSignUp, nil
}

func (f *fakeTriggers) PostConfirmation(_ context.Context, _ *cognitoidp.UserPoolType, in *trigger.PostConfirmationInput) error {
	return f.record(in.Source, in.Username, in.UserAttributes)
}

func (f *fakeTriggers) PreAuthentication(_ context.Context, _ *cognitoidp.UserPoolType, in *trigger.AuthInput, _ map[string]string) error {
	return f.record("PreAuthentication_Authentication", in.Username, in.UserAttributes)
}

func (f *fakeTriggers) PostAuthentication(_ context.Context, _ *cognitoidp.UserPoolType, in *trigger.AuthInput, _ bool) error {
	return f.record("PostAuthentication_Authentication", in.Username, in.UserAttributes)
}

func (f *fakeTriggers) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// env is a service on SQLite with one pool and one app client.
type env struct {
	t        *testing.T
	store    *sqlstore.Store
	clock    *clock.Fake
	keys     *keys.Manager
	sealer   *keys.Sealer
	comp     *fakeCompleter
	clients  fakeClients
	triggers *fakeTriggers
	idps     *idps.Service
	svc      *Service
	pool     string
	client   *clients.Client
}

type envOption func(*cognitoidp.CreateUserPoolRequest, *Config)

// requireEmail makes email a required attribute of the pool.
func requireEmail(in *cognitoidp.CreateUserPoolRequest, _ *Config) {
	in.Schema = append(in.Schema, cognitoidp.SchemaAttributeType{Name: api.Ptr("email"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Required: api.Ptr(true), Mutable: api.Ptr(true)})
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(time.Now())
	mk := make([]byte, 32)
	_, _ = rand.Read(mk)
	sealer, err := keys.NewSealer(mk)
	if err != nil {
		t.Fatal(err)
	}
	km := keys.New(st, sealer, clk, nil)
	t.Cleanup(func() { _ = km.Close() })
	e := &env{t: t, store: st, clock: clk, keys: km, sealer: sealer, comp: &fakeCompleter{sealer: sealer},
		clients: fakeClients{}, triggers: &fakeTriggers{}}
	e.idps = idps.New(idps.Config{Store: st, Clock: clk})
	in := &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("fed"),
		UsernameConfiguration: &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)},
		Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(true)},
			{Name: api.Ptr("groups"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(true)},
			{Name: api.Ptr("badge"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(false)},
		}}
	cfg := Config{Store: st, Clients: e.clients, Keys: km, Sealer: sealer, Completer: e.comp, Triggers: e.triggers, Clock: clk}
	for _, o := range opts {
		o(in, &cfg)
	}
	ps := pools.New(pools.Config{Store: st, Keys: km, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	out, err := ps.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	e.pool = *out.UserPool.Id
	e.client = &clients.Client{PoolID: e.pool, ID: "appclient1", Name: "app", Settings: cognitoidp.UserPoolClientType{
		UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr("appclient1"),
		CallbackURLs:                    []string{callbackURL},
		AllowedOAuthFlows:               []cognitoidp.OAuthFlowType{cognitoidp.OAuthFlowTypeCode, cognitoidp.OAuthFlowTypeImplicit},
		AllowedOAuthFlowsUserPoolClient: api.Ptr(true),
		AllowedOAuthScopes:              []string{"openid", "email", "profile"},
	}}
	e.clients[e.client.ID] = e.client
	e.svc = New(cfg)
	return e
}

// support lets the app client use providers.
func (e *env) support(names ...string) {
	e.client.Settings.SupportedIdentityProviders = append(e.client.Settings.SupportedIdentityProviders, names...)
}

func (e *env) createProvider(in *cognitoidp.CreateIdentityProviderRequest) *cognitoidp.IdentityProviderType {
	e.t.Helper()
	in.UserPoolId = api.Ptr(e.pool)
	out, err := e.idps.CreateIdentityProvider(context.Background(), in)
	if err != nil {
		e.t.Fatalf("CreateIdentityProvider(%s): %v", api.Deref(in.ProviderName), err)
	}
	e.support(api.Deref(in.ProviderName))
	return out.IdentityProvider
}

// txn is a checked authorize request of the app client.
func (e *env) txn(idp string) *oauth.Txn {
	return &oauth.Txn{PoolID: e.pool, ClientID: e.client.ID, RedirectURI: callbackURL, ResponseType: "code",
		Scopes: []string{"openid", "email"}, State: "app-state", IdentityProvider: idp, BaseURL: baseURL, Created: e.clock.Now()}
}

// start runs Start for idp and returns the response.
func (e *env) start(idp string) *httptest.ResponseRecorder {
	e.t.Helper()
	up, err := pools.Load(context.Background(), e.store, e.pool)
	if err != nil {
		e.t.Fatal(err)
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, baseURL+"/oauth2/authorize", nil)
	e.svc.Start(w, r, up, e.client, idp, e.txn(idp))
	return w
}

// location is a redirect's target.
func location(t *testing.T, w *httptest.ResponseRecorder) *url.URL {
	t.Helper()
	if w.Code != http.StatusFound {
		t.Fatalf("status = %d, want 302; body %s", w.Code, w.Body)
	}
	u, err := url.Parse(w.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// completed returns the one user signed in, failing otherwise.
func (e *env) completed() *storage.User {
	e.t.Helper()
	e.comp.mu.Lock()
	defer e.comp.mu.Unlock()
	if len(e.comp.done) != 1 || len(e.comp.failed) != 0 {
		e.t.Fatalf("completions %d, failures %v; want one completion", len(e.comp.done), e.comp.failed)
	}
	u := e.comp.done[0]
	e.comp.done = nil
	return u
}

// failure returns the one failure sent to the app client.
func (e *env) failure() string {
	e.t.Helper()
	e.comp.mu.Lock()
	defer e.comp.mu.Unlock()
	if len(e.comp.failed) != 1 || len(e.comp.done) != 0 {
		e.t.Fatalf("failures %v, completions %d; want one failure", e.comp.failed, len(e.comp.done))
	}
	f := e.comp.failed[0]
	e.comp.failed = nil
	return f
}

// nothing checks that neither completion nor failure happened.
func (e *env) nothing() {
	e.t.Helper()
	e.comp.mu.Lock()
	defer e.comp.mu.Unlock()
	if len(e.comp.failed) != 0 || len(e.comp.done) != 0 {
		e.t.Fatalf("failures %v, completions %d; want none", e.comp.failed, len(e.comp.done))
	}
}

// user reads a user by username.
func (e *env) user(username string) *storage.User {
	e.t.Helper()
	up, _ := pools.Load(context.Background(), e.store, e.pool)
	u, err := e.store.GetUser(context.Background(), e.pool, attrs.FromPool(up).Key(username))
	if err != nil {
		e.t.Fatalf("GetUser(%s): %v", username, err)
	}
	return u
}

// createLocalUser stores a confirmed local user.
func (e *env) createLocalUser(username string, kv ...string) *storage.User {
	e.t.Helper()
	vals := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		vals[kv[i]] = kv[i+1]
	}
	u := &storage.User{PoolID: e.pool, Key: strings.ToLower(username), Username: username, Sub: "00000000-0000-4000-8000-" + strings.Repeat("0", 12-len(username)) + username,
		Status: "CONFIRMED", Enabled: true, Attributes: vals, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// link runs AdminLinkProviderForUser.
func (e *env) link(dstUser, provider, attr, value string) {
	e.t.Helper()
	_, err := e.idps.AdminLinkProviderForUser(context.Background(), &cognitoidp.AdminLinkProviderForUserRequest{
		UserPoolId:      api.Ptr(e.pool),
		DestinationUser: &cognitoidp.ProviderUserIdentifierType{ProviderName: api.Ptr("Cognito"), ProviderAttributeValue: api.Ptr(dstUser)},
		SourceUser: &cognitoidp.ProviderUserIdentifierType{ProviderName: api.Ptr(provider), ProviderAttributeName: api.Ptr(attr),
			ProviderAttributeValue: api.Ptr(value)},
	})
	if err != nil {
		e.t.Fatalf("AdminLinkProviderForUser: %v", err)
	}
}

// identities parses a user's identities attribute.
func identities(t *testing.T, u *storage.User) []idps.Identity {
	t.Helper()
	ids, err := idps.ParseIdentities(u.Attributes["identities"])
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// lambdaError is what the trigger package answers for a function that threw.
func lambdaError(trig, msg string) error {
	return awserr.New("UserLambdaValidationException", 400, trig+" failed with error "+msg+".")
}
