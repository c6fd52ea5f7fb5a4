// Package conformance is the test suite every storage.Store backend must
// pass. A backend's tests call RunTests with a constructor that returns a
// fresh, empty store for each subtest:
//
//	func TestConformance(t *testing.T) {
//		conformance.RunTests(t, func(t *testing.T) storage.Store { return open(t) })
//	}
package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cogito-dev/cogito/internal/storage"
)

// RunTests runs the suite, one subtest per behaviour, each on a new store.
func RunTests(t *testing.T, newStore func(t *testing.T) storage.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s storage.Store)
	}{
		{"PoolCRUD", testPoolCRUD},
		{"PoolUpdate", testPoolUpdate},
		{"PoolList", testPoolList},
		{"PoolListStableWhileInserting", testPoolListStable},
		{"PoolNoLostUpdates", testPoolNoLostUpdates},
		{"PoolDeleteCascades", testPoolDeleteCascades},
		{"ClientCRUD", testClientCRUD},
		{"ClientNeedsPool", testClientNeedsPool},
		{"ClientTenantIsolation", testClientTenantIsolation},
		{"ClientUpdate", testClientUpdate},
		{"ClientList", testClientList},
		{"ClientListStableWhileInserting", testClientListStable},
		{"ClientNoLostUpdates", testClientNoLostUpdates},
		{"TimestampsUTC", testTimestamps},
		{"SettingsVerbatim", testSettingsVerbatim},
		{"KeyAddList", testKeyAddList},
		{"KeyRotate", testKeyRotate},
		{"KeyRotateStale", testKeyRotateStale},
		{"KeyRotateConcurrent", testKeyRotateConcurrent},
		{"KeyDelete", testKeyDelete},
		{"Tags", testTags},
		{"Meta", testMeta},
		{"MetaConcurrent", testMetaConcurrent},
		{"UserCRUD", testUserCRUD},
		{"UserUpdate", testUserUpdate},
		{"UserConcurrentUniqueness", testUserConcurrentUniqueness},
		{"UserAliasMoves", testUserAliasMoves},
		{"UserNoLostUpdates", testUserNoLostUpdates},
		{"UserTenantIsolation", testUserTenantIsolation},
		{"UserList", testUserList},
		{"UserListStableWhileInserting", testUserListStable},
		{"UserListFilters", testUserListFilters},
		{"UserDeleteCascades", testUserDeleteCascades},
		{"PoolDeleteCascadesDirectory", testPoolDeleteCascadesDirectory},
		{"GroupCRUD", testGroupCRUD},
		{"GroupUpdate", testGroupUpdate},
		{"GroupList", testGroupList},
		{"GroupMembership", testGroupMembership},
		{"CodeCRUD", testCodeCRUD},
		{"CodeConcurrency", testCodeConcurrency},
		{"CodeExpiry", testCodeExpiry},
		{"Messages", testMessages},
		{"ImportJobCRUD", testImportJobCRUD},
		{"ImportJobList", testImportJobList},
		{"ImportData", testImportData},
		{"DirectoryTimestampsUTC", testDirectoryTimestamps},
		{"TokenCRUD", testTokenCRUD},
		{"TokenUpdate", testTokenUpdate},
		{"TokenNoLostUpdates", testTokenNoLostUpdates},
		{"TokenRevokeFamily", testTokenRevokeFamily},
		{"TokenRevokeUser", testTokenRevokeUser},
		{"TokenRevokeConcurrent", testTokenRevokeConcurrent},
		{"TokenExpiry", testTokenExpiry},
		{"TokenDeleteCascades", testTokenDeleteCascades},
		{"Counters", testCounters},
		{"CounterConcurrency", testCounterConcurrency},
		{"CounterExpiry", testCounterExpiry},
		{"CounterPoolDelete", testCounterPoolDelete},
		{"EventCRUD", testEventCRUD},
		{"EventList", testEventList},
		{"EventListStableWhileInserting", testEventListStable},
		{"EventNoLostUpdates", testEventNoLostUpdates},
		{"EventDeleteCascades", testEventDeleteCascades},
		{"IdentityPoolCRUD", testIdentityPoolCRUD},
		{"IdentityPoolUpdate", testIdentityPoolUpdate},
		{"IdentityPoolList", testIdentityPoolList},
		{"IdentityPoolListStableWhileInserting", testIdentityPoolListStable},
		{"IdentityPoolNoLostUpdates", testIdentityPoolNoLostUpdates},
		{"Reset", testReset},
		{"Ping", testPing},
	}
	for _, r := range registered {
		tests = append(tests, struct {
			name string
			run  func(t *testing.T, s storage.Store)
		}{r.name, r.run})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newStore(t))
		})
	}
}

// registered are the tests files of the suite add with register (newer
// families keep their list in their own file).
var registered []struct {
	name string
	run  func(t *testing.T, s storage.Store)
}

// register adds a test to the suite; call it from an init function.
func register(name string, run func(t *testing.T, s storage.Store)) {
	registered = append(registered, struct {
		name string
		run  func(t *testing.T, s storage.Store)
	}{name, run})
}

// cmpOpts compares records: nil and empty slices and maps are the same, and
// times compare with Equal (instant, not location; locations are checked on
// their own).
var cmpOpts = []cmp.Option{cmpopts.EquateEmpty()}

