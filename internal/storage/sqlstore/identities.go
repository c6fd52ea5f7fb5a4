package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Identities of identity pools (0006_identities.sql): a row per identity, a
// row per linked login (unique per pool, so the primary key is what makes
// "one identity per login" hold under concurrent GetId calls), and minted
// credential records. An identity's logins are read with it.

const identityColumns = `id, pool_id, disabled, created_at, updated_at, version`

func scanIdentity(row interface{ Scan(...any) error }) (*storage.Identity, error) {
	var (
		i                storage.Identity
		disabled         int64
		created, updated int64
	)
	if err := row.Scan(&i.ID, &i.PoolID, &disabled, &created, &updated, &i.Version); err != nil {
		return nil, err
	}
	i.Disabled = disabled != 0
	i.CreatedAt = fromMillis(created)
	i.UpdatedAt = fromMillis(updated)
	return &i, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// normLogins returns logins without duplicates, sorted by (provider, subject).
func normLogins(in []storage.IdentityLogin) []storage.IdentityLogin {
	out := slices.Clone(in)
	slices.SortFunc(out, compareLogins)
	return slices.Compact(out)
}

func compareLogins(a, b storage.IdentityLogin) int {
	if c := strings.Compare(a.Provider, b.Provider); c != 0 {
		return c
	}
	return strings.Compare(a.Subject, b.Subject)
}

// loginsOf reads the logins of the identities ids, sorted.
func (s *Store) loginsOf(ctx context.Context, q querier, ids []string) (map[string][]storage.IdentityLogin, error) {
	out := make(map[string][]storage.IdentityLogin, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var b strings.Builder
	args := make([]any, len(ids))
	b.WriteString(`SELECT identity_id, provider, subject FROM identity_logins WHERE identity_id IN (`)
	for n, id := range ids {
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(n+1))
		args[n] = id
	}
	b.WriteString(`) ORDER BY identity_id, provider, subject`)
	rows, err := q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, s.wrap(err, "read identity logins")
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var l storage.IdentityLogin
		if err := rows.Scan(&id, &l.Provider, &l.Subject); err != nil {
			return nil, s.wrap(err, "read identity logins")
		}
		out[id] = append(out[id], l)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err, "read identity logins")
	}
	return out, nil
}

// withLogins fills i.Logins.
func (s *Store) withLogins(ctx context.Context, q querier, i *storage.Identity) error {
	m, err := s.loginsOf(ctx, q, []string{i.ID})
	if err != nil {
		return err
	}
	i.Logins = m[i.ID]
	return nil
}

func insertLogins(ctx context.Context, tx *sql.Tx, poolID, identityID string, logins []storage.IdentityLogin, now time.Time) error {
	for _, l := range logins {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO identity_logins (pool_id, provider, subject, identity_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
			poolID, l.Provider, l.Subject, identityID, toMillis(now)); err != nil {
			return err
		}
	}
	return nil
}

