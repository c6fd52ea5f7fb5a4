package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/groups"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// goodPassword meets the default policy.
const goodPassword = "Passw0rd!"

type env struct {
	t       testing.TB
	ctx     context.Context
	svc     *Service
	sql     *sqlstore.Store
	store   Store
	clk     *clock.Fake
	sealer  *keys.Sealer
	keys    *keys.Manager
	tokens  *token.Service
	pools   *pools.Service
	clients *clients.Service
	users   *users.Service
	groups  *groups.Service
	signup  *signup.Service
	events  *recEvents
	logs    *syncWriter
}

// testStore completes the SQL store with in-memory counters while it does
// not keep them.
type testStore struct {
	storage.PoolStore
	storage.UserStore
	storage.CounterStore
	storage.CodeStore
}

// newEnv builds a Service on a fresh SQLite store with a fake clock, the
// real token service and the user-directory services to make users with.
// mut may change the Config before the Service is made.
func newEnv(t testing.TB, mut ...func(*Config)) *env {
	t.Helper()
	ctx := context.Background()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	sealer, err := keys.NewSealer(bytes.Repeat([]byte{7}, keys.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncWriter{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	var anyStore any = st
	store := &testStore{PoolStore: st, UserStore: st, CounterStore: &memCounters{}, CodeStore: st}
	if c, ok := anyStore.(storage.CounterStore); ok {
		store.CounterStore = c
	}
	var tokenStore storage.TokenStore = &memTokens{}
	if ts, ok := anyStore.(storage.TokenStore); ok {
		tokenStore = ts
	}

	km := keys.New(st, sealer, clk, logger)
	t.Cleanup(func() { km.Close() })
	tokens := token.New(token.Config{
		Keys: km, Sealer: sealer, Store: tokenStore, Clock: clk, Logger: logger,
		Issuer: func(poolID string) string { return "https://cognito-idp.us-east-1.amazonaws.com/" + poolID },
	})
	sender, err := message.NewSender(message.Config{}, message.Options{Store: st, Clock: clk, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ps := pools.New(pools.Config{Store: st, Keys: km, Clock: clk, Region: "us-east-1", AccountID: "123456789012", Logger: logger})
	cs := clients.New(clients.Config{Store: st, Sealer: sealer, Clock: clk, Region: "us-east-1", AccountID: "123456789012", Logger: logger})
	us := users.New(users.Config{Store: st, Sender: sender, Clock: clk, Logger: logger})
	gs := groups.New(groups.Config{Store: st, Clock: clk, Logger: logger})
	ss := signup.New(signup.Config{Store: st, Clients: cs, Sender: sender, Clock: clk, Logger: logger})
	events := &recEvents{}
	cfg := Config{
		Store: store, Clients: cs, Tokens: tokens, Sealer: sealer,
		Groups: gs, Events: events, Clock: clk, Logger: logger,
	}
	for _, m := range mut {
		m(&cfg)
	}
	return &env{
		t: t, ctx: ctx, svc: New(cfg), sql: st, store: store, clk: clk, sealer: sealer, keys: km, tokens: tokens,
		pools: ps, clients: cs, users: us, groups: gs, signup: ss, events: events, logs: logs,
	}
}

// syncWriter is a log buffer safe for concurrent use.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// allFlows are the ExplicitAuthFlows test clients get by default.
var allFlows = []cognitoidp.ExplicitAuthFlowsType{
	cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth,
	cognitoidp.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
	cognitoidp.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
	cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
	cognitoidp.ExplicitAuthFlowsTypeAllowCustomAuth,
}

// pool creates a user pool; mut edits the request first.
func (e *env) pool(mut func(*cognitoidp.CreateUserPoolRequest)) string {
	e.t.Helper()
	in := &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("test")}
	if mut != nil {
		mut(in)
	}
	out, err := e.pools.CreateUserPool(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

// client creates an app client with every flow but USER_AUTH; mut edits the
// request first (GenerateSecret returns the secret in ClientSecret).
func (e *env) client(poolID string, mut func(*cognitoidp.CreateUserPoolClientRequest)) *cognitoidp.UserPoolClientType {
	e.t.Helper()
	in := &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(poolID), ClientName: api.Ptr("app"), ExplicitAuthFlows: allFlows,
	}
	if mut != nil {
		mut(in)
	}
	out, err := e.clients.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

func (e *env) clientID(poolID string) string { return *e.client(poolID, nil).ClientId }

// hidingClient is a client with PreventUserExistenceErrors=ENABLED.
func (e *env) hidingClient(poolID string) string {
	return *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.PreventUserExistenceErrors = api.Ptr(cognitoidp.PreventUserExistenceErrorTypesEnabled)
	}).ClientId
}

// createUser makes a user with a temporary password (FORCE_CHANGE_PASSWORD)
// and the attributes kv, sending nothing.
func (e *env) createUser(poolID, username, tempPassword string, kv ...string) {
	e.t.Helper()
	_, err := e.users.AdminCreateUser(e.ctx, &cognitoidp.AdminCreateUserRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr(username), TemporaryPassword: api.Ptr(tempPassword),
		UserAttributes: attrList(kv...), MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress),
	})
	if err != nil {
		e.t.Fatalf("AdminCreateUser(%s): %v", username, err)
	}
}

// confirmedUser makes a CONFIRMED user with a permanent password.
func (e *env) confirmedUser(poolID, username, pw string, kv ...string) *storage.User {
	e.t.Helper()
	e.createUser(poolID, username, "Temp0rary!", kv...)
	_, err := e.users.AdminSetUserPassword(e.ctx, &cognitoidp.AdminSetUserPasswordRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr(username), Password: api.Ptr(pw), Permanent: true,
	})
	if err != nil {
		e.t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
	}
	u, _, _, err := e.users.Find(e.ctx, poolID, username)
	if err != nil {
		e.t.Fatalf("Find(%s): %v", username, err)
	}
	return u
}

// user reads a stored user by name (or alias).
func (e *env) user(poolID, name string) *storage.User {
	e.t.Helper()
	u, _, _, err := e.users.Find(e.ctx, poolID, name)
	if err != nil {
		e.t.Fatalf("Find(%s): %v", name, err)
	}
	return u
}

// initiate calls InitiateAuth.
func (e *env) initiate(clientID string, flow cognitoidp.AuthFlowType, kv ...string) (*cognitoidp.InitiateAuthResponse, error) {
	return e.svc.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(flow), AuthParameters: params(kv...),
	})
}

