package conformance

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

func mustIncrement(t *testing.T, s storage.Store, poolID, name string, now, expires time.Time) storage.Counter {
	t.Helper()
	c, err := s.IncrementCounter(t.Context(), poolID, name, now, expires)
	if err != nil {
		t.Fatalf("IncrementCounter(%s, %s): %v", poolID, name, err)
	}
	return c
}

func mustGetCounter(t *testing.T, s storage.Store, poolID, name string, now time.Time) storage.Counter {
	t.Helper()
	c, err := s.GetCounter(t.Context(), poolID, name, now)
	if err != nil {
		t.Fatalf("GetCounter(%s, %s): %v", poolID, name, err)
	}
	return c
}

func wantCounter(t *testing.T, what string, got storage.Counter, value int, updated, expires time.Time) {
	t.Helper()
	want := storage.Counter{Value: value, UpdatedAt: ms(updated), ExpiresAt: ms(expires)}
	diff(t, what, want, got)
	if got.UpdatedAt.Location() != time.UTC || got.ExpiresAt.Location() != time.UTC {
		t.Errorf("%s: times in %v and %v, want UTC", what, got.UpdatedAt.Location(), got.ExpiresAt.Location())
	}
}

func testCounters(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_counters")
	q := mustCreatePool(t, s, "us-east-1_counters2")

	diff(t, "missing counter", storage.Counter{}, mustGetCounter(t, s, p.ID, "signin-failures:amy", at(0)))
	wantCounter(t, "first increment", mustIncrement(t, s, p.ID, "signin-failures:amy", at(0), at(100)), 1, at(0), at(100))
	wantCounter(t, "second increment", mustIncrement(t, s, p.ID, "signin-failures:amy", at(10), at(110)), 2, at(10), at(100))
	// A live counter keeps its expiry: later increments do not extend it.
	wantCounter(t, "third increment", mustIncrement(t, s, p.ID, "signin-failures:amy", at(20), at(500)), 3, at(20), at(100))
	wantCounter(t, "GetCounter", mustGetCounter(t, s, p.ID, "signin-failures:amy", at(30)), 3, at(20), at(100))

	// Names and pools are separate counters.
	wantCounter(t, "another name", mustIncrement(t, s, p.ID, "signin-locked:amy", at(5), at(50)), 1, at(5), at(50))
	wantCounter(t, "another pool", mustIncrement(t, s, q.ID, "signin-failures:amy", at(5), at(50)), 1, at(5), at(50))
	wantCounter(t, "first counter after the others", mustGetCounter(t, s, p.ID, "signin-failures:amy", at(30)), 3, at(20), at(100))

	// Expired at now: reads zero, and an increment starts a new counter.
	diff(t, "counter read just before its expiry", 3, mustGetCounter(t, s, p.ID, "signin-failures:amy", ms(at(100)).Add(-time.Millisecond)).Value)
	diff(t, "counter read at its expiry", storage.Counter{}, mustGetCounter(t, s, p.ID, "signin-failures:amy", ms(at(100))))
	diff(t, "expired counter", storage.Counter{}, mustGetCounter(t, s, p.ID, "signin-failures:amy", at(150)))
	wantCounter(t, "increment of an expired counter", mustIncrement(t, s, p.ID, "signin-failures:amy", ms(at(100)), at(300)), 1, at(100), at(300))
	wantCounter(t, "the restarted counter", mustGetCounter(t, s, p.ID, "signin-failures:amy", at(150)), 1, at(100), at(300))

	// Reset removes it, idempotently.
	if err := s.ResetCounter(ctx, p.ID, "signin-failures:amy"); err != nil {
		t.Fatalf("ResetCounter: %v", err)
	}
	diff(t, "reset counter", storage.Counter{}, mustGetCounter(t, s, p.ID, "signin-failures:amy", at(150)))
	if err := s.ResetCounter(ctx, p.ID, "signin-failures:amy"); err != nil {
		t.Fatalf("ResetCounter of a missing counter: %v", err)
	}
	wantCounter(t, "increment after reset", mustIncrement(t, s, p.ID, "signin-failures:amy", at(160), at(260)), 1, at(160), at(260))
	wantCounter(t, "other pool after reset", mustGetCounter(t, s, q.ID, "signin-failures:amy", at(20)), 1, at(5), at(50))

	_, err := s.IncrementCounter(ctx, "us-east-1_none", "x", at(0), at(10))
	wantErr(t, "IncrementCounter in a missing pool", err, storage.ErrNotFound)
	diff(t, "counter of a missing pool", storage.Counter{}, mustGetCounter(t, s, "us-east-1_none", "x", at(0)))
}

