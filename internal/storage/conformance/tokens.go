package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

func newToken(poolID, userKey, id, family string, created, expires time.Time) *storage.RefreshToken {
	return &storage.RefreshToken{
		ID:        id,
		PoolID:    poolID,
		ClientID:  "client-" + poolID,
		UserKey:   userKey,
		OriginJTI: family,
		DeviceKey: "us-east-1_device-" + id,
		Scopes:    []string{"openid", "aws.cognito.signin.user.admin"},
		AuthTime:  created.Add(-time.Second),
		CreatedAt: created,
		ExpiresAt: expires,
	}
}

// storedToken is t as the store returns it.
func storedToken(t *storage.RefreshToken) *storage.RefreshToken {
	n := *t
	n.Scopes = slices.Clone(t.Scopes)
	n.AuthTime, n.CreatedAt, n.ExpiresAt = ms(t.AuthTime), ms(t.CreatedAt), ms(t.ExpiresAt)
	if t.RevokedAt != nil {
		n.RevokedAt = msp(*t.RevokedAt)
	}
	if t.RotatedAt != nil {
		n.RotatedAt = msp(*t.RotatedAt)
	}
	return &n
}

func mustCreateToken(t *testing.T, s storage.Store, tok *storage.RefreshToken) *storage.RefreshToken {
	t.Helper()
	if err := s.CreateRefreshToken(t.Context(), tok); err != nil {
		t.Fatalf("CreateRefreshToken(%s): %v", tok.ID, err)
	}
	return tok
}

func mustGetToken(t *testing.T, s storage.Store, id string) *storage.RefreshToken {
	t.Helper()
	tok, err := s.GetRefreshToken(t.Context(), id)
	if err != nil {
		t.Fatalf("GetRefreshToken(%s): %v", id, err)
	}
	return tok
}

func familyRevoked(t *testing.T, s storage.Store, poolID, family string) bool {
	t.Helper()
	revoked, err := s.FamilyRevoked(t.Context(), poolID, family)
	if err != nil {
		t.Fatalf("FamilyRevoked(%s, %s): %v", poolID, family, err)
	}
	return revoked
}

func wantRevoked(t *testing.T, s storage.Store, id string, when *time.Time) {
	t.Helper()
	got := mustGetToken(t, s, id).RevokedAt
	switch {
	case when == nil && got != nil:
		t.Fatalf("token %s revoked at %v; want it live", id, got)
	case when != nil && got == nil:
		t.Fatalf("token %s not revoked; want it revoked at %v", id, ms(*when))
	case when != nil && !got.Equal(ms(*when)):
		t.Fatalf("token %s revoked at %v; want %v", id, got, ms(*when))
	}
}

func testTokenCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_tokens")
	q := mustCreatePool(t, s, "us-east-1_tokens2")
	mustCreateUser(t, s, newUser(p.ID, "tom"))
	mustCreateUser(t, s, newUser(q.ID, "tom"))

	tok := newToken(p.ID, "tom", "rt-1", "family-1", at(10), at(10+3600))
	mustCreateToken(t, s, tok)
	if tok.Version != 1 {
		t.Fatalf("CreateRefreshToken set Version %d, want 1", tok.Version)
	}
	want := storedToken(tok)
	diff(t, "GetRefreshToken", want, mustGetToken(t, s, "rt-1"))
	diff(t, "CreateRefreshToken normalises in place", want, tok)

	bare := newToken(q.ID, "tom", "rt-2", "family-2", at(10), at(20))
	bare.Scopes, bare.DeviceKey = nil, ""
	rot := at(15)
	bare.RotatedAt = &rot
	mustCreateToken(t, s, bare)
	got := mustGetToken(t, s, "rt-2")
	diff(t, "token without scopes or device", storedToken(bare), got)
	if got.Scopes != nil {
		t.Errorf("Scopes = %#v, want nil", got.Scopes)
	}

	wantErr(t, "CreateRefreshToken duplicate id",
		s.CreateRefreshToken(ctx, newToken(q.ID, "tom", "rt-1", "family-x", at(10), at(20))), storage.ErrAlreadyExists)
	wantErr(t, "CreateRefreshToken for a missing user",
		s.CreateRefreshToken(ctx, newToken(p.ID, "nobody", "rt-3", "family-3", at(10), at(20))), storage.ErrNotFound)
	wantErr(t, "CreateRefreshToken in a missing pool",
		s.CreateRefreshToken(ctx, newToken("us-east-1_none", "tom", "rt-4", "family-4", at(10), at(20))), storage.ErrNotFound)
	_, err := s.GetRefreshToken(ctx, "missing")
	wantErr(t, "GetRefreshToken missing", err, storage.ErrNotFound)
	diff(t, "the first token after refused creates", want, mustGetToken(t, s, "rt-1"))
}

func testTokenUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_tokupd")
	mustCreateUser(t, s, newUser(p.ID, "una"))
	tok := mustCreateToken(t, s, newToken(p.ID, "una", "rt-u", "family-u", at(10), at(1000)))

	rot := at(20)
	got, err := s.UpdateRefreshToken(ctx, "rt-u", func(n *storage.RefreshToken) error {
		n.RotatedAt = &rot
		n.Scopes = append(n.Scopes, "email")
		// The keys, CreatedAt and Version are not the closure's to change.
		n.ID, n.PoolID, n.UserKey, n.OriginJTI, n.CreatedAt, n.Version = "x", "y", "z", "w", at(99), 42
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateRefreshToken: %v", err)
	}
	want := storedToken(tok)
	want.RotatedAt = msp(rot)
	want.Scopes = append(want.Scopes, "email")
	want.Version = 2
	diff(t, "updated token", want, got)
	diff(t, "token read after update", want, mustGetToken(t, s, "rt-u"))

	// ErrSkip changes nothing and is no error; another error aborts.
	got, err = s.UpdateRefreshToken(ctx, "rt-u", func(n *storage.RefreshToken) error {
		n.ClientID = "changed"
		return storage.ErrSkip
	})
	if err != nil {
		t.Fatalf("UpdateRefreshToken with ErrSkip: %v", err)
	}
	diff(t, "token after a skipped update", want, got)
	boom := errors.New("boom")
	_, err = s.UpdateRefreshToken(ctx, "rt-u", func(n *storage.RefreshToken) error {
		n.ClientID = "changed"
		return boom
	})
	wantErr(t, "UpdateRefreshToken aborted", err, boom)
	diff(t, "token after an aborted update", want, mustGetToken(t, s, "rt-u"))

	_, err = s.UpdateRefreshToken(ctx, "missing", func(*storage.RefreshToken) error { return nil })
	wantErr(t, "UpdateRefreshToken missing", err, storage.ErrNotFound)

	// Clearing optional fields.
	got, err = s.UpdateRefreshToken(ctx, "rt-u", func(n *storage.RefreshToken) error {
		n.RotatedAt, n.Scopes, n.DeviceKey = nil, nil, ""
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want.RotatedAt, want.Scopes, want.DeviceKey, want.Version = nil, nil, "", 3
	diff(t, "token with fields cleared", want, got)
	diff(t, "token read with fields cleared", want, mustGetToken(t, s, "rt-u"))
}

// Concurrent updates of one token are applied one after the other.
func testTokenNoLostUpdates(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_tokcount")
	mustCreateUser(t, s, newUser(p.ID, "vic"))
	tok := newToken(p.ID, "vic", "rt-c", "family-c", at(0), at(1000))
	tok.Scopes = nil
	mustCreateToken(t, s, tok)
	const workers, each = 8, 10
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdateRefreshToken(ctx, "rt-c", func(n *storage.RefreshToken) error {
			n.Scopes = append(n.Scopes, fmt.Sprintf("s%d", len(n.Scopes)))
			return nil
		})
		return err
	})
	got := mustGetToken(t, s, "rt-c")
	if len(got.Scopes) != workers*each {
		t.Fatalf("%d scopes after %d appends: updates were lost", len(got.Scopes), workers*each)
	}
	for i, sc := range got.Scopes {
		if sc != fmt.Sprintf("s%d", i) {
			t.Fatalf("scope %d = %q: an update read a stale token", i, sc)
		}
	}
	if got.Version != 1+workers*each {
		t.Fatalf("Version = %d, want %d", got.Version, 1+workers*each)
	}
}

