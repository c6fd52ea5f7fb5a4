package conformance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

func testClientCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_c")
	c := newClient(p.ID, "client1")
	c.Secrets = []storage.ClientSecret{
		{ID: "s1", Value: []byte("sealed-1"), CreatedAt: at(5)},
		{ID: "s2", Value: []byte("sealed-2"), CreatedAt: at(6)},
	}
	if err := s.CreateClient(ctx, c); err != nil {
		t.Fatalf("CreateClient: %v", err)
	}
	if c.Version == 0 {
		t.Errorf("CreateClient left Version 0; the store sets it")
	}
	want := stored(c)

	got, err := s.GetClient(ctx, p.ID, c.ID)
	if err != nil {
		t.Fatalf("GetClient: %v", err)
	}
	diff(t, "GetClient", want, got)
	got, err = s.GetClientByID(ctx, c.ID)
	if err != nil {
		t.Fatalf("GetClientByID: %v", err)
	}
	diff(t, "GetClientByID", want, got)

	wantErr(t, "CreateClient duplicate", s.CreateClient(ctx, newClient(p.ID, c.ID)), storage.ErrAlreadyExists)
	// Client ids are unique across pools.
	other := mustCreatePool(t, s, "us-east-1_other")
	wantErr(t, "CreateClient duplicate id in another pool", s.CreateClient(ctx, newClient(other.ID, c.ID)), storage.ErrAlreadyExists)
	got, _ = s.GetClientByID(ctx, c.ID)
	diff(t, "client after duplicate creates", want, got)

	_, err = s.GetClient(ctx, p.ID, "missing")
	wantErr(t, "GetClient missing", err, storage.ErrNotFound)
	_, err = s.GetClientByID(ctx, "missing")
	wantErr(t, "GetClientByID missing", err, storage.ErrNotFound)
	_, err = s.UpdateClient(ctx, p.ID, "missing", func(*storage.Client) error { return nil })
	wantErr(t, "UpdateClient missing", err, storage.ErrNotFound)
	wantErr(t, "DeleteClient missing", s.DeleteClient(ctx, p.ID, "missing"), storage.ErrNotFound)

	if n, err := s.CountClients(ctx, p.ID); err != nil || n != 1 {
		t.Errorf("CountClients = %d, %v; want 1", n, err)
	}
	if err := s.DeleteClient(ctx, p.ID, c.ID); err != nil {
		t.Fatalf("DeleteClient: %v", err)
	}
	_, err = s.GetClient(ctx, p.ID, c.ID)
	wantErr(t, "GetClient after delete", err, storage.ErrNotFound)
	_, err = s.GetClientByID(ctx, c.ID)
	wantErr(t, "GetClientByID after delete", err, storage.ErrNotFound)
	wantErr(t, "DeleteClient twice", s.DeleteClient(ctx, p.ID, c.ID), storage.ErrNotFound)
	if n, err := s.CountClients(ctx, p.ID); err != nil || n != 0 {
		t.Errorf("CountClients after delete = %d, %v; want 0", n, err)
	}
	// The pool is untouched by its client's deletion.
	if _, err := s.GetPool(ctx, p.ID); err != nil {
		t.Errorf("GetPool after DeleteClient: %v", err)
	}
}

// Rows scoped to a pool need the pool: a client or key of a missing pool is
// refused with ErrNotFound, so nothing can outlive a concurrent DeletePool.
func testClientNeedsPool(t *testing.T, s storage.Store) {
	ctx := t.Context()
	wantErr(t, "CreateClient in missing pool", s.CreateClient(ctx, newClient("us-east-1_none", "c")), storage.ErrNotFound)
	wantErr(t, "AddSigningKey in missing pool",
		s.AddSigningKey(ctx, newKey("us-east-1_none", "k", "", true, at(0))), storage.ErrNotFound)
	if n, err := s.CountClients(ctx, "us-east-1_none"); err != nil || n != 0 {
		t.Errorf("CountClients of a missing pool = %d, %v; want 0, nil", n, err)
	}
	if cs, next, err := s.ListClients(ctx, "us-east-1_none", storage.Page{Limit: 10}); err != nil || len(cs) != 0 || next != "" {
		t.Errorf("ListClients of a missing pool = %d, %q, %v; want none", len(cs), next, err)
	}
}

