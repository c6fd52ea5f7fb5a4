package token

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cogito-dev/cogito/internal/keys"
)

// verifyLikeAWSJWTVerify checks a token as aws-jwt-verify's
// CognitoJwtVerifier does, with go-jose against the pool's JWKS: kid present
// in the JWKS, alg RS256 and equal to the JWK's, use "sig", iss exact,
// token_use, aud (ID) or client_id (access), exp in the future, and the
// claim types it checks.
func verifyLikeAWSJWTVerify(t *testing.T, e *env, tok, poolID, tokenUse, clientID string) map[string]any {
	t.Helper()
	raw, err := e.keys.JWKS(context.Background(), poolID)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	sig, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("ParseSigned: %v", err)
	}
	if len(sig.Signatures) != 1 {
		t.Fatalf("%d signatures", len(sig.Signatures))
	}
	h := sig.Signatures[0].Protected
	found := set.Key(h.KeyID)
	if len(found) != 1 {
		t.Fatalf("kid %q: %d keys in the JWKS", h.KeyID, len(found))
	}
	jwk := found[0]
	if h.Algorithm != "RS256" || jwk.Algorithm != "RS256" || jwk.Use != "sig" {
		t.Fatalf("alg %s, JWK alg %s use %s", h.Algorithm, jwk.Algorithm, jwk.Use)
	}
	payload, err := sig.Verify(jwk.Key)
	if err != nil {
		t.Fatalf("signature: %v", err)
	}
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	if c["iss"] != issuerBase+poolID || c["token_use"] != tokenUse {
		t.Fatalf("iss %v token_use %v", c["iss"], c["token_use"])
	}
	for _, name := range []string{"exp", "iat", "auth_time"} {
		if _, ok := c[name].(float64); !ok {
			t.Fatalf("%s = %#v, want a number", name, c[name])
		}
	}
	for _, name := range []string{"iss", "sub", "jti"} {
		if _, ok := c[name].(string); !ok {
			t.Fatalf("%s = %#v, want a string", name, c[name])
		}
	}
	if exp := c["exp"].(float64); float64(e.clock.Now().Unix()) >= exp {
		t.Fatalf("expired: exp %v", exp)
	}
	switch tokenUse {
	case "id":
		if c["aud"] != clientID {
			t.Fatalf("aud = %v", c["aud"])
		}
	case "access":
		if c["client_id"] != clientID || c["aud"] != nil {
			t.Fatalf("client_id = %v, aud = %v", c["client_id"], c["aud"])
		}
		if _, ok := c["scope"].(string); !ok {
			t.Fatalf("scope = %#v", c["scope"])
		}
	}
	return c
}

func TestTokensVerifyAgainstJWKS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sub := e.user(t, e.pool, "carol")
	sub.Groups = []string{"admins"}
	out := e.issue(t, sub, true)
	verifyLikeAWSJWTVerify(t, e, out.IDToken, e.pool, "id", testClient)
	verifyLikeAWSJWTVerify(t, e, out.AccessToken, e.pool, "access", testClient)

	// The JWKS of another pool does not have the keys.
	raw, _ := e.keys.JWKS(context.Background(), e.otherPool(t))
	var set jose.JSONWebKeySet
	_ = json.Unmarshal(raw, &set)
	h, _ := parts(t, out.IDToken)
	var hdr struct{ Kid string }
	_ = json.Unmarshal(h, &hdr)
	if len(set.Key(hdr.Kid)) != 0 {
		t.Error("another pool's JWKS has this pool's key")
	}
}

func TestKeyRotationKeepsIssuedTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "dave")
	before := e.issue(t, sub, true)
	for _, use := range []string{keys.UseID, keys.UseAccess} {
		if err := e.keys.Rotate(ctx, e.pool, use); err != nil {
			t.Fatal(err)
		}
	}
	after := e.issue(t, sub, true)
	hb, _ := parts(t, before.AccessToken)
	ha, _ := parts(t, after.AccessToken)
	if string(hb) == string(ha) {
		t.Fatal("tokens after rotation use the old key")
	}
	for _, out := range []*Issued{before, after} {
		if _, err := e.svc.VerifyAccess(ctx, out.AccessToken); err != nil {
			t.Errorf("VerifyAccess after rotation: %v", err)
		}
		if _, _, err := e.svc.VerifyID(ctx, out.IDToken); err != nil {
			t.Errorf("VerifyID after rotation: %v", err)
		}
		verifyLikeAWSJWTVerify(t, e, out.IDToken, e.pool, "id", testClient)
		verifyLikeAWSJWTVerify(t, e, out.AccessToken, e.pool, "access", testClient)
	}
	// A replica that never saw the rotation (fresh key cache) verifies both too.
	replica := New(Config{
		Keys: keys.New(e.store, e.sealer, e.clock, nil), Sealer: e.sealer, Store: e.tokens, Clock: e.clock,
		Issuer: func(p string) string { return issuerBase + p },
	})
	for _, out := range []*Issued{before, after} {
		if _, err := replica.VerifyAccess(ctx, out.AccessToken); err != nil {
			t.Errorf("replica VerifyAccess: %v", err)
		}
	}
	// Once the retired keys are pruned, tokens they signed no longer verify.
	e.clock.Advance(time.Second)
	if _, err := e.keys.PruneRetired(ctx, e.pool, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.VerifyAccess(ctx, before.AccessToken)
	wantNotAuthorized(t, err, "Invalid Access Token")
	if _, err := e.svc.VerifyAccess(ctx, after.AccessToken); err != nil {
		t.Errorf("VerifyAccess of a token of the active key: %v", err)
	}
}

func TestVerifyAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "erin")
	sub.Groups = []string{"a", "b"}
	sub.DeviceKey = "us-east-1_1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	out := e.issue(t, sub, true)

	c, err := e.svc.VerifyAccess(ctx, out.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	m := claimsOf(t, out.AccessToken)
	want := AccessClaims{
		PoolID: e.pool, ClientID: testClient, Username: "erin", Sub: sub.Sub, OriginJTI: out.OriginJTI,
		JTI: m["jti"].(string), DeviceKey: sub.DeviceKey, Scopes: []string{AdminScope}, Groups: []string{"a", "b"},
		AuthTime: t0.Truncate(time.Second), IssuedAt: t0.Truncate(time.Second), ExpiresAt: t0.Truncate(time.Second).Add(time.Hour),
		EventID: out.EventID,
	}
	if !equalAccess(c, &want) {
		t.Errorf("claims = %+v\nwant %+v", c, want)
	}
	if _, err := e.svc.Authorize(ctx, out.AccessToken); err != nil {
		t.Errorf("Authorize: %v", err)
	}

	// Expiry: valid until the second before exp.
	e.clock.Set(t0.Truncate(time.Second).Add(time.Hour - time.Millisecond))
	if _, err := e.svc.VerifyAccess(ctx, out.AccessToken); err != nil {
		t.Errorf("just before exp: %v", err)
	}
	e.clock.Set(t0.Truncate(time.Second).Add(time.Hour))
	_, err = e.svc.VerifyAccess(ctx, out.AccessToken)
	wantNotAuthorized(t, err, "Access Token has expired")
	_, err = e.svc.Authorize(ctx, out.AccessToken)
	wantNotAuthorized(t, err, "Access Token has expired")
	e.clock.Set(t0)
}

func equalAccess(a, b *AccessClaims) bool {
	return a.PoolID == b.PoolID && a.ClientID == b.ClientID && a.Username == b.Username && a.Sub == b.Sub &&
		a.OriginJTI == b.OriginJTI && a.JTI == b.JTI && a.DeviceKey == b.DeviceKey && slices.Equal(a.Scopes, b.Scopes) &&
		slices.Equal(a.Groups, b.Groups) && a.AuthTime.Equal(b.AuthTime) && a.IssuedAt.Equal(b.IssuedAt) &&
		a.ExpiresAt.Equal(b.ExpiresAt) && a.EventID == b.EventID
}

func TestVerifyAccessRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "frank")
	out := e.issue(t, sub, false)
	otherSub := e.user(t, e.otherPool(t), "frank")
	foreign := e.issue(t, otherSub, false)
	p := strings.Split(out.AccessToken, ".")
	_, payload := parts(t, out.AccessToken)

	swap := func(old, new string) []byte { return []byte(strings.Replace(string(payload), old, new, 1)) }
	enc := base64.RawURLEncoding.EncodeToString

	cases := map[string]string{
		"empty":              "",
		"garbage":            "not-a-token",
		"two parts":          p[0] + "." + p[1],
		"four parts":         out.AccessToken + ".x",
		"bad base64 header":  "!!." + p[1] + "." + p[2],
		"bad base64 payload": p[0] + ".!!." + p[2],
		"bad base64 sig":     p[0] + "." + p[1] + ".!!",
		"payload not json":   p[0] + "." + enc([]byte("nope")) + "." + p[2],
		"tampered payload":   p[0] + "." + enc(swap(`"username":"frank"`, `"username":"admin"`)) + "." + p[2],
		"tampered signature": p[0] + "." + p[1] + "." + enc(append(must(base64.RawURLEncoding.DecodeString(p[2]))[1:], 0)),
		"no signature":       p[0] + "." + p[1] + ".",
		"alg none":           enc([]byte(`{"kid":"x","alg":"none"}`)) + "." + p[1] + ".",
		"alg HS256":          enc([]byte(`{"kid":"x","alg":"HS256"}`)) + "." + p[1] + "." + p[2],
		"no kid":             enc([]byte(`{"alg":"RS256"}`)) + "." + p[1] + "." + p[2],
		"unknown kid":        enc([]byte(`{"kid":"AAAA","alg":"RS256"}`)) + "." + p[1] + "." + p[2],
		"crit header":        enc([]byte(`{"kid":"x","alg":"RS256","crit":["exp"]}`)) + "." + p[1] + "." + p[2],
		"ID token":           out.IDToken,
		// Signed by the other pool's key but naming this pool: the key is
		// not this pool's.
		"foreign key": e.resign(t, e.otherPool(t), keys.UseAccess, payload),
		// The access claims as an ID token of this pool.
		"access claims with use id": e.resign(t, e.pool, keys.UseID, swap(`"token_use":"access"`, `"token_use":"id"`)),
		"issuer of another server":  e.resign(t, e.pool, keys.UseAccess, swap(issuerBase, "https://cognito-idp.eu-west-1.amazonaws.com/")),
		"issuer with a bad pool id": e.resign(t, e.pool, keys.UseAccess, swap(e.pool, "../"+e.pool)),
		"issuer of an unknown pool": e.resign(t, e.pool, keys.UseAccess, swap(e.pool, "us-east-1_Unknown99")),
		"exp not a number":          e.resign(t, e.pool, keys.UseAccess, swap(`"exp":1740834000`, `"exp":"1740834000"`)),
		"too long":                  strings.Repeat("a", maxTokenLen+1),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.VerifyAccess(ctx, tok)
			wantNotAuthorized(t, err, "Invalid Access Token")
			_, err = e.svc.Authorize(ctx, tok)
			wantNotAuthorized(t, err, "Invalid Access Token")
		})
	}

	// A token of another pool verifies as that pool's: callers compare pools.
	c, err := e.svc.VerifyAccess(ctx, foreign.AccessToken)
	if err != nil || c.PoolID != e.other {
		t.Errorf("other pool's token: %+v, %v", c, err)
	}
	// Expired and tampered: the signature is checked first.
	e.clock.Advance(2 * time.Hour)
	_, err = e.svc.VerifyAccess(ctx, cases["tampered payload"])
	wantNotAuthorized(t, err, "Invalid Access Token")
}

