package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cogito-dev/cogito/internal/storage"
)

const groupColumns = `pool_id, name, description, role_arn, precedence, created_at, updated_at, version`

const groupColumnsG = `g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.updated_at, g.version`

func scanGroup(row interface{ Scan(...any) error }) (*storage.Group, error) {
	var (
		g                 storage.Group
		description, role sql.NullString
		precedence        sql.NullInt32
		created, updated  int64
	)
	if err := row.Scan(&g.PoolID, &g.Name, &description, &role, &precedence, &created, &updated, &g.Version); err != nil {
		return nil, err
	}
	if description.Valid {
		g.Description = &description.String
	}
	if role.Valid {
		g.RoleARN = &role.String
	}
	if precedence.Valid {
		g.Precedence = &precedence.Int32
	}
	g.CreatedAt = fromMillis(created)
	g.UpdatedAt = fromMillis(updated)
	return &g, nil
}

func cloneGroup(g *storage.Group) *storage.Group {
	c := *g
	if g.Description != nil {
		v := *g.Description
		c.Description = &v
	}
	if g.RoleARN != nil {
		v := *g.RoleARN
		c.RoleARN = &v
	}
	if g.Precedence != nil {
		v := *g.Precedence
		c.Precedence = &v
	}
	return &c
}

func nullString(p *string) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *p, Valid: true}
}

func nullInt32(p *int32) sql.NullInt32 {
	if p == nil {
		return sql.NullInt32{}
	}
	return sql.NullInt32{Int32: *p, Valid: true}
}

// CreateGroup inserts g with Version 1; storage.ErrAlreadyExists if the name
// is taken in the pool, storage.ErrNotFound if the pool does not exist.
func (s *Store) CreateGroup(ctx context.Context, g *storage.Group) error {
	g.CreatedAt = normTime(g.CreatedAt)
	g.UpdatedAt = normTime(g.UpdatedAt)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO user_groups (`+groupColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`,
		g.PoolID, g.Name, nullString(g.Description), nullString(g.RoleARN), nullInt32(g.Precedence),
		toMillis(g.CreatedAt), toMillis(g.UpdatedAt))
	if err != nil {
		return s.wrap(err, "create group")
	}
	g.Version = 1
	return nil
}

// GetGroup returns the pool's group or storage.ErrNotFound.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (*storage.Group, error) {
	g, err := scanGroup(s.r.QueryRowContext(ctx,
		`SELECT `+groupColumns+` FROM user_groups WHERE pool_id = $1 AND name = $2`, poolID, name))
	if err != nil {
		return nil, s.wrap(err, "get group")
	}
	return g, nil
}

