package e2e

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for creating test schemas
)

const defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

func postgresURL() string {
	if u := os.Getenv("COGITO_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return defaultPostgresURL
}

// postgresSchemaURL creates an empty schema in the test database and returns
// a URL whose connections use it through search_path; the schema is dropped
// when the test ends (after the servers using it have stopped, since their
// cleanups were registered later and run first). Without a reachable
// PostgreSQL the test is skipped, or fails when $CI is set.
func postgresSchemaURL(t *testing.T) string {
	t.Helper()
	base := postgresURL()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("COGITO_TEST_POSTGRES_URL is not a URL: %v", err)
	}
	db, err := sql.Open("pgx", base)
	if err == nil {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(c)
		cancel()
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		msg := "PostgreSQL not reachable at " + u.Redacted() + " (set COGITO_TEST_POSTGRES_URL to one): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI must run the PostgreSQL end-to-end tests")
		}
		t.Skip("skipping the PostgreSQL end-to-end tests: " + msg)
	}
	defer db.Close()

	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "cogito_e2e_" + hex.EncodeToString(b[:])
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(c, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(c, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
