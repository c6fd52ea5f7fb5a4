package users

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func (e *env) list(t *testing.T, in *cognitoidp.ListUsersRequest) (*cognitoidp.ListUsersResponse, error) {
	t.Helper()
	return e.svc.ListUsers(e.ctx, in)
}

func usernames(us []cognitoidp.UserType) []string {
	out := make([]string, 0, len(us))
	for _, u := range us {
		out = append(out, api.Deref(u.Username))
	}
	return out
}

func TestListUsersFilters(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	e.seed(t, pool, "alice", "CONFIRMED", map[string]string{"email": "Alice@Example.com", "given_name": "Alice", "family_name": "Reddy", "phone_number": "+4470001"})
	e.seed(t, pool, "bob", "UNCONFIRMED", map[string]string{"email": "bob@example.com", "given_name": "Bob", "family_name": "Reddy", "name": `Bob "the builder"`})
	carol := e.seed(t, pool, "carol", "FORCE_CHANGE_PASSWORD", map[string]string{"email": "carol@other.org", "phone_number": "+3360001", "preferred_username": "CJ"})
	dave := e.seed(t, pool, "Dave", "CONFIRMED", nil)
	if _, err := e.svc.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: &pool, Username: api.Ptr("Dave")}); err != nil {
		t.Fatal(err)
	}

	for filter, want := range map[string][]string{
		``:                                          {"Dave", "alice", "bob", "carol"},
		`email = "alice@example.com"`:               {"alice"},
		`email = "ALICE@EXAMPLE.COM"`:               {"alice"},
		`email ^= "b"`:                              {"bob"},
		`email ^= ""`:                               {"alice", "bob", "carol"},
		`family_name = "reddy"`:                     {"alice", "bob"},
		`given_name ^= "Al"`:                        {"alice"},
		`phone_number ^= "+44"`:                     {"alice"},
		`phone_number = "+3360001"`:                 {"carol"},
		`name = "Bob \"the builder\""`:              {"bob"},
		`preferred_username = "cj"`:                 {"carol"},
		`username = "alice"`:                        {"alice"},
		`username = "Alice"`:                        {},
		`username ^= "D"`:                           {"Dave"},
		`cognito:user_status = "confirmed"`:         {"Dave", "alice"},
		`cognito:user_status = "UNCONFIRMED"`:       {"bob"},
		`cognito:user_status ^= "FORCE"`:            {"carol"},
		`status = "Enabled"`:                        {"alice", "bob", "carol"},
		`status = "Disabled"`:                       {"Dave"},
		`status = "disabled"`:                       {},
		`sub = "` + carol.Sub + `"`:                 {"carol"},
		`sub = "` + strings.ToUpper(dave.Sub) + `"`: {},
		`family_name = ""`:                          {},
	} {
		out, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Filter: api.Ptr(filter)})
		if err != nil {
			t.Errorf("filter %q: %v", filter, err)
			continue
		}
		got := usernames(out.Users)
		slices.Sort(got)
		if !slices.Equal(got, want) || out.PaginationToken != nil {
			t.Errorf("filter %q: %v (token %v), want %v", filter, got, out.PaginationToken, want)
		}
	}

	_, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Filter: api.Ptr(`username = foo`)})
	wantErr(t, err, "InvalidParameterException", "Error while parsing filter.")
	_, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Filter: api.Ptr(`custom:foo = "bar"`)})
	wantErr(t, err, "InvalidParameterException", "Invalid search attribute: custom:foo")
	_, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: api.Ptr("us-east-1_Missing1")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Missing1 does not exist.")
	_, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Limit: api.Ptr(int32(61))})
	wantErr(t, err, "InvalidParameterException", "")

	// The filtered listing is sorted by the filtered attribute.
	out, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Filter: api.Ptr(`email ^= ""`)})
	if err != nil {
		t.Fatal(err)
	}
	if got := usernames(out.Users); !slices.Equal(got, []string{"alice", "bob", "carol"}) {
		t.Errorf("order %v", got)
	}
}

func TestListUsersCaseInsensitivePool(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{UsernameConfiguration: &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)}})
	e.seed(t, pool, "Alice", "CONFIRMED", nil)
	for _, f := range []string{`username = "alice"`, `username = "ALICE"`, `username ^= "AL"`} {
		out, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Filter: api.Ptr(f)})
		if err != nil || len(out.Users) != 1 || api.Deref(out.Users[0].Username) != "Alice" {
			t.Errorf("filter %q: %v %v", f, out, err)
		}
	}
}

