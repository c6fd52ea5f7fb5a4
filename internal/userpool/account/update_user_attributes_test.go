package account

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateUserAttributes hands the write to the users family's writer with
// the token's client as the caller and the ClientMetadata, and answers the
// CodeDeliveryDetailsList it returns.
func TestUpdateUserAttributes(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.writes.details = []cognitoidp.CodeDeliveryDetailsType{{
		Destination: api.Ptr("n***@e***.com"), DeliveryMedium: api.Ptr(cognitoidp.DeliveryMediumTypeEmail), AttributeName: api.Ptr("email"),
	}}
	out, err := e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{
		AccessToken:    &s.access,
		UserAttributes: attrList("email", "new@example.com", "name", ""),
		ClientMetadata: map[string]string{"k": "v"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CodeDeliveryDetailsList) != 1 || *out.CodeDeliveryDetailsList[0].AttributeName != "email" {
		t.Errorf("details %+v", out.CodeDeliveryDetailsList)
	}
	w := e.writes.last(t)
	if w.userKey != "jane" || w.caller.Admin || w.meta["k"] != "v" || w.vals["email"] != "new@example.com" || w.vals["name"] != "" {
		t.Errorf("write %+v", w)
	}
}

// The token's client writes only its WriteAttributes; without a list, never
// the verification flags.
func TestUpdateUserAttributesClientPermissions(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com"})
	limited := e.client(t, pool, &cognitoidp.CreateUserPoolClientRequest{WriteAttributes: []string{"name"}})
	open := e.client(t, pool, nil)
	lt, _ := e.tokens.issue(pool, *limited.ClientId, u)
	ot, _ := e.tokens.issue(pool, *open.ClientId, u)
	update := func(tok string, kv ...string) error {
		_, err := e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{AccessToken: &tok, UserAttributes: attrList(kv...)})
		return err
	}
	if err := update(lt, "name", "Jane"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, update(lt, "email", "x@example.com"), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	if err := update(ot, "email", "x@example.com"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, update(ot, "email_verified", "true"), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantErr(t, update(ot, "custom:nope", "x"), "InvalidParameterException", "")
}

func TestUpdateUserAttributesRefusals(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	_, err := e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{AccessToken: api.Ptr("bad"), UserAttributes: attrList("name", "x")})
	wantErr(t, err, "NotAuthorizedException", "Invalid Access Token")
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Enabled = false })
	_, err = e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{AccessToken: &s.access, UserAttributes: attrList("name", "x")})
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = e.svc.UpdateUserAttributes(e.ctx, &cognitoidp.UpdateUserAttributesRequest{AccessToken: &s.access})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'userAttributes' failed to satisfy constraint: Member must not be null")
}

// DeleteUserAttributes is a write of empty values with the client's
// permissions.
func TestDeleteUserAttributes(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "name": "Jane"})
	limited := e.client(t, pool, &cognitoidp.CreateUserPoolClientRequest{WriteAttributes: []string{"name"}})
	tok, _ := e.tokens.issue(pool, *limited.ClientId, u)
	del := func(names ...string) error {
		_, err := e.svc.DeleteUserAttributes(e.ctx, &cognitoidp.DeleteUserAttributesRequest{AccessToken: &tok, UserAttributeNames: names})
		return err
	}
	if err := del("name"); err != nil {
		t.Fatal(err)
	}
	if w := e.writes.last(t); w.vals["name"] != "" || len(w.vals) != 1 || w.meta != nil {
		t.Errorf("write %+v", w)
	}
	wantErr(t, del("email"), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantErr(t, del("sub"), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
}

// Without the users family's writer the two operations are not served.
func TestAttributeWritesNeedWriter(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.WriteAttributes = nil })
	ops := e.h.Service().Operations
	for _, op := range []string{"UpdateUserAttributes", "DeleteUserAttributes"} {
		if ops[op].Implemented {
			t.Errorf("%s served without a writer", op)
		}
	}
	if !ops["GetUser"].Implemented {
		t.Error("GetUser not served")
	}
}
