package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

func newImportJob(poolID, jobID string, created time.Time) *storage.ImportJob {
	return &storage.ImportJob{
		PoolID:    poolID,
		JobID:     jobID,
		Name:      "job " + jobID,
		Status:    "Created",
		RoleARN:   "arn:aws:iam::123456789012:role/import",
		CreatedAt: created,
		Settings:  []byte(`{"job":"` + jobID + `"}`),
	}
}

func storedImportJob(j *storage.ImportJob) *storage.ImportJob {
	n := *j
	n.CreatedAt = ms(j.CreatedAt)
	if j.StartedAt != nil {
		n.StartedAt = msp(*j.StartedAt)
	}
	if j.CompletedAt != nil {
		n.CompletedAt = msp(*j.CompletedAt)
	}
	return &n
}

func mustCreateImportJob(t *testing.T, s storage.Store, j *storage.ImportJob) {
	t.Helper()
	if err := s.CreateImportJob(t.Context(), j); err != nil {
		t.Fatalf("CreateImportJob(%s, %s): %v", j.PoolID, j.JobID, err)
	}
}

func mustGetImportJob(t *testing.T, s storage.Store, poolID, jobID string) *storage.ImportJob {
	t.Helper()
	j, err := s.GetImportJob(t.Context(), poolID, jobID)
	if err != nil {
		t.Fatalf("GetImportJob(%s, %s): %v", poolID, jobID, err)
	}
	return j
}

func testImportJobCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_import")
	q := mustCreatePool(t, s, "us-east-1_import2")
	j := newImportJob(p.ID, "import-1", at(0))
	if err := s.CreateImportJob(ctx, j); err != nil {
		t.Fatalf("CreateImportJob: %v", err)
	}
	if j.Version == 0 {
		t.Error("CreateImportJob left Version 0; the store sets it")
	}
	want := storedImportJob(j)
	diff(t, "GetImportJob", want, mustGetImportJob(t, s, p.ID, "import-1"))
	wantErr(t, "CreateImportJob duplicate", s.CreateImportJob(ctx, newImportJob(p.ID, "import-1", at(1))), storage.ErrAlreadyExists)
	wantErr(t, "CreateImportJob in a missing pool", s.CreateImportJob(ctx, newImportJob("us-east-1_none", "i", at(1))), storage.ErrNotFound)
	_, err := s.GetImportJob(ctx, p.ID, "missing")
	wantErr(t, "GetImportJob missing", err, storage.ErrNotFound)
	_, err = s.GetImportJob(ctx, q.ID, "import-1")
	wantErr(t, "GetImportJob of another pool", err, storage.ErrNotFound)
	_, err = s.UpdateImportJob(ctx, p.ID, "missing", func(*storage.ImportJob) error { return nil })
	wantErr(t, "UpdateImportJob missing", err, storage.ErrNotFound)

	got, err := s.UpdateImportJob(ctx, p.ID, "import-1", func(n *storage.ImportJob) error {
		n.Status = "InProgress"
		n.StartedAt = ptr(at(60))
		n.Imported, n.Skipped, n.Failed = 10, 2, 1
		n.CompletionMessage = "so far so good"
		n.Settings = nil
		n.PoolID, n.JobID, n.CreatedAt, n.Version = q.ID, "hijack", at(99), 42
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateImportJob: %v", err)
	}
	want.Status, want.StartedAt = "InProgress", msp(at(60))
	want.Imported, want.Skipped, want.Failed, want.CompletionMessage = 10, 2, 1, "so far so good"
	want.Settings, want.Version = nil, j.Version+1
	diff(t, "UpdateImportJob result", want, got)
	diff(t, "GetImportJob after update", want, mustGetImportJob(t, s, p.ID, "import-1"))
	_, err = s.GetImportJob(ctx, q.ID, "hijack")
	wantErr(t, "job under the key fn tried", err, storage.ErrNotFound)

	boom := errors.New("boom")
	_, err = s.UpdateImportJob(ctx, p.ID, "import-1", func(n *storage.ImportJob) error { n.Status = "Failed"; return boom })
	wantErr(t, "UpdateImportJob fn error", err, boom)
	got, err = s.UpdateImportJob(ctx, p.ID, "import-1", func(n *storage.ImportJob) error { n.Status = "Failed"; return storage.ErrSkip })
	if err != nil {
		t.Fatalf("UpdateImportJob ErrSkip: %v", err)
	}
	diff(t, "UpdateImportJob ErrSkip result", want, got)
	diff(t, "job after aborted updates", want, mustGetImportJob(t, s, p.ID, "import-1"))

	// No lost updates.
	const workers, each = 8, 20
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdateImportJob(ctx, p.ID, "import-1", func(n *storage.ImportJob) error {
			n.Imported++
			return nil
		})
		return err
	})
	if got := mustGetImportJob(t, s, p.ID, "import-1"); got.Imported != 10+workers*each {
		t.Errorf("Imported = %d after %d increments from 10: updates were lost", got.Imported, workers*each)
	}
}