// UpdateGroup applies fn to the group by compare-and-swap. fn may change
// Description, RoleARN, Precedence and UpdatedAt.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(*storage.Group) error) (*storage.Group, error) {
	var out *storage.Group
	err := s.cas(ctx, "group", name, func(tx *sql.Tx) error {
		cur, err := scanGroup(tx.QueryRowContext(ctx,
			`SELECT `+groupColumns+` FROM user_groups WHERE pool_id = $1 AND name = $2`+s.d.forNoKeyUpdate, poolID, name))
		if err != nil {
			return s.wrap(err, "update group")
		}
		next := cloneGroup(cur)
		if err := fn(next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.PoolID, next.Name, next.CreatedAt, next.Version = cur.PoolID, cur.Name, cur.CreatedAt, cur.Version+1
		next.UpdatedAt = normTime(next.UpdatedAt)
		res, err := tx.ExecContext(ctx,
			`UPDATE user_groups SET description = $1, role_arn = $2, precedence = $3, updated_at = $4, version = $5
			 WHERE pool_id = $6 AND name = $7 AND version = $8`,
			nullString(next.Description), nullString(next.RoleARN), nullInt32(next.Precedence),
			toMillis(next.UpdatedAt), next.Version, poolID, name, cur.Version)
		if err != nil {
			return s.wrap(err, "update group")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update group")
		} else if n == 0 {
			return errCASLost
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteGroup removes the group; its memberships cascade.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM user_groups WHERE pool_id = $1 AND name = $2`, poolID, name)
	if err != nil {
		return s.wrap(err, "delete group")
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.wrap(err, "delete group")
	} else if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// ListGroups pages through the pool's groups by name.
func (s *Store) ListGroups(ctx context.Context, poolID string, page storage.Page) ([]*storage.Group, string, error) {
	return s.listGroups(ctx, page, "list groups", func(after string, limit int) (*sql.Rows, error) {
		return s.r.QueryContext(ctx,
			`SELECT `+groupColumns+` FROM user_groups WHERE pool_id = $1 AND name > $2 ORDER BY name LIMIT $3`,
			poolID, after, limit)
	})
}

// ListGroupsForUser pages through the user's groups by name (none for a user
// that does not exist).
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, userKey string, page storage.Page) ([]*storage.Group, string, error) {
	return s.listGroups(ctx, page, "list groups for user", func(after string, limit int) (*sql.Rows, error) {
		return s.r.QueryContext(ctx,
			`SELECT `+groupColumnsG+` FROM group_members m CROSS JOIN user_groups g
			 WHERE m.pool_id = $1 AND m.user_key = $2 AND m.group_name > $3
			 AND g.pool_id = $1 AND g.name = m.group_name
			 ORDER BY m.group_name LIMIT $4`,
			poolID, userKey, after, limit)
	})
}

func (s *Store) listGroups(ctx context.Context, page storage.Page, op string,
	query func(after string, limit int) (*sql.Rows, error),
) ([]*storage.Group, string, error) {
	limit := pageLimit(page)
	after := ""
	if page.Token != "" {
		var err error
		if after, err = decodeToken(page.Token); err != nil {
			return nil, "", err
		}
	}
	rows, err := query(after, limit+1)
	if err != nil {
		return nil, "", s.wrap(err, op)
	}
	defer rows.Close()
	groups := []*storage.Group{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, "", s.wrap(err, op)
		}
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.wrap(err, op)
	}
	if len(groups) > limit {
		groups = groups[:limit]
		return groups, encodeToken(groups[limit-1].Name), nil
	}
	return groups, "", nil
}

// AddUserToGroup adds the membership if it is not there yet;
// storage.ErrNotFound when the user or the group does not exist.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, group, userKey string) error {
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO group_members (pool_id, group_name, user_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		poolID, group, userKey)
	return s.wrap(err, "add user to group")
}

// RemoveUserFromGroup removes the membership; a missing membership (or user,
// or group) is no error.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, group, userKey string) error {
	_, err := s.w.ExecContext(ctx,
		`DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND user_key = $3`,
		poolID, group, userKey)
	return s.wrap(err, "remove user from group")
}

// ListUsersInGroup pages through the group's members by Key (none for a group
// that does not exist).
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group string, page storage.Page) ([]*storage.User, string, error) {
	limit := pageLimit(page)
	after := ""
	if page.Token != "" {
		var err error
		if after, err = decodeToken(page.Token); err != nil {
			return nil, "", err
		}
	}
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+userColumnsU+` FROM group_members m CROSS JOIN users u
		 WHERE m.pool_id = $1 AND m.group_name = $2 AND m.user_key > $3
		 AND u.pool_id = $1 AND u.user_key = m.user_key
		 ORDER BY m.user_key LIMIT $4`,
		poolID, group, after, limit+1)
	if err != nil {
		return nil, "", s.wrap(err, "list users in group")
	}
	defer rows.Close()
	users, next, err := collectPage(rows, limit, func(r interface{ Scan(...any) error }) (*storage.User, error) { return scanUser(r) }, func(x *storage.User) string { return x.Key })
	if err != nil {
		return nil, "", s.wrap(err, "list users in group")
	}
	return users, next, nil
}
