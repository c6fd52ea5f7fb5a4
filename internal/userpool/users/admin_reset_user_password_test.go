package users

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
)

func (e *env) reset(poolID, name string) error {
	_, err := e.svc.AdminResetUserPassword(e.ctx, &cognitoidp.AdminResetUserPasswordRequest{UserPoolId: &poolID, Username: api.Ptr(name)})
	return err
}

func TestAdminResetUserPassword(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		AccountRecoverySetting: &cognitoidp.AccountRecoverySettingType{RecoveryMechanisms: []cognitoidp.RecoveryOptionType{
			{Name: api.Ptr(cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber), Priority: api.Ptr(int32(2))},
			{Name: api.Ptr(cognitoidp.RecoveryOptionNameTypeVerifiedEmail), Priority: api.Ptr(int32(1))},
		}},
	})
	e.seed(t, pool, "jane", "CONFIRMED", map[string]string{"email": "jane@example.com", "email_verified": "true", "phone_number": "+15550001", "phone_number_verified": "true"})
	e.clk.Advance(time.Minute)
	if err := e.reset(pool, "jane"); err != nil {
		t.Fatal(err)
	}
	u := e.user(t, pool, "jane")
	if u.Status != "RESET_REQUIRED" || !u.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("status %s updated %v", u.Status, u.UpdatedAt)
	}
	msgs := e.outbox(t, pool)
	if len(msgs) != 1 {
		t.Fatalf("outbox %+v", msgs)
	}
	m := msgs[0]
	if m.Kind != "FORGOT_PASSWORD" || m.DeliveryMedium != "EMAIL" || m.Destination != "jane@example.com" ||
		m.Body != "Your password reset code is "+m.Code {
		t.Errorf("message %+v", m)
	}
	c := e.code(t, pool, "jane", message.PurposeForgotPassword)
	if c == nil || !message.CodeMatches(c.Hash, pool, "jane", message.PurposeForgotPassword, m.Code) || !c.ExpiresAt.Equal(t0.Add(time.Minute+time.Hour)) {
		t.Errorf("code %+v", c)
	}
	// Again: a new code replaces the old one.
	if err := e.reset(pool, "jane"); err != nil {
		t.Fatal(err)
	}
	msgs = e.outbox(t, pool)
	c = e.code(t, pool, "jane", message.PurposeForgotPassword)
	if len(msgs) != 2 || !message.CodeMatches(c.Hash, pool, "jane", c.Purpose, msgs[1].Code) {
		t.Errorf("second reset: %d messages", len(msgs))
	}

	// Only the phone verified: by SMS.
	e.seed(t, pool, "john", "CONFIRMED", map[string]string{"email": "john@example.com", "email_verified": "false", "phone_number": "+15550002", "phone_number_verified": "true"})
	if err := e.reset(pool, "john"); err != nil {
		t.Fatal(err)
	}
	if m := e.outbox(t, pool)[2]; m.DeliveryMedium != "SMS" || m.Destination != "+15550002" {
		t.Errorf("message %+v", m)
	}

	// Refusals change nothing and send nothing.
	e.seed(t, pool, "noverified", "CONFIRMED", map[string]string{"email": "n@example.com"})
	wantErr(t, e.reset(pool, "noverified"), "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	e.seed(t, pool, "invited", "FORCE_CHANGE_PASSWORD", map[string]string{"email": "i@example.com", "email_verified": "true"})
	wantErr(t, e.reset(pool, "invited"), "NotAuthorizedException", "User password cannot be reset in the current state.")
	e.seed(t, pool, "off", "CONFIRMED", map[string]string{"email": "o@example.com", "email_verified": "true"})
	if _, err := e.svc.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: &pool, Username: api.Ptr("off")}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, e.reset(pool, "off"), "NotAuthorizedException", "User is disabled.")
	for _, n := range []string{"noverified", "invited", "off"} {
		if u := e.user(t, pool, n); u.Status == "RESET_REQUIRED" {
			t.Errorf("%s reset after a refusal", n)
		}
	}
	if n := len(e.outbox(t, pool)); n != 3 {
		t.Errorf("outbox %d messages, want 3", n)
	}
	wantErr(t, e.reset(pool, "nobody"), "UserNotFoundException", "User does not exist.")
}

func TestAdminResetUserPasswordLegacyAndAdminOnly(t *testing.T) {
	e := newEnv(t)
	legacy := e.pool(t, nil) // no AccountRecoverySetting: SMS before email
	e.seed(t, legacy, "jane", "CONFIRMED", map[string]string{"email": "jane@example.com", "email_verified": "true", "phone_number": "+15550001", "phone_number_verified": "true"})
	if err := e.reset(legacy, "jane"); err != nil {
		t.Fatal(err)
	}
	if m := e.outbox(t, legacy); len(m) != 1 || m[0].DeliveryMedium != "SMS" {
		t.Errorf("legacy recovery: %+v", m)
	}

	adminOnly := e.pool(t, &cognitoidp.CreateUserPoolRequest{AccountRecoverySetting: &cognitoidp.AccountRecoverySettingType{
		RecoveryMechanisms: []cognitoidp.RecoveryOptionType{{Name: api.Ptr(cognitoidp.RecoveryOptionNameTypeAdminOnly), Priority: api.Ptr(int32(1))}},
	}})
	e.seed(t, adminOnly, "jane", "CONFIRMED", nil)
	if err := e.reset(adminOnly, "jane"); err != nil {
		t.Fatal(err)
	}
	if u := e.user(t, adminOnly, "jane"); u.Status != "RESET_REQUIRED" {
		t.Errorf("status %s", u.Status)
	}
	if m := e.outbox(t, adminOnly); len(m) != 0 {
		t.Errorf("admin-only recovery sent %+v", m)
	}
}
