package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

// benchUser is a user as AdminCreateUser would store it, with ten search
// entries and an email alias; keys, subs and emails are random so inserts
// land all over the indexes, as real ones do.
func benchUser(poolID string, rng *rand.Rand) *storage.User {
	hex := func(n int) string {
		const digits = "0123456789abcdef"
		b := make([]byte, n)
		for i := range b {
			b[i] = digits[rng.IntN(16)]
		}
		return string(b)
	}
	key := "user-" + hex(16)
	email := hex(16) + "@example.com"
	return &storage.User{
		PoolID:   poolID,
		Key:      key,
		Username: key,
		Sub:      hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12),
		Status:   "FORCE_CHANGE_PASSWORD",
		Enabled:  true,
		Attributes: map[string]string{
			"email":          email,
			"email_verified": "true",
			"given_name":     "Given" + hex(4),
			"family_name":    "Family" + hex(6),
			"name":           "Name " + hex(8),
			"phone_number":   "+1555" + hex(7),
			"custom:tenant":  "tenant-" + hex(2),
		},
		Aliases:   []storage.Alias{{Kind: "email", Value: email}},
		Password:  []byte(strings.Repeat("v", 300)),
		Settings:  []byte(`{"mfa":{"preferred":"","enabled":[]}}`),
		CreatedAt: at0,
		UpdatedAt: at0,
	}
}

var at0 = pool("x").CreatedAt

// fillPool creates n users in pool via the bulk path and returns them.
func fillPool(tb testing.TB, s *sqlstore.Store, poolID string, n int, rng *rand.Rand) []*storage.User {
	tb.Helper()
	users := make([]*storage.User, n)
	for i := range users {
		users[i] = benchUser(poolID, rng)
	}
	if err := sqlstore.CreateUsersForTest(context.Background(), s, users, 1000); err != nil {
		tb.Fatalf("bulk create: %v", err)
	}
	return users
}

// ListUsers is served by indexes: the search index's primary key for a
// filter, then users by primary key; the users' primary key without one.
// Never a scan of the pool, whatever the planner's statistics say.
func TestListUsersUsesIndexes(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { checkListUsersPlans(t, sqlstoretest.NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		sqlstoretest.RequirePostgres(t)
		checkListUsersPlans(t, sqlstoretest.NewPostgres(t))
	})
}

