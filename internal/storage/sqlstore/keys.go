package sqlstore

import (
	"context"
	"database/sql"

	"github.com/cogito-dev/cogito/internal/storage"
)

const keyColumns = `pool_id, key_id, algorithm, key_use, private_key, public_key, active, created_at, retired_at`

func scanKey(row interface{ Scan(...any) error }) (*storage.SigningKey, error) {
	var (
		k       storage.SigningKey
		created int64
		retired sql.NullInt64
	)
	if err := row.Scan(&k.PoolID, &k.KeyID, &k.Algorithm, &k.Use, &k.PrivateKey, &k.PublicKey, &k.Active, &created, &retired); err != nil {
		return nil, err
	}
	k.PrivateKey = unblob(k.PrivateKey)
	k.PublicKey = unblob(k.PublicKey)
	k.CreatedAt = fromMillis(created)
	k.RetiredAt = fromNullMillis(retired)
	return &k, nil
}

func normKey(k *storage.SigningKey) {
	k.CreatedAt = normTime(k.CreatedAt)
	if k.RetiredAt != nil {
		t := normTime(*k.RetiredAt)
		k.RetiredAt = &t
	}
}

func insertKey(ctx context.Context, ex interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, k *storage.SigningKey) error {
	_, err := ex.ExecContext(ctx,
		`INSERT INTO signing_keys (`+keyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		k.PoolID, k.KeyID, k.Algorithm, k.Use, blob(k.PrivateKey), blob(k.PublicKey), k.Active,
		toMillis(k.CreatedAt), nullMillis(k.RetiredAt))
	return err
}

// AddSigningKey inserts k. storage.ErrAlreadyExists if the key id is taken in
// the pool or k is active while the pool already has an active key for k.Use;
// storage.ErrNotFound if the pool does not exist.
func (s *Store) AddSigningKey(ctx context.Context, k *storage.SigningKey) error {
	normKey(k)
	return s.wrap(insertKey(ctx, s.w, k), "add signing key")
}

// ListSigningKeys returns the pool's keys, oldest first (ties by key id).
func (s *Store) ListSigningKeys(ctx context.Context, poolID string) ([]*storage.SigningKey, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+keyColumns+` FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, key_id`, poolID)
	if err != nil {
		return nil, s.wrap(err, "list signing keys")
	}
	defer rows.Close()
	keys := []*storage.SigningKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, s.wrap(err, "list signing keys")
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err, "list signing keys")
	}
	return keys, nil
}

// RotateSigningKey retires the active key for next.Use (which must be
// expectActiveKeyID; "" expects no active key) at next.CreatedAt and inserts
// next as the active key, in one transaction. A different active key is a
// *storage.ConflictError and changes nothing.
func (s *Store) RotateSigningKey(ctx context.Context, next *storage.SigningKey, expectActiveKeyID string) error {
	normKey(next)
	next.Active = true
	next.RetiredAt = nil
	conflict := &storage.ConflictError{Entity: "signing key", Key: next.PoolID + "/" + next.Use}
	return s.write(ctx, func(tx *sql.Tx) error {
		if expectActiveKeyID == "" {
			var n int
			if err := tx.QueryRowContext(ctx,
				`SELECT count(*) FROM signing_keys WHERE pool_id = $1 AND key_use = $2 AND active`,
				next.PoolID, next.Use).Scan(&n); err != nil {
				return s.wrap(err, "rotate signing key")
			}
			if n != 0 {
				return conflict
			}
		} else {
			res, err := tx.ExecContext(ctx,
				`UPDATE signing_keys SET active = $1, retired_at = $2
				 WHERE pool_id = $3 AND key_use = $4 AND key_id = $5 AND active`,
				false, toMillis(next.CreatedAt), next.PoolID, next.Use, expectActiveKeyID)
			if err != nil {
				return s.wrap(err, "rotate signing key")
			}
			if n, err := res.RowsAffected(); err != nil {
				return s.wrap(err, "rotate signing key")
			} else if n == 0 {
				return conflict
			}
		}
		// A concurrent rotation that expected no active key may insert first;
		// the unique index then refuses this one, which is the same conflict.
		err := s.wrap(insertKey(ctx, tx, next), "rotate signing key")
		if err == storage.ErrAlreadyExists && expectActiveKeyID == "" {
			return conflict
		}
		return err
	})
}

// DeleteSigningKey removes a retired key; storage.ErrNotFound if there is no
// such key, *storage.ConflictError if it is still the active key.
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, keyID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var active bool
		err := tx.QueryRowContext(ctx,
			`SELECT active FROM signing_keys WHERE pool_id = $1 AND key_id = $2`, poolID, keyID).Scan(&active)
		if err != nil {
			return s.wrap(err, "delete signing key")
		}
		if active {
			return &storage.ConflictError{Entity: "signing key", Key: poolID + "/" + keyID}
		}
		res, err := tx.ExecContext(ctx,
			`DELETE FROM signing_keys WHERE pool_id = $1 AND key_id = $2 AND NOT active`, poolID, keyID)
		if err != nil {
			return s.wrap(err, "delete signing key")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "delete signing key")
		} else if n == 0 {
			return storage.ErrNotFound
		}
		return nil
	})
}
