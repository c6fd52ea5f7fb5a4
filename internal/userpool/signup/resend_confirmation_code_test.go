package signup

import (
	"errors"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

func resendReq(clientID, username string) *cognitoidp.ResendConfirmationCodeRequest {
	return &cognitoidp.ResendConfirmationCodeRequest{ClientId: api.Ptr(clientID), Username: api.Ptr(username)}
}

func TestResendConfirmationCode(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	old := e.lastCode(poolID)

	e.clock.Advance(23 * time.Hour)
	out, err := e.svc.ResendConfirmationCode(e.ctx, resendReq(id, "jane"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := toJSON(t, out), `{"CodeDeliveryDetails":{"Destination":"j***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}`; got != want {
		t.Errorf("response = %s, want %s", got, want)
	}
	ms := e.messages(poolID)
	if len(ms) != 2 || ms[1].Kind != string(message.KindResendCode) || ms[1].Destination != "jane@example.com" {
		t.Fatalf("outbox = %+v", ms)
	}
	fresh := ms[1].Code
	if fresh != old { // a one-in-a-million collision would make this check vacuous
		_, err = e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", old))
		wantErr(t, err, "CodeMismatchException", "")
	}
	// The new code lives 24 hours from now, past the old code's end.
	e.clock.Advance(2 * time.Hour)
	if _, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", fresh)); err != nil {
		t.Fatal(err)
	}

	_, err = e.svc.ResendConfirmationCode(e.ctx, resendReq(id, "jane"))
	wantErr(t, err, "InvalidParameterException", "User is already confirmed.")
}

func TestResendConfirmationCodeHourlyLimit(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	for i := 0; i < LimitResendConfirmationCode; i++ {
		if _, err := e.svc.ResendConfirmationCode(e.ctx, resendReq(id, "jane")); err != nil {
			t.Fatalf("resend %d: %v", i+1, err)
		}
	}
	sent := len(e.messages(poolID))
	_, err := e.svc.ResendConfirmationCode(e.ctx, resendReq(id, "jane"))
	wantErr(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	if len(e.messages(poolID)) != sent {
		t.Error("a resend over the limit sent a message")
	}
	// The counter is the store's: another service on the same store agrees.
	other := New(Config{Store: e.store, Clients: e.clients, Sender: e.svc.sender, Clock: e.clock})
	_, err = other.ResendConfirmationCode(e.ctx, resendReq(id, "jane"))
	wantErr(t, err, "LimitExceededException", "")

	e.clock.Advance(time.Hour)
	if _, err := e.svc.ResendConfirmationCode(e.ctx, resendReq(id, "jane")); err != nil {
		t.Fatalf("next hour: %v", err)
	}
	// Counters expire and are collected with the codes.
	first := limitPurpose(limitOpResendCode, t0)
	if c, err := e.store.GetCode(e.ctx, poolID, "jane", first); err != nil || c.Attempts != LimitResendConfirmationCode+2 {
		t.Fatalf("counter = %+v, %v", c, err)
	}
	e.clock.Advance(time.Hour + time.Second)
	if _, err := e.store.DeleteExpiredCodes(e.ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.GetCode(e.ctx, poolID, "jane", first); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an old counter survived the clean-up: %v", err)
	}
}

func TestResendConfirmationCodeErrors(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	legacy := e.clientID(poolID)
	enabled := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.PreventUserExistenceErrors = api.Ptr(cognitoidp.PreventUserExistenceErrorTypesEnabled)
	}).ClientId

	_, err := e.svc.ResendConfirmationCode(e.ctx, resendReq(legacy, "ghost"))
	wantErr(t, err, "UserNotFoundException", "Username/client id combination not found.")
	out, err := e.svc.ResendConfirmationCode(e.ctx, resendReq(enabled, "ghost@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := toJSON(t, out), `{"CodeDeliveryDetails":{"Destination":"g***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}`; got != want {
		t.Errorf("simulated response = %s, want %s", got, want)
	}
	again, _ := e.svc.ResendConfirmationCode(e.ctx, resendReq(enabled, "ghost"))
	if again.CodeDeliveryDetails == nil || api.Deref(again.CodeDeliveryDetails.AttributeName) != "email" {
		t.Errorf("simulated response for a plain username = %s", toJSON(t, again))
	}
	if third, _ := e.svc.ResendConfirmationCode(e.ctx, resendReq(enabled, "ghost")); toJSON(t, third) != toJSON(t, again) {
		t.Error("simulated responses for the same name differ")
	}

	// A disabled user.
	e.signUp(legacy, "jane", "email", "jane@example.com")
	if _, err := e.store.UpdateUser(e.ctx, poolID, "jane", func(u *storage.User) error { u.Enabled = false; return nil }); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ResendConfirmationCode(e.ctx, resendReq(legacy, "jane"))
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	sent := len(e.messages(poolID))
	if _, err := e.svc.ResendConfirmationCode(e.ctx, resendReq(enabled, "jane")); err != nil {
		t.Errorf("ENABLED, disabled user: %v", err)
	}
	if len(e.messages(poolID)) != sent {
		t.Error("a disabled user got a code")
	}

	// A pool that auto-verifies nothing cannot resend.
	quiet := e.pool(nil)
	qid := e.clientID(quiet)
	e.signUp(qid, "john", "email", "john@example.com")
	_, err = e.svc.ResendConfirmationCode(e.ctx, resendReq(qid, "john"))
	wantErr(t, err, "NotAuthorizedException", "Cannot resend codes. Auto verification not turned on.")

	// Nor to a user without the attribute.
	e.signUp(legacy, "nomail")
	_, err = e.svc.ResendConfirmationCode(e.ctx, resendReq(legacy, "nomail"))
	wantErr(t, err, "NotAuthorizedException", "Cannot resend codes. Auto verification not turned on.")
}

func TestResendConfirmationCodeThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	out, err := e.call("ResendConfirmationCode", `{"ClientId":"`+id+`","Username":"jane"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := toJSON(t, out); got != `{"CodeDeliveryDetails":{"Destination":"j***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}` {
		t.Errorf("response = %s", got)
	}
}
