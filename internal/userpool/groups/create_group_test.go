package groups

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestCreateGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	t.Run("name only", func(t *testing.T) {
		out, err := e.svc.CreateGroup(ctx, &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("readers")})
		if err != nil {
			t.Fatal(err)
		}
		want := &cognitoidp.GroupType{
			GroupName: api.Ptr("readers"), UserPoolId: api.Ptr(e.pool),
			LastModifiedDate: api.NewTime(t0), CreationDate: api.NewTime(t0),
		}
		if diff := cmp.Diff(want, out.Group); diff != "" {
			t.Errorf("Group (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, e.get(t, e.pool, "readers")); diff != "" {
			t.Errorf("GetGroup (-want +got):\n%s", diff)
		}
	})

	t.Run("every member", func(t *testing.T) {
		e.clock.Advance(90 * time.Second)
		out, err := e.svc.CreateGroup(ctx, &cognitoidp.CreateGroupRequest{
			UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("editors"),
			Description: api.Ptr("People who edit."), RoleArn: api.Ptr(roleA), Precedence: api.Ptr(int32(0)),
		})
		if err != nil {
			t.Fatal(err)
		}
		now := e.clock.Now()
		want := &cognitoidp.GroupType{
			GroupName: api.Ptr("editors"), UserPoolId: api.Ptr(e.pool), Description: api.Ptr("People who edit."),
			RoleArn: api.Ptr(roleA), Precedence: api.Ptr(int32(0)),
			LastModifiedDate: api.NewTime(now), CreationDate: api.NewTime(now),
		}
		if diff := cmp.Diff(want, out.Group); diff != "" {
			t.Errorf("Group (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, e.get(t, e.pool, "editors")); diff != "" {
			t.Errorf("GetGroup (-want +got):\n%s", diff)
		}
	})

	t.Run("limits of the model", func(t *testing.T) {
		name := strings.Repeat("g", 128)
		desc := strings.Repeat("d", 2048)
		out, err := e.svc.CreateGroup(ctx, &cognitoidp.CreateGroupRequest{
			UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr(name), Description: api.Ptr(desc), Precedence: api.Ptr(int32(math.MaxInt32)),
			RoleArn: api.Ptr("arn:aws-cn:iam::123456789012:role/path/to/Role+=,.@-_"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if *out.Group.Precedence != math.MaxInt32 || *e.get(t, e.pool, name).Description != desc {
			t.Errorf("group %+v", out.Group)
		}
		// Names are any printable characters, non-Latin ones included.
		for _, n := range []string{"admins/eu-west", "é", "管理者", "a:b@c.d"} {
			e.group(t, e.pool, n, -1, "")
		}
		// An empty description is kept as given.
		out, err = e.svc.CreateGroup(ctx, &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("blank"), Description: api.Ptr("")})
		if err != nil {
			t.Fatal(err)
		}
		if out.Group.Description == nil || *out.Group.Description != "" {
			t.Errorf("Description = %v, want \"\"", out.Group.Description)
		}
	})

	t.Run("duplicate", func(t *testing.T) {
		e.group(t, e.pool, "dup", 3, roleA)
		_, err := e.svc.CreateGroup(ctx, &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("dup"), Precedence: api.Ptr(int32(9))})
		wantErr(t, err, "GroupExistsException", "A group with the name dup already exists.")
		if g := e.get(t, e.pool, "dup"); *g.Precedence != 3 || *g.RoleArn != roleA {
			t.Errorf("the existing group changed: %+v", g)
		}
		// Names are case-sensitive, and scoped by pool.
		e.group(t, e.pool, "Dup", -1, "")
		e.group(t, e.other, "dup", -1, "")
	})

	t.Run("unknown pool", func(t *testing.T) {
		_, err := e.svc.CreateGroup(ctx, &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(missingPool), GroupName: api.Ptr("g")})
		wantErr(t, err, "ResourceNotFoundException", poolMissing(missingPool))
	})
}

func TestCreateGroupRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   cognitoidp.CreateGroupRequest
		msg  string
	}{
		{"no name", cognitoidp.CreateGroupRequest{},
			"1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null"},
		{"empty name", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("")}, ""},
		{"name too long", cognitoidp.CreateGroupRequest{GroupName: api.Ptr(strings.Repeat("x", 129))},
			"1 validation error detected: Value '" + strings.Repeat("x", 129) + "' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"space in name", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("two words")}, ""},
		{"description too long", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("bad"), Description: api.Ptr(strings.Repeat("d", 2049))}, ""},
		{"negative precedence", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("bad"), Precedence: api.Ptr(int32(-1))},
			"1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"role too short", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("bad"), RoleArn: api.Ptr("arn:aws:iam::1:r")}, ""},
		{"role not an ARN", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("bad"), RoleArn: api.Ptr("Team group (managed by Terraform)")}, ""},
		{"role without account", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("bad"), RoleArn: api.Ptr("arn:aws:iam:::role/NoAccountHere")}, ""},
		{"role with letters for account", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("bad"), RoleArn: api.Ptr("arn:aws:iam::abcdef:role/Role")}, ""},
		{"bad pool id", cognitoidp.CreateGroupRequest{GroupName: api.Ptr("bad"), UserPoolId: api.Ptr("no-underscore")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			if in.UserPoolId == nil {
				in.UserPoolId = api.Ptr(e.pool)
			}
			_, err := e.svc.CreateGroup(ctx, &in)
			wantErr(t, err, "InvalidParameterException", tc.msg)
		})
	}
	out, err := e.svc.ListGroups(ctx, &cognitoidp.ListGroupsRequest{UserPoolId: api.Ptr(e.pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Groups) != 0 {
		t.Errorf("refused requests left groups behind: %+v", out.Groups)
	}
}

func TestCreateGroupPoolQuota(t *testing.T) {
	e := newEnv(t)
	e.svc.maxPoolGroups = 5
	for i := range 5 {
		e.group(t, e.pool, fmt.Sprintf("g%d", i), -1, "")
	}
	_, err := e.svc.CreateGroup(context.Background(), &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("one-too-many")})
	wantErr(t, err, "LimitExceededException", "The user pool has reached the maximum of 5 groups.")
	// The quota is per pool, and deleting a group makes room.
	e.group(t, e.other, "g0", -1, "")
	if _, err := e.svc.DeleteGroup(context.Background(), &cognitoidp.DeleteGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("g3")}); err != nil {
		t.Fatal(err)
	}
	e.group(t, e.pool, "one-too-many", -1, "")
}

func TestCreateGroupConcurrently(t *testing.T) {
	e := newEnv(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = e.svc.CreateGroup(context.Background(), &cognitoidp.CreateGroupRequest{
				UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("race"), Precedence: api.Ptr(int32(i))})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		wantErr(t, err, "GroupExistsException", "A group with the name race already exists.")
	}
	if won != 1 {
		t.Errorf("%d creates succeeded, want 1", won)
	}
}
