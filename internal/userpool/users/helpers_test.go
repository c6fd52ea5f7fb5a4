package users

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z = 1740830400.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	ctx   context.Context
	svc   *Service
	store storage.Store
	clk   *clock.Fake
	pools *pools.Service
	h     *cognitoidp.Handlers
}

// newEnv returns a Service on a fresh SQLite store with a fake clock and a
// Sender that keeps messages in the store's outbox.
func newEnv(t testing.TB, opts ...func(*Config)) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	sender, err := message.NewSender(message.Config{}, message.Options{Store: st, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: st, Sender: sender, Clock: clk}
	for _, o := range opts {
		o(&cfg)
	}
	e := &env{
		ctx:   context.Background(),
		svc:   New(cfg),
		store: st,
		clk:   clk,
		pools: pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"}),
		h:     &cognitoidp.Handlers{},
	}
	e.svc.Register(e.h)
	return e
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

// schema returns a pool's attribute schema.
func (e *env) schema(t testing.TB, poolID string) *attrs.Schema {
	t.Helper()
	up, err := pools.Load(e.ctx, e.store, poolID)
	if err != nil {
		t.Fatal(err)
	}
	return attrs.FromPool(up)
}

// seed stores a user directly (username as the pool keys it, the aliases its
// attributes claim), bypassing the operations.
func (e *env) seed(t testing.TB, poolID, username, status string, attributes map[string]string) *storage.User {
	t.Helper()
	s := e.schema(t, poolID)
	if attributes == nil {
		attributes = map[string]string{}
	}
	u := &storage.User{
		PoolID:     poolID,
		Key:        s.Key(username),
		Username:   username,
		Sub:        uuid.NewString(),
		Status:     status,
		Enabled:    true,
		Attributes: attributes,
		Aliases:    s.Aliases(attributes),
		CreatedAt:  e.clk.Now(),
		UpdatedAt:  e.clk.Now(),
	}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
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

// outbox returns the pool's messages, oldest first.
func (e *env) outbox(t testing.TB, poolID string) []*storage.Message {
	t.Helper()
	ms, err := e.store.ListMessages(e.ctx, storage.MessageFilter{PoolID: poolID})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// code returns the user's stored code for purpose, or nil.
func (e *env) code(t testing.TB, poolID, key, purpose string) *storage.Code {
	t.Helper()
	c, err := e.store.GetCode(e.ctx, poolID, key, purpose)
	if err != nil {
		return nil
	}
	return c
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
