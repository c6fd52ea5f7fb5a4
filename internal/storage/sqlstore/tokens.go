package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Refresh tokens
//
// A refresh token is one row of refresh_tokens; a revoked family is one row
// of revoked_families, which FamilyRevoked reads by primary key. A token
// reads as revoked when its own row says so or when its family is recorded
// as revoked: on PostgreSQL a token created by a rotation can commit just
// after a concurrent RevokeFamily marked the family's rows, and the family's
// record still covers it.

// familyRecordSlack is how long RevokeUserTokens keeps a family's revocation
// record after the family's last refresh token expires: the longest an ID or
// access token lives (1 day), so every token minted from the family up to
// then stays rejected. (RevokeFamily's caller chooses its own expiry.)
const familyRecordSlack = 24 * time.Hour

const tokenColumns = `id, pool_id, client_id, user_key, origin_jti, device_key, scopes, auth_time, created_at,
	expires_at, revoked_at, rotated_at, version`

// tokenSelect reads a token with its family's revocation time (NULL when the
// family is not revoked); the caller appends the WHERE clause.
const tokenSelect = `SELECT ` + tokenColumns + `,
	(SELECT f.revoked_at FROM revoked_families f WHERE f.pool_id = t.pool_id AND f.origin_jti = t.origin_jti)
	FROM refresh_tokens t `

func scanToken(row interface{ Scan(...any) error }) (*storage.RefreshToken, error) {
	var (
		t                               storage.RefreshToken
		scopes                          sql.NullString
		authTime, created, expires      int64
		revoked, rotated, familyRevoked sql.NullInt64
	)
	if err := row.Scan(&t.ID, &t.PoolID, &t.ClientID, &t.UserKey, &t.OriginJTI, &t.DeviceKey, &scopes,
		&authTime, &created, &expires, &revoked, &rotated, &t.Version, &familyRevoked); err != nil {
		return nil, err
	}
	if scopes.Valid {
		if err := json.Unmarshal([]byte(scopes.String), &t.Scopes); err != nil {
			return nil, fmt.Errorf("sqlstore: decode scopes of refresh token %q: %w", t.ID, err)
		}
	}
	t.AuthTime = fromMillis(authTime)
	t.CreatedAt = fromMillis(created)
	t.ExpiresAt = fromMillis(expires)
	if !revoked.Valid {
		revoked = familyRevoked
	}
	t.RevokedAt = fromNullMillis(revoked)
	t.RotatedAt = fromNullMillis(rotated)
	return &t, nil
}

func cloneToken(t *storage.RefreshToken) *storage.RefreshToken {
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	if t.RevokedAt != nil {
		v := *t.RevokedAt
		c.RevokedAt = &v
	}
	if t.RotatedAt != nil {
		v := *t.RotatedAt
		c.RotatedAt = &v
	}
	return &c
}

