package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cogito-dev/cogito/internal/storage"
)

const identityPoolColumns = `id, name, settings, created_at, updated_at, version`

func scanIdentityPool(row interface{ Scan(...any) error }) (*storage.IdentityPool, error) {
	var (
		p                storage.IdentityPool
		created, updated int64
	)
	if err := row.Scan(&p.ID, &p.Name, &p.Settings, &created, &updated, &p.Version); err != nil {
		return nil, err
	}
	p.Settings = unblob(p.Settings)
	p.CreatedAt = fromMillis(created)
	p.UpdatedAt = fromMillis(updated)
	return &p, nil
}

// CreateIdentityPool inserts p with Version 1.
func (s *Store) CreateIdentityPool(ctx context.Context, p *storage.IdentityPool) error {
	p.CreatedAt = normTime(p.CreatedAt)
	p.UpdatedAt = normTime(p.UpdatedAt)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO identity_pools (`+identityPoolColumns+`) VALUES ($1, $2, $3, $4, $5, 1)`,
		p.ID, p.Name, blob(p.Settings), toMillis(p.CreatedAt), toMillis(p.UpdatedAt))
	if err != nil {
		return s.wrap(err, "create identity pool")
	}
	p.Version = 1
	return nil
}

// GetIdentityPool returns the identity pool or storage.ErrNotFound.
func (s *Store) GetIdentityPool(ctx context.Context, id string) (*storage.IdentityPool, error) {
	p, err := scanIdentityPool(s.readRow(ctx, `SELECT `+identityPoolColumns+` FROM identity_pools WHERE id = $1`, id))
	if err != nil {
		return nil, s.wrap(err, "get identity pool")
	}
	return p, nil
}

// UpdateIdentityPool applies fn to the identity pool by compare-and-swap. fn
// may change Name, Settings and UpdatedAt; the id, CreatedAt and Version are
// the store's.
func (s *Store) UpdateIdentityPool(ctx context.Context, id string, fn func(*storage.IdentityPool) error) (*storage.IdentityPool, error) {
	var out *storage.IdentityPool
	err := s.cas(ctx, "identity pool", id, func(tx *sql.Tx) error {
		cur, err := scanIdentityPool(tx.QueryRowContext(ctx,
			`SELECT `+identityPoolColumns+` FROM identity_pools WHERE id = $1`+s.d.forUpdate, id))
		if err != nil {
			return s.wrap(err, "update identity pool")
		}
		next := *cur
		next.Settings = cloneBytes(cur.Settings)
		if err := fn(&next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.ID, next.CreatedAt, next.Version = cur.ID, cur.CreatedAt, cur.Version+1
		next.UpdatedAt = normTime(next.UpdatedAt)
		res, err := tx.ExecContext(ctx,
			`UPDATE identity_pools SET name = $1, settings = $2, updated_at = $3, version = $4 WHERE id = $5 AND version = $6`,
			next.Name, blob(next.Settings), toMillis(next.UpdatedAt), next.Version, id, cur.Version)
		if err != nil {
			return s.wrap(err, "update identity pool")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update identity pool")
		} else if n == 0 {
			return errCASLost
		}
		next.Settings = unblob(next.Settings)
		out = &next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteIdentityPool removes the identity pool; tables scoped to it cascade.
func (s *Store) DeleteIdentityPool(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM identity_pools WHERE id = $1`, id)
		if err != nil {
			return s.wrap(err, "delete identity pool")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "delete identity pool")
		} else if n == 0 {
			return storage.ErrNotFound
		}
		return nil
	})
}

// ListIdentityPools pages through identity pools by id.
func (s *Store) ListIdentityPools(ctx context.Context, page storage.Page) ([]*storage.IdentityPool, string, error) {
	limit := pageLimit(page)
	var (
		rows *sql.Rows
		err  error
	)
	if page.Token == "" {
		rows, err = s.r.QueryContext(ctx,
			`SELECT `+identityPoolColumns+` FROM identity_pools ORDER BY id LIMIT $1`, limit+1)
	} else {
		after, derr := decodeToken(page.Token)
		if derr != nil {
			return nil, "", derr
		}
		rows, err = s.r.QueryContext(ctx,
			`SELECT `+identityPoolColumns+` FROM identity_pools WHERE id > $1 ORDER BY id LIMIT $2`, after, limit+1)
	}
	if err != nil {
		return nil, "", s.wrap(err, "list identity pools")
	}
	defer rows.Close()
	pools, next, err := collectPage(rows, limit, scanIdentityPool, func(x *storage.IdentityPool) string { return x.ID })
	if err != nil {
		return nil, "", s.wrap(err, "list identity pools")
	}
	return pools, next, nil
}

// CountIdentityPools counts every identity pool.
func (s *Store) CountIdentityPools(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM identity_pools`).Scan(&n); err != nil {
		return 0, s.wrap(err, "count identity pools")
	}
	return n, nil
}
