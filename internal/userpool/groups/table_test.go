package groups

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestThroughOperationTable drives the operations as the protocol layer does:
// JSON in, the generated decoder and validator, the registered handler, JSON out.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	e.createUser(t, e.pool, "ann", "email", "ann@example.com", "email_verified", "true")
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, name := range []string{"CreateGroup", "GetGroup", "UpdateGroup", "DeleteGroup", "ListGroups",
		"AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminListGroupsForUser", "ListUsersInGroup"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
	ctx := context.Background()
	call := func(op, body string) string {
		t.Helper()
		out, err := ops[op].Call(ctx, []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pool := `"UserPoolId":"` + e.pool + `"`

	// Dates are epoch seconds; members never set are left out.
	if got, want := call("CreateGroup", `{`+pool+`,"GroupName":"plain"}`),
		`{"Group":{"GroupName":"plain","UserPoolId":"`+e.pool+`","LastModifiedDate":1740830400,"CreationDate":1740830400}}`; got != want {
		t.Errorf("CreateGroup:\n got %s\nwant %s", got, want)
	}
	call("CreateGroup", `{`+pool+`,"GroupName":"admins","Description":"Admins","RoleArn":"`+roleA+`","Precedence":0}`)
	if got, want := call("GetGroup", `{`+pool+`,"GroupName":"admins"}`),
		`{"Group":{"GroupName":"admins","UserPoolId":"`+e.pool+`","Description":"Admins","RoleArn":"`+roleA+`","Precedence":0,"LastModifiedDate":1740830400,"CreationDate":1740830400}}`; got != want {
		t.Errorf("GetGroup:\n got %s\nwant %s", got, want)
	}
	if got, want := call("UpdateGroup", `{`+pool+`,"GroupName":"admins","Precedence":3}`),
		`{"Group":{"GroupName":"admins","UserPoolId":"`+e.pool+`","Description":"Admins","RoleArn":"`+roleA+`","Precedence":3,"LastModifiedDate":1740830400,"CreationDate":1740830400}}`; got != want {
		t.Errorf("UpdateGroup:\n got %s\nwant %s", got, want)
	}
	// Operations without output answer {}.
	if got := call("AdminAddUserToGroup", `{`+pool+`,"Username":"ann@example.com","GroupName":"admins"}`); got != "{}" {
		t.Errorf("AdminAddUserToGroup output %s", got)
	}
	type groupList struct {
		Groups    []map[string]any
		NextToken *string
	}
	var groups groupList
	if err := json.Unmarshal([]byte(call("AdminListGroupsForUser", `{`+pool+`,"Username":"ann","Limit":10}`)), &groups); err != nil {
		t.Fatal(err)
	}
	if len(groups.Groups) != 1 || groups.Groups[0]["GroupName"] != "admins" || groups.NextToken != nil {
		t.Errorf("AdminListGroupsForUser: %+v", groups)
	}
	if got := call("ListUsersInGroup", `{`+pool+`,"GroupName":"admins"}`); !json.Valid([]byte(got)) || len(got) < 20 {
		t.Errorf("ListUsersInGroup: %s", got)
	}
	groups = groupList{}
	if err := json.Unmarshal([]byte(call("ListGroups", `{`+pool+`,"Limit":1}`)), &groups); err != nil {
		t.Fatal(err)
	}
	if len(groups.Groups) != 1 || groups.NextToken == nil {
		t.Fatalf("ListGroups page: %+v", groups)
	}
	tok := *groups.NextToken
	groups = groupList{}
	if err := json.Unmarshal([]byte(call("ListGroups", `{`+pool+`,"Limit":1,"NextToken":"`+tok+`"}`)), &groups); err != nil {
		t.Fatal(err)
	}
	if len(groups.Groups) != 1 || groups.Groups[0]["GroupName"] != "plain" || groups.NextToken != nil {
		t.Errorf("ListGroups second page: %+v", groups)
	}
	if got := call("AdminRemoveUserFromGroup", `{`+pool+`,"Username":"ann","GroupName":"admins"}`); got != "{}" {
		t.Errorf("AdminRemoveUserFromGroup output %s", got)
	}
	if got := call("DeleteGroup", `{`+pool+`,"GroupName":"admins"}`); got != "{}" {
		t.Errorf("DeleteGroup output %s", got)
	}
	if got := call("ListGroups", `{`+pool+`}`); got != `{"Groups":[{"GroupName":"plain","UserPoolId":"`+e.pool+`","LastModifiedDate":1740830400,"CreationDate":1740830400}]}` {
		t.Errorf("ListGroups after delete: %s", got)
	}

	// The generated validator and decoder answer before the handler.
	for _, tc := range []struct{ op, body, code, msg string }{
		{"CreateGroup", `{` + pool + `}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null"},
		{"CreateGroup", `{` + pool + `,"GroupName":"x","Precedence":"high"}`, "SerializationException", ""},
		{"ListGroups", `{` + pool + `,"Limit":61}`, "InvalidParameterException",
			"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"GetGroup", `{` + pool + `,"GroupName":"gone"}`, "ResourceNotFoundException", "Group not found."},
		{"AdminAddUserToGroup", `{` + pool + `,"Username":"nobody","GroupName":"plain"}`, "UserNotFoundException", "User does not exist."},
		{"CreateGroup", `{` + pool + `,"GroupName":"plain"}`, "GroupExistsException", "A group with the name plain already exists."},
	} {
		_, err := ops[tc.op].Call(ctx, []byte(tc.body))
		wantErr(t, err, tc.code, tc.msg)
	}
}
