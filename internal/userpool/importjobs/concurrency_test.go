package importjobs

import (
	"fmt"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
)

// TestImportWithConcurrentWrites runs an import while other writers create
// users (some with usernames of the file) and readers poll the job: every
// username ends up existing once, and each row is counted exactly once, as
// imported or as skipped.
func TestImportWithConcurrentWrites(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BatchSize = 25 })
	const n = 600
	rows := make([]map[string]string, n)
	for i := range rows {
		rows[i] = user(fmt.Sprintf("c%04d", i))
	}
	id := e.upload(t, e.pool, e.csvFile(t, e.pool, rows...))
	sc := e.schema(t, e.pool)

	var wg sync.WaitGroup
	created := make([]int, 4) // users of the file each writer created first
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 { // half the file's names
				name := fmt.Sprintf("c%04d", i)
				u := &storage.User{
					PoolID: e.pool, Key: sc.Key(name), Username: name, Sub: ids.Sub(), Status: "CONFIRMED", Enabled: true,
					Attributes: map[string]string{"email": name + "@example.com"}, CreatedAt: e.clk.Now(), UpdatedAt: e.clk.Now(),
				}
				if err := e.store.CreateUser(e.ctx, u); err == nil {
					created[w]++
				}
				// And users the file does not name.
				other := fmt.Sprintf("other-%d-%d", w, i)
				u = &storage.User{PoolID: e.pool, Key: other, Username: other, Sub: ids.Sub(), Status: "CONFIRMED", Enabled: true,
					CreatedAt: e.clk.Now(), UpdatedAt: e.clk.Now()}
				if err := e.store.CreateUser(e.ctx, u); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() { // a reader polling the job meanwhile
		defer wg.Done()
		for range 50 {
			if _, err := e.svc.DescribeUserImportJob(e.ctx, &cognitoidp.DescribeUserImportJobRequest{UserPoolId: api.Ptr(e.pool), JobId: api.Ptr(id)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	e.start(t, e.pool, id)
	wg.Wait()
	j := e.wait(t, e.pool, id)

	firsts := 0
	for _, c := range created {
		firsts += c
	}
	if j.ImportedUsers+j.SkippedUsers != n || j.FailedUsers != 0 {
		t.Fatalf("job = %+v", countsOf(j))
	}
	if j.SkippedUsers != int64(firsts) {
		t.Errorf("skipped %d, but the other writers created %d of the file's users first", j.SkippedUsers, firsts)
	}
	for i := range n {
		if e.getUser(t, e.pool, fmt.Sprintf("c%04d", i)) == nil {
			t.Fatalf("c%04d missing", i)
		}
	}
	// Each writer w also created one user the file does not name per i in w, w+8, … < n.
	want := n
	for w := range 4 {
		want += (n - w + 7) / 8
	}
	if c, _ := e.store.CountUsers(e.ctx, e.pool); c != want {
		t.Errorf("CountUsers = %d, want %d", c, want)
	}
}

// TestParallelJobs: with MaxConcurrentJobs 2, two jobs import at once (one
// at a time is the default; TestStopPending shows the second waiting).
func TestParallelJobs(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxConcurrentJobs = 2; c.BatchSize = 10 })
	second := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
	})
	a := e.upload(t, e.pool, e.csvFile(t, e.pool, manyUsers(40)...))
	b := e.upload(t, second, e.csvFile(t, second, manyUsers(40)...))
	// Both must reach a checkpoint before either goes on: only possible if
	// both run at once.
	var arrived sync.WaitGroup
	arrived.Add(2)
	var once [2]sync.Once
	e.svc.afterBatch = func(pool, _ string) {
		i := 0
		if pool == second {
			i = 1
		}
		once[i].Do(func() { arrived.Done(); arrived.Wait() })
	}
	e.start(t, e.pool, a)
	e.start(t, second, b)
	for _, p := range [][2]string{{e.pool, a}, {second, b}} {
		if got := countsOf(e.wait(t, p[0], p[1])); got.Status != "Succeeded" || got.Imported != 40 {
			t.Errorf("job in %s = %+v", p[0], got)
		}
	}
}
