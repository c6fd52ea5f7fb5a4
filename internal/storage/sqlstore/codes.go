package sqlstore

import (
	"context"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

const codeColumns = `pool_id, user_key, purpose, hash, attempts, data, created_at, expires_at`

func scanCode(row interface{ Scan(...any) error }) (*storage.Code, error) {
	var (
		c                storage.Code
		created, expires int64
	)
	if err := row.Scan(&c.PoolID, &c.UserKey, &c.Purpose, &c.Hash, &c.Attempts, &c.Data, &created, &expires); err != nil {
		return nil, err
	}
	c.Hash = unblob(c.Hash)
	c.Data = unblob(c.Data)
	c.CreatedAt = fromMillis(created)
	c.ExpiresAt = fromMillis(expires)
	return &c, nil
}

// PutCode stores c, replacing the user's code for the same purpose;
// storage.ErrNotFound if the user does not exist.
func (s *Store) PutCode(ctx context.Context, c *storage.Code) error {
	c.CreatedAt = normTime(c.CreatedAt)
	c.ExpiresAt = normTime(c.ExpiresAt)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO user_codes (`+codeColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		 ON CONFLICT (pool_id, user_key, purpose) DO UPDATE SET hash = excluded.hash, attempts = excluded.attempts,
		 data = excluded.data, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		c.PoolID, c.UserKey, c.Purpose, blob(c.Hash), c.Attempts, blob(c.Data),
		toMillis(c.CreatedAt), toMillis(c.ExpiresAt))
	return s.wrap(err, "put code")
}

// GetCode returns the user's code for purpose, expired or not, or storage.ErrNotFound.
func (s *Store) GetCode(ctx context.Context, poolID, userKey, purpose string) (*storage.Code, error) {
	c, err := scanCode(s.r.QueryRowContext(ctx,
		`SELECT `+codeColumns+` FROM user_codes WHERE pool_id = $1 AND user_key = $2 AND purpose = $3`,
		poolID, userKey, purpose))
	if err != nil {
		return nil, s.wrap(err, "get code")
	}
	return c, nil
}

// BumpCodeAttempts adds one attempt in a single statement and returns the new
// count; storage.ErrNotFound if there is no such code.
func (s *Store) BumpCodeAttempts(ctx context.Context, poolID, userKey, purpose string) (int, error) {
	var n int
	err := s.w.QueryRowContext(ctx,
		`UPDATE user_codes SET attempts = attempts + 1
		 WHERE pool_id = $1 AND user_key = $2 AND purpose = $3 RETURNING attempts`,
		poolID, userKey, purpose).Scan(&n)
	if err != nil {
		return 0, s.wrap(err, "bump code attempts")
	}
	return n, nil
}

// DeleteCode removes the code; storage.ErrNotFound if it is already gone, so
// of concurrent consumers exactly one succeeds.
func (s *Store) DeleteCode(ctx context.Context, poolID, userKey, purpose string) error {
	res, err := s.w.ExecContext(ctx,
		`DELETE FROM user_codes WHERE pool_id = $1 AND user_key = $2 AND purpose = $3`,
		poolID, userKey, purpose)
	if err != nil {
		return s.wrap(err, "delete code")
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.wrap(err, "delete code")
	} else if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// DeleteExpiredCodes removes the codes of every pool whose ExpiresAt is
// before now and returns how many it removed.
func (s *Store) DeleteExpiredCodes(ctx context.Context, now time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM user_codes WHERE expires_at < $1`, expiredBefore(now))
	if err != nil {
		return 0, s.wrap(err, "delete expired codes")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.wrap(err, "delete expired codes")
	}
	return int(n), nil
}
