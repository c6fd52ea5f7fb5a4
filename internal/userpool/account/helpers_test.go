package account

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z = 1740830400.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// goodPassword meets the default policy.
const goodPassword = "Passw0rd!"

type env struct {
	ctx     context.Context
	svc     *Service
	sql     storage.Store
	store   Store
	clk     *clock.Fake
	pools   *pools.Service
	clients *clients.Service
	tokens  *fakeTokens
	sealer  *keys.Sealer
	h       *cognitoidp.Handlers
	writes  *writeRecorder
	cfg     Config
}

// reconfigure rebuilds the Service with a changed configuration.
func (e *env) reconfigure(fn func(*Config)) {
	fn(&e.cfg)
	e.svc = New(e.cfg)
	e.h = &cognitoidp.Handlers{}
	e.svc.Register(e.h)
}

// testStore completes the SQL store with in-memory counters and auth events
// while the SQL store does not keep them.
type testStore struct {
	storage.PoolStore
	storage.UserStore
	storage.CodeStore
	storage.CounterStore
	storage.EventStore
}

// newStore returns the SQLite store as the package's Store, completed with
// in-memory counters and events where it lacks them.
func newStore(t testing.TB) (storage.Store, Store) {
	st := sqlstoretest.NewSQLite(t)
	var s any = st
	if full, ok := s.(Store); ok {
		return st, full
	}
	ts := &testStore{PoolStore: st, UserStore: st, CodeStore: st, CounterStore: &memCounters{}, EventStore: &memEvents{}}
	if c, ok := s.(storage.CounterStore); ok {
		ts.CounterStore = c
	}
	if e, ok := s.(storage.EventStore); ok {
		ts.EventStore = e
	}
	return st, ts
}

