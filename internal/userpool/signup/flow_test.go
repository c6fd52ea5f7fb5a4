package signup

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

// TestFlow runs sign-up, confirmation and a password reset end to end on
// both databases.
func TestFlow(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { runFlow(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { runFlow(t, newEnvOn(t, sqlstoretest.NewPostgres(t))) })
}

func runFlow(t *testing.T, e *env) {
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.UsernameAttributes = []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail}
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
	})
	cl := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	id, secret := *cl.ClientId, *cl.ClientSecret
	name := "Jane@Example.com"
	hash := api.Ptr(SecretHash(id, secret, name))

	up, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, SecretHash: hash, Username: &name, Password: api.Ptr(goodPassword),
		UserAttributes: attrList("given_name", "Jane")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ResendConfirmationCode(e.ctx, &cognitoidp.ResendConfirmationCodeRequest{ClientId: &id, SecretHash: hash, Username: &name}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmSignUp(e.ctx, &cognitoidp.ConfirmSignUpRequest{ClientId: &id, SecretHash: hash, Username: &name,
		ConfirmationCode: api.Ptr(e.lastCode(poolID))}); err != nil {
		t.Fatal(err)
	}
	fp, err := e.svc.ForgotPassword(e.ctx, &cognitoidp.ForgotPasswordRequest{ClientId: &id, SecretHash: hash, Username: &name})
	if err != nil {
		t.Fatal(err)
	}
	if got := toJSON(t, fp); got != `{"CodeDeliveryDetails":{"Destination":"J***@E***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}` {
		t.Errorf("ForgotPassword = %s", got)
	}
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, &cognitoidp.ConfirmForgotPasswordRequest{ClientId: &id, SecretHash: hash, Username: &name,
		ConfirmationCode: api.Ptr(e.lastCode(poolID)), Password: api.Ptr(newPassword)}); err != nil {
		t.Fatal(err)
	}
	u := e.user(poolID, *up.UserSub)
	creds, err := password.Decode(u.Password)
	if u.Status != "CONFIRMED" || u.Attributes["email_verified"] != "true" || err != nil || !creds.Matches(poolID, *up.UserSub, newPassword) {
		t.Errorf("user = %+v, credentials %v, %v", u, creds, err)
	}
	if n := len(e.messages(poolID)); n != 3 {
		t.Errorf("%d messages, want 3", n)
	}
	e.noSecretsLogged(secret, goodPassword, newPassword)
}
