package conformance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

func testPoolCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := newPool("us-east-1_pool1")
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatalf("CreatePool: %v", err)
	}
	if p.Version == 0 {
		t.Errorf("CreatePool left Version 0; the store sets it")
	}

	got, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatalf("GetPool: %v", err)
	}
	want := &storage.UserPool{
		ID: p.ID, Name: p.Name, Settings: p.Settings,
		CreatedAt: ms(at(0)), UpdatedAt: ms(at(0)), Version: p.Version,
	}
	diff(t, "GetPool", want, got)

	dup := newPool(p.ID)
	dup.Name = "other"
	wantErr(t, "CreatePool duplicate", s.CreatePool(ctx, dup), storage.ErrAlreadyExists)
	got, _ = s.GetPool(ctx, p.ID)
	diff(t, "pool after duplicate create", want, got)

	_, err = s.GetPool(ctx, "us-east-1_missing")
	wantErr(t, "GetPool missing", err, storage.ErrNotFound)
	called := false
	_, err = s.UpdatePool(ctx, "us-east-1_missing", func(*storage.UserPool) error { called = true; return nil })
	wantErr(t, "UpdatePool missing", err, storage.ErrNotFound)
	if called {
		t.Errorf("UpdatePool called fn for a missing pool")
	}
	wantErr(t, "DeletePool missing", s.DeletePool(ctx, "us-east-1_missing"), storage.ErrNotFound)

	if err := s.DeletePool(ctx, p.ID); err != nil {
		t.Fatalf("DeletePool: %v", err)
	}
	_, err = s.GetPool(ctx, p.ID)
	wantErr(t, "GetPool after delete", err, storage.ErrNotFound)
	wantErr(t, "DeletePool twice", s.DeletePool(ctx, p.ID), storage.ErrNotFound)

	// The id is free again.
	if err := s.CreatePool(ctx, newPool(p.ID)); err != nil {
		t.Fatalf("CreatePool after delete: %v", err)
	}
}

func testPoolUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_upd")

	got, err := s.UpdatePool(ctx, p.ID, func(u *storage.UserPool) error {
		u.Name = "renamed"
		u.Settings = []byte(`{"v":2}`)
		u.UpdatedAt = at(60)
		u.ID = "us-east-1_hijack" // keys are the store's: ignored
		return nil
	})
	if err != nil {
		t.Fatalf("UpdatePool: %v", err)
	}
	want := &storage.UserPool{
		ID: p.ID, Name: "renamed", Settings: []byte(`{"v":2}`),
		CreatedAt: ms(at(0)), UpdatedAt: ms(at(60)), Version: p.Version + 1,
	}
	diff(t, "UpdatePool result", want, got)
	read, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatalf("GetPool: %v", err)
	}
	diff(t, "GetPool after update", want, read)
	if _, err := s.GetPool(ctx, "us-east-1_hijack"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an update changing ID created or moved the pool: %v", err)
	}

	// fn's error aborts with that error and writes nothing.
	boom := errors.New("boom")
	_, err = s.UpdatePool(ctx, p.ID, func(u *storage.UserPool) error {
		u.Name = "not written"
		return fmt.Errorf("wrapped: %w", boom)
	})
	wantErr(t, "UpdatePool fn error", err, boom)
	read, _ = s.GetPool(ctx, p.ID)
	diff(t, "pool after failed update", want, read)

	// ErrSkip: the unchanged record, no write, no error.
	got, err = s.UpdatePool(ctx, p.ID, func(u *storage.UserPool) error {
		u.Name = "not written either"
		return storage.ErrSkip
	})
	if err != nil {
		t.Fatalf("UpdatePool ErrSkip: err = %v, want nil", err)
	}
	diff(t, "UpdatePool ErrSkip result", want, got)
	read, _ = s.GetPool(ctx, p.ID)
	diff(t, "pool after skipped update", want, read)
}

func testPoolList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	pools, next, err := s.ListPools(ctx, storage.Page{Limit: 10})
	if err != nil || len(pools) != 0 || next != "" {
		t.Fatalf("ListPools on empty store = %d pools, next %q, err %v; want none", len(pools), next, err)
	}

	var ids []string
	for i := 24; i >= 0; i-- { // created out of order; listed by id
		id := fmt.Sprintf("us-east-1_p%02d", i)
		mustCreatePool(t, s, id)
		ids = append([]string{id}, ids...)
	}
	for _, limit := range []int{1, 7, 25, 60} {
		var got []string
		token := ""
		for pages := 0; ; pages++ {
			if pages > 30 {
				t.Fatalf("limit %d: paging does not end", limit)
			}
			page, next, err := s.ListPools(ctx, storage.Page{Token: token, Limit: limit})
			if err != nil {
				t.Fatalf("limit %d: ListPools: %v", limit, err)
			}
			if len(page) > limit {
				t.Fatalf("limit %d: page of %d", limit, len(page))
			}
			for _, p := range page {
				got = append(got, p.ID)
				if p.Name != "name-"+p.ID || p.Version == 0 {
					t.Fatalf("listed pool %+v is not the stored one", p)
				}
			}
			if next == "" {
				break
			}
			token = next
		}
		diff(t, fmt.Sprintf("ids listed with limit %d", limit), ids, got)
	}

	if _, _, err := s.ListPools(ctx, storage.Page{Token: "not a token!", Limit: 5}); err == nil {
		t.Errorf("ListPools with a garbage token: no error")
	}
}

