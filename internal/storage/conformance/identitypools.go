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

const idpPrefix = "us-east-1:"

func newIdentityPool(id string) *storage.IdentityPool {
	return &storage.IdentityPool{
		ID:        id,
		Name:      "name-" + id,
		Settings:  []byte(`{"identityPool":"` + id + `"}`),
		CreatedAt: at(0),
		UpdatedAt: at(0),
	}
}

func mustCreateIdentityPool(t *testing.T, s storage.Store, id string) *storage.IdentityPool {
	t.Helper()
	p := newIdentityPool(id)
	if err := s.CreateIdentityPool(t.Context(), p); err != nil {
		t.Fatalf("CreateIdentityPool(%s): %v", id, err)
	}
	return p
}

func testIdentityPoolCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := newIdentityPool(idpPrefix + "11111111-1111-1111-1111-111111111111")
	if err := s.CreateIdentityPool(ctx, p); err != nil {
		t.Fatalf("CreateIdentityPool: %v", err)
	}
	if p.Version == 0 {
		t.Errorf("CreateIdentityPool left Version 0; the store sets it")
	}
	got, err := s.GetIdentityPool(ctx, p.ID)
	if err != nil {
		t.Fatalf("GetIdentityPool: %v", err)
	}
	want := &storage.IdentityPool{
		ID: p.ID, Name: p.Name, Settings: p.Settings,
		CreatedAt: ms(at(0)), UpdatedAt: ms(at(0)), Version: p.Version,
	}
	diff(t, "GetIdentityPool", want, got)
	if got.CreatedAt.Location() != time.UTC || got.UpdatedAt.Location() != time.UTC {
		t.Errorf("times not in UTC: %v, %v", got.CreatedAt.Location(), got.UpdatedAt.Location())
	}

	dup := newIdentityPool(p.ID)
	dup.Name = "other"
	wantErr(t, "CreateIdentityPool duplicate", s.CreateIdentityPool(ctx, dup), storage.ErrAlreadyExists)
	got, _ = s.GetIdentityPool(ctx, p.ID)
	diff(t, "identity pool after duplicate create", want, got)

	// Identity pools and user pools are separate: a user pool with the same id is another thing.
	if _, err := s.GetPool(ctx, p.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetPool of an identity pool id: %v, want ErrNotFound", err)
	}

	missing := idpPrefix + "00000000-0000-0000-0000-000000000000"
	_, err = s.GetIdentityPool(ctx, missing)
	wantErr(t, "GetIdentityPool missing", err, storage.ErrNotFound)
	called := false
	_, err = s.UpdateIdentityPool(ctx, missing, func(*storage.IdentityPool) error { called = true; return nil })
	wantErr(t, "UpdateIdentityPool missing", err, storage.ErrNotFound)
	if called {
		t.Errorf("UpdateIdentityPool called fn for a missing pool")
	}
	wantErr(t, "DeleteIdentityPool missing", s.DeleteIdentityPool(ctx, missing), storage.ErrNotFound)

	if n, err := s.CountIdentityPools(ctx); err != nil || n != 1 {
		t.Errorf("CountIdentityPools = %d, %v; want 1", n, err)
	}
	arn := "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" + p.ID
	if err := s.SetTags(ctx, arn, map[string]string{"team": "a"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteIdentityPool(ctx, p.ID); err != nil {
		t.Fatalf("DeleteIdentityPool: %v", err)
	}
	_, err = s.GetIdentityPool(ctx, p.ID)
	wantErr(t, "GetIdentityPool after delete", err, storage.ErrNotFound)
	wantErr(t, "DeleteIdentityPool twice", s.DeleteIdentityPool(ctx, p.ID), storage.ErrNotFound)
	if n, err := s.CountIdentityPools(ctx); err != nil || n != 0 {
		t.Errorf("CountIdentityPools after delete = %d, %v; want 0", n, err)
	}
	// Tags are the service's to delete.
	if tags, err := s.GetTags(ctx, arn); err != nil || tags["team"] != "a" {
		t.Errorf("GetTags after DeleteIdentityPool = %v, %v; the store must leave tags alone", tags, err)
	}
	// The id is free again.
	if err := s.CreateIdentityPool(ctx, newIdentityPool(p.ID)); err != nil {
		t.Fatalf("CreateIdentityPool after delete: %v", err)
	}
}

func testIdentityPoolUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreateIdentityPool(t, s, idpPrefix+"aaaaaaaa-0000-0000-0000-000000000001")

	got, err := s.UpdateIdentityPool(ctx, p.ID, func(u *storage.IdentityPool) error {
		u.Name = "renamed"
		u.Settings = []byte(`{"v":2}`)
		u.UpdatedAt = at(60)
		u.ID = idpPrefix + "hijack" // keys are the store's: ignored
		u.CreatedAt = at(99)
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateIdentityPool: %v", err)
	}
	want := &storage.IdentityPool{
		ID: p.ID, Name: "renamed", Settings: []byte(`{"v":2}`),
		CreatedAt: ms(at(0)), UpdatedAt: ms(at(60)), Version: p.Version + 1,
	}
	diff(t, "UpdateIdentityPool result", want, got)
	read, err := s.GetIdentityPool(ctx, p.ID)
	if err != nil {
		t.Fatalf("GetIdentityPool: %v", err)
	}
	diff(t, "GetIdentityPool after update", want, read)
	if _, err := s.GetIdentityPool(ctx, idpPrefix+"hijack"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an update changing ID created or moved the pool: %v", err)
	}

	boom := errors.New("boom")
	_, err = s.UpdateIdentityPool(ctx, p.ID, func(u *storage.IdentityPool) error {
		u.Name = "not written"
		return fmt.Errorf("wrapped: %w", boom)
	})
	wantErr(t, "UpdateIdentityPool fn error", err, boom)
	read, _ = s.GetIdentityPool(ctx, p.ID)
	diff(t, "identity pool after failed update", want, read)

	got, err = s.UpdateIdentityPool(ctx, p.ID, func(u *storage.IdentityPool) error {
		u.Name = "not written either"
		return storage.ErrSkip
	})
	if err != nil {
		t.Fatalf("UpdateIdentityPool ErrSkip: err = %v, want nil", err)
	}
	diff(t, "UpdateIdentityPool ErrSkip result", want, got)
	read, _ = s.GetIdentityPool(ctx, p.ID)
	diff(t, "identity pool after skipped update", want, read)

	// Clearing the settings stores none.
	got, err = s.UpdateIdentityPool(ctx, p.ID, func(u *storage.IdentityPool) error { u.Settings = nil; return nil })
	if err != nil || got.Settings != nil {
		t.Fatalf("UpdateIdentityPool clearing settings = %v, %v", got, err)
	}
	if read, _ = s.GetIdentityPool(ctx, p.ID); read.Settings != nil {
		t.Errorf("settings after clearing = %q", read.Settings)
	}
}

func testIdentityPoolList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	pools, next, err := s.ListIdentityPools(ctx, storage.Page{Limit: 10})
	if err != nil || len(pools) != 0 || next != "" {
		t.Fatalf("ListIdentityPools on empty store = %d pools, next %q, err %v; want none", len(pools), next, err)
	}
	// A user pool is not listed.
	mustCreatePool(t, s, "us-east-1_userpool")
	var ids []string
	for i := 24; i >= 0; i-- {
		id := fmt.Sprintf("%s%08x-0000-0000-0000-000000000000", idpPrefix, i)
		mustCreateIdentityPool(t, s, id)
		ids = append([]string{id}, ids...)
	}
	for _, limit := range []int{1, 7, 25, 60} {
		var got []string
		token := ""
		for pages := 0; ; pages++ {
			if pages > 30 {
				t.Fatalf("limit %d: paging does not end", limit)
			}
			page, next, err := s.ListIdentityPools(ctx, storage.Page{Token: token, Limit: limit})
			if err != nil {
				t.Fatalf("limit %d: ListIdentityPools: %v", limit, err)
			}
			if len(page) > limit {
				t.Fatalf("limit %d: page of %d", limit, len(page))
			}
			for _, p := range page {
				got = append(got, p.ID)
				if p.Name != "name-"+p.ID || p.Version == 0 || string(p.Settings) != `{"identityPool":"`+p.ID+`"}` {
					t.Fatalf("listed identity pool %+v is not the stored one", p)
				}
			}
			if next == "" {
				break
			}
			token = next
		}
		diff(t, fmt.Sprintf("ids listed with limit %d", limit), ids, got)
	}
	if n, err := s.CountIdentityPools(ctx); err != nil || n != len(ids) {
		t.Errorf("CountIdentityPools = %d, %v; want %d", n, err, len(ids))
	}
	if _, _, err := s.ListIdentityPools(ctx, storage.Page{Token: "not a token!", Limit: 5}); !errors.Is(err, storage.ErrInvalidPageToken) {
		t.Errorf("ListIdentityPools with a garbage token: %v, want ErrInvalidPageToken", err)
	}
}

func testIdentityPoolListStable(t *testing.T, s storage.Store) {
	ctx := t.Context()
	var initial []string
	for i := range 20 {
		id := fmt.Sprintf("p-%02d", i*10)
		mustCreateIdentityPool(t, s, id)
		initial = append(initial, id)
	}
	checkStablePaging(t, initial,
		func(token string) ([]string, string, error) {
			pools, next, err := s.ListIdentityPools(ctx, storage.Page{Token: token, Limit: 3})
			var ids []string
			for _, p := range pools {
				ids = append(ids, p.ID)
			}
			return ids, next, err
		},
		func(id string) { mustCreateIdentityPool(t, s, id) })
}

func testIdentityPoolNoLostUpdates(t *testing.T, s storage.Store) {
	p := newIdentityPool(idpPrefix + "cccccccc-0000-0000-0000-000000000000")
	p.Settings = []byte("0")
	if err := s.CreateIdentityPool(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 25
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdateIdentityPool(ctx, p.ID, func(u *storage.IdentityPool) error {
			u.Settings = []byte(strconv.Itoa(counter(t, u.Settings) + 1))
			return nil
		})
		return err
	})
	got, err := s.GetIdentityPool(t.Context(), p.ID)
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