func TestAuthorizeScopes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "gina")
	sub.Scopes = []string{"openid", "email"}
	out := e.issue(t, sub, true)
	c, err := e.svc.VerifyAccess(ctx, out.AccessToken)
	if err != nil || c.HasScope(AdminScope) || !c.HasScope("email") {
		t.Fatalf("VerifyAccess = %+v, %v", c, err)
	}
	_, err = e.svc.Authorize(ctx, out.AccessToken)
	wantNotAuthorized(t, err, "Access Token does not have required scopes")

	sub.Scopes = []string{"openid", AdminScope}
	if _, err := e.svc.Authorize(ctx, e.issue(t, sub, false).AccessToken); err != nil {
		t.Errorf("Authorize with the admin scope: %v", err)
	}
	// A revoked token is refused for revocation before scopes.
	if err := e.svc.RevokeRefresh(ctx, out.RefreshToken, testClient); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Authorize(ctx, out.AccessToken)
	wantNotAuthorized(t, err, "Access Token has been revoked")
}

func TestVerifyID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "hank")
	sub.Groups, sub.Roles, sub.PreferredRole = []string{"admins"}, []string{roleA}, roleA
	sub.Nonce = "abc"
	out := e.issue(t, sub, true)

	c, all, err := e.svc.VerifyID(ctx, out.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if c.PoolID != e.pool || c.Issuer != issuerBase+e.pool || c.ClientID != testClient || c.Username != "hank" ||
		c.Sub != sub.Sub || c.OriginJTI != out.OriginJTI || c.EventID != out.EventID || c.Nonce != "abc" ||
		!slices.Equal(c.Groups, sub.Groups) || !slices.Equal(c.Roles, sub.Roles) || c.PreferredRole != roleA ||
		!c.ExpiresAt.Equal(t0.Truncate(time.Second).Add(time.Hour)) || !isUUID(c.JTI) {
		t.Errorf("IDClaims = %+v", c)
	}
	if all["email"] != "hank@example.com" || all["email_verified"] != true || all["exp"] != json.Number("1740834000") {
		t.Errorf("claims map = %v", all)
	}

	if _, _, err := e.svc.VerifyID(ctx, out.AccessToken); !errors.Is(err, ErrInvalid) {
		t.Errorf("VerifyID(access token) = %v, want ErrInvalid", err)
	}
	if _, _, err := e.svc.VerifyID(ctx, "x.y.z"); !errors.Is(err, ErrInvalid) {
		t.Errorf("VerifyID(garbage) = %v, want ErrInvalid", err)
	}
	// Revocation does not touch ID tokens here; FamilyRevoked tells.
	if err := e.svc.RevokeRefresh(ctx, out.RefreshToken, testClient); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.VerifyID(ctx, out.IDToken); err != nil {
		t.Errorf("VerifyID after revocation: %v", err)
	}
	if revoked, err := e.svc.FamilyRevoked(ctx, e.pool, out.OriginJTI); err != nil || !revoked {
		t.Errorf("FamilyRevoked = %v, %v", revoked, err)
	}

	e.clock.Advance(time.Hour)
	_, _, err = e.svc.VerifyID(ctx, out.IDToken)
	var exp *ExpiredError
	if !errors.As(err, &exp) || !errors.Is(err, ErrExpired) || !exp.ExpiresAt.Equal(c.ExpiresAt) || !exp.Now.Equal(e.clock.Now()) {
		t.Errorf("expired VerifyID = %v", err)
	}
	_, err = e.svc.VerifyAccess(ctx, out.IDToken)
	wantNotAuthorized(t, err, "Invalid Access Token") // the use is checked before the expiry
}

func TestValidPoolID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]bool{
		"us-east-1_AbCdEfGhI": true, "local_abc": true, "a_b": true, "x_y_z": true,
		"": false, "_abc": false, "abc_": false, "abc": false, "us-east-1_Ab-c": false, "../x_y": false,
		"us-east-1_" + strings.Repeat("a", 50): false,
	} {
		if got := validPoolID(id); got != want {
			t.Errorf("validPoolID(%q) = %v, want %v", id, got, want)
		}
	}
}
