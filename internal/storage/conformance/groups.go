package conformance

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

func ptr[T any](v T) *T { return &v }

func newGroup(poolID, name string) *storage.Group {
	return &storage.Group{PoolID: poolID, Name: name, CreatedAt: at(4), UpdatedAt: at(5)}
}

func storedGroup(g *storage.Group) *storage.Group {
	n := *g
	n.CreatedAt, n.UpdatedAt = ms(g.CreatedAt), ms(g.UpdatedAt)
	return &n
}

func mustCreateGroup(t *testing.T, s storage.Store, g *storage.Group) *storage.Group {
	t.Helper()
	if err := s.CreateGroup(t.Context(), g); err != nil {
		t.Fatalf("CreateGroup(%s, %s): %v", g.PoolID, g.Name, err)
	}
	return g
}

func mustGetGroup(t *testing.T, s storage.Store, poolID, name string) *storage.Group {
	t.Helper()
	g, err := s.GetGroup(t.Context(), poolID, name)
	if err != nil {
		t.Fatalf("GetGroup(%s, %s): %v", poolID, name, err)
	}
	return g
}

// pageAll pages through a listing and returns the names it yields.
func pageAll(t *testing.T, what string, limit int, list func(storage.Page) ([]string, string, error)) []string {
	t.Helper()
	out := []string{}
	token := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("%s: paging does not end", what)
		}
		names, next, err := list(storage.Page{Token: token, Limit: limit})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if len(names) > limit {
			t.Fatalf("%s: page of %d, limit %d", what, len(names), limit)
		}
		out = append(out, names...)
		if next == "" {
			return out
		}
		if len(names) == 0 {
			t.Fatalf("%s: empty page with a next token", what)
		}
		token = next
	}
}

func groupNames(gs []*storage.Group, next string, err error) ([]string, string, error) {
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names, next, err
}

func userKeys(us []*storage.User, next string, err error) ([]string, string, error) {
	var keys []string
	for _, u := range us {
		keys = append(keys, u.Key)
	}
	return keys, next, err
}

func listGroups(t *testing.T, s storage.Store, poolID string, limit int) []string {
	t.Helper()
	return pageAll(t, "ListGroups", limit, func(p storage.Page) ([]string, string, error) {
		return groupNames(s.ListGroups(t.Context(), poolID, p))
	})
}

func groupsForUser(t *testing.T, s storage.Store, poolID, key string, limit int) []string {
	t.Helper()
	return pageAll(t, "ListGroupsForUser", limit, func(p storage.Page) ([]string, string, error) {
		return groupNames(s.ListGroupsForUser(t.Context(), poolID, key, p))
	})
}

func usersInGroup(t *testing.T, s storage.Store, poolID, group string, limit int) []string {
	t.Helper()
	return pageAll(t, "ListUsersInGroup", limit, func(p storage.Page) ([]string, string, error) {
		return userKeys(s.ListUsersInGroup(t.Context(), poolID, group, p))
	})
}

func testGroupCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_groups")
	bare := newGroup(p.ID, "bare")
	if err := s.CreateGroup(ctx, bare); err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	if bare.Version == 0 {
		t.Error("CreateGroup left Version 0; the store sets it")
	}
	diff(t, "group without optional fields", storedGroup(bare), mustGetGroup(t, s, p.ID, "bare"))
	full := newGroup(p.ID, "Admins")
	full.Description, full.RoleARN, full.Precedence = ptr("the admins"), ptr("arn:aws:iam::123456789012:role/a"), ptr(int32(0))
	mustCreateGroup(t, s, full)
	diff(t, "group with every field", storedGroup(full), mustGetGroup(t, s, p.ID, "Admins"))
	empty := newGroup(p.ID, "empty")
	empty.Description, empty.RoleARN, empty.Precedence = ptr(""), ptr(""), ptr(int32(-1))
	mustCreateGroup(t, s, empty)
	diff(t, "group with empty values (not nil)", storedGroup(empty), mustGetGroup(t, s, p.ID, "empty"))

	// Names are case-sensitive.
	mustCreateGroup(t, s, newGroup(p.ID, "admins"))
	wantErr(t, "CreateGroup duplicate", s.CreateGroup(ctx, newGroup(p.ID, "Admins")), storage.ErrAlreadyExists)
	diff(t, "group after duplicate create", storedGroup(full), mustGetGroup(t, s, p.ID, "Admins"))
	wantErr(t, "CreateGroup in a missing pool", s.CreateGroup(ctx, newGroup("us-east-1_none", "g")), storage.ErrNotFound)

	_, err := s.GetGroup(ctx, p.ID, "missing")
	wantErr(t, "GetGroup missing", err, storage.ErrNotFound)
	_, err = s.GetGroup(ctx, p.ID, "ADMINS")
	wantErr(t, "GetGroup in another case", err, storage.ErrNotFound)
	_, err = s.UpdateGroup(ctx, p.ID, "missing", func(*storage.Group) error { return nil })
	wantErr(t, "UpdateGroup missing", err, storage.ErrNotFound)
	wantErr(t, "DeleteGroup missing", s.DeleteGroup(ctx, p.ID, "missing"), storage.ErrNotFound)

	if err := s.DeleteGroup(ctx, p.ID, "Admins"); err != nil {
		t.Fatalf("DeleteGroup: %v", err)
	}
	_, err = s.GetGroup(ctx, p.ID, "Admins")
	wantErr(t, "GetGroup after delete", err, storage.ErrNotFound)
	mustGetGroup(t, s, p.ID, "admins")
	wantErr(t, "DeleteGroup twice", s.DeleteGroup(ctx, p.ID, "Admins"), storage.ErrNotFound)
	mustCreateGroup(t, s, newGroup(p.ID, "Admins"))

	// Tenant isolation.
	q := mustCreatePool(t, s, "us-east-1_groups2")
	mustCreateGroup(t, s, newGroup(q.ID, "bare"))
	if err := s.DeleteGroup(ctx, q.ID, "bare"); err != nil {
		t.Fatal(err)
	}
	mustGetGroup(t, s, p.ID, "bare")
	_, err = s.GetGroup(ctx, q.ID, "admins")
	wantErr(t, "GetGroup of another pool's group", err, storage.ErrNotFound)
}

func testGroupUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_gupd")
	g := mustCreateGroup(t, s, newGroup(p.ID, "g"))
	got, err := s.UpdateGroup(ctx, p.ID, "g", func(n *storage.Group) error {
		n.Description, n.RoleARN, n.Precedence = ptr("d"), ptr("arn:r"), ptr(int32(7))
		n.UpdatedAt = at(70)
		n.PoolID, n.Name, n.CreatedAt, n.Version = "us-east-1_x", "renamed", at(99), 42
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateGroup: %v", err)
	}
	want := storedGroup(g)
	want.Description, want.RoleARN, want.Precedence = ptr("d"), ptr("arn:r"), ptr(int32(7))
	want.UpdatedAt, want.Version = ms(at(70)), g.Version+1
	diff(t, "UpdateGroup result", want, got)
	diff(t, "GetGroup after update", want, mustGetGroup(t, s, p.ID, "g"))
	_, err = s.GetGroup(ctx, p.ID, "renamed")
	wantErr(t, "group under the name fn tried", err, storage.ErrNotFound)

	// Back to nil.
	got, err = s.UpdateGroup(ctx, p.ID, "g", func(n *storage.Group) error {
		n.Description, n.RoleARN, n.Precedence = nil, nil, nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want.Description, want.RoleARN, want.Precedence, want.Version = nil, nil, nil, want.Version+1
	diff(t, "UpdateGroup clearing result", want, got)
	diff(t, "GetGroup after clearing", want, mustGetGroup(t, s, p.ID, "g"))

	boom := errors.New("boom")
	_, err = s.UpdateGroup(ctx, p.ID, "g", func(n *storage.Group) error { n.Description = ptr("x"); return boom })
	wantErr(t, "UpdateGroup fn error", err, boom)
	got, err = s.UpdateGroup(ctx, p.ID, "g", func(n *storage.Group) error { n.Description = ptr("x"); return storage.ErrSkip })
	if err != nil {
		t.Fatalf("UpdateGroup ErrSkip: %v", err)
	}
	diff(t, "UpdateGroup ErrSkip result", want, got)
	diff(t, "group after aborted updates", want, mustGetGroup(t, s, p.ID, "g"))

	// No lost updates.
	const workers, each = 8, 20
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdateGroup(ctx, p.ID, "g", func(n *storage.Group) error {
			var c int32
			if n.Precedence != nil {
				c = *n.Precedence
			}
			n.Precedence = ptr(c + 1)
			return nil
		})
		return err
	})
	if got := mustGetGroup(t, s, p.ID, "g"); got.Precedence == nil || *got.Precedence != workers*each {
		t.Errorf("precedence after %d increments = %v: updates were lost", workers*each, got.Precedence)
	}
}