func testImportJobList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_ilist")
	q := mustCreatePool(t, s, "us-east-1_ilist2")
	mustCreateImportJob(t, s, newImportJob(q.ID, "import-q", at(50)))
	list := func(limit int) []string {
		t.Helper()
		return pageAll(t, "ListImportJobs", limit, func(pg storage.Page) ([]string, string, error) {
			jobs, next, err := s.ListImportJobs(ctx, p.ID, pg)
			var ids []string
			for _, j := range jobs {
				ids = append(ids, j.JobID)
			}
			return ids, next, err
		})
	}
	diff(t, "jobs of an empty pool", []string{}, list(10))
	// Newest first; jobs of one instant by id, descending.
	for i, sec := range []int{10, 30, 20, 30, 5, 30, 40} {
		mustCreateImportJob(t, s, newImportJob(p.ID, fmt.Sprintf("import-%d", i), at(sec)))
	}
	want := []string{"import-6", "import-5", "import-3", "import-1", "import-2", "import-0", "import-4"}
	for _, limit := range []int{1, 2, 3, 7, 60} {
		diff(t, fmt.Sprintf("jobs listed with limit %d", limit), want, list(limit))
	}
	jobs, _, err := s.ListImportJobs(ctx, p.ID, storage.Page{Limit: 1})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("ListImportJobs = %v, %v", jobs, err)
	}
	diff(t, "listed job", mustGetImportJob(t, s, p.ID, "import-6"), jobs[0])
	if _, _, err := s.ListImportJobs(ctx, p.ID, storage.Page{Token: "not a token!"}); err == nil {
		t.Error("ListImportJobs with a garbage token: no error")
	}

	// Paging holds while newer jobs arrive: they are not listed mid-way, and nothing repeats.
	first, next, err := s.ListImportJobs(ctx, p.ID, storage.Page{Limit: 3})
	if err != nil || next == "" {
		t.Fatal(err)
	}
	mustCreateImportJob(t, s, newImportJob(p.ID, "import-new", at(100)))
	mustCreateImportJob(t, s, newImportJob(p.ID, "import-30", at(30))) // sorts before import-3 at 30s: already passed
	rest, _, err := s.ListImportJobs(ctx, p.ID, storage.Page{Token: next, Limit: 60})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range append(first, rest...) {
		got = append(got, j.JobID)
	}
	diff(t, "jobs paged while inserting", want, got)
}

