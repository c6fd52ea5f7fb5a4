package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cogito-dev/cogito/internal/storage"
)

const poolColumns = `id, name, settings, created_at, updated_at, version`

func scanPool(row interface{ Scan(...any) error }) (*storage.UserPool, error) {
	var (
		p                storage.UserPool
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

func clonePool(p *storage.UserPool) *storage.UserPool {
	c := *p
	c.Settings = cloneBytes(p.Settings)
	return &c
}

// CreatePool inserts p with Version 1.
func (s *Store) CreatePool(ctx context.Context, p *storage.UserPool) error {
	p.CreatedAt = normTime(p.CreatedAt)
	p.UpdatedAt = normTime(p.UpdatedAt)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO user_pools (`+poolColumns+`) VALUES ($1, $2, $3, $4, $5, 1)`,
		p.ID, p.Name, blob(p.Settings), toMillis(p.CreatedAt), toMillis(p.UpdatedAt))
	if err != nil {
		return s.wrap(err, "create pool")
	}
	p.Version = 1
	return nil
}

// GetPool returns the pool or storage.ErrNotFound.
func (s *Store) GetPool(ctx context.Context, id string) (*storage.UserPool, error) {
	p, err := scanPool(s.r.QueryRowContext(ctx, `SELECT `+poolColumns+` FROM user_pools WHERE id = $1`, id))
	if err != nil {
		return nil, s.wrap(err, "get pool")
	}
	return p, nil
}

// UpdatePool applies fn to the pool by compare-and-swap. fn may change Name,
// Settings and UpdatedAt; the id, CreatedAt and Version are the store's.
func (s *Store) UpdatePool(ctx context.Context, id string, fn func(*storage.UserPool) error) (*storage.UserPool, error) {
	var out *storage.UserPool
	err := s.cas(ctx, "user pool", id, func(tx *sql.Tx) error {
		cur, err := scanPool(tx.QueryRowContext(ctx, `SELECT `+poolColumns+` FROM user_pools WHERE id = $1`+s.d.forUpdate, id))
		if err != nil {
			return s.wrap(err, "update pool")
		}
		next := clonePool(cur)
		if err := fn(next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.ID, next.CreatedAt, next.Version = cur.ID, cur.CreatedAt, cur.Version+1
		next.UpdatedAt = normTime(next.UpdatedAt)
		res, err := tx.ExecContext(ctx,
			`UPDATE user_pools SET name = $1, settings = $2, updated_at = $3, version = $4 WHERE id = $5 AND version = $6`,
			next.Name, blob(next.Settings), toMillis(next.UpdatedAt), next.Version, id, cur.Version)
		if err != nil {
			return s.wrap(err, "update pool")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update pool")
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

// DeletePool removes the pool; every pool-scoped table cascades from it.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM user_pools WHERE id = $1`, id)
		if err != nil {
			return s.wrap(err, "delete pool")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "delete pool")
		} else if n == 0 {
			return storage.ErrNotFound
		}
		return nil
	})
}

// ListPools pages through pools by id.
func (s *Store) ListPools(ctx context.Context, page storage.Page) ([]*storage.UserPool, string, error) {
	limit := pageLimit(page)
	var (
		rows *sql.Rows
		err  error
	)
	if page.Token == "" {
		rows, err = s.r.QueryContext(ctx,
			`SELECT `+poolColumns+` FROM user_pools ORDER BY id LIMIT $1`, limit+1)
	} else {
		after, derr := decodeToken(page.Token)
		if derr != nil {
			return nil, "", derr
		}
		rows, err = s.r.QueryContext(ctx,
			`SELECT `+poolColumns+` FROM user_pools WHERE id > $1 ORDER BY id LIMIT $2`, after, limit+1)
	}
	if err != nil {
		return nil, "", s.wrap(err, "list pools")
	}
	defer rows.Close()
	pools, next, err := collectPage(rows, limit, scanPool, func(x *storage.UserPool) string { return x.ID })
	if err != nil {
		return nil, "", s.wrap(err, "list pools")
	}
	return pools, next, nil
}