func TestListUsersPagination(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	var all []string
	for i := range 130 {
		name := fmt.Sprintf("user%03d", i)
		all = append(all, name)
		e.seed(t, pool, name, "CONFIRMED", map[string]string{"family_name": "Same"})
	}
	for _, c := range []struct {
		limit  *int32
		filter string
		pages  []int
	}{
		{nil, "", []int{60, 60, 10}},
		{api.Ptr(int32(0)), "", []int{60, 60, 10}},
		{api.Ptr(int32(50)), "", []int{50, 50, 30}},
		{api.Ptr(int32(60)), `family_name = "same"`, []int{60, 60, 10}},
		{api.Ptr(int32(1)), `username ^= "user12"`, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
	} {
		var got []string
		var sizes []int
		var token *string
		for {
			out, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Limit: c.limit, PaginationToken: token, Filter: api.Ptr(c.filter)})
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(out.Users))
			got = append(got, usernames(out.Users)...)
			if out.PaginationToken == nil {
				break
			}
			token = out.PaginationToken
			// A token is stable: asking again gives the same page.
			again, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Limit: c.limit, PaginationToken: token, Filter: api.Ptr(c.filter)})
			if err != nil || len(again.Users) == 0 {
				t.Fatalf("token reuse: %v", err)
			}
		}
		want := all
		if strings.HasPrefix(c.filter, "username") {
			want = all[120:]
		}
		if !slices.Equal(got, want) || !slices.Equal(sizes, c.pages) {
			t.Errorf("limit %v filter %q: pages %v, %d users", api.Deref(c.limit), c.filter, sizes, len(got))
		}
	}

	first, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Limit: api.Ptr(int32(1))})
	if err != nil {
		t.Fatal(err)
	}
	other := e.pool(t, nil)
	e.seed(t, other, "x", "CONFIRMED", nil)
	// A token of another listing (pool or filter) is refused.
	_, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &other, PaginationToken: first.PaginationToken})
	wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, PaginationToken: first.PaginationToken, Filter: api.Ptr(`username ^= "u"`)})
	wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	for _, tok := range []string{"garbage", "Y29naXRvLXVzZXJzLTE6", encodePageToken(pool, storage.UserFilter{Field: "email", Value: "a"}, "bad")} {
		_, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, PaginationToken: api.Ptr(tok), Filter: api.Ptr(`email = "a"`)})
		wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	}
}

func TestListUsersAttributesToGet(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
		{Name: api.Ptr("foo"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString)},
	}})
	e.seed(t, pool, "alice", "CONFIRMED", map[string]string{"given_name": "Alice", "family_name": "Doe", "custom:foo": "bar"})
	e.seed(t, pool, "bob", "CONFIRMED", map[string]string{"given_name": "Bob", "custom:foo": "baz"})

	out, err := e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, AttributesToGet: []string{"given_name", "custom:foo"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range out.Users {
		if got := attrNames(u.Attributes); !slices.Equal(got, []string{"custom:foo", "given_name"}) {
			t.Errorf("%s attributes %v", api.Deref(u.Username), got)
		}
	}
	out, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, AttributesToGet: []string{"sub"}})
	if err != nil || len(out.Users[0].Attributes) != 1 || *out.Users[0].Attributes[0].Name != "sub" {
		t.Errorf("sub only: %+v %v", out, err)
	}
	// An empty list returns no attributes.
	out, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, AttributesToGet: []string{}})
	if err != nil || len(out.Users[0].Attributes) != 0 {
		t.Errorf("empty AttributesToGet: %+v %v", out, err)
	}
	// A user without the attribute, or a name outside the schema, is an error.
	_, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, AttributesToGet: []string{"family_name"}})
	wantErr(t, err, "InvalidParameterException", "One or more requested attributes do not exist.")
	_, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, AttributesToGet: []string{"custom:unknown"}})
	wantErr(t, err, "InvalidParameterException", "One or more requested attributes do not exist.")
	// With a filter selecting users that have it, it works.
	out, err = e.list(t, &cognitoidp.ListUsersRequest{UserPoolId: &pool, AttributesToGet: []string{"family_name"}, Filter: api.Ptr(`family_name = "Doe"`)})
	if err != nil || len(out.Users) != 1 {
		t.Errorf("filtered: %+v %v", out, err)
	}
}

func TestListUsersWire(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	out, err := e.h.Service().Operations["ListUsers"].Call(e.ctx, []byte(`{"UserPoolId":"`+pool+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(out); string(b) != `{"Users":[]}` {
		t.Errorf("empty pool: %s", b)
	}
	sub := e.seed(t, pool, "alice", "CONFIRMED", map[string]string{"email": "a@example.com"}).Sub
	out, err = e.h.Service().Operations["ListUsers"].Call(e.ctx, []byte(`{"UserPoolId":"`+pool+`","Filter":"email = \"a@example.com\"","Limit":5}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	want := `{"Users":[{"Username":"alice","Attributes":[{"Name":"sub","Value":"` + sub + `"},{"Name":"email","Value":"a@example.com"}],` +
		`"UserCreateDate":1740830400,"UserLastModifiedDate":1740830400,"Enabled":true,"UserStatus":"CONFIRMED"}]}`
	if string(b) != want {
		t.Errorf("wire\n got %s\nwant %s", b, want)
	}
}
