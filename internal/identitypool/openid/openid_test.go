package openid

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func newIssuer(t *testing.T, st *sqlstore.Store, clk clock.Clock) *Issuer {
	t.Helper()
	sealer, err := keys.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Store: st, Sealer: sealer, Clock: clk, URL: "http://localhost:9229/_cogito/identity/", Region: "us-east-1"})
}

func claims() *Claims {
	return &Claims{
		Subject: "us-east-1:11111111-2222-3333-4444-555555555555", Audience: "us-east-1:aaaaaaaa-0000-0000-0000-000000000000",
		AMR:           []string{"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool:CognitoSignIn:sub"},
		PoolARN:       "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:aaaaaaaa-0000-0000-0000-000000000000",
		PrincipalTags: map[string]string{"username": "sub"},
		IssuedAt:      t0, ExpiresAt: t0.Add(10 * time.Minute),
	}
}

func TestSignVerify(t *testing.T) {
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	iss := newIssuer(t, st, clk)
	if iss.URL() != "http://localhost:9229/_cogito/identity" {
		t.Errorf("URL = %q; the trailing slash must go", iss.URL())
	}
	tok, err := iss.Sign(t.Context(), claims())
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	hdr, _ := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS512})
	if hdr == nil || len(parts) != 3 {
		t.Fatalf("not a compact RS512 JWS: %s", tok)
	}
	if h := hdr.Signatures[0].Protected; h.Algorithm != "RS512" || !strings.HasPrefix(h.KeyID, "us-east-1") || h.ExtraHeaders["typ"] != "JWS" {
		t.Errorf("header = %+v", h)
	}
	got, err := iss.Verify(t.Context(), tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := claims()
	if got.Subject != want.Subject || got.Audience != want.Audience || strings.Join(got.AMR, " ") != strings.Join(want.AMR, " ") ||
		got.PoolARN != want.PoolARN || got.PrincipalTags["username"] != "sub" || !got.ExpiresAt.Equal(want.ExpiresAt) || !got.Authenticated() {
		t.Errorf("Verify = %+v; want %+v", got, want)
	}

	// The payload as an STS reads it.
	var payload map[string]any
	if err := json.Unmarshal(mustB64(t, parts[1]), &payload); err != nil {
		t.Fatal(err)
	}
	if payload["iss"] != iss.URL() || payload[PoolARNClaim] != want.PoolARN {
		t.Errorf("payload = %v", payload)
	}
	if tags, _ := payload[TagsClaim].(map[string]any)["principal_tags"].(map[string]any); tags == nil || tags["username"].([]any)[0] != "sub" {
		t.Errorf("principal tags claim = %v", payload[TagsClaim])
	}

	// The JWKS verifies the token (what an STS does).
	b, err := iss.JWKS(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(b, &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("JWKS %s: %v", b, err)
	}
	if _, err := hdr.Verify(set.Keys[0].Key); err != nil {
		t.Errorf("the JWKS key does not verify the token: %v", err)
	}
	if d := iss.Discovery(); d["jwks_uri"] != iss.URL()+"/.well-known/jwks_uri" || d["issuer"] != iss.URL() {
		t.Errorf("discovery = %v", d)
	}

	for name, bad := range map[string]string{
		"garbage":         "not a token",
		"tampered":        parts[0] + "." + parts[1] + "x." + parts[2],
		"other payload":   parts[0] + "." + b64(`{"sub":"x","iss":"`+iss.URL()+`","exp":9999999999}`) + "." + parts[2],
		"alg none":        b64(`{"alg":"none"}`) + "." + parts[1] + ".",
		"empty signature": parts[0] + "." + parts[1] + ".",
	} {
		if _, err := iss.Verify(t.Context(), bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Verify(%s) = %v; want ErrInvalid", name, err)
		}
	}

	clk.Advance(10 * time.Minute)
	c, err := iss.Verify(t.Context(), tok)
	var exp *ExpiredError
	if !errors.As(err, &exp) || !errors.Is(err, ErrExpired) || c == nil || exp.ExpiresAt.Unix() != t0.Add(10*time.Minute).Unix() {
		t.Errorf("Verify at exp = %+v, %v; want an *ExpiredError", c, err)
	}
}

// Replicas on one store sign with the same key, and a reset of the store
// gets the key in use back.
func TestKeyShared(t *testing.T) {
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	a, b := newIssuer(t, st, clk), newIssuer(t, st, clk)
	tok, err := a.Sign(t.Context(), claims())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Verify(t.Context(), tok); err != nil {
		t.Fatalf("replica b rejects a's token: %v", err)
	}
	if err := st.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if _, err := a.Verify(t.Context(), tok); err != nil && !errors.Is(err, ErrExpired) {
		t.Fatalf("after a reset: %v", err)
	}
	if _, err := b.Verify(t.Context(), tok); err != nil && !errors.Is(err, ErrExpired) {
		t.Fatalf("replica b after a reset: %v", err)
	}
}

func b64(s string) string { return strings.TrimRight(jsonB64.EncodeToString([]byte(s)), "=") }

func mustB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := jsonB64.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var jsonB64 = base64.RawURLEncoding