// base is an arbitrary instant in a non-UTC zone with sub-millisecond digits,
// to catch stores that keep the zone or lose precision.
var base = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("UTC+5", 5*3600))

// at returns base plus n seconds.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Second) }

// ms is t as a store returns it: UTC, whole milliseconds.
func ms(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }

func msp(t time.Time) *time.Time { t = ms(t); return &t }

func newPool(id string) *storage.UserPool {
	return &storage.UserPool{
		ID:        id,
		Name:      "name-" + id,
		Settings:  []byte(`{"pool":"` + id + `"}`),
		CreatedAt: at(0),
		UpdatedAt: at(0),
	}
}

func newClient(poolID, id string) *storage.Client {
	return &storage.Client{
		PoolID:    poolID,
		ID:        id,
		Name:      "client-" + id,
		Settings:  []byte(`{"client":"` + id + `"}`),
		CreatedAt: at(1),
		UpdatedAt: at(1),
	}
}

// stored is c as the store returns it: times in UTC milliseconds.
func stored(c *storage.Client) *storage.Client {
	n := *c
	n.CreatedAt, n.UpdatedAt = ms(c.CreatedAt), ms(c.UpdatedAt)
	n.Secrets = nil
	for _, sec := range c.Secrets {
		sec.CreatedAt = ms(sec.CreatedAt)
		n.Secrets = append(n.Secrets, sec)
	}
	return &n
}

// storedKey is k as the store returns it.
func storedKey(k *storage.SigningKey) *storage.SigningKey {
	n := *k
	n.CreatedAt = ms(k.CreatedAt)
	if k.RetiredAt != nil {
		n.RetiredAt = msp(*k.RetiredAt)
	}
	return &n
}

func newKey(poolID, keyID, use string, active bool, created time.Time) *storage.SigningKey {
	return &storage.SigningKey{
		PoolID:     poolID,
		KeyID:      keyID,
		Algorithm:  "RS256",
		Use:        use,
		PrivateKey: []byte("sealed-private-" + keyID),
		PublicKey:  []byte(`{"kid":"` + keyID + `"}`),
		Active:     active,
		CreatedAt:  created,
	}
}

func mustCreatePool(t *testing.T, s storage.Store, id string) *storage.UserPool {
	t.Helper()
	p := newPool(id)
	if err := s.CreatePool(t.Context(), p); err != nil {
		t.Fatalf("CreatePool(%s): %v", id, err)
	}
	return p
}

func mustCreateClient(t *testing.T, s storage.Store, poolID, id string) *storage.Client {
	t.Helper()
	c := newClient(poolID, id)
	if err := s.CreateClient(t.Context(), c); err != nil {
		t.Fatalf("CreateClient(%s, %s): %v", poolID, id, err)
	}
	return c
}

func mustAddKey(t *testing.T, s storage.Store, k *storage.SigningKey) {
	t.Helper()
	if err := s.AddSigningKey(t.Context(), k); err != nil {
		t.Fatalf("AddSigningKey(%s/%s): %v", k.PoolID, k.KeyID, err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

func wantConflict(t *testing.T, what string, err error) {
	t.Helper()
	var ce *storage.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("%s: err = %v, want *storage.ConflictError", what, err)
	}
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts...); d != "" {
		t.Fatalf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// counter reads the integer kept in a Settings document by the contention tests.
func counter(t *testing.T, b []byte) int {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		t.Errorf("settings %q: not a counter", b)
	}
	return n
}

// hammer runs workers goroutines each calling fn perRun times and fails the
// test with the first error.
func hammer(t *testing.T, workers, perRun int, fn func(ctx context.Context) error) {
	t.Helper()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	start := make(chan struct{})
	for range workers {
		wg.Go(func() {
			<-start
			for range perRun {
				if err := fn(t.Context()); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d workers failed; first: %v", len(errs), workers, errs[0])
	}
}

// checkStablePaging pages through a listing of initial (sorted) keys with
// small pages, calling insert between pages with keys that sort before the
// cursor, right after it and at the end. Every key in initial must be seen
// exactly once, in increasing order, with no key seen twice.
func checkStablePaging(t *testing.T, initial []string,
	list func(token string) (keys []string, next string, err error),
	insert func(key string),
) {
	t.Helper()
	var (
		seen  []string
		token string
	)
	for page := 0; ; page++ {
		if page > 200 {
			t.Fatal("paging does not end")
		}
		keys, next, err := list(token)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, k := range keys {
			if len(seen) > 0 && k <= seen[len(seen)-1] {
				t.Fatalf("page %d: key %q after %q: not in increasing order, or repeated", page, k, seen[len(seen)-1])
			}
			seen = append(seen, k)
		}
		if next == "" {
			break
		}
		if len(keys) == 0 {
			t.Fatalf("page %d: empty page with a next token", page)
		}
		if page < 8 {
			last := keys[len(keys)-1]
			insert(fmt.Sprintf("a-%02d", page))         // before the cursor: must not show up
			insert(fmt.Sprintf("%s-x%02d", last, page)) // right after the cursor
			insert(fmt.Sprintf("zz-%02d", page))        // at the end
		}
		token = next
	}
	for _, k := range initial {
		if !slices.Contains(seen, k) {
			t.Errorf("key %q existed when paging began but was never listed", k)
		}
	}
	for _, k := range seen {
		if len(k) > 2 && k[:2] == "a-" {
			t.Errorf("key %q was inserted before the cursor yet listed", k)
		}
	}
}
