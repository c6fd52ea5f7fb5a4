package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Users
//
// A user is one row of users (attributes and aliases as JSON), plus rows the
// store derives from it in the same transaction:
//
//   - user_aliases: one row per claimed alias; its primary key (pool, kind,
//     value) is what makes an alias unique in a pool;
//   - user_search: one row per searchable field (storage.SearchableUserFields)
//     with the value normalised (lowercased unless the field is in
//     storage.CaseSensitiveUserFields); ListUsers filters are ranges of its
//     primary key (pool, field, value, user key), which is also the listing's
//     order, so a filtered page reads limit+1 index entries and as many users
//     by primary key, whatever the size of the pool. username and sub are
//     the exception: users' own unique indexes serve them the same way (see
//     userColumnFields);
//   - user_counts: the pool's user count, for CountUsers.
//
// Rows that hang off a user (aliases, search entries, memberships, codes)
// cascade from it.

const userColumns = `pool_id, user_key, username, sub, status, enabled, attributes, aliases, password, settings, created_at, updated_at, version`

const userColumnsU = `u.pool_id, u.user_key, u.username, u.sub, u.status, u.enabled, u.attributes, u.aliases, u.password, u.settings, u.created_at, u.updated_at, u.version`

// scanUser scans the userColumns, then extra.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (*storage.User, error) {
	var (
		u                storage.User
		attrs            string
		aliases          sql.NullString
		created, updated int64
	)
	dest := append([]any{&u.PoolID, &u.Key, &u.Username, &u.Sub, &u.Status, &u.Enabled, &attrs, &aliases,
		&u.Password, &u.Settings, &created, &updated, &u.Version}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.Attributes = map[string]string{}
	if err := json.Unmarshal([]byte(attrs), &u.Attributes); err != nil {
		return nil, fmt.Errorf("sqlstore: decode attributes of user %q: %w", u.Key, err)
	}
	if u.Attributes == nil { // the document was "null"
		u.Attributes = map[string]string{}
	}
	if aliases.Valid {
		var pairs [][2]string
		if err := json.Unmarshal([]byte(aliases.String), &pairs); err != nil {
			return nil, fmt.Errorf("sqlstore: decode aliases of user %q: %w", u.Key, err)
		}
		for _, p := range pairs {
			u.Aliases = append(u.Aliases, storage.Alias{Kind: p[0], Value: p[1]})
		}
	}
	u.Password = unblob(u.Password)
	u.Settings = unblob(u.Settings)
	u.CreatedAt = fromMillis(created)
	u.UpdatedAt = fromMillis(updated)
	return &u, nil
}

func cloneUser(u *storage.User) *storage.User {
	c := *u
	c.Attributes = make(map[string]string, len(u.Attributes))
	for k, v := range u.Attributes {
		c.Attributes[k] = v
	}
	c.Aliases = slices.Clone(u.Aliases)
	c.Password = cloneBytes(u.Password)
	c.Settings = cloneBytes(u.Settings)
	return &c
}

// searchEntry is one row of user_search.
type searchEntry struct{ field, value string }

// encodedUser is a user's stored form: the JSON columns and the derived rows.
type encodedUser struct {
	attributes string
	aliasJSON  sql.NullString
	ordered    []storage.Alias // the aliases without duplicates, in the caller's order
	aliases    []storage.Alias // the same, sorted (so writers lock alias rows in one order)
	search     []searchEntry
}

// prepareUser normalises u's timestamps in place and computes its stored form.
func prepareUser(u *storage.User) (*encodedUser, error) {
	u.CreatedAt = normTime(u.CreatedAt)
	u.UpdatedAt = normTime(u.UpdatedAt)
	e := &encodedUser{attributes: "{}"}
	if len(u.Attributes) > 0 {
		b, err := json.Marshal(u.Attributes)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: encode attributes: %w", err)
		}
		e.attributes = string(b)
	}
	if len(u.Aliases) > 0 {
		pairs := make([][2]string, 0, len(u.Aliases))
		for _, a := range u.Aliases {
			if slices.Contains(e.ordered, a) {
				continue
			}
			e.ordered = append(e.ordered, a)
			pairs = append(pairs, [2]string{a.Kind, a.Value})
		}
		b, err := json.Marshal(pairs)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: encode aliases: %w", err)
		}
		e.aliasJSON = sql.NullString{String: string(b), Valid: true}
		e.aliases = slices.SortedFunc(slices.Values(e.ordered), compareAliases)
	}
	e.search = searchEntries(u)
	return e, nil
}

