package token

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00.5Z (1740830400.5).
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 500_000_000, time.UTC)

const issuerBase = "https://cognito-idp.us-east-1.amazonaws.com/"

// App client ids (26 lowercase alphanumerics, as Cognito's).
const (
	testClient  = "4c6g2fn4d7p9mrq1e3bh0ts5ka"
	otherClient = "7v1k3m9q2w8e4r6t0y5u1i3o2p"
)

type env struct {
	svc    *Service
	store  *sqlstore.Store
	tokens storage.TokenStore
	clock  *clock.Fake
	keys   *keys.Manager
	sealer *keys.Sealer
	pools  *pools.Service
	// pool is a pool with signing keys; otherPool makes a second one.
	pool  string
	other string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvOn(t, sqlstoretest.NewSQLite(t))
}

// newEnvOn is newEnv on a given store.
func newEnvOn(t testing.TB, st *sqlstore.Store) *env {
	t.Helper()
	clk := clock.NewFake(t0)
	sealer, err := keys.NewSealer(make([]byte, keys.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	km := keys.New(st, sealer, clk, nil)
	// No background key generator: keys are made inline, only when a pool
	// needs them (tests run in parallel on few cores).
	km.Close()
	e := &env{
		store: st, clock: clk, keys: km, sealer: sealer, tokens: st,
		pools: pools.New(pools.Config{Store: st, Keys: km, Clock: clk, Region: "us-east-1", AccountID: "123456789012"}),
	}
	e.svc = e.newService(sealer)
	e.pool = e.createPool(t, "tokens")
	return e
}

// otherPool returns a second pool with signing keys, creating it on first use.
func (e *env) otherPool(t testing.TB) string {
	t.Helper()
	if e.other == "" {
		e.other = e.createPool(t, "other")
	}
	return e.other
}

// newService returns a Service (a "replica") over the env's stores with the
// given master key.
func (e *env) newService(sealer *keys.Sealer) *Service {
	return New(Config{
		Keys: e.keys, Sealer: sealer, Store: e.tokens, Clock: e.clock,
		Issuer: func(poolID string) string { return issuerBase + poolID },
	})
}

func (e *env) createPool(t testing.TB, name string) string {
	t.Helper()
	out, err := e.pools.CreateUserPool(context.Background(), &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr(name)})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

// user stores a confirmed user and returns a Subject for it.
func (e *env) user(t testing.TB, poolID, username string) Subject {
	t.Helper()
	attrs := map[string]string{"email": username + "@example.com", "email_verified": "true"}
	sub := e.storeUser(t, poolID, username, uuid.NewString(), attrs)
	return Subject{
		PoolID: poolID, ClientID: testClient,
		Username: username, Sub: sub, UserKey: username, Attributes: attrs,
	}
}

// storeUser stores a confirmed user (refresh tokens belong to stored users).
func (e *env) storeUser(t testing.TB, poolID, username, sub string, attrs map[string]string) string {
	t.Helper()
	now := e.clock.Now()
	u := &storage.User{
		PoolID: poolID, Key: username, Username: username, Sub: sub,
		Status: "CONFIRMED", Enabled: true, Attributes: attrs, CreatedAt: now, UpdatedAt: now,
	}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", username, err)
	}
	return sub
}

func (e *env) issue(t testing.TB, sub Subject, withRefresh bool) *Issued {
	t.Helper()
	out, err := e.svc.Issue(context.Background(), sub, Validity{}, withRefresh)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return out
}

// wantErr checks err is the Cognito error code with message msg.
func wantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

func wantNotAuthorized(t testing.TB, err error, msg string) {
	t.Helper()
	wantErr(t, err, cognitoidp.CodeNotAuthorizedException, msg)
}

// parts decodes a JWS's header and payload (no verification).
func parts(t testing.TB, tok string) (header, payload []byte) {
	t.Helper()
	p := strings.Split(tok, ".")
	if len(p) != 3 {
		t.Fatalf("token has %d parts, want 3", len(p))
	}
	h, err := base64.RawURLEncoding.DecodeString(p[0])
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	b, err := base64.RawURLEncoding.DecodeString(p[1])
	if err != nil {
		t.Fatalf("payload: %v", err)
	}
	return h, b
}

// claimsOf decodes a JWS's payload into a map (numbers as json.Number).
func claimsOf(t testing.TB, tok string) map[string]any {
	t.Helper()
	_, p := parts(t, tok)
	m := map[string]any{}
	dec := json.NewDecoder(strings.NewReader(string(p)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("payload %s: %v", p, err)
	}
	return m
}

// resign replaces a token's payload and signs it with the key of (pool, use).
func (e *env) resign(t testing.TB, poolID, use string, payload []byte) string {
	t.Helper()
	kid, key, err := e.keys.Signer(context.Background(), poolID, use)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := signJWS(kid, key, payload)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func isUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
