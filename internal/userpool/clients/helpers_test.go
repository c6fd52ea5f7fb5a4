package clients

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"log/slog"
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
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	testPool  = "us-east-1_TestPool1"
	otherPool = "us-east-1_OtherPool"
	litePool  = "us-east-1_LitePool1"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z = 1740830400.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	svc   *Service
	store storage.Store
	clock *clock.Fake
	logs  *bytes.Buffer
}

// poolSettings is a minimal UserPoolType document: a schema with the standard
// attributes (email required), a mutable and an immutable custom attribute and
// a developer-only one, as DescribeUserPool shows them.
func poolSettings(tier string) []byte {
	attr := func(name string, mutable, required bool) map[string]any {
		return map[string]any{"Name": name, "AttributeDataType": "String", "Mutable": mutable, "Required": required, "DeveloperOnlyAttribute": false}
	}
	schema := []map[string]any{attr("sub", false, true)}
	for _, a := range pools.StandardSchema() {
		if n := *a.Name; n != "sub" {
			schema = append(schema, attr(n, true, n == "email"))
		}
	}
	schema = append(schema,
		attr("custom:tier", true, false),
		attr("custom:tenant", false, false),
		map[string]any{"Name": "dev:custom:internal", "AttributeDataType": "String", "Mutable": true, "DeveloperOnlyAttribute": true},
	)
	doc := map[string]any{"SchemaAttributes": schema}
	if tier != "" {
		doc["UserPoolTier"] = tier
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

func newEnv(t *testing.T, opts ...func(*Config)) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, sqlstore.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("sqlstore.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := keys.NewSealer(bytes.Repeat([]byte{7}, keys.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(t0)
	for _, p := range []struct{ id, tier string }{{testPool, ""}, {otherPool, ""}, {litePool, "LITE"}} {
		if err := st.CreatePool(ctx, &storage.UserPool{ID: p.id, Name: p.id, Settings: poolSettings(p.tier), CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatalf("CreatePool: %v", err)
		}
	}
	logs := &bytes.Buffer{}
	cfg := Config{
		Store: st, Sealer: sealer, Clock: clk, Region: "us-east-1", AccountID: "123456789012",
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	return &env{svc: New(cfg), store: st, clock: clk, logs: logs}
}

func (e *env) create(t *testing.T, in *cognitoidp.CreateUserPoolClientRequest) *cognitoidp.UserPoolClientType {
	t.Helper()
	if in.UserPoolId == nil {
		in.UserPoolId = api.Ptr(testPool)
	}
	if in.ClientName == nil {
		in.ClientName = api.Ptr("app")
	}
	out, err := e.svc.CreateUserPoolClient(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

func (e *env) describe(t *testing.T, clientID string) *cognitoidp.UserPoolClientType {
	t.Helper()
	out, err := e.svc.DescribeUserPoolClient(context.Background(), &cognitoidp.DescribeUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientId: api.Ptr(clientID)})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

// wantErr checks err is the AWS error code with exactly msg (msg "" skips the message).
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

// golden compares v's JSON (indented) with testdata/name, after replacing the
// strings in subst (value -> placeholder).
func golden(t *testing.T, name string, v any, subst map[string]string) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got := string(b) + "\n"
	for from, to := range subst {
		got = strings.ReplaceAll(got, from, to)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if got != string(want) {
		t.Errorf("%s mismatch:\n--- got\n%s--- want\n%s", name, got, want)
	}
}
