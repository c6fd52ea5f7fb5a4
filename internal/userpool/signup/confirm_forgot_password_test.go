package signup

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

const newPassword = "N3w-Passw0rd"

func confirmForgotReq(clientID, username, code, pw string) *cognitoidp.ConfirmForgotPasswordRequest {
	return &cognitoidp.ConfirmForgotPasswordRequest{ClientId: api.Ptr(clientID), Username: api.Ptr(username), ConfirmationCode: api.Ptr(code), Password: api.Ptr(pw)}
}

// resetReady signs up and confirms jane (verified email) and asks for a
// password reset; it returns the client id and the reset code.
func (e *env) resetReady(poolID string) (string, string) {
	e.t.Helper()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	e.confirm(id, poolID, "jane")
	if _, err := e.svc.ForgotPassword(e.ctx, forgotReq(id, "jane")); err != nil {
		e.t.Fatal(err)
	}
	return id, e.lastCode(poolID)
}

func TestConfirmForgotPassword(t *testing.T) {
	var hook *PostConfirmationInput
	e := newEnv(t, func(c *Config) {
		c.Hooks.PostConfirmation = func(_ context.Context, in *PostConfirmationInput) error { hook = in; return nil }
	})
	poolID := e.emailPool()
	id, code := e.resetReady(poolID)
	before := e.user(poolID, "jane")
	e.setUser(poolID, "jane", func(u *storage.User) { u.Status = "RESET_REQUIRED" })

	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword)); err != nil {
		t.Fatal(err)
	}
	u := e.user(poolID, "jane")
	if u.Status != "CONFIRMED" || bytes.Equal(u.Password, before.Password) {
		t.Errorf("user = %+v", u)
	}
	creds, err := password.Decode(u.Password)
	if err != nil || !creds.Matches(poolID, "jane", newPassword) || creds.Matches(poolID, "jane", goodPassword) {
		t.Errorf("credentials = %v, %v", creds, err)
	}
	if hook == nil || hook.TriggerSource != "PostConfirmation_ConfirmForgotPassword" || hook.Username != "jane" {
		t.Errorf("post confirmation input = %+v", hook)
	}
	// A code works once.
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, "An0ther-Passw0rd"))
	wantErr(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
	if _, err := e.store.GetCode(e.ctx, poolID, "jane", message.PurposeForgotPassword); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("the code is still stored: %v", err)
	}
	e.noSecretsLogged(code, newPassword)
}

func TestConfirmForgotPasswordFromForceChangePassword(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id, code := e.resetReady(poolID)
	e.setUser(poolID, "jane", func(u *storage.User) { u.Status = "FORCE_CHANGE_PASSWORD" })
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword)); err != nil {
		t.Fatal(err)
	}
	if u := e.user(poolID, "jane"); u.Status != "CONFIRMED" {
		t.Errorf("status = %s", u.Status)
	}
}

func TestConfirmForgotPasswordCodeErrors(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id, code := e.resetReady(poolID)
	before := e.user(poolID, "jane")

	_, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", wrongCode(code), newPassword))
	wantErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, "short"))
	wantErr(t, err, "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	if u := e.user(poolID, "jane"); !bytes.Equal(u.Password, before.Password) {
		t.Error("a refused reset changed the password")
	}

	e.clock.Advance(message.ForgotPasswordCodeTTL)
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword))
	wantErr(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")

	// No code ever asked for.
	e.signUp(id, "john", "email", "john@example.com")
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "john", "123456", newPassword))
	wantErr(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
}

func TestConfirmForgotPasswordInvalidPasswordKeepsTheCode(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id, code := e.resetReady(poolID)
	_, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, "short"))
	wantErr(t, err, "InvalidPasswordException", "")
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword)); err != nil {
		t.Fatalf("the code after a refused password: %v", err)
	}
}

func TestConfirmForgotPasswordUnknownAndDisabled(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	legacy, code := e.resetReady(poolID)
	enabled := e.enabledClient(poolID)

	_, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(legacy, "ghost", code, newPassword))
	wantErr(t, err, "UserNotFoundException", "Username/client id combination not found.")
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(enabled, "ghost", code, newPassword))
	wantErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")

	e.setUser(poolID, "jane", func(u *storage.User) { u.Enabled = false })
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(legacy, "jane", code, newPassword))
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(enabled, "jane", code, newPassword))
	wantErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
}

func TestConfirmForgotPasswordHourlyLimit(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id, code := e.resetReady(poolID)
	for i := 0; i < LimitConfirmForgotPassword; i++ {
		_, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", wrongCode(code), newPassword))
		wantErr(t, err, "CodeMismatchException", "")
	}
	_, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword))
	wantErr(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
}

func TestConfirmForgotPasswordThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id, code := e.resetReady(poolID)
	out, err := e.call("ConfirmForgotPassword", `{"ClientId":"`+id+`","Username":"jane","ConfirmationCode":"`+code+`","Password":"`+newPassword+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := toJSON(t, out); got != `{}` {
		t.Errorf("response = %s, want {}", got)
	}
	_, err = e.call("ConfirmForgotPassword", `{"ClientId":"`+id+`","Username":"jane","ConfirmationCode":"`+code+`"}`)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null")
}

func TestConfirmForgotPasswordCodeWorksOnceUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id, code := e.resetReady(poolID)
	const n = 8
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword))
			errs <- err
		}()
	}
	ok := 0
	for i := 0; i < n; i++ {
		if err := <-errs; err == nil {
			ok++
		} else {
			wantErr(t, err, "ExpiredCodeException", "")
		}
	}
	if ok != 1 {
		t.Fatalf("%d resets succeeded with one code, want 1", ok)
	}
}

func TestConfirmForgotPasswordHistory(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
		in.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypePlus)
		in.Policies = &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{
			MinimumLength: api.Ptr(int32(8)), RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
			PasswordHistorySize: api.Ptr(int32(2)),
		}}
	})
	id, code := e.resetReady(poolID)
	_, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, goodPassword))
	wantErr(t, err, "PasswordHistoryPolicyViolationException", "The password has been used recently. Choose a different password.")
	// The refused reuse left the code usable.
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword)); err != nil {
		t.Fatal(err)
	}
	// One step later the first password is still within the history of 2.
	if _, err := e.svc.ForgotPassword(e.ctx, forgotReq(id, "jane")); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", e.lastCode(poolID), goodPassword))
	wantErr(t, err, "PasswordHistoryPolicyViolationException", "")
}

func TestConfirmForgotPasswordForPasswordlessUser(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	e.confirm(id, poolID, "jane")
	e.setUser(poolID, "jane", func(u *storage.User) { u.Password = nil })
	if _, err := e.svc.ForgotPassword(e.ctx, forgotReq(id, "jane")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", e.lastCode(poolID), newPassword)); err != nil {
		t.Fatal(err)
	}
	creds, err := password.Decode(e.user(poolID, "jane").Password)
	if err != nil || !creds.Matches(poolID, "jane", newPassword) {
		t.Errorf("credentials = %v, %v", creds, err)
	}
}
