package importjobs

import (
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestCreateUserImportJob(t *testing.T) {
	e := newEnv(t)
	out, err := e.svc.CreateUserImportJob(e.ctx, &cognitoidp.CreateUserImportJobRequest{
		UserPoolId: api.Ptr(e.pool), JobName: api.Ptr("Customer import"), CloudWatchLogsRoleArn: api.Ptr(roleARN),
	})
	if err != nil {
		t.Fatal(err)
	}
	j := out.UserImportJob
	if !regexp.MustCompile(`^import-[0-9A-Za-z]{10}$`).MatchString(*j.JobId) {
		t.Errorf("JobId = %s", *j.JobId)
	}
	if *j.JobName != "Customer import" || *j.UserPoolId != e.pool || *j.CloudWatchLogsRoleArn != roleARN ||
		*j.Status != "Created" || !j.CreationDate.Equal(t0) || j.StartDate != nil || j.CompletionDate != nil ||
		j.CompletionMessage != nil || j.ImportedUsers != 0 || j.SkippedUsers != 0 || j.FailedUsers != 0 ||
		j.PasswordHashingAlgorithm != nil {
		t.Errorf("job = %+v", j)
	}
	u, err := url.Parse(*j.PreSignedUrl)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Scheme+"://"+u.Host+u.Path, baseURL+"/_cogito/import/"+e.pool+"/"+*j.JobId; got != want {
		t.Errorf("PreSignedUrl %s, want %s?…", got, want)
	}
	if exp, _ := strconv.ParseInt(u.Query().Get("expires"), 10, 64); exp != t0.Unix()+900 {
		t.Errorf("expires = %d, want creation + 15 minutes", exp)
	}
	if len(u.Query().Get("signature")) != 64 {
		t.Errorf("signature = %q", u.Query().Get("signature"))
	}
	// Describe returns the same job, URL included.
	if d := e.describe(t, e.pool, *j.JobId); *d.PreSignedUrl != *j.PreSignedUrl || *d.Status != "Created" {
		t.Errorf("described = %+v", d)
	}
	// Two jobs get two ids.
	if other := e.create(t, e.pool); *other.JobId == *j.JobId {
		t.Error("two jobs share an id")
	}
}

func TestCreateUserImportJobErrors(t *testing.T) {
	e := newEnv(t)
	in := func(mod func(*cognitoidp.CreateUserImportJobRequest)) *cognitoidp.CreateUserImportJobRequest {
		r := &cognitoidp.CreateUserImportJobRequest{UserPoolId: api.Ptr(e.pool), JobName: api.Ptr("job"), CloudWatchLogsRoleArn: api.Ptr(roleARN)}
		mod(r)
		return r
	}
	_, err := e.svc.CreateUserImportJob(e.ctx, in(func(r *cognitoidp.CreateUserImportJobRequest) { r.UserPoolId = api.Ptr("us-east-1_nothere00") }))
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err = e.svc.CreateUserImportJob(e.ctx, in(func(r *cognitoidp.CreateUserImportJobRequest) { r.CloudWatchLogsRoleArn = nil }))
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'cloudWatchLogsRoleArn' failed to satisfy constraint: Member must not be null")
	_, err = e.svc.CreateUserImportJob(e.ctx, in(func(r *cognitoidp.CreateUserImportJobRequest) { r.JobName = api.Ptr("bad/name") }))
	wantErr(t, err, "InvalidParameterException", "")
	hashed, err := e.svc.CreateUserImportJob(e.ctx, in(func(r *cognitoidp.CreateUserImportJobRequest) {
		r.PasswordHashingAlgorithm = api.Ptr(cognitoidp.PasswordHashingAlgorithmTypeBcrypt)
	}))
	if err != nil || api.Deref(hashed.UserImportJob.PasswordHashingAlgorithm) != cognitoidp.PasswordHashingAlgorithmTypeBcrypt {
		t.Fatalf("CreateUserImportJob with BCRYPT = %+v, %v", hashed, err)
	}
	_, err = e.svc.CreateUserImportJob(e.ctx, in(func(r *cognitoidp.CreateUserImportJobRequest) {
		r.PasswordHashingAlgorithm = api.Ptr(cognitoidp.PasswordHashingAlgorithmType("MD5"))
	}))
	wantErr(t, err, "InvalidParameterException", "")

	// The quota of jobs per pool.
	e.svc.maxJobs = 3
	for range 2 { // and the BCRYPT job above
		e.create(t, e.pool)
	}
	_, err = e.svc.CreateUserImportJob(e.ctx, in(func(*cognitoidp.CreateUserImportJobRequest) {}))
	wantErr(t, err, "LimitExceededException", "The user pool has reached the limit of 3 import jobs.")
	// Nothing was created by the refused calls.
	out, err := e.svc.ListUserImportJobs(e.ctx, &cognitoidp.ListUserImportJobsRequest{UserPoolId: api.Ptr(e.pool), MaxResults: api.Ptr(int32(60))})
	if err != nil || len(out.UserImportJobs) != 3 {
		t.Fatalf("ListUserImportJobs = %d jobs, %v", len(out.UserImportJobs), err)
	}
}