// CreateIdentity inserts i and its logins with Version 1.
func (s *Store) CreateIdentity(ctx context.Context, i *storage.Identity) error {
	i.CreatedAt = normTime(i.CreatedAt)
	i.UpdatedAt = normTime(i.UpdatedAt)
	i.Logins = normLogins(i.Logins)
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO identities (`+identityColumns+`) VALUES ($1, $2, $3, $4, $5, 1)`,
			i.ID, i.PoolID, boolInt(i.Disabled), toMillis(i.CreatedAt), toMillis(i.UpdatedAt)); err != nil {
			return s.wrap(err, "create identity")
		}
		if err := insertLogins(ctx, tx, i.PoolID, i.ID, i.Logins, i.CreatedAt); err != nil {
			return s.wrap(err, "create identity")
		}
		return nil
	})
	if err != nil {
		return err
	}
	i.Version = 1
	return nil
}

// GetIdentity returns the identity with its logins, or storage.ErrNotFound.
func (s *Store) GetIdentity(ctx context.Context, id string) (*storage.Identity, error) {
	i, err := scanIdentity(s.readRow(ctx, `SELECT `+identityColumns+` FROM identities WHERE id = $1`, id))
	if err != nil {
		return nil, s.wrap(err, "get identity")
	}
	if err := s.withLogins(ctx, s.r, i); err != nil {
		return nil, err
	}
	return i, nil
}

// FindIdentityByLogin returns the identity of the pool the login is linked to.
func (s *Store) FindIdentityByLogin(ctx context.Context, poolID string, l storage.IdentityLogin) (*storage.Identity, error) {
	i, err := scanIdentity(s.readRow(ctx, findIdentityByLoginSQL, poolID, l.Provider, l.Subject))
	if err != nil {
		return nil, s.wrap(err, "find identity by login")
	}
	if err := s.withLogins(ctx, s.r, i); err != nil {
		return nil, err
	}
	return i, nil
}

// UpdateIdentity applies fn by compare-and-swap, writing the change of
// logins in the same transaction.
func (s *Store) UpdateIdentity(ctx context.Context, id string, fn func(*storage.Identity) error) (*storage.Identity, error) {
	var out *storage.Identity
	err := s.cas(ctx, "identity", id, func(tx *sql.Tx) error {
		cur, err := scanIdentity(tx.QueryRowContext(ctx,
			`SELECT `+identityColumns+` FROM identities WHERE id = $1`+s.d.forNoKeyUpdate, id))
		if err != nil {
			return s.wrap(err, "update identity")
		}
		if err := s.withLogins(ctx, tx, cur); err != nil {
			return err
		}
		next := *cur
		next.Logins = slices.Clone(cur.Logins)
		if err := fn(&next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.ID, next.PoolID, next.CreatedAt, next.Version = cur.ID, cur.PoolID, cur.CreatedAt, cur.Version+1
		next.UpdatedAt = normTime(next.UpdatedAt)
		next.Logins = normLogins(next.Logins)
		res, err := tx.ExecContext(ctx,
			`UPDATE identities SET disabled = $1, updated_at = $2, version = $3 WHERE id = $4 AND version = $5`,
			boolInt(next.Disabled), toMillis(next.UpdatedAt), next.Version, id, cur.Version)
		if err != nil {
			return s.wrap(err, "update identity")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update identity")
		} else if n == 0 {
			return errCASLost
		}
		for _, l := range cur.Logins {
			if _, found := slices.BinarySearchFunc(next.Logins, l, compareLogins); found {
				continue
			}
			if _, err := tx.ExecContext(ctx,
				`DELETE FROM identity_logins WHERE pool_id = $1 AND provider = $2 AND subject = $3 AND identity_id = $4`,
				cur.PoolID, l.Provider, l.Subject, id); err != nil {
				return s.wrap(err, "update identity")
			}
		}
		var added []storage.IdentityLogin
		for _, l := range next.Logins {
			if _, found := slices.BinarySearchFunc(cur.Logins, l, compareLogins); !found {
				added = append(added, l)
			}
		}
		if err := insertLogins(ctx, tx, cur.PoolID, id, added, next.UpdatedAt); err != nil {
			return s.wrap(err, "update identity")
		}
		out = &next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MergeIdentities moves the logins of m.From to m.Into, disables m.From and
// links m.Add to m.Into, in one transaction guarded by the versions given.
func (s *Store) MergeIdentities(ctx context.Context, m *storage.IdentityMerge) (*storage.Identity, error) {
	if m.Into == nil {
		return nil, errors.New("sqlstore: merge identities: no target")
	}
	now := normTime(m.Now)
	type step struct {
		id      string
		version int64
		disable bool
	}
	steps := []step{{m.Into.ID, m.Into.Version, false}}
	for _, f := range m.From {
		if f.ID == m.Into.ID {
			return nil, errors.New("sqlstore: merge identities: an identity merged into itself")
		}
		steps = append(steps, step{f.ID, f.Version, true})
	}
	// A fixed order, so two merges over the same rows do not deadlock.
	slices.SortFunc(steps, func(a, b step) int { return strings.Compare(a.id, b.id) })
	var out *storage.Identity
	err := s.cas(ctx, "identity", m.Into.ID, func(tx *sql.Tx) error {
		for _, st := range steps {
			q := `UPDATE identities SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`
			if st.disable {
				q = `UPDATE identities SET version = version + 1, updated_at = $1, disabled = 1 WHERE id = $2 AND version = $3`
			}
			res, err := tx.ExecContext(ctx, q, toMillis(now), st.id, st.version)
			if err != nil {
				return s.wrap(err, "merge identities")
			}
			if n, err := res.RowsAffected(); err != nil {
				return s.wrap(err, "merge identities")
			} else if n == 0 {
				var one int
				err := tx.QueryRowContext(ctx, `SELECT 1 FROM identities WHERE id = $1`, st.id).Scan(&one)
				if errors.Is(err, sql.ErrNoRows) {
					return storage.ErrNotFound
				}
				if err != nil {
					return s.wrap(err, "merge identities")
				}
				return &storage.ConflictError{Entity: "identity", Key: st.id}
			}
		}
		into, err := scanIdentity(tx.QueryRowContext(ctx, `SELECT `+identityColumns+` FROM identities WHERE id = $1`, m.Into.ID))
		if err != nil {
			return s.wrap(err, "merge identities")
		}
		for _, f := range m.From {
			if _, err := tx.ExecContext(ctx,
				`UPDATE identity_logins SET identity_id = $1 WHERE identity_id = $2`, m.Into.ID, f.ID); err != nil {
				return s.wrap(err, "merge identities")
			}
		}
		if err := insertLogins(ctx, tx, into.PoolID, into.ID, normLogins(m.Add), now); err != nil {
			return s.wrap(err, "merge identities")
		}
		if err := s.withLogins(ctx, tx, into); err != nil {
			return err
		}
		out = into
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteIdentity removes the identity; its logins cascade.
func (s *Store) DeleteIdentity(ctx context.Context, id string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM identities WHERE id = $1`, id)
	if err != nil {
		return s.wrap(err, "delete identity")
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.wrap(err, "delete identity")
	} else if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// The ListIdentities pages: a range of identities_pool or
