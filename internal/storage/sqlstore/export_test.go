package sqlstore

import "database/sql"

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
