package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/cogito-dev/cogito/internal/storage"
)

const importJobColumns = `pool_id, job_id, name, status, role_arn, created_at, started_at, completed_at,
	imported, skipped, failed, completion_message, settings, version`

func scanImportJob(row interface{ Scan(...any) error }) (*storage.ImportJob, error) {
	var (
		j                  storage.ImportJob
		created            int64
		started, completed sql.NullInt64
	)
	if err := row.Scan(&j.PoolID, &j.JobID, &j.Name, &j.Status, &j.RoleARN, &created, &started, &completed,
		&j.Imported, &j.Skipped, &j.Failed, &j.CompletionMessage, &j.Settings, &j.Version); err != nil {
		return nil, err
	}
	j.CreatedAt = fromMillis(created)
	j.StartedAt = fromNullMillis(started)
	j.CompletedAt = fromNullMillis(completed)
	j.Settings = unblob(j.Settings)
	return &j, nil
}

func cloneImportJob(j *storage.ImportJob) *storage.ImportJob {
	c := *j
	if j.StartedAt != nil {
		t := *j.StartedAt
		c.StartedAt = &t
	}
	if j.CompletedAt != nil {
		t := *j.CompletedAt
		c.CompletedAt = &t
	}
	c.Settings = cloneBytes(j.Settings)
	return &c
}

func normImportJob(j *storage.ImportJob) {
	j.CreatedAt = normTime(j.CreatedAt)
	if j.StartedAt != nil {
		t := normTime(*j.StartedAt)
		j.StartedAt = &t
	}
	if j.CompletedAt != nil {
		t := normTime(*j.CompletedAt)
		j.CompletedAt = &t
	}
}

// CreateImportJob inserts j with Version 1; storage.ErrAlreadyExists if the
// job id is taken in the pool, storage.ErrNotFound if the pool does not exist.
func (s *Store) CreateImportJob(ctx context.Context, j *storage.ImportJob) error {
	normImportJob(j)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO import_jobs (`+importJobColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1)`,
		j.PoolID, j.JobID, j.Name, j.Status, j.RoleARN, toMillis(j.CreatedAt), nullMillis(j.StartedAt),
		nullMillis(j.CompletedAt), j.Imported, j.Skipped, j.Failed, j.CompletionMessage, blob(j.Settings))
	if err != nil {
		return s.wrap(err, "create import job")
	}
	j.Version = 1
	return nil
}

// GetImportJob returns the pool's job or storage.ErrNotFound.
func (s *Store) GetImportJob(ctx context.Context, poolID, jobID string) (*storage.ImportJob, error) {
	j, err := scanImportJob(s.r.QueryRowContext(ctx,
		`SELECT `+importJobColumns+` FROM import_jobs WHERE pool_id = $1 AND job_id = $2`, poolID, jobID))
	if err != nil {
		return nil, s.wrap(err, "get import job")
	}
	return j, nil
}

