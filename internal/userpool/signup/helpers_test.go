package signup

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// goodPassword meets the default policy.
const goodPassword = "Passw0rd!"

type env struct {
	t       *testing.T
	ctx     context.Context
	svc     *Service
	store   *sqlstore.Store
	clock   *clock.Fake
	pools   *pools.Service
	clients *clients.Service
	logs    *bytes.Buffer
}

// newEnv builds a Service on a fresh SQLite store with a fake clock. mut
// may change the Config (hooks) before the Service is made.
func newEnv(t *testing.T, mut ...func(*Config)) *env {
	t.Helper()
	return newEnvOn(t, sqlstoretest.NewSQLite(t), mut...)
}

// newEnvOn is newEnv on a given store.
func newEnvOn(t *testing.T, st *sqlstore.Store, mut ...func(*Config)) *env {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(t0)
	sealer, err := keys.NewSealer(bytes.Repeat([]byte{7}, keys.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sender, err := message.NewSender(message.Config{}, message.Options{Store: st, Clock: clk, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ps := pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012", Logger: logger})
	cs := clients.New(clients.Config{Store: st, Sealer: sealer, Clock: clk, Region: "us-east-1", AccountID: "123456789012", Logger: logger})
	cfg := Config{Store: st, Clients: cs, Sender: sender, Clock: clk, Logger: logger}
	for _, m := range mut {
		m(&cfg)
	}
	e := &env{t: t, ctx: ctx, svc: New(cfg), store: st, clock: clk, pools: ps, clients: cs, logs: logs}
	return e
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

// emailPool auto-verifies email; users sign up with a username.
func (e *env) emailPool() string {
	return e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
	})
}

// client creates an app client of the pool; mut edits the request first.
// With GenerateSecret the secret is in the returned ClientSecret.
func (e *env) client(poolID string, mut func(*cognitoidp.CreateUserPoolClientRequest)) *cognitoidp.UserPoolClientType {
	e.t.Helper()
	in := &cognitoidp.CreateUserPoolClientRequest{UserPoolId: api.Ptr(poolID), ClientName: api.Ptr("app")}
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

// signUp signs a user up with the good password and attributes kv.
func (e *env) signUp(clientID, username string, kv ...string) *cognitoidp.SignUpResponse {
	e.t.Helper()
	out, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{
		ClientId: api.Ptr(clientID), Username: api.Ptr(username), Password: api.Ptr(goodPassword), UserAttributes: attrList(kv...),
	})
	if err != nil {
		e.t.Fatalf("SignUp(%s): %v", username, err)
	}
	return out
}

// user reads a stored user by key.
func (e *env) user(poolID, key string) *storage.User {
	e.t.Helper()
	u, err := e.store.GetUser(e.ctx, poolID, key)
	if err != nil {
		e.t.Fatalf("GetUser(%s): %v", key, err)
	}
	return u
}

// messages returns the pool's outbox, oldest first.
func (e *env) messages(poolID string) []*storage.Message {
	e.t.Helper()
	ms, err := e.store.ListMessages(e.ctx, storage.MessageFilter{PoolID: poolID})
	if err != nil {
		e.t.Fatal(err)
	}
	return ms
}

// lastCode is the code of the pool's newest message.
func (e *env) lastCode(poolID string) string {
	e.t.Helper()
	ms := e.messages(poolID)
	if len(ms) == 0 {
		e.t.Fatal("no message in the outbox")
	}
	return ms[len(ms)-1].Code
}

// confirm confirms a user with the newest code.
func (e *env) confirm(clientID, poolID, username string) {
	e.t.Helper()
	_, err := e.svc.ConfirmSignUp(e.ctx, &cognitoidp.ConfirmSignUpRequest{
		ClientId: api.Ptr(clientID), Username: api.Ptr(username), ConfirmationCode: api.Ptr(e.lastCode(poolID)),
	})
	if err != nil {
		e.t.Fatalf("ConfirmSignUp(%s): %v", username, err)
	}
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

func attrList(kv ...string) []cognitoidp.AttributeType {
	var out []cognitoidp.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, cognitoidp.AttributeType{Name: api.Ptr(kv[i]), Value: api.Ptr(kv[i+1])})
	}
	return out
}

// wantErr checks err is the AWS error code with exactly msg ("" skips the message).
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	ae, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if ae.Code != code || (msg != "" && ae.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", ae.Code, ae.Message, code, msg)
	}
}

// toJSON renders v for comparisons of responses.
func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noSecretsLogged fails if any of the strings appears in the logs.
func (e *env) noSecretsLogged(secrets ...string) {
	e.t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(e.logs.String(), s) {
			e.t.Errorf("logs contain a secret %q:\n%s", s, e.logs.String())
		}
	}
}
