package groups

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestAdminAddUserToGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann := e.createUser(t, e.pool, "Ann", "email", "ann@example.com", "email_verified", "true", "preferred_username", "annie")
	e.createUser(t, e.pool, "bob", "email", "bob@example.com") // email not verified: no alias
	cat := e.createUser(t, e.emailPool, "cat@example.com")
	for _, g := range []string{"by-name", "by-case", "by-email", "by-preferred", "by-sub", "again"} {
		e.group(t, e.pool, g, -1, "")
	}
	e.group(t, e.emailPool, "by-email", -1, "")
	e.group(t, e.emailPool, "by-sub", -1, "")

	// Any name Cognito accepts for the user: username (compared as the pool
	// compares usernames), verified email alias, preferred_username, sub.
	e.add(t, e.pool, "Ann", "by-name")
	e.add(t, e.pool, "ANN", "by-case")
	e.add(t, e.pool, "ann@example.com", "by-email")
	e.add(t, e.pool, "annie", "by-preferred")
	e.add(t, e.pool, ann.Sub, "by-sub")
	e.add(t, e.emailPool, "cat@example.com", "by-email")
	e.add(t, e.emailPool, cat.Sub, "by-sub")
	want := []string{"by-case", "by-email", "by-name", "by-preferred", "by-sub"}
	if got := e.groupsOf(t, e.pool, "ann"); !slices.Equal(got, want) {
		t.Errorf("Ann's groups = %v, want %v", got, want)
	}
	if got := e.groupsOf(t, e.emailPool, cat.Username); !slices.Equal(got, []string{"by-email", "by-sub"}) {
		t.Errorf("cat's groups = %v", got)
	}

	// Adding a member again changes nothing.
	e.add(t, e.pool, "Ann", "again")
	e.add(t, e.pool, "ann@example.com", "again")
	if got := e.membersOf(t, e.pool, "again"); !slices.Equal(got, []string{"Ann"}) {
		t.Errorf("members = %v, want [Ann]", got)
	}
	// Membership does not touch the group's LastModifiedDate.
	if g := e.get(t, e.pool, "again"); !g.LastModifiedDate.Equal(t0) {
		t.Errorf("LastModifiedDate = %v", g.LastModifiedDate)
	}

	add := func(pool, user, group string) error {
		_, err := e.svc.AdminAddUserToGroup(ctx, &cognitoidp.AdminAddUserToGroupRequest{UserPoolId: api.Ptr(pool), Username: api.Ptr(user), GroupName: api.Ptr(group)})
		return err
	}
	for _, tc := range []struct{ name, pool, user, group, code, msg string }{
		{"unknown user", e.pool, "nobody", "again", "UserNotFoundException", "User does not exist."},
		{"unverified email is no alias", e.pool, "bob@example.com", "again", "UserNotFoundException", "User does not exist."},
		{"user of another pool", e.pool, "cat@example.com", "again", "UserNotFoundException", "User does not exist."},
		{"unknown group", e.pool, "bob", "nope", "ResourceNotFoundException", "Group not found."},
		{"group name is case-sensitive", e.pool, "bob", "AGAIN", "ResourceNotFoundException", "Group not found."},
		{"unknown user and group", e.pool, "nobody", "nope", "ResourceNotFoundException", "Group not found."},
		{"unknown pool", missingPool, "bob", "again", "ResourceNotFoundException", poolMissing(missingPool)},
		{"empty username", e.pool, "", "again", "InvalidParameterException", ""},
		{"empty group", e.pool, "bob", "", "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, add(tc.pool, tc.user, tc.group), tc.code, tc.msg) })
	}
	if got := e.groupsOf(t, e.pool, "bob"); len(got) != 0 {
		t.Errorf("bob joined %v through refused requests", got)
	}
}

func TestAdminAddUserToGroupUserQuota(t *testing.T) {
	e := newEnv(t)
	e.svc.maxUserGroups = 3
	e.createUser(t, e.pool, "ann")
	e.createUser(t, e.pool, "bob")
	for i := range 4 {
		e.group(t, e.pool, fmt.Sprintf("g%d", i), -1, "")
	}
	for i := range 3 {
		e.add(t, e.pool, "ann", fmt.Sprintf("g%d", i))
	}
	_, err := e.svc.AdminAddUserToGroup(context.Background(), &cognitoidp.AdminAddUserToGroupRequest{
		UserPoolId: api.Ptr(e.pool), Username: api.Ptr("ann"), GroupName: api.Ptr("g3")})
	wantErr(t, err, "LimitExceededException", "The user is already a member of the maximum of 3 groups.")
	// Re-adding an existing membership is still fine; other users are not limited by ann's groups.
	e.add(t, e.pool, "ann", "g1")
	e.add(t, e.pool, "bob", "g3")
	if got := e.groupsOf(t, e.pool, "ann"); len(got) != 3 {
		t.Errorf("ann's groups = %v", got)
	}
}

func TestAdminAddUserToGroupConcurrently(t *testing.T) {
	e := newEnv(t)
	e.group(t, e.pool, "crowd", -1, "")
	const n = 10
	for i := range n {
		e.createUser(t, e.pool, fmt.Sprintf("user%02d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range 2 * n {
		wg.Go(func() {
			_, err := e.svc.AdminAddUserToGroup(context.Background(), &cognitoidp.AdminAddUserToGroupRequest{
				UserPoolId: api.Ptr(e.pool), Username: api.Ptr(fmt.Sprintf("user%02d", i%n)), GroupName: api.Ptr("crowd")})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := e.membersOf(t, e.pool, "crowd"); len(got) != n {
		t.Errorf("%d members, want %d: %v", len(got), n, got)
	}
}