// UpdateImportJob applies fn to the job by compare-and-swap. fn may change
// everything but PoolID, JobID, CreatedAt and Version.
func (s *Store) UpdateImportJob(ctx context.Context, poolID, jobID string, fn func(*storage.ImportJob) error) (*storage.ImportJob, error) {
	var out *storage.ImportJob
	err := s.cas(ctx, "import job", jobID, func(tx *sql.Tx) error {
		cur, err := scanImportJob(tx.QueryRowContext(ctx,
			`SELECT `+importJobColumns+` FROM import_jobs WHERE pool_id = $1 AND job_id = $2`+s.d.forNoKeyUpdate,
			poolID, jobID))
		if err != nil {
			return s.wrap(err, "update import job")
		}
		next := cloneImportJob(cur)
		if err := fn(next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.PoolID, next.JobID, next.Version = cur.PoolID, cur.JobID, cur.Version+1
		normImportJob(next)
		next.CreatedAt = cur.CreatedAt
		res, err := tx.ExecContext(ctx,
			`UPDATE import_jobs SET name = $1, status = $2, role_arn = $3, started_at = $4, completed_at = $5,
			 imported = $6, skipped = $7, failed = $8, completion_message = $9, settings = $10, version = $11
			 WHERE pool_id = $12 AND job_id = $13 AND version = $14`,
			next.Name, next.Status, next.RoleARN, nullMillis(next.StartedAt), nullMillis(next.CompletedAt),
			next.Imported, next.Skipped, next.Failed, next.CompletionMessage, blob(next.Settings), next.Version,
			poolID, jobID, cur.Version)
		if err != nil {
			return s.wrap(err, "update import job")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update import job")
		} else if n == 0 {
			return errCASLost
		}
		next.Settings = unblob(next.Settings)
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListImportJobs pages through the pool's jobs newest first (by CreatedAt,
// then job id, both descending).
func (s *Store) ListImportJobs(ctx context.Context, poolID string, page storage.Page) ([]*storage.ImportJob, string, error) {
	limit := pageLimit(page)
	var (
		rows *sql.Rows
		err  error
	)
	if page.Token == "" {
		rows, err = s.r.QueryContext(ctx,
			`SELECT `+importJobColumns+` FROM import_jobs WHERE pool_id = $1
			 ORDER BY created_at DESC, job_id DESC LIMIT $2`, poolID, limit+1)
	} else {
		created, jobID, derr := decodeJobToken(page.Token)
		if derr != nil {
			return nil, "", derr
		}
		rows, err = s.r.QueryContext(ctx,
			`SELECT `+importJobColumns+` FROM import_jobs WHERE pool_id = $1 AND (created_at, job_id) < ($2, $3)
			 ORDER BY created_at DESC, job_id DESC LIMIT $4`, poolID, created, jobID, limit+1)
	}
	if err != nil {
		return nil, "", s.wrap(err, "list import jobs")
	}
	defer rows.Close()
	jobs := []*storage.ImportJob{}
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, "", s.wrap(err, "list import jobs")
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.wrap(err, "list import jobs")
	}
	if len(jobs) > limit {
		jobs = jobs[:limit]
		last := jobs[limit-1]
		return jobs, encodeJobToken(toMillis(last.CreatedAt), last.JobID), nil
	}
	return jobs, "", nil
}

// encodeJobToken is the page token of ListImportJobs: the last (created_at, job id) returned.
func encodeJobToken(created int64, jobID string) string {
	b := binary.AppendVarint(nil, created)
	return base64.RawURLEncoding.EncodeToString(append(b, jobID...))
}

func decodeJobToken(tok string) (int64, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, "", ErrInvalidPageToken
	}
	created, n := binary.Varint(b)
	if n <= 0 || n == len(b) {
		return 0, "", ErrInvalidPageToken
	}
	return created, string(b[n:]), nil
}

// PutImportData stores the job's CSV, replacing any earlier upload;
// storage.ErrNotFound if the job does not exist.
func (s *Store) PutImportData(ctx context.Context, poolID, jobID string, csv []byte) error {
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO import_data (pool_id, job_id, data) VALUES ($1, $2, $3)
		 ON CONFLICT (pool_id, job_id) DO UPDATE SET data = excluded.data`,
		poolID, jobID, nonNil(csv))
	return s.wrap(err, "put import data")
}

// GetImportData returns the job's CSV, or storage.ErrNotFound when the job
// does not exist or has no upload.
func (s *Store) GetImportData(ctx context.Context, poolID, jobID string) ([]byte, error) {
	var data []byte
	err := s.r.QueryRowContext(ctx,
		`SELECT data FROM import_data WHERE pool_id = $1 AND job_id = $2`, poolID, jobID).Scan(&data)
	if err != nil {
		return nil, s.wrap(err, "get import data")
	}
	return nonNil(data), nil
}