func compareAliases(a, b storage.Alias) int {
	return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Value, b.Value))
}

// userColumnFields are the searchable fields a unique column of users
// already indexes, in the order ListUsers wants (the column is unique per
// pool, so by value is by value then key): their filters range over that
// index and user_search keeps no rows for them, which spares every user
// write two random index inserts (about a third of CreateUser's cost).
var userColumnFields = map[string]string{"username": "user_key", "sub": "sub"}

// searchEntries derives u's user_search rows.
func searchEntries(u *storage.User) []searchEntry {
	out := make([]searchEntry, 0, len(storage.SearchableUserFields))
	for _, f := range storage.SearchableUserFields {
		if userColumnFields[f] != "" {
			continue
		}
		var v string
		switch f {
		case "cognito:user_status":
			v = u.Status
		case "status":
			v = "Disabled"
			if u.Enabled {
				v = "Enabled"
			}
		default:
			var ok bool
			if v, ok = u.Attributes[f]; !ok {
				continue
			}
		}
		out = append(out, searchEntry{f, normalizeSearchValue(f, v)})
	}
	return out
}

// normalizeSearchValue is how a field's values are indexed and compared.
func normalizeSearchValue(field, v string) string {
	if storage.CaseSensitiveUserFields[field] {
		return v
	}
	return strings.ToLower(v)
}

// searchInsertSQL[n] inserts n user_search rows of one user: $1 pool, $2 key,
// then field and value pairs.
var searchInsertSQL = func() []string {
	out := make([]string, len(storage.SearchableUserFields)+1)
	for n := 1; n < len(out); n++ {
		var b strings.Builder
		b.WriteString(`INSERT INTO user_search (pool_id, user_key, field, value) VALUES `)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "($1, $2, $%d, $%d)", 3+2*i, 4+2*i)
		}
		out[n] = b.String()
	}
	return out
}()

func (s *Store) insertSearch(ctx context.Context, tx *sql.Tx, poolID, key string, entries []searchEntry) error {
	for len(entries) > 0 {
		n := min(len(entries), len(searchInsertSQL)-1)
		args := make([]any, 0, 2+2*n)
		args = append(args, poolID, key)
		for _, e := range entries[:n] {
			args = append(args, e.field, e.value)
		}
		if _, err := s.txExec(ctx, tx, searchInsertSQL[n], args...); err != nil {
			return s.wrap(err, "index user")
		}
		entries = entries[n:]
	}
	return nil
}

// claimAlias inserts an alias row; a clash is a *storage.UniqueError.
func (s *Store) claimAlias(ctx context.Context, tx *sql.Tx, poolID, key string, a storage.Alias) error {
	_, err := s.txExec(ctx, tx,
		`INSERT INTO user_aliases (pool_id, kind, value, user_key) VALUES ($1, $2, $3, $4)`,
		poolID, a.Kind, a.Value, key)
	if _, ok := s.d.uniqueIndex(err); ok {
		return &storage.UniqueError{Field: a.Kind, Value: a.Value}
	}
	return s.wrap(err, "claim alias")
}

// addUserCount adds delta to the pool's user count. Callers run it last in
// their transaction, so on PostgreSQL the counter row is locked only until
// the commit that follows.
func (s *Store) addUserCount(ctx context.Context, tx *sql.Tx, poolID string, delta int) error {
	shard := 0
	if s.d.counterShards > 1 {
		shard = rand.IntN(s.d.counterShards)
	}
	_, err := s.txExec(ctx, tx,
		`INSERT INTO user_counts (pool_id, shard, n) VALUES ($1, $2, $3)
		 ON CONFLICT (pool_id, shard) DO UPDATE SET n = user_counts.n + excluded.n`,
		poolID, shard, delta)
	return s.wrap(err, "count users")
}

