package attrs

import (
	"context"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

func testSchema(mut func(*cognitoidp.UserPoolType)) *Schema {
	schema := pools.StandardSchema()
	for i := range schema {
		if api.Deref(schema[i].Name) == "email" {
			schema[i].Required = api.Ptr(true)
		}
	}
	schema = append(schema,
		cognitoidp.SchemaAttributeType{Name: api.Ptr("custom:tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(true),
			StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr("1"), MaxLength: api.Ptr("5")}},
		cognitoidp.SchemaAttributeType{Name: api.Ptr("custom:level"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber), Mutable: api.Ptr(true),
			NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MinValue: api.Ptr("1"), MaxValue: api.Ptr("10")}},
		cognitoidp.SchemaAttributeType{Name: api.Ptr("custom:fixed"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(false)},
		cognitoidp.SchemaAttributeType{Name: api.Ptr("dev:custom:secret"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), DeveloperOnlyAttribute: api.Ptr(true), Mutable: api.Ptr(true)},
		cognitoidp.SchemaAttributeType{Name: api.Ptr("custom:flag"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeBoolean), Mutable: api.Ptr(true)},
	)
	up := &cognitoidp.UserPoolType{Id: api.Ptr("us-east-1_test"), SchemaAttributes: schema}
	if mut != nil {
		mut(up)
	}
	return FromPool(up)
}

func attrList(kv ...string) []cognitoidp.AttributeType {
	var out []cognitoidp.AttributeType
	for i := 0; i < len(kv); i += 2 {
		out = append(out, cognitoidp.AttributeType{Name: api.Ptr(kv[i]), Value: api.Ptr(kv[i+1])})
	}
	return out
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok || e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("got %v, want %s: %s", err, code, msg)
	}
}

func TestCheckWrite(t *testing.T) {
	s := testSchema(nil)
	got, err := s.CheckWrite(attrList("email", "a@example.com", "custom:tier", "gold", "custom:level", "3", "custom:fixed", "x", "custom:flag", "true"), OpCreate, AdminCaller, nil)
	if err != nil || got["custom:fixed"] != "x" || len(got) != 5 {
		t.Fatalf("%v %v", got, err)
	}
	_, err = s.CheckWrite(attrList("custom:nope", "1"), OpCreate, AdminCaller, nil)
	wantErr(t, err, "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.")
	_, err = s.CheckWrite(attrList("email", "not-an-email"), OpCreate, AdminCaller, nil)
	wantErr(t, err, "InvalidParameterException", MsgInvalidEmail)
	_, err = s.CheckWrite(attrList("phone_number", "555-1234"), OpCreate, AdminCaller, nil)
	wantErr(t, err, "InvalidParameterException", MsgInvalidPhone)
	_, err = s.CheckWrite(attrList("custom:tier", "platinum"), OpCreate, AdminCaller, nil)
	wantErr(t, err, "InvalidParameterException", "Attributes did not conform to the schema: custom:tier: String must be no longer than 5 characters")
	_, err = s.CheckWrite(attrList("custom:level", "11", "custom:flag", "yes"), OpCreate, AdminCaller, nil)
	wantErr(t, err, "InvalidParameterException", "Attributes did not conform to the schema: custom:level: Number must be less than or equal to 10\ncustom:flag: Boolean must be either true or false")
	_, err = s.CheckWrite(attrList("custom:fixed", "y"), OpUpdate, AdminCaller, Values{"custom:fixed": "x"})
	wantErr(t, err, "InvalidParameterException", "Attributes did not conform to the schema: custom:fixed: Attribute cannot be updated.")
	if _, err := s.CheckWrite(attrList("custom:fixed", "x"), OpUpdate, AdminCaller, Values{"custom:fixed": "x"}); err != nil {
		t.Fatalf("unchanged immutable value refused: %v", err)
	}
	_, err = s.CheckWrite(attrList("sub", "x"), OpUpdate, AdminCaller, nil)
	wantErr(t, err, "InvalidParameterException", "")
	got, err = s.CheckWrite(attrList("custom:tier", ""), OpUpdate, AdminCaller, Values{"custom:tier": "gold"})
	if err != nil || got["custom:tier"] != "" {
		t.Fatalf("blank value should delete: %v %v", got, err)
	}
	_, err = s.CheckWrite(attrList("email", ""), OpUpdate, AdminCaller, Values{"email": "a@b.c"})
	wantErr(t, err, "InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required")
	// Clients.
	_, err = s.CheckWrite(attrList("dev:custom:secret", "x"), OpUpdate, ClientCaller(nil), nil)
	wantErr(t, err, "NotAuthorizedException", MsgUnauthorizedWrite)
	_, err = s.CheckWrite(attrList("custom:tier", "a"), OpUpdate, ClientCaller([]string{"email"}), nil)
	wantErr(t, err, "NotAuthorizedException", MsgUnauthorizedWrite)
	_, err = s.CheckWrite(attrList("email_verified", "true"), OpCreate, ClientCaller(nil), nil)
	wantErr(t, err, "NotAuthorizedException", MsgUnauthorizedWrite)
	if _, err := s.CheckWrite(attrList("email_verified", "true"), OpCreate, ClientCaller([]string{"email", "email_verified"}), nil); err != nil {
		t.Fatalf("a client granted email_verified may write it: %v", err)
	}
	if got, err := s.CheckWrite(attrList("name", "", "email", "a@b.c"), OpCreate, AdminCaller, nil); err != nil || len(got) != 1 {
		t.Fatalf("empty values on create set nothing: %v %v", got, err)
	}
	if _, err := s.CheckWrite(attrList("dev:custom:secret", "x"), OpUpdate, AdminCaller, nil); err != nil {
		t.Fatalf("admin may write developer-only attributes: %v", err)
	}
	_, err = s.CheckWrite(attrList("email", "a@b.c", "email", "d@e.f"), OpCreate, AdminCaller, nil)
	wantErr(t, err, "InvalidParameterException", "")
}

