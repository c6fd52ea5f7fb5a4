package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"

	"github.com/cogito-dev/cogito/internal/storage"
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

// GetMeta returns the value stored under key; storage.ErrNotFound when there
// is none or it is empty (UpdateMeta's placeholder).
func (s *Store) GetMeta(ctx context.Context, key string) ([]byte, error) {
	var out []byte
	if err := s.readRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&out); err != nil {
		return nil, s.wrap(err, "get meta")
	}
	if len(out) == 0 {
		return nil, storage.ErrNotFound
	}
	return out, nil
}

// errMetaSkip rolls back an UpdateMeta whose closure changed nothing, taking
// the placeholder row with it.
var errMetaSkip = errors.New("sqlstore: meta update skipped")

// UpdateMeta applies fn to the value under key in one write transaction. A
// missing key is first inserted empty (ON CONFLICT DO NOTHING), so that the
// SELECT that follows always finds a row to lock: on PostgreSQL concurrent
// updaters of a new key then queue on that row like those of an old one;
// SQLite has one writer.
func (s *Store) UpdateMeta(ctx context.Context, key string, fn func(cur []byte) ([]byte, error)) ([]byte, error) {
	var out []byte
	err := s.cas(ctx, "meta", key, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, []byte{}); err != nil {
			return s.wrap(err, "update meta")
		}
		var cur []byte
		if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`+s.d.forUpdate, key).Scan(&cur); err != nil {
			return s.wrap(err, "update meta")
		}
		if len(cur) == 0 {
			cur = nil
		}
		next, err := fn(bytes.Clone(cur))
		if errors.Is(err, storage.ErrSkip) {
			out = cur
			return errMetaSkip
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = $1 WHERE key = $2`, nonNil(next), key); err != nil {
			return s.wrap(err, "update meta")
		}
		out = bytes.Clone(next)
		return nil
	})
	if errors.Is(err, errMetaSkip) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
