package importjobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// errAbandon ends a worker whose job another process settled meanwhile
// (its lease lapsed) or that vanished with its pool.
var errAbandon = errors.New("importjobs: job taken over or deleted")

// finalWriteTimeout bounds the write that records an interrupted job after
// the Service's context was cancelled.
const finalWriteTimeout = 10 * time.Second

// work is a job's worker goroutine: it waits for a free slot, claims the job
// and imports it.
func (s *Service) work(poolID, jobID string, done chan struct{}) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.running, runKey(poolID, jobID))
		s.mu.Unlock()
		close(done)
	}()
	ctx := s.ctx
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return // still Pending: the next Recover starts it again
	}
	defer func() { <-s.sem }()
	if ctx.Err() != nil {
		// Both cases of the select were ready: a closing Service starts nothing.
		return
	}

	j, err := s.claim(ctx, poolID, jobID)
	if err != nil {
		if !errors.Is(err, errAbandon) && ctx.Err() == nil {
			s.log.Error("import job: claiming", "pool", poolID, "job", jobID, "err", err)
		}
		return
	}
	if err := s.importJob(ctx, j); err != nil && !errors.Is(err, errAbandon) {
		s.log.Error("import job failed unexpectedly", "pool", poolID, "job", jobID, "err", err)
	}
}

