package mfa

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
)

// TestThroughOperationTable drives the operations as the protocol layer
// does: JSON in, the generated decoder and validator, the handler, JSON out.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, name := range []string{"SetUserPoolMfaConfig", "GetUserPoolMfaConfig", "SetUserMFAPreference", "AdminSetUserMFAPreference",
		"SetUserSettings", "AdminSetUserSettings", "AssociateSoftwareToken", "VerifySoftwareToken"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
	ctx := context.Background()
	call := func(op, body string) (string, error) {
		t.Helper()
		out, err := ops[op].Call(ctx, []byte(body))
		if err != nil {
			return "", err
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), nil
	}
	pool := `"UserPoolId":"` + poolID + `"`
	got, err := call("SetUserPoolMfaConfig", `{`+pool+`,"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}`)
	if err != nil || got != `{"SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"ON"}` {
		t.Fatalf("SetUserPoolMfaConfig = %s, %v", got, err)
	}
	got, err = call("GetUserPoolMfaConfig", `{`+pool+`}`)
	if err != nil || got != `{"SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"ON"}` {
		t.Fatalf("GetUserPoolMfaConfig = %s, %v", got, err)
	}
	e.user(poolID, "ann", "phone_number", "+12065550000")
	got, err = call("AdminSetUserSettings", `{`+pool+`,"Username":"ann","MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}]}`)
	if err != nil || got != `{}` {
		t.Fatalf("AdminSetUserSettings = %s, %v", got, err)
	}
	// The generated validators answer bad input before the handlers run.
	for _, c := range []struct{ op, body, msg string }{
		{"SetUserPoolMfaConfig", `{"MfaConfiguration":"ON"}`, "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"SetUserPoolMfaConfig", `{` + pool + `,"MfaConfiguration":"SOMETIMES"}`, ""},
		{"VerifySoftwareToken", `{"AccessToken":"x"}`, ""},
		{"AdminSetUserMFAPreference", `{` + pool + `}`, ""},
	} {
		_, err := call(c.op, c.body)
		e, ok := awserr.As(err)
		if !ok || e.Code != "InvalidParameterException" || (c.msg != "" && e.Message != c.msg) {
			t.Errorf("%s %s: %v", c.op, c.body, err)
		}
	}
}
