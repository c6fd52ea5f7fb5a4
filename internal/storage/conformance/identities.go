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

func init() {
	register("IdentityCRUD", testIdentityCRUD)
	register("IdentityLoginUnique", testIdentityLoginUnique)
	register("IdentityUpdate", testIdentityUpdate)
	register("IdentityNoLostUpdates", testIdentityNoLostUpdates)
	register("IdentityMerge", testIdentityMerge)
	register("IdentityList", testIdentityList)
	register("IdentityListStableWhileInserting", testIdentityListStable)
	register("IdentityCredentials", testIdentityCredentials)
	register("IdentityDeleteCascades", testIdentityDeleteCascades)
}

// identityStore is the store under test as a storage.IdentityStore.
func identityStore(t *testing.T, s storage.Store) storage.IdentityStore {
	t.Helper()
	return s
}

const (
	identityPoolA = idpPrefix + "aaaaaaaa-0000-0000-0000-000000000000"
	identityPoolB = idpPrefix + "bbbbbbbb-0000-0000-0000-000000000000"
	upProvider    = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool"
)

func identityID(n int) string { return fmt.Sprintf("us-east-1:%08d-0000-0000-0000-000000000000", n) }

func login(provider, subject string) storage.IdentityLogin {
	return storage.IdentityLogin{Provider: provider, Subject: subject}
}

func newIdentity(poolID, id string, logins ...storage.IdentityLogin) *storage.Identity {
	return &storage.Identity{PoolID: poolID, ID: id, Logins: logins, CreatedAt: at(1), UpdatedAt: at(2)}
}

// storedIdentity is i as the store returns it.
func storedIdentity(i *storage.Identity) *storage.Identity {
	n := *i
	n.CreatedAt, n.UpdatedAt = ms(i.CreatedAt), ms(i.UpdatedAt)
	n.Logins = slices.Clone(i.Logins)
	slices.SortFunc(n.Logins, func(a, b storage.IdentityLogin) int {
		if a.Provider != b.Provider {
			if a.Provider < b.Provider {
				return -1
			}
			return 1
		}
		if a.Subject < b.Subject {
			return -1
		} else if a.Subject > b.Subject {
			return 1
		}
		return 0
	})
	return &n
}

func mustCreateIdentity(t *testing.T, is storage.IdentityStore, i *storage.Identity) *storage.Identity {
	t.Helper()
	if err := is.CreateIdentity(t.Context(), i); err != nil {
		t.Fatalf("CreateIdentity(%s): %v", i.ID, err)
	}
	return i
}

func testIdentityCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)

	i := newIdentity(identityPoolA, identityID(1), login(upProvider, "sub-1"), login("accounts.google.com", "g-1"))
	if err := is.CreateIdentity(ctx, i); err != nil {
		t.Fatalf("CreateIdentity: %v", err)
	}
	if i.Version != 1 {
		t.Errorf("Version = %d; want 1", i.Version)
	}
	want := storedIdentity(i)
	got, err := is.GetIdentity(ctx, i.ID)
	if err != nil {
		t.Fatalf("GetIdentity: %v", err)
	}
	diff(t, "GetIdentity", want, got)
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt in %v; want UTC", got.CreatedAt.Location())
	}
	if got.Logins[0].Provider != "accounts.google.com" {
		t.Errorf("logins not sorted by provider: %v", got.Logins)
	}
	got, err = is.FindIdentityByLogin(ctx, identityPoolA, login(upProvider, "sub-1"))
	if err != nil {
		t.Fatalf("FindIdentityByLogin: %v", err)
	}
	diff(t, "FindIdentityByLogin", want, got)
	_, err = is.FindIdentityByLogin(ctx, identityPoolA, login(upProvider, "SUB-1"))
	wantErr(t, "FindIdentityByLogin: subjects are case-sensitive", err, storage.ErrNotFound)
	_, err = is.FindIdentityByLogin(ctx, identityPoolA, login("accounts.google.com", "sub-1"))
	wantErr(t, "FindIdentityByLogin of another provider", err, storage.ErrNotFound)

	// A guest: no logins.
	g := mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(2)))
	got, err = is.GetIdentity(ctx, g.ID)
	if err != nil || len(got.Logins) != 0 {
		t.Fatalf("GetIdentity(guest) = %+v, %v", got, err)
	}

	wantErr(t, "CreateIdentity duplicate id", is.CreateIdentity(ctx, newIdentity(identityPoolA, identityID(1))), storage.ErrAlreadyExists)
	wantErr(t, "CreateIdentity in a missing pool",
		is.CreateIdentity(ctx, newIdentity(identityPoolB, identityID(3))), storage.ErrNotFound)
	wantErr(t, "CreateIdentity in a user pool's id",
		is.CreateIdentity(ctx, newIdentity(mustCreatePool(t, s, "us-east-1_NotIdentity").ID, identityID(3))), storage.ErrNotFound)

	_, err = is.GetIdentity(ctx, identityID(9))
	wantErr(t, "GetIdentity missing", err, storage.ErrNotFound)
	wantErr(t, "DeleteIdentity missing", is.DeleteIdentity(ctx, identityID(9)), storage.ErrNotFound)

	if err := is.DeleteIdentity(ctx, i.ID); err != nil {
		t.Fatalf("DeleteIdentity: %v", err)
	}
	_, err = is.GetIdentity(ctx, i.ID)
	wantErr(t, "GetIdentity after delete", err, storage.ErrNotFound)
	_, err = is.FindIdentityByLogin(ctx, identityPoolA, login(upProvider, "sub-1"))
	wantErr(t, "FindIdentityByLogin after delete", err, storage.ErrNotFound)
	// The deleted identity's logins are free again.
	mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(4), login(upProvider, "sub-1")))
}