// insertUser writes a new user and its derived rows inside tx.
func (s *Store) insertUser(ctx context.Context, tx *sql.Tx, u *storage.User, e *encodedUser) error {
	_, err := s.txExec(ctx, tx,
		`INSERT INTO users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)`,
		u.PoolID, u.Key, u.Username, u.Sub, u.Status, u.Enabled, e.attributes, e.aliasJSON,
		blob(u.Password), blob(u.Settings), toMillis(u.CreatedAt), toMillis(u.UpdatedAt))
	if idx, ok := s.d.uniqueIndex(err); ok {
		if strings.Contains(idx, "sub") { // users_sub, or users.pool_id, users.sub
			return &storage.UniqueError{Field: "sub", Value: u.Sub}
		}
		return &storage.UniqueError{Field: "username", Value: u.Key}
	}
	if err != nil {
		return s.wrap(err, "create user")
	}
	for _, a := range e.aliases {
		if err := s.claimAlias(ctx, tx, u.PoolID, u.Key, a); err != nil {
			return err
		}
	}
	if err := s.insertSearch(ctx, tx, u.PoolID, u.Key, e.search); err != nil {
		return err
	}
	return s.addUserCount(ctx, tx, u.PoolID, 1)
}

// CreateUser inserts u with Version 1, its aliases and search entries in one
// transaction. A clash of Key, Sub or an alias is a *storage.UniqueError and
// writes nothing; storage.ErrNotFound if the pool does not exist.
func (s *Store) CreateUser(ctx context.Context, u *storage.User) error {
	e, err := prepareUser(u)
	if err != nil {
		return err
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return s.insertUser(ctx, tx, u, e) }); err != nil {
		return err
	}
	u.Version = 1
	return nil
}

