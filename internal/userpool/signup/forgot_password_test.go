package signup

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

func forgotReq(clientID, username string) *cognitoidp.ForgotPasswordRequest {
	return &cognitoidp.ForgotPasswordRequest{ClientId: api.Ptr(clientID), Username: api.Ptr(username)}
}

// setUser changes a stored user directly (what admin operations would do).
func (e *env) setUser(poolID, key string, fn func(*storage.User)) {
	e.t.Helper()
	if _, err := e.store.UpdateUser(e.ctx, poolID, key, func(u *storage.User) error { fn(u); return nil }); err != nil {
		e.t.Fatal(err)
	}
}

// enabledClient is a client with PreventUserExistenceErrors ENABLED.
func (e *env) enabledClient(poolID string) string {
	return *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.PreventUserExistenceErrors = api.Ptr(cognitoidp.PreventUserExistenceErrorTypesEnabled)
	}).ClientId
}

func TestForgotPassword(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	e.confirm(id, poolID, "jane")

	out, err := e.svc.ForgotPassword(e.ctx, forgotReq(id, "jane"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := toJSON(t, out), `{"CodeDeliveryDetails":{"Destination":"j***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}`; got != want {
		t.Errorf("response = %s, want %s", got, want)
	}
	ms := e.messages(poolID)
	m := ms[len(ms)-1]
	if m.Kind != string(message.KindForgotPassword) || m.Destination != "jane@example.com" || m.Body != "Your password reset code is "+m.Code {
		t.Errorf("message = %+v", m)
	}
	code, err := e.store.GetCode(e.ctx, poolID, "jane", message.PurposeForgotPassword)
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(message.ForgotPasswordCodeTTL); !code.ExpiresAt.Equal(want) {
		t.Errorf("code expires %v, want %v", code.ExpiresAt, want)
	}
	// The user is untouched until the code comes back.
	if u := e.user(poolID, "jane"); u.Status != "CONFIRMED" {
		t.Errorf("status = %s", u.Status)
	}
	e.noSecretsLogged(m.Code)
}

func TestForgotPasswordRecoveryOrder(t *testing.T) {
	both := func(u *storage.User) {
		u.Attributes["email"], u.Attributes["email_verified"] = "jane@example.com", "true"
		u.Attributes["phone_number"], u.Attributes["phone_number_verified"] = "+12065551234", "true"
	}
	emailOnly := func(u *storage.User) {
		u.Attributes["email"], u.Attributes["email_verified"] = "jane@example.com", "true"
		u.Attributes["phone_number"], u.Attributes["phone_number_verified"] = "+12065551234", "false"
	}
	mech := func(names ...cognitoidp.RecoveryOptionNameType) *cognitoidp.AccountRecoverySettingType {
		rs := &cognitoidp.AccountRecoverySettingType{}
		for i := len(names) - 1; i >= 0; i-- { // listed out of order on purpose: Priority decides
			rs.RecoveryMechanisms = append(rs.RecoveryMechanisms, cognitoidp.RecoveryOptionType{Priority: api.Ptr(int32(i + 1)), Name: api.Ptr(names[i])})
		}
		return rs
	}
	cases := []struct {
		name    string
		setting *cognitoidp.AccountRecoverySettingType
		user    func(*storage.User)
		want    string // medium, or an error code
	}{
		{"legacy prefers the phone", nil, both, "SMS"},
		{"legacy falls back to email", nil, emailOnly, "EMAIL"},
		{"email first", mech(cognitoidp.RecoveryOptionNameTypeVerifiedEmail, cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber), both, "EMAIL"},
		{"phone first", mech(cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber, cognitoidp.RecoveryOptionNameTypeVerifiedEmail), both, "SMS"},
		{"phone only, unverified", mech(cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber), emailOnly, "InvalidParameterException"},
		{"admin only", mech(cognitoidp.RecoveryOptionNameTypeAdminOnly), both, "NotAuthorizedException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) { in.AccountRecoverySetting = tc.setting })
			id := e.clientID(poolID)
			e.signUp(id, "jane")
			e.setUser(poolID, "jane", func(u *storage.User) { u.Status = "CONFIRMED"; tc.user(u) })
			out, err := e.svc.ForgotPassword(e.ctx, forgotReq(id, "jane"))
			switch tc.want {
			case "InvalidParameterException":
				wantErr(t, err, tc.want, "Cannot reset password for the user as there is no registered/verified email or phone_number")
			case "NotAuthorizedException":
				wantErr(t, err, tc.want, "Contact administrator to reset password.")
			default:
				if err != nil {
					t.Fatal(err)
				}
				if got := string(api.Deref(out.CodeDeliveryDetails.DeliveryMedium)); got != tc.want {
					t.Errorf("medium = %s, want %s", got, tc.want)
				}
				ms := e.messages(poolID)
				if len(ms) != 1 || ms[0].DeliveryMedium != tc.want {
					t.Errorf("outbox = %+v", ms)
				}
			}
		})
	}
}

func TestForgotPasswordUserStates(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	legacy := e.clientID(poolID)
	enabled := e.enabledClient(poolID)
	verified := func(u *storage.User) { u.Attributes["email_verified"] = "true" }
	e.signUp(legacy, "unconfirmed", "email", "u@example.com")
	e.signUp(legacy, "disabled", "email", "d@example.com")
	e.setUser(poolID, "disabled", func(u *storage.User) { u.Status = "CONFIRMED"; u.Enabled = false; verified(u) })
	e.signUp(legacy, "forced", "email", "f@example.com")
	e.setUser(poolID, "forced", func(u *storage.User) { u.Status = "FORCE_CHANGE_PASSWORD"; verified(u) })
	sent := len(e.messages(poolID))

	cases := []struct{ user, code, msg string }{
		{"ghost", "UserNotFoundException", "Username/client id combination not found."},
		{"unconfirmed", "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number"},
		{"disabled", "NotAuthorizedException", "User is disabled."},
		{"forced", "NotAuthorizedException", "User password cannot be reset in the current state."},
	}
	for _, tc := range cases {
		_, err := e.svc.ForgotPassword(e.ctx, forgotReq(legacy, tc.user))
		wantErr(t, err, tc.code, tc.msg)
		// With PreventUserExistenceErrors each is a simulated success.
		out, err := e.svc.ForgotPassword(e.ctx, forgotReq(enabled, tc.user))
		if err != nil || out.CodeDeliveryDetails == nil || out.CodeDeliveryDetails.Destination == nil {
			t.Errorf("ENABLED, %s: %s, %v", tc.user, toJSON(t, out), err)
		}
	}
	if n := len(e.messages(poolID)); n != sent {
		t.Errorf("%d messages sent to users who get no code", n-sent)
	}

	// Simulated answers follow the name's format, else the pool's recovery order.
	for name, want := range map[string]string{
		"ghost@example.com": `{"CodeDeliveryDetails":{"Destination":"g***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}`,
		"+12065550000":      `{"CodeDeliveryDetails":{"Destination":"+*******0000","DeliveryMedium":"SMS","AttributeName":"phone_number"}}`,
	} {
		out, err := e.svc.ForgotPassword(e.ctx, forgotReq(enabled, name))
		if err != nil || toJSON(t, out) != want {
			t.Errorf("simulated for %s = %s, %v; want %s", name, toJSON(t, out), err, want)
		}
	}
	out, _ := e.svc.ForgotPassword(e.ctx, forgotReq(enabled, "ghost"))
	if api.Deref(out.CodeDeliveryDetails.DeliveryMedium) != cognitoidp.DeliveryMediumTypeSms {
		t.Errorf("simulated for a plain name in a legacy-recovery pool = %s, want SMS", toJSON(t, out))
	}

	// An unconfirmed user with a verified contact gets a code, and the reset confirms it.
	e.setUser(poolID, "unconfirmed", verified)
	if _, err := e.svc.ForgotPassword(e.ctx, forgotReq(legacy, "unconfirmed")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(legacy, "unconfirmed", e.lastCode(poolID), "N3w-Passw0rd")); err != nil {
		t.Fatal(err)
	}
	if u := e.user(poolID, "unconfirmed"); u.Status != "CONFIRMED" {
		t.Errorf("status = %s", u.Status)
	}
}

func TestForgotPasswordByAlias(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AliasAttributes = []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail}
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
	})
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	// An unverified email is no alias yet.
	_, err := e.svc.ForgotPassword(e.ctx, forgotReq(id, "jane@example.com"))
	wantErr(t, err, "UserNotFoundException", "")
	e.confirm(id, poolID, "jane")
	if _, err := e.svc.ForgotPassword(e.ctx, forgotReq(id, "JANE@example.com")); err != nil {
		t.Fatal(err)
	}
	if m := e.messages(poolID); m[len(m)-1].Username != "jane" {
		t.Errorf("message for %q", m[len(m)-1].Username)
	}
}

func TestForgotPasswordThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	_, err := e.call("ForgotPassword", `{"ClientId":"`+id+`","Username":"ghost"}`)
	wantErr(t, err, "UserNotFoundException", "Username/client id combination not found.")
	_, err = e.call("ForgotPassword", `{"ClientId":"`+id+`"}`)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null")
}