func testPoolListStable(t *testing.T, s storage.Store) {
	ctx := t.Context()
	var initial []string
	for i := range 20 {
		id := fmt.Sprintf("p-%02d", i*10)
		mustCreatePool(t, s, id)
		initial = append(initial, id)
	}
	checkStablePaging(t, initial,
		func(token string) ([]string, string, error) {
			pools, next, err := s.ListPools(ctx, storage.Page{Token: token, Limit: 3})
			var ids []string
			for _, p := range pools {
				ids = append(ids, p.ID)
			}
			return ids, next, err
		},
		func(id string) { mustCreatePool(t, s, id) })
}

func testPoolNoLostUpdates(t *testing.T, s storage.Store) {
	p := newPool("us-east-1_counter")
	p.Settings = []byte("0")
	if err := s.CreatePool(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 25
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdatePool(ctx, p.ID, func(u *storage.UserPool) error {
			u.Settings = []byte(strconv.Itoa(counter(t, u.Settings) + 1))
			return nil
		})
		return err
	})
	got, err := s.GetPool(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := counter(t, got.Settings); n != workers*each {
		t.Errorf("counter = %d after %d increments: updates were lost", n, workers*each)
	}
	if got.Version != p.Version+workers*each {
		t.Errorf("Version = %d, want %d", got.Version, p.Version+workers*each)
	}
}

func testPoolDeleteCascades(t *testing.T, s storage.Store) {
	ctx := t.Context()
	a := mustCreatePool(t, s, "us-east-1_a")
	b := mustCreatePool(t, s, "us-east-1_b")
	for i := range 3 {
		mustCreateClient(t, s, a.ID, fmt.Sprintf("a-client-%d", i))
	}
	bc := mustCreateClient(t, s, b.ID, "b-client")
	mustAddKey(t, s, newKey(a.ID, "a-k1", "", false, at(1)))
	mustAddKey(t, s, newKey(a.ID, "a-k2", "", true, at(2)))
	mustAddKey(t, s, newKey(b.ID, "b-k1", "", true, at(1)))
	arn := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + a.ID
	if err := s.SetTags(ctx, arn, map[string]string{"team": "a"}); err != nil {
		t.Fatal(err)
	}

	if err := s.DeletePool(ctx, a.ID); err != nil {
		t.Fatalf("DeletePool: %v", err)
	}
	for i := range 3 {
		id := fmt.Sprintf("a-client-%d", i)
		_, err := s.GetClientByID(ctx, id)
		wantErr(t, "GetClientByID of a deleted pool's client", err, storage.ErrNotFound)
		_, err = s.GetClient(ctx, a.ID, id)
		wantErr(t, "GetClient of a deleted pool's client", err, storage.ErrNotFound)
	}
	if n, err := s.CountClients(ctx, a.ID); err != nil || n != 0 {
		t.Errorf("CountClients of deleted pool = %d, %v; want 0", n, err)
	}
	if keys, err := s.ListSigningKeys(ctx, a.ID); err != nil || len(keys) != 0 {
		t.Errorf("ListSigningKeys of deleted pool = %d keys, %v; want none", len(keys), err)
	}
	// Tags are the service's to delete.
	if tags, err := s.GetTags(ctx, arn); err != nil || tags["team"] != "a" {
		t.Errorf("GetTags after DeletePool = %v, %v; the store must leave tags alone", tags, err)
	}

	// The other pool is untouched.
	if got, err := s.GetClient(ctx, b.ID, bc.ID); err != nil {
		t.Errorf("other pool's client: %v", err)
	} else {
		diff(t, "other pool's client", stored(bc), got)
	}
	if keys, err := s.ListSigningKeys(ctx, b.ID); err != nil || len(keys) != 1 {
		t.Errorf("other pool's keys = %d, %v; want 1", len(keys), err)
	}

	// A pool re-created with the same id starts empty, and the ids are free.
	mustCreatePool(t, s, a.ID)
	if n, _ := s.CountClients(ctx, a.ID); n != 0 {
		t.Errorf("re-created pool has %d clients", n)
	}
	mustCreateClient(t, s, a.ID, "a-client-0")
	mustAddKey(t, s, newKey(a.ID, "a-k2", "", true, at(3)))
}