func checkListUsersPlans(t *testing.T, s *sqlstore.Store) {
	ctx := t.Context()
	if err := s.CreatePool(ctx, pool("us-east-1_plan")); err != nil {
		t.Fatal(err)
	}
	users := fillPool(t, s, "us-east-1_plan", 3000, rand.New(rand.NewPCG(1, 2)))
	w, _ := sqlstore.DBsForTest(s)
	pg := s.Dialect() == "postgres"
	if pg {
		if _, err := w.ExecContext(ctx, `ANALYZE`); err != nil {
			t.Fatal(err)
		}
	}
	u := users[17]
	_, token, err := s.ListUsers(ctx, "us-east-1_plan", storage.UserFilter{Field: "email", Value: "", Prefix: true}, storage.Page{Limit: 5})
	if err != nil || token == "" {
		t.Fatalf("ListUsers: %q, %v", token, err)
	}
	_, keyToken, err := s.ListUsers(ctx, "us-east-1_plan", storage.UserFilter{}, storage.Page{Limit: 5})
	if err != nil || keyToken == "" {
		t.Fatalf("ListUsers: %q, %v", keyToken, err)
	}
	// Where each listing must read: the search index, then users by
	// primary key; or one of users' own indexes.
	const (
		search = "search"
		byKey  = "key"
		bySub  = "sub"
	)
	cases := []struct {
		f     storage.UserFilter
		page  storage.Page
		index string
	}{
		{storage.UserFilter{Field: "email", Value: u.Attributes["email"][:2], Prefix: true}, storage.Page{}, search},
		{storage.UserFilter{Field: "email", Value: "", Prefix: true}, storage.Page{Token: token}, search},
		{storage.UserFilter{Field: "email", Value: strings.ToUpper(u.Attributes["email"])}, storage.Page{}, search},
		{storage.UserFilter{Field: "status", Value: "Enabled"}, storage.Page{}, search},                            // every user
		{storage.UserFilter{Field: "cognito:user_status", Value: "force_change_password"}, storage.Page{}, search}, // every user
		{storage.UserFilter{Field: "given_name", Value: "given", Prefix: true}, storage.Page{Limit: 1}, search},
		{storage.UserFilter{Field: "phone_number", Value: "+1555", Prefix: true}, storage.Page{}, search},
		{storage.UserFilter{Field: "username", Value: "user-", Prefix: true}, storage.Page{}, byKey},
		{storage.UserFilter{Field: "username", Value: u.Key}, storage.Page{}, byKey},
		{storage.UserFilter{Field: "sub", Value: u.Sub}, storage.Page{}, bySub},
		{storage.UserFilter{Field: "sub", Value: u.Sub[:1], Prefix: true}, storage.Page{}, bySub},
		{storage.UserFilter{}, storage.Page{}, byKey},
		{storage.UserFilter{}, storage.Page{Token: keyToken}, byKey},
	}
	want := map[string][]string{ // per dialect and index: fragments the plan must hold
		"sqlite/" + search: {
			"SEARCH user_search USING PRIMARY KEY (pool_id=? AND field=? AND ",
			"SEARCH u USING INDEX sqlite_autoindex_users_1 (pool_id=? AND user_key=?)",
		},
		"sqlite/" + byKey: {"SEARCH users USING INDEX sqlite_autoindex_users_1 (pool_id=? AND user_key"},
		"sqlite/" + bySub: {"SEARCH users USING INDEX users_sub (pool_id=? AND sub"},
		"postgres/" + search: {
			"Index Only Scan using user_search_pkey on user_search",
			"Index Scan using users_pkey on users u",
			"(user_key = user_search.user_key)",
		},
		"postgres/" + byKey: {"Index Scan using users_pkey on users", "(user_key "},
		"postgres/" + bySub: {"Index Scan using users_sub on users", "(sub "},
	}
	for _, c := range cases {
		q, args, err := sqlstore.ListUsersQueryForTest(s, "us-east-1_plan", c.f, c.page)
		if err != nil || q == "" {
			t.Fatalf("%+v: query %q, %v", c.f, q, err)
		}
		explain := "EXPLAIN QUERY PLAN "
		if pg {
			explain = "EXPLAIN "
		}
		plan := explainLines(t, w, explain+q, args)
		text := strings.Join(plan, "\n")
		bad := func(why string) {
			t.Helper()
			t.Errorf("ListUsers(%+v, token %v): %s; plan:\n%s", c.f, c.page.Token != "", why, text)
		}
		for _, frag := range want[s.Dialect()+"/"+c.index] {
			if !strings.Contains(text, frag) {
				bad("does not use the index it should: no " + frag)
			}
		}
		for _, l := range plan {
			if pg {
				for _, no := range []string{"Seq Scan", "Bitmap", "Hash Join", "Merge Join", "Sort"} {
					if strings.Contains(l, no) && !(no == "Sort" && c.index == search) { // search: sorts the page it cut
						bad("scans, sorts or joins more than the page: " + no)
					}
				}
				continue
			}
			if strings.HasPrefix(l, "SCAN ") && l != "SCAN x" { // x: the page cut from the index
				bad("scans a table")
			}
			if strings.Contains(l, "TEMP B-TREE") {
				bad("sorts")
			}
		}
	}
}

// explainLines runs an EXPLAIN and returns its last column, one line per row.
func explainLines(t *testing.T, db *sql.DB, q string, args []any) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals[len(vals)-1]))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
