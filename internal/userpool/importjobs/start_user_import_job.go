package importjobs

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// StartUserImportJob moves a Created job with an uploaded file to Pending
// and hands it to a worker, which imports the users in the background (see
// the package documentation). The answer shows the job Pending, as Cognito's
// does.
func (s *Service) StartUserImportJob(ctx context.Context, in *cognitoidp.StartUserImportJobRequest) (*cognitoidp.StartUserImportJobResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, jobID := *in.UserPoolId, *in.JobId
	j, err := s.getJob(ctx, poolID, jobID)
	if err != nil {
		return nil, err
	}
	if err := startable(j); err != nil {
		return nil, err
	}
	now := s.clk.Now()
	j, err = s.store.UpdateImportJob(ctx, poolID, jobID, func(cur *storage.ImportJob) error {
		if err := startable(cur); err != nil {
			return err
		}
		st, err := decodeSettings(cur)
		if err != nil {
			return err
		}
		cur.Status = string(cognitoidp.UserImportJobStatusTypePending)
		cur.StartedAt = &now
		st.Heartbeat = now.UnixMilli()
		return encodeSettings(cur, st)
	})
	if err != nil {
		return nil, s.jobErr(err, poolID, jobID, "starting import job")
	}
	out, err := render(j)
	if err != nil {
		return nil, err
	}
	s.launch(poolID, jobID)
	return &cognitoidp.StartUserImportJobResponse{UserImportJob: api.Ptr(out)}, nil
}

// startable refuses a job that is not Created or has no file.
func startable(j *storage.ImportJob) error {
	if j.Status != string(cognitoidp.UserImportJobStatusTypeCreated) {
		return cognitoidp.NewPreconditionNotMetException(fmt.Sprintf(msgNotStartable, j.JobID, j.Status))
	}
	st, err := decodeSettings(j)
	if err != nil {
		return err
	}
	if !st.Uploaded {
		return cognitoidp.NewPreconditionNotMetException(fmt.Sprintf(msgNoUpload, j.JobID))
	}
	return nil
}