// createUsers inserts users in transactions of up to batch users each, as
// CreateUser would one by one (for bulk loads: imports, benchmarks).
func (s *Store) createUsers(ctx context.Context, users []*storage.User, batch int) error {
	for len(users) > 0 {
		n := min(len(users), max(batch, 1))
		chunk := users[:n]
		users = users[n:]
		enc := make([]*encodedUser, n)
		for i, u := range chunk {
			var err error
			if enc[i], err = prepareUser(u); err != nil {
				return err
			}
		}
		err := s.write(ctx, func(tx *sql.Tx) error {
			for i, u := range chunk {
				if err := s.insertUser(ctx, tx, u, enc[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, u := range chunk {
			u.Version = 1
		}
	}
	return nil
}

// GetUser returns the pool's user with that key, or storage.ErrNotFound.
func (s *Store) GetUser(ctx context.Context, poolID, key string) (*storage.User, error) {
	u, err := scanUser(s.readRow(ctx,
		`SELECT `+userColumns+` FROM users WHERE pool_id = $1 AND user_key = $2`, poolID, key))
	if err != nil {
		return nil, s.wrap(err, "get user")
	}
	return u, nil
}

// GetUserBySub returns the pool's user with that sub, or storage.ErrNotFound.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (*storage.User, error) {
	u, err := scanUser(s.readRow(ctx,
		`SELECT `+userColumns+` FROM users WHERE pool_id = $1 AND sub = $2`, poolID, sub))
	if err != nil {
		return nil, s.wrap(err, "get user by sub")
	}
	return u, nil
}

// GetUserByAlias returns the pool's user claiming the alias, or storage.ErrNotFound.
func (s *Store) GetUserByAlias(ctx context.Context, poolID string, alias storage.Alias) (*storage.User, error) {
	u, err := scanUser(s.readRow(ctx,
		`SELECT `+userColumnsU+` FROM user_aliases a CROSS JOIN users u
		 WHERE a.pool_id = $1 AND a.kind = $2 AND a.value = $3 AND u.pool_id = $1 AND u.user_key = a.user_key`,
		poolID, alias.Kind, alias.Value))
	if err != nil {
		return nil, s.wrap(err, "get user by alias")
	}
	return u, nil
}

// UpdateUser applies fn to the user by compare-and-swap. fn may change
// everything but PoolID, Key, Sub, CreatedAt and Version. Aliases fn drops
// are released and aliases it adds are claimed in the same transaction, as
// are the search entries; a clash is a *storage.UniqueError and nothing
// changes.
func (s *Store) UpdateUser(ctx context.Context, poolID, key string, fn func(*storage.User) error) (*storage.User, error) {
	var out *storage.User
	err := s.cas(ctx, "user", key, func(tx *sql.Tx) error {
		cur, err := scanUser(s.txQueryRow(ctx, tx,
			`SELECT `+userColumns+` FROM users WHERE pool_id = $1 AND user_key = $2`+s.d.forNoKeyUpdate, poolID, key))
		if err != nil {
			return s.wrap(err, "update user")
		}
		next := cloneUser(cur)
		if err := fn(next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.PoolID, next.Key, next.Sub, next.CreatedAt, next.Version = cur.PoolID, cur.Key, cur.Sub, cur.CreatedAt, cur.Version+1
		e, err := prepareUser(next)
		if err != nil {
			return err
		}
		res, err := s.txExec(ctx, tx,
			`UPDATE users SET username = $1, status = $2, enabled = $3, attributes = $4, aliases = $5,
			 password = $6, settings = $7, updated_at = $8, version = $9
			 WHERE pool_id = $10 AND user_key = $11 AND version = $12`,
			next.Username, next.Status, next.Enabled, e.attributes, e.aliasJSON,
			blob(next.Password), blob(next.Settings), toMillis(next.UpdatedAt), next.Version,
			poolID, key, cur.Version)
		if err != nil {
			return s.wrap(err, "update user")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update user")
		} else if n == 0 {
			return errCASLost
		}
		if err := s.moveAliases(ctx, tx, cur, e.aliases); err != nil {
			return err
		}
		if err := s.reindexUser(ctx, tx, poolID, key, e.search); err != nil {
			return err
		}
		// Hand back what a read would return.
		if next.Attributes == nil {
			next.Attributes = map[string]string{}
		}
		next.Aliases = e.ordered
		next.Password = unblob(next.Password)
		next.Settings = unblob(next.Settings)
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// moveAliases releases cur's aliases missing from want, then claims those of
// want cur did not hold.
func (s *Store) moveAliases(ctx context.Context, tx *sql.Tx, cur *storage.User, want []storage.Alias) error {
	for _, a := range cur.Aliases {
		if slices.Contains(want, a) {
			continue
		}
		if _, err := s.txExec(ctx, tx,
			`DELETE FROM user_aliases WHERE pool_id = $1 AND kind = $2 AND value = $3 AND user_key = $4`,
			cur.PoolID, a.Kind, a.Value, cur.Key); err != nil {
			return s.wrap(err, "release alias")
		}
	}
	for _, a := range want { // sorted
		if slices.Contains(cur.Aliases, a) {
			continue
		}
		if err := s.claimAlias(ctx, tx, cur.PoolID, cur.Key, a); err != nil {
			return err
		}
	}
	return nil
}

// reindexUser brings the user's search entries to want, touching only the
// entries that changed. It diffs against the stored rows, not the entries
// the old record implies, so rows written under other normalisation rules
// cannot linger.
func (s *Store) reindexUser(ctx context.Context, tx *sql.Tx, poolID, key string, want []searchEntry) error {
	rows, err := s.txQuery(ctx, tx,
		`SELECT field, value FROM user_search WHERE pool_id = $1 AND user_key = $2`, poolID, key)
	if err != nil {
		return s.wrap(err, "index user")
	}
	var have []searchEntry
	for rows.Next() {
		var e searchEntry
		if err := rows.Scan(&e.field, &e.value); err != nil {
			rows.Close()
			return s.wrap(err, "index user")
		}
		have = append(have, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.wrap(err, "index user")
	}
	for _, e := range have {
		if slices.Contains(want, e) {
			continue
		}
		if _, err := s.txExec(ctx, tx,
			`DELETE FROM user_search WHERE pool_id = $1 AND field = $2 AND value = $3 AND user_key = $4`,
			poolID, e.field, e.value, key); err != nil {
			return s.wrap(err, "index user")
		}
	}
	var add []searchEntry
	for _, e := range want {
		if !slices.Contains(have, e) {
			add = append(add, e)
		}
	}
	return s.insertSearch(ctx, tx, poolID, key, add)
}

// DeleteUser removes the user; its aliases, search entries, memberships and
// codes cascade.
func (s *Store) DeleteUser(ctx context.Context, poolID, key string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, `DELETE FROM users WHERE pool_id = $1 AND user_key = $2`, poolID, key)
		if err != nil {
			return s.wrap(err, "delete user")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "delete user")
		} else if n == 0 {
			return storage.ErrNotFound
		}
		return s.addUserCount(ctx, tx, poolID, -1)
	})
}

// CountUsers returns the pool's number of users (0 for a pool that does not exist).
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	var n int64
	if err := s.readRow(ctx,
		`SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM user_counts WHERE pool_id = $1`, poolID).Scan(&n); err != nil {
		return 0, s.wrap(err, "count users")
	}
	return int(n), nil
}

// ListUsers pages through the pool's users: by Key without a filter, else
// through the search index, by the normalised value, then Key. Filter values
// are normalised as the index is (lowercased unless the field is case
// sensitive); a value that is not valid UTF-8 or holds a NUL matches nothing.
func (s *Store) ListUsers(ctx context.Context, poolID string, filter storage.UserFilter, page storage.Page) ([]*storage.User, string, error) {
	q, err := s.listUsersQuery(poolID, filter, page)
	if err != nil {
		return nil, "", err
	}
	if q == nil {
		return []*storage.User{}, "", nil
	}
	rows, err := s.readRows(ctx, q.sql, q.args...)
	if err != nil {
		return nil, "", s.wrap(err, "list users")
	}
	defer rows.Close()
	users := []*storage.User{}
	var values []string
	for rows.Next() {
		var (
			u   *storage.User
			err error
		)
		if q.filtered {
			var v string
			u, err = scanUser(rows, &v)
			values = append(values, v)
		} else {
			u, err = scanUser(rows)
		}
		if err != nil {
			return nil, "", s.wrap(err, "list users")
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.wrap(err, "list users")
	}
	if len(users) <= q.limit {
		return users, "", nil
	}
	users = users[:q.limit]
	last := users[q.limit-1]
	if q.filtered {
		return users, encodeValueToken(values[q.limit-1], last.Key), nil
	}
	return users, encodeToken(last.Key), nil
}

// usersQuery is a ListUsers page's SQL.
type usersQuery struct {
	sql      string
	args     []any
	limit    int
	filtered bool // the last column is the search value
}

// listUsersQuery builds the SQL of a ListUsers page, or nil when nothing can match.
func (s *Store) listUsersQuery(poolID string, f storage.UserFilter, page storage.Page) (*usersQuery, error) {
	q := &usersQuery{limit: pageLimit(page)}
	if f.Field == "" {
		after := ""
		if page.Token != "" {
			var err error
			if after, err = decodeToken(page.Token); err != nil {
				return nil, err
			}
		}
		q.sql = `SELECT ` + userColumns + ` FROM users WHERE pool_id = $1 AND user_key > $2 ORDER BY user_key LIMIT $3`
		q.args = []any{poolID, after, q.limit + 1}
		return q, nil
	}
	if !slices.Contains(storage.SearchableUserFields, f.Field) {
		return nil, fmt.Errorf("sqlstore: ListUsers: field %q is not searchable", f.Field)
	}
	q.filtered = true
	v := normalizeSearchValue(f.Field, f.Value)
	var afterValue, afterKey string
	if page.Token != "" {
		var err error
		if afterValue, afterKey, err = decodeValueToken(page.Token); err != nil {
			return nil, err
		}
		// A token of this listing holds a value the filter matches.
		if (f.Prefix && !strings.HasPrefix(afterValue, v)) || (!f.Prefix && afterValue != v) {
			return nil, ErrInvalidPageToken
		}
	}
	if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
		return nil, nil
	}
	q.args = []any{poolID}
	arg := func(a any) string {
		q.args = append(q.args, a)
		return "$" + strconv.Itoa(len(q.args))
	}
	if col := userColumnFields[f.Field]; col != "" {
		// A unique column of users: its index (pool_id, col) is the range.
		var cond string
		switch {
		case !f.Prefix:
			cond = col + ` = ` + arg(v)
			if page.Token != "" {
				cond += ` AND ` + col + ` > ` + arg(afterValue)
			}
		case page.Token == "":
			cond = col + ` >= ` + arg(v)
		default:
			cond = col + ` > ` + arg(afterValue)
		}
		if end, ok := prefixEnd(v); ok && f.Prefix {
			cond += ` AND ` + col + ` < ` + arg(end)
		}
		q.sql = `SELECT ` + userColumns + `, ` + col + ` FROM users WHERE pool_id = $1 AND ` + cond +
			` ORDER BY ` + col + ` LIMIT ` + arg(q.limit+1)
		return q, nil
	}
	var cond string
	field := arg(f.Field)
	switch {
	case !f.Prefix && page.Token == "":
		cond = `value = ` + arg(v)
	case !f.Prefix:
		cond = `value = ` + arg(v) + ` AND user_key > ` + arg(afterKey)
	default:
		if page.Token == "" {
			cond = `value >= ` + arg(v)
		} else {
			cond = `(value, user_key) > (` + arg(afterValue) + `, ` + arg(afterKey) + `)`
		}
		if end, ok := prefixEnd(v); ok {
			cond += ` AND value < ` + arg(end)
		}
	}
	// The page is cut from the index first, then its users are read by
	// primary key: with at most limit+1 outer rows, no planner is tempted to
	// walk the pool's users (PostgreSQL would otherwise merge-join a common
	// value, such as status = Enabled, against the whole pool). CROSS JOIN
	// fixes SQLite's join order; PostgreSQL plans it as an inner join.
	q.sql = `SELECT ` + userColumnsU + `, x.value FROM (
			SELECT value, user_key FROM user_search
			WHERE pool_id = $1 AND field = ` + field + ` AND ` + cond + `
			ORDER BY value, user_key LIMIT ` + arg(q.limit+1) + `
		) x CROSS JOIN users u
		WHERE u.pool_id = $1 AND u.user_key = x.user_key
		ORDER BY x.value, x.user_key`
	return q, nil
}

// prefixEnd returns the least string above every string that starts with p
// (valid UTF-8): p with its last rune incremented, after dropping trailing
// U+10FFFF. ok is false when there is no such string (p empty or all
// U+10FFFF). The result is valid UTF-8, so PostgreSQL accepts it, and since
// UTF-8 orders as code points do, a byte-wise range [p, end) holds exactly
// the strings with prefix p.
func prefixEnd(p string) (end string, ok bool) {
	for p != "" {
		r, size := utf8.DecodeLastRuneInString(p)
		p = p[:len(p)-size]
		if r == utf8.MaxRune {
			continue
		}
		r++
		if r == 0xD800 { // surrogates are not valid UTF-8
			r = 0xE000
		}
		return p + string(r), true
	}
	return "", false
}

// encodeValueToken is the page token of a filtered listing: the last
// (value, key) returned.
func encodeValueToken(value, key string) string {
	b := binary.AppendUvarint(nil, uint64(len(value)))
	b = append(b, value...)
	b = append(b, key...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeValueToken(tok string) (value, key string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", "", ErrInvalidPageToken
	}
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) || uint64(len(b)-w)-n == 0 {
		return "", "", ErrInvalidPageToken
	}
	b = b[w:]
	return string(b[:n]), string(b[n:]), nil
}
