package conformance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

func newUser(poolID, key string) *storage.User {
	return &storage.User{
		PoolID:   poolID,
		Key:      key,
		Username: strings.ToUpper(key[:1]) + key[1:],
		Sub:      "sub-" + key,
		Status:   "CONFIRMED",
		Enabled:  true,
		Attributes: map[string]string{
			"email":          key + "@example.com",
			"email_verified": "true",
			"custom:tier":    "gold",
		},
		Password:  []byte("verifier-" + key),
		Settings:  []byte(`{"user":"` + key + `"}`),
		CreatedAt: at(2),
		UpdatedAt: at(3),
	}
}

// storedUser is u as the store returns it.
func storedUser(u *storage.User) *storage.User {
	n := *u
	n.CreatedAt, n.UpdatedAt = ms(u.CreatedAt), ms(u.UpdatedAt)
	if n.Attributes == nil {
		n.Attributes = map[string]string{}
	}
	return &n
}

func mustCreateUser(t *testing.T, s storage.Store, u *storage.User) *storage.User {
	t.Helper()
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser(%s, %s): %v", u.PoolID, u.Key, err)
	}
	return u
}

func mustGetUser(t *testing.T, s storage.Store, poolID, key string) *storage.User {
	t.Helper()
	u, err := s.GetUser(t.Context(), poolID, key)
	if err != nil {
		t.Fatalf("GetUser(%s, %s): %v", poolID, key, err)
	}
	return u
}

func wantUnique(t *testing.T, what string, err error, field, value string) {
	t.Helper()
	var ue *storage.UniqueError
	if !errors.As(err, &ue) {
		t.Fatalf("%s: err = %v, want *storage.UniqueError", what, err)
	}
	if ue.Field != field || ue.Value != value {
		t.Fatalf("%s: UniqueError{%q, %q}, want {%q, %q}", what, ue.Field, ue.Value, field, value)
	}
	if !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("%s: errors.Is(%v, ErrAlreadyExists) is false", what, err)
	}
}

func wantCount(t *testing.T, s storage.Store, poolID string, want int) {
	t.Helper()
	if n, err := s.CountUsers(t.Context(), poolID); err != nil || n != want {
		t.Fatalf("CountUsers(%s) = %d, %v; want %d", poolID, n, err, want)
	}
}

// listUsers pages through a listing with the given page size and returns the
// keys in order.
func listUsers(t *testing.T, s storage.Store, poolID string, f storage.UserFilter, limit int) []string {
	t.Helper()
	keys := []string{}
	token := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("ListUsers(%+v): paging does not end", f)
		}
		users, next, err := s.ListUsers(t.Context(), poolID, f, storage.Page{Token: token, Limit: limit})
		if err != nil {
			t.Fatalf("ListUsers(%s, %+v): %v", poolID, f, err)
		}
		if len(users) > limit {
			t.Fatalf("ListUsers(%+v): page of %d, limit %d", f, len(users), limit)
		}
		for _, u := range users {
			if u.PoolID != poolID {
				t.Fatalf("ListUsers(%s) returned a user of pool %s", poolID, u.PoolID)
			}
			keys = append(keys, u.Key)
		}
		if next == "" {
			return keys
		}
		if len(users) == 0 {
			t.Fatalf("ListUsers(%+v): empty page with a next token", f)
		}
		token = next
	}
}

func testUserCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_users")
	u := newUser(p.ID, "alice")
	u.Aliases = []storage.Alias{{Kind: "email", Value: "alice@example.com"}, {Kind: "preferred_username", Value: "ali"}}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if u.Version == 0 {
		t.Errorf("CreateUser left Version 0; the store sets it")
	}
	want := storedUser(u)
	diff(t, "GetUser", want, mustGetUser(t, s, p.ID, "alice"))
	got, err := s.GetUserBySub(ctx, p.ID, u.Sub)
	if err != nil {
		t.Fatalf("GetUserBySub: %v", err)
	}
	diff(t, "GetUserBySub", want, got)
	for _, a := range u.Aliases {
		got, err := s.GetUserByAlias(ctx, p.ID, a)
		if err != nil {
			t.Fatalf("GetUserByAlias(%v): %v", a, err)
		}
		diff(t, "GetUserByAlias", want, got)
	}
	wantCount(t, s, p.ID, 1)

	// Each unique key clashes on its own and writes nothing.
	dupKey := newUser(p.ID, "alice")
	dupKey.Sub = "sub-other"
	wantUnique(t, "CreateUser same key", s.CreateUser(ctx, dupKey), "username", "alice")
	dupSub := newUser(p.ID, "bob")
	dupSub.Sub = u.Sub
	wantUnique(t, "CreateUser same sub", s.CreateUser(ctx, dupSub), "sub", u.Sub)
	dupAlias := newUser(p.ID, "bob")
	dupAlias.Aliases = []storage.Alias{{Kind: "email", Value: "bob@example.com"}, {Kind: "preferred_username", Value: "ali"}}
	wantUnique(t, "CreateUser same alias", s.CreateUser(ctx, dupAlias), "preferred_username", "ali")
	_, err = s.GetUser(ctx, p.ID, "bob")
	wantErr(t, "GetUser of a refused user", err, storage.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, p.ID, storage.Alias{Kind: "email", Value: "bob@example.com"})
	wantErr(t, "alias of a refused user", err, storage.ErrNotFound)
	if keys := listUsers(t, s, p.ID, storage.UserFilter{Field: "username", Value: "bob"}, 10); len(keys) != 0 {
		t.Errorf("a refused user is in the search index: %v", keys)
	}
	diff(t, "user after refused creates", want, mustGetUser(t, s, p.ID, "alice"))
	wantCount(t, s, p.ID, 1)
	// The same alias value of another kind is no clash.
	bob := newUser(p.ID, "bob")
	bob.Aliases = []storage.Alias{{Kind: "email", Value: "ali"}}
	mustCreateUser(t, s, bob)
	wantCount(t, s, p.ID, 2)

	// Not found.
	_, err = s.GetUser(ctx, p.ID, "missing")
	wantErr(t, "GetUser missing", err, storage.ErrNotFound)
	_, err = s.GetUser(ctx, p.ID, "ALICE")
	wantErr(t, "GetUser with another case", err, storage.ErrNotFound)
	_, err = s.GetUserBySub(ctx, p.ID, "sub-missing")
	wantErr(t, "GetUserBySub missing", err, storage.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, p.ID, storage.Alias{Kind: "phone_number", Value: "alice@example.com"})
	wantErr(t, "GetUserByAlias of another kind", err, storage.ErrNotFound)
	called := false
	_, err = s.UpdateUser(ctx, p.ID, "missing", func(*storage.User) error { called = true; return nil })
	wantErr(t, "UpdateUser missing", err, storage.ErrNotFound)
	if called {
		t.Error("UpdateUser called fn for a missing user")
	}
	wantErr(t, "DeleteUser missing", s.DeleteUser(ctx, p.ID, "missing"), storage.ErrNotFound)
	wantErr(t, "CreateUser in a missing pool", s.CreateUser(ctx, newUser("us-east-1_none", "x")), storage.ErrNotFound)
	wantCount(t, s, "us-east-1_none", 0)

	// Delete frees the key, the sub and the aliases.
	if err := s.DeleteUser(ctx, p.ID, "alice"); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err = s.GetUser(ctx, p.ID, "alice")
	wantErr(t, "GetUser after delete", err, storage.ErrNotFound)
	_, err = s.GetUserBySub(ctx, p.ID, u.Sub)
	wantErr(t, "GetUserBySub after delete", err, storage.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, p.ID, u.Aliases[0])
	wantErr(t, "GetUserByAlias after delete", err, storage.ErrNotFound)
	wantErr(t, "DeleteUser twice", s.DeleteUser(ctx, p.ID, "alice"), storage.ErrNotFound)
	wantCount(t, s, p.ID, 1)
	again := newUser(p.ID, "carol")
	again.Sub = u.Sub
	again.Aliases = u.Aliases
	mustCreateUser(t, s, again)
	alice := newUser(p.ID, "alice")
	alice.Sub = "sub-alice-2"
	mustCreateUser(t, s, alice)
	wantCount(t, s, p.ID, 3)
}

func testUserUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_uupd")
	u := newUser(p.ID, "dave")
	u.Aliases = []storage.Alias{{Kind: "email", Value: "dave@example.com"}}
	mustCreateUser(t, s, u)

	got, err := s.UpdateUser(ctx, p.ID, "dave", func(n *storage.User) error {
		n.Username = "DAVE"
		n.Status = "RESET_REQUIRED"
		n.Enabled = false
		delete(n.Attributes, "custom:tier")
		n.Attributes["name"] = "Dave Bowman"
		n.Password = []byte("new verifier")
		n.Settings = nil
		n.UpdatedAt = at(90)
		// The keys and the store's fields are not the closure's: ignored.
		n.PoolID, n.Key, n.Sub, n.CreatedAt, n.Version = "us-east-1_other", "hal", "sub-hal", at(99), 42
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	want := storedUser(u)
	want.Username, want.Status, want.Enabled = "DAVE", "RESET_REQUIRED", false
	want.Attributes = map[string]string{"email": "dave@example.com", "email_verified": "true", "name": "Dave Bowman"}
	want.Password, want.Settings, want.UpdatedAt, want.Version = []byte("new verifier"), nil, ms(at(90)), u.Version+1
	diff(t, "UpdateUser result", want, got)
	diff(t, "GetUser after update", want, mustGetUser(t, s, p.ID, "dave"))
	_, err = s.GetUser(ctx, p.ID, "hal")
	wantErr(t, "user under the key fn tried", err, storage.ErrNotFound)
	_, err = s.GetUserBySub(ctx, p.ID, "sub-hal")
	wantErr(t, "user under the sub fn tried", err, storage.ErrNotFound)
	if got, err := s.GetUserBySub(ctx, p.ID, "sub-dave"); err != nil || got.Key != "dave" {
		t.Fatalf("GetUserBySub after update = %v, %v", got, err)
	}

	// fn's error aborts with that error and writes nothing.
	boom := errors.New("boom")
	_, err = s.UpdateUser(ctx, p.ID, "dave", func(n *storage.User) error {
		n.Status = "not written"
		n.Aliases = nil
		return fmt.Errorf("wrapped: %w", boom)
	})
	wantErr(t, "UpdateUser fn error", err, boom)
	diff(t, "user after failed update", want, mustGetUser(t, s, p.ID, "dave"))

	// ErrSkip: the unchanged record, no write, no error.
	got, err = s.UpdateUser(ctx, p.ID, "dave", func(n *storage.User) error {
		n.Status = "not written either"
		return storage.ErrSkip
	})
	if err != nil {
		t.Fatalf("UpdateUser ErrSkip: %v", err)
	}
	diff(t, "UpdateUser ErrSkip result", want, got)
	diff(t, "user after skipped update", want, mustGetUser(t, s, p.ID, "dave"))

	// Clearing everything optional.
	got, err = s.UpdateUser(ctx, p.ID, "dave", func(n *storage.User) error {
		n.Attributes, n.Aliases, n.Password = nil, nil, nil
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateUser clearing: %v", err)
	}
	want.Attributes, want.Aliases, want.Password, want.Version = map[string]string{}, nil, nil, want.Version+1
	diff(t, "UpdateUser clearing result", want, got)
	read := mustGetUser(t, s, p.ID, "dave")
	diff(t, "user after clearing", want, read)
	if read.Attributes == nil {
		t.Error("a user without attributes came back with a nil map; want an empty one callers can write to")
	}
	_, err = s.GetUserByAlias(ctx, p.ID, storage.Alias{Kind: "email", Value: "dave@example.com"})
	wantErr(t, "released alias", err, storage.ErrNotFound)
}

// Concurrent creates of users claiming one alias, or one key, or one sub:
// exactly one wins, the others get the *UniqueError of that field.
func testUserConcurrentUniqueness(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_race")
	const n = 16
	race := func(what, field, value string, mk func(i int) *storage.User) {
		t.Helper()
		var (
			wg   sync.WaitGroup
			errs [n]error
		)
		start := make(chan struct{})
		for i := range n {
			u := mk(i)
			wg.Go(func() {
				<-start
				errs[i] = s.CreateUser(context.Background(), u)
			})
		}
		close(start)
		wg.Wait()
		wins := 0
		for i, err := range errs {
			if err == nil {
				wins++
				continue
			}
			wantUnique(t, fmt.Sprintf("%s, creator %d", what, i), err, field, value)
		}
		if wins != 1 {
			t.Fatalf("%s: %d of %d concurrent creates succeeded, want exactly 1", what, wins, n)
		}
	}
	race("same alias", "email", "shared@example.com", func(i int) *storage.User {
		u := newUser(p.ID, fmt.Sprintf("alias-%02d", i))
		u.Aliases = []storage.Alias{{Kind: "phone_number", Value: fmt.Sprintf("+1555%04d", i)}, {Kind: "email", Value: "shared@example.com"}}
		return u
	})
	race("same key", "username", "same", func(i int) *storage.User {
		u := newUser(p.ID, "same")
		u.Sub = fmt.Sprintf("sub-same-%02d", i)
		u.Aliases = []storage.Alias{{Kind: "email", Value: fmt.Sprintf("same-%02d@example.com", i)}}
		return u
	})
	race("same sub", "sub", "sub-shared", func(i int) *storage.User {
		u := newUser(p.ID, fmt.Sprintf("sub-%02d", i))
		u.Sub = "sub-shared"
		return u
	})
	wantCount(t, s, p.ID, 3)
	// The losers left nothing behind: every alias they tried is free.
	for i := range n {
		for _, a := range []storage.Alias{
			{Kind: "phone_number", Value: fmt.Sprintf("+1555%04d", i)},
			{Kind: "email", Value: fmt.Sprintf("same-%02d@example.com", i)},
		} {
			if u, err := s.GetUserByAlias(t.Context(), p.ID, a); err == nil {
				if got := mustGetUser(t, s, p.ID, u.Key); !containsAlias(got.Aliases, a) {
					t.Errorf("alias %v is claimed for %s, who does not hold it", a, u.Key)
				}
			}
		}
	}
	if keys := listUsers(t, s, p.ID, storage.UserFilter{}, 100); len(keys) != 3 {
		t.Errorf("users after the races: %v; want 3", keys)
	}
	if keys := listUsers(t, s, p.ID, storage.UserFilter{Field: "email", Value: "", Prefix: true}, 100); len(keys) != 3 {
		t.Errorf("search index after the races lists %v; want 3 users", keys)
	}
}

func containsAlias(as []storage.Alias, a storage.Alias) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// An update releases the aliases it drops and claims those it adds, in one
// transaction: a clash aborts it and changes nothing.
func testUserAliasMoves(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_alias")
	a := newUser(p.ID, "ann")
	a.Aliases = []storage.Alias{{Kind: "email", Value: "ann@example.com"}}
	b := newUser(p.ID, "ben")
	b.Aliases = []storage.Alias{{Kind: "email", Value: "ben@example.com"}}
	mustCreateUser(t, s, a)
	mustCreateUser(t, s, b)
	byAlias := func(kind, value string) string {
		t.Helper()
		u, err := s.GetUserByAlias(ctx, p.ID, storage.Alias{Kind: kind, Value: value})
		if errors.Is(err, storage.ErrNotFound) {
			return ""
		}
		if err != nil {
			t.Fatalf("GetUserByAlias(%s, %s): %v", kind, value, err)
		}
		return u.Key
	}

	// Move ann's email alias, and add a preferred_username.
	got, err := s.UpdateUser(ctx, p.ID, "ann", func(u *storage.User) error {
		u.Attributes["email"] = "ann2@example.com"
		u.Aliases = []storage.Alias{{Kind: "preferred_username", Value: "annie"}, {Kind: "email", Value: "ann2@example.com"}}
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateUser moving an alias: %v", err)
	}
	diff(t, "aliases after the move",
		[]storage.Alias{{Kind: "preferred_username", Value: "annie"}, {Kind: "email", Value: "ann2@example.com"}}, got.Aliases)
	if k := byAlias("email", "ann@example.com"); k != "" {
		t.Fatalf("released alias still resolves to %q", k)
	}
	if k := byAlias("email", "ann2@example.com"); k != "ann" {
		t.Fatalf("new alias resolves to %q, want ann", k)
	}
	if k := byAlias("preferred_username", "annie"); k != "ann" {
		t.Fatalf("added alias resolves to %q, want ann", k)
	}
	// The released value is free for someone else.
	c := newUser(p.ID, "cat")
	c.Aliases = []storage.Alias{{Kind: "email", Value: "ann@example.com"}}
	mustCreateUser(t, s, c)

	// A clash aborts the whole update: record, aliases and search index stay.
	before := mustGetUser(t, s, p.ID, "ann")
	_, err = s.UpdateUser(ctx, p.ID, "ann", func(u *storage.User) error {
		u.Attributes["given_name"] = "Clash"
		u.Status = "RESET_REQUIRED"
		u.Aliases = []storage.Alias{{Kind: "email", Value: "ann2@example.com"}, {Kind: "email", Value: "ben@example.com"}}
		return nil
	})
	wantUnique(t, "UpdateUser claiming a taken alias", err, "email", "ben@example.com")
	diff(t, "user after the refused update", before, mustGetUser(t, s, p.ID, "ann"))
	if k := byAlias("preferred_username", "annie"); k != "ann" {
		t.Fatalf("alias the refused update dropped resolves to %q, want ann still", k)
	}
	if k := byAlias("email", "ben@example.com"); k != "ben" {
		t.Fatalf("contested alias resolves to %q, want ben", k)
	}
	if keys := listUsers(t, s, p.ID, storage.UserFilter{Field: "given_name", Value: "clash"}, 10); len(keys) != 0 {
		t.Fatalf("the refused update reached the search index: %v", keys)
	}
	if keys := listUsers(t, s, p.ID, storage.UserFilter{Field: "cognito:user_status", Value: "reset_required"}, 10); len(keys) != 0 {
		t.Fatalf("the refused update reached the search index: %v", keys)
	}

	// Swapping two values between kinds of one user, and giving one back.
	if _, err := s.UpdateUser(ctx, p.ID, "ann", func(u *storage.User) error {
		u.Aliases = []storage.Alias{{Kind: "email", Value: "annie"}, {Kind: "preferred_username", Value: "ann2@example.com"}}
		return nil
	}); err != nil {
		t.Fatalf("UpdateUser swapping kinds: %v", err)
	}
	if k := byAlias("email", "annie"); k != "ann" {
		t.Fatalf("swapped alias resolves to %q", k)
	}
	if k := byAlias("email", "ann2@example.com"); k != "" {
		t.Fatalf("released alias resolves to %q", k)
	}
	// ben hands his alias over to ann in two updates.
	if _, err := s.UpdateUser(ctx, p.ID, "ben", func(u *storage.User) error { u.Aliases = nil; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(ctx, p.ID, "ann", func(u *storage.User) error {
		u.Aliases = append(u.Aliases, storage.Alias{Kind: "email", Value: "ben@example.com"})
		return nil
	}); err != nil {
		t.Fatalf("claiming a released alias: %v", err)
	}
	if k := byAlias("email", "ben@example.com"); k != "ann" {
		t.Fatalf("handed-over alias resolves to %q, want ann", k)
	}
	// Duplicates in Aliases are one claim.
	got, err = s.UpdateUser(ctx, p.ID, "ben", func(u *storage.User) error {
		u.Aliases = []storage.Alias{{Kind: "email", Value: "ben2@example.com"}, {Kind: "email", Value: "ben2@example.com"}}
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateUser with a repeated alias: %v", err)
	}
	diff(t, "repeated alias", []storage.Alias{{Kind: "email", Value: "ben2@example.com"}}, mustGetUser(t, s, p.ID, "ben").Aliases)
	diff(t, "repeated alias (update result)", []storage.Alias{{Kind: "email", Value: "ben2@example.com"}}, got.Aliases)
}

func testUserNoLostUpdates(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_ucount")
	u := newUser(p.ID, "counter")
	u.Settings = []byte("0")
	mustCreateUser(t, s, u)
	const workers, each = 8, 25
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdateUser(ctx, p.ID, "counter", func(n *storage.User) error {
			c := counter(t, n.Settings) + 1
			n.Settings = []byte(strconv.Itoa(c))
			n.Attributes["given_name"] = fmt.Sprintf("g%04d", c) // the search index follows each write
			return nil
		})
		return err
	})
	got := mustGetUser(t, s, p.ID, "counter")
	if n := counter(t, got.Settings); n != workers*each {
		t.Errorf("counter = %d after %d increments: updates were lost", n, workers*each)
	}
	if got.Version != u.Version+workers*each {
		t.Errorf("Version = %d, want %d", got.Version, u.Version+workers*each)
	}
	diff(t, "given_name index after contention", []string{"counter"},
		listUsers(t, s, p.ID, storage.UserFilter{Field: "given_name", Value: "g", Prefix: true}, 10))
	diff(t, "given_name index after contention", []string{"counter"},
		listUsers(t, s, p.ID, storage.UserFilter{Field: "given_name", Value: fmt.Sprintf("g%04d", workers*each)}, 10))
}

func testUserTenantIsolation(t *testing.T, s storage.Store) {
	ctx := t.Context()
	a := mustCreatePool(t, s, "us-east-1_ta")
	b := mustCreatePool(t, s, "us-east-1_tb")
	// The same key, sub and alias in two pools.
	for _, p := range []string{a.ID, b.ID} {
		u := newUser(p, "same")
		u.Attributes["given_name"] = "In " + p
		u.Aliases = []storage.Alias{{Kind: "email", Value: "same@example.com"}}
		mustCreateUser(t, s, u)
	}
	mustCreateUser(t, s, newUser(b.ID, "only-b"))
	for _, p := range []string{a.ID, b.ID} {
		if got := mustGetUser(t, s, p, "same"); got.PoolID != p || got.Attributes["given_name"] != "In "+p {
			t.Fatalf("GetUser(%s) = %+v", p, got)
		}
		if got, err := s.GetUserBySub(ctx, p, "sub-same"); err != nil || got.PoolID != p {
			t.Fatalf("GetUserBySub(%s) = %+v, %v", p, got, err)
		}
		if got, err := s.GetUserByAlias(ctx, p, storage.Alias{Kind: "email", Value: "same@example.com"}); err != nil || got.PoolID != p {
			t.Fatalf("GetUserByAlias(%s) = %+v, %v", p, got, err)
		}
	}
	_, err := s.GetUser(ctx, a.ID, "only-b")
	wantErr(t, "GetUser of another pool's user", err, storage.ErrNotFound)
	wantErr(t, "DeleteUser of another pool's user", s.DeleteUser(ctx, a.ID, "only-b"), storage.ErrNotFound)
	diff(t, "pool a's users", []string{"same"}, listUsers(t, s, a.ID, storage.UserFilter{}, 10))
	diff(t, "pool b's users", []string{"only-b", "same"}, listUsers(t, s, b.ID, storage.UserFilter{}, 10))
	diff(t, "pool a's filtered users", []string{"same"},
		listUsers(t, s, a.ID, storage.UserFilter{Field: "sub", Value: "sub-", Prefix: true}, 10))
	diff(t, "pool a by given_name of b", []string{},
		listUsers(t, s, a.ID, storage.UserFilter{Field: "given_name", Value: "in " + b.ID}, 10))
	wantCount(t, s, a.ID, 1)
	wantCount(t, s, b.ID, 2)

	if _, err := s.UpdateUser(ctx, a.ID, "same", func(u *storage.User) error {
		u.Aliases = nil
		u.Attributes["given_name"] = "changed"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetUserByAlias(ctx, b.ID, storage.Alias{Kind: "email", Value: "same@example.com"}); err != nil || got.PoolID != b.ID {
		t.Fatalf("pool b's alias after pool a released its own: %+v, %v", got, err)
	}
	if got := mustGetUser(t, s, b.ID, "same"); got.Attributes["given_name"] != "In "+b.ID {
		t.Fatalf("pool a's update reached pool b: %+v", got)
	}
	if err := s.DeleteUser(ctx, a.ID, "same"); err != nil {
		t.Fatal(err)
	}
	mustGetUser(t, s, b.ID, "same")
	wantCount(t, s, a.ID, 0)
	wantCount(t, s, b.ID, 2)
}

func testUserList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_ulist")
	users, next, err := s.ListUsers(ctx, p.ID, storage.UserFilter{}, storage.Page{Limit: 10})
	if err != nil || len(users) != 0 || next != "" || users == nil {
		t.Fatalf("ListUsers of an empty pool = %v, %q, %v; want an empty, non-nil page", users, next, err)
	}
	var keys []string
	for i := 24; i >= 0; i-- { // created out of order; listed by key
		k := fmt.Sprintf("user-%02d", i)
		mustCreateUser(t, s, newUser(p.ID, k))
		keys = append([]string{k}, keys...)
	}
	mustCreateUser(t, s, newUser(mustCreatePool(t, s, "us-east-1_ulist2").ID, "user-00x"))
	for _, limit := range []int{1, 7, 25, 60} {
		diff(t, fmt.Sprintf("keys listed with limit %d", limit), keys, listUsers(t, s, p.ID, storage.UserFilter{}, limit))
	}
	// Listed users are the stored records.
	users, _, err = s.ListUsers(ctx, p.ID, storage.UserFilter{}, storage.Page{Limit: 1})
	if err != nil || len(users) != 1 {
		t.Fatalf("ListUsers = %v, %v", users, err)
	}
	diff(t, "listed user", mustGetUser(t, s, p.ID, "user-00"), users[0])
	// The default page size applies to Limit 0.
	if users, _, err := s.ListUsers(ctx, p.ID, storage.UserFilter{}, storage.Page{}); err != nil || len(users) == 0 {
		t.Fatalf("ListUsers with Limit 0 = %d users, %v", len(users), err)
	}
	if _, _, err := s.ListUsers(ctx, p.ID, storage.UserFilter{}, storage.Page{Token: "not a token!", Limit: 5}); err == nil {
		t.Error("ListUsers with a garbage token: no error")
	}
	if _, _, err := s.ListUsers(ctx, p.ID, storage.UserFilter{Field: "email", Value: "u", Prefix: true},
		storage.Page{Token: "not a token!", Limit: 5}); err == nil {
		t.Error("filtered ListUsers with a garbage token: no error")
	}
	if _, _, err := s.ListUsers(ctx, p.ID, storage.UserFilter{Field: "custom:tier", Value: "gold"}, storage.Page{}); err == nil {
		t.Error("ListUsers on a field that is not searchable: no error")
	}
	if keys := listUsers(t, s, "us-east-1_none", storage.UserFilter{}, 10); len(keys) != 0 {
		t.Errorf("users of a missing pool: %v", keys)
	}
}

func testUserListStable(t *testing.T, s storage.Store) {
	for _, f := range []storage.UserFilter{
		{},
		{Field: "given_name", Value: "G", Prefix: true},
		{Field: "cognito:user_status", Value: "confirmed"},
	} {
		t.Run(f.Field, func(t *testing.T) {
			p := mustCreatePool(t, s, "us-east-1_stable"+strings.ReplaceAll(f.Field, ":", "_"))
			create := func(k string) {
				u := newUser(p.ID, k)
				u.Attributes["given_name"] = "G" + k
				mustCreateUser(t, s, u)
			}
			var initial []string
			for i := range 20 {
				k := fmt.Sprintf("p-%02d", i*10)
				create(k)
				initial = append(initial, k)
			}
			checkStablePaging(t, initial,
				func(token string) ([]string, string, error) {
					users, next, err := s.ListUsers(t.Context(), p.ID, f, storage.Page{Token: token, Limit: 3})
					var keys []string
					for _, u := range users {
						keys = append(keys, u.Key)
					}
					return keys, next, err
				},
				create)
		})
	}
}

// filterUsers is the population of the filter tests.
func filterUsers(poolID string) []*storage.User {
	mk := func(key, sub, status string, enabled bool, attrs map[string]string) *storage.User {
		return &storage.User{PoolID: poolID, Key: key, Username: key, Sub: sub, Status: status, Enabled: enabled,
			Attributes: attrs, CreatedAt: at(0), UpdatedAt: at(0)}
	}
	return []*storage.User{
		mk("alice", "sub-alice", "CONFIRMED", true, map[string]string{
			"email": "Alice@Example.com", "phone_number": "+15550001", "name": "Alice Liddell",
			"given_name": "Alice", "family_name": "Liddell", "preferred_username": "Ali", "custom:x": "alice",
		}),
		mk("albert", "sub-albert", "UNCONFIRMED", false, map[string]string{
			"email": "albert@example.org", "given_name": "Albert", "family_name": "LIDDELL",
		}),
		mk("bob", "sub-bob", "FORCE_CHANGE_PASSWORD", true, map[string]string{
			"email": "BOB@example.com", "phone_number": "+15550002", "given_name": "Bob",
		}),
		mk("Carol", "SUB-CAROL", "CONFIRMED", true, map[string]string{"given_name": "Amy"}),
		mk("carl", "sub-carl", "EXTERNAL_PROVIDER", true, map[string]string{"given_name": "Émile", "name": "Zoë"}),
		mk("dora", "sub-dora", "CONFIRMED", true, nil),
	}
}

// Every searchable field, by equality and prefix, lowercased unless case
// sensitive, ordered by value then key.
func testUserListFilters(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_filter")
	other := mustCreatePool(t, s, "us-east-1_filter2")
	for _, u := range filterUsers(p.ID) {
		mustCreateUser(t, s, u)
	}
	for _, u := range filterUsers(other.ID) {
		mustCreateUser(t, s, u)
	}
	type tc struct {
		field, value string
		prefix       bool
		want         []string
	}
	check := func(cases []tc) {
		t.Helper()
		for _, c := range cases {
			f := storage.UserFilter{Field: c.field, Value: c.value, Prefix: c.prefix}
			for _, limit := range []int{1, 2, 60} {
				diff(t, fmt.Sprintf("ListUsers(%s %q prefix=%v, limit %d)", c.field, c.value, c.prefix, limit),
					c.want, listUsers(t, s, p.ID, f, limit))
			}
		}
	}
	all := []string{"Carol", "albert", "alice", "bob", "carl", "dora"}
	check([]tc{
		// username is the Key, compared as given.
		{"username", "alice", false, []string{"alice"}},
		{"username", "ALICE", false, []string{}},
		{"username", "al", true, []string{"albert", "alice"}},
		{"username", "C", true, []string{"Carol"}},
		{"username", "c", true, []string{"carl"}},
		{"username", "", true, all},
		{"username", "al", false, []string{}},
		// email: lowercased on both sides; ordered by value.
		{"email", "alice@example.com", false, []string{"alice"}},
		{"email", "ALICE@EXAMPLE.COM", false, []string{"alice"}},
		{"email", "A", true, []string{"albert", "alice"}},
		{"email", "bob@", true, []string{"bob"}},
		{"email", "", true, []string{"albert", "alice", "bob"}},
		{"email", "alice@example", false, []string{}},
		{"email", "nobody", true, []string{}},
		{"phone_number", "+1555", true, []string{"alice", "bob"}},
		{"phone_number", "+15550002", false, []string{"bob"}},
		{"name", "ALICE L", true, []string{"alice"}},
		{"name", "zoë", false, []string{"carl"}},
		{"name", "ZOË", false, []string{"carl"}},
		{"given_name", "alice", false, []string{"alice"}},
		{"given_name", "AL", true, []string{"albert", "alice"}}, // not Amy: "am" is past the prefix
		{"given_name", "a", true, []string{"albert", "alice", "Carol"}},
		{"given_name", "É", true, []string{"carl"}},
		{"given_name", "é", true, []string{"carl"}},
		{"given_name", "e", true, []string{}},
		{"family_name", "liddell", false, []string{"albert", "alice"}}, // equal values: by key
		{"family_name", "Lid", true, []string{"albert", "alice"}},
		{"preferred_username", "ALI", false, []string{"alice"}},
		{"preferred_username", "", true, []string{"alice"}},
		{"cognito:user_status", "confirmed", false, []string{"Carol", "alice", "dora"}},
		{"cognito:user_status", "UNCONFIRMED", false, []string{"albert"}},
		{"cognito:user_status", "Force", true, []string{"bob"}},
		{"cognito:user_status", "", true, []string{"Carol", "alice", "dora", "carl", "bob", "albert"}},
		// status: Enabled / Disabled, compared as given.
		{"status", "Enabled", false, []string{"Carol", "alice", "bob", "carl", "dora"}},
		{"status", "Disabled", false, []string{"albert"}},
		{"status", "disabled", false, []string{}},
		{"status", "Dis", true, []string{"albert"}},
		{"sub", "sub-alice", false, []string{"alice"}},
		{"sub", "SUB-ALICE", false, []string{}},
		{"sub", "sub-al", true, []string{"albert", "alice"}},
		{"sub", "SUB-", true, []string{"Carol"}},
		// Values a database might choke on match nothing.
		{"email", "a\x00", true, []string{}},
		{"sub", "\xff", false, []string{}},
		{"sub", "sub-\xff", true, []string{}},
	})

	// The index follows updates and deletes.
	if _, err := s.UpdateUser(ctx, p.ID, "alice", func(u *storage.User) error {
		u.Attributes["email"] = "Zed@Example.com"
		delete(u.Attributes, "given_name")
		u.Enabled = false
		u.Status = "RESET_REQUIRED"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, p.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	check([]tc{
		{"email", "alice", true, []string{}},
		{"email", "zed@example.com", false, []string{"alice"}},
		{"email", "", true, []string{"albert", "alice"}},
		{"given_name", "", true, []string{"albert", "Carol", "carl"}},
		{"status", "Disabled", false, []string{"albert", "alice"}},
		{"status", "Enabled", false, []string{"Carol", "carl", "dora"}},
		{"cognito:user_status", "reset_required", false, []string{"alice"}},
		{"cognito:user_status", "confirmed", false, []string{"Carol", "dora"}},
		{"phone_number", "+1555", true, []string{"alice"}},
		{"username", "b", true, []string{}},
		{"sub", "sub-bob", false, []string{}},
	})
	// The other pool is untouched.
	diff(t, "other pool's email listing", []string{"albert", "alice", "bob"},
		listUsers(t, s, other.ID, storage.UserFilter{Field: "email", Prefix: true}, 60))
}

// DeleteUser removes what hangs off the user: aliases, memberships, codes,
// search entries.
func testUserDeleteCascades(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_ucascade")
	u := newUser(p.ID, "eve")
	u.Aliases = []storage.Alias{{Kind: "email", Value: "eve@example.com"}}
	mustCreateUser(t, s, u)
	mustCreateUser(t, s, newUser(p.ID, "frank"))
	for _, g := range []string{"admins", "staff"} {
		mustCreateGroup(t, s, newGroup(p.ID, g))
		for _, k := range []string{"eve", "frank"} {
			if err := s.AddUserToGroup(ctx, p.ID, g, k); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, purpose := range []string{"signup", "forgot"} {
		mustPutCode(t, s, newCode(p.ID, "eve", purpose))
	}
	mustPutCode(t, s, newCode(p.ID, "frank", "signup"))

	if err := s.DeleteUser(ctx, p.ID, "eve"); err != nil {
		t.Fatal(err)
	}
	_, err := s.GetUserByAlias(ctx, p.ID, u.Aliases[0])
	wantErr(t, "alias of a deleted user", err, storage.ErrNotFound)
	diff(t, "groups of a deleted user", []string{}, groupsForUser(t, s, p.ID, "eve", 10))
	diff(t, "members after a user's deletion", []string{"frank"}, usersInGroup(t, s, p.ID, "admins", 10))
	for _, purpose := range []string{"signup", "forgot"} {
		_, err := s.GetCode(ctx, p.ID, "eve", purpose)
		wantErr(t, "code of a deleted user", err, storage.ErrNotFound)
	}
	if _, err := s.GetCode(ctx, p.ID, "frank", "signup"); err != nil {
		t.Fatalf("another user's code: %v", err)
	}
	for _, f := range storage.SearchableUserFields {
		for _, k := range listUsers(t, s, p.ID, storage.UserFilter{Field: f, Prefix: true}, 60) {
			if k == "eve" {
				t.Fatalf("deleted user still listed under %s", f)
			}
		}
	}
	mustGetGroup(t, s, p.ID, "admins")
	// A new user under the key inherits nothing.
	mustCreateUser(t, s, newUser(p.ID, "eve"))
	diff(t, "groups of a re-created user", []string{}, groupsForUser(t, s, p.ID, "eve", 10))
	_, err = s.GetCode(ctx, p.ID, "eve", "signup")
	wantErr(t, "code of a re-created user", err, storage.ErrNotFound)
}

// DeletePool removes the pool's whole directory and nothing of other pools.
func testPoolDeleteCascadesDirectory(t *testing.T, s storage.Store) {
	ctx := t.Context()
	a := mustCreatePool(t, s, "us-east-1_da")
	b := mustCreatePool(t, s, "us-east-1_db")
	for _, p := range []string{a.ID, b.ID} {
		u := newUser(p, "user")
		u.Aliases = []storage.Alias{{Kind: "email", Value: "user@example.com"}}
		mustCreateUser(t, s, u)
		mustCreateGroup(t, s, newGroup(p, "group"))
		if err := s.AddUserToGroup(ctx, p, "group", "user"); err != nil {
			t.Fatal(err)
		}
		mustPutCode(t, s, newCode(p, "user", "signup"))
		mustAddMessage(t, s, newMessage(p, "m-"+p, "user", at(1)))
		mustCreateImportJob(t, s, newImportJob(p, "import-"+p, at(1)))
		if err := s.PutImportData(ctx, p, "import-"+p, []byte("csv")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeletePool(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.GetUser(ctx, a.ID, "user")
	wantErr(t, "user of a deleted pool", err, storage.ErrNotFound)
	_, err = s.GetUserByAlias(ctx, a.ID, storage.Alias{Kind: "email", Value: "user@example.com"})
	wantErr(t, "alias of a deleted pool", err, storage.ErrNotFound)
	wantCount(t, s, a.ID, 0)
	_, err = s.GetGroup(ctx, a.ID, "group")
	wantErr(t, "group of a deleted pool", err, storage.ErrNotFound)
	_, err = s.GetCode(ctx, a.ID, "user", "signup")
	wantErr(t, "code of a deleted pool", err, storage.ErrNotFound)
	if msgs, err := s.ListMessages(ctx, storage.MessageFilter{PoolID: a.ID}); err != nil || len(msgs) != 0 {
		t.Errorf("messages of a deleted pool: %d, %v", len(msgs), err)
	}
	_, err = s.GetImportJob(ctx, a.ID, "import-"+a.ID)
	wantErr(t, "import job of a deleted pool", err, storage.ErrNotFound)
	_, err = s.GetImportData(ctx, a.ID, "import-"+a.ID)
	wantErr(t, "import data of a deleted pool", err, storage.ErrNotFound)

	// Pool b is whole.
	mustGetUser(t, s, b.ID, "user")
	wantCount(t, s, b.ID, 1)
	diff(t, "pool b's memberships", []string{"user"}, usersInGroup(t, s, b.ID, "group", 10))
	if _, err := s.GetCode(ctx, b.ID, "user", "signup"); err != nil {
		t.Errorf("pool b's code: %v", err)
	}
	if msgs, err := s.ListMessages(ctx, storage.MessageFilter{PoolID: b.ID}); err != nil || len(msgs) != 1 {
		t.Errorf("pool b's messages: %d, %v", len(msgs), err)
	}
	if data, err := s.GetImportData(ctx, b.ID, "import-"+b.ID); err != nil || string(data) != "csv" {
		t.Errorf("pool b's import data: %q, %v", data, err)
	}
	diff(t, "pool b's users by email", []string{"user"},
		listUsers(t, s, b.ID, storage.UserFilter{Field: "email", Value: "user@example.com"}, 10))

	// A pool re-created under the id starts empty.
	mustCreatePool(t, s, a.ID)
	wantCount(t, s, a.ID, 0)
	diff(t, "users of a re-created pool", []string{}, listUsers(t, s, a.ID, storage.UserFilter{}, 10))
	diff(t, "search index of a re-created pool", []string{},
		listUsers(t, s, a.ID, storage.UserFilter{Field: "email", Prefix: true}, 10))
	u := newUser(a.ID, "user")
	u.Aliases = []storage.Alias{{Kind: "email", Value: "user@example.com"}}
	mustCreateUser(t, s, u)
	mustCreateGroup(t, s, newGroup(a.ID, "group"))
	wantCount(t, s, a.ID, 1)
}