func testTokenRevokeFamily(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_family")
	q := mustCreatePool(t, s, "us-east-1_family2")
	mustCreateUser(t, s, newUser(p.ID, "wes"))
	mustCreateUser(t, s, newUser(q.ID, "wes"))
	// Family f: a token and its rotation; family g; the same family id in pool q.
	mustCreateToken(t, s, newToken(p.ID, "wes", "f-1", "f", at(0), at(1000)))
	mustCreateToken(t, s, newToken(p.ID, "wes", "f-2", "f", at(10), at(1010)))
	mustCreateToken(t, s, newToken(p.ID, "wes", "g-1", "g", at(0), at(1000)))
	mustCreateToken(t, s, newToken(q.ID, "wes", "qf-1", "f", at(0), at(1000)))

	for _, fam := range []string{"f", "g", "never-issued"} {
		if familyRevoked(t, s, p.ID, fam) {
			t.Fatalf("family %s revoked before any revocation", fam)
		}
	}
	when := at(50)
	if err := s.RevokeFamily(ctx, p.ID, "f", when, at(1010+86400)); err != nil {
		t.Fatalf("RevokeFamily: %v", err)
	}
	if !familyRevoked(t, s, p.ID, "f") {
		t.Fatal("FamilyRevoked = false after RevokeFamily")
	}
	if familyRevoked(t, s, p.ID, "g") || familyRevoked(t, s, q.ID, "f") {
		t.Fatal("RevokeFamily reached another family or another pool's family of the same id")
	}
	wantRevoked(t, s, "f-1", &when)
	wantRevoked(t, s, "f-2", &when)
	wantRevoked(t, s, "g-1", nil)
	wantRevoked(t, s, "qf-1", nil)
	if v := mustGetToken(t, s, "f-1").Version; v != 2 {
		t.Fatalf("revoked token's Version = %d, want 2 (a revocation must defeat a racing compare-and-swap)", v)
	}

	// Revoking again keeps the first revocation time.
	if err := s.RevokeFamily(ctx, p.ID, "f", at(60), at(1010+86400)); err != nil {
		t.Fatalf("RevokeFamily again: %v", err)
	}
	wantRevoked(t, s, "f-1", &when)

	// A token that joins a revoked family (a rotation racing the revocation) reads as revoked.
	mustCreateToken(t, s, newToken(p.ID, "wes", "f-3", "f", at(55), at(1055)))
	if got := mustGetToken(t, s, "f-3"); got.RevokedAt == nil {
		t.Fatal("a token created in a revoked family reads as live")
	}
	upd, err := s.UpdateRefreshToken(ctx, "f-3", func(n *storage.RefreshToken) error { return nil })
	if err != nil || upd.RevokedAt == nil {
		t.Fatalf("UpdateRefreshToken of a token of a revoked family = %+v, %v; want it revoked", upd, err)
	}

	// A family without tokens (an implicit grant's, or already collected) can be revoked.
	if err := s.RevokeFamily(ctx, p.ID, "never-issued", when, at(86400)); err != nil {
		t.Fatalf("RevokeFamily of a family without tokens: %v", err)
	}
	if !familyRevoked(t, s, p.ID, "never-issued") {
		t.Fatal("family without tokens not recorded as revoked")
	}
	wantErr(t, "RevokeFamily in a missing pool", s.RevokeFamily(ctx, "us-east-1_none", "f", when, at(86400)), storage.ErrNotFound)
	if familyRevoked(t, s, "us-east-1_none", "f") {
		t.Fatal("family of a missing pool recorded")
	}
}

