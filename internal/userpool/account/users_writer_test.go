package account

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// withUsersWriter wires the users family's attribute writer, as the server
// does.
func withUsersWriter(t *testing.T, e *env) {
	t.Helper()
	sender, err := message.NewSender(message.Config{}, message.Options{Store: e.sql, Clock: e.clk})
	if err != nil {
		t.Fatal(err)
	}
	u := users.New(users.Config{Store: e.sql, Sender: sender, Clock: e.clk})
	e.reconfigure(func(c *Config) { c.WriteAttributes = u.WriteAttributes })
}

// An email change through UpdateUserAttributes in a pool that auto-verifies
// email: the new email is unverified, a code goes to it and the answer says
// where; VerifyUserAttribute with that code verifies it.
func TestUpdateUserAttributesWithUsersWriter(t *testing.T) {
	e := newEnv(t)
	withUsersWriter(t, e)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{"email"},
		AliasAttributes:        []cognitoidp.AliasAttributeType{"email"},
	})
	cl := e.client(t, pool, &cognitoidp.CreateUserPoolClientRequest{WriteAttributes: []string{"email", "name"}})
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "email_verified": "true"})
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	out, err := e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{
		AccessToken: &tok, UserAttributes: attrList("email", "new@example.com", "name", "Jane"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CodeDeliveryDetailsList) != 1 || *out.CodeDeliveryDetailsList[0].Destination != "n***@e***.com" ||
		*out.CodeDeliveryDetailsList[0].AttributeName != "email" || *out.CodeDeliveryDetailsList[0].DeliveryMedium != "EMAIL" {
		t.Fatalf("details %+v", out.CodeDeliveryDetailsList)
	}
	got := e.user(t, pool, u.Key)
	if got.Attributes["email"] != "new@example.com" || got.Attributes["email_verified"] != "false" || got.Attributes["name"] != "Jane" || len(got.Aliases) != 0 {
		t.Fatalf("user %+v", got)
	}
	ms := e.outbox(t, pool)
	if len(ms) != 1 || ms[0].Kind != string(message.KindUpdateAttribute) {
		t.Fatalf("outbox %+v", ms)
	}
	if err := verify(e, tok, "email", ms[0].Code); err != nil {
		t.Fatal(err)
	}
	if got := e.user(t, pool, u.Key); got.Attributes["email_verified"] != "true" || len(got.Aliases) != 1 {
		t.Errorf("after verification %+v", got)
	}
	// The client may not write what it was not given.
	_, err = e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{AccessToken: &tok, UserAttributes: attrList("family_name", "Doe")})
	wantErr(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
}

// With AttributesRequireVerificationBeforeUpdate the old verified email stays
// until the new one is verified.
func TestUpdateUserAttributesPendingWithUsersWriter(t *testing.T) {
	e := newEnv(t)
	withUsersWriter(t, e)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{"email"},
		UserAttributeUpdateSettings: &cognitoidp.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []cognitoidp.VerifiedAttributeType{"email"},
		},
	})
	cl := e.client(t, pool, nil)
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "email_verified": "true"})
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	out, err := e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{AccessToken: &tok, UserAttributes: attrList("email", "new@example.com")})
	if err != nil || len(out.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("%+v, %v", out, err)
	}
	if got := e.user(t, pool, u.Key); got.Attributes["email"] != "jane@example.com" || got.Attributes["email_verified"] != "true" {
		t.Fatalf("old value replaced before verification: %v", got.Attributes)
	}
	if err := verify(e, tok, "email", e.lastCode(t, pool)); err != nil {
		t.Fatal(err)
	}
	if got := e.user(t, pool, u.Key); got.Attributes["email"] != "new@example.com" || got.Attributes["email_verified"] != "true" {
		t.Errorf("after verification %v", got.Attributes)
	}
}

func TestDeleteUserAttributesWithUsersWriter(t *testing.T) {
	e := newEnv(t)
	withUsersWriter(t, e)
	pool := e.pool(t, nil)
	cl := e.client(t, pool, nil)
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "email_verified": "true", "name": "Jane"})
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	if _, err := e.svc.DeleteUserAttributes(e.ctx, &cognitoidp.DeleteUserAttributesRequest{AccessToken: &tok, UserAttributeNames: []string{"name", "email"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.user(t, pool, u.Key); len(got.Attributes) != 0 {
		t.Errorf("attributes left %v", got.Attributes)
	}
	_, err := e.svc.DeleteUserAttributes(e.ctx, &cognitoidp.DeleteUserAttributesRequest{AccessToken: &tok, UserAttributeNames: []string{"sub"}})
	wantErr(t, err, "NotAuthorizedException", "")
}
