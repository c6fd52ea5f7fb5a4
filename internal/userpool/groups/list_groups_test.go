package groups

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestListGroups(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := func(limit *int32, tok *string) (*cognitoidp.ListGroupsResponse, error) {
		return e.svc.ListGroups(ctx, &cognitoidp.ListGroupsRequest{UserPoolId: api.Ptr(e.pool), Limit: limit, NextToken: tok})
	}

	// An empty pool lists no groups (an empty list, no token).
	out, err := list(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Groups == nil || len(out.Groups) != 0 || out.NextToken != nil {
		t.Errorf("empty pool: %+v", out)
	}

	var want []string
	for i := range 70 {
		name := fmt.Sprintf("group-%02d", 69-i) // created in reverse name order
		e.group(t, e.pool, name, int32(i), "")
		want = append(want, name)
	}
	slices.Sort(want)
	e.group(t, e.other, "elsewhere", -1, "")

	// Without Limit: 60 groups by name, then the rest. Limit 0 is the same.
	for _, limit := range []*int32{nil, api.Ptr(int32(0))} {
		out, err = list(limit, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Groups) != 60 || out.NextToken == nil {
			t.Fatalf("first page: %d groups, token %v", len(out.Groups), out.NextToken)
		}
		if g := out.Groups[0]; *g.GroupName != "group-00" || *g.Precedence != 69 || *g.UserPoolId != e.pool {
			t.Errorf("first group %+v", g)
		}
		rest, err := list(limit, out.NextToken)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest.Groups) != 10 || rest.NextToken != nil {
			t.Errorf("second page: %d groups, token %v", len(rest.Groups), rest.NextToken)
		}
	}

	// Any Limit pages through all of them exactly once, in order.
	for _, limit := range []int32{1, 7, 60} {
		var got []string
		var tok *string
		for {
			out, err := list(api.Ptr(limit), tok)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Groups) > int(limit) {
				t.Fatalf("Limit %d: page of %d", limit, len(out.Groups))
			}
			for _, g := range out.Groups {
				got = append(got, *g.GroupName)
			}
			if out.NextToken == nil {
				break
			}
			tok = out.NextToken
		}
		if !slices.Equal(got, want) {
			t.Errorf("Limit %d: listed %v", limit, got)
		}
	}
}

func TestListGroupsErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := range 3 {
		e.group(t, e.pool, fmt.Sprintf("g%d", i), -1, "")
		e.group(t, e.other, fmt.Sprintf("g%d", i), -1, "")
	}
	e.createUser(t, e.pool, "ann")
	for i := range 3 {
		e.add(t, e.pool, "ann", fmt.Sprintf("g%d", i))
	}
	first := func(pool string) *string {
		out, err := e.svc.ListGroups(ctx, &cognitoidp.ListGroupsRequest{UserPoolId: api.Ptr(pool), Limit: api.Ptr(int32(1))})
		if err != nil || out.NextToken == nil {
			t.Fatalf("ListGroups: %v, %+v", err, out)
		}
		return out.NextToken
	}
	otherTok := first(e.other)
	forUser, err := e.svc.AdminListGroupsForUser(ctx, &cognitoidp.AdminListGroupsForUserRequest{UserPoolId: api.Ptr(e.pool), Username: api.Ptr("ann"), Limit: api.Ptr(int32(1))})
	if err != nil || forUser.NextToken == nil {
		t.Fatalf("AdminListGroupsForUser: %v", err)
	}
	bad := "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"
	for _, tc := range []struct {
		name  string
		pool  string
		limit *int32
		tok   *string
		code  string
		msg   string
	}{
		{"limit over 60", e.pool, api.Ptr(int32(61)), nil, "InvalidParameterException", bad},
		{"negative limit", e.pool, api.Ptr(int32(-1)), nil, "InvalidParameterException", ""},
		{"garbage token", e.pool, nil, api.Ptr("not-a-token"), "InvalidParameterException", "Invalid NextToken."},
		{"empty token", e.pool, nil, api.Ptr(""), "InvalidParameterException", ""},
		{"token of another version", e.pool, nil, api.Ptr(base64.RawURLEncoding.EncodeToString([]byte("cogito-groups-0\x00ListGroups\x00" + e.pool + "\x00zzz"))), "InvalidParameterException", "Invalid NextToken."},
		{"token without the store's part", e.pool, nil, api.Ptr(base64.RawURLEncoding.EncodeToString([]byte("cogito-groups-1\x00ListGroups\x00" + e.pool + "\x00"))), "InvalidParameterException", "Invalid NextToken."},
		{"store's part corrupted", e.pool, nil, api.Ptr(base64.RawURLEncoding.EncodeToString([]byte("cogito-groups-1\x00ListGroups\x00" + e.pool + "\x00!!!"))), "InvalidParameterException", "Invalid NextToken."},
		{"another pool's token", e.pool, nil, otherTok, "InvalidParameterException", "Invalid NextToken."},
		{"another listing's token", e.pool, nil, forUser.NextToken, "InvalidParameterException", "Invalid NextToken."},
		{"unknown pool", missingPool, nil, nil, "ResourceNotFoundException", poolMissing(missingPool)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.ListGroups(ctx, &cognitoidp.ListGroupsRequest{UserPoolId: api.Ptr(tc.pool), Limit: tc.limit, NextToken: tc.tok})
			wantErr(t, err, tc.code, tc.msg)
		})
	}
}

// TestListGroupsWhileInserting: groups created and deleted between pages
// never make a listing repeat a group or skip one that was there throughout.
func TestListGroupsWhileInserting(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var before []string
	for i := range 30 {
		name := fmt.Sprintf("m%02d", i*2) // even numbers
		e.group(t, e.pool, name, -1, "")
		before = append(before, name)
	}
	seen := map[string]int{}
	var tok *string
	for round := 0; ; round++ {
		out, err := e.svc.ListGroups(ctx, &cognitoidp.ListGroupsRequest{UserPoolId: api.Ptr(e.pool), Limit: api.Ptr(int32(4)), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.Groups {
			seen[*g.GroupName]++
		}
		if out.NextToken == nil {
			break
		}
		tok = out.NextToken
		// Between pages: groups sorting before and after the cursor appear,
		// and a group not yet listed that was not there at the start goes.
		e.group(t, e.pool, fmt.Sprintf("a%02d", round), -1, "")
		e.group(t, e.pool, fmt.Sprintf("m%02d", round*8+1), -1, "")
		e.group(t, e.pool, fmt.Sprintf("z%02d", round), -1, "")
	}
	for _, name := range before {
		if seen[name] != 1 {
			t.Errorf("%s listed %d times", name, seen[name])
		}
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", name, n)
		}
		if name[0] == 'a' {
			t.Errorf("%s sorts before the cursor yet was listed", name)
		}
	}
}
