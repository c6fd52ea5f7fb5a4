package groups

import (
	"context"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestAdminRemoveUserFromGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann := e.createUser(t, e.pool, "ann", "email", "ann@example.com", "email_verified", "true")
	e.createUser(t, e.pool, "bob")
	for _, g := range []string{"a", "b", "c"} {
		e.group(t, e.pool, g, -1, "")
		e.add(t, e.pool, "ann", g)
		e.add(t, e.pool, "bob", g)
	}
	remove := func(pool, user, group string) error {
		_, err := e.svc.AdminRemoveUserFromGroup(ctx, &cognitoidp.AdminRemoveUserFromGroupRequest{UserPoolId: api.Ptr(pool), Username: api.Ptr(user), GroupName: api.Ptr(group)})
		return err
	}
	// By username, alias or sub; only that membership ends.
	for _, name := range []string{"ANN", "ann@example.com", ann.Sub} {
		if err := remove(e.pool, name, "b"); err != nil {
			t.Fatalf("remove %q: %v", name, err) // the second and third time ann is no member: no error
		}
	}
	if got := e.groupsOf(t, e.pool, "ann"); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("ann's groups = %v", got)
	}
	if got := e.membersOf(t, e.pool, "b"); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("b's members = %v", got)
	}

	for _, tc := range []struct{ name, pool, user, group, code, msg string }{
		{"unknown user", e.pool, "nobody", "a", "UserNotFoundException", "User does not exist."},
		{"unknown group", e.pool, "ann", "zzz", "ResourceNotFoundException", "Group not found."},
		{"unknown user and group", e.pool, "nobody", "zzz", "ResourceNotFoundException", "Group not found."},
		{"unknown pool", missingPool, "ann", "a", "ResourceNotFoundException", poolMissing(missingPool)},
		{"no username", e.pool, "", "a", "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, remove(tc.pool, tc.user, tc.group), tc.code, tc.msg) })
	}
	if got := e.groupsOf(t, e.pool, "ann"); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("refused requests changed ann's groups: %v", got)
	}
}
