package account

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

func getCode(e *env, tok, attr string) (*cognitoidp.CodeDeliveryDetailsType, error) {
	out, err := e.svc.GetUserAttributeVerificationCode(e.ctx, &cognitoidp.GetUserAttributeVerificationCodeRequest{AccessToken: &tok, AttributeName: &attr})
	if err != nil {
		return nil, err
	}
	return out.CodeDeliveryDetails, nil
}

func verify(e *env, tok, attr, code string) error {
	_, err := e.svc.VerifyUserAttribute(e.ctx, &cognitoidp.VerifyUserAttributeRequest{AccessToken: &tok, AttributeName: &attr, Code: &code})
	return err
}

func TestVerifyEmail(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Attributes["email_verified"] = "false" })
	d, err := getCode(e, s.access, "email")
	if err != nil {
		t.Fatal(err)
	}
	if *d.Destination != "j***@e***.com" || *d.DeliveryMedium != "EMAIL" || *d.AttributeName != "email" {
		t.Errorf("details %+v", d)
	}
	ms := e.outbox(t, s.pool)
	if len(ms) != 1 || ms[0].Kind != string(message.KindVerifyAttribute) || ms[0].Destination != "jane@example.com" || ms[0].Username != "jane" {
		t.Fatalf("outbox %+v", ms)
	}
	code := ms[0].Code
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr(t, verify(e, s.access, "email", wrong), "CodeMismatchException", "Invalid verification code provided, please try again.")
	if e.user(t, s.pool, s.user.Key).Attributes["email_verified"] != "false" {
		t.Error("verified by a wrong code")
	}
	e.clk.Advance(time.Minute)
	if err := verify(e, s.access, "email", code); err != nil {
		t.Fatal(err)
	}
	u := e.user(t, s.pool, s.user.Key)
	if u.Attributes["email_verified"] != "true" || u.Attributes["email"] != "jane@example.com" || !u.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("user %+v", u)
	}
	// A code works once.
	wantErr(t, verify(e, s.access, "email", code), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	// An already verified value can be verified again.
	if _, err := getCode(e, s.access, "email"); err != nil {
		t.Fatal(err)
	}
	if err := verify(e, s.access, "email", e.lastCode(t, s.pool)); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyPhone(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Attributes["phone_number"] = "+12065551234" })
	d, err := getCode(e, s.access, "phone_number")
	if err != nil {
		t.Fatal(err)
	}
	if *d.Destination != "+*******1234" || *d.DeliveryMedium != "SMS" || *d.AttributeName != "phone_number" {
		t.Errorf("details %+v", d)
	}
	if err := verify(e, s.access, "phone_number", e.lastCode(t, s.pool)); err != nil {
		t.Fatal(err)
	}
	if u := e.user(t, s.pool, s.user.Key); u.Attributes["phone_number_verified"] != "true" || u.Attributes["email_verified"] != "true" {
		t.Errorf("attributes %v", u.Attributes)
	}
}

func TestVerifyRefusals(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	_, err := getCode(e, s.access, "name")
	wantErr(t, err, "InvalidParameterException", "Invalid attribute name. Only phone_number and email can be verified.")
	wantErr(t, verify(e, s.access, "name", "123456"), "InvalidParameterException", "Invalid attribute name. Only phone_number and email can be verified.")
	_, err = getCode(e, s.access, "phone_number")
	wantErr(t, err, "InvalidParameterException", "User does not have a valid registered phone number")
	wantErr(t, verify(e, s.access, "phone_number", "123456"), "InvalidParameterException", "Unable to verify attribute: phone_number no value set to verify")
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { delete(u.Attributes, "email"); delete(u.Attributes, "email_verified") })
	_, err = getCode(e, s.access, "email")
	wantErr(t, err, "InvalidParameterException", "User does not have a valid registered email")
	wantErr(t, verify(e, s.access, "email", "123456"), "InvalidParameterException", "Unable to verify attribute: email no value set to verify")
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Attributes["email"] = "jane@example.com" })
	// No code was ever sent.
	wantErr(t, verify(e, s.access, "email", "123456"), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	_, err = e.svc.VerifyUserAttribute(e.ctx, &cognitoidp.VerifyUserAttributeRequest{AccessToken: &s.access, AttributeName: api.Ptr("email")})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null")
	_, err = getCode(e, "bad", "email")
	wantErr(t, err, "NotAuthorizedException", "Invalid Access Token")
	if ms := e.outbox(t, s.pool); len(ms) != 0 {
		t.Errorf("messages sent: %d", len(ms))
	}
}

// A code is good for 24 hours.
func TestVerifyExpiredCode(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	if _, err := getCode(e, s.access, "email"); err != nil {
		t.Fatal(err)
	}
	code := e.lastCode(t, s.pool)
	e.clk.Advance(24 * time.Hour)
	wantErr(t, verify(e, s.access, "email", code), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	// A new code replaces the old one.
	if _, err := getCode(e, s.access, "email"); err != nil {
		t.Fatal(err)
	}
	newCode := e.lastCode(t, s.pool)
	if newCode != code {
		wantErr(t, verify(e, s.access, "email", code), "CodeMismatchException", "")
	}
	if err := verify(e, s.access, "email", newCode); err != nil {
		t.Fatal(err)
	}
}

// A code sent to a value the user no longer has verifies nothing.
func TestVerifyChangedValue(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	if _, err := getCode(e, s.access, "email"); err != nil {
		t.Fatal(err)
	}
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) {
		u.Attributes["email"] = "other@example.com"
		u.Attributes["email_verified"] = "false"
	})
	wantErr(t, verify(e, s.access, "email", e.lastCode(t, s.pool)), "ExpiredCodeException", "")
	if e.user(t, s.pool, s.user.Key).Attributes["email_verified"] != "false" {
		t.Error("verified a value the code was not sent to")
	}
}

