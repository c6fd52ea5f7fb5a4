package signup

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

func TestSecretHashVector(t *testing.T) {
	// Computed independently: base64(HMAC-SHA256(secret, "jane" + clientID)).
	got := SecretHash("6q7aoa3g5dv8ajn1pifts4hgtm", "1example23456789abcdefghijklmnopqrstuvwxyz012345", "jane")
	if want := "YAzK/J47QgwLB5j6db8eNt6tMonL7nPmHRuDS4tlJRg="; got != want {
		t.Fatalf("SecretHash = %s, want %s", got, want)
	}
}

func TestCheckSecretHash(t *testing.T) {
	withSecrets := &clients.Client{ID: "client1", Secrets: []clients.Secret{{ID: "a", Value: "first-secret"}, {ID: "b", Value: "second-secret"}}}
	public := &clients.Client{ID: "client2"}

	if err := CheckSecretHash(public, "jane", nil); err != nil {
		t.Fatalf("public client without hash: %v", err)
	}
	if err := CheckSecretHash(public, "jane", api.Ptr("anything")); err != nil {
		t.Fatalf("public client ignores a hash: %v", err)
	}
	wantErr(t, CheckSecretHash(withSecrets, "jane", nil), "NotAuthorizedException",
		"Client client1 is configured for secret but secret was not received")
	wantErr(t, CheckSecretHash(withSecrets, "jane", api.Ptr("")), "NotAuthorizedException",
		"Client client1 is configured for secret but secret was not received")
	wantErr(t, CheckSecretHash(withSecrets, "jane", api.Ptr("bm90IGl0")), "NotAuthorizedException",
		"Unable to verify secret hash for client client1")
	// The hash of another username does not do.
	wantErr(t, CheckSecretHash(withSecrets, "jane", api.Ptr(SecretHash("client1", "first-secret", "john"))), "NotAuthorizedException",
		"Unable to verify secret hash for client client1")
	for _, sec := range []string{"first-secret", "second-secret"} {
		if err := CheckSecretHash(withSecrets, "jane", api.Ptr(SecretHash("client1", sec, "jane"))); err != nil {
			t.Errorf("hash with %s: %v", sec, err)
		}
	}
}

func TestSecretHashOnEveryOperation(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	cl := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	id, secret := *cl.ClientId, *cl.ClientSecret
	hash := func(name string) *string { return api.Ptr(SecretHash(id, secret, name)) }

	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: api.Ptr(goodPassword),
		UserAttributes: attrList("email", "jane@example.com")})
	wantErr(t, err, "NotAuthorizedException", "Client "+id+" is configured for secret but secret was not received")
	if _, err := e.store.GetUser(e.ctx, poolID, "jane"); err == nil {
		t.Fatal("a refused SignUp created the user")
	}
	_, err = e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: api.Ptr(goodPassword),
		UserAttributes: attrList("email", "jane@example.com"), SecretHash: hash("john")})
	wantErr(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	if _, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: api.Ptr(goodPassword),
		UserAttributes: attrList("email", "jane@example.com"), SecretHash: hash("jane")}); err != nil {
		t.Fatal(err)
	}

	_, err = e.svc.ResendConfirmationCode(e.ctx, &cognitoidp.ResendConfirmationCodeRequest{ClientId: &id, Username: api.Ptr("jane")})
	wantErr(t, err, "NotAuthorizedException", "Client "+id+" is configured for secret but secret was not received")
	if _, err := e.svc.ResendConfirmationCode(e.ctx, &cognitoidp.ResendConfirmationCodeRequest{ClientId: &id, Username: api.Ptr("jane"), SecretHash: hash("jane")}); err != nil {
		t.Fatal(err)
	}

	code := e.lastCode(poolID)
	_, err = e.svc.ConfirmSignUp(e.ctx, &cognitoidp.ConfirmSignUpRequest{ClientId: &id, Username: api.Ptr("jane"), ConfirmationCode: &code, SecretHash: hash("janet")})
	wantErr(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	if _, err := e.svc.ConfirmSignUp(e.ctx, &cognitoidp.ConfirmSignUpRequest{ClientId: &id, Username: api.Ptr("jane"), ConfirmationCode: &code, SecretHash: hash("jane")}); err != nil {
		t.Fatal(err)
	}

	_, err = e.svc.ForgotPassword(e.ctx, &cognitoidp.ForgotPasswordRequest{ClientId: &id, Username: api.Ptr("jane")})
	wantErr(t, err, "NotAuthorizedException", "Client "+id+" is configured for secret but secret was not received")
	if _, err := e.svc.ForgotPassword(e.ctx, &cognitoidp.ForgotPasswordRequest{ClientId: &id, Username: api.Ptr("jane"), SecretHash: hash("jane")}); err != nil {
		t.Fatal(err)
	}

	code = e.lastCode(poolID)
	_, err = e.svc.ConfirmForgotPassword(e.ctx, &cognitoidp.ConfirmForgotPasswordRequest{ClientId: &id, Username: api.Ptr("jane"), ConfirmationCode: &code, Password: api.Ptr("N3w-Passw0rd")})
	wantErr(t, err, "NotAuthorizedException", "Client "+id+" is configured for secret but secret was not received")
	if _, err := e.svc.ConfirmForgotPassword(e.ctx, &cognitoidp.ConfirmForgotPasswordRequest{ClientId: &id, Username: api.Ptr("jane"), ConfirmationCode: &code,
		Password: api.Ptr("N3w-Passw0rd"), SecretHash: hash("jane")}); err != nil {
		t.Fatal(err)
	}
	e.noSecretsLogged(secret, code)
}
