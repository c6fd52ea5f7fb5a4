package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

func listKeys(t *testing.T, s storage.Store, poolID string) []*storage.SigningKey {
	t.Helper()
	keys, err := s.ListSigningKeys(t.Context(), poolID)
	if err != nil {
		t.Fatalf("ListSigningKeys(%s): %v", poolID, err)
	}
	return keys
}

func testKeyAddList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_keys")
	q := mustCreatePool(t, s, "us-east-1_other")
	if keys := listKeys(t, s, p.ID); keys == nil || len(keys) != 0 {
		t.Errorf("ListSigningKeys with no keys = %v; want an empty list", keys)
	}

	old := newKey(p.ID, "k-old", "", false, at(-100))
	old.RetiredAt = msp(at(-50))
	k1 := newKey(p.ID, "k1", "", true, at(0))
	id1 := newKey(p.ID, "k-id", "id", true, at(2))
	mustAddKey(t, s, k1)
	mustAddKey(t, s, old)
	mustAddKey(t, s, id1)                                 // another use may have its own active key
	mustAddKey(t, s, newKey(q.ID, "k1", "", true, at(1))) // key ids are scoped by pool

	wantErr(t, "second active key for a use",
		s.AddSigningKey(ctx, newKey(p.ID, "k2", "", true, at(3))), storage.ErrAlreadyExists)
	wantErr(t, "duplicate key id",
		s.AddSigningKey(ctx, newKey(p.ID, "k1", "access", false, at(3))), storage.ErrAlreadyExists)

	want := []*storage.SigningKey{storedKey(old), storedKey(k1), storedKey(id1)} // oldest first
	diff(t, "ListSigningKeys", want, listKeys(t, s, p.ID))
	if keys := listKeys(t, s, q.ID); len(keys) != 1 || keys[0].PoolID != q.ID {
		t.Errorf("other pool's keys = %+v", keys)
	}
}

func testKeyRotate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_rot")
	k1 := newKey(p.ID, "k1", "", true, at(0))
	mustAddKey(t, s, k1)
	other := newKey(p.ID, "id1", "id", true, at(1)) // a different use is not touched
	mustAddKey(t, s, other)

	k2 := newKey(p.ID, "k2", "", true, at(10))
	if err := s.RotateSigningKey(ctx, k2, "k1"); err != nil {
		t.Fatalf("RotateSigningKey: %v", err)
	}
	retired := storedKey(k1)
	retired.Active, retired.RetiredAt = false, msp(at(10))
	want := []*storage.SigningKey{retired, storedKey(other), storedKey(k2)}
	diff(t, "keys after rotation", want, listKeys(t, s, p.ID))

	// A rotation whose new key id is taken changes nothing.
	dup := newKey(p.ID, "k1", "", true, at(20))
	if err := s.RotateSigningKey(ctx, dup, "k2"); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Errorf("rotation to an existing key id: err = %v, want ErrAlreadyExists", err)
	}
	diff(t, "keys after failed rotation", want, listKeys(t, s, p.ID))

	// With no active key, rotating from "" installs one.
	q := mustCreatePool(t, s, "us-east-1_rot2")
	first := newKey(q.ID, "q1", "", true, at(1))
	if err := s.RotateSigningKey(ctx, first, ""); err != nil {
		t.Fatalf("RotateSigningKey with no active key: %v", err)
	}
	diff(t, "keys after first rotation", []*storage.SigningKey{storedKey(first)}, listKeys(t, s, q.ID))
}

func testKeyRotateStale(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_stale")
	mustAddKey(t, s, newKey(p.ID, "k1", "", true, at(0)))
	if err := s.RotateSigningKey(ctx, newKey(p.ID, "k2", "", true, at(1)), "k1"); err != nil {
		t.Fatal(err)
	}
	before := listKeys(t, s, p.ID)
	for _, expect := range []string{"k1", "", "nope"} {
		err := s.RotateSigningKey(ctx, newKey(p.ID, "k3-"+expect, "", true, at(2)), expect)
		wantConflict(t, fmt.Sprintf("rotation expecting %q while k2 is active", expect), err)
		diff(t, "keys after stale rotation", before, listKeys(t, s, p.ID))
	}
	// The expected key must be the active one for next.Use.
	err := s.RotateSigningKey(ctx, newKey(p.ID, "id-1", "id", true, at(3)), "k2")
	wantConflict(t, "rotation of another use", err)
	diff(t, "keys after rotation of another use", before, listKeys(t, s, p.ID))
}

func testKeyRotateConcurrent(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_race")
	mustAddKey(t, s, newKey(p.ID, "k0", "", true, at(0)))
	const n = 8
	var (
		wg   sync.WaitGroup
		errs [n]error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = s.RotateSigningKey(context.Background(), newKey(p.ID, fmt.Sprintf("k%d", i+1), "", true, at(i+1)), "k0")
		})
	}
	close(start)
	wg.Wait()
	winner := ""
	for i, err := range errs {
		if err == nil {
			if winner != "" {
				t.Errorf("rotations to %s and k%d both won", winner, i+1)
			}
			winner = fmt.Sprintf("k%d", i+1)
			continue
		}
		wantConflict(t, "losing rotation", err)
	}
	if winner == "" {
		t.Fatal("no rotation won")
	}
	keys := listKeys(t, s, p.ID)
	if len(keys) != 2 {
		t.Fatalf("%d keys after concurrent rotations, want 2 (k0 and the winner)", len(keys))
	}
	for _, k := range keys {
		switch k.KeyID {
		case "k0":
			if k.Active || k.RetiredAt == nil {
				t.Errorf("k0 not retired: %+v", k)
			}
		case winner:
			if !k.Active || k.RetiredAt != nil {
				t.Errorf("winner %s not active: %+v", winner, k)
			}
		default:
			t.Errorf("losing key %s was stored", k.KeyID)
		}
	}
}

func testKeyDelete(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_kd")
	mustAddKey(t, s, newKey(p.ID, "k1", "", true, at(0)))
	if err := s.RotateSigningKey(ctx, newKey(p.ID, "k2", "", true, at(1)), "k1"); err != nil {
		t.Fatal(err)
	}
	// Only retired keys may be removed: deleting the active key would leave
	// the pool unable to sign.
	wantConflict(t, "DeleteSigningKey of the active key", s.DeleteSigningKey(ctx, p.ID, "k2"))
	if err := s.DeleteSigningKey(ctx, p.ID, "k1"); err != nil {
		t.Fatalf("DeleteSigningKey: %v", err)
	}
	wantErr(t, "DeleteSigningKey twice", s.DeleteSigningKey(ctx, p.ID, "k1"), storage.ErrNotFound)
	wantErr(t, "DeleteSigningKey missing", s.DeleteSigningKey(ctx, p.ID, "nope"), storage.ErrNotFound)
	keys := listKeys(t, s, p.ID)
	if len(keys) != 1 || keys[0].KeyID != "k2" || !keys[0].Active {
		t.Errorf("keys after delete = %+v; want the active k2 only", keys)
	}
	// Keys are scoped by pool.
	q := mustCreatePool(t, s, "us-east-1_kd2")
	mustAddKey(t, s, newKey(q.ID, "r1", "", false, at(0)))
	wantErr(t, "DeleteSigningKey across pools", s.DeleteSigningKey(ctx, p.ID, "r1"), storage.ErrNotFound)
	if len(listKeys(t, s, q.ID)) != 1 {
		t.Error("DeleteSigningKey across pools removed the key")
	}
}
