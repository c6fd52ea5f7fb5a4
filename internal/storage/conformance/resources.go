package conformance

import (
	"fmt"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

func init() {
	register("ResourceCRUD", testResourceCRUD)
	register("ResourceLookupKey", testResourceLookupKey)
	register("ResourceOwner", testResourceOwner)
	register("ResourceList", testResourceList)
	register("ResourceNoLostUpdates", testResourceNoLostUpdates)
	register("ResourceDeleteCascades", testResourceDeleteCascades)
}

func newResource(poolID, kind, id string) *storage.Resource {
	return &storage.Resource{
		PoolID: poolID, Kind: kind, ID: id,
		Settings:  []byte(`{"r":"` + id + `"}`),
		CreatedAt: at(3), UpdatedAt: at(4),
	}
}

func storedResource(r *storage.Resource) *storage.Resource {
	n := *r
	n.CreatedAt, n.UpdatedAt = ms(r.CreatedAt), ms(r.UpdatedAt)
	return &n
}

func testResourceCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_r")
	r := newResource(p.ID, "domain", "d1")
	if err := s.CreateResource(ctx, r); err != nil {
		t.Fatalf("CreateResource: %v", err)
	}
	if r.Version != 1 {
		t.Errorf("Version = %d; want 1", r.Version)
	}
	got, err := s.GetResource(ctx, p.ID, "domain", "d1")
	if err != nil {
		t.Fatalf("GetResource: %v", err)
	}
	diff(t, "GetResource", storedResource(r), got)
	if got.CreatedAt.Location().String() != "UTC" {
		t.Errorf("CreatedAt in %v; want UTC", got.CreatedAt.Location())
	}

	wantErr(t, "CreateResource duplicate", s.CreateResource(ctx, newResource(p.ID, "domain", "d1")), storage.ErrAlreadyExists)
	// The same id of another kind, or in another pool, is another record.
	if err := s.CreateResource(ctx, newResource(p.ID, "branding", "d1")); err != nil {
		t.Errorf("CreateResource same id, other kind: %v", err)
	}
	other := mustCreatePool(t, s, "us-east-1_r2")
	if err := s.CreateResource(ctx, newResource(other.ID, "domain", "d1")); err != nil {
		t.Errorf("CreateResource same id, other pool: %v", err)
	}
	wantErr(t, "CreateResource in missing pool", s.CreateResource(ctx, newResource("us-east-1_none", "domain", "x")), storage.ErrNotFound)

	up, err := s.UpdateResource(ctx, p.ID, "domain", "d1", func(r *storage.Resource) error {
		r.Settings = []byte(`{"v":2}`)
		r.UpdatedAt = at(9)
		r.ID, r.Owner = "hijack", "someone" // the store's, not fn's
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateResource: %v", err)
	}
	if up.ID != "d1" || up.Owner != "" || up.Version != 2 || string(up.Settings) != `{"v":2}` || !up.UpdatedAt.Equal(ms(at(9))) {
		t.Errorf("UpdateResource returned %+v", up)
	}
	got, _ = s.GetResource(ctx, p.ID, "domain", "d1")
	diff(t, "GetResource after update", up, got)
	skipped, err := s.UpdateResource(ctx, p.ID, "domain", "d1", func(*storage.Resource) error { return storage.ErrSkip })
	if err != nil || skipped.Version != 2 {
		t.Errorf("UpdateResource ErrSkip = %+v, %v; want version 2, nil", skipped, err)
	}
	boom := fmt.Errorf("boom")
	if _, err := s.UpdateResource(ctx, p.ID, "domain", "d1", func(*storage.Resource) error { return boom }); err != boom {
		t.Errorf("UpdateResource fn error = %v; want it back", err)
	}
	_, err = s.UpdateResource(ctx, p.ID, "domain", "missing", func(*storage.Resource) error { return nil })
	wantErr(t, "UpdateResource missing", err, storage.ErrNotFound)

	if err := s.DeleteResource(ctx, p.ID, "domain", "d1"); err != nil {
		t.Fatalf("DeleteResource: %v", err)
	}
	_, err = s.GetResource(ctx, p.ID, "domain", "d1")
	wantErr(t, "GetResource after delete", err, storage.ErrNotFound)
	wantErr(t, "DeleteResource twice", s.DeleteResource(ctx, p.ID, "domain", "d1"), storage.ErrNotFound)
	if _, err := s.GetResource(ctx, other.ID, "domain", "d1"); err != nil {
		t.Errorf("the other pool's record went with the delete: %v", err)
	}
}

func testResourceLookupKey(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_l")
	q := mustCreatePool(t, s, "us-east-1_m")
	a := newResource(p.ID, "domain", "a")
	a.LookupKey = "auth.example.com"
	if err := s.CreateResource(ctx, a); err != nil {
		t.Fatalf("CreateResource: %v", err)
	}
	got, err := s.FindResource(ctx, "domain", "auth.example.com")
	if err != nil {
		t.Fatalf("FindResource: %v", err)
	}
	diff(t, "FindResource", storedResource(a), got)
	_, err = s.FindResource(ctx, "branding", "auth.example.com")
	wantErr(t, "FindResource other kind", err, storage.ErrNotFound)
	_, err = s.FindResource(ctx, "domain", "")
	wantErr(t, "FindResource empty key", err, storage.ErrNotFound)

	// Lookup keys are unique per kind across pools; records without one never clash.
	b := newResource(q.ID, "domain", "b")
	b.LookupKey = "auth.example.com"
	wantErr(t, "CreateResource taken lookup key", s.CreateResource(ctx, b), storage.ErrAlreadyExists)
	for _, id := range []string{"n1", "n2"} {
		if err := s.CreateResource(ctx, newResource(q.ID, "domain", id)); err != nil {
			t.Fatalf("CreateResource without lookup key: %v", err)
		}
	}
	c := newResource(q.ID, "other-kind", "c")
	c.LookupKey = "auth.example.com"
	if err := s.CreateResource(ctx, c); err != nil {
		t.Errorf("same lookup key, other kind: %v", err)
	}
	// Moving a lookup key: onto a taken one fails and changes nothing.
	_, err = s.UpdateResource(ctx, q.ID, "domain", "n1", func(r *storage.Resource) error {
		r.LookupKey = "auth.example.com"
		return nil
	})
	wantErr(t, "UpdateResource onto taken lookup key", err, storage.ErrAlreadyExists)
	if _, err := s.UpdateResource(ctx, p.ID, "domain", "a", func(r *storage.Resource) error {
		r.LookupKey = "login.example.com"
		return nil
	}); err != nil {
		t.Fatalf("UpdateResource lookup key: %v", err)
	}
	_, err = s.FindResource(ctx, "domain", "auth.example.com")
	wantErr(t, "FindResource old key", err, storage.ErrNotFound)
	if got, err := s.FindResource(ctx, "domain", "login.example.com"); err != nil || got.ID != "a" {
		t.Errorf("FindResource new key = %v, %v", got, err)
	}
}

func testResourceOwner(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_o")
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateUser(t, s, newUser(p.ID, "bob"))
	for _, tc := range []struct{ owner, id string }{{"alice", "d1"}, {"alice", "d2"}, {"bob", "d3"}, {"", "pool"}} {
		r := newResource(p.ID, "device", tc.id)
		r.Owner = tc.owner
		if err := s.CreateResource(ctx, r); err != nil {
			t.Fatalf("CreateResource %s: %v", tc.id, err)
		}
	}
	r := newResource(p.ID, "device", "ghost")
	r.Owner = "nobody"
	wantErr(t, "CreateResource of a missing user", s.CreateResource(ctx, r), storage.ErrNotFound)

	ids := func(owner string) []string {
		rs, _, err := s.ListResources(ctx, p.ID, "device", owner, storage.Page{})
		if err != nil {
			t.Fatalf("ListResources(%q): %v", owner, err)
		}
		var out []string
		for _, r := range rs {
			out = append(out, r.Owner+":"+r.ID)
		}
		return out
	}
	diff(t, "alice's", []string{"alice:d1", "alice:d2"}, ids("alice"))
	diff(t, "all", []string{"alice:d1", "alice:d2", "bob:d3", ":pool"}, ids(""))
	if n, err := s.CountResources(ctx, p.ID, "device", "alice"); err != nil || n != 2 {
		t.Errorf("CountResources(alice) = %d, %v; want 2", n, err)
	}
	if n, err := s.CountResources(ctx, p.ID, "device", ""); err != nil || n != 4 {
		t.Errorf("CountResources() = %d, %v; want 4", n, err)
	}

	// A user's records go with the user, and only theirs.
	if err := s.DeleteUser(ctx, p.ID, "alice"); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	diff(t, "after deleting alice", []string{"bob:d3", ":pool"}, ids(""))
}

func testResourceList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_list")
	var want []string
	for i := range 7 {
		id := fmt.Sprintf("rs-%02d", i)
		want = append(want, id)
		if err := s.CreateResource(ctx, newResource(p.ID, "resource-server", id)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateResource(ctx, newResource(p.ID, "other", "zz")); err != nil {
		t.Fatal(err)
	}
	var got []string
	page := storage.Page{Limit: 3}
	for range 10 {
		rs, next, err := s.ListResources(ctx, p.ID, "resource-server", "", page)
		if err != nil {
			t.Fatalf("ListResources: %v", err)
		}
		for _, r := range rs {
			got = append(got, r.ID)
		}
		if next == "" {
			break
		}
		page.Token = next
	}
	diff(t, "paged listing", want, got)
	_, _, err := s.ListResources(ctx, p.ID, "resource-server", "", storage.Page{Token: "!!not-a-token"})
	wantErr(t, "ListResources bad token", err, storage.ErrInvalidPageToken)
	rs, next, err := s.ListResources(ctx, p.ID, "nothing", "", storage.Page{})
	if err != nil || len(rs) != 0 || next != "" {
		t.Errorf("ListResources of an empty kind = %v, %q, %v", rs, next, err)
	}
}

func testResourceNoLostUpdates(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_cas")
	r := newResource(p.ID, "counter", "c")
	r.Settings = []byte("0")
	if err := s.CreateResource(ctx, r); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.UpdateResource(ctx, p.ID, "counter", "c", func(r *storage.Resource) error {
				var v int
				fmt.Sscan(string(r.Settings), &v)
				r.Settings = []byte(fmt.Sprint(v + 1))
				return nil
			}); err != nil {
				t.Errorf("UpdateResource: %v", err)
			}
		}()
	}
	wg.Wait()
	got, err := s.GetResource(ctx, p.ID, "counter", "c")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Settings) != fmt.Sprint(n) || got.Version != n+1 {
		t.Errorf("after %d concurrent increments: settings %s, version %d", n, got.Settings, got.Version)
	}
}

func testResourceDeleteCascades(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_casc")
	keep := mustCreatePool(t, s, "us-east-1_keep")
	mustCreateUser(t, s, newUser(p.ID, "u"))
	r := newResource(p.ID, "device", "d")
	r.Owner, r.LookupKey = "u", "us-east-1_d"
	if err := s.CreateResource(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateResource(ctx, newResource(p.ID, "domain", "x")); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateResource(ctx, newResource(keep.ID, "domain", "x")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePool(ctx, p.ID); err != nil {
		t.Fatalf("DeletePool: %v", err)
	}
	_, err := s.FindResource(ctx, "device", "us-east-1_d")
	wantErr(t, "FindResource after DeletePool", err, storage.ErrNotFound)
	if n, err := s.CountResources(ctx, p.ID, "domain", ""); err != nil || n != 0 {
		t.Errorf("records left after DeletePool: %d, %v", n, err)
	}
	if _, err := s.GetResource(ctx, keep.ID, "domain", "x"); err != nil {
		t.Errorf("another pool's record: %v", err)
	}
}