// A login is linked to one identity per pool, also under concurrent creates;
// the same login in another pool is another login.
func testIdentityLoginUnique(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	mustCreateIdentityPool(t, s, identityPoolB)
	mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(1), login(upProvider, "taken")))
	wantErr(t, "CreateIdentity with a linked login",
		is.CreateIdentity(ctx, newIdentity(identityPoolA, identityID(2), login("x", "free"), login(upProvider, "taken"))),
		storage.ErrAlreadyExists)
	// Nothing of the failed create remains.
	_, err := is.GetIdentity(ctx, identityID(2))
	wantErr(t, "GetIdentity after a failed create", err, storage.ErrNotFound)
	_, err = is.FindIdentityByLogin(ctx, identityPoolA, login("x", "free"))
	wantErr(t, "login of a failed create", err, storage.ErrNotFound)
	mustCreateIdentity(t, is, newIdentity(identityPoolB, identityID(3), login(upProvider, "taken")))
	if got, err := is.FindIdentityByLogin(ctx, identityPoolB, login(upProvider, "taken")); err != nil || got.ID != identityID(3) {
		t.Fatalf("FindIdentityByLogin in pool B = %+v, %v", got, err)
	}

	const workers = 8
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for w := range workers {
		wg.Go(func() {
			err := is.CreateIdentity(ctx, newIdentity(identityPoolA, identityID(100+w), login("race", "same")))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, storage.ErrAlreadyExists):
				t.Errorf("concurrent CreateIdentity: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d concurrent creates with one login succeeded; want 1", wins)
	}
}

func testIdentityUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	i := mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(1), login("dev", "u1"), login("dev", "u2")))
	mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(2), login("dev", "other")))

	got, err := is.UpdateIdentity(ctx, i.ID, func(n *storage.Identity) error {
		n.Logins = []storage.IdentityLogin{login("dev", "u2"), login("accounts.google.com", "g"), login("dev", "u3")}
		n.UpdatedAt = at(50)
		n.ID, n.PoolID, n.CreatedAt, n.Version = "ignored", "ignored", at(99), 99
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateIdentity: %v", err)
	}
	want := storedIdentity(&storage.Identity{
		PoolID: identityPoolA, ID: i.ID, CreatedAt: at(1), UpdatedAt: at(50), Version: 2,
		Logins: []storage.IdentityLogin{login("accounts.google.com", "g"), login("dev", "u2"), login("dev", "u3")},
	})
	diff(t, "UpdateIdentity result", want, got)
	got, _ = is.GetIdentity(ctx, i.ID)
	diff(t, "GetIdentity after update", want, got)
	if _, err := is.FindIdentityByLogin(ctx, identityPoolA, login("dev", "u1")); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("removed login still found: %v", err)
	}

	// An added login linked elsewhere aborts the whole update.
	_, err = is.UpdateIdentity(ctx, i.ID, func(n *storage.Identity) error {
		n.Logins = append(n.Logins, login("dev", "u4"), login("dev", "other"))
		n.Disabled = true
		return nil
	})
	wantErr(t, "UpdateIdentity adding a linked login", err, storage.ErrAlreadyExists)
	got, _ = is.GetIdentity(ctx, i.ID)
	diff(t, "identity after a refused update", want, got)

	// Disable and clear.
	got, err = is.UpdateIdentity(ctx, i.ID, func(n *storage.Identity) error {
		n.Logins, n.Disabled = nil, true
		return nil
	})
	if err != nil || !got.Disabled || len(got.Logins) != 0 || got.Version != 3 {
		t.Fatalf("UpdateIdentity disable = %+v, %v", got, err)
	}

	got, err = is.UpdateIdentity(ctx, i.ID, func(*storage.Identity) error { return storage.ErrSkip })
	if err != nil || got.Version != 3 {
		t.Errorf("UpdateIdentity ErrSkip = %+v, %v; want the stored identity", got, err)
	}
	boom := errors.New("boom")
	_, err = is.UpdateIdentity(ctx, i.ID, func(*storage.Identity) error { return boom })
	wantErr(t, "UpdateIdentity fn error", err, boom)
	called := false
	_, err = is.UpdateIdentity(ctx, identityID(9), func(*storage.Identity) error { called = true; return nil })
	wantErr(t, "UpdateIdentity missing", err, storage.ErrNotFound)
	if called {
		t.Error("UpdateIdentity called fn for a missing identity")
	}
}