func testGroupList(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_glist")
	diff(t, "groups of an empty pool", []string{}, listGroups(t, s, p.ID, 10))
	var names []string
	for i := 24; i >= 0; i-- {
		n := fmt.Sprintf("group-%02d", i)
		mustCreateGroup(t, s, newGroup(p.ID, n))
		names = append([]string{n}, names...)
	}
	mustCreateGroup(t, s, newGroup(mustCreatePool(t, s, "us-east-1_glist2").ID, "group-00x"))
	for _, limit := range []int{1, 7, 25, 60} {
		diff(t, fmt.Sprintf("groups listed with limit %d", limit), names, listGroups(t, s, p.ID, limit))
	}
	if _, _, err := s.ListGroups(t.Context(), p.ID, storage.Page{Token: "not a token!"}); err == nil {
		t.Error("ListGroups with a garbage token: no error")
	}

	q := mustCreatePool(t, s, "us-east-1_gstable")
	var initial []string
	for i := range 20 {
		n := fmt.Sprintf("p-%02d", i*10)
		mustCreateGroup(t, s, newGroup(q.ID, n))
		initial = append(initial, n)
	}
	checkStablePaging(t, initial,
		func(token string) ([]string, string, error) {
			return groupNames(s.ListGroups(t.Context(), q.ID, storage.Page{Token: token, Limit: 3}))
		},
		func(n string) { mustCreateGroup(t, s, newGroup(q.ID, n)) })
}

