package account

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestThroughOperationTable drives the operations as the protocol layer does:
// JSON in, the generated decoder and validator, the registered handler, JSON
// out.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	ops := e.h.Service().Operations
	for _, name := range []string{"GetUser", "UpdateUserAttributes", "DeleteUserAttributes", "DeleteUser", "ChangePassword",
		"GetUserAttributeVerificationCode", "VerifyUserAttribute", "GlobalSignOut", "AdminUserGlobalSignOut", "RevokeToken",
		"AdminListUserAuthEvents", "AdminUpdateAuthEventFeedback", "UpdateAuthEventFeedback"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
	call := func(op, body string) (string, error) {
		t.Helper()
		out, err := ops[op].Call(e.ctx, []byte(body))
		if err != nil {
			return "", err
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), nil
	}
	must := func(op, body string) string {
		t.Helper()
		out, err := call(op, body)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return out
	}

	s := e.signIn(t)
	tok := `"AccessToken":"` + s.access + `"`
	got := must("GetUser", `{`+tok+`}`)
	want := `{"Username":"jane","UserAttributes":[{"Name":"sub","Value":"` + s.user.Sub + `"},{"Name":"email","Value":"jane@example.com"},` +
		`{"Name":"email_verified","Value":"true"},{"Name":"name","Value":"Jane"}]}`
	if got != want {
		t.Errorf("GetUser = %s\nwant %s", got, want)
	}
	if got := must("GetUserAttributeVerificationCode", `{`+tok+`,"AttributeName":"email"}`); got !=
		`{"CodeDeliveryDetails":{"Destination":"j***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}` {
		t.Errorf("GetUserAttributeVerificationCode = %s", got)
	}
	for _, c := range []struct{ op, body string }{
		{"VerifyUserAttribute", `{` + tok + `,"AttributeName":"email","Code":"` + e.lastCode(t, s.pool) + `"}`},
		{"ChangePassword", `{` + tok + `,"PreviousPassword":"` + goodPassword + `","ProposedPassword":"N3w-passw0rd"}`},
		{"UpdateUserAttributes", `{` + tok + `,"UserAttributes":[{"Name":"name","Value":"J"}]}`},
		{"DeleteUserAttributes", `{` + tok + `,"UserAttributeNames":["name"]}`},
		{"RevokeToken", `{"Token":"` + s.refresh + `","ClientId":"` + s.client + `"}`},
	} {
		if got := must(c.op, c.body); got != `{}` {
			t.Errorf("%s = %s, want {}", c.op, got)
		}
	}
	// The revoked session is refused through the table as well.
	if _, err := call("GlobalSignOut", `{`+tok+`}`); err == nil || !strings.Contains(err.Error(), "Access Token has been revoked") {
		t.Errorf("GlobalSignOut after RevokeToken: %v", err)
	}
	a2, _ := e.tokens.issue(s.pool, s.client, s.user)
	if got := must("GlobalSignOut", `{"AccessToken":"`+a2+`"}`); got != `{}` {
		t.Errorf("GlobalSignOut = %s", got)
	}
	a3, _ := e.tokens.issue(s.pool, s.client, s.user)
	if got := must("DeleteUser", `{"AccessToken":"`+a3+`"}`); got != `{}` {
		t.Errorf("DeleteUser = %s, want {} (Amplify parses every body)", got)
	}
	_, err := call("GetUser", `{"AccessToken":"has spaces"}`)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+")

	// Auth events, with timestamps as epoch seconds.
	pool := e.protectedPool(t)
	u := e.seed(t, pool, "john", nil)
	id, err := e.svc.RecordEvent(e.ctx, e.poolType(t, pool), u, Event{Type: cognitoidp.EventTypeSignin, Response: cognitoidp.EventResponseTypePass})
	if err != nil {
		t.Fatal(err)
	}
	if got := must("AdminUpdateAuthEventFeedback", `{"UserPoolId":"`+pool+`","Username":"john","EventId":"`+id+`","FeedbackValue":"Valid"}`); got != `{}` {
		t.Errorf("AdminUpdateAuthEventFeedback = %s", got)
	}
	got = must("AdminListUserAuthEvents", `{"UserPoolId":"`+pool+`","Username":"john"}`)
	want = `{"AuthEvents":[{"EventId":"` + id + `","EventType":"SignIn","CreationDate":1740830400,"EventResponse":"Pass",` +
		`"EventRisk":{"RiskDecision":"NoRisk","CompromisedCredentialsDetected":false},` +
		`"EventFeedback":{"FeedbackValue":"Valid","Provider":"Admin","FeedbackDate":1740830400}}]}`
	if got != want {
		t.Errorf("AdminListUserAuthEvents = %s\nwant %s", got, want)
	}
	fbt, err := e.svc.FeedbackToken(pool, u.Sub, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := must("UpdateAuthEventFeedback", `{"UserPoolId":"`+pool+`","Username":"john","EventId":"`+id+`","FeedbackToken":"`+fbt+`","FeedbackValue":"Invalid"}`); got != `{}` {
		t.Errorf("UpdateAuthEventFeedback = %s", got)
	}
	if got := must("AdminUserGlobalSignOut", `{"UserPoolId":"`+pool+`","Username":"john"}`); got != `{}` {
		t.Errorf("AdminUserGlobalSignOut = %s", got)
	}
}
