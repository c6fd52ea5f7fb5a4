package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/cogito-dev/cogito/internal/storage"
)

// dialect is what differs between the databases. Queries themselves are
// shared: both accept $N placeholders, ON CONFLICT and partial indexes.
type dialect struct {
	name string
	// classify maps a driver error to a storage sentinel, or nil.
	classify func(err error) error
	// reset empties every data table inside tx.
	reset func(ctx context.Context, tx *sql.Tx) error
	// forUpdate ends the SELECT of a compare-and-swap's read. On PostgreSQL it
	// locks the row, so concurrent updaters of one row queue instead of
	// retrying until they give up; SQLite needs nothing, its write transaction
	// (BEGIN IMMEDIATE) already excludes every other writer.
	forUpdate string
	// forNoKeyUpdate is forUpdate for rows whose keys the update never
	// changes: on PostgreSQL it does not block the foreign-key checks of
	// concurrent inserts of child rows (a user's codes or memberships).
	forNoKeyUpdate string
	// uniqueIndex reports whether err is a unique violation and, if so, names
	// the index that caught it: PostgreSQL's constraint name ("users_sub"),
	// SQLite's column list ("users.pool_id, users.sub").
	uniqueIndex func(err error) (string, bool)
	// retryable reports an error after which the transaction can simply be
	// run again (a PostgreSQL deadlock or serialization failure).
	retryable func(err error) bool
	// counterShards is how many rows a pool's user count is spread over, so
	// that concurrent CreateUser transactions do not all queue on one row lock.
	counterShards int
}

var sqliteDialect = &dialect{
	name: "sqlite",
	classify: func(err error) error {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return nil
		}
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return storage.ErrAlreadyExists
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return storage.ErrNotFound
		}
		return nil
	},
	uniqueIndex: func(err error) (string, bool) {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return "", false
		}
		if c := e.Code(); c != sqlite3.SQLITE_CONSTRAINT_UNIQUE && c != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
			return "", false
		}
		// "... UNIQUE constraint failed: users.pool_id, users.sub (2067)"
		msg := e.Error()
		if i := strings.LastIndex(msg, "failed: "); i >= 0 {
			msg = msg[i+len("failed: "):]
		}
		if i := strings.LastIndex(msg, " ("); i >= 0 {
			msg = msg[:i]
		}
		return msg, true
	},
	retryable:     func(error) bool { return false },
	counterShards: 1,
	reset: func(ctx context.Context, tx *sql.Tx) error {
		tables, err := queryStrings(ctx, tx,
			`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'schema_migrations' ORDER BY name`)
		if err != nil {
			return fmt.Errorf("sqlstore: reset: %w", err)
		}
		// Foreign keys are checked at commit, when every table is empty.
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return fmt.Errorf("sqlstore: reset: %w", err)
		}
		for _, t := range tables {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(t)); err != nil {
				return fmt.Errorf("sqlstore: reset %s: %w", t, err)
			}
		}
		return nil
	},
}

var postgresDialect = &dialect{
	name:           "postgres",
	forUpdate:      " FOR UPDATE",
	forNoKeyUpdate: " FOR NO KEY UPDATE",
	counterShards:  8,
	classify: func(err error) error {
		var e *pgconn.PgError
		if !errors.As(err, &e) {
			return nil
		}
		switch e.Code {
		case "23505": // unique_violation
			return storage.ErrAlreadyExists
		case "23503": // foreign_key_violation
			return storage.ErrNotFound
		}
		return nil
	},
	uniqueIndex: func(err error) (string, bool) {
		var e *pgconn.PgError
		if !errors.As(err, &e) || e.Code != "23505" {
			return "", false
		}
		return e.ConstraintName, true
	},
	retryable: func(err error) bool {
		var e *pgconn.PgError
		// deadlock_detected, serialization_failure
		return errors.As(err, &e) && (e.Code == "40P01" || e.Code == "40001")
	},
	reset: func(ctx context.Context, tx *sql.Tx) error {
		tables, err := queryStrings(ctx, tx,
			`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename`)
		if err != nil {
			return fmt.Errorf("sqlstore: reset: %w", err)
		}
		if len(tables) == 0 {
			return nil
		}
		q := make([]string, len(tables))
		for i, t := range tables {
			q[i] = quoteIdent(t)
		}
		if _, err := tx.ExecContext(ctx, `TRUNCATE TABLE `+strings.Join(q, ", ")); err != nil {
			return fmt.Errorf("sqlstore: reset: %w", err)
		}
		return nil
	},
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