func testIdentityNoLostUpdates(t *testing.T, s storage.Store) {
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	i := mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(1)))
	const workers, each = 6, 5
	var mu sync.Mutex
	n := 0
	hammer(t, workers, each, func(ctx context.Context) error {
		mu.Lock()
		n++
		l := login("dev", fmt.Sprintf("u%03d", n))
		mu.Unlock()
		_, err := is.UpdateIdentity(ctx, i.ID, func(u *storage.Identity) error {
			u.Logins = append(u.Logins, l)
			return nil
		})
		return err
	})
	got, err := is.GetIdentity(t.Context(), i.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Logins) != workers*each || got.Version != workers*each+1 {
		t.Errorf("%d logins, version %d after %d updates: updates were lost", len(got.Logins), got.Version, workers*each)
	}
}

func testIdentityMerge(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	into := mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(1), login("dev", "a")))
	from1 := mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(2), login("dev", "b"), login("accounts.google.com", "g")))
	from2 := mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(3))) // a guest
	other := mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(4), login("dev", "z")))

	// A stale version changes nothing.
	stale := *from1
	stale.Version = 7
	_, err := is.MergeIdentities(ctx, &storage.IdentityMerge{Into: into, From: []*storage.Identity{&stale}, Now: at(10)})
	var ce *storage.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("MergeIdentities with a stale version: %v; want a *ConflictError", err)
	}
	// A login linked outside the merge changes nothing either.
	_, err = is.MergeIdentities(ctx, &storage.IdentityMerge{Into: into, From: []*storage.Identity{from1}, Add: []storage.IdentityLogin{login("dev", "z")}, Now: at(10)})
	wantErr(t, "MergeIdentities adding a login linked elsewhere", err, storage.ErrAlreadyExists)
	got, _ := is.GetIdentity(ctx, from1.ID)
	diff(t, "source after refused merges", storedIdentity(from1), got)
	_, err = is.MergeIdentities(ctx, &storage.IdentityMerge{Into: into, From: []*storage.Identity{newIdentity(identityPoolA, identityID(9))}, Now: at(10)})
	wantErr(t, "MergeIdentities from a missing identity", err, storage.ErrNotFound)

	got, err = is.MergeIdentities(ctx, &storage.IdentityMerge{
		Into: into, From: []*storage.Identity{from1, from2}, Add: []storage.IdentityLogin{login("dev", "c")}, Now: at(20),
	})
	if err != nil {
		t.Fatalf("MergeIdentities: %v", err)
	}
	want := storedIdentity(&storage.Identity{
		PoolID: identityPoolA, ID: into.ID, CreatedAt: at(1), UpdatedAt: at(20), Version: 2,
		Logins: []storage.IdentityLogin{login("accounts.google.com", "g"), login("dev", "a"), login("dev", "b"), login("dev", "c")},
	})
	diff(t, "MergeIdentities result", want, got)
	got, _ = is.GetIdentity(ctx, into.ID)
	diff(t, "target after merge", want, got)
	for _, f := range []*storage.Identity{from1, from2} {
		got, err := is.GetIdentity(ctx, f.ID)
		if err != nil || !got.Disabled || len(got.Logins) != 0 || got.Version != f.Version+1 || !got.UpdatedAt.Equal(ms(at(20))) {
			t.Errorf("merged identity %s = %+v, %v; want disabled, no logins, version bumped", f.ID, got, err)
		}
	}
	if got, err := is.FindIdentityByLogin(ctx, identityPoolA, login("dev", "b")); err != nil || got.ID != into.ID {
		t.Errorf("moved login is linked to %+v, %v; want the target", got, err)
	}
	if got, _ := is.GetIdentity(ctx, other.ID); got.Version != 1 || got.Disabled {
		t.Errorf("an identity outside the merge changed: %+v", got)
	}
}

