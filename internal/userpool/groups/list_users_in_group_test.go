package groups

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestListUsersInGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.group(t, e.pool, "team", -1, "")
	e.clock.Advance(time.Minute)
	ann := e.createUser(t, e.pool, "Ann", "email", "ann@example.com", "email_verified", "true", "name", "Ann A.", "custom:tier", "gold")
	e.add(t, e.pool, "ann", "team")

	out, err := e.svc.ListUsersInGroup(ctx, &cognitoidp.ListUsersInGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("team")})
	if err != nil {
		t.Fatal(err)
	}
	// Each member as ListUsers shows users: the username as created, sub
	// first among the attributes, the dates, Enabled and the status.
	want := []cognitoidp.UserType{{
		Username: api.Ptr("Ann"),
		Attributes: []cognitoidp.AttributeType{
			{Name: api.Ptr("sub"), Value: api.Ptr(ann.Sub)},
			{Name: api.Ptr("custom:tier"), Value: api.Ptr("gold")},
			{Name: api.Ptr("email"), Value: api.Ptr("ann@example.com")},
			{Name: api.Ptr("email_verified"), Value: api.Ptr("true")},
			{Name: api.Ptr("name"), Value: api.Ptr("Ann A.")},
		},
		UserCreateDate:       api.NewTime(t0.Add(time.Minute)),
		UserLastModifiedDate: api.NewTime(t0.Add(time.Minute)),
		Enabled:              true,
		UserStatus:           api.Ptr(cognitoidp.UserStatusTypeConfirmed),
	}}
	less := func(a, b cognitoidp.AttributeType) bool { return *a.Name < *b.Name }
	if diff := cmp.Diff(want, out.Users, cmpSortAttributes(less)); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
	if *out.Users[0].Attributes[0].Name != "sub" {
		t.Errorf("first attribute %s, want sub", *out.Users[0].Attributes[0].Name)
	}
	if out.NextToken != nil {
		t.Errorf("NextToken %q", *out.NextToken)
	}

	// An empty group lists no users.
	e.group(t, e.pool, "empty", -1, "")
	if got := e.membersOf(t, e.pool, "empty"); len(got) != 0 {
		t.Errorf("empty group lists %v", got)
	}
}

func TestListUsersInGroupPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.group(t, e.pool, "big", -1, "")
	e.group(t, e.pool, "small", -1, "")
	var want []string
	for i := range 65 {
		name := fmt.Sprintf("user%02d", 64-i)
		e.createUser(t, e.pool, name)
		e.add(t, e.pool, name, "big")
		want = append(want, name)
	}
	slices.Sort(want)
	e.add(t, e.pool, "user00", "small")

	out, err := e.svc.ListUsersInGroup(ctx, &cognitoidp.ListUsersInGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("big")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 60 || out.NextToken == nil {
		t.Fatalf("default page: %d users, token %v", len(out.Users), out.NextToken)
	}
	smallTok := out.NextToken
	var got []string
	var tok *string
	for {
		out, err := e.svc.ListUsersInGroup(ctx, &cognitoidp.ListUsersInGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("big"), Limit: api.Ptr(int32(7)), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Users) > 7 {
			t.Fatalf("page of %d", len(out.Users))
		}
		for _, u := range out.Users {
			got = append(got, *u.Username)
		}
		if out.NextToken == nil {
			break
		}
		tok = out.NextToken
		// Members joining between pages do not disturb the listing.
		name := fmt.Sprintf("late%02d", len(got))
		e.createUser(t, e.pool, name)
		e.add(t, e.pool, name, "big")
	}
	for _, name := range want {
		if n := countOf(got, name); n != 1 {
			t.Errorf("%s listed %d times", name, n)
		}
	}

	for _, tc := range []struct {
		name, pool, group string
		tok               *string
		code, msg         string
	}{
		{"unknown group", e.pool, "nope", nil, "ResourceNotFoundException", "Group not found."},
		{"unknown pool", missingPool, "big", nil, "ResourceNotFoundException", poolMissing(missingPool)},
		{"another group's token", e.pool, "small", smallTok, "InvalidParameterException", "Invalid NextToken."},
		{"garbage token", e.pool, "big", api.Ptr("%%%"), "InvalidParameterException", "Invalid NextToken."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.ListUsersInGroup(ctx, &cognitoidp.ListUsersInGroupRequest{UserPoolId: api.Ptr(tc.pool), GroupName: api.Ptr(tc.group), NextToken: tc.tok})
			wantErr(t, err, tc.code, tc.msg)
		})
	}
}

func TestListUsersInGroupMFAOptions(t *testing.T) {
	opts := []cognitoidp.MFAOptionType{{DeliveryMedium: api.Ptr(cognitoidp.DeliveryMediumTypeSms), AttributeName: api.Ptr("phone_number")}}
	var asked []string
	e := newEnv(t, func(c *Config) {
		c.MFAOptions = func(_ context.Context, pool *cognitoidp.UserPoolType, u *storage.User) ([]cognitoidp.MFAOptionType, error) {
			asked = append(asked, *pool.Id+"/"+u.Username)
			if u.Username == "ann" {
				return opts, nil
			}
			return nil, nil
		}
	})
	e.group(t, e.pool, "team", -1, "")
	for _, n := range []string{"ann", "bob"} {
		e.createUser(t, e.pool, n)
		e.add(t, e.pool, n, "team")
	}
	out, err := e.svc.ListUsersInGroup(context.Background(), &cognitoidp.ListUsersInGroupRequest{UserPoolId: api.Ptr(e.pool), GroupName: api.Ptr("team")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(opts, out.Users[0].MFAOptions); diff != "" || out.Users[1].MFAOptions != nil {
		t.Errorf("MFAOptions: %s / %v", diff, out.Users[1].MFAOptions)
	}
	if !slices.Equal(asked, []string{e.pool + "/ann", e.pool + "/bob"}) {
		t.Errorf("asked for %v", asked)
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
