package importjobs

import (
	"context"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// StopUserImportJob stops a Pending or InProgress job. A Pending job is
// Stopped at once; an InProgress one becomes Stopping and its worker stops it
// at its next checkpoint (every BatchSize rows). When that worker runs in this
// process, the answer waits briefly for it so that it shows the job Stopped,
// as Cognito's does; otherwise it shows Stopping. A stopped job cannot be
// started again; the users it imported stay.
func (s *Service) StopUserImportJob(ctx context.Context, in *cognitoidp.StopUserImportJobRequest) (*cognitoidp.StopUserImportJobResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, jobID := *in.UserPoolId, *in.JobId
	j, err := s.getJob(ctx, poolID, jobID)
	if err != nil {
		return nil, err
	}
	if err := stoppable(j); err != nil {
		return nil, err
	}
	now := s.clk.Now()
	j, err = s.store.UpdateImportJob(ctx, poolID, jobID, func(cur *storage.ImportJob) error {
		if err := stoppable(cur); err != nil {
			return err
		}
		if cur.Status == string(cognitoidp.UserImportJobStatusTypePending) {
			cur.Status = string(cognitoidp.UserImportJobStatusTypeStopped)
			cur.CompletedAt = &now
			cur.CompletionMessage = msgStopped
			return nil
		}
		cur.Status = string(cognitoidp.UserImportJobStatusTypeStopping)
		return nil
	})
	if err != nil {
		return nil, s.jobErr(err, poolID, jobID, "stopping import job")
	}
	if j.Status == string(cognitoidp.UserImportJobStatusTypeStopped) {
		s.dropData(ctx, j)
	} else if s.waitLocal(ctx, poolID, jobID, stopWait) {
		if again, err := s.store.GetImportJob(ctx, poolID, jobID); err == nil {
			j = again
		}
	}
	out, err := render(j)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.StopUserImportJobResponse{UserImportJob: api.Ptr(out)}, nil
}

// stoppable refuses a job that is neither Pending nor InProgress.
func stoppable(j *storage.ImportJob) error {
	switch cognitoidp.UserImportJobStatusType(j.Status) {
	case cognitoidp.UserImportJobStatusTypePending, cognitoidp.UserImportJobStatusTypeInprogress:
		return nil
	}
	return cognitoidp.NewPreconditionNotMetException(fmt.Sprintf(msgNotStoppable, j.JobID, j.Status))
}

// waitLocal waits up to d for this process's worker of a job to end; it
// reports whether no local worker has the job any more (including when none
// had it, or it ended just before the call), so the caller should re-read.
func (s *Service) waitLocal(ctx context.Context, poolID, jobID string, d time.Duration) bool {
	s.mu.Lock()
	done, ok := s.running[runKey(poolID, jobID)]
	s.mu.Unlock()
	if !ok {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}