func TestRequiredAndRead(t *testing.T) {
	s := testSchema(nil)
	wantErr(t, s.CheckRequired(Values{"name": "x"}), "InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required")
	if err := s.CheckRequired(Values{"email": "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	if s.Readable("dev:custom:secret", nil) || !s.Readable("email", nil) || s.Readable("email", map[string]bool{"name": true}) || !s.Readable("sub", map[string]bool{"name": true}) {
		t.Fatal("readable rules")
	}
	list := ToAPI("sub-1", Values{"email": "a@b.c", "custom:tier": "x"}, nil)
	if len(list) != 3 || *list[0].Name != "sub" || *list[1].Name != "custom:tier" {
		t.Fatalf("%v", list)
	}
}

func TestUsernamesAndAliases(t *testing.T) {
	alias := testSchema(func(up *cognitoidp.UserPoolType) {
		up.AliasAttributes = []cognitoidp.AliasAttributeType{"email", "preferred_username"}
		up.UsernameConfiguration = &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)}
	})
	if alias.Key("JoE") != "joe" {
		t.Fatal("case-insensitive key")
	}
	if _, err := alias.NewUsername("joe@example.com", "sub", Values{}); err == nil {
		t.Fatal("email-shaped username accepted in an email-alias pool")
	}
	if got := alias.Aliases(Values{"email": "A@B.c", "email_verified": "false", "preferred_username": "Jo"}); len(got) != 1 || got[0] != (storage.Alias{Kind: "preferred_username", Value: "jo"}) {
		t.Fatalf("unverified email must not be claimed: %v", got)
	}
	if got := alias.Aliases(Values{"email": "A@B.c", "email_verified": "true"}); len(got) != 1 || got[0].Value != "a@b.c" {
		t.Fatalf("verified email: %v", got)
	}
	byEmail := testSchema(func(up *cognitoidp.UserPoolType) {
		up.UsernameAttributes = []cognitoidp.UsernameAttributeType{"email"}
	})
	vals := Values{}
	name, err := byEmail.NewUsername("x@example.com", "3f1c2a9e-0000-4000-8000-000000000000", vals)
	if err != nil || name != "3f1c2a9e-0000-4000-8000-000000000000" || vals["email"] != "x@example.com" {
		t.Fatalf("%s %v %v", name, err, vals)
	}
	_, err = byEmail.NewUsername("bob", "s", Values{})
	wantErr(t, err, "InvalidParameterException", "Username should be an email.")
	if got := byEmail.Aliases(Values{"email": "x@example.com"}); len(got) != 1 {
		t.Fatalf("username email always claimed: %v", got)
	}
	wantErr(t, byEmail.AliasClash(&storage.UniqueError{Field: "email"}), "UsernameExistsException", "An account with the given email already exists.")
	wantErr(t, alias.AliasClash(&storage.UniqueError{Field: "email"}), "AliasExistsException", "An account with the email already exists.")
	wantErr(t, alias.AliasClash(&storage.UniqueError{Field: "username"}), "UsernameExistsException", "User already exists")
}

type fakeUsers struct {
	storage.UserStore
	byKey   map[string]*storage.User
	byAlias map[storage.Alias]*storage.User
	bySub   map[string]*storage.User
}

func (f *fakeUsers) GetUser(_ context.Context, _, key string) (*storage.User, error) {
	if u, ok := f.byKey[key]; ok {
		return u, nil
	}
	return nil, storage.ErrNotFound
}

func (f *fakeUsers) GetUserByAlias(_ context.Context, _ string, a storage.Alias) (*storage.User, error) {
	if u, ok := f.byAlias[a]; ok {
		return u, nil
	}
	return nil, storage.ErrNotFound
}

func (f *fakeUsers) GetUserBySub(_ context.Context, _, sub string) (*storage.User, error) {
	if u, ok := f.bySub[sub]; ok {
		return u, nil
	}
	return nil, storage.ErrNotFound
}

func TestLookup(t *testing.T) {
	s := testSchema(func(up *cognitoidp.UserPoolType) {
		up.AliasAttributes = []cognitoidp.AliasAttributeType{"email", "phone_number"}
		up.UsernameConfiguration = &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)}
	})
	u := &storage.User{Key: "joe", Username: "Joe", Sub: "3f1c2a9e-0000-4000-8000-000000000000"}
	f := &fakeUsers{byKey: map[string]*storage.User{"joe": u}, byAlias: map[storage.Alias]*storage.User{{Kind: "email", Value: "joe@example.com"}: u}, bySub: map[string]*storage.User{u.Sub: u}}
	for _, name := range []string{"JOE", "Joe@Example.com", strings.ToUpper(u.Sub)} {
		got, err := s.Lookup(context.Background(), f, name)
		if err != nil || got != u {
			t.Errorf("Lookup(%q) = %v, %v", name, got, err)
		}
	}
	if _, err := s.Lookup(context.Background(), f, "+15550001111"); err != storage.ErrNotFound {
		t.Errorf("unknown phone: %v", err)
	}
}