func testClientTenantIsolation(t *testing.T, s storage.Store) {
	ctx := t.Context()
	a := mustCreatePool(t, s, "us-east-1_A")
	b := mustCreatePool(t, s, "us-east-1_B")
	ca := mustCreateClient(t, s, a.ID, "client-of-a")
	mustCreateClient(t, s, b.ID, "client-of-b")

	_, err := s.GetClient(ctx, b.ID, ca.ID)
	wantErr(t, "GetClient across pools", err, storage.ErrNotFound)
	called := false
	_, err = s.UpdateClient(ctx, b.ID, ca.ID, func(c *storage.Client) error { called = true; return nil })
	wantErr(t, "UpdateClient across pools", err, storage.ErrNotFound)
	if called {
		t.Error("UpdateClient across pools called fn")
	}
	wantErr(t, "DeleteClient across pools", s.DeleteClient(ctx, b.ID, ca.ID), storage.ErrNotFound)

	list, _, err := s.ListClients(ctx, b.ID, storage.Page{Limit: 60})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != "client-of-b" || list[0].PoolID != b.ID {
		t.Errorf("ListClients(B) = %+v; want only client-of-b", list)
	}
	if n, _ := s.CountClients(ctx, b.ID); n != 1 {
		t.Errorf("CountClients(B) = %d, want 1", n)
	}

	// Still there, and found by id alone with its pool.
	got, err := s.GetClientByID(ctx, ca.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.PoolID != a.ID {
		t.Errorf("GetClientByID PoolID = %q, want %q", got.PoolID, a.ID)
	}
}

func testClientUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_cu")
	c := mustCreateClient(t, s, p.ID, "cu1")

	got, err := s.UpdateClient(ctx, p.ID, c.ID, func(u *storage.Client) error {
		u.Name = "renamed"
		u.Settings = []byte(`{"v":2}`)
		u.Secrets = append(u.Secrets, storage.ClientSecret{ID: "s1", Value: []byte("x"), CreatedAt: at(9)})
		u.UpdatedAt = at(10)
		u.PoolID, u.ID = "us-east-1_elsewhere", "hijack" // keys are the store's: ignored
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateClient: %v", err)
	}
	want := &storage.Client{
		PoolID: p.ID, ID: c.ID, Name: "renamed", Settings: []byte(`{"v":2}`),
		Secrets:   []storage.ClientSecret{{ID: "s1", Value: []byte("x"), CreatedAt: ms(at(9))}},
		CreatedAt: ms(at(1)), UpdatedAt: ms(at(10)), Version: c.Version + 1,
	}
	diff(t, "UpdateClient result", want, got)
	read, err := s.GetClient(ctx, p.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "GetClient after update", want, read)
	if _, err := s.GetClientByID(ctx, "hijack"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an update changing ID moved the client: %v", err)
	}

	// Removing the secrets.
	got, err = s.UpdateClient(ctx, p.ID, c.ID, func(u *storage.Client) error {
		u.Secrets = nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want.Secrets, want.Version = nil, want.Version+1
	diff(t, "UpdateClient removing secrets", want, got)
	read, _ = s.GetClient(ctx, p.ID, c.ID)
	diff(t, "GetClient after removing secrets", want, read)

	boom := errors.New("boom")
	_, err = s.UpdateClient(ctx, p.ID, c.ID, func(u *storage.Client) error { u.Name = "no"; return boom })
	wantErr(t, "UpdateClient fn error", err, boom)
	got, err = s.UpdateClient(ctx, p.ID, c.ID, func(u *storage.Client) error { u.Name = "no"; return storage.ErrSkip })
	if err != nil {
		t.Fatalf("UpdateClient ErrSkip: %v", err)
	}
	diff(t, "UpdateClient ErrSkip result", want, got)
	read, _ = s.GetClient(ctx, p.ID, c.ID)
	diff(t, "client after failed and skipped updates", want, read)
}

func testClientList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_cl")
	q := mustCreatePool(t, s, "us-east-1_cq")
	var ids []string
	for i := 12; i >= 0; i-- {
		id := fmt.Sprintf("c%02d", i)
		mustCreateClient(t, s, p.ID, id)
		mustCreateClient(t, s, q.ID, "q-"+id) // interleaved, must not show up
		ids = append([]string{id}, ids...)
	}
	for _, limit := range []int{1, 5, 13, 60} {
		var got []string
		token := ""
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatalf("limit %d: paging does not end", limit)
			}
			page, next, err := s.ListClients(ctx, p.ID, storage.Page{Token: token, Limit: limit})
			if err != nil {
				t.Fatalf("ListClients: %v", err)
			}
			if len(page) > limit {
				t.Fatalf("limit %d: page of %d", limit, len(page))
			}
			for _, c := range page {
				if c.PoolID != p.ID {
					t.Fatalf("ListClients(%s) returned %s/%s", p.ID, c.PoolID, c.ID)
				}
				got = append(got, c.ID)
			}
			if next == "" {
				break
			}
			token = next
		}
		diff(t, fmt.Sprintf("client ids with limit %d", limit), ids, got)
	}
	if n, err := s.CountClients(ctx, p.ID); err != nil || n != len(ids) {
		t.Errorf("CountClients = %d, %v; want %d", n, err, len(ids))
	}
}

