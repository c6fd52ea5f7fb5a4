// Package sqlstoretest opens throw-away sqlstore databases for tests: SQLite
// in a temporary directory, or a fresh schema of the test PostgreSQL
// database.
//
// PostgreSQL is found at $COGITO_TEST_POSTGRES_URL, else DefaultPostgresURL.
// When it cannot be reached the test is skipped with a message saying so,
// unless $CI is set: CI must never skip the PostgreSQL half, so there it fails.
package sqlstoretest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
)

// DefaultPostgresURL is the test database on the development machines.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns the URL of the test PostgreSQL database.
func PostgresURL() string {
	if u := os.Getenv("COGITO_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// NewSQLite opens a store on SQLite in a new temporary directory; it is closed
// when the test ends.
func NewSQLite(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	return Open(tb, sqlstore.Config{DataDir: tb.TempDir()})
}

// NewPostgres opens a store on a fresh schema of the test PostgreSQL
// database; the store is closed and the schema dropped when the test ends.
func NewPostgres(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	return Open(tb, sqlstore.Config{DatabaseURL: PostgresSchemaURL(tb)})
}

// Open opens a store with cfg and closes it when the test ends.
func Open(tb testing.TB, cfg sqlstore.Config) *sqlstore.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("sqlstore.Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return s
}

// RequirePostgres skips the test (fails it under CI) unless the test
// PostgreSQL database answers; call it first to skip a whole suite at once.
func RequirePostgres(tb testing.TB) {
	tb.Helper()
	connectPostgres(tb, PostgresURL()).Close()
}

// PostgresSchemaURL creates an empty schema in the test PostgreSQL database
// and returns a database URL whose connections use it (search_path), for
// opening one or several stores on it. The schema is dropped when the test
// ends, after the stores opened later in the test are closed.
func PostgresSchemaURL(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL()
	admin := connectPostgres(tb, base)
	defer admin.Close()

	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "cogito_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse PostgreSQL URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// connectPostgres connects to the test database or skips (fails under CI).
func connectPostgres(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	unreachable := func(err error) {
		tb.Helper()
		msg := "PostgreSQL test database not reachable at " + redact(dsn) +
			" (set COGITO_TEST_POSTGRES_URL to point at one): " + err.Error()
		if os.Getenv("CI") != "" {
			tb.Fatal(msg + "; CI must run the PostgreSQL tests")
		}
		tb.Skip("skipping: " + msg)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		unreachable(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		unreachable(err)
	}
	return db
}

// redact hides a password in a database URL for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
