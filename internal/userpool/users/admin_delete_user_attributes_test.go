package users

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestAdminDeleteUserAttributes(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		AliasAttributes: []cognitoidp.AliasAttributeType{"email"},
		Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("name"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Required: api.Ptr(true), Mutable: api.Ptr(true)},
			{Name: api.Ptr("tenant"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(false)},
		},
	})
	e.seed(t, pool, "jane", "CONFIRMED", map[string]string{"name": "Jane", "given_name": "J", "email": "jane@example.com", "email_verified": "true", "custom:tenant": "acme"})
	del := func(names ...string) error {
		_, err := e.svc.AdminDeleteUserAttributes(e.ctx, &cognitoidp.AdminDeleteUserAttributesRequest{UserPoolId: &pool, Username: api.Ptr("jane"), UserAttributeNames: names})
		return err
	}
	before := e.user(t, pool, "jane")
	wantErr(t, del("given_name", "name"), "InvalidParameterException", "Attributes did not conform to the schema: name: The attribute is required")
	wantErr(t, del("custom:tenant"), "InvalidParameterException", "Attributes did not conform to the schema: custom:tenant: Attribute cannot be updated.")
	wantErr(t, del("sub"), "InvalidParameterException", "Attributes did not conform to the schema: sub: Attribute cannot be updated.")
	wantErr(t, del("custom:nope"), "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.")
	if u := e.user(t, pool, "jane"); u.Version != before.Version {
		t.Error("a refused deletion changed the user")
	}

	if err := del("given_name", "email", "nickname"); err != nil {
		t.Fatal(err)
	}
	u := e.user(t, pool, "jane")
	if !mapsEqual(u.Attributes, map[string]string{"name": "Jane", "custom:tenant": "acme"}) || len(u.Aliases) != 0 {
		t.Errorf("attributes %v aliases %v", u.Attributes, u.Aliases)
	}
	// The alias is released.
	e.seed(t, pool, "john", "CONFIRMED", map[string]string{"email": "jane@example.com", "email_verified": "true"})

	_, err := e.svc.AdminDeleteUserAttributes(e.ctx, &cognitoidp.AdminDeleteUserAttributesRequest{UserPoolId: &pool, Username: api.Ptr("nobody"), UserAttributeNames: []string{"name"}})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
}
