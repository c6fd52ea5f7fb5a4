package users

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

func (e *env) setPassword(poolID, name, pw string, permanent bool) error {
	_, err := e.svc.AdminSetUserPassword(e.ctx, &cognitoidp.AdminSetUserPasswordRequest{UserPoolId: &poolID, Username: api.Ptr(name), Password: api.Ptr(pw), Permanent: permanent})
	return err
}

// creds decodes a stored user's credentials.
func creds(t *testing.T, u *storage.User) *password.Credentials {
	t.Helper()
	c, err := password.Decode(u.Password)
	if err != nil {
		t.Fatalf("credentials of %s: %v", u.Username, err)
	}
	return c
}

func TestAdminSetUserPassword(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{Policies: &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{
		MinimumLength: api.Ptr(int32(8)), RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
		TemporaryPasswordValidityDays: 2, PasswordHistorySize: api.Ptr(int32(3)),
	}}})
	e.seed(t, pool, "jane", "UNCONFIRMED", nil) // no credentials yet

	// Permanent: confirmed, no expiry.
	if err := e.setPassword(pool, "jane", "First-Passw0rd", true); err != nil {
		t.Fatal(err)
	}
	u := e.user(t, pool, "jane")
	c := creds(t, u)
	if u.Status != "CONFIRMED" || c.Temporary() || !c.Matches(pool, "jane", "First-Passw0rd") {
		t.Errorf("status %s temporary %v", u.Status, c.Temporary())
	}
	if _, ok := c.ExpiresAt(); ok {
		t.Error("a permanent password expires")
	}

	// Temporary: FORCE_CHANGE_PASSWORD, expiring after the pool's validity.
	e.clk.Advance(time.Hour)
	if err := e.setPassword(pool, "jane", "Second-Passw0rd", false); err != nil {
		t.Fatal(err)
	}
	u = e.user(t, pool, "jane")
	c = creds(t, u)
	exp, ok := c.ExpiresAt()
	if u.Status != "FORCE_CHANGE_PASSWORD" || !c.Temporary() || !ok || !exp.Equal(t0.Add(time.Hour+48*time.Hour)) ||
		!c.Matches(pool, "jane", "Second-Passw0rd") || !u.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("status %s temporary %v expires %v", u.Status, c.Temporary(), exp)
	}

	// History of 3: the current and the two before are refused.
	if err := e.setPassword(pool, "jane", "Third-Passw0rd", true); err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{"First-Passw0rd", "Second-Passw0rd", "Third-Passw0rd"} {
		err := e.setPassword(pool, "jane", pw, true)
		wantErr(t, err, "PasswordHistoryPolicyViolationException", "")
	}
	if err := e.setPassword(pool, "jane", "Fourth-Passw0rd", true); err != nil {
		t.Fatal(err)
	}
	if err := e.setPassword(pool, "jane", "First-Passw0rd", true); err != nil {
		t.Errorf("the fourth-newest password refused: %v", err)
	}

	before := e.user(t, pool, "jane")
	for pw, msg := range map[string]string{
		"Sh0rt!":       "Password does not conform to policy: Password not long enough",
		"NOLOWER-123":  "Password does not conform to policy: Password must have lowercase characters",
		"noupper-123":  "Password does not conform to policy: Password must have uppercase characters",
		"NoNumbers-ab": "Password does not conform to policy: Password must have numeric characters",
		"NoSymbols123": "Password does not conform to policy: Password must have symbol characters",
	} {
		wantErr(t, e.setPassword(pool, "jane", pw, true), "InvalidPasswordException", msg)
	}
	wantErr(t, e.setPassword(pool, "jane", " Lead-Passw0rd", true), "InvalidParameterException", "")
	if u := e.user(t, pool, "jane"); u.Version != before.Version {
		t.Error("a refused password changed the user")
	}
	wantErr(t, e.setPassword(pool, "nobody", "Fine-Passw0rd", true), "UserNotFoundException", "User does not exist.")
}

func TestInvitationPasswordIsTheCredential(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	if _, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"),
		UserAttributes: attrList("email", "jane@example.com"), DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"}}); err != nil {
		t.Fatal(err)
	}
	m := e.outbox(t, pool)[0]
	c := creds(t, e.user(t, pool, "jane"))
	exp, _ := c.ExpiresAt()
	if !c.Matches(pool, "jane", m.Code) || !c.Temporary() || !exp.Equal(t0.Add(7*24*time.Hour)) {
		t.Errorf("generated password %q does not match the credentials (expires %v)", m.Code, exp)
	}
	if password.Violation(password.DefaultPolicy(), m.Code) != "" {
		t.Errorf("generated password %q breaks the policy", m.Code)
	}
	_, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("weak"), TemporaryPassword: api.Ptr("weakpassword")})
	wantErr(t, err, "InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters")
}