func testTokenRevokeUser(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_signout")
	q := mustCreatePool(t, s, "us-east-1_signout2")
	for _, k := range []string{"xia", "yan"} {
		mustCreateUser(t, s, newUser(p.ID, k))
	}
	mustCreateUser(t, s, newUser(q.ID, "xia"))

	// xia: f1 (rotated twice: the newest token expires last), f2, f3 expired, f4 revoked earlier,
	// f5 a family of a never-issued record; yan: f6; xia of pool q: f7.
	mustCreateToken(t, s, newToken(p.ID, "xia", "f1-a", "f1", at(0), at(1000)))
	mustCreateToken(t, s, newToken(p.ID, "xia", "f1-b", "f1", at(100), at(1100)))
	mustCreateToken(t, s, newToken(p.ID, "xia", "f1-c", "f1", at(200), at(1200)))
	mustCreateToken(t, s, newToken(p.ID, "xia", "f2-a", "f2", at(0), at(1000)))
	mustCreateToken(t, s, newToken(p.ID, "xia", "f3-a", "f3", at(0), at(300)))
	mustCreateToken(t, s, newToken(p.ID, "xia", "f4-a", "f4", at(0), at(1000)))
	mustCreateToken(t, s, newToken(p.ID, "xia", "f5-a", "f5", at(400), at(400+3600)))
	mustCreateToken(t, s, newToken(p.ID, "yan", "f6-a", "f6", at(0), at(1000)))
	mustCreateToken(t, s, newToken(q.ID, "xia", "f7-a", "f7", at(0), at(1000)))
	earlier := at(350)
	if err := s.RevokeFamily(ctx, p.ID, "f4", earlier, at(1000+86400)); err != nil {
		t.Fatal(err)
	}

	when := at(500)
	n, err := s.RevokeUserTokens(ctx, p.ID, "xia", when)
	if err != nil || n != 3 {
		t.Fatalf("RevokeUserTokens = %d, %v; want 3 live families (f1, f2, f5)", n, err)
	}
	for _, id := range []string{"f1-a", "f1-b", "f1-c", "f2-a", "f5-a"} {
		wantRevoked(t, s, id, &when)
	}
	wantRevoked(t, s, "f4-a", &earlier)
	for _, fam := range []string{"f1", "f2", "f4", "f5"} {
		if !familyRevoked(t, s, p.ID, fam) {
			t.Fatalf("family %s not revoked", fam)
		}
	}
	if familyRevoked(t, s, p.ID, "f3") {
		t.Fatal("an expired family was counted as live")
	}
	if mustGetToken(t, s, "f3-a").RevokedAt != nil {
		t.Fatal("an expired token was marked revoked")
	}
	if familyRevoked(t, s, p.ID, "f6") || familyRevoked(t, s, q.ID, "f7") {
		t.Fatal("RevokeUserTokens reached another user, or the same user key in another pool")
	}
	wantRevoked(t, s, "f6-a", nil)
	wantRevoked(t, s, "f7-a", nil)

	// Again: nothing is live any more.
	if n, err := s.RevokeUserTokens(ctx, p.ID, "xia", at(600)); err != nil || n != 0 {
		t.Fatalf("RevokeUserTokens again = %d, %v; want 0", n, err)
	}
	wantRevoked(t, s, "f1-a", &when)
	if n, err := s.RevokeUserTokens(ctx, p.ID, "nobody", when); err != nil || n != 0 {
		t.Fatalf("RevokeUserTokens of a user without tokens = %d, %v; want 0", n, err)
	}

	// The records outlive the tokens (access tokens minted from them live on for a while)
	// and are collected eventually.
	if _, err := s.DeleteExpiredTokens(ctx, at(1200+60)); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetRefreshToken(ctx, "f1-c")
	wantErr(t, "expired token after collection", err, storage.ErrNotFound)
	for _, fam := range []string{"f1", "f2", "f4"} {
		if !familyRevoked(t, s, p.ID, fam) {
			t.Fatalf("revocation record of %s collected with the family's refresh tokens", fam)
		}
	}
	if _, err := s.DeleteExpiredTokens(ctx, at(400*86400)); err != nil {
		t.Fatal(err)
	}
	for _, fam := range []string{"f1", "f2", "f4", "f5"} {
		if familyRevoked(t, s, p.ID, fam) {
			t.Fatalf("revocation record of %s never collected", fam)
		}
	}
}

