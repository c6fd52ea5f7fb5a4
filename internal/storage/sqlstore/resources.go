package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cogito-dev/cogito/internal/storage"
)

const resourceColumns = `pool_id, kind, id, owner, lookup_key, settings, created_at, updated_at, version`

func scanResource(row interface{ Scan(...any) error }) (*storage.Resource, error) {
	var (
		r                storage.Resource
		owner, lookup    sql.NullString
		created, updated int64
	)
	if err := row.Scan(&r.PoolID, &r.Kind, &r.ID, &owner, &lookup, &r.Settings, &created, &updated, &r.Version); err != nil {
		return nil, err
	}
	r.Owner, r.LookupKey = owner.String, lookup.String
	r.Settings = unblob(r.Settings)
	r.CreatedAt = fromMillis(created)
	r.UpdatedAt = fromMillis(updated)
	return &r, nil
}

// emptyNull stores "" as NULL (no owner, no lookup key).
func emptyNull(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateResource inserts r with Version 1.
func (s *Store) CreateResource(ctx context.Context, r *storage.Resource) error {
	r.CreatedAt = normTime(r.CreatedAt)
	r.UpdatedAt = normTime(r.UpdatedAt)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO resources (`+resourceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)`,
		r.PoolID, r.Kind, r.ID, emptyNull(r.Owner), emptyNull(r.LookupKey), blob(r.Settings),
		toMillis(r.CreatedAt), toMillis(r.UpdatedAt))
	if err != nil {
		return s.wrap(err, "create resource")
	}
	r.Version = 1
	return nil
}

// GetResource returns the record or storage.ErrNotFound.
func (s *Store) GetResource(ctx context.Context, poolID, kind, id string) (*storage.Resource, error) {
	r, err := scanResource(s.readRow(ctx,
		`SELECT `+resourceColumns+` FROM resources WHERE pool_id = $1 AND kind = $2 AND id = $3`, poolID, kind, id))
	if err != nil {
		return nil, s.wrap(err, "get resource")
	}
	return r, nil
}

// FindResource returns the record of kind with lookupKey or storage.ErrNotFound.
func (s *Store) FindResource(ctx context.Context, kind, lookupKey string) (*storage.Resource, error) {
	if lookupKey == "" {
		return nil, storage.ErrNotFound
	}
	r, err := scanResource(s.readRow(ctx,
		`SELECT `+resourceColumns+` FROM resources WHERE kind = $1 AND lookup_key = $2`, kind, lookupKey))
	if err != nil {
		return nil, s.wrap(err, "find resource")
	}
	return r, nil
}

// UpdateResource applies fn by compare-and-swap. fn may change Settings,
// LookupKey and UpdatedAt; the keys, Owner, CreatedAt and Version are the
// store's.
func (s *Store) UpdateResource(ctx context.Context, poolID, kind, id string, fn func(*storage.Resource) error) (*storage.Resource, error) {
	var out *storage.Resource
	err := s.cas(ctx, "resource", kind+"/"+id, func(tx *sql.Tx) error {
		cur, err := scanResource(tx.QueryRowContext(ctx,
			`SELECT `+resourceColumns+` FROM resources WHERE pool_id = $1 AND kind = $2 AND id = $3`+s.d.forUpdate,
			poolID, kind, id))
		if err != nil {
			return s.wrap(err, "update resource")
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
		next.PoolID, next.Kind, next.ID, next.Owner = cur.PoolID, cur.Kind, cur.ID, cur.Owner
		next.CreatedAt, next.Version = cur.CreatedAt, cur.Version+1
		next.UpdatedAt = normTime(next.UpdatedAt)
		res, err := tx.ExecContext(ctx,
			`UPDATE resources SET lookup_key = $1, settings = $2, updated_at = $3, version = $4
			 WHERE pool_id = $5 AND kind = $6 AND id = $7 AND version = $8`,
			emptyNull(next.LookupKey), blob(next.Settings), toMillis(next.UpdatedAt), next.Version,
			poolID, kind, id, cur.Version)
		if err != nil {
			return s.wrap(err, "update resource")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update resource")
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

// DeleteResource removes the record; storage.ErrNotFound if there is none.
func (s *Store) DeleteResource(ctx context.Context, poolID, kind, id string) error {
	res, err := s.w.ExecContext(ctx,
		`DELETE FROM resources WHERE pool_id = $1 AND kind = $2 AND id = $3`, poolID, kind, id)
	if err != nil {
		return s.wrap(err, "delete resource")
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.wrap(err, "delete resource")
	} else if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// ListResources pages through the pool's records of kind (of owner, when
// given) in id order.
func (s *Store) ListResources(ctx context.Context, poolID, kind, owner string, page storage.Page) ([]*storage.Resource, string, error) {
	limit := pageLimit(page)
	after := ""
	if page.Token != "" {
		var err error
		if after, err = decodeToken(page.Token); err != nil {
			return nil, "", err
		}
	}
	q := `SELECT ` + resourceColumns + ` FROM resources WHERE pool_id = $1 AND kind = $2 AND id > $3`
	args := []any{poolID, kind, after}
	if owner != "" {
		q += ` AND owner = $4 ORDER BY id LIMIT $5`
		args = append(args, owner, limit+1)
	} else {
		q += ` ORDER BY id LIMIT $4`
		args = append(args, limit+1)
	}
	rows, err := s.readRows(ctx, q, args...)
	if err != nil {
		return nil, "", s.wrap(err, "list resources")
	}
	defer rows.Close()
	out, next, err := collectPage(rows, limit, scanResource, func(x *storage.Resource) string { return x.ID })
	if err != nil {
		return nil, "", s.wrap(err, "list resources")
	}
	return out, next, nil
}

// CountResources counts the pool's records of kind (of owner, when given).
func (s *Store) CountResources(ctx context.Context, poolID, kind, owner string) (int, error) {
	q := `SELECT COUNT(*) FROM resources WHERE pool_id = $1 AND kind = $2`
	args := []any{poolID, kind}
	if owner != "" {
		q += ` AND owner = $3`
		args = append(args, owner)
	}
	var n int
	if err := s.readRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, s.wrap(err, "count resources")
	}
	return n, nil
}
