package pools

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	testRegion  = "us-east-1"
	testAccount = "123456789012"
)

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

type env struct {
	ctx   context.Context
	svc   *Service
	clk   *clock.Fake
	store storage.Store
	keys  *keys.Manager
	h     *cognitoidp.Handlers
}

// newEnv returns a Service on a fresh SQLite store with a fake clock. Signing
// keys are only made when withKeys is set (RSA key generation is slow under -race).
func newEnv(t *testing.T, withKeys bool, opts ...func(*Config)) *env {
	t.Helper()
	store := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	cfg := Config{Store: store, Clock: clk, Region: testRegion, AccountID: testAccount}
	e := &env{ctx: t.Context(), clk: clk, store: store}
	if withKeys {
		sealer, err := keys.NewSealer(make([]byte, keys.MasterKeySize))
		if err != nil {
			t.Fatal(err)
		}
		e.keys = keys.New(store, sealer, clk, nil)
		t.Cleanup(func() { e.keys.Close() })
		cfg.Keys = e.keys
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.svc = New(cfg)
	e.h = &cognitoidp.Handlers{}
	e.svc.Register(e.h)
	return e
}

func (e *env) create(t *testing.T, in *cognitoidp.CreateUserPoolRequest) *cognitoidp.UserPoolType {
	t.Helper()
	if in.PoolName == nil {
		in.PoolName = api.Ptr("pool")
	}
	out, err := e.svc.CreateUserPool(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return out.UserPool
}

func (e *env) describe(t *testing.T, poolID string) *cognitoidp.UserPoolType {
	t.Helper()
	out, err := e.svc.DescribeUserPool(e.ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: &poolID})
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	return out.UserPool
}

// call runs an operation through the generated table with a raw JSON body.
func (e *env) call(op, body string) (any, error) {
	return e.h.Service().Operations[op].Call(e.ctx, []byte(body))
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s %q, got no error", code, msg)
	}
	ae, ok := awserr.As(err)
	if !ok {
		t.Fatalf("want %s %q, got non-AWS error %v", code, msg, err)
	}
	if ae.Code != code || (msg != "" && ae.Message != msg) {
		t.Fatalf("want %s %q, got %s %q", code, msg, ae.Code, ae.Message)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if strings.TrimSpace(string(want)) != strings.TrimSpace(got) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, got)
	}
}

func findAttr(schema []cognitoidp.SchemaAttributeType, name string) *cognitoidp.SchemaAttributeType {
	for i := range schema {
		if api.Deref(schema[i].Name) == name {
			return &schema[i]
		}
	}
	return nil
}
