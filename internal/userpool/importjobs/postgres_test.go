package importjobs

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

// TestImportOnPostgres runs the main flow — upload, import with a skipped
// and a failed row, stop, list — on PostgreSQL, where several replicas
// share the store (skipped, with a message, when no PostgreSQL is reachable).
func TestImportOnPostgres(t *testing.T) {
	sqlstoretest.RequirePostgres(t)
	e := newEnv(t, func(c *Config) { c.Store = sqlstoretest.NewPostgres(t); c.BatchSize = 10 })
	e.run(t, e.pool, e.csvFile(t, e.pool, user("ann")))
	j := e.run(t, e.pool, e.csvFile(t, e.pool, append(manyUsers(25), user("ann"), user("bad", "email_verified", "false"))...))
	if got, want := countsOf(j), (counts{"Failed", 25, 1, 1, msgTooManyFailed}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	if u := e.getUser(t, e.pool, "u0024"); u == nil || u.Status != "RESET_REQUIRED" {
		t.Fatalf("u0024 = %+v", u)
	}
	out, err := e.list(e.pool, 1, "")
	if err != nil || len(out.UserImportJobs) != 1 || out.PaginationToken == nil {
		t.Fatalf("list = %+v, %v", out, err)
	}
	if out, err = e.list(e.pool, 1, *out.PaginationToken); err != nil || len(out.UserImportJobs) != 1 || out.PaginationToken != nil {
		t.Fatalf("second page = %+v, %v", out, err)
	}
}
