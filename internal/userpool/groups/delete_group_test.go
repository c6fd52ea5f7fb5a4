package groups

import (
	"context"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestDeleteGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.createUser(t, e.pool, "ann")
	e.createUser(t, e.pool, "bob")
	e.group(t, e.pool, "staff", 1, roleA)
	e.group(t, e.pool, "admins", 0, roleB)
	e.group(t, e.other, "staff", -1, "")
	e.add(t, e.pool, "ann", "staff")
	e.add(t, e.pool, "ann", "admins")
	e.add(t, e.pool, "bob", "staff")

	del := func(pool, name string) error {
		_, err := e.svc.DeleteGroup(ctx, &cognitoidp.DeleteGroupRequest{UserPoolId: api.Ptr(pool), GroupName: api.Ptr(name)})
		return err
	}
	// A group with members can be deleted; the memberships go with it.
	if err := del(e.pool, "staff"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.GetGroup(ctx, &cognitoidp.GetGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("staff")})
	wantErr(t, err, "ResourceNotFoundException", "Group not found.")
	if got := e.groupsOf(t, e.pool, "ann"); !slices.Equal(got, []string{"admins"}) {
		t.Errorf("ann's groups = %v, want [admins]", got)
	}
	if got := e.groupsOf(t, e.pool, "bob"); len(got) != 0 {
		t.Errorf("bob's groups = %v, want none", got)
	}
	// The users remain; the other pool's group of the same name too.
	e.get(t, e.other, "staff")
	if _, err := e.store.GetUser(ctx, e.pool, "bob"); err != nil {
		t.Errorf("bob: %v", err)
	}
	// A group made again under the name starts empty.
	e.group(t, e.pool, "staff", -1, "")
	if got := e.membersOf(t, e.pool, "staff"); len(got) != 0 {
		t.Errorf("recreated group has members %v", got)
	}
	// Its claims are gone from ann's tokens.
	groups, roles, preferred, err := e.svc.ClaimsFor(ctx, e.pool, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(groups, []string{"admins"}) || !slices.Equal(roles, []string{roleB}) || preferred != roleB {
		t.Errorf("claims = %v %v %q", groups, roles, preferred)
	}

	wantErr(t, del(e.pool, "staff-nope"), "ResourceNotFoundException", "Group not found.")
	wantErr(t, del(e.pool, "Admins"), "ResourceNotFoundException", "Group not found.")
	wantErr(t, del(missingPool, "admins"), "ResourceNotFoundException", poolMissing(missingPool))
	wantErr(t, del(e.pool, ""), "InvalidParameterException", "")
	// Deleting twice: the second time the group is gone.
	if err := del(e.pool, "admins"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, del(e.pool, "admins"), "ResourceNotFoundException", "Group not found.")
}