func testClientListStable(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_cs")
	var initial []string
	for i := range 20 {
		id := fmt.Sprintf("m-%02d", i*10)
		mustCreateClient(t, s, p.ID, id)
		initial = append(initial, id)
	}
	checkStablePaging(t, initial,
		func(token string) ([]string, string, error) {
			cs, next, err := s.ListClients(ctx, p.ID, storage.Page{Token: token, Limit: 3})
			var ids []string
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			return ids, next, err
		},
		func(id string) { mustCreateClient(t, s, p.ID, id) })
}

func testClientNoLostUpdates(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_cc")
	c := newClient(p.ID, "counter")
	c.Settings = []byte("0")
	if err := s.CreateClient(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 25
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdateClient(ctx, p.ID, c.ID, func(u *storage.Client) error {
			u.Settings = []byte(strconv.Itoa(counter(t, u.Settings) + 1))
			return nil
		})
		return err
	})
	got, err := s.GetClient(t.Context(), p.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := counter(t, got.Settings); n != workers*each {
		t.Errorf("counter = %d after %d increments: updates were lost", n, workers*each)
	}
	if got.Version != c.Version+workers*each {
		t.Errorf("Version = %d, want %d", got.Version, c.Version+workers*each)
	}
}

func testTimestamps(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := newPool("us-east-1_time")
	p.CreatedAt = time.Date(2023, 1, 2, 3, 4, 5, 999_999_999, time.FixedZone("PST", -8*3600))
	p.UpdatedAt = time.Time{} // zero survives
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	gp, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkUTC(t, "pool CreatedAt", gp.CreatedAt, p.CreatedAt)
	if !gp.UpdatedAt.IsZero() {
		t.Errorf("zero UpdatedAt came back as %v", gp.UpdatedAt)
	}

	c := newClient(p.ID, "tc")
	c.Secrets = []storage.ClientSecret{{ID: "s", Value: []byte("v"), CreatedAt: at(3)}}
	if err := s.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	gc, err := s.GetClient(ctx, p.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkUTC(t, "client CreatedAt", gc.CreatedAt, at(1))
	checkUTC(t, "client UpdatedAt", gc.UpdatedAt, at(1))
	checkUTC(t, "client secret CreatedAt", gc.Secrets[0].CreatedAt, at(3))

	mustAddKey(t, s, newKey(p.ID, "k1", "", true, at(4)))
	if err := s.RotateSigningKey(ctx, newKey(p.ID, "k2", "", true, at(5)), "k1"); err != nil {
		t.Fatal(err)
	}
	keys, err := s.ListSigningKeys(ctx, p.ID)
	if err != nil || len(keys) != 2 {
		t.Fatalf("ListSigningKeys = %d, %v", len(keys), err)
	}
	checkUTC(t, "key CreatedAt", keys[0].CreatedAt, at(4))
	if keys[0].RetiredAt == nil {
		t.Fatal("rotated key has no RetiredAt")
	}
	checkUTC(t, "key RetiredAt", *keys[0].RetiredAt, at(5))
}

func checkUTC(t *testing.T, what string, got, sent time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Errorf("%s location = %v, want UTC", what, got.Location())
	}
	if !got.Equal(ms(sent)) {
		t.Errorf("%s = %v, want %v (the instant sent, to the millisecond)", what, got, ms(sent))
	}
}

// Settings documents are opaque bytes, kept verbatim.
func testSettingsVerbatim(t *testing.T, s storage.Store) {
	ctx := t.Context()
	doc := []byte("{\"a\":  1,\n \"b\":[true, null]}\x00\xff\xfe")
	p := newPool("us-east-1_bytes")
	p.Settings = doc
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := newClient(p.ID, "bytes")
	c.Settings = doc
	if err := s.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	gp, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	gc, err := s.GetClient(ctx, p.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(gp.Settings) != string(doc) || string(gc.Settings) != string(doc) {
		t.Errorf("settings not kept verbatim: pool %q, client %q", gp.Settings, gc.Settings)
	}
}
