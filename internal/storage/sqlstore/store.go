// Package sqlstore is Cogito's storage.Store on database/sql, with two small
// dialects: SQLite (modernc.org/sqlite, the embedded default) and PostgreSQL
// (pgx, for several stateless replicas sharing one database).
//
// # Behaviour
//
//   - Nothing is cached: every call reads the database, so replicas on one
//     PostgreSQL database see each other's writes at once.
//   - Updates are compare-and-swap: inside a write transaction, read the row
//     with its version, apply the caller's closure to a copy, UPDATE ... WHERE
//     version = the version read, and retry (with a short jittered back-off)
//     when another writer won, at most storage.MaxCASRetries times, then
//     *storage.ConflictError. So that hot rows (a counter many requests bump)
//     do not exhaust the retries, the read also serialises updaters of one row:
//     on SQLite the write transaction holds the single writer connection, on
//     PostgreSQL the read is SELECT ... FOR UPDATE. Hence the closure must be
//     quick and must not call the store: it may run more than once, and it
//     runs while the row (on SQLite, the writer) is held.
//   - Uniqueness rests on primary keys and unique indexes; a violation becomes
//     storage.ErrAlreadyExists. A row referring to a pool that does not exist
//     (a client or signing key of a missing pool) is refused with
//     storage.ErrNotFound.
//   - Times are stored as unix milliseconds and come back as UTC time.Time;
//     the store normalises the timestamps of the records it is given in place.
//   - Page tokens are opaque (base64url of the last key returned, or of the
//     last (value, key) for a filtered ListUsers, (created, id) for the
//     newest-first ListImportJobs and (created, insertion sequence) for the
//     newest-first ListAuthEvents); listings are ordered by key, byte-wise,
//     and a page never repeats or skips a row that existed when paging began.
//     Page.Limit <= 0 means DefaultPageLimit.
//   - Users carry derived rows written in the user's transaction: claimed
//     aliases (unique per pool and kind), a search index for ListUsers
//     filters (see users.go) and the pool's user count. A clash of key, sub
//     or alias is a *storage.UniqueError.
//   - Sign-in state (tokens.go, counters.go, events.go): a refresh token and
//     an auth event cascade from their user, a revoked family's record only
//     from its pool (it must outlive the user). A token reads as revoked when
//     its family is recorded as revoked, whatever its row says.
//     IncrementCounter is one upsert statement, atomic on both databases.
//   - Expired rows (codes, refresh tokens, revocation records, counters) are
//     left to the janitor's DeleteExpired* calls.
//
// # SQLite
//
// The database is cogito.db in the data directory, in WAL mode with
// synchronous=NORMAL, a busy timeout, foreign keys on and reads through a
// memory map (up to 1 GiB of the file). Writes go through a
// separate *sql.DB holding a single connection, with BEGIN IMMEDIATE
// transactions, so writers queue in Go instead of failing with SQLITE_BUSY;
// reads use a pool of read-only connections. The statements of the hot paths
// are prepared once (stmts.go).
//
// # Migrations
//
// Numbered SQL files under migrations/<dialect>/ (NNNN_name.sql) are embedded
// and applied in order at Open, each in its own transaction, and recorded in
// schema_migrations; on PostgreSQL the runner holds an advisory lock so
// replicas starting together do not race. A later feature adds a table by
// adding a file to both dialect directories, following the conventions at the
// top of 0001_init.sql; in particular a pool-scoped table declares
// pool_id ... REFERENCES user_pools (id) ON DELETE CASCADE (or, for rows of
// a user, (pool_id, user_key) REFERENCES users ON DELETE CASCADE, see
// 0002_users.sql), which is how DeletePool removes everything scoped to a
// pool, and Reset empties every table but schema_migrations without needing
// a list.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// DefaultPageLimit is the page size used when Page.Limit is not positive.
const DefaultPageLimit = 60

// SQLiteFileName is the database file's name inside the data directory.
const SQLiteFileName = "cogito.db"

// Config selects and configures the database.
type Config struct {
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or
	// postgresql://. Empty (or anything else) selects SQLite in DataDir.
	DatabaseURL string
	// DataDir holds the SQLite database; it is created (mode 0700) if missing.
	DataDir string
	// Logger receives migration and lifecycle messages; nil discards them.
	Logger *slog.Logger
}

// Store implements storage.Store on SQLite or PostgreSQL.
type Store struct {
	d   *dialect
	r   *sql.DB // reads
	w   *sql.DB // writes; the same pool as r on PostgreSQL
	log *slog.Logger
	// Prepared statements of the hot paths, on SQLite only (nil on PostgreSQL).
	wstmts, rstmts *stmtCache
}

var _ storage.Store = (*Store)(nil)

// IsPostgresURL reports whether u selects the PostgreSQL dialect.
func IsPostgresURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open connects to the database cfg selects and applies pending migrations.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var (
		s   *Store
		err error
	)
	if IsPostgresURL(cfg.DatabaseURL) {
		s, err = openPostgres(ctx, cfg.DatabaseURL, log)
	} else {
		if cfg.DatabaseURL != "" {
			return nil, fmt.Errorf("sqlstore: unsupported database URL scheme (want postgres:// or postgresql://, or none for SQLite)")
		}
		s, err = openSQLite(ctx, cfg.DataDir, log)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openPostgres(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: connect to postgres: %w", err)
	}
	log.Info("storage: using PostgreSQL")
	return &Store{d: postgresDialect, r: db, w: db, log: log}, nil
}