// With AttributesRequireVerificationBeforeUpdate a new value waits; the
// code goes to it, and verifying makes it the attribute's value and claims
// its alias.
func TestVerifyPendingValue(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		AliasAttributes:        []cognitoidp.AliasAttributeType{"email"},
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{"email"},
		UserAttributeUpdateSettings: &cognitoidp.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []cognitoidp.VerifiedAttributeType{"email"},
		},
	})
	cl := e.client(t, pool, nil)
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "email_verified": "true"})
	e.setUser(t, pool, u.Key, func(u *storage.User) {
		if err := users.SetPendingAttributes(u, map[string]string{"email": "new@example.com"}); err != nil {
			t.Fatal(err)
		}
	})
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	d, err := getCode(e, tok, "email")
	if err != nil {
		t.Fatal(err)
	}
	if *d.Destination != "n***@e***.com" {
		t.Errorf("sent to %s, want the pending value", *d.Destination)
	}
	if err := verify(e, tok, "email", e.lastCode(t, pool)); err != nil {
		t.Fatal(err)
	}
	got := e.user(t, pool, u.Key)
	if got.Attributes["email"] != "new@example.com" || got.Attributes["email_verified"] != "true" {
		t.Errorf("attributes %v", got.Attributes)
	}
	if p, _ := users.PendingAttributes(got); len(p) != 0 {
		t.Errorf("pending %v", p)
	}
	if holder, err := e.store.GetUserByAlias(e.ctx, pool, storage.Alias{Kind: "email", Value: "new@example.com"}); err != nil || holder.Key != u.Key {
		t.Errorf("alias new@example.com: %v, %v", holder, err)
	}
	if _, err := e.store.GetUserByAlias(e.ctx, pool, storage.Alias{Kind: "email", Value: "jane@example.com"}); err == nil {
		t.Error("old alias still claimed")
	}
}

// The code UpdateUserAttributes sends (kind UPDATE_ATTRIBUTE, the same
// purpose, the new value as data) is verified the same way.
func TestVerifyUpdateAttributeCode(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) {
		u.Attributes["email"] = "new@example.com"
		u.Attributes["email_verified"] = "false"
	})
	purpose := message.PurposeVerifyAttribute("email")
	if err := e.store.PutCode(e.ctx, &storage.Code{
		PoolID: s.pool, UserKey: s.user.Key, Purpose: purpose,
		Hash: message.HashCode(s.pool, s.user.Key, purpose, "424242"), Data: []byte("new@example.com"),
		CreatedAt: e.clk.Now(), ExpiresAt: e.clk.Now().Add(message.CodeTTL(message.KindUpdateAttribute)),
	}); err != nil {
		t.Fatal(err)
	}
	if err := verify(e, s.access, "email", "424242"); err != nil {
		t.Fatal(err)
	}
	if e.user(t, s.pool, s.user.Key).Attributes["email_verified"] != "true" {
		t.Error("not verified")
	}
}

// Verifying an alias another user holds verified is AliasExistsException and
// changes nothing.
func TestVerifyAliasTaken(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{AliasAttributes: []cognitoidp.AliasAttributeType{"email"}})
	cl := e.client(t, pool, nil)
	e.seed(t, pool, "john", map[string]string{"email": "shared@example.com", "email_verified": "true"})
	u := e.seed(t, pool, "jane", map[string]string{"email": "shared@example.com"})
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	if _, err := getCode(e, tok, "email"); err != nil {
		t.Fatal(err)
	}
	code := e.lastCode(t, pool)
	wantErr(t, verify(e, tok, "email", code), "AliasExistsException", "An account with the email already exists.")
	if got := e.user(t, pool, u.Key); got.Attributes["email_verified"] == "true" || len(got.Aliases) != 0 {
		t.Errorf("user changed: %+v", got)
	}
	// The code is still good once the alias is free.
	if err := e.store.DeleteUser(e.ctx, pool, "john"); err != nil {
		t.Fatal(err)
	}
	if err := verify(e, tok, "email", code); err != nil {
		t.Fatal(err)
	}
	if got := e.user(t, pool, u.Key); len(got.Aliases) != 1 {
		t.Errorf("aliases %v", got.Aliases)
	}
}

// GetUserAttributeVerificationCode allows 5 calls per user and hour,
// VerifyUserAttribute 15.
func TestVerifyLimits(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.clk.Set(t0.Truncate(time.Hour))
	for range LimitGetUserAttributeVerificationCode {
		if _, err := getCode(e, s.access, "email"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := getCode(e, s.access, "email")
	wantErr(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	if n := len(e.outbox(t, s.pool)); n != LimitGetUserAttributeVerificationCode {
		t.Errorf("%d messages", n)
	}
	for range LimitVerifyUserAttribute {
		wantErr(t, verify(e, s.access, "email", "999999x"), "CodeMismatchException", "")
	}
	wantErr(t, verify(e, s.access, "email", e.lastCode(t, s.pool)), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	e.clk.Advance(time.Hour)
	if err := verify(e, s.access, "email", e.lastCode(t, s.pool)); err != nil {
		t.Fatal(err)
	}
}
