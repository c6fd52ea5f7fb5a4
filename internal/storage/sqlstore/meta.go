package sqlstore

import (
	"context"
	"database/sql"
)

// GetOrPutMeta returns the value stored under key, storing value first if
// there is none. The insert and the read share one transaction; on
// PostgreSQL a concurrent inserter waits for the first one's commit and then
// reads its value.
func (s *Store) GetOrPutMeta(ctx context.Context, key string, value []byte) ([]byte, error) {
	var out []byte
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
			key, nonNil(value)); err != nil {
			return s.wrap(err, "put meta")
		}
		return s.wrap(tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&out), "get meta")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// nonNil returns b, or an empty non-nil slice, so a NOT NULL column takes it.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
