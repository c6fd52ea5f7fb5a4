package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps statements prepared once per *sql.DB, for the hot paths on
// SQLite, where preparing (parsing and planning) a statement costs about as
// much as running a small one. database/sql prepares a cached statement again
// on each connection it meets, so one cache serves a pool of connections.
// PostgreSQL needs none: pgx caches prepared statements per connection.
type stmtCache struct {
	db *sql.DB
	// deferred: a statement not cached yet is not prepared on the spot but
	// after the transaction (flush). The SQLite writer pool has one
	// connection, which the transaction holds: preparing on the pool from
	// inside it would wait for itself.
	deferred bool
	mu       sync.Mutex
	m        map[string]*sql.Stmt
	pending  map[string]bool
}

func newStmtCache(db *sql.DB, deferred bool) *stmtCache {
	return &stmtCache{db: db, deferred: deferred, m: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// get returns query prepared, or nil (the caller runs it unprepared): when
// preparing is deferred, or when it fails (the unprepared run reports why).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if c.deferred {
		c.pending[query] = true
		return nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.m[query] = st
	return st
}

// flush prepares the statements get deferred; call it with no transaction open.
func (c *stmtCache) flush(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	var todo []string
	for q := range c.pending {
		todo = append(todo, q)
		delete(c.pending, q)
	}
	c.mu.Unlock()
	for _, q := range todo {
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok {
			st.Close()
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// txExec runs a write statement in tx, prepared when the store caches statements.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.wstmts.get(ctx, query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// txQueryRow runs a single-row query in tx, prepared when the store caches statements.
func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := s.wstmts.get(ctx, query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// txQuery runs a query in tx, prepared when the store caches statements.
func (s *Store) txQuery(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := s.wstmts.get(ctx, query); st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}

// readRow runs a single-row query on the read pool, prepared when the store caches statements.
func (s *Store) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.rstmts.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, query, args...)
}

// readRows runs a query on the read pool, prepared when the store caches statements.
func (s *Store) readRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.rstmts.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, query, args...)
}
