package signup

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

func confirmReq(clientID, username, code string) *cognitoidp.ConfirmSignUpRequest {
	return &cognitoidp.ConfirmSignUpRequest{ClientId: api.Ptr(clientID), Username: api.Ptr(username), ConfirmationCode: api.Ptr(code)}
}

// wrongCode is a code that differs from code.
func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestConfirmSignUp(t *testing.T) {
	var hook *PostConfirmationInput
	e := newEnv(t, func(c *Config) {
		c.Hooks.PostConfirmation = func(_ context.Context, in *PostConfirmationInput) error { hook = in; return nil }
	})
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	code := e.lastCode(poolID)

	e.clock.Advance(time.Hour)
	req := confirmReq(id, "jane", code)
	req.ClientMetadata = map[string]string{"k": "v"}
	if _, err := e.svc.ConfirmSignUp(e.ctx, req); err != nil {
		t.Fatal(err)
	}
	u := e.user(poolID, "jane")
	if u.Status != "CONFIRMED" || u.Attributes["email_verified"] != "true" || !u.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("user = %+v", u)
	}
	if _, err := e.store.GetCode(e.ctx, poolID, "jane", message.PurposeSignUp); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("the code is still stored: %v", err)
	}
	if hook == nil || hook.TriggerSource != "PostConfirmation_ConfirmSignUp" || hook.Username != "jane" || hook.ClientID != id ||
		hook.UserAttributes["cognito:user_status"] != "CONFIRMED" || hook.UserAttributes["sub"] != u.Sub || hook.ClientMetadata["k"] != "v" {
		t.Errorf("post confirmation input = %+v", hook)
	}

	_, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", code))
	wantErr(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	e.noSecretsLogged(code)
}

func TestConfirmSignUpCodeErrors(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	code := e.lastCode(poolID)

	_, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", wrongCode(code)))
	wantErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	stored, err := e.store.GetCode(e.ctx, poolID, "jane", message.PurposeSignUp)
	if err != nil || stored.Attempts != 1 {
		t.Errorf("code after a wrong attempt = %+v, %v", stored, err)
	}
	if u := e.user(poolID, "jane"); u.Status != "UNCONFIRMED" {
		t.Errorf("status = %s after a wrong code", u.Status)
	}

	e.clock.Advance(message.SignUpCodeTTL)
	_, err = e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", code))
	wantErr(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")

	// A pool that sends no code has none to check.
	quiet := e.pool(nil)
	qid := e.clientID(quiet)
	e.signUp(qid, "john")
	_, err = e.svc.ConfirmSignUp(e.ctx, confirmReq(qid, "john", "123456"))
	wantErr(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
}

func TestConfirmSignUpUnknownUser(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	legacy := e.clientID(poolID)
	enabled := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.PreventUserExistenceErrors = api.Ptr(cognitoidp.PreventUserExistenceErrorTypesEnabled)
	})
	_, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(legacy, "ghost", "123456"))
	wantErr(t, err, "UserNotFoundException", "Username/client id combination not found.")
	_, err = e.svc.ConfirmSignUp(e.ctx, confirmReq(*enabled.ClientId, "ghost", "123456"))
	wantErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
}

func TestConfirmSignUpHourlyLimit(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	code := e.lastCode(poolID)
	for i := 0; i < LimitConfirmSignUp; i++ {
		_, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", wrongCode(code)))
		wantErr(t, err, "CodeMismatchException", "")
	}
	_, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", code))
	wantErr(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	if u := e.user(poolID, "jane"); u.Status != "UNCONFIRMED" {
		t.Fatal("a call over the limit confirmed the user")
	}
	e.clock.Advance(time.Hour)
	if _, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", code)); err != nil {
		t.Fatalf("next hour: %v", err)
	}
}

func TestConfirmSignUpVerifiesThePhone(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail, cognitoidp.VerifiedAttributeTypePhoneNumber}
	})
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com", "phone_number", "+12065551234")
	e.confirm(id, poolID, "jane")
	u := e.user(poolID, "jane")
	if u.Attributes["phone_number_verified"] != "true" || u.Attributes["email_verified"] == "true" {
		t.Errorf("attributes = %v", u.Attributes)
	}
}

func TestConfirmSignUpChangedAttributeStaysUnverified(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	code := e.lastCode(poolID)
	if _, err := e.store.UpdateUser(e.ctx, poolID, "jane", func(u *storage.User) error { u.Attributes["email"] = "new@example.com"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", code)); err != nil {
		t.Fatal(err)
	}
	if u := e.user(poolID, "jane"); u.Status != "CONFIRMED" || u.Attributes["email_verified"] == "true" {
		t.Errorf("user = %+v", u)
	}
}

func TestConfirmSignUpWithEmailUsername(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.UsernameAttributes = []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail}
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
	})
	id := e.clientID(poolID)
	out := e.signUp(id, "jane@example.com")
	e.confirm(id, poolID, "jane@example.com")
	if u := e.user(poolID, *out.UserSub); u.Status != "CONFIRMED" || u.Attributes["email_verified"] != "true" {
		t.Errorf("user = %+v", u)
	}
}

func TestConfirmSignUpAliasClaim(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AliasAttributes = []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail}
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
	})
	id := e.clientID(poolID)
	e.signUp(id, "first", "email", "Shared@example.com")
	e.confirm(id, poolID, "first")
	if holder, err := e.store.GetUserByAlias(e.ctx, poolID, storage.Alias{Kind: "email", Value: "shared@example.com"}); err != nil || holder.Key != "first" {
		t.Fatalf("alias holder = %v, %v", holder, err)
	}

	e.signUp(id, "second", "email", "shared@example.com")
	code := e.lastCode(poolID)
	_, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "second", code))
	wantErr(t, err, "AliasExistsException", "An account with the email already exists.")
	if u := e.user(poolID, "second"); u.Status != "UNCONFIRMED" {
		t.Fatalf("status = %s after an alias clash", u.Status)
	}

	// The same code still works with ForceAliasCreation, and the alias moves.
	req := confirmReq(id, "second", code)
	req.ForceAliasCreation = true
	if _, err := e.svc.ConfirmSignUp(e.ctx, req); err != nil {
		t.Fatal(err)
	}
	second, first := e.user(poolID, "second"), e.user(poolID, "first")
	if second.Status != "CONFIRMED" || second.Attributes["email_verified"] != "true" {
		t.Errorf("second = %+v", second)
	}
	if first.Attributes["email_verified"] != "false" || first.Attributes["email"] != "Shared@example.com" || len(first.Aliases) != 0 {
		t.Errorf("first = %+v", first)
	}
	if holder, err := e.store.GetUserByAlias(e.ctx, poolID, storage.Alias{Kind: "email", Value: "shared@example.com"}); err != nil || holder.Key != "second" {
		t.Errorf("alias holder = %v, %v", holder, err)
	}
}

func TestConfirmSignUpThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	out, err := e.call("ConfirmSignUp", `{"ClientId":"`+id+`","Username":"jane","ConfirmationCode":"`+e.lastCode(poolID)+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := toJSON(t, out); got != `{}` {
		t.Errorf("response = %s, want {}", got)
	}
	_, err = e.call("ConfirmSignUp", `{"ClientId":"`+id+`","Username":"jane"}`)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'confirmationCode' failed to satisfy constraint: Member must not be null")
}
