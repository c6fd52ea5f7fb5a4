package groups

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestAdminListGroupsForUser(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann := e.createUser(t, e.pool, "ann", "email", "ann@example.com", "email_verified", "true")
	e.createUser(t, e.pool, "bob")
	var want []string
	for i := range 25 {
		name := fmt.Sprintf("g%02d", 24-i)
		e.group(t, e.pool, name, int32(i), roleA)
		e.add(t, e.pool, "ann", name)
		want = append(want, name)
	}
	slices.Sort(want)
	e.group(t, e.pool, "not-ann", 0, "")
	e.add(t, e.pool, "bob", "not-ann")

	// A user in no group lists none.
	e.createUser(t, e.pool, "cat")
	out, err := e.svc.AdminListGroupsForUser(ctx, &cognitoidp.AdminListGroupsForUserRequest{UserPoolId: api.Ptr(e.pool), Username: api.Ptr("cat")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Groups == nil || len(out.Groups) != 0 || out.NextToken != nil {
		t.Errorf("cat: %+v", out)
	}

	// Whole groups, by name, in pages; the token is good whatever name the
	// user is given by.
	names := []string{"ann", "ANN", "ann@example.com", ann.Sub}
	var got []string
	var tok *string
	for page := 0; ; page++ {
		out, err := e.svc.AdminListGroupsForUser(ctx, &cognitoidp.AdminListGroupsForUserRequest{
			UserPoolId: api.Ptr(e.pool), Username: api.Ptr(names[page%len(names)]), Limit: api.Ptr(int32(4)), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Groups) > 4 {
			t.Fatalf("page of %d", len(out.Groups))
		}
		for _, g := range out.Groups {
			got = append(got, *g.GroupName)
			if *g.RoleArn != roleA || g.Precedence == nil || *g.UserPoolId != e.pool || !g.CreationDate.Equal(t0) {
				t.Errorf("group %+v", g)
			}
		}
		if out.NextToken == nil {
			break
		}
		tok = out.NextToken
	}
	if !slices.Equal(got, want) {
		t.Errorf("groups = %v, want %v", got, want)
	}

	first, err := e.svc.AdminListGroupsForUser(ctx, &cognitoidp.AdminListGroupsForUserRequest{UserPoolId: api.Ptr(e.pool), Username: api.Ptr("ann"), Limit: api.Ptr(int32(1))})
	if err != nil || first.NextToken == nil {
		t.Fatalf("%v %+v", err, first)
	}
	for _, tc := range []struct {
		name, pool, user string
		limit            *int32
		tok              *string
		code, msg        string
	}{
		{"unknown user", e.pool, "nobody", nil, nil, "UserNotFoundException", "User does not exist."},
		{"unknown pool", missingPool, "ann", nil, nil, "ResourceNotFoundException", poolMissing(missingPool)},
		{"another user's token", e.pool, "bob", nil, first.NextToken, "InvalidParameterException", "Invalid NextToken."},
		{"garbage token", e.pool, "ann", nil, api.Ptr("x"), "InvalidParameterException", "Invalid NextToken."},
		{"limit over 60", e.pool, "ann", api.Ptr(int32(61)), nil, "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.AdminListGroupsForUser(ctx, &cognitoidp.AdminListGroupsForUserRequest{UserPoolId: api.Ptr(tc.pool), Username: api.Ptr(tc.user), Limit: tc.limit, NextToken: tc.tok})
			wantErr(t, err, tc.code, tc.msg)
		})
	}
}

// TestDeletedUserLeavesGroups: deleting a user (as AdminDeleteUser does,
// through the store) ends the user's memberships.
func TestDeletedUserLeavesGroups(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann := e.createUser(t, e.pool, "ann")
	e.createUser(t, e.pool, "bob")
	e.group(t, e.pool, "team", 0, roleA)
	e.add(t, e.pool, "ann", "team")
	e.add(t, e.pool, "bob", "team")
	if err := e.store.DeleteUser(ctx, e.pool, ann.Key); err != nil {
		t.Fatal(err)
	}
	if got := e.membersOf(t, e.pool, "team"); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("members = %v, want [bob]", got)
	}
	_, err := e.svc.AdminListGroupsForUser(ctx, &cognitoidp.AdminListGroupsForUserRequest{UserPoolId: api.Ptr(e.pool), Username: api.Ptr("ann")})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	groups, roles, preferred, err := e.svc.ClaimsFor(ctx, e.pool, ann.Key)
	if err != nil || groups != nil || roles != nil || preferred != "" {
		t.Errorf("claims of a deleted user: %v %v %q %v", groups, roles, preferred, err)
	}
	// A new user under the same name does not inherit the old memberships.
	e.createUser(t, e.pool, "ann")
	if got := e.groupsOf(t, e.pool, "ann"); len(got) != 0 {
		t.Errorf("new ann's groups = %v", got)
	}
}
