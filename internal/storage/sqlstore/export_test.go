package sqlstore

import (
	"context"
	"database/sql"

	"github.com/cogito-dev/cogito/internal/storage"
)

// DBsForTest exposes the write and read pools to the package's tests.
func DBsForTest(s *Store) (w, r *sql.DB) { return s.w, s.r }

// MigrationCount is the number of embedded migrations of a dialect.
func MigrationCount(dialect string) int {
	ms, err := loadMigrations(dialect)
	if err != nil {
		panic(err)
	}
	return len(ms)
}

// ListUsersQueryForTest returns the SQL and arguments of a ListUsers page
// (empty SQL when nothing can match).
func ListUsersQueryForTest(s *Store, poolID string, f storage.UserFilter, page storage.Page) (string, []any, error) {
	q, err := s.listUsersQuery(poolID, f, page)
	if err != nil || q == nil {
		return "", nil, err
	}
	return q.sql, q.args, nil
}

// CreateUsersForTest inserts users as CreateUser does, batch users per transaction.
func CreateUsersForTest(ctx context.Context, s *Store, users []*storage.User, batch int) error {
	return s.createUsers(ctx, users, batch)
}