// Revocations racing each other and rotations: no errors, everything revoked.
func testTokenRevokeConcurrent(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_revrace")
	mustCreateUser(t, s, newUser(p.ID, "zed"))
	const families, perFamily = 6, 4
	var ids []string
	for f := range families {
		for i := range perFamily {
			id := fmt.Sprintf("t-%d-%d", f, i)
			mustCreateToken(t, s, newToken(p.ID, "zed", id, fmt.Sprintf("fam-%d", f), at(i), at(1000+i)))
			ids = append(ids, id)
		}
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	start := make(chan struct{})
	for w := range 4 {
		wg.Go(func() {
			<-start
			if _, err := s.RevokeUserTokens(ctx, p.ID, "zed", at(100+w)); err != nil {
				fail(fmt.Errorf("RevokeUserTokens: %w", err))
			}
		})
	}
	for f := range families {
		wg.Go(func() {
			<-start
			if err := s.RevokeFamily(ctx, p.ID, fmt.Sprintf("fam-%d", f), at(100), at(90000)); err != nil {
				fail(fmt.Errorf("RevokeFamily: %w", err))
			}
		})
	}
	for _, id := range ids {
		wg.Go(func() {
			<-start
			rot := at(100)
			if _, err := s.UpdateRefreshToken(ctx, id, func(n *storage.RefreshToken) error {
				n.RotatedAt = &rot
				return nil
			}); err != nil {
				fail(fmt.Errorf("UpdateRefreshToken: %w", err))
			}
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d calls failed; first: %v", len(errs), errs[0])
	}
	for _, id := range ids {
		if mustGetToken(t, s, id).RevokedAt == nil {
			t.Errorf("token %s survived the revocations", id)
		}
	}
	for f := range families {
		if !familyRevoked(t, s, p.ID, fmt.Sprintf("fam-%d", f)) {
			t.Errorf("family %d not recorded", f)
		}
	}
}

func testTokenExpiry(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_tokexp")
	q := mustCreatePool(t, s, "us-east-1_tokexp2")
	for _, pool := range []string{p.ID, q.ID} {
		mustCreateUser(t, s, newUser(pool, "ada"))
		for i := range 3 {
			mustCreateToken(t, s, newToken(pool, "ada", fmt.Sprintf("%s-%d", pool, i), fmt.Sprintf("fam-%d", i), at(0), at(100*(i+1))))
		}
		if err := s.RevokeFamily(ctx, pool, "gone", at(0), at(150)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.DeleteExpiredTokens(ctx, at(0)); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredTokens before any expiry = %d, %v", n, err)
	}
	// Expiring exactly now is not expired before now.
	if n, err := s.DeleteExpiredTokens(ctx, ms(at(100))); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredTokens at the first expiry = %d, %v; want 0", n, err)
	}
	if n, err := s.DeleteExpiredTokens(ctx, at(120)); err != nil || n != 2 {
		t.Fatalf("DeleteExpiredTokens = %d, %v; want 2 (a token per pool)", n, err)
	}
	// Tokens and revocation records both count; zones do not matter.
	if n, err := s.DeleteExpiredTokens(ctx, ms(at(200)).Add(time.Microsecond).In(base.Location())); err != nil || n != 4 {
		t.Fatalf("DeleteExpiredTokens = %d, %v; want 4 (a token and a record per pool)", n, err)
	}
	for _, pool := range []string{p.ID, q.ID} {
		for i, live := range []bool{false, false, true} {
			_, err := s.GetRefreshToken(ctx, fmt.Sprintf("%s-%d", pool, i))
			if live && err != nil {
				t.Fatalf("live token %d of %s: %v", i, pool, err)
			}
			if !live {
				wantErr(t, "expired token", err, storage.ErrNotFound)
			}
		}
		if familyRevoked(t, s, pool, "gone") {
			t.Fatal("expired revocation record kept")
		}
	}
	if n, err := s.DeleteExpiredTokens(ctx, at(1000)); err != nil || n != 2 {
		t.Fatalf("DeleteExpiredTokens = %d, %v; want 2", n, err)
	}
	if n, err := s.DeleteExpiredTokens(ctx, at(1000)); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredTokens again = %d, %v; want 0", n, err)
	}
}

// A user's tokens go with the user, the revocation records stay (until the
// pool goes).
func testTokenDeleteCascades(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_tokcascade")
	q := mustCreatePool(t, s, "us-east-1_tokcascade2")
	for _, pool := range []string{p.ID, q.ID} {
		mustCreateUser(t, s, newUser(pool, "bea"))
		mustCreateToken(t, s, newToken(pool, "bea", "bea-"+pool, "fam", at(0), at(1000)))
		mustCreateToken(t, s, newToken(pool, "bea", "bea2-"+pool, "fam2", at(0), at(1000)))
	}
	mustCreateUser(t, s, newUser(p.ID, "cal"))
	mustCreateToken(t, s, newToken(p.ID, "cal", "cal-1", "fam-cal", at(0), at(1000)))

	if n, err := s.RevokeUserTokens(ctx, p.ID, "bea", at(10)); err != nil || n != 2 {
		t.Fatalf("RevokeUserTokens = %d, %v", n, err)
	}
	if err := s.DeleteUser(ctx, p.ID, "bea"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"bea-" + p.ID, "bea2-" + p.ID} {
		_, err := s.GetRefreshToken(ctx, id)
		wantErr(t, "token of a deleted user", err, storage.ErrNotFound)
	}
	if !familyRevoked(t, s, p.ID, "fam") {
		t.Fatal("revocation record deleted with the user: the user's access tokens would work again")
	}
	mustGetToken(t, s, "cal-1")
	mustGetToken(t, s, "bea-"+q.ID)
	// A user re-created under the key inherits no tokens.
	mustCreateUser(t, s, newUser(p.ID, "bea"))
	if n, err := s.RevokeUserTokens(ctx, p.ID, "bea", at(20)); err != nil || n != 0 {
		t.Fatalf("RevokeUserTokens of a re-created user = %d, %v; want 0", n, err)
	}

	if err := s.DeletePool(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.GetRefreshToken(ctx, "cal-1")
	wantErr(t, "token of a deleted pool", err, storage.ErrNotFound)
	if familyRevoked(t, s, p.ID, "fam") {
		t.Fatal("revocation record survived its pool")
	}
	mustGetToken(t, s, "bea-"+q.ID)
	wantRevoked(t, s, "bea-"+q.ID, nil)
}