// claim moves a Pending job to InProgress under this Service's ownership. A
// job stopped meanwhile (Stopping) becomes Stopped; any other state is
// errAbandon.
func (s *Service) claim(ctx context.Context, poolID, jobID string) (*storage.ImportJob, error) {
	now := s.clk.Now()
	j, err := s.store.UpdateImportJob(ctx, poolID, jobID, func(cur *storage.ImportJob) error {
		switch cognitoidp.UserImportJobStatusType(cur.Status) {
		case cognitoidp.UserImportJobStatusTypePending:
			cur.Status = string(cognitoidp.UserImportJobStatusTypeInprogress)
		case cognitoidp.UserImportJobStatusTypeStopping:
			cur.Status = string(cognitoidp.UserImportJobStatusTypeStopped)
			cur.CompletedAt = &now
			cur.CompletionMessage = msgStopped
		default:
			return errAbandon
		}
		st, err := decodeSettings(cur)
		if err != nil {
			return err
		}
		st.Owner = s.owner
		st.Heartbeat = now.UnixMilli()
		return encodeSettings(cur, st)
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errAbandon
	}
	if err != nil {
		return nil, err
	}
	if j.Status != string(cognitoidp.UserImportJobStatusTypeInprogress) {
		s.dropData(ctx, j)
		return nil, errAbandon
	}
	return j, nil
}

// tally counts the outcome of rows since the last checkpoint.
type tally struct {
	imported, skipped, failed, rows int64
}

// importJob imports the rows of a claimed job and completes it.
func (s *Service) importJob(ctx context.Context, j *storage.ImportJob) error {
	poolID, jobID := j.PoolID, j.JobID
	log := s.log.With("pool", poolID, "job", jobID)
	up, err := s.loadPool(ctx, poolID)
	if err != nil {
		if awserr.Is(err, "ResourceNotFoundException") {
			return s.complete(ctx, j, tally{}, cognitoidp.UserImportJobStatusTypeFailed, msgPoolDeleted)
		}
		return s.interrupt(ctx, j, tally{}, err)
	}
	schema := attrs.FromPool(up)
	data, err := s.store.GetImportData(ctx, poolID, jobID)
	if errors.Is(err, storage.ErrNotFound) {
		return s.complete(ctx, j, tally{}, cognitoidp.UserImportJobStatusTypeFailed, msgUnparsable)
	}
	if err != nil {
		return s.interrupt(ctx, j, tally{}, err)
	}
	if !utf8.Valid(data) {
		return s.complete(ctx, j, tally{}, cognitoidp.UserImportJobStatusTypeFailed, msgUnparsable)
	}
	text := string(data)
	data = nil

	r := newCSVReader(text)
	head, ok := r.next()
	if !ok || head.blank {
		return s.complete(ctx, j, tally{}, cognitoidp.UserImportJobStatusTypeFailed, msgUnparsable)
	}
	st, err := decodeSettings(j)
	if err != nil {
		return s.interrupt(ctx, j, tally{}, err)
	}
	cols, ok := headerColumns(schema, head.fields, st.PasswordHashingAlgorithm != "")
	if !ok {
		log.Debug("import job: header does not match the pool's attributes")
		return s.complete(ctx, j, tally{}, cognitoidp.UserImportJobStatusTypeFailed, msgBadHeader)
	}
	if countRows(text) > maxRows {
		return s.complete(ctx, j, tally{}, cognitoidp.UserImportJobStatusTypeFailed, msgTooManyRows)
	}

	// Each row is written whole: its store calls do not see the shutdown,
	// which is checked between rows, so a user is never created without
	// being counted.
	imp := &rowImporter{s: s, ctx: context.WithoutCancel(ctx), pool: up, schema: schema, cols: cols, hashAlg: st.PasswordHashingAlgorithm}
	var t tally
	for {
		if err := ctx.Err(); err != nil {
			return s.interrupt(ctx, j, t, err)
		}
		rec, more := r.next()
		if more && rec.blank {
			continue
		}
		if more {
			res, reason, err := imp.importRow(rec)
			if err != nil {
				// The Service is closing or the store failed outright.
				return s.interrupt(ctx, j, t, err)
			}
			t.rows++
			switch res {
			case resultImported:
				t.imported++
			case resultSkipped:
				t.skipped++
			default:
				t.failed++
			}
			if log.Enabled(ctx, slog.LevelDebug) {
				log.Debug(fmt.Sprintf("[%s] Line Number %d - %s", res, rec.line, reason))
			}
			if t.rows < int64(s.batch) {
				continue
			}
		}
		status, err := s.checkpoint(ctx, j, t, !more)
		if err != nil {
			if ctx.Err() != nil {
				return s.interrupt(ctx, j, t, err)
			}
			return err
		}
		t = tally{}
		if s.afterBatch != nil {
			s.afterBatch(poolID, jobID)
		}
		if status != cognitoidp.UserImportJobStatusTypeInprogress {
			return nil
		}
		if !more {
			return nil
		}
	}
}

// countRows counts the records of the file that are not blank, header
// excluded.
func countRows(text string) int {
	r := newCSVReader(text)
	n := -1
	for {
		rec, ok := r.next()
		if !ok {
			return n
		}
		if !rec.blank || n < 0 {
			n++
		}
	}
}

// checkpoint adds t to the job's counts and renews its heartbeat. A stop
// request (Stopping) is honoured here: the job becomes Stopped. With final
// set, an InProgress job is completed (Succeeded, or Failed when users failed
// or were skipped). It returns the job's status after.
func (s *Service) checkpoint(ctx context.Context, j *storage.ImportJob, t tally, final bool) (cognitoidp.UserImportJobStatusType, error) {
	now := s.clk.Now()
	out, err := s.store.UpdateImportJob(ctx, j.PoolID, j.JobID, func(cur *storage.ImportJob) error {
		st, err := decodeSettings(cur)
		if err != nil {
			return err
		}
		if st.Owner != s.owner {
			return errAbandon
		}
		switch cognitoidp.UserImportJobStatusType(cur.Status) {
		case cognitoidp.UserImportJobStatusTypeInprogress, cognitoidp.UserImportJobStatusTypeStopping:
		default:
			return errAbandon
		}
		cur.Imported += t.imported
		cur.Skipped += t.skipped
		cur.Failed += t.failed
		st.Rows += t.rows
		st.Heartbeat = now.UnixMilli()
		switch {
		case cur.Status == string(cognitoidp.UserImportJobStatusTypeStopping):
			cur.Status = string(cognitoidp.UserImportJobStatusTypeStopped)
			cur.CompletedAt = &now
			cur.CompletionMessage = msgStopped
		case final && tooManyFailed(cur.Imported, cur.Skipped, cur.Failed):
			cur.Status = string(cognitoidp.UserImportJobStatusTypeFailed)
			cur.CompletedAt = &now
			cur.CompletionMessage = msgTooManyFailed
		case final:
			cur.Status = string(cognitoidp.UserImportJobStatusTypeSucceeded)
			cur.CompletedAt = &now
			cur.CompletionMessage = msgSucceeded
		}
		return encodeSettings(cur, st)
	})
	if errors.Is(err, storage.ErrNotFound) {
		return "", errAbandon
	}
	if err != nil {
		return "", err
	}
	status := cognitoidp.UserImportJobStatusType(out.Status)
	if status != cognitoidp.UserImportJobStatusTypeInprogress {
		s.dropData(ctx, out)
	}
	return status, nil
}

// complete ends a job with a status and message before or after its rows.
func (s *Service) complete(ctx context.Context, j *storage.ImportJob, t tally, status cognitoidp.UserImportJobStatusType, msg string) error {
	now := s.clk.Now()
	out, err := s.store.UpdateImportJob(ctx, j.PoolID, j.JobID, func(cur *storage.ImportJob) error {
		st, err := decodeSettings(cur)
		if err != nil {
			return err
		}
		if st.Owner != s.owner {
			return errAbandon
		}
		switch cognitoidp.UserImportJobStatusType(cur.Status) {
		case cognitoidp.UserImportJobStatusTypeInprogress, cognitoidp.UserImportJobStatusTypeStopping:
		default:
			return errAbandon
		}
		cur.Imported += t.imported
		cur.Skipped += t.skipped
		cur.Failed += t.failed
		st.Rows += t.rows
		st.Heartbeat = now.UnixMilli()
		cur.Status = string(status)
		cur.CompletedAt = &now
		cur.CompletionMessage = msg
		return encodeSettings(cur, st)
	})
	if errors.Is(err, storage.ErrNotFound) {
		return errAbandon
	}
	if err != nil {
		return err
	}
	s.dropData(ctx, out)
	return nil
}

// interrupt records a job whose worker cannot go on (the Service is closing,
// or the store failed): it is Failed as interrupted with the counts so far.
// The write uses a context of its own, since ctx may be the cancelled one.
func (s *Service) interrupt(ctx context.Context, j *storage.ImportJob, t tally, cause error) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalWriteTimeout)
	defer cancel()
	err := s.complete(wctx, j, t, cognitoidp.UserImportJobStatusTypeFailed, msgInterrupted)
	if errors.Is(err, errAbandon) {
		return errAbandon
	}
	if ctx.Err() != nil {
		s.log.Warn("import job interrupted by shutdown", "pool", j.PoolID, "job", j.JobID)
		return err
	}
	return errors.Join(cause, err)
}
