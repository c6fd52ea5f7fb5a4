package groups

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestUpdateGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateGroup(ctx, &cognitoidp.CreateGroupRequest{
		UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("ops"),
		Description: api.Ptr("Operators"), RoleArn: api.Ptr(roleA), Precedence: api.Ptr(int32(5)),
	}); err != nil {
		t.Fatal(err)
	}
	update := func(in cognitoidp.UpdateGroupRequest) *cognitoidp.GroupType {
		t.Helper()
		e.clock.Advance(time.Minute)
		in.UserPoolId, in.GroupName = api.Ptr(e.pool), api.Ptr("ops")
		out, err := e.svc.UpdateGroup(ctx, &in)
		if err != nil {
			t.Fatalf("UpdateGroup: %v", err)
		}
		if diff := cmp.Diff(out.Group, e.get(t, e.pool, "ops")); diff != "" {
			t.Errorf("UpdateGroup's answer and GetGroup differ:\n%s", diff)
		}
		if !out.Group.LastModifiedDate.Equal(e.clock.Now()) || !out.Group.CreationDate.Equal(t0) {
			t.Errorf("dates: created %v, modified %v; want %v, %v", out.Group.CreationDate, out.Group.LastModifiedDate, t0, e.clock.Now())
		}
		return out.Group
	}
	check := func(g *cognitoidp.GroupType, desc, role string, prec int32) {
		t.Helper()
		if api.Deref(g.Description) != desc || api.Deref(g.RoleArn) != role || api.Deref(g.Precedence) != prec {
			t.Errorf("group = {%q %q %d}, want {%q %q %d}", api.Deref(g.Description), api.Deref(g.RoleArn), api.Deref(g.Precedence), desc, role, prec)
		}
	}

	// Only the members the request carries change; the others keep their values.
	check(update(cognitoidp.UpdateGroupRequest{Description: api.Ptr("New description"), Precedence: api.Ptr(int32(2))}), "New description", roleA, 2)
	check(update(cognitoidp.UpdateGroupRequest{RoleArn: api.Ptr(roleB)}), "New description", roleB, 2)
	check(update(cognitoidp.UpdateGroupRequest{Precedence: api.Ptr(int32(0))}), "New description", roleB, 0)
	check(update(cognitoidp.UpdateGroupRequest{Description: api.Ptr("")}), "", roleB, 0)
	// Nothing to change still touches LastModifiedDate.
	check(update(cognitoidp.UpdateGroupRequest{}), "", roleB, 0)

	// Members the group never had can be set.
	e.group(t, e.pool, "bare", -1, "")
	out, err := e.svc.UpdateGroup(ctx, &cognitoidp.UpdateGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("bare"), RoleArn: api.Ptr(roleC), Precedence: api.Ptr(int32(7))})
	if err != nil {
		t.Fatal(err)
	}
	if out.Group.Description != nil || *out.Group.RoleArn != roleC || *out.Group.Precedence != 7 {
		t.Errorf("bare group after update: %+v", out.Group)
	}
}

func TestUpdateGroupErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.group(t, e.pool, "ops", 5, roleA)
	before := e.get(t, e.pool, "ops")
	e.clock.Advance(time.Hour)

	for _, tc := range []struct {
		name string
		in   cognitoidp.UpdateGroupRequest
		code string
		msg  string
	}{
		{"unknown group", cognitoidp.UpdateGroupRequest{GroupName: api.Ptr("nope"), Precedence: api.Ptr(int32(1))}, "ResourceNotFoundException", "Group not found."},
		{"unknown pool", cognitoidp.UpdateGroupRequest{UserPoolId: api.Ptr(missingPool)}, "ResourceNotFoundException", poolMissing(missingPool)},
		{"empty role", cognitoidp.UpdateGroupRequest{RoleArn: api.Ptr("")}, "InvalidParameterException",
			"2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
				`Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`},
		{"not an ARN", cognitoidp.UpdateGroupRequest{RoleArn: api.Ptr("Team group (managed by Terraform)")}, "InvalidParameterException", ""},
		{"negative precedence", cognitoidp.UpdateGroupRequest{Precedence: api.Ptr(int32(-3))}, "InvalidParameterException", ""},
		{"description too long", cognitoidp.UpdateGroupRequest{Description: api.Ptr(string(make([]byte, 2049)))}, "InvalidParameterException", ""},
		{"no name", cognitoidp.UpdateGroupRequest{GroupName: nil}, "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			if in.UserPoolId == nil {
				in.UserPoolId = api.Ptr(e.pool)
			}
			if in.GroupName == nil && tc.name != "no name" {
				in.GroupName = api.Ptr("ops")
			}
			_, err := e.svc.UpdateGroup(ctx, &in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	if diff := cmp.Diff(before, e.get(t, e.pool, "ops")); diff != "" {
		t.Errorf("refused updates changed the group:\n%s", diff)
	}
}
