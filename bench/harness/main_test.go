package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/bench/internal/benchuser"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
)

// The shortcut must leave a pool the API serves like one filled through it: every user findable by
// username and by email alias, and the email prefix index matching ten users per prefix.
func TestPrefillThroughTheStore(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stdout := os.Stdout
	devnull, _ := os.Open(os.DevNull)
	os.Stdout = devnull
	err := prefillCmd(ctx, []string{"-data-dir", dir, "-n", "50", "-c", "3"})
	os.Stdout = stdout
	if err != nil {
		t.Fatal(err)
	}

	st, err := sqlstore.Open(ctx, sqlstore.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pools, _, err := st.ListPools(ctx, storage.Page{})
	if err != nil || len(pools) != 1 {
		t.Fatalf("pools %v, %v", pools, err)
	}
	pool := pools[0].ID
	if n, err := st.CountUsers(ctx, pool); err != nil || n != 50 {
		t.Fatalf("CountUsers = %d, %v", n, err)
	}
	subs := map[string]bool{}
	for i := uint64(0); i < 50; i++ {
		u, err := st.GetUserByAlias(ctx, pool, storage.Alias{Kind: "email", Value: benchuser.Email(i)})
		if err != nil || u.Username != benchuser.Name(i) || u.Attributes["email"] != benchuser.Email(i) ||
			u.Attributes["email_verified"] != "true" || u.Status != "FORCE_CHANGE_PASSWORD" || !u.Enabled {
			t.Fatalf("user %d by alias: %+v, %v", i, u, err)
		}
		subs[u.Sub] = true
	}
	if len(subs) != 50 {
		t.Errorf("%d distinct subs for 50 users", len(subs))
	}
	for g := uint64(0); g < 5; g++ {
		users, _, err := st.ListUsers(ctx, pool, storage.UserFilter{Field: "email", Value: benchuser.EmailPrefix(g), Prefix: true}, storage.Page{})
		if err != nil || len(users) != benchuser.PerPrefix {
			t.Fatalf("prefix %s: %d users, %v", benchuser.EmailPrefix(g), len(users), err)
		}
		for _, u := range users {
			if !strings.HasPrefix(u.Username, benchuser.EmailPrefix(g)) {
				t.Errorf("prefix %s listed %s", benchuser.EmailPrefix(g), u.Username)
			}
		}
	}
}
