package importjobs

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func (e *env) list(pool string, max int32, token string) (*cognitoidp.ListUserImportJobsResponse, error) {
	in := &cognitoidp.ListUserImportJobsRequest{UserPoolId: api.Ptr(pool), MaxResults: api.Ptr(max)}
	if token != "" {
		in.PaginationToken = api.Ptr(token)
	}
	return e.svc.ListUserImportJobs(e.ctx, in)
}

func TestListUserImportJobs(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for range 5 {
		ids = append(ids, *e.create(t, e.pool).JobId)
		e.clk.Advance(time.Second)
	}
	other := e.newPool(t, &cognitoidp.CreateUserPoolRequest{})
	e.create(t, other)

	// Newest first, in pages.
	var got []string
	token := ""
	pages := 0
	for {
		out, err := e.list(e.pool, 2, token)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, j := range out.UserImportJobs {
			got = append(got, *j.JobId)
			if *j.UserPoolId != e.pool || *j.Status != "Created" || j.PreSignedUrl == nil {
				t.Errorf("listed %+v", j)
			}
		}
		if out.PaginationToken == nil {
			break
		}
		token = *out.PaginationToken
	}
	want := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}
	if len(got) != 5 || pages != 3 {
		t.Fatalf("listed %v in %d pages", got, pages)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	// An empty pool lists nothing, without a token.
	empty := e.newPool(t, &cognitoidp.CreateUserPoolRequest{})
	out, err := e.list(empty, 60, "")
	if err != nil || len(out.UserImportJobs) != 0 || out.PaginationToken != nil {
		t.Fatalf("empty pool: %+v, %v", out, err)
	}

	_, err = e.list(e.pool, 2, "not-a-token")
	wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	first, _ := e.list(e.pool, 2, "")
	_, err = e.list(e.pool, 2, *first.PaginationToken+"x")
	wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	e.create(t, other)
	e.create(t, other)
	_, err = e.list(other, 1, *first.PaginationToken) // another pool's token
	wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = e.list("us-east-1_nothere00", 2, "")
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err = e.list(e.pool, 61, "")
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = e.svc.ListUserImportJobs(e.ctx, &cognitoidp.ListUserImportJobsRequest{UserPoolId: api.Ptr(e.pool)})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null")
}

func TestDescribeUserImportJob(t *testing.T) {
	e := newEnv(t)
	id := e.run(t, e.pool, e.csvFile(t, e.pool, user("ann"))).JobId
	d := e.describe(t, e.pool, *id)
	if got, want := countsOf(d), (counts{"Succeeded", 1, 0, 0, msgSucceeded}); got != want {
		t.Fatalf("described %+v", got)
	}
	_, err := e.svc.DescribeUserImportJob(e.ctx, &cognitoidp.DescribeUserImportJobRequest{UserPoolId: api.Ptr(e.pool), JobId: api.Ptr("import-nothere000")})
	wantErr(t, err, "ResourceNotFoundException", "Import job import-nothere000 does not exist.")
	_, err = e.svc.DescribeUserImportJob(e.ctx, &cognitoidp.DescribeUserImportJobRequest{UserPoolId: api.Ptr("us-east-1_nothere00"), JobId: id})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err = e.svc.DescribeUserImportJob(e.ctx, &cognitoidp.DescribeUserImportJobRequest{UserPoolId: api.Ptr(e.pool)})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'jobId' failed to satisfy constraint: Member must not be null")
}

// TestCreatedJobsExpire: a job not started within 24 hours is Expired, its
// file dropped, and it can no longer start.
func TestCreatedJobsExpire(t *testing.T) {
	e := newEnv(t)
	j := e.create(t, e.pool)
	e.put(t, *j.PreSignedUrl, e.csvFile(t, e.pool, user("ann")))
	e.clk.Advance(24*time.Hour - time.Second)
	if d := e.describe(t, e.pool, *j.JobId); *d.Status != "Created" {
		t.Fatalf("before 24 hours: %s", *d.Status)
	}
	e.clk.Advance(time.Second)
	out, err := e.list(e.pool, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	d := out.UserImportJobs[0]
	if got, want := countsOf(&d), (counts{"Expired", 0, 0, 0, msgExpired}); got != want || !d.CompletionDate.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("after 24 hours: %+v at %v", got, d.CompletionDate)
	}
	if data, _ := e.store.GetImportData(e.ctx, e.pool, *j.JobId); len(data) != 0 {
		t.Error("an expired job kept its file")
	}
	_, err = e.svc.StartUserImportJob(e.ctx, &cognitoidp.StartUserImportJobRequest{UserPoolId: api.Ptr(e.pool), JobId: j.JobId})
	wantErr(t, err, "PreconditionNotMetException", "Import job "+*j.JobId+" cannot be started because its status is Expired.")
}
