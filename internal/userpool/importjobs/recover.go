package importjobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Recover settles the jobs a previous process left behind; the server calls
// it once at start-up, after New. For every pool's jobs:
//   - Pending jobs (started, nothing imported yet) are started again here;
//   - InProgress jobs are Failed as interrupted (msgInterrupted) and Stopping
//     ones Stopped — at once when Config.Exclusive says this process is the
//     store's only user, otherwise only once they have gone jobLease without
//     a checkpoint (another replica may be running them);
//   - Created jobs past their lifetime are Expired.
//
// It returns the number of jobs it changed or restarted.
func (s *Service) Recover(ctx context.Context) (int, error) {
	n := 0
	poolToken := ""
	for {
		ps, next, err := s.store.ListPools(ctx, storage.Page{Token: poolToken, Limit: 100})
		if err != nil {
			return n, fmt.Errorf("importjobs: listing pools to recover import jobs: %w", err)
		}
		for _, p := range ps {
			m, err := s.recoverPool(ctx, p.ID)
			n += m
			if err != nil {
				return n, err
			}
		}
		if next == "" {
			return n, nil
		}
		poolToken = next
	}
}

func (s *Service) recoverPool(ctx context.Context, poolID string) (int, error) {
	n := 0
	token := ""
	for {
		jobs, next, err := s.store.ListImportJobs(ctx, poolID, storage.Page{Token: token, Limit: 100})
		if err != nil {
			return n, fmt.Errorf("importjobs: listing the import jobs of pool %s: %w", poolID, err)
		}
		for _, j := range jobs {
			after, err := s.settle(ctx, j, s.exclusive)
			if err != nil {
				return n, err
			}
			if after.Version != j.Version || s.isLocal(poolID, j.JobID) {
				n++
			}
		}
		if next == "" {
			return n, nil
		}
		token = next
	}
}

// settle applies to a job read from the store the transitions that time and
// dead workers bring: a Created job past its lifetime expires; an InProgress
// (Stopping) job with no worker here whose lease has lapsed — or any such job
// when dead is set — is Failed (Stopped); a Pending job with no worker here
// whose lease has lapsed, or any when dead is set, is started here.
func (s *Service) settle(ctx context.Context, j *storage.ImportJob, dead bool) (*storage.ImportJob, error) {
	now := s.clk.Now()
	switch cognitoidp.UserImportJobStatusType(j.Status) {
	case cognitoidp.UserImportJobStatusTypeCreated:
		if now.Sub(j.CreatedAt) < createdJobLifetime {
			return j, nil
		}
		expired := false
		out, err := s.transition(ctx, j, func(cur *storage.ImportJob) bool {
			expired = false
			if cur.Status != string(cognitoidp.UserImportJobStatusTypeCreated) {
				return false
			}
			expired = true
			cur.Status = string(cognitoidp.UserImportJobStatusTypeExpired)
			cur.CompletedAt = &now
			cur.CompletionMessage = msgExpired
			return true
		})
		if err == nil && expired {
			s.dropData(ctx, out)
		}
		return out, err

	case cognitoidp.UserImportJobStatusTypeInprogress, cognitoidp.UserImportJobStatusTypeStopping:
		if s.isLocal(j.PoolID, j.JobID) {
			return j, nil
		}
		st, err := decodeSettings(j)
		if err != nil {
			return nil, err
		}
		if !dead && now.Sub(time.UnixMilli(st.Heartbeat)) < jobLease {
			return j, nil
		}
		interrupted := false
		out, err := s.transition(ctx, j, func(cur *storage.ImportJob) bool {
			interrupted = false
			cst, err := decodeSettings(cur)
			if err != nil || cur.Status != j.Status || cst.Heartbeat != st.Heartbeat {
				return false // it moved on meanwhile: alive after all
			}
			cur.CompletedAt = &now
			if cur.Status == string(cognitoidp.UserImportJobStatusTypeStopping) {
				cur.Status = string(cognitoidp.UserImportJobStatusTypeStopped)
				cur.CompletionMessage = msgStopped
			} else {
				cur.Status = string(cognitoidp.UserImportJobStatusTypeFailed)
				cur.CompletionMessage = msgInterrupted
			}
			interrupted = true
			return true
		})
		if err == nil && interrupted {
			s.log.Warn("import job interrupted: its worker stopped before it completed",
				"pool", j.PoolID, "job", j.JobID, "status", out.Status)
			s.dropData(ctx, out)
		}
		return out, err

	case cognitoidp.UserImportJobStatusTypePending:
		if s.isLocal(j.PoolID, j.JobID) {
			return j, nil
		}
		st, err := decodeSettings(j)
		if err != nil {
			return nil, err
		}
		if dead || now.Sub(time.UnixMilli(st.Heartbeat)) >= jobLease {
			s.launch(j.PoolID, j.JobID)
		}
	}
	return j, nil
}

// transition applies change to the job by compare-and-swap; change reports
// whether it changed anything. The job as stored after is returned (j when
// the job is gone).
func (s *Service) transition(ctx context.Context, j *storage.ImportJob, change func(*storage.ImportJob) bool) (*storage.ImportJob, error) {
	out, err := s.store.UpdateImportJob(ctx, j.PoolID, j.JobID, func(cur *storage.ImportJob) error {
		if !change(cur) {
			return storage.ErrSkip
		}
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return j, nil // deleted with its pool meanwhile
	}
	if err != nil {
		return nil, s.jobErr(err, j.PoolID, j.JobID, "updating import job")
	}
	return out, nil
}

// dropData empties the stored file of a job that will never read it again
// (Cognito deletes it: "All data associated with the job was deleted").
func (s *Service) dropData(ctx context.Context, j *storage.ImportJob) {
	st, err := decodeSettings(j)
	if err != nil || !st.Uploaded {
		return
	}
	if err := s.store.PutImportData(ctx, j.PoolID, j.JobID, []byte{}); err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.log.Warn("import job: dropping its uploaded file", "pool", j.PoolID, "job", j.JobID, "err", err)
	}
}

// launch starts a worker for the job in this process unless one runs or the
// Service is closed. It reports whether it started one.
func (s *Service) launch(poolID, jobID string) bool {
	k := runKey(poolID, jobID)
	s.mu.Lock()
	if _, ok := s.running[k]; ok || s.closed {
		s.mu.Unlock()
		return false
	}
	done := make(chan struct{})
	s.running[k] = done
	s.wg.Add(1)
	s.mu.Unlock()
	go s.work(poolID, jobID, done)
	return true
}