// identities_pool_enabled, never a scan of other pools.
const (
	listIdentitiesSQL        = `SELECT ` + identityColumns + ` FROM identities WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`
	listEnabledIdentitiesSQL = `SELECT ` + identityColumns + ` FROM identities WHERE pool_id = $1 AND disabled = 0 AND id > $2 ORDER BY id LIMIT $3`
	findIdentityByLoginSQL   = `SELECT i.id, i.pool_id, i.disabled, i.created_at, i.updated_at, i.version
		 FROM identity_logins l JOIN identities i ON i.id = l.identity_id
		 WHERE l.pool_id = $1 AND l.provider = $2 AND l.subject = $3`
)

// ListIdentities pages through the pool's identities by id (a range of the
// identities_pool or identities_pool_enabled index).
func (s *Store) ListIdentities(ctx context.Context, poolID string, hideDisabled bool, page storage.Page) ([]*storage.Identity, string, error) {
	limit := pageLimit(page)
	after := ""
	if page.Token != "" {
		var err error
		if after, err = decodeToken(page.Token); err != nil {
			return nil, "", err
		}
	}
	q := listIdentitiesSQL
	if hideDisabled {
		q = listEnabledIdentitiesSQL
	}
	rows, err := s.readRows(ctx, q, poolID, after, limit+1)
	if err != nil {
		return nil, "", s.wrap(err, "list identities")
	}
	out := []*storage.Identity{}
	for rows.Next() {
		i, err := scanIdentity(rows)
		if err != nil {
			rows.Close()
			return nil, "", s.wrap(err, "list identities")
		}
		out = append(out, i)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, "", s.wrap(err, "list identities")
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = encodeToken(out[limit-1].ID)
	}
	ids := make([]string, len(out))
	for n, i := range out {
		ids[n] = i.ID
	}
	logins, err := s.loginsOf(ctx, s.r, ids)
	if err != nil {
		return nil, "", err
	}
	for _, i := range out {
		i.Logins = logins[i.ID]
	}
	return out, next, nil
}

const identityCredentialColumns = `access_key_id, pool_id, identity_id, role_arn, secret, document, created_at, expires_at`

// PutIdentityCredentials records minted credentials.
func (s *Store) PutIdentityCredentials(ctx context.Context, c *storage.IdentityCredentials) error {
	c.CreatedAt = normTime(c.CreatedAt)
	c.ExpiresAt = normTime(c.ExpiresAt)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO identity_credentials (`+identityCredentialColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		c.AccessKeyID, c.PoolID, c.IdentityID, c.RoleARN, blob(c.SecretKey), blob(c.Document),
		toMillis(c.CreatedAt), toMillis(c.ExpiresAt))
	if err != nil {
		return s.wrap(err, "put identity credentials")
	}
	return nil
}

// GetIdentityCredentials returns the record of an access key id, or
// storage.ErrNotFound.
func (s *Store) GetIdentityCredentials(ctx context.Context, accessKeyID string) (*storage.IdentityCredentials, error) {
	var (
		c                storage.IdentityCredentials
		created, expires int64
	)
	err := s.readRow(ctx, `SELECT `+identityCredentialColumns+` FROM identity_credentials WHERE access_key_id = $1`, accessKeyID).
		Scan(&c.AccessKeyID, &c.PoolID, &c.IdentityID, &c.RoleARN, &c.SecretKey, &c.Document, &created, &expires)
	if err != nil {
		return nil, s.wrap(err, "get identity credentials")
	}
	c.SecretKey, c.Document = unblob(c.SecretKey), unblob(c.Document)
	c.CreatedAt, c.ExpiresAt = fromMillis(created), fromMillis(expires)
	return &c, nil
}

// DeleteExpiredIdentityCredentials removes records that expired before now.
func (s *Store) DeleteExpiredIdentityCredentials(ctx context.Context, now time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM identity_credentials WHERE expires_at < $1`, expiredBefore(now))
	if err != nil {
		return 0, s.wrap(err, "delete expired identity credentials")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.wrap(err, "delete expired identity credentials")
	}
	return int(n), nil
}
