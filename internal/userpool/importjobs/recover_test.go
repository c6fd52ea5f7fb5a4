package importjobs

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// orphan puts a job in a status as if another process (owner "gone") were
// running it, with its last checkpoint now.
func (e *env) orphan(t *testing.T, id, status string) {
	t.Helper()
	now := e.clk.Now()
	_, err := e.store.UpdateImportJob(e.ctx, e.pool, id, func(j *storage.ImportJob) error {
		st, err := decodeSettings(j)
		if err != nil {
			return err
		}
		j.Status = status
		j.StartedAt = &now
		st.Owner = "gone"
		st.Heartbeat = now.UnixMilli()
		return encodeSettings(j, st)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRecoverExclusive: on start-up with the store to itself, a job left
// InProgress is Failed as interrupted, one left Stopping is Stopped, and
// one left Pending is run.
func TestRecoverExclusive(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Exclusive = true })
	running := e.upload(t, e.pool, e.csvFile(t, e.pool, user("ann")))
	stopping := e.upload(t, e.pool, e.csvFile(t, e.pool, user("bob")))
	pending := e.upload(t, e.pool, e.csvFile(t, e.pool, user("cy")))
	fresh := e.create(t, e.pool)
	e.orphan(t, running, "InProgress")
	e.orphan(t, stopping, "Stopping")
	e.orphan(t, pending, "Pending")

	n, err := e.svc.Recover(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("Recover settled %d jobs, want 3", n)
	}
	if got, want := countsOf(e.describe(t, e.pool, running)), (counts{"Failed", 0, 0, 0, msgInterrupted}); got != want {
		t.Errorf("running job = %+v, want %+v", got, want)
	}
	if got, want := countsOf(e.describe(t, e.pool, stopping)), (counts{"Stopped", 0, 0, 0, msgStopped}); got != want {
		t.Errorf("stopping job = %+v, want %+v", got, want)
	}
	if got, want := countsOf(e.wait(t, e.pool, pending)), (counts{"Succeeded", 1, 0, 0, msgSucceeded}); got != want {
		t.Errorf("pending job = %+v, want %+v", got, want)
	}
	if d := e.describe(t, e.pool, *fresh.JobId); *d.Status != "Created" {
		t.Errorf("created job = %s", *d.Status)
	}
	if e.getUser(t, e.pool, "ann") != nil || e.getUser(t, e.pool, "cy") == nil {
		t.Error("wrong users imported")
	}
	// Recover again: nothing left to do.
	if n, err := e.svc.Recover(e.ctx); err != nil || n != 0 {
		t.Errorf("second Recover = %d, %v", n, err)
	}
}

// TestRecoverShared: with replicas sharing the store, a running job is
// taken for dead only once it has gone the lease without a checkpoint, by
// Recover or by any read.
func TestRecoverShared(t *testing.T) {
	e := newEnv(t)
	id := e.upload(t, e.pool, e.csvFile(t, e.pool, user("ann")))
	e.orphan(t, id, "InProgress")
	if n, err := e.svc.Recover(e.ctx); err != nil || n != 0 {
		t.Fatalf("Recover = %d, %v", n, err)
	}
	if d := e.describe(t, e.pool, id); *d.Status != "InProgress" {
		t.Fatalf("job %s within its lease", *d.Status)
	}
	e.clk.Advance(jobLease - time.Millisecond)
	if d := e.describe(t, e.pool, id); *d.Status != "InProgress" {
		t.Fatalf("job %s within its lease", *d.Status)
	}
	e.clk.Advance(time.Millisecond)
	d := e.describe(t, e.pool, id)
	if got, want := countsOf(d), (counts{"Failed", 0, 0, 0, msgInterrupted}); got != want || !d.CompletionDate.Equal(e.clk.Now()) {
		t.Fatalf("job = %+v at %v, want %+v", got, d.CompletionDate, want)
	}
	if data, _ := e.store.GetImportData(e.ctx, e.pool, id); len(data) != 0 {
		t.Error("an interrupted job kept its file")
	}

	// A Pending job whose process went away is started by a later reader.
	pending := e.upload(t, e.pool, e.csvFile(t, e.pool, user("bob")))
	e.orphan(t, pending, "Pending")
	if d := e.describe(t, e.pool, pending); *d.Status != "Pending" {
		t.Fatalf("pending job %s within its lease", *d.Status)
	}
	e.clk.Advance(jobLease)
	e.describe(t, e.pool, pending)
	if got := countsOf(e.wait(t, e.pool, pending)); got.Status != "Succeeded" || got.Imported != 1 {
		t.Fatalf("pending job = %+v", got)
	}
}

// TestCloseInterruptsRunningJobs: shutting the service down fails the job it
// runs as interrupted, with the counts of the rows it finished; a job still
// waiting stays Pending for the next Recover.
func TestCloseInterruptsRunningJobs(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BatchSize = 10 })
	id := e.upload(t, e.pool, e.csvFile(t, e.pool, manyUsers(50)...))
	waiting := e.upload(t, e.pool, e.csvFile(t, e.pool, user("late")))
	batched := make(chan struct{}, 10)
	release := make(chan struct{})
	e.svc.afterBatch = func(_, job string) {
		if job == id {
			batched <- struct{}{}
			<-release
		}
	}
	e.start(t, e.pool, id)
	<-batched // id holds the only worker slot from here on
	e.start(t, e.pool, waiting)
	closed := make(chan struct{})
	go func() {
		e.svc.Close()
		close(closed)
	}()
	// Close cancels the workers' context, then waits for them.
	for e.svc.ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	close(release)
	<-closed
	d := e.describe(t, e.pool, id)
	if got := countsOf(d); got.Status != "Failed" || got.Message != msgInterrupted || got.Imported < 10 || got.Imported >= 50 {
		t.Fatalf("job after Close = %+v", got)
	}
	if n, _ := e.store.CountUsers(e.ctx, e.pool); int64(n) != d.ImportedUsers {
		t.Errorf("%d users, job counts %d", n, d.ImportedUsers)
	}
	if d := e.describe(t, e.pool, waiting); *d.Status != "Pending" {
		t.Errorf("waiting job %s after Close", *d.Status)
	}
	// A closed service starts nothing.
	if e.svc.launch(e.pool, waiting) {
		t.Error("launch after Close")
	}
}
