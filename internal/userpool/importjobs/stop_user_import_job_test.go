package importjobs

import (
	"fmt"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func (e *env) stop(pool, id string) (*cognitoidp.UserImportJobType, error) {
	out, err := e.svc.StopUserImportJob(e.ctx, &cognitoidp.StopUserImportJobRequest{UserPoolId: api.Ptr(pool), JobId: api.Ptr(id)})
	if err != nil {
		return nil, err
	}
	return out.UserImportJob, nil
}

func manyUsers(n int) []map[string]string {
	rows := make([]map[string]string, n)
	for i := range rows {
		rows[i] = user(fmt.Sprintf("u%04d", i))
	}
	return rows
}

// TestStopMidway stops a running job between two batches: it ends Stopped
// with the users of the batches it finished, and cannot start again.
func TestStopMidway(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BatchSize = 10 })
	id := e.upload(t, e.pool, e.csvFile(t, e.pool, manyUsers(100)...))
	batched := make(chan struct{})
	release := make(chan struct{})
	e.svc.afterBatch = func(string, string) { batched <- struct{}{}; <-release }
	e.start(t, e.pool, id)
	<-batched // the first 10 users are in and counted
	if d := e.describe(t, e.pool, id); *d.Status != "InProgress" || d.ImportedUsers != 10 {
		t.Fatalf("mid-way: %+v", countsOf(d))
	}
	type result struct {
		j   *cognitoidp.UserImportJobType
		err error
	}
	done := make(chan result)
	go func() {
		j, err := e.stop(e.pool, id)
		done <- result{j, err}
	}()
	// The stop request lands while the worker waits; let it go on to its
	// next checkpoint, where it sees the request.
	for {
		if d := e.describe(t, e.pool, id); *d.Status == "Stopping" {
			break
		}
	}
	close(release)
	<-batched
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got, want := countsOf(r.j), (counts{"Stopped", 20, 0, 0, msgStopped}); got != want {
		t.Fatalf("stopped = %+v, want %+v", got, want)
	}
	if r.j.CompletionDate == nil {
		t.Error("no CompletionDate")
	}
	if n, _ := e.store.CountUsers(e.ctx, e.pool); n != 20 {
		t.Errorf("%d users imported, want 20", n)
	}
	_, err := e.svc.StartUserImportJob(e.ctx, &cognitoidp.StartUserImportJobRequest{UserPoolId: api.Ptr(e.pool), JobId: api.Ptr(id)})
	wantErr(t, err, "PreconditionNotMetException", "Import job "+id+" cannot be started because its status is Stopped.")
	_, err = e.stop(e.pool, id)
	wantErr(t, err, "PreconditionNotMetException", "Import job "+id+" cannot be stopped because its status is Stopped.")
}

// TestStopPending stops a job waiting for the one running before it: it is
// Stopped at once and imports nobody.
func TestStopPending(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BatchSize = 10 })
	first := e.upload(t, e.pool, e.csvFile(t, e.pool, manyUsers(30)...))
	second := e.upload(t, e.pool, e.csvFile(t, e.pool, user("late")))
	batched := make(chan struct{}, 10)
	release := make(chan struct{})
	e.svc.afterBatch = func(_, job string) {
		if job == first {
			batched <- struct{}{}
			<-release
		}
	}
	e.start(t, e.pool, first)
	<-batched
	if j := e.start(t, e.pool, second); *j.Status != "Pending" {
		t.Fatalf("second job %s", *j.Status)
	}
	// One job at a time: the second waits in Pending.
	if d := e.describe(t, e.pool, second); *d.Status != "Pending" {
		t.Fatalf("second job %s while the first runs", *d.Status)
	}
	j, err := e.stop(e.pool, second)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := countsOf(j), (counts{"Stopped", 0, 0, 0, msgStopped}); got != want || j.CompletionDate == nil || j.StartDate == nil {
		t.Fatalf("stopped = %+v, want %+v (dates %v %v)", got, want, j.StartDate, j.CompletionDate)
	}
	close(release)
	if got := countsOf(e.wait(t, e.pool, first)); got.Status != "Succeeded" || got.Imported != 30 {
		t.Fatalf("first job = %+v", got)
	}
	e.wait(t, e.pool, second)
	if e.getUser(t, e.pool, "late") != nil {
		t.Error("the stopped job imported its user")
	}
	if data, _ := e.store.GetImportData(e.ctx, e.pool, second); len(data) != 0 {
		t.Error("the stopped job kept its file")
	}
}

func TestStopErrors(t *testing.T) {
	e := newEnv(t)
	j := e.create(t, e.pool)
	_, err := e.stop(e.pool, *j.JobId)
	wantErr(t, err, "PreconditionNotMetException", "Import job "+*j.JobId+" cannot be stopped because its status is Created.")
	_, err = e.stop(e.pool, "import-nothere000")
	wantErr(t, err, "ResourceNotFoundException", "Import job import-nothere000 does not exist.")
	_, err = e.stop("us-east-1_nothere00", *j.JobId)
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	id := e.upload(t, e.pool, e.csvFile(t, e.pool, user("ann")))
	e.start(t, e.pool, id)
	e.wait(t, e.pool, id)
	_, err = e.stop(e.pool, id)
	wantErr(t, err, "PreconditionNotMetException", "Import job "+id+" cannot be stopped because its status is Succeeded.")
}