// newEnv returns a Service on a fresh SQLite store with a fake clock, fake
// tokens, a recording attribute writer and a Sender that keeps messages in
// the store's outbox.
func newEnv(t testing.TB, opts ...func(*Config)) *env {
	t.Helper()
	st, store := newStore(t)
	clk := clock.NewFake(t0)
	key := make([]byte, keys.MasterKeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	sealer, err := keys.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	sender, err := message.NewSender(message.Config{}, message.Options{Store: st, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{
		ctx:     context.Background(),
		sql:     st,
		store:   store,
		clk:     clk,
		pools:   pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"}),
		clients: clients.New(clients.Config{Store: st, Sealer: sealer, Clock: clk, Region: "us-east-1", AccountID: "123456789012"}),
		tokens:  newFakeTokens(),
		sealer:  sealer,
		h:       &cognitoidp.Handlers{},
		writes:  &writeRecorder{},
	}
	cfg := Config{
		Store: store, Clients: e.clients, Tokens: e.tokens, Sender: sender, Sealer: sealer, Clock: clk,
		WriteAttributes: e.writes.write,
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.cfg = cfg
	e.svc = New(cfg)
	e.svc.Register(e.h)
	return e
}

// writeRecorder stands in for the users family's attribute writer: it checks
// the write with the real attribute rules for the caller it is given (so the
// client's write permissions apply), records it and answers canned
// CodeDeliveryDetails.
type writeRecorder struct {
	mu      sync.Mutex
	calls   []writeCall
	details []cognitoidp.CodeDeliveryDetailsType
}

type writeCall struct {
	userKey string
	in      []cognitoidp.AttributeType
	caller  attrs.Caller
	meta    map[string]string
	vals    attrs.Values
}

func (w *writeRecorder) write(_ context.Context, _ *cognitoidp.UserPoolType, schema *attrs.Schema, u *storage.User, in []cognitoidp.AttributeType, caller attrs.Caller, meta map[string]string) ([]cognitoidp.CodeDeliveryDetailsType, error) {
	vals, err := schema.CheckWrite(in, attrs.OpUpdate, caller, u.Attributes)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, writeCall{userKey: u.Key, in: in, caller: caller, meta: meta, vals: vals})
	return w.details, nil
}

func (w *writeRecorder) last(t testing.TB) writeCall {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.calls) == 0 {
		t.Fatal("no attribute write")
	}
	return w.calls[len(w.calls)-1]
}

// pool creates a pool (name "pool" unless set) and returns its id.
func (e *env) pool(t testing.TB, in *cognitoidp.CreateUserPoolRequest) string {
	t.Helper()
	if in == nil {
		in = &cognitoidp.CreateUserPoolRequest{}
	}
	if in.PoolName == nil {
		in.PoolName = api.Ptr("pool")
	}
	out, err := e.pools.CreateUserPool(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

// protectedPool creates a pool with threat protection (AUDIT).
func (e *env) protectedPool(t testing.TB) string {
	t.Helper()
	return e.pool(t, &cognitoidp.CreateUserPoolRequest{
		UserPoolTier:   api.Ptr(cognitoidp.UserPoolTierTypePlus),
		UserPoolAddOns: &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeAudit)},
	})
}

// client creates an app client of the pool; in may set anything but the
// pool and name.
func (e *env) client(t testing.TB, poolID string, in *cognitoidp.CreateUserPoolClientRequest) *cognitoidp.UserPoolClientType {
	t.Helper()
	if in == nil {
		in = &cognitoidp.CreateUserPoolClientRequest{}
	}
	in.UserPoolId = api.Ptr(poolID)
	in.ClientName = api.Ptr("app")
	out, err := e.clients.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

// schema returns a pool's attribute schema.
func (e *env) schema(t testing.TB, poolID string) *attrs.Schema {
	t.Helper()
	up, err := pools.Load(e.ctx, e.store, poolID)
	if err != nil {
		t.Fatal(err)
	}
	return attrs.FromPool(up)
}

// seed stores a confirmed, enabled user with password goodPassword.
func (e *env) seed(t testing.TB, poolID, username string, attributes map[string]string) *storage.User {
	t.Helper()
	s := e.schema(t, poolID)
	if attributes == nil {
		attributes = map[string]string{}
	}
	cred, err := password.New(poolID, username, goodPassword, false, e.clk.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := cred.Encode()
	if err != nil {
		t.Fatal(err)
	}
	u := &storage.User{
		PoolID:     poolID,
		Key:        s.Key(username),
		Username:   username,
		Sub:        uuid.NewString(),
		Status:     "CONFIRMED",
		Enabled:    true,
		Attributes: attributes,
		Aliases:    s.Aliases(attributes),
		Password:   pw,
		CreatedAt:  e.clk.Now(),
		UpdatedAt:  e.clk.Now(),
	}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

// signedIn is a pool with a client and a signed-in user.
type signedIn struct {
	pool    string
	client  string
	user    *storage.User
	access  string
	refresh string
}

// signIn seeds user "jane" (email jane@example.com) in a new default pool,
// makes a client and signs her in.
func (e *env) signIn(t testing.TB) signedIn {
	t.Helper()
	pool := e.pool(t, nil)
	cl := e.client(t, pool, nil)
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "email_verified": "true", "name": "Jane"})
	a, r := e.tokens.issue(pool, *cl.ClientId, u)
	return signedIn{pool: pool, client: *cl.ClientId, user: u, access: a, refresh: r}
}

// user reads a user by its key.
func (e *env) user(t testing.TB, poolID, key string) *storage.User {
	t.Helper()
	u, err := e.store.GetUser(e.ctx, poolID, key)
	if err != nil {
		t.Fatalf("GetUser(%s): %v", key, err)
	}
	return u
}

// setUser changes a stored user directly.
func (e *env) setUser(t testing.TB, poolID, key string, fn func(*storage.User)) {
	t.Helper()
	if _, err := e.store.UpdateUser(e.ctx, poolID, key, func(u *storage.User) error { fn(u); return nil }); err != nil {
		t.Fatal(err)
	}
}

// outbox returns the pool's messages, oldest first.
func (e *env) outbox(t testing.TB, poolID string) []*storage.Message {
	t.Helper()
	ms, err := e.sql.ListMessages(e.ctx, storage.MessageFilter{PoolID: poolID})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// lastCode returns the code of the newest message in the pool's outbox.
func (e *env) lastCode(t testing.TB, poolID string) string {
	t.Helper()
	ms := e.outbox(t, poolID)
	if len(ms) == 0 {
		t.Fatal("outbox empty")
	}
	return ms[len(ms)-1].Code
}

// wantErr checks err is the AWS error code with exactly msg (msg "" skips the message).
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

// attrOf returns the value of name in a rendered attribute list.
func attrOf(list []cognitoidp.AttributeType, name string) (string, bool) {
	for _, a := range list {
		if api.Deref(a.Name) == name {
			return api.Deref(a.Value), true
		}
	}
	return "", false
}

// attrNames lists the names of a rendered attribute list in order.
func attrNames(list []cognitoidp.AttributeType) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, api.Deref(a.Name))
	}
	return out
}

func attrList(kv ...string) []cognitoidp.AttributeType {
	out := make([]cognitoidp.AttributeType, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, cognitoidp.AttributeType{Name: api.Ptr(kv[i]), Value: api.Ptr(kv[i+1])})
	}
	return out
}
