package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/conformance"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

func TestSQLiteConformance(t *testing.T) {
	conformance.RunTests(t, func(t *testing.T) storage.Store { return sqlstoretest.NewSQLite(t) })
}

func TestPostgresConformance(t *testing.T) {
	sqlstoretest.RequirePostgres(t)
	conformance.RunTests(t, func(t *testing.T) storage.Store { return sqlstoretest.NewPostgres(t) })
}

func pool(id string) *storage.UserPool {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return &storage.UserPool{ID: id, Name: id, Settings: []byte("0"), CreatedAt: now, UpdatedAt: now}
}

// Two replicas on one PostgreSQL database see each other's writes at once,
// and compare-and-swap holds across them.
func TestPostgresTwoStoresShareState(t *testing.T) {
	ctx := t.Context()
	url := sqlstoretest.PostgresSchemaURL(t)
	a := sqlstoretest.Open(t, sqlstore.Config{DatabaseURL: url})
	b := sqlstoretest.Open(t, sqlstore.Config{DatabaseURL: url})

	if err := a.CreatePool(ctx, pool("us-east-1_shared")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetPool(ctx, "us-east-1_shared"); err != nil {
		t.Fatalf("replica b does not see a's new pool: %v", err)
	}
	if _, err := b.UpdatePool(ctx, "us-east-1_shared", func(p *storage.UserPool) error {
		p.Name = "renamed by b"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if p, err := a.GetPool(ctx, "us-east-1_shared"); err != nil || p.Name != "renamed by b" {
		t.Fatalf("replica a reads %+v, %v; want b's update", p, err)
	}
	if err := a.CreatePool(ctx, pool("us-east-1_shared")); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("duplicate across replicas: %v", err)
	}
	ka, err := a.GetOrPutMeta(ctx, "key", []byte("from a"))
	if err != nil {
		t.Fatal(err)
	}
	kb, err := b.GetOrPutMeta(ctx, "key", []byte("from b"))
	if err != nil || string(kb) != string(ka) {
		t.Fatalf("meta: a got %q, b got %q (%v)", ka, kb, err)
	}

	// Increments through both replicas at once lose nothing.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			for range 20 {
				if _, err := s.UpdatePool(ctx, "us-east-1_shared", func(p *storage.UserPool) error {
					n, _ := strconv.Atoi(string(p.Settings))
					p.Settings = []byte(strconv.Itoa(n + 1))
					return nil
				}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	p, err := b.GetPool(ctx, "us-east-1_shared")
	if err != nil || string(p.Settings) != "160" {
		t.Fatalf("counter after 160 increments over two replicas = %q, %v", p.Settings, err)
	}

	if err := b.DeletePool(ctx, "us-east-1_shared"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GetPool(ctx, "us-east-1_shared"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("replica a still sees the pool b deleted: %v", err)
	}
}

// Replicas starting together on a fresh database migrate it once.
func TestPostgresConcurrentMigrations(t *testing.T) {
	url := sqlstoretest.PostgresSchemaURL(t)
	var wg sync.WaitGroup
	stores := make([]*sqlstore.Store, 4)
	errs := make([]error, 4)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = sqlstore.Open(t.Context(), sqlstore.Config{DatabaseURL: url}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	checkMigrations(t, url, "")
	for _, s := range stores {
		if err := s.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
}

// checkMigrations verifies schema_migrations holds each embedded migration once.
func checkMigrations(t *testing.T, dsn, dir string) {
	t.Helper()
	driver := "pgx"
	if dir != "" {
		driver, dsn = "sqlite", filepath.Join(dir, sqlstore.SQLiteFileName)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, distinct int
	if err := db.QueryRowContext(t.Context(),
		`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	want := sqlstore.MigrationCount(driverDialect(driver))
	if rows != want || distinct != want {
		t.Fatalf("schema_migrations has %d rows (%d versions); want %d", rows, distinct, want)
	}
}

func driverDialect(driver string) string {
	if driver == "pgx" {
		return "postgres"
	}
	return "sqlite"
}

func TestPostgresMigrationsIdempotent(t *testing.T) {
	url := sqlstoretest.PostgresSchemaURL(t)
	s := sqlstoretest.Open(t, sqlstore.Config{DatabaseURL: url})
	if err := s.CreatePool(t.Context(), pool("us-east-1_keep")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = sqlstoretest.Open(t, sqlstore.Config{DatabaseURL: url})
	if _, err := s.GetPool(t.Context(), "us-east-1_keep"); err != nil {
		t.Fatalf("data lost on reopen: %v", err)
	}
	checkMigrations(t, url, "")
	if s.Dialect() != "postgres" {
		t.Errorf("Dialect = %q", s.Dialect())
	}
	// The tests really run in their own schema.
	w, _ := sqlstore.DBsForTest(s)
	var schema string
	if err := w.QueryRowContext(t.Context(), `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(schema, "cogito_test_") {
		t.Errorf("store runs in schema %q, not a per-test one", schema)
	}
}

// Reopening a SQLite data directory keeps the data and applies nothing twice.
func TestSQLiteReopenKeepsData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	ctx := t.Context()
	s, err := sqlstore.Open(ctx, sqlstore.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	if err := s.CreatePool(ctx, pool("us-east-1_kept")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetOrPutMeta(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for range 2 {
		s, err = sqlstore.Open(ctx, sqlstore.Config{DataDir: dir})
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if p, err := s.GetPool(ctx, "us-east-1_kept"); err != nil || p.Name != "us-east-1_kept" {
			t.Fatalf("pool after reopen = %+v, %v", p, err)
		}
		if v, err := s.GetOrPutMeta(ctx, "k", []byte("other")); err != nil || string(v) != "v" {
			t.Fatalf("meta after reopen = %q, %v", v, err)
		}
		if s.Dialect() != "sqlite" {
			t.Errorf("Dialect = %q", s.Dialect())
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	checkMigrations(t, "", dir)
}

// The SQLite connections run with the pragmas the design asks for.
func TestSQLitePragmas(t *testing.T) {
	s := sqlstoretest.NewSQLite(t)
	w, r := sqlstore.DBsForTest(s)
	for _, c := range []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{w, "journal_mode", "wal"},
		{w, "foreign_keys", "1"},
		{w, "synchronous", "1"}, // NORMAL
		{w, "busy_timeout", "10000"},
		{w, "mmap_size", "1073741824"},
		{r, "mmap_size", "1073741824"},
		{r, "foreign_keys", "1"},
		{r, "query_only", "1"},
		{r, "journal_mode", "wal"},
	} {
		var got string
		if err := c.db.QueryRowContext(t.Context(), "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
	if w.Stats().MaxOpenConnections != 1 {
		t.Errorf("writer allows %d connections, want 1", w.Stats().MaxOpenConnections)
	}
}

// Many concurrent writers on SQLite queue on the one writer connection
// instead of failing with SQLITE_BUSY.
func TestSQLiteConcurrentWritersNeverBusy(t *testing.T) {
	s := sqlstoretest.NewSQLite(t)
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			for j := range 20 {
				id := "us-east-1_w" + strconv.Itoa(i) + "_" + strconv.Itoa(j)
				if err := s.CreatePool(ctx, pool(id)); err != nil {
					errs <- err
					return
				}
				if _, err := s.GetPool(ctx, id); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	pools, _, err := s.ListPools(ctx, storage.Page{Limit: 1000})
	if err != nil || len(pools) != 320 {
		t.Fatalf("ListPools = %d, %v; want 320", len(pools), err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := sqlstore.Open(ctx, sqlstore.Config{}); err == nil {
		t.Error("Open with neither URL nor data dir succeeded")
	}
	if _, err := sqlstore.Open(ctx, sqlstore.Config{DatabaseURL: "mysql://x"}); err == nil {
		t.Error("Open with an unknown URL scheme succeeded")
	}
	for _, u := range []string{"postgres://h/db", "postgresql://h/db", "POSTGRES://h/db"} {
		if !sqlstore.IsPostgresURL(u) {
			t.Errorf("IsPostgresURL(%q) = false", u)
		}
	}
	if sqlstore.IsPostgresURL("/var/lib/cogito") {
		t.Error("a path selects PostgreSQL")
	}
}

func TestInvalidPageToken(t *testing.T) {
	s := sqlstoretest.NewSQLite(t)
	_, _, err := s.ListPools(t.Context(), storage.Page{Token: "%%%"})
	if !errors.Is(err, sqlstore.ErrInvalidPageToken) {
		t.Errorf("ListPools with a bad token: %v", err)
	}
	_, _, err = s.ListClients(t.Context(), "p", storage.Page{Token: "%%%"})
	if !errors.Is(err, sqlstore.ErrInvalidPageToken) {
		t.Errorf("ListClients with a bad token: %v", err)
	}
}