func testImportData(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_idata")
	mustCreateImportJob(t, s, newImportJob(p.ID, "import-1", at(0)))
	mustCreateImportJob(t, s, newImportJob(p.ID, "import-2", at(0)))
	_, err := s.GetImportData(ctx, p.ID, "import-1")
	wantErr(t, "GetImportData before any upload", err, storage.ErrNotFound)
	wantErr(t, "PutImportData for a missing job", s.PutImportData(ctx, p.ID, "missing", []byte("x")), storage.ErrNotFound)
	_, err = s.GetImportData(ctx, p.ID, "missing")
	wantErr(t, "GetImportData for a missing job", err, storage.ErrNotFound)

	csv := []byte("name,given_name,email\r\njo,Jo,jo@example.com\r\n\x00\xff")
	if err := s.PutImportData(ctx, p.ID, "import-1", csv); err != nil {
		t.Fatalf("PutImportData: %v", err)
	}
	if got, err := s.GetImportData(ctx, p.ID, "import-1"); err != nil || !bytes.Equal(got, csv) {
		t.Fatalf("GetImportData = %q, %v", got, err)
	}
	// A second upload replaces the first; the other job has none.
	big := bytes.Repeat([]byte("username,email\nsomeone,someone@example.com\n"), 8<<20/43)
	if err := s.PutImportData(ctx, p.ID, "import-1", big); err != nil {
		t.Fatalf("PutImportData of %d bytes: %v", len(big), err)
	}
	if got, err := s.GetImportData(ctx, p.ID, "import-1"); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("GetImportData of the large upload: %d bytes, %v; want %d", len(got), err, len(big))
	}
	_, err = s.GetImportData(ctx, p.ID, "import-2")
	wantErr(t, "GetImportData of another job", err, storage.ErrNotFound)
	if err := s.PutImportData(ctx, p.ID, "import-2", nil); err != nil {
		t.Fatalf("PutImportData empty: %v", err)
	}
	if got, err := s.GetImportData(ctx, p.ID, "import-2"); err != nil || len(got) != 0 {
		t.Fatalf("GetImportData of an empty upload = %q, %v", got, err)
	}
	// Listing jobs does not need the data, and a job's data goes with its pool (see PoolDeleteCascadesDirectory).
	if jobs, _, err := s.ListImportJobs(ctx, p.ID, storage.Page{}); err != nil || len(jobs) != 2 {
		t.Fatalf("ListImportJobs = %d, %v", len(jobs), err)
	}
}

// The new records come back in UTC, at millisecond precision.
func testDirectoryTimestamps(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_dtime")
	u := newUser(p.ID, "tim")
	mustCreateUser(t, s, u)
	gu := mustGetUser(t, s, p.ID, "tim")
	checkUTC(t, "user CreatedAt", gu.CreatedAt, at(2))
	checkUTC(t, "user UpdatedAt", gu.UpdatedAt, at(3))
	if u.CreatedAt.Location() != time.UTC || !u.CreatedAt.Equal(ms(at(2))) {
		t.Errorf("CreateUser left CreatedAt %v; the store normalises it in place to %v", u.CreatedAt, ms(at(2)))
	}
	uu, err := s.UpdateUser(ctx, p.ID, "tim", func(n *storage.User) error { n.UpdatedAt = at(7); return nil })
	if err != nil {
		t.Fatal(err)
	}
	checkUTC(t, "updated user UpdatedAt", uu.UpdatedAt, at(7))
	checkUTC(t, "updated user CreatedAt", uu.CreatedAt, at(2))
	users, _, err := s.ListUsers(ctx, p.ID, storage.UserFilter{Field: "username", Value: "tim"}, storage.Page{})
	if err != nil || len(users) != 1 {
		t.Fatalf("ListUsers = %v, %v", users, err)
	}
	checkUTC(t, "listed user UpdatedAt", users[0].UpdatedAt, at(7))

	mustCreateGroup(t, s, newGroup(p.ID, "g"))
	g := mustGetGroup(t, s, p.ID, "g")
	checkUTC(t, "group CreatedAt", g.CreatedAt, at(4))
	checkUTC(t, "group UpdatedAt", g.UpdatedAt, at(5))

	mustPutCode(t, s, newCode(p.ID, "tim", "signup"))
	c := mustGetCode(t, s, p.ID, "tim", "signup")
	checkUTC(t, "code CreatedAt", c.CreatedAt, at(10))
	checkUTC(t, "code ExpiresAt", c.ExpiresAt, at(3610))

	mustAddMessage(t, s, newMessage(p.ID, "m", "tim", at(11)))
	msgs, err := s.ListMessages(ctx, storage.MessageFilter{PoolID: p.ID})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("ListMessages = %v, %v", msgs, err)
	}
	checkUTC(t, "message CreatedAt", msgs[0].CreatedAt, at(11))

	j := newImportJob(p.ID, "import-t", at(12))
	j.StartedAt, j.CompletedAt = ptr(at(13)), ptr(at(14))
	mustCreateImportJob(t, s, j)
	gj := mustGetImportJob(t, s, p.ID, "import-t")
	checkUTC(t, "job CreatedAt", gj.CreatedAt, at(12))
	checkUTC(t, "job StartedAt", *gj.StartedAt, at(13))
	checkUTC(t, "job CompletedAt", *gj.CompletedAt, at(14))
}