func testGroupMembership(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_members")
	q := mustCreatePool(t, s, "us-east-1_members2")
	var users, groups []string
	for i := 6; i >= 0; i-- {
		k, g := fmt.Sprintf("user-%d", i), fmt.Sprintf("group-%d", i)
		mustCreateUser(t, s, newUser(p.ID, k))
		mustCreateGroup(t, s, newGroup(p.ID, g))
		users, groups = append([]string{k}, users...), append([]string{g}, groups...)
	}
	mustCreateUser(t, s, newUser(q.ID, "user-0"))
	mustCreateGroup(t, s, newGroup(q.ID, "group-0"))
	if err := s.AddUserToGroup(ctx, q.ID, "group-0", "user-0"); err != nil {
		t.Fatal(err)
	}

	for _, g := range groups {
		if err := s.AddUserToGroup(ctx, p.ID, g, "user-0"); err != nil {
			t.Fatalf("AddUserToGroup: %v", err)
		}
	}
	for _, k := range users {
		if err := s.AddUserToGroup(ctx, p.ID, "group-0", k); err != nil {
			t.Fatalf("AddUserToGroup: %v", err)
		}
	}
	// Idempotent.
	if err := s.AddUserToGroup(ctx, p.ID, "group-0", "user-0"); err != nil {
		t.Fatalf("AddUserToGroup again: %v", err)
	}
	wantErr(t, "AddUserToGroup missing user", s.AddUserToGroup(ctx, p.ID, "group-0", "nobody"), storage.ErrNotFound)
	wantErr(t, "AddUserToGroup missing group", s.AddUserToGroup(ctx, p.ID, "nogroup", "user-0"), storage.ErrNotFound)
	wantErr(t, "AddUserToGroup across pools", s.AddUserToGroup(ctx, q.ID, "group-1", "user-0"), storage.ErrNotFound)

	for _, limit := range []int{1, 3, 60} {
		diff(t, fmt.Sprintf("groups of user-0, limit %d", limit), groups, groupsForUser(t, s, p.ID, "user-0", limit))
		diff(t, fmt.Sprintf("members of group-0, limit %d", limit), users, usersInGroup(t, s, p.ID, "group-0", limit))
	}
	gs, _, err := s.ListGroupsForUser(ctx, p.ID, "user-0", storage.Page{Limit: 1})
	if err != nil || len(gs) != 1 {
		t.Fatalf("ListGroupsForUser = %v, %v", gs, err)
	}
	diff(t, "listed group", mustGetGroup(t, s, p.ID, "group-0"), gs[0])
	us, _, err := s.ListUsersInGroup(ctx, p.ID, "group-0", storage.Page{Limit: 1})
	if err != nil || len(us) != 1 {
		t.Fatalf("ListUsersInGroup = %v, %v", us, err)
	}
	diff(t, "listed member", mustGetUser(t, s, p.ID, "user-0"), us[0])
	diff(t, "groups of user-1", []string{"group-0"}, groupsForUser(t, s, p.ID, "user-1", 10))
	diff(t, "members of group-1", []string{"user-0"}, usersInGroup(t, s, p.ID, "group-1", 10))
	diff(t, "other pool's members", []string{"user-0"}, usersInGroup(t, s, q.ID, "group-0", 10))
	diff(t, "groups of a missing user", []string{}, groupsForUser(t, s, p.ID, "nobody", 10))
	diff(t, "members of a missing group", []string{}, usersInGroup(t, s, p.ID, "nogroup", 10))
	if _, _, err := s.ListUsersInGroup(ctx, p.ID, "group-0", storage.Page{Token: "not a token!"}); err == nil {
		t.Error("ListUsersInGroup with a garbage token: no error")
	}
	if _, _, err := s.ListGroupsForUser(ctx, p.ID, "user-0", storage.Page{Token: "not a token!"}); err == nil {
		t.Error("ListGroupsForUser with a garbage token: no error")
	}

	// Remove is idempotent.
	for range 2 {
		if err := s.RemoveUserFromGroup(ctx, p.ID, "group-1", "user-0"); err != nil {
			t.Fatalf("RemoveUserFromGroup: %v", err)
		}
	}
	if err := s.RemoveUserFromGroup(ctx, p.ID, "nogroup", "nobody"); err != nil {
		t.Fatalf("RemoveUserFromGroup of nothing: %v", err)
	}
	diff(t, "members of group-1 after removal", []string{}, usersInGroup(t, s, p.ID, "group-1", 10))
	if got := groupsForUser(t, s, p.ID, "user-0", 10); len(got) != len(groups)-1 {
		t.Fatalf("groups of user-0 after removal: %v", got)
	}

	// Deleting a group removes its memberships, not its members.
	if err := s.DeleteGroup(ctx, p.ID, "group-0"); err != nil {
		t.Fatal(err)
	}
	for _, k := range users {
		mustGetUser(t, s, p.ID, k)
	}
	diff(t, "groups of user-1 after its group's deletion", []string{}, groupsForUser(t, s, p.ID, "user-1", 10))
	diff(t, "groups of user-0 after a group's deletion", groups[2:], groupsForUser(t, s, p.ID, "user-0", 10))
	mustCreateGroup(t, s, newGroup(p.ID, "group-0"))
	diff(t, "members of a re-created group", []string{}, usersInGroup(t, s, p.ID, "group-0", 10))
	diff(t, "other pool's members after the deletion", []string{"user-0"}, usersInGroup(t, s, q.ID, "group-0", 10))
}
