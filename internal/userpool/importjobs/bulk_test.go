package importjobs

import (
	"fmt"
	"testing"
	"time"
)

// TestImportTenThousandUsers imports a 10,000-row file end to end through
// the service, with a few bad rows, and checks the counts and the users.
func TestImportTenThousandUsers(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BatchSize = 500 })
	n := 10000
	if testing.Short() || raceEnabled {
		n = 2000
	}
	rows := make([]map[string]string, 0, n)
	for i := range n {
		r := user(fmt.Sprintf("user%05d", i), "given_name", fmt.Sprintf("Given %d", i), "address", "1 Main St, Springfield")
		switch {
		case i%1000 == 7: // no verified auto-verified attribute
			r["email_verified"] = "false"
		case i%1000 == 8: // not an email
			r["email"] = "not-an-email"
		}
		rows = append(rows, r)
	}
	body := e.csvFile(t, e.pool, rows...)
	start := time.Now()
	j := e.run(t, e.pool, body)
	took := time.Since(start)
	t.Logf("imported %d rows (%.1f MB) in %v (%.0f rows/s)", n, float64(len(body))/1e6, took, float64(n)/took.Seconds())
	got := countsOf(j)
	bad := int64(n / 1000 * 2)
	want := counts{"Failed", int64(n) - bad, 0, bad, msgTooManyFailed}
	if got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	last := fmt.Sprintf("user%05d", n-1)
	u := e.getUser(t, e.pool, last)
	if u == nil || u.Status != "RESET_REQUIRED" || u.Attributes["address"] != "1 Main St, Springfield" ||
		u.Attributes["given_name"] != fmt.Sprintf("Given %d", n-1) || len(u.Password) != 0 {
		t.Fatalf("%s = %+v", last, u)
	}
	if e.getUser(t, e.pool, "user00007") != nil || e.getUser(t, e.pool, "user00008") != nil {
		t.Fatal("bad rows were imported")
	}
	if c, _ := e.store.CountUsers(e.ctx, e.pool); int64(c) != int64(n)-bad {
		t.Fatalf("CountUsers = %d", c)
	}
}