// normToken normalises t's timestamps in place and returns its scopes column.
func normToken(t *storage.RefreshToken) (sql.NullString, error) {
	t.AuthTime = normTime(t.AuthTime)
	t.CreatedAt = normTime(t.CreatedAt)
	t.ExpiresAt = normTime(t.ExpiresAt)
	if t.RevokedAt != nil {
		v := normTime(*t.RevokedAt)
		t.RevokedAt = &v
	}
	if t.RotatedAt != nil {
		v := normTime(*t.RotatedAt)
		t.RotatedAt = &v
	}
	if len(t.Scopes) == 0 {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(t.Scopes)
	if err != nil {
		return sql.NullString{}, fmt.Errorf("sqlstore: encode scopes: %w", err)
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// CreateRefreshToken inserts t with Version 1; storage.ErrAlreadyExists if
// the id is taken, storage.ErrNotFound if the user (or pool) does not exist.
func (s *Store) CreateRefreshToken(ctx context.Context, t *storage.RefreshToken) error {
	scopes, err := normToken(t)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx,
			`INSERT INTO refresh_tokens (`+tokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)`,
			t.ID, t.PoolID, t.ClientID, t.UserKey, t.OriginJTI, t.DeviceKey, scopes, toMillis(t.AuthTime),
			toMillis(t.CreatedAt), toMillis(t.ExpiresAt), nullMillis(t.RevokedAt), nullMillis(t.RotatedAt))
		return s.wrap(err, "create refresh token")
	})
	if err != nil {
		return err
	}
	t.Version = 1
	return nil
}

// GetRefreshToken returns the token, expired or not, or storage.ErrNotFound.
// RevokedAt is set when the token or its family was revoked.
func (s *Store) GetRefreshToken(ctx context.Context, id string) (*storage.RefreshToken, error) {
	t, err := scanToken(s.readRow(ctx, tokenSelect+`WHERE t.id = $1`, id))
	if err != nil {
		return nil, s.wrap(err, "get refresh token")
	}
	return t, nil
}

// UpdateRefreshToken applies fn to the token by compare-and-swap. fn may
// change everything but ID, PoolID, UserKey, OriginJTI, CreatedAt and
// Version.
func (s *Store) UpdateRefreshToken(ctx context.Context, id string, fn func(*storage.RefreshToken) error) (*storage.RefreshToken, error) {
	var out *storage.RefreshToken
	err := s.cas(ctx, "refresh token", id, func(tx *sql.Tx) error {
		cur, err := scanToken(s.txQueryRow(ctx, tx, tokenSelect+`WHERE t.id = $1`+s.d.forNoKeyUpdate, id))
		if err != nil {
			return s.wrap(err, "update refresh token")
		}
		next := cloneToken(cur)
		if err := fn(next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.ID, next.PoolID, next.UserKey, next.OriginJTI = cur.ID, cur.PoolID, cur.UserKey, cur.OriginJTI
		next.CreatedAt, next.Version = cur.CreatedAt, cur.Version+1
		scopes, err := normToken(next)
		if err != nil {
			return err
		}
		res, err := s.txExec(ctx, tx,
			`UPDATE refresh_tokens SET client_id = $1, device_key = $2, scopes = $3, auth_time = $4, expires_at = $5,
			 revoked_at = $6, rotated_at = $7, version = $8 WHERE id = $9 AND version = $10`,
			next.ClientID, next.DeviceKey, scopes, toMillis(next.AuthTime), toMillis(next.ExpiresAt),
			nullMillis(next.RevokedAt), nullMillis(next.RotatedAt), next.Version, id, cur.Version)
		if err != nil {
			return s.wrap(err, "update refresh token")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update refresh token")
		} else if n == 0 {
			return errCASLost
		}
		if len(next.Scopes) == 0 {
			next.Scopes = nil
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordRevokedSQL records a revoked family, or extends the record: the
// earliest revocation and the latest expiry win.
const recordRevokedSQL = `INSERT INTO revoked_families (pool_id, origin_jti, revoked_at, expires_at) VALUES ($1, $2, $3, $4)` +
	recordRevokedConflict

const recordRevokedConflict = ` ON CONFLICT (pool_id, origin_jti) DO UPDATE SET
	revoked_at = CASE WHEN excluded.revoked_at < revoked_families.revoked_at THEN excluded.revoked_at ELSE revoked_families.revoked_at END,
	expires_at = CASE WHEN excluded.expires_at > revoked_families.expires_at THEN excluded.expires_at ELSE revoked_families.expires_at END`

// RevokeFamily records the family as revoked until expiresAt (or later, if
// it already was) and marks its tokens not yet revoked as revoked at at, in
// one transaction; storage.ErrNotFound if the pool does not exist.
func (s *Store) RevokeFamily(ctx context.Context, poolID, originJTI string, at, expiresAt time.Time) error {
	return s.cas(ctx, "token family", originJTI, func(tx *sql.Tx) error {
		if _, err := s.txExec(ctx, tx, recordRevokedSQL, poolID, originJTI, toMillis(at), toMillis(expiresAt)); err != nil {
			return s.wrap(err, "revoke token family")
		}
		_, err := s.txExec(ctx, tx,
			`UPDATE refresh_tokens SET revoked_at = $1, version = version + 1
			 WHERE pool_id = $2 AND origin_jti = $3 AND revoked_at IS NULL`,
			toMillis(at), poolID, originJTI)
		return s.wrap(err, "revoke token family")
	})
}

// revokeBatch is how many families one statement of RevokeUserTokens records.
const revokeBatch = 64

// RevokeUserTokens revokes, in one transaction, every live family of the
// user: those with a token neither revoked nor expired at at. Their tokens
// are marked revoked at at and each family is recorded as revoked until
// familyRecordSlack after its last token expires. It returns how many
// families it revoked.
func (s *Store) RevokeUserTokens(ctx context.Context, poolID, userKey string, at time.Time) (int, error) {
	var n int
	err := s.cas(ctx, "user tokens", userKey, func(tx *sql.Tx) error {
		n = 0
		rows, err := s.txQuery(ctx, tx,
			`UPDATE refresh_tokens SET revoked_at = $1, version = version + 1
			 WHERE pool_id = $2 AND user_key = $3 AND revoked_at IS NULL AND expires_at > $4
			 RETURNING origin_jti, expires_at`,
			toMillis(at), poolID, userKey, toMillis(at))
		if err != nil {
			return s.wrap(err, "revoke user tokens")
		}
		until := map[string]int64{}
		for rows.Next() {
			var (
				jti     string
				expires int64
			)
			if err := rows.Scan(&jti, &expires); err != nil {
				rows.Close()
				return s.wrap(err, "revoke user tokens")
			}
			until[jti] = max(until[jti], expires)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.wrap(err, "revoke user tokens")
		}
		if len(until) == 0 {
			return nil
		}
		// The family's tokens that were no longer live (expired, or revoked
		// on their own) need nothing: the record covers the family.
		families := slices.Sorted(maps.Keys(until)) // one lock order for concurrent revokers
		slack := familyRecordSlack.Milliseconds()
		for len(families) > 0 {
			batch := families[:min(len(families), revokeBatch)]
			families = families[len(batch):]
			var b strings.Builder
			b.WriteString(`INSERT INTO revoked_families (pool_id, origin_jti, revoked_at, expires_at) VALUES `)
			args := []any{poolID, toMillis(at)}
			for i, f := range batch {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "($1, $%d, $2, $%d)", len(args)+1, len(args)+2)
				args = append(args, f, until[f]+slack)
			}
			b.WriteString(recordRevokedConflict)
			if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
				return s.wrap(err, "revoke user tokens")
			}
		}
		n = len(until)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// FamilyRevoked reports whether the family has a revocation record: one
// primary-key lookup (prepared on SQLite), as it runs on every
// token-authorized call.
func (s *Store) FamilyRevoked(ctx context.Context, poolID, originJTI string) (bool, error) {
	var one int
	err := s.readRow(ctx,
		`SELECT 1 FROM revoked_families WHERE pool_id = $1 AND origin_jti = $2`, poolID, originJTI).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, s.wrap(err, "check token family")
	}
	return true, nil
}

// DeleteExpiredTokens removes the refresh tokens and the revocation records
// of every pool whose ExpiresAt is before now and returns how many rows it
// removed.
func (s *Store) DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error) {
	cutoff := expiredBefore(now)
	var n int64
	err := s.cas(ctx, "expired tokens", "", func(tx *sql.Tx) error {
		n = 0
		for _, q := range []string{
			`DELETE FROM refresh_tokens WHERE expires_at < $1`,
			`DELETE FROM revoked_families WHERE expires_at < $1`,
		} {
			res, err := tx.ExecContext(ctx, q, cutoff)
			if err != nil {
				return s.wrap(err, "delete expired tokens")
			}
			m, err := res.RowsAffected()
			if err != nil {
				return s.wrap(err, "delete expired tokens")
			}
			n += m
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}
