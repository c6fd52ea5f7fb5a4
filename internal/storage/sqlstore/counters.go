package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Counters
//
// A counter is one row of counters. A counter expired at now (ExpiresAt not
// after now) counts as missing: GetCounter reads zero and IncrementCounter
// starts it again. Both dialects increment with one INSERT ... ON CONFLICT DO
// UPDATE whose expiry test is in SQL, so concurrent increments (of replicas
// too) are each counted once: PostgreSQL locks the conflicting row for the
// update, SQLite has one writer.

// incrementCounterSQL: $1 pool, $2 name, $3 now, $4 the expiry of a new counter.
const incrementCounterSQL = `INSERT INTO counters (pool_id, name, value, updated_at, expires_at) VALUES ($1, $2, 1, $3, $4)
	ON CONFLICT (pool_id, name) DO UPDATE SET
	value = CASE WHEN counters.expires_at > excluded.updated_at THEN counters.value + 1 ELSE 1 END,
	expires_at = CASE WHEN counters.expires_at > excluded.updated_at THEN counters.expires_at ELSE excluded.expires_at END,
	updated_at = excluded.updated_at
	RETURNING value, updated_at, expires_at`

func scanCounter(row interface{ Scan(...any) error }) (storage.Counter, error) {
	var (
		c                storage.Counter
		updated, expires int64
	)
	if err := row.Scan(&c.Value, &updated, &expires); err != nil {
		return storage.Counter{}, err
	}
	c.UpdatedAt = fromMillis(updated)
	c.ExpiresAt = fromMillis(expires)
	return c, nil
}

// IncrementCounter adds one to the pool's counter name in one statement,
// starting it at 1 expiring at expiresAt when it is missing or expired at
// now, and returns it; UpdatedAt becomes now. storage.ErrNotFound if the pool
// does not exist.
func (s *Store) IncrementCounter(ctx context.Context, poolID, name string, now, expiresAt time.Time) (storage.Counter, error) {
	var c storage.Counter
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanCounter(s.txQueryRow(ctx, tx, incrementCounterSQL, poolID, name, toMillis(now), toMillis(expiresAt)))
		return s.wrap(err, "increment counter")
	})
	if err != nil {
		return storage.Counter{}, err
	}
	return c, nil
}

// GetCounter returns the pool's counter name, or the zero Counter when it is
// missing or expired at now.
func (s *Store) GetCounter(ctx context.Context, poolID, name string, now time.Time) (storage.Counter, error) {
	c, err := scanCounter(s.readRow(ctx,
		`SELECT value, updated_at, expires_at FROM counters WHERE pool_id = $1 AND name = $2 AND expires_at > $3`,
		poolID, name, toMillis(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Counter{}, nil
	}
	if err != nil {
		return storage.Counter{}, s.wrap(err, "get counter")
	}
	return c, nil
}

// ResetCounter removes the counter; a missing one is no error.
func (s *Store) ResetCounter(ctx context.Context, poolID, name string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, `DELETE FROM counters WHERE pool_id = $1 AND name = $2`, poolID, name)
		return s.wrap(err, "reset counter")
	})
}

// DeleteExpiredCounters removes the counters of every pool expired at now
// (ExpiresAt not after now) and returns how many it removed.
func (s *Store) DeleteExpiredCounters(ctx context.Context, now time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM counters WHERE expires_at <= $1`, toMillis(now))
	if err != nil {
		return 0, s.wrap(err, "delete expired counters")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.wrap(err, "delete expired counters")
	}
	return int(n), nil
}
