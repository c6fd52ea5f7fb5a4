package signup

import (
	"context"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// breached refuses one password as compromised, recording the events it
// was asked about.
type breached struct{ events []cognitoidp.EventFilterType }

func (b *breached) check(_ context.Context, _ *cognitoidp.UserPoolType, _ string, event cognitoidp.EventFilterType, pw string) error {
	b.events = append(b.events, event)
	if pw == "Breached-Passw0rd" {
		return cognitoidp.NewInvalidPasswordException("Password has been found in a data breach. Choose a different password.")
	}
	return nil
}

func TestCompromisedPasswordsRefused(t *testing.T) {
	b := &breached{}
	e := newEnv(t, func(c *Config) { c.CheckPassword = b.check })
	poolID := e.emailPool()
	id := e.clientID(poolID)
	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{
		ClientId: api.Ptr(id), Username: api.Ptr("bob"), Password: api.Ptr("Breached-Passw0rd"),
		UserAttributes: attrList("email", "bob@example.com"),
	})
	wantErr(t, err, "InvalidPasswordException", "Password has been found in a data breach. Choose a different password.")
	if _, err := e.store.GetUser(e.ctx, poolID, "bob"); err == nil {
		t.Error("a refused sign-up created the user")
	}
	id, code := e.resetReady(poolID)
	_, err = e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, "Breached-Passw0rd"))
	wantErr(t, err, "InvalidPasswordException", "")
	// The code still works with another password.
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "jane", code, newPassword)); err != nil {
		t.Fatal(err)
	}
	want := []cognitoidp.EventFilterType{"SIGN_UP", "SIGN_UP", "PASSWORD_CHANGE", "PASSWORD_CHANGE"}
	if len(b.events) != len(want) {
		t.Fatalf("events = %v, want %v", b.events, want)
	}
	for i := range want {
		if b.events[i] != want[i] {
			t.Errorf("events = %v, want %v", b.events, want)
		}
	}
}

func TestForgotPasswordMigratesUnknownUsers(t *testing.T) {
	var asked []string
	var e *env
	e = newEnv(t, func(c *Config) {
		c.MigrateUser = func(ctx context.Context, poolID, clientID, name string, meta map[string]string) (*storage.User, error) {
			asked = append(asked, name+"/"+meta["m"])
			if name != "legacy" {
				return nil, nil
			}
			u := &storage.User{
				PoolID: poolID, Key: "legacy", Username: "legacy", Sub: "0b6f3c1e-2222-4333-8444-555566667777",
				Status: "RESET_REQUIRED", Enabled: true,
				Attributes: map[string]string{"email": "legacy@example.com", "email_verified": "true"},
				Aliases:    []storage.Alias{},
			}
			return u, e.store.CreateUser(ctx, u)
		}
	})
	poolID := e.emailPool()
	id := e.clientID(poolID)
	out, err := e.svc.ForgotPassword(e.ctx, &cognitoidp.ForgotPasswordRequest{
		ClientId: api.Ptr(id), Username: api.Ptr("legacy"), ClientMetadata: map[string]string{"m": "1"},
	})
	if err != nil || out.CodeDeliveryDetails == nil || api.Deref(out.CodeDeliveryDetails.DeliveryMedium) != cognitoidp.DeliveryMediumTypeEmail {
		t.Fatalf("ForgotPassword = %+v, %v", out, err)
	}
	code := e.lastCode(poolID)
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, confirmForgotReq(id, "legacy", code, newPassword)); err != nil {
		t.Fatal(err)
	}
	if u := e.user(poolID, "legacy"); u.Status != "CONFIRMED" {
		t.Errorf("status = %s", u.Status)
	}
	_, err = e.svc.ForgotPassword(e.ctx, forgotReq(id, "nobody"))
	wantErr(t, err, "UserNotFoundException", "")
	if len(asked) != 2 || asked[0] != "legacy/1" || asked[1] != "nobody/" {
		t.Errorf("migration asked for %v", asked)
	}
}
