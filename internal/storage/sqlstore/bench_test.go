package sqlstore_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
)

// The user benchmarks run on a SQLite pool of $COGITO_BENCH_USERS users
// (default 100000), created once per size through the bulk path and shared
// by the benchmarks of one run:
//
//	go test -run '^$' -bench 'CreateUser|ListUsers' ./internal/storage/sqlstore
//	COGITO_BENCH_USERS=1000000 go test -run '^$' -bench ListUsers -timeout 1h ./internal/storage/sqlstore

func TestMain(m *testing.M) {
	code := m.Run()
	closeFixtures()
	os.Exit(code)
}

const benchPool = "us-east-1_bench"

type fixture struct {
	s     *sqlstore.Store
	dir   string
	users []*storage.User
	rng   *rand.Rand
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fixture{}
)

func benchUsers(b *testing.B) int {
	if v := os.Getenv("COGITO_BENCH_USERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("COGITO_BENCH_USERS=%q: want a positive number", v)
		}
		return n
	}
	return 100_000
}

// poolFixture returns the shared SQLite store holding a pool of n users.
func poolFixture(b *testing.B, n int) *fixture {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f := fixtures[n]; f != nil {
		return f
	}
	dir, err := os.MkdirTemp("", "cogito-bench-")
	if err != nil {
		b.Fatal(err)
	}
	s, err := sqlstore.Open(context.Background(), sqlstore.Config{DataDir: dir})
	if err != nil {
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	f := &fixture{s: s, dir: dir, rng: rand.New(rand.NewPCG(uint64(n), 7))}
	ok := false
	defer func() {
		if !ok { // a failed fill is no fixture for the next benchmark
			s.Close()
			os.RemoveAll(dir)
		}
	}()
	if err := s.CreatePool(context.Background(), pool(benchPool)); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	f.users = fillPool(b, s, benchPool, n, f.rng)
	ok = true
	fixtures[n] = f
	b.Logf("created %d users in %v (%.0f users/s in batches of 1000)", n, time.Since(start).Round(time.Millisecond),
		float64(n)/time.Since(start).Seconds())
	return f
}

func closeFixtures() {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	for n, f := range fixtures {
		f.s.Close()
		os.RemoveAll(f.dir)
		delete(fixtures, n)
	}
}

// BenchmarkCreateUser is AdminCreateUser's write: one user with ten search
// entries and an email alias, in its own transaction, into a pool that
// already holds $COGITO_BENCH_USERS users.
func BenchmarkCreateUser(b *testing.B) {
	f := poolFixture(b, benchUsers(b))
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for b.Loop() {
		if err := f.s.CreateUser(ctx, benchUser(benchPool, rng)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "users/s")
}

// BenchmarkCreateUserParallel is BenchmarkCreateUser from many goroutines:
// on SQLite they queue on the one writer connection.
func BenchmarkCreateUserParallel(b *testing.B) {
	f := poolFixture(b, benchUsers(b))
	ctx := context.Background()
	var seed sync.Mutex
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		seed.Lock()
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), f.rng.Uint64()))
		seed.Unlock()
		for pb.Next() {
			if err := f.s.CreateUser(ctx, benchUser(benchPool, rng)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "users/s")
}

// BenchmarkListUsersPrefix is ListUsers with email ^= a two-character
// prefix (hundreds of matches from 100k users up), a full page of 60.
func BenchmarkListUsersPrefix(b *testing.B) {
	benchListUsers(b, func(u *storage.User) storage.UserFilter {
		return storage.UserFilter{Field: "email", Value: u.Attributes["email"][:2], Prefix: true}
	})
}

// BenchmarkListUsersEqual is ListUsers with email = one user's email.
func BenchmarkListUsersEqual(b *testing.B) {
	benchListUsers(b, func(u *storage.User) storage.UserFilter {
		return storage.UserFilter{Field: "email", Value: u.Attributes["email"]}
	})
}

func benchListUsers(b *testing.B, filter func(*storage.User) storage.UserFilter) {
	f := poolFixture(b, benchUsers(b))
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	var took []time.Duration
	for b.Loop() {
		flt := filter(f.users[rng.IntN(len(f.users))])
		start := time.Now()
		users, _, err := f.s.ListUsers(ctx, benchPool, flt, storage.Page{Limit: 60})
		took = append(took, time.Since(start))
		if err != nil || len(users) == 0 {
			b.Fatalf("ListUsers(%+v) = %d users, %v", flt, len(users), err)
		}
	}
	reportPercentiles(b, took)
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
