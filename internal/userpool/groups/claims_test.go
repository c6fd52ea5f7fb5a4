package groups

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// g builds a stored group; prec < 0 means no precedence, role "" no role.
func g(name string, prec int32, role string) *storage.Group {
	out := &storage.Group{Name: name}
	if prec >= 0 {
		out.Precedence = api.Ptr(prec)
	}
	if role != "" {
		out.RoleARN = api.Ptr(role)
	}
	return out
}

func TestClaims(t *testing.T) {
	for _, tc := range []struct {
		name      string
		groups    []*storage.Group
		wantNames []string
		wantRoles []string
		preferred string
	}{
		{"no groups", nil, nil, nil, ""},
		{"one group without role", []*storage.Group{g("a", 1, "")}, []string{"a"}, nil, ""},
		{"one group with role", []*storage.Group{g("a", -1, roleA)}, []string{"a"}, []string{roleA}, roleA},
		{"lowest precedence first, then by name, nulls last",
			[]*storage.Group{g("zeta", -1, ""), g("beta", 5, ""), g("alpha", -1, ""), g("gamma", 0, ""), g("delta", 5, "")},
			[]string{"gamma", "beta", "delta", "alpha", "zeta"}, nil, ""},
		{"lowest precedence wins",
			[]*storage.Group{g("staff", 10, roleB), g("admins", 1, roleA)},
			[]string{"admins", "staff"}, []string{roleA, roleB}, roleA},
		{"precedence 0 is the best",
			[]*storage.Group{g("one", 1, roleB), g("zero", 0, roleA)},
			[]string{"zero", "one"}, []string{roleA, roleB}, roleA},
		{"a number beats null",
			[]*storage.Group{g("a", -1, roleA), g("b", 99, roleB)},
			[]string{"b", "a"}, []string{roleB, roleA}, roleB},
		{"tie with different roles: no preferred role",
			[]*storage.Group{g("a", 2, roleA), g("b", 2, roleB), g("c", 3, roleC)},
			[]string{"a", "b", "c"}, []string{roleA, roleB, roleC}, ""},
		{"tie with the same role: that role",
			[]*storage.Group{g("a", 2, roleA), g("b", 2, roleA), g("c", 3, roleC)},
			[]string{"a", "b", "c"}, []string{roleA, roleC}, roleA},
		{"tie at null with different roles",
			[]*storage.Group{g("a", -1, roleA), g("b", -1, roleB)},
			[]string{"a", "b"}, []string{roleA, roleB}, ""},
		{"a single distinct role is preferred whatever the precedences",
			[]*storage.Group{g("a", -1, roleA), g("b", -1, roleA), g("c", 0, "")},
			[]string{"c", "a", "b"}, []string{roleA}, roleA},
		{"groups without a role do not take part",
			[]*storage.Group{g("top", 0, ""), g("mid", 5, roleB), g("low", 9, roleC)},
			[]string{"top", "mid", "low"}, []string{roleB, roleC}, roleB},
		{"role-less group tying with the best does not block it",
			[]*storage.Group{g("x", 1, ""), g("y", 1, roleA), g("z", 2, roleB)},
			[]string{"x", "y", "z"}, []string{roleA, roleB}, roleA},
		{"roles listed once, in group order",
			[]*storage.Group{g("c", 3, roleA), g("b", 2, roleB), g("a", 1, roleA)},
			[]string{"a", "b", "c"}, []string{roleA, roleB}, roleA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.groups)
			names, roles, preferred := Claims(tc.groups)
			if !slices.Equal(names, tc.wantNames) || !slices.Equal(roles, tc.wantRoles) || preferred != tc.preferred {
				t.Errorf("Claims = %v %v %q, want %v %v %q", names, roles, preferred, tc.wantNames, tc.wantRoles, tc.preferred)
			}
			if (names == nil) != (tc.wantNames == nil) || (roles == nil) != (tc.wantRoles == nil) {
				t.Errorf("nil-ness: names %v roles %v", names == nil, roles == nil)
			}
			if !slices.Equal(in, tc.groups) {
				t.Error("Claims reordered its argument")
			}
		})
	}
}

func TestClaimsFor(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann := e.createUser(t, e.pool, "Ann", "email", "ann@example.com", "email_verified", "true")
	bob := e.createUser(t, e.pool, "bob")
	e.group(t, e.pool, "readers", 20, roleC)
	e.group(t, e.pool, "editors", 10, roleB)
	e.group(t, e.pool, "admins", 10, roleA)
	e.group(t, e.pool, "beta", -1, "")
	for _, name := range []string{"readers", "editors", "admins", "beta"} {
		e.add(t, e.pool, "ann@example.com", name)
	}

	claims := func(key string) ([]string, []string, string) {
		t.Helper()
		groups, roles, preferred, err := e.svc.ClaimsFor(ctx, e.pool, key)
		if err != nil {
			t.Fatal(err)
		}
		return groups, roles, preferred
	}
	check := func(key string, wantGroups, wantRoles []string, wantPreferred string) {
		t.Helper()
		groups, roles, preferred := claims(key)
		if !slices.Equal(groups, wantGroups) || !slices.Equal(roles, wantRoles) || preferred != wantPreferred {
			t.Errorf("ClaimsFor = %v %v %q, want %v %v %q", groups, roles, preferred, wantGroups, wantRoles, wantPreferred)
		}
	}

	// admins and editors tie at 10 with different roles: no preferred role.
	check(ann.Key, []string{"admins", "editors", "readers", "beta"}, []string{roleA, roleB, roleC}, "")
	// Giving admins a better precedence settles it.
	if _, err := e.svc.UpdateGroup(ctx, &cognitoidp.UpdateGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("admins"), Precedence: api.Ptr(int32(1))}); err != nil {
		t.Fatal(err)
	}
	check(ann.Key, []string{"admins", "editors", "readers", "beta"}, []string{roleA, roleB, roleC}, roleA)
	// Leaving a group removes it from the claims.
	if _, err := e.svc.AdminRemoveUserFromGroup(ctx, &cognitoidp.AdminRemoveUserFromGroupRequest{UserPoolId: api.Ptr(e.pool), Username: api.Ptr("Ann"), GroupName: api.Ptr("admins")}); err != nil {
		t.Fatal(err)
	}
	check(ann.Key, []string{"editors", "readers", "beta"}, []string{roleB, roleC}, roleB)
	// A user in no group: no claims at all.
	check(bob.Key, nil, nil, "")
	// The same user key in another pool has no groups there.
	groups, _, _, err := e.svc.ClaimsFor(ctx, e.other, ann.Key)
	if err != nil || groups != nil {
		t.Errorf("other pool: %v %v", groups, err)
	}

	// More groups than one store page: all of them count.
	e.svc.maxUserGroups = 150
	for i := range 120 {
		name := fmt.Sprintf("many-%03d", i)
		e.group(t, e.pool, name, int32(1000+i), "")
		e.add(t, e.pool, "bob", name)
	}
	e.group(t, e.pool, "zzz-best", 0, roleA)
	e.add(t, e.pool, "bob", "zzz-best")
	groups, roles, preferred := claims(bob.Key)
	if len(groups) != 121 || groups[0] != "zzz-best" || groups[1] != "many-000" || !slices.Equal(roles, []string{roleA}) || preferred != roleA {
		t.Errorf("bob: %d groups starting %v, roles %v, preferred %q", len(groups), groups[:2], roles, preferred)
	}
}
