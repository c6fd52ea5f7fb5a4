package users

import (
	"encoding/json"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestThroughOperationTable drives the operations as the protocol layer does:
// JSON in, the generated decoder and validator, the registered handler.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	ops := e.h.Service().Operations
	for _, name := range []string{"AdminCreateUser", "AdminGetUser", "AdminDeleteUser", "AdminUpdateUserAttributes",
		"AdminDeleteUserAttributes", "AdminConfirmSignUp", "AdminDisableUser", "AdminEnableUser",
		"AdminSetUserPassword", "AdminResetUserPassword", "ListUsers"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
	pool := e.pool(t, nil)
	call := func(op, body string) string {
		t.Helper()
		out, err := ops[op].Call(e.ctx, []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	var created struct{ User cognitoidp.UserType }
	if err := json.Unmarshal([]byte(call("AdminCreateUser", `{"UserPoolId":"`+pool+`","Username":"jane",
		"UserAttributes":[{"Name":"email","Value":"jane@example.com"}],"MessageAction":"SUPPRESS","TemporaryPassword":"`+goodPassword+`"}`)), &created); err != nil {
		t.Fatal(err)
	}
	if *created.User.Username != "jane" || *created.User.UserStatus != "FORCE_CHANGE_PASSWORD" {
		t.Errorf("created %+v", created.User)
	}
	for _, c := range []struct{ op, body, want string }{
		{"AdminUpdateUserAttributes", `{"UserPoolId":"` + pool + `","Username":"jane","UserAttributes":[{"Name":"name","Value":"Jane"}]}`, `{}`},
		{"AdminDeleteUserAttributes", `{"UserPoolId":"` + pool + `","Username":"jane","UserAttributeNames":["name"]}`, `{}`},
		{"AdminSetUserPassword", `{"UserPoolId":"` + pool + `","Username":"jane","Password":"` + goodPassword + `","Permanent":true}`, `{}`},
		{"AdminDisableUser", `{"UserPoolId":"` + pool + `","Username":"jane"}`, `{}`},
		{"AdminEnableUser", `{"UserPoolId":"` + pool + `","Username":"jane"}`, `{}`},
	} {
		if got := call(c.op, c.body); got != c.want {
			t.Errorf("%s = %s, want %s", c.op, got, c.want)
		}
	}
	var got struct {
		Username   string
		UserStatus string
		Enabled    bool
	}
	if err := json.Unmarshal([]byte(call("AdminGetUser", `{"UserPoolId":"`+pool+`","Username":"jane"}`)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Username != "jane" || got.UserStatus != "CONFIRMED" || !got.Enabled {
		t.Errorf("AdminGetUser %+v", got)
	}
	if out := call("AdminDeleteUser", `{"UserPoolId":"`+pool+`","Username":"jane"}`); out != `{}` {
		t.Errorf("AdminDeleteUser = %s", out)
	}

	// The generated validator runs before the handler.
	_, err := ops["ListUsers"].Call(e.ctx, []byte(`{"UserPoolId":"`+pool+`","Limit":61}`))
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = ops["AdminGetUser"].Call(e.ctx, []byte(`{"UserPoolId":"`+pool+`","Username":"jane"}`))
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = ops["AdminCreateUser"].Call(e.ctx, []byte(`{"UserPoolId":"`+pool+`","Username":"x","MessageAction":"NOPE"}`))
	wantErr(t, err, "InvalidParameterException", "")
}