// Concurrent increments are each counted once, on a new counter, a live one
// and an expired one (which exactly one of them restarts).
func testCounterConcurrency(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_ccount")
	const workers, each = 16, 20
	var (
		mu   sync.Mutex
		seen []int
	)
	hammer(t, workers, each, func(ctx context.Context) error {
		c, err := s.IncrementCounter(ctx, p.ID, "limit:ForgotPassword:ann", at(0), at(3600))
		mu.Lock()
		seen = append(seen, c.Value)
		mu.Unlock()
		return err
	})
	want := func(what string, n int) {
		t.Helper()
		slices.Sort(seen)
		for i, v := range seen {
			if v != i+1 {
				t.Fatalf("%s: increments returned %v; want each of 1..%d once", what, seen, n)
			}
		}
		if len(seen) != n {
			t.Fatalf("%s: %d results, want %d", what, len(seen), n)
		}
	}
	want("concurrent increments", workers*each)
	if c := mustGetCounter(t, s, p.ID, "limit:ForgotPassword:ann", at(1)); c.Value != workers*each {
		t.Fatalf("counter = %d after %d increments", c.Value, workers*each)
	}

	// All at once after the expiry: one restart, then increments of the new counter.
	seen = nil
	hammer(t, workers, 1, func(ctx context.Context) error {
		c, err := s.IncrementCounter(ctx, p.ID, "limit:ForgotPassword:ann", at(4000), at(8000))
		mu.Lock()
		seen = append(seen, c.Value)
		mu.Unlock()
		if err == nil && !c.ExpiresAt.Equal(ms(at(8000))) {
			t.Errorf("restarted counter expires at %v, want %v", c.ExpiresAt, ms(at(8000)))
		}
		return err
	})
	want("increments of an expired counter", workers)
}

func testCounterExpiry(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_cexp")
	q := mustCreatePool(t, s, "us-east-1_cexp2")
	for _, pool := range []string{p.ID, q.ID} {
		for i, name := range []string{"a", "b", "c"} {
			mustIncrement(t, s, pool, name, at(0), at(100*(i+1)))
		}
	}
	if n, err := s.DeleteExpiredCounters(ctx, at(0)); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredCounters before any expiry = %d, %v", n, err)
	}
	if n, err := s.DeleteExpiredCounters(ctx, ms(at(100)).Add(-time.Millisecond)); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredCounters just before the first expiry = %d, %v; want 0", n, err)
	}
	// A counter expiring at now is expired at now (GetCounter reads it as zero).
	if n, err := s.DeleteExpiredCounters(ctx, ms(at(100)).In(base.Location())); err != nil || n != 2 {
		t.Fatalf("DeleteExpiredCounters at the first expiry = %d, %v; want 2 (one per pool)", n, err)
	}
	for _, pool := range []string{p.ID, q.ID} {
		// Gone, not merely expired: incrementing at an earlier now starts afresh.
		wantCounter(t, "collected counter", mustIncrement(t, s, pool, "a", at(50), at(100)), 1, at(50), at(100))
		wantCounter(t, "live counter", mustGetCounter(t, s, pool, "b", at(50)), 1, at(0), at(200))
	}
	if n, err := s.DeleteExpiredCounters(ctx, at(1000)); err != nil || n != 6 {
		t.Fatalf("DeleteExpiredCounters = %d, %v; want 6", n, err)
	}
	if n, err := s.DeleteExpiredCounters(ctx, at(1000)); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredCounters again = %d, %v; want 0", n, err)
	}
}

// A pool's counters go with the pool.
func testCounterPoolDelete(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_cdel")
	q := mustCreatePool(t, s, "us-east-1_cdel2")
	mustIncrement(t, s, p.ID, "n", at(0), at(100))
	mustIncrement(t, s, q.ID, "n", at(0), at(100))
	if err := s.DeletePool(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	mustCreatePool(t, s, p.ID)
	diff(t, "counter of a re-created pool", storage.Counter{}, mustGetCounter(t, s, p.ID, "n", at(1)))
	wantCounter(t, "other pool's counter", mustGetCounter(t, s, q.ID, "n", at(1)), 1, at(0), at(100))
}