func testIdentityList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	mustCreateIdentityPool(t, s, identityPoolB)
	var all, enabled []string
	for n := range 7 {
		i := newIdentity(identityPoolA, identityID(n), login("dev", fmt.Sprint("u", n)))
		i.Disabled = n%3 == 0
		mustCreateIdentity(t, is, i)
		all = append(all, i.ID)
		if !i.Disabled {
			enabled = append(enabled, i.ID)
		}
	}
	mustCreateIdentity(t, is, newIdentity(identityPoolB, identityID(50)))

	collect := func(hide bool) []string {
		var ids []string
		token := ""
		for range 20 {
			page, next, err := is.ListIdentities(ctx, identityPoolA, hide, storage.Page{Token: token, Limit: 2})
			if err != nil {
				t.Fatalf("ListIdentities: %v", err)
			}
			if len(page) > 2 {
				t.Fatalf("page of %d; limit 2", len(page))
			}
			for _, i := range page {
				if len(i.Logins) != 1 {
					t.Errorf("listed identity %s without its logins: %+v", i.ID, i.Logins)
				}
				ids = append(ids, i.ID)
			}
			if next == "" {
				return ids
			}
			token = next
		}
		t.Fatal("paging does not end")
		return nil
	}
	diff(t, "ListIdentities all", all, collect(false))
	diff(t, "ListIdentities hiding disabled", enabled, collect(true))

	page, next, err := is.ListIdentities(ctx, identityPoolB, false, storage.Page{})
	if err != nil || len(page) != 1 || next != "" || page[0].ID != identityID(50) {
		t.Errorf("ListIdentities of pool B = %v, %q, %v", page, next, err)
	}
	page, next, err = is.ListIdentities(ctx, idpPrefix+"cccccccc-0000-0000-0000-000000000000", false, storage.Page{})
	if err != nil || len(page) != 0 || next != "" {
		t.Errorf("ListIdentities of a missing pool = %v, %q, %v; want empty", page, next, err)
	}
	_, _, err = is.ListIdentities(ctx, identityPoolA, false, storage.Page{Token: "!!not a token"})
	wantErr(t, "ListIdentities with a bad token", err, storage.ErrInvalidPageToken)
}

func testIdentityListStable(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	var initial []string
	for n := range 20 {
		id := identityID(n * 10)
		mustCreateIdentity(t, is, newIdentity(identityPoolA, id))
		initial = append(initial, id)
	}
	checkStablePaging(t, initial,
		func(token string) ([]string, string, error) {
			page, next, err := is.ListIdentities(ctx, identityPoolA, false, storage.Page{Token: token, Limit: 3})
			var ids []string
			for _, i := range page {
				ids = append(ids, i.ID)
			}
			return ids, next, err
		},
		func(id string) { mustCreateIdentity(t, is, newIdentity(identityPoolA, id)) })
}

