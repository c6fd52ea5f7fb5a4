package importjobs

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestStartUserImportJobErrors(t *testing.T) {
	e := newEnv(t)
	start := func(pool, id string) error {
		_, err := e.svc.StartUserImportJob(e.ctx, &cognitoidp.StartUserImportJobRequest{UserPoolId: api.Ptr(pool), JobId: api.Ptr(id)})
		return err
	}
	j := e.create(t, e.pool)
	wantErr(t, start(e.pool, *j.JobId), "PreconditionNotMetException", "No csv file was uploaded for "+*j.JobId)
	if d := e.describe(t, e.pool, *j.JobId); *d.Status != "Created" || d.StartDate != nil {
		t.Fatalf("after a refused start: %+v", d)
	}
	wantErr(t, start(e.pool, "import-nothere000"), "ResourceNotFoundException", "Import job import-nothere000 does not exist.")
	wantErr(t, start("us-east-1_nothere00", *j.JobId), "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	// A job of another pool is not found in this one.
	other := e.newPool(t, &cognitoidp.CreateUserPoolRequest{})
	wantErr(t, start(other, *j.JobId), "ResourceNotFoundException", "Import job "+*j.JobId+" does not exist.")
	wantErr(t, start(e.pool, "job-1"), "InvalidParameterException", "")

	// A finished job cannot start again.
	id := e.upload(t, e.pool, e.csvFile(t, e.pool, user("ann")))
	e.start(t, e.pool, id)
	e.wait(t, e.pool, id)
	wantErr(t, start(e.pool, id), "PreconditionNotMetException", "Import job "+id+" cannot be started because its status is Succeeded.")
}
