package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Identity look-ups read indexes only: ListIdentities a range of one pool
// (with or without disabled identities), a login its primary key, an
// identity's logins their index. Never a scan, whatever the data.
func TestIdentityQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for p := range 3 {
		poolID := fmt.Sprintf("us-east-1:%08d-0000-0000-0000-000000000000", p)
		if err := s.CreateIdentityPool(ctx, &storage.IdentityPool{ID: poolID, Name: "p", CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		for n := range 200 {
			i := &storage.Identity{PoolID: poolID, ID: fmt.Sprintf("us-east-1:%08d-%04d-0000-0000-000000000000", p, n),
				Disabled: n%5 == 0, CreatedAt: now, UpdatedAt: now,
				Logins: []storage.IdentityLogin{{Provider: "dev", Subject: fmt.Sprintf("u%d", n)}}}
			if err := s.CreateIdentity(ctx, i); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	pool := "us-east-1:00000001-0000-0000-0000-000000000000"
	for _, c := range []struct {
		name, q string
		args    []any
		want    string
	}{
		{"list", listIdentitiesSQL, []any{pool, "", 60}, "SEARCH identities USING INDEX identities_pool (pool_id=? AND id>?)"},
		{"list enabled", listEnabledIdentitiesSQL, []any{pool, "", 60}, "USING INDEX identities_pool_enabled (pool_id=? AND disabled=? AND id>?)"},
		{"find by login", findIdentityByLoginSQL, []any{pool, "dev", "u1"}, "SEARCH l USING INDEX sqlite_autoindex_identity_logins_1 (pool_id=? AND provider=? AND subject=?)"},
		{"logins of", `SELECT identity_id, provider, subject FROM identity_logins WHERE identity_id IN ($1, $2) ORDER BY identity_id, provider, subject`,
			[]any{"a", "b"}, "USING COVERING INDEX identity_logins_identity (identity_id=?)"},
	} {
		rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+c.q, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, c.want) {
			t.Errorf("%s: the plan does not use %q:\n%s", c.name, c.want, text)
		}
		for _, l := range plan {
			if strings.HasPrefix(l, "SCAN ") || strings.Contains(l, "TEMP B-TREE") {
				t.Errorf("%s scans or sorts: %s\n%s", c.name, l, text)
			}
		}
	}
}