func openSQLite(ctx context.Context, dir string, log *slog.Logger) (*Store, error) {
	if dir == "" {
		return nil, errors.New("sqlstore: no data directory for SQLite")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlstore: create data directory: %w", err)
	}
	path := filepath.Join(dir, SQLiteFileName)
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlstore: data directory %q must not contain '?'", dir)
	}
	common := url.Values{}
	common.Add("_pragma", "busy_timeout(10000)")
	common.Add("_pragma", "foreign_keys(1)")
	common.Add("_pragma", "synchronous(NORMAL)")
	// Pages are read through a memory map instead of a read(2) each: a
	// large pool's indexes do not fit the page cache, and CreateUser and
	// ListUsers touch pages all over them.
	common.Add("_pragma", "mmap_size(1073741824)")

	wq := url.Values{}
	for k, v := range common {
		wq[k] = append([]string(nil), v...)
	}
	wq.Add("_pragma", "journal_mode(WAL)")
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	// The writer connects first: it creates the file and switches it to WAL
	// before any reader opens it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
	}

	rq := common
	rq.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
	}
	log.Info("storage: using SQLite", "path", path)
	return &Store{d: sqliteDialect, r: r, w: w, log: log, wstmts: newStmtCache(w, true), rstmts: newStmtCache(r, false)}, nil
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Close closes the database connections.
func (s *Store) Close() error {
	s.rstmts.close()
	s.wstmts.close()
	var errR error
	if s.r != s.w {
		errR = s.r.Close()
	}
	// The writer closes last so SQLite checkpoints the WAL on the final close.
	return errors.Join(errR, s.w.Close())
}

// Ping checks that the database answers, for reads and for writes.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	var one int
	if err := s.w.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	return nil
}

// Reset deletes every row of every table except schema_migrations.
func (s *Store) Reset(ctx context.Context) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return s.d.reset(ctx, tx)
	})
}

// write runs fn in a write transaction (BEGIN IMMEDIATE on SQLite), committing
// if fn returns nil.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.wstmts.flush(ctx)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		if e := s.d.classify(err); e != nil {
			return e
		}
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// errCASLost is returned by a compare-and-swap attempt whose UPDATE matched no
// row because another writer changed it first.
var errCASLost = errors.New("sqlstore: compare-and-swap lost")

// cas runs attempt in a write transaction until it does not return errCASLost
// (or a retryable database error, such as a PostgreSQL deadlock between two
// updates that swap aliases), at most storage.MaxCASRetries times, backing off
// between attempts.
func (s *Store) cas(ctx context.Context, entity, key string, attempt func(tx *sql.Tx) error) error {
	for i := range storage.MaxCASRetries {
		err := s.write(ctx, attempt)
		if !errors.Is(err, errCASLost) && !s.d.retryable(err) {
			return err
		}
		if err := sleepBackoff(ctx, i); err != nil {
			return err
		}
	}
	return &storage.ConflictError{Entity: entity, Key: key}
}

// sleepBackoff waits a random time up to 1ms<<attempt (capped at 64ms).
func sleepBackoff(ctx context.Context, attempt int) error {
	ceiling := time.Millisecond << min(attempt, 6)
	t := time.NewTimer(rand.N(ceiling) + 50*time.Microsecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// wrap reports an unexpected database error with context, or the storage
// sentinel it stands for.
func (s *Store) wrap(err error, op string) error {
	if err == nil {
		return nil
	}
	if e := s.d.classify(err); e != nil {
		return e
	}
	if errors.Is(err, sql.ErrNoRows) {
		return storage.ErrNotFound
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// toMillis converts t to stored form.
func toMillis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts a stored time back, in UTC.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// normTime returns t as it will come back from the database.
func normTime(t time.Time) time.Time { return fromMillis(toMillis(t)) }

// expiredBefore returns the stored time below which a row expired before now:
// stored times are whole milliseconds, so e < now iff e < now rounded up.
func expiredBefore(now time.Time) int64 {
	cutoff := toMillis(now)
	if now.After(fromMillis(cutoff)) {
		cutoff++
	}
	return cutoff
}

func nullMillis(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: toMillis(*t), Valid: true}
}

func fromNullMillis(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMillis(n.Int64)
	return &t
}

// blob returns b for storing, or nil (NULL) when empty.
func blob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// unblob returns a scanned blob as the store hands it out: nil when empty.
func unblob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

// ErrInvalidPageToken reports a page token this store did not issue.
var ErrInvalidPageToken = storage.ErrInvalidPageToken

func encodeToken(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

func decodeToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) == 0 {
		return "", ErrInvalidPageToken
	}
	return string(b), nil
}

func pageLimit(p storage.Page) int {
	if p.Limit <= 0 {
		return DefaultPageLimit
	}
	return p.Limit
}

// collectPage reads the rows of a listing asked with LIMIT limit+1: at most
// limit records, and the page token after the last one ("" on the last
// page), from each record's key.
func collectPage[T any](rows *sql.Rows, limit int, scan func(interface{ Scan(...any) error }) (T, error), key func(T) string) ([]T, string, error) {
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		return out, encodeToken(key(out[limit-1])), nil
	}
	return out, "", nil
}