// passwordAuth signs in with USER_PASSWORD_AUTH.
func (e *env) passwordAuth(clientID, username, pw string, kv ...string) (*cognitoidp.InitiateAuthResponse, error) {
	return e.initiate(clientID, cognitoidp.AuthFlowTypeUserPasswordAuth, append([]string{"USERNAME", username, "PASSWORD", pw}, kv...)...)
}

// mustSignIn signs in with USER_PASSWORD_AUTH and returns the tokens.
func (e *env) mustSignIn(clientID, username, pw string) *cognitoidp.AuthenticationResultType {
	e.t.Helper()
	out, err := e.passwordAuth(clientID, username, pw)
	if err != nil {
		e.t.Fatalf("USER_PASSWORD_AUTH(%s): %v", username, err)
	}
	if out.AuthenticationResult == nil {
		e.t.Fatalf("USER_PASSWORD_AUTH(%s): no tokens, challenge %v", username, api.Deref(out.ChallengeName))
	}
	return out.AuthenticationResult
}

// respond calls RespondToAuthChallenge.
func (e *env) respond(clientID string, challenge cognitoidp.ChallengeNameType, session string, kv ...string) (*cognitoidp.RespondToAuthChallengeResponse, error) {
	in := &cognitoidp.RespondToAuthChallengeRequest{
		ClientId: api.Ptr(clientID), ChallengeName: api.Ptr(challenge), ChallengeResponses: params(kv...),
	}
	if session != "" {
		in.Session = api.Ptr(session)
	}
	return e.svc.RespondToAuthChallenge(e.ctx, in)
}

// srpStart runs InitiateAuth USER_SRP_AUTH with a fresh client session.
func (e *env) srpStart(poolID, clientID, username string, kv ...string) (*srp.ClientSession, *cognitoidp.InitiateAuthResponse, error) {
	cs := srp.NewClientSession(srp.PoolName(poolID))
	out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeUserSrpAuth, append([]string{"USERNAME", username, "SRP_A", cs.PublicHex()}, kv...)...)
	return cs, out, err
}

// srpAnswer computes the PASSWORD_VERIFIER answer as Amplify does, at the
// fake clock's time.
func (e *env) srpAnswer(cs *srp.ClientSession, ch map[string]string, pw string) srp.ClaimResponse {
	e.t.Helper()
	claim, err := cs.Respond(ch["USER_ID_FOR_SRP"], pw, ch["SALT"], ch["SRP_B"], ch["SECRET_BLOCK"], e.clk.Now())
	if err != nil {
		e.t.Fatalf("srp Respond: %v", err)
	}
	return claim
}

// srpSignIn runs the whole SRP exchange; kv are extra answer parameters.
func (e *env) srpSignIn(poolID, clientID, username, pw string, kv ...string) (*cognitoidp.RespondToAuthChallengeResponse, error) {
	e.t.Helper()
	cs, out, err := e.srpStart(poolID, clientID, username)
	if err != nil {
		return nil, err
	}
	ch := out.ChallengeParameters
	claim := e.srpAnswer(cs, ch, pw)
	return e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "", append([]string{
		"USERNAME", ch["USER_ID_FOR_SRP"],
		"PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock,
		"TIMESTAMP", claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE", claim.Signature,
	}, kv...)...)
}

// call runs an operation through the generated table, as the server does.
func (e *env) call(op, body string) (any, error) {
	e.t.Helper()
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	o, ok := h.Service().Operations[op]
	if !ok {
		e.t.Fatalf("no operation %s", op)
	}
	return o.Call(e.ctx, []byte(body))
}

func params(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func attrList(kv ...string) []cognitoidp.AttributeType {
	var out []cognitoidp.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, cognitoidp.AttributeType{Name: api.Ptr(kv[i]), Value: api.Ptr(kv[i+1])})
	}
	return out
}

// wantErr checks err is the AWS error code with exactly msg ("" skips the message).
func wantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	ae, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if ae.Code != code || (msg != "" && ae.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", ae.Code, ae.Message, code, msg)
	}
}

// claims decodes a JWT's payload (signatures are the token package's
// concern).
func claims(t testing.TB, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// noSecretsLogged fails if any of the strings appears in the logs.
func (e *env) noSecretsLogged(secrets ...string) {
	e.t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(e.logs.String(), s) {
			e.t.Errorf("logs contain a secret %q", s)
		}
	}
}

// mustCreds decodes a user's credentials.
func mustCreds(t testing.TB, u *storage.User) *password.Credentials {
	t.Helper()
	c, err := password.Decode(u.Password)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
