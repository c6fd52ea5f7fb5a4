package signup

import (
	"context"
	"errors"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// sessionCall is one call of the SignInSession hook.
type sessionCall struct{ poolID, clientID, username, factor string }

func TestSignInSessionAfterConfirmation(t *testing.T) {
	var calls []sessionCall
	fail := false
	e := newEnv(t, func(c *Config) {
		c.SignInSession = func(_ context.Context, poolID, clientID, username, factor string) (string, error) {
			calls = append(calls, sessionCall{poolID, clientID, username, factor})
			if fail {
				return "", errors.New("sealing failed")
			}
			return "session-for-" + username, nil
		}
	})
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail, cognitoidp.VerifiedAttributeTypePhoneNumber}
	})
	id := e.clientID(poolID)

	// An unconfirmed user gets no session at SignUp.
	if out := e.signUp(id, "jane", "email", "jane@example.com"); out.Session != nil || len(calls) != 0 {
		t.Fatalf("SignUp session %v, hook calls %v", out.Session, calls)
	}
	out, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "jane", e.lastCode(poolID)))
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.Session) != "session-for-jane" || len(calls) != 1 || calls[0] != (sessionCall{poolID, id, "jane", "EMAIL_OTP"}) {
		t.Errorf("session %q, calls %v", api.Deref(out.Session), calls)
	}

	// A code that went by SMS makes SMS_OTP the first factor.
	e.signUp(id, "paul", "phone_number", "+15550001111")
	if _, err := e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "paul", e.lastCode(poolID))); err != nil {
		t.Fatal(err)
	}
	if calls[len(calls)-1].factor != "SMS_OTP" {
		t.Errorf("calls %v", calls)
	}

	// The hook failing costs only the session.
	fail = true
	e.signUp(id, "zoe", "email", "zoe@example.com")
	out, err = e.svc.ConfirmSignUp(e.ctx, confirmReq(id, "zoe", e.lastCode(poolID)))
	if err != nil || out.Session != nil {
		t.Errorf("ConfirmSignUp with a failing hook: %v, %v", out, err)
	}
	if u := e.user(poolID, "zoe"); u.Status != "CONFIRMED" {
		t.Errorf("zoe is %s", u.Status)
	}
}

func TestSignInSessionAtSignUp(t *testing.T) {
	var calls []sessionCall
	e := newEnv(t, func(c *Config) {
		c.SignInSession = func(_ context.Context, poolID, clientID, username, factor string) (string, error) {
			calls = append(calls, sessionCall{poolID, clientID, username, factor})
			return "s", nil
		}
		c.Hooks.PreSignUp = func(context.Context, *PreSignUpInput) (*PreSignUpOutput, error) {
			return &PreSignUpOutput{AutoConfirmUser: true}, nil
		}
	})
	poolID := e.emailPool()
	id := e.clientID(poolID)
	out := e.signUp(id, "jane", "email", "jane@example.com")
	if !out.UserConfirmed || api.Deref(out.Session) != "s" || len(calls) != 1 || calls[0] != (sessionCall{poolID, id, "jane", "PASSWORD"}) {
		t.Errorf("SignUp = %+v, calls %v", out, calls)
	}
}