func testIdentityCredentials(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	c := &storage.IdentityCredentials{
		AccessKeyID: "ASIAAAAAAAAAAAAAAAAA", PoolID: identityPoolA, IdentityID: identityID(1),
		RoleARN: "arn:aws:iam::123456789012:role/Auth", SecretKey: []byte{1, 2, 3}, Document: []byte(`{"tags":{}}`),
		CreatedAt: at(0), ExpiresAt: at(3600),
	}
	if err := is.PutIdentityCredentials(ctx, c); err != nil {
		t.Fatalf("PutIdentityCredentials: %v", err)
	}
	got, err := is.GetIdentityCredentials(ctx, c.AccessKeyID)
	if err != nil {
		t.Fatalf("GetIdentityCredentials: %v", err)
	}
	want := *c
	want.CreatedAt, want.ExpiresAt = ms(c.CreatedAt), ms(c.ExpiresAt)
	diff(t, "GetIdentityCredentials", &want, got)
	if got.ExpiresAt.Location() != time.UTC {
		t.Errorf("ExpiresAt in %v; want UTC", got.ExpiresAt.Location())
	}
	dup := *c
	wantErr(t, "PutIdentityCredentials duplicate", is.PutIdentityCredentials(ctx, &dup), storage.ErrAlreadyExists)
	orphan := *c
	orphan.AccessKeyID, orphan.PoolID = "ASIABBBBBBBBBBBBBBBB", identityPoolB
	wantErr(t, "PutIdentityCredentials in a missing pool", is.PutIdentityCredentials(ctx, &orphan), storage.ErrNotFound)
	_, err = is.GetIdentityCredentials(ctx, "ASIAMISSINGMISSINGMI")
	wantErr(t, "GetIdentityCredentials missing", err, storage.ErrNotFound)

	later := *c
	later.AccessKeyID, later.ExpiresAt = "ASIACCCCCCCCCCCCCCCC", at(7200)
	if err := is.PutIdentityCredentials(ctx, &later); err != nil {
		t.Fatal(err)
	}
	// Expiry is exclusive: a record expiring exactly now stays.
	if n, err := is.DeleteExpiredIdentityCredentials(ctx, ms(at(3600))); err != nil || n != 0 {
		t.Errorf("DeleteExpiredIdentityCredentials at expiry = %d, %v; want 0", n, err)
	}
	if n, err := is.DeleteExpiredIdentityCredentials(ctx, at(3601)); err != nil || n != 1 {
		t.Errorf("DeleteExpiredIdentityCredentials after expiry = %d, %v; want 1", n, err)
	}
	if _, err := is.GetIdentityCredentials(ctx, c.AccessKeyID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("expired record still there: %v", err)
	}
	if _, err := is.GetIdentityCredentials(ctx, later.AccessKeyID); err != nil {
		t.Errorf("unexpired record gone: %v", err)
	}
}

func testIdentityDeleteCascades(t *testing.T, s storage.Store) {
	ctx := t.Context()
	is := identityStore(t, s)
	mustCreateIdentityPool(t, s, identityPoolA)
	mustCreateIdentityPool(t, s, identityPoolB)
	mustCreateIdentity(t, is, newIdentity(identityPoolA, identityID(1), login("dev", "a")))
	mustCreateIdentity(t, is, newIdentity(identityPoolB, identityID(2), login("dev", "a")))
	for _, c := range []*storage.IdentityCredentials{
		{AccessKeyID: "ASIAAAAAAAAAAAAAAAAA", PoolID: identityPoolA, IdentityID: identityID(1), RoleARN: "r", CreatedAt: at(0), ExpiresAt: at(3600)},
		{AccessKeyID: "ASIABBBBBBBBBBBBBBBB", PoolID: identityPoolB, IdentityID: identityID(2), RoleARN: "r", CreatedAt: at(0), ExpiresAt: at(3600)},
	} {
		if err := is.PutIdentityCredentials(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteIdentityPool(ctx, identityPoolA); err != nil {
		t.Fatal(err)
	}
	if _, err := is.GetIdentity(ctx, identityID(1)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("identity of a deleted pool: %v", err)
	}
	if _, err := is.FindIdentityByLogin(ctx, identityPoolA, login("dev", "a")); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("login of a deleted pool: %v", err)
	}
	if _, err := is.GetIdentityCredentials(ctx, "ASIAAAAAAAAAAAAAAAAA"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("credentials of a deleted pool: %v", err)
	}
	// The other pool keeps everything.
	if _, err := is.GetIdentity(ctx, identityID(2)); err != nil {
		t.Errorf("identity of another pool: %v", err)
	}
	if _, err := is.GetIdentityCredentials(ctx, "ASIABBBBBBBBBBBBBBBB"); err != nil {
		t.Errorf("credentials of another pool: %v", err)
	}
	// The pool can be recreated empty.
	mustCreateIdentityPool(t, s, identityPoolA)
	if page, _, err := is.ListIdentities(ctx, identityPoolA, false, storage.Page{}); err != nil || len(page) != 0 {
		t.Errorf("recreated pool lists %v, %v", page, err)
	}
}
