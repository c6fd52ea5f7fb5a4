package token

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
)

var tokenCharset = regexp.MustCompile(`^[A-Za-z0-9\-_=.]+$`)

func TestRefreshTokenShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out := e.issue(t, e.user(t, e.pool, "ivy"), true)
	tok := out.RefreshToken
	if !tokenCharset.MatchString(tok) {
		t.Fatalf("refresh token has characters outside [A-Za-z0-9-_=.]: %s", tok)
	}
	p := strings.Split(tok, ".")
	if len(p) != 5 {
		t.Fatalf("refresh token has %d parts, want 5", len(p))
	}
	h, err := base64.RawURLEncoding.DecodeString(p[0])
	if err != nil || string(h) != `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}` {
		t.Errorf("header = %s, %v", h, err)
	}
	if len(p[1]) != 342 || len(p[2]) != 16 || len(p[4]) != 22 {
		t.Errorf("part lengths %d %d %d %d, want 342, 16, -, 22", len(p[1]), len(p[2]), len(p[3]), len(p[4]))
	}
	// It is a well-formed JWE to a JOSE library.
	if _, err := jose.ParseEncryptedCompact(tok, []jose.KeyAlgorithm{jose.RSA_OAEP}, []jose.ContentEncryption{jose.A256GCM}); err != nil {
		t.Errorf("go-jose does not parse the refresh token as a JWE: %v", err)
	}
	// Each token is different, even for the same family.
	if again := e.issue(t, e.user(t, e.pool, "ivy2"), true); again.RefreshToken == tok {
		t.Error("two refresh tokens are equal")
	}

	// Stored: the record says who and what.
	id, ok := e.svc.openRefresh(tok)
	if !ok {
		t.Fatal("openRefresh refused our token")
	}
	rec, err := e.tokens.GetRefreshToken(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.PoolID != e.pool || rec.ClientID != testClient || rec.UserKey != "ivy" || rec.OriginJTI != out.OriginJTI ||
		!rec.CreatedAt.Equal(t0) || !rec.ExpiresAt.Equal(t0.Add(30*24*time.Hour)) || rec.RevokedAt != nil || rec.RotatedAt != nil ||
		len(rec.Scopes) != 1 || rec.Scopes[0] != AdminScope {
		t.Errorf("record = %+v", rec)
	}
}

func TestUseRefreshRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	out := e.issue(t, e.user(t, e.pool, "jack"), true)
	tok := out.RefreshToken
	p := strings.Split(tok, ".")
	flip := func(s string) string {
		b := []byte(s)
		if b[5] == 'A' {
			b[5] = 'B'
		} else {
			b[5] = 'A'
		}
		return string(b)
	}
	otherMaster, _ := keys.NewSealer([]byte(strings.Repeat("k", keys.MasterKeySize)))
	foreign := e.newService(otherMaster).sealRefresh("anything")
	unknown := e.svc.sealRefresh("00000000-0000-4000-8000-000000000000")

	for name, bad := range map[string]string{
		"empty":                "",
		"garbage":              "garbage",
		"bad characters":       tok + "!",
		"space":                " " + tok,
		"an access token":      out.AccessToken,
		"an ID token":          out.IDToken,
		"four parts":           strings.Join(p[:4], "."),
		"six parts":            tok + ".x",
		"other header":         base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"dir"}`)) + tok[len(p[0]):],
		"tampered ciphertext":  strings.Join([]string{p[0], p[1], p[2], flip(p[3]), p[4]}, "."),
		"tampered tag":         strings.Join([]string{p[0], p[1], p[2], p[3], flip(p[4])}, "."),
		"tampered iv":          strings.Join([]string{p[0], p[1], flip(p[2]), p[3], p[4]}, "."),
		"tampered key part":    strings.Join([]string{p[0], flip(p[1]), p[2], p[3], p[4]}, "."),
		"short iv":             strings.Join([]string{p[0], p[1], p[2][:8], p[3], p[4]}, "."),
		"padded":               tok + "==",
		"other master key":     foreign,
		"unknown record":       unknown,
		"too long":             p[0] + "." + strings.Repeat("A", maxRefreshTokenLen) + "." + strings.Join(p[2:], "."),
		"bad base64 in key":    strings.Join([]string{p[0], "!", p[2], p[3], p[4]}, "."),
		"bad base64 in cipher": strings.Join([]string{p[0], p[1], p[2], "=", p[4]}, "."),
	} {
		t.Run(name, func(t *testing.T) {
			rec, next, err := e.svc.UseRefresh(ctx, bad, testClient, false, 0, 0)
			wantNotAuthorized(t, err, "Invalid Refresh Token.")
			if rec != nil || next != "" {
				t.Error("a refused token returned something")
			}
		})
	}

	_, _, err := e.svc.UseRefresh(ctx, tok, otherClient, false, 0, 0)
	wantNotAuthorized(t, err, "Refresh Token has different Client.")
	_, _, err = e.svc.UseRefresh(ctx, tok, otherClient, true, time.Minute, 0)
	wantNotAuthorized(t, err, "Refresh Token has different Client.")

	// Valid until its expiry.
	e.clock.Set(t0.Add(30*24*time.Hour - time.Second))
	if _, _, err := e.svc.UseRefresh(ctx, tok, testClient, false, 0, 0); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}
	e.clock.Set(t0.Add(30 * 24 * time.Hour))
	_, _, err = e.svc.UseRefresh(ctx, tok, testClient, false, 0, 0)
	wantNotAuthorized(t, err, "Refresh Token has expired")
	_, _, err = e.svc.UseRefresh(ctx, tok, testClient, true, time.Minute, 0)
	wantNotAuthorized(t, err, "Refresh Token has expired")

	// A custom validity.
	e.clock.Set(t0)
	short, err := e.svc.Issue(ctx, e.user(t, e.pool, "kim"), Validity{Refresh: time.Hour}, true)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	_, _, err = e.svc.UseRefresh(ctx, short.RefreshToken, testClient, false, 0, 0)
	wantNotAuthorized(t, err, "Refresh Token has expired")
}

// A second replica (another Service over the same store and master key)
// accepts the first one's refresh tokens.
func TestRefreshAcrossReplicas(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out := e.issue(t, e.user(t, e.pool, "lee"), true)
	sealer, _ := keys.NewSealer(make([]byte, keys.MasterKeySize))
	if _, _, err := e.newService(sealer).UseRefresh(context.Background(), out.RefreshToken, testClient, false, 0, 0); err != nil {
		t.Fatal(err)
	}
}

func TestRefreshRotation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	out := e.issue(t, e.user(t, e.pool, "mia"), true)
	const grace = 30 * time.Second
	validity := 2 * time.Hour

	// Rotate: a new refresh token of the same family, valid for the
	// client's validity from now; the old one is marked rotated.
	e.clock.Advance(10 * time.Minute)
	rotatedAt := e.clock.Now()
	rec, next, err := e.svc.UseRefresh(ctx, out.RefreshToken, testClient, true, grace, validity)
	if err != nil {
		t.Fatal(err)
	}
	if next == "" || next == out.RefreshToken || rec.OriginJTI != out.OriginJTI || rec.RotatedAt == nil || !rec.RotatedAt.Equal(rotatedAt) {
		t.Fatalf("rotation = %q, %+v", next, rec)
	}
	id, _ := e.svc.openRefresh(next)
	nrec, err := e.tokens.GetRefreshToken(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if nrec.OriginJTI != out.OriginJTI || nrec.UserKey != "mia" || !nrec.CreatedAt.Equal(rotatedAt) ||
		!nrec.ExpiresAt.Equal(rotatedAt.Add(validity)) || !nrec.AuthTime.Equal(t0.Truncate(time.Second)) || nrec.RotatedAt != nil {
		t.Errorf("new record = %+v", nrec)
	}

	// Within the grace period the old token still works (a client retry)
	// and yields another new token.
	e.clock.Advance(grace - time.Second)
	_, retry, err := e.svc.UseRefresh(ctx, out.RefreshToken, testClient, true, grace, validity)
	if err != nil || retry == "" || retry == next {
		t.Fatalf("retry within grace = %q, %v", retry, err)
	}
	// Without rotation (the client turned it off), also only within grace.
	if _, n, err := e.svc.UseRefresh(ctx, out.RefreshToken, testClient, false, grace, 0); err != nil || n != "" {
		t.Fatalf("non-rotating use within grace = %q, %v", n, err)
	}
	// The new token works and rotates in turn.
	_, next2, err := e.svc.UseRefresh(ctx, next, testClient, true, grace, validity)
	if err != nil || next2 == "" {
		t.Fatalf("rotating the new token: %q, %v", next2, err)
	}

	// After the grace period: reuse, and the whole family is revoked.
	e.clock.Set(rotatedAt.Add(grace))
	_, _, err = e.svc.UseRefresh(ctx, out.RefreshToken, testClient, true, grace, validity)
	wantErr(t, err, cognitoidp.CodeRefreshTokenReuseException, "Refresh Token has been reused")
	for _, tok := range []string{next2, retry} {
		_, _, err = e.svc.UseRefresh(ctx, tok, testClient, true, grace, validity)
		wantNotAuthorized(t, err, "Refresh Token has been revoked")
	}
	_, err = e.svc.VerifyAccess(ctx, out.AccessToken)
	wantNotAuthorized(t, err, "Access Token has been revoked")
	// Once revoked, the old token says so.
	_, _, err = e.svc.UseRefresh(ctx, out.RefreshToken, testClient, true, grace, validity)
	wantNotAuthorized(t, err, "Refresh Token has been revoked")
}

func TestRefreshRotationNoGrace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	out := e.issue(t, e.user(t, e.pool, "ned"), true)
	_, next, err := e.svc.UseRefresh(ctx, out.RefreshToken, testClient, true, 0, 0)
	if err != nil || next == "" {
		t.Fatalf("rotation: %q, %v", next, err)
	}
	id, _ := e.svc.openRefresh(next)
	if rec, _ := e.tokens.GetRefreshToken(ctx, id); !rec.ExpiresAt.Equal(t0.Add(DefaultRefreshValidity)) {
		t.Errorf("default validity: %+v", rec)
	}
	// Grace 0: the old token is invalid at once, even without rotation.
	_, _, err = e.svc.UseRefresh(ctx, out.RefreshToken, testClient, false, 0, 0)
	wantErr(t, err, cognitoidp.CodeRefreshTokenReuseException, "Refresh Token has been reused")
	_, _, err = e.svc.UseRefresh(ctx, next, testClient, true, 0, 0)
	wantNotAuthorized(t, err, "Refresh Token has been revoked")
}

// Concurrent rotations of one token within grace all succeed, each with its
// own new token, and the record is rotated once.
func TestRefreshRotationConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	out := e.issue(t, e.user(t, e.pool, "olga"), true)
	const n = 8
	results := make(chan string, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			_, next, err := e.svc.UseRefresh(ctx, out.RefreshToken, testClient, true, time.Minute, 0)
			results <- next
			errs <- err
		}()
	}
	seen := map[string]bool{}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
		seen[<-results] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct new tokens, want %d", len(seen), n)
	}
	id, _ := e.svc.openRefresh(out.RefreshToken)
	rec, _ := e.tokens.GetRefreshToken(ctx, id)
	if rec.RotatedAt == nil || !rec.RotatedAt.Equal(t0) {
		t.Errorf("record = %+v", rec)
	}
}

func TestRevokeRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "pat")
	a := e.issue(t, sub, true) // the session to revoke
	b := e.issue(t, sub, true) // another session of the same user

	// Tokens reissued from the family before the revocation.
	e.clock.Advance(time.Minute)
	rec, _, err := e.svc.UseRefresh(ctx, a.RefreshToken, testClient, false, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	re := sub
	re.OriginJTI, re.AuthTime = rec.OriginJTI, rec.AuthTime
	reissued, err := e.svc.Reissue(ctx, re, Validity{})
	if err != nil {
		t.Fatal(err)
	}

	err = e.svc.RevokeRefresh(ctx, a.RefreshToken, otherClient)
	wantErr(t, err, cognitoidp.CodeUnauthorizedException, "Refresh Token has different Client.")
	if _, err := e.svc.VerifyAccess(ctx, a.AccessToken); err != nil {
		t.Fatalf("a refused revocation revoked: %v", err)
	}

	if err := e.svc.RevokeRefresh(ctx, a.RefreshToken, testClient); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{a.AccessToken, reissued.AccessToken} {
		_, err = e.svc.VerifyAccess(ctx, tok)
		wantNotAuthorized(t, err, "Access Token has been revoked")
	}
	_, _, err = e.svc.UseRefresh(ctx, a.RefreshToken, testClient, false, 0, 0)
	wantNotAuthorized(t, err, "Refresh Token has been revoked")
	_, _, err = e.svc.UseRefresh(ctx, a.RefreshToken, testClient, true, time.Minute, 0)
	wantNotAuthorized(t, err, "Refresh Token has been revoked")

	// The user's other session is untouched.
	if _, err := e.svc.Authorize(ctx, b.AccessToken); err != nil {
		t.Errorf("other session's access token: %v", err)
	}
	if _, _, err := e.svc.UseRefresh(ctx, b.RefreshToken, testClient, false, 0, 0); err != nil {
		t.Errorf("other session's refresh token: %v", err)
	}

	// Revoking again, or a token we no longer know, succeeds.
	if err := e.svc.RevokeRefresh(ctx, a.RefreshToken, testClient); err != nil {
		t.Errorf("second revocation: %v", err)
	}
	if err := e.svc.RevokeRefresh(ctx, e.svc.sealRefresh("00000000-0000-4000-8000-000000000000"), testClient); err != nil {
		t.Errorf("revoking an unknown token: %v", err)
	}
	for _, bad := range []string{"", "garbage", a.AccessToken, a.IDToken, a.RefreshToken + "x"} {
		err := e.svc.RevokeRefresh(ctx, bad, testClient)
		wantErr(t, err, cognitoidp.CodeUnsupportedTokenTypeException, "Unsupported token type")
	}

	// The revocation record outlives the refresh token by a day, so the
	// family's last access tokens stay refused until they expire.
	revoked, _ := e.tokens.FamilyRevoked(ctx, e.pool, a.OriginJTI)
	if !revoked {
		t.Fatal("family not recorded as revoked")
	}
	if _, err := e.tokens.DeleteExpiredTokens(ctx, t0.Add(DefaultRefreshValidity+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if revoked, _ := e.tokens.FamilyRevoked(ctx, e.pool, a.OriginJTI); !revoked {
		t.Error("the revocation record went with the refresh token")
	}
	if _, err := e.tokens.DeleteExpiredTokens(ctx, t0.Add(DefaultRefreshValidity+familyRecordSlack+2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if revoked, _ := e.tokens.FamilyRevoked(ctx, e.pool, a.OriginJTI); revoked {
		t.Error("the revocation record was never collected")
	}
}

func TestRevokeUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sub := e.user(t, e.pool, "quinn")
	other := e.user(t, e.pool, "rita")
	s1, s2 := e.issue(t, sub, true), e.issue(t, sub, true)
	implicit := e.issue(t, sub, false) // a family without a refresh token
	keep := e.issue(t, other, true)
	elsewhere := e.issue(t, e.user(t, e.otherPool(t), "quinn"), true) // same username, other pool

	e.clock.Advance(time.Minute)
	if err := e.svc.RevokeUser(ctx, e.pool, "quinn"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Issued{s1, s2} {
		_, err := e.svc.Authorize(ctx, s.AccessToken)
		wantNotAuthorized(t, err, "Access Token has been revoked")
		_, _, err = e.svc.UseRefresh(ctx, s.RefreshToken, testClient, false, 0, 0)
		wantNotAuthorized(t, err, "Refresh Token has been revoked")
	}
	_, err := e.svc.Authorize(ctx, implicit.AccessToken)
	wantNotAuthorized(t, err, "Access Token has been revoked")
	for _, s := range []*Issued{keep, elsewhere} {
		if _, err := e.svc.Authorize(ctx, s.AccessToken); err != nil {
			t.Errorf("untouched session: %v", err)
		}
		if _, _, err := e.svc.UseRefresh(ctx, s.RefreshToken, testClient, false, 0, 0); err != nil {
			t.Errorf("untouched session's refresh token: %v", err)
		}
	}
	// A sign-in after the sign-out works.
	again := e.issue(t, sub, true)
	if _, err := e.svc.Authorize(ctx, again.AccessToken); err != nil {
		t.Errorf("new session after sign-out: %v", err)
	}
	// A user without sessions: nothing to do.
	if err := e.svc.RevokeUser(ctx, e.pool, "nobody"); err != nil {
		t.Error(err)
	}
}

func TestIssuedRedacts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out := e.issue(t, e.user(t, e.pool, "sam"), true)
	b, _ := json.Marshal(out.LogValue().Any())
	for _, s := range []string{out.String(), string(b)} {
		if strings.Contains(s, out.AccessToken[:20]) || strings.Contains(s, out.RefreshToken[:90]) {
			t.Errorf("Issued shows a token: %s", s)
		}
	}
}
