package token

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/keys"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	roleA = "arn:aws:iam::123456789012:role/Admins"
	roleB = "arn:aws:iam::123456789012:role/Users"
)

// golden compares got with testdata/name (rewriting it with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n got: %s\nwant: %s", name, got, want)
	}
}

// masked returns a token's payload as minted (claim order and spelling
// kept), with the values that change from run to run replaced: the pool id
// and the named claims.
func masked(t *testing.T, tok, poolID string, claims ...string) []byte {
	t.Helper()
	_, p := parts(t, tok)
	m := claimsOf(t, tok)
	s := strings.ReplaceAll(string(p), poolID, "<pool>")
	for _, c := range claims {
		v, ok := m[c].(string)
		if !ok {
			t.Fatalf("claim %s = %v, want a string", c, m[c])
		}
		s = strings.Replace(s, `"`+c+`":"`+v+`"`, `"`+c+`":"<`+c+`>"`, 1)
	}
	return append([]byte(s), '\n')
}

func TestIssueClaimSets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sub := Subject{
		PoolID: e.pool, ClientID: testClient, Username: "jane", UserKey: "jane",
		Sub: "8f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
		Attributes: map[string]string{
			"email":                 "jane@example.com",
			"email_verified":        "true",
			"phone_number":          "+15555550100",
			"phone_number_verified": "false",
			"name":                  "Jane \"JJ\" <Doe> & Co ✓\n",
			"updated_at":            "1740000000",
			"custom:tier":           "5",
			"custom:vip":            "true",
			"sub":                   "ignored: Sub wins",
		},
		Groups: []string{"admins", "users"}, Roles: []string{roleA, roleB}, PreferredRole: roleA,
		DeviceKey: "us-east-1_0d6e5f4a-3b2c-4d1e-9f8a-7b6c5d4e3f2a",
		AuthTime:  t0.Add(-10 * time.Minute),
		OriginJTI: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
		EventID:   "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
	}
	e.storeUser(t, e.pool, sub.Username, sub.Sub, nil)
	out, err := e.svc.Issue(context.Background(), sub, Validity{ID: 2 * time.Hour, Access: 30 * time.Minute}, true)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "id_full.json", masked(t, out.IDToken, e.pool, "jti"))
	golden(t, "access_full.json", masked(t, out.AccessToken, e.pool, "jti"))
	if out.ExpiresIn != 1800 || out.OriginJTI != sub.OriginJTI || out.EventID != sub.EventID || !out.IssuedAt.Equal(t0.Truncate(time.Second)) {
		t.Errorf("Issued = %+v", out)
	}

	// A federated user through OAuth: identities, nonce, at_hash, version,
	// OAuth scopes, no groups, no device.
	fed := Subject{
		PoolID: e.pool, ClientID: testClient, Username: "google_1234567890", Sub: "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f",
		Attributes: map[string]string{"email": "fed@example.com", "email_verified": "false"},
		Identities: `[{"userId":"1234567890","providerName":"Google","providerType":"Google","issuer":null,"primary":"true","dateCreated":"1740000000000"}]`,
		Scopes:     []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"},
		Nonce:      "n-0S6_WzA2Mj", AtHash: true, Version: 2,
		OriginJTI: "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a", EventID: "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b",
	}
	e.storeUser(t, e.pool, fed.Username, fed.Sub, nil)
	out, err = e.svc.Issue(context.Background(), fed, Validity{}, false)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "id_federated.json", masked(t, out.IDToken, e.pool, "jti", "at_hash"))
	golden(t, "access_oauth.json", masked(t, out.AccessToken, e.pool, "jti"))
	if out.RefreshToken != "" {
		t.Error("Issue without refresh returned a refresh token")
	}
	sum := sha256.Sum256([]byte(out.AccessToken))
	if got, want := claimsOf(t, out.IDToken)["at_hash"], base64.RawURLEncoding.EncodeToString(sum[:16]); got != want {
		t.Errorf("at_hash = %v, want %v", got, want)
	}
}

func TestIssueHeaderAndIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sub := e.user(t, e.pool, "alice")
	out := e.issue(t, sub, true)
	ctx := context.Background()
	for _, c := range []struct {
		tok, use string
	}{{out.IDToken, keys.UseID}, {out.AccessToken, keys.UseAccess}} {
		kid, _, err := e.keys.Signer(ctx, e.pool, c.use)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := parts(t, c.tok)
		want, _ := json.Marshal(kid)
		if string(h) != `{"kid":`+string(want)+`,"alg":"RS256"}` {
			t.Errorf("%s header = %s", c.use, h)
		}
		m := claimsOf(t, c.tok)
		for _, name := range []string{"jti", "origin_jti", "event_id"} {
			if v, _ := m[name].(string); !isUUID(v) {
				t.Errorf("%s %s = %v, want a lowercase UUID", c.use, name, m[name])
			}
		}
		if m["origin_jti"] != out.OriginJTI || m["event_id"] != out.EventID {
			t.Errorf("%s family/event = %v/%v, want %s/%s", c.use, m["origin_jti"], m["event_id"], out.OriginJTI, out.EventID)
		}
		if m["auth_time"] != json.Number("1740830400") || m["iat"] != json.Number("1740830400") || m["exp"] != json.Number("1740834000") {
			t.Errorf("%s times = %v %v %v", c.use, m["auth_time"], m["iat"], m["exp"])
		}
	}
	if claimsOf(t, out.IDToken)["jti"] == claimsOf(t, out.AccessToken)["jti"] {
		t.Error("ID and access tokens share a jti")
	}
	idKid, _ := parts(t, out.IDToken)
	acKid, _ := parts(t, out.AccessToken)
	if bytes.Equal(idKid, acKid) {
		t.Error("ID and access tokens are signed with the same key")
	}
	// A second sign-in is a new family.
	again := e.issue(t, sub, true)
	if again.OriginJTI == out.OriginJTI || again.EventID == out.EventID {
		t.Error("a new sign-in reused the family or event id")
	}
}

func TestIssueAttributeTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sub := e.user(t, e.pool, "typed")
	sub.Attributes = map[string]string{
		"email_verified": "TRUE",  // Boolean
		"updated_at":     "12.5",  // Number (decimal)
		"birthdate":      "2000",  // String despite looking numeric
		"custom:count":   "42",    // custom: always a string
		"custom:flag":    "false", // custom: always a string
		"zoneinfo":       "Europe/Paris",
		"custom:when":    "2025-01-01T00:00:00Z",
		"locale":         "nope",  // Number in Types but not a number: a string
		"website":        "false", // Boolean in Types
	}
	sub.Types = map[string]string{
		"email_verified": "Boolean", "updated_at": "Number", "birthdate": "String",
		"custom:count": "Number", "custom:flag": "Boolean", "locale": "Number", "website": "Boolean",
		"custom:when": "DateTime",
	}
	m := claimsOf(t, e.issue(t, sub, false).IDToken)
	want := map[string]any{
		"email_verified": true, "updated_at": json.Number("12.5"), "birthdate": "2000",
		"custom:count": "42", "custom:flag": "false", "zoneinfo": "Europe/Paris",
		"custom:when": "2025-01-01T00:00:00Z", "locale": "nope", "website": false,
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}

	// Without Types: the standard booleans and updated_at by name.
	sub.Types = nil
	sub.Attributes = map[string]string{"phone_number_verified": "true", "updated_at": "1740000000", "custom:n": "1", "gender": "true"}
	m = claimsOf(t, e.issue(t, sub, false).IDToken)
	if m["phone_number_verified"] != true || m["updated_at"] != json.Number("1740000000") || m["custom:n"] != "1" || m["gender"] != "true" {
		t.Errorf("default typing: %v", m)
	}
}

func TestIssueOverrides(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sub := e.user(t, e.pool, "over")
	sub.Attributes["name"] = "Over"
	sub.Groups = []string{"g"}
	sub.IDOverride = Override{
		Add:      map[string]any{"name": "Overridden", "tenant": map[string]any{"id": 7}, "iss": "https://evil", "cognito:groups": []string{"x"}},
		Suppress: []string{"email", "sub", "aud"},
	}
	sub.AccessOverride = Override{
		Add:      map[string]any{"tier": "gold", "scope": "admin", "client_id": "x"},
		Suppress: []string{"username", "cognito:groups", "origin_jti"},
	}
	out := e.issue(t, sub, false)
	_, p := parts(t, out.IDToken)
	id := claimsOf(t, out.IDToken)
	if id["name"] != "Overridden" || id["email"] != nil || id["sub"] != sub.Sub || id["aud"] != testClient ||
		id["iss"] != issuerBase+e.pool || id["tenant"] == nil {
		t.Errorf("ID override: %s", p)
	}
	if g, _ := id["cognito:groups"].([]any); len(g) != 1 || g[0] != "g" {
		t.Errorf("ID override changed cognito:groups: %v", id["cognito:groups"])
	}
	// An overridden claim keeps its place; a new one goes last.
	if i, j := bytes.Index(p, []byte(`"name"`)), bytes.Index(p, []byte(`"iss"`)); i < 0 || i > j {
		t.Errorf("overridden name moved: %s", p)
	}
	if !bytes.HasSuffix(p, []byte(`"tenant":{"id":7}}`)) {
		t.Errorf("added claim not last: %s", p)
	}
	ac := claimsOf(t, out.AccessToken)
	if ac["tier"] != "gold" || ac["scope"] != AdminScope || ac["client_id"] != testClient || ac["username"] != "over" ||
		ac["cognito:groups"] == nil || ac["origin_jti"] != out.OriginJTI {
		t.Errorf("access override: %v", ac)
	}
	if _, err := e.svc.VerifyAccess(context.Background(), out.AccessToken); err != nil {
		t.Errorf("overridden access token does not verify: %v", err)
	}
	if _, _, err := e.svc.VerifyID(context.Background(), out.IDToken); err != nil {
		t.Errorf("overridden ID token does not verify: %v", err)
	}

	sub.IDOverride = Override{Add: map[string]any{"bad": func() {}}}
	if _, err := e.svc.Issue(context.Background(), sub, Validity{}, false); err == nil {
		t.Error("an unmarshalable claim was accepted")
	}
}

func TestIssueErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "err")
	for _, mut := range []func(*Subject){
		func(s *Subject) { s.PoolID = "" },
		func(s *Subject) { s.ClientID = "" },
		func(s *Subject) { s.Username = "" },
		func(s *Subject) { s.Sub = "" },
	} {
		s := sub
		mut(&s)
		if _, err := e.svc.Issue(ctx, s, Validity{}, true); err == nil {
			t.Errorf("Issue(%+v) succeeded", s)
		}
	}
	// A pool without keys: an internal error, nothing stored.
	s := sub
	s.PoolID = "us-east-1_NoKeys123"
	if _, err := e.svc.Issue(ctx, s, Validity{}, true); err == nil {
		t.Error("Issue for a pool without keys succeeded")
	}
	if _, err := e.svc.Reissue(ctx, sub, Validity{}); err == nil {
		t.Error("Reissue without a family succeeded")
	}
	if _, _, err := e.svc.IssueClientCredentials(ctx, e.pool, "", nil, 0); err == nil {
		t.Error("IssueClientCredentials without a client succeeded")
	}
}

func TestReissueKeepsFamily(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "bob")
	sub.DeviceKey = "us-east-1_6f5e4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f"
	sub.Scopes = []string{"openid", AdminScope}
	first := e.issue(t, sub, true)

	e.clock.Advance(45 * time.Minute)
	rec, next, err := e.svc.UseRefresh(ctx, first.RefreshToken, testClient, false, 0, 0)
	if err != nil || next != "" {
		t.Fatalf("UseRefresh = %q, %v", next, err)
	}
	if rec.UserKey != "bob" || rec.OriginJTI != first.OriginJTI || rec.DeviceKey != sub.DeviceKey ||
		!rec.AuthTime.Equal(t0.Truncate(time.Second)) || strings.Join(rec.Scopes, " ") != "openid "+AdminScope {
		t.Fatalf("record = %+v", rec)
	}
	re := sub
	re.OriginJTI, re.AuthTime, re.Scopes, re.DeviceKey = rec.OriginJTI, rec.AuthTime, rec.Scopes, rec.DeviceKey
	out, err := e.svc.Reissue(ctx, re, Validity{})
	if err != nil {
		t.Fatal(err)
	}
	if out.RefreshToken != "" || out.OriginJTI != first.OriginJTI || out.EventID == first.EventID {
		t.Errorf("Reissue = %+v", out)
	}
	m := claimsOf(t, out.AccessToken)
	if m["origin_jti"] != first.OriginJTI || m["auth_time"] != json.Number("1740830400") ||
		m["iat"] != json.Number("1740833100") || m["jti"] == claimsOf(t, first.AccessToken)["jti"] ||
		m["scope"] != "openid "+AdminScope || m["device_key"] != sub.DeviceKey {
		t.Errorf("reissued access claims = %v", m)
	}
	if claimsOf(t, out.IDToken)["auth_time"] != json.Number("1740830400") {
		t.Error("reissued ID token lost auth_time")
	}
}

func TestIssueClientCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	tok, exp, err := e.svc.IssueClientCredentials(ctx, e.pool, testClient, []string{"api/read", "api/write"}, 10*time.Minute)
	if err != nil || exp != 600 {
		t.Fatalf("IssueClientCredentials = %d, %v", exp, err)
	}
	golden(t, "access_client_credentials.json", masked(t, tok, e.pool, "jti"))
	c, err := e.svc.VerifyAccess(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sub != testClient || c.ClientID != testClient || c.Username != "" || len(c.Scopes) != 2 {
		t.Errorf("claims = %+v", c)
	}
	_, err = e.svc.Authorize(ctx, tok)
	wantNotAuthorized(t, err, "Access Token does not have required scopes")
}

func TestAppendString(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "plain", `q"uote`, `back\slash`, "ctl\x00\x01\x1f\x7f", "tab\tnl\nret\r", "<tag>&amp;", "é✓😀",
		"bad\xffutf8", "\u2028\u2029", strings.Repeat("x", 300),
	} {
		b := appendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("appendString(%q) = %s: %v", s, b, err)
			continue
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if got != want {
			t.Errorf("appendString(%q) round trip = %q", s, got)
		}
		if strings.ContainsAny(s, "<>&") && bytes.Contains(b, []byte(`\u003c`)) {
			t.Errorf("appendString escaped HTML: %s", b)
		}
	}
}
