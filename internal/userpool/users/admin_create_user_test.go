package users

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func (e *env) create(t testing.TB, in *cognitoidp.AdminCreateUserRequest) (*cognitoidp.UserType, error) {
	t.Helper()
	out, err := e.svc.AdminCreateUser(e.ctx, in)
	if err != nil {
		return nil, err
	}
	return out.User, nil
}

const goodPassword = "Passw0rd!"

func TestAdminCreateUser(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	got, err := e.create(t, &cognitoidp.AdminCreateUserRequest{
		UserPoolId:             &pool,
		Username:               api.Ptr("jane"),
		UserAttributes:         attrList("email", "jane@example.com", "name", "Jane", "email_verified", "true"),
		TemporaryPassword:      api.Ptr(goodPassword),
		DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(got.Username) != "jane" || !got.Enabled || api.Deref(got.UserStatus) != "FORCE_CHANGE_PASSWORD" ||
		!got.UserCreateDate.Equal(t0) || !got.UserLastModifiedDate.Equal(t0) {
		t.Errorf("User %+v", got)
	}
	if names := attrNames(got.Attributes); !slices.Equal(names, []string{"sub", "email", "email_verified", "name"}) {
		t.Errorf("attributes %v", names)
	}
	sub, _ := attrOf(got.Attributes, "sub")
	u := e.user(t, pool, "jane")
	if u.Sub != sub || len(sub) != 36 || u.Status != "FORCE_CHANGE_PASSWORD" || len(u.Password) == 0 {
		t.Errorf("stored %+v", u)
	}

	msgs := e.outbox(t, pool)
	if len(msgs) != 1 {
		t.Fatalf("outbox %+v", msgs)
	}
	m := msgs[0]
	if m.Kind != "INVITATION" || m.DeliveryMedium != "EMAIL" || m.Destination != "jane@example.com" || m.Username != "jane" ||
		m.Code != goodPassword || m.Subject != "Your temporary password" ||
		m.Body != "Your username is jane and temporary password is "+goodPassword+". " {
		t.Errorf("invitation %+v", m)
	}

	// The same username again.
	_, err = e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"), MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress)})
	wantErr(t, err, "UsernameExistsException", "User account already exists")

	_, err = e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: api.Ptr("us-east-1_Missing1"), Username: api.Ptr("x")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Missing1 does not exist.")
	_, err = e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null")
}

func TestAdminCreateUserRefusals(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		AliasAttributes: []cognitoidp.AliasAttributeType{"email"},
		Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("family_name"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Required: api.Ptr(true), Mutable: api.Ptr(true)},
		},
	})
	for _, c := range []struct {
		name      string
		in        *cognitoidp.AdminCreateUserRequest
		code, msg string
	}{
		{"required", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a")},
			"InvalidParameterException", "Attributes did not conform to the schema: family_name: The attribute is required"},
		{"unknown attribute", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a"), UserAttributes: attrList("family_name", "D", "custom:nope", "x")},
			"InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."},
		{"sub", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a"), UserAttributes: attrList("family_name", "D", "sub", "x")},
			"InvalidParameterException", "Attributes did not conform to the schema: sub: Attribute cannot be updated."},
		{"bad email", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a"), UserAttributes: attrList("family_name", "D", "email", "nope")},
			"InvalidParameterException", "Invalid email address format."},
		{"username shaped like an email alias", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a@example.com"), UserAttributes: attrList("family_name", "D")},
			"InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias."},
		{"EMAIL without email", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a"), UserAttributes: attrList("family_name", "D"),
			DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"}},
			"InvalidParameterException", "No email provided but desired delivery medium was Email"},
		{"EMAIL and SMS without phone", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a"), UserAttributes: attrList("family_name", "D", "email", "a@example.com"),
			DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL", "SMS"}},
			"InvalidParameterException", "No phone_number provided but desired delivery medium was SMS"},
		{"weak temporary password", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a"), UserAttributes: attrList("family_name", "D"), TemporaryPassword: api.Ptr("short")},
			"InvalidPasswordException", ""},
		{"RESEND for nobody", &cognitoidp.AdminCreateUserRequest{Username: api.Ptr("a"), MessageAction: api.Ptr(cognitoidp.MessageActionTypeResend)},
			"UserNotFoundException", "User does not exist."},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.in.UserPoolId = &pool
			_, err := e.create(t, c.in)
			wantErr(t, err, c.code, c.msg)
		})
	}
	if n, _ := e.svc.CountUsers(e.ctx, pool); n != 0 {
		t.Errorf("%d users created by refused calls", n)
	}
	if m := e.outbox(t, pool); len(m) != 0 {
		t.Errorf("refused calls sent %+v", m)
	}

	// With SUPPRESS the mediums are not checked (nothing is sent).
	if _, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("a"), UserAttributes: attrList("family_name", "D"),
		MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress), DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"}}); err != nil {
		t.Fatal(err)
	}
	// Without mediums and without phone, the user is created and nothing is sent.
	if _, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("b"), UserAttributes: attrList("family_name", "D", "email", "b@example.com")}); err != nil {
		t.Fatal(err)
	}
	if m := e.outbox(t, pool); len(m) != 0 {
		t.Errorf("sent %+v", m)
	}
}

func TestAdminCreateUserDefaultsToSMS(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{AdminCreateUserConfig: &cognitoidp.AdminCreateUserConfigType{
		InviteMessageTemplate: &cognitoidp.MessageTemplateType{SMSMessage: api.Ptr("Hi {username}, use {####}")},
	}})
	_, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"),
		UserAttributes: attrList("phone_number", "+15550001", "email", "jane@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.outbox(t, pool)
	if len(msgs) != 1 || msgs[0].DeliveryMedium != "SMS" || msgs[0].Destination != "+15550001" || msgs[0].Body != "Hi jane, use "+msgs[0].Code {
		t.Fatalf("outbox %+v", msgs)
	}
	// The generated temporary password is the one stored.
	if msgs[0].Code == "" {
		t.Error("no temporary password in the invitation")
	}
	// Both mediums.
	if _, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("john"),
		UserAttributes:         attrList("phone_number", "+15550002", "email", "john@example.com"),
		DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL", "SMS", "EMAIL"}}); err != nil {
		t.Fatal(err)
	}
	msgs = e.outbox(t, pool)[1:]
	if len(msgs) != 2 || msgs[0].DeliveryMedium != "EMAIL" || msgs[1].DeliveryMedium != "SMS" || msgs[0].Code != msgs[1].Code {
		t.Errorf("outbox %+v", msgs)
	}
}

func TestAdminCreateUserUsernameAttributes(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{UsernameAttributes: []cognitoidp.UsernameAttributeType{"email"}})
	got, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("Jane@Example.com"),
		DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"}})
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := attrOf(got.Attributes, "sub")
	email, _ := attrOf(got.Attributes, "email")
	if api.Deref(got.Username) != sub || email != "Jane@Example.com" {
		t.Errorf("User %+v", got)
	}
	msgs := e.outbox(t, pool)
	if len(msgs) != 1 || msgs[0].Username != sub || !strings.Contains(msgs[0].Body, "Your username is Jane@Example.com ") {
		t.Errorf("outbox %+v", msgs)
	}
	// The email is found by AdminGetUser, case-insensitively.
	out, err := e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &pool, Username: api.Ptr("jane@example.com")})
	if err != nil || api.Deref(out.Username) != sub {
		t.Fatalf("AdminGetUser: %+v %v", out, err)
	}
	_, err = e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("JANE@example.com"), MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress)})
	wantErr(t, err, "UsernameExistsException", "An account with the given email already exists.")
	_, err = e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")})
	wantErr(t, err, "InvalidParameterException", "Username should be an email.")
}

func TestAdminCreateUserForceAliasCreation(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{AliasAttributes: []cognitoidp.AliasAttributeType{"email", "phone_number", "preferred_username"}})
	e.seed(t, pool, "old", "CONFIRMED", map[string]string{"email": "shared@example.com", "email_verified": "true", "phone_number": "+15550001", "phone_number_verified": "true", "preferred_username": "pref"})

	in := &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("new"), MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress),
		UserAttributes: attrList("email", "SHARED@example.com", "email_verified", "true", "phone_number", "+15550001", "phone_number_verified", "true")}
	_, err := e.create(t, in)
	wantErr(t, err, "AliasExistsException", "")
	if n, _ := e.svc.CountUsers(e.ctx, pool); n != 1 {
		t.Fatalf("%d users", n)
	}

	// Unverified, the same email is no alias and no clash.
	if _, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("unverified"), MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress),
		UserAttributes: attrList("email", "shared@example.com")}); err != nil {
		t.Fatal(err)
	}

	in.ForceAliasCreation = true
	if _, err := e.create(t, in); err != nil {
		t.Fatal(err)
	}
	old := e.user(t, pool, "old")
	if old.Attributes["email"] != "shared@example.com" || old.Attributes["email_verified"] != "false" || old.Attributes["phone_number_verified"] != "false" {
		t.Errorf("old user %v", old.Attributes)
	}
	if len(old.Aliases) != 1 || old.Aliases[0].Kind != "preferred_username" {
		t.Errorf("old aliases %v", old.Aliases)
	}
	for _, alias := range []storage.Alias{{Kind: "email", Value: "shared@example.com"}, {Kind: "phone_number", Value: "+15550001"}} {
		if u, err := e.store.GetUserByAlias(e.ctx, pool, alias); err != nil || u.Username != "new" {
			t.Errorf("alias %v held by %v (%v)", alias, u, err)
		}
	}
	// preferred_username never moves.
	_, err = e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("third"), ForceAliasCreation: true,
		MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress), UserAttributes: attrList("preferred_username", "pref")})
	wantErr(t, err, "AliasExistsException", "An account with the preferred_username already exists.")
}

func TestAdminCreateUserResend(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{Policies: &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{
		MinimumLength: api.Ptr(int32(8)), TemporaryPasswordValidityDays: 3,
	}}})
	if _, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"), TemporaryPassword: api.Ptr(goodPassword),
		UserAttributes: attrList("email", "jane@example.com"), DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"}}); err != nil {
		t.Fatal(err)
	}
	before := e.user(t, pool, "jane")
	e.clk.Advance(2 * time.Hour)
	got, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"), MessageAction: api.Ptr(cognitoidp.MessageActionTypeResend),
		DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"}})
	if err != nil {
		t.Fatal(err)
	}
	if !got.UserLastModifiedDate.Equal(t0.Add(2*time.Hour)) || !got.UserCreateDate.Equal(t0) {
		t.Errorf("dates %v %v", got.UserCreateDate, got.UserLastModifiedDate)
	}
	after := e.user(t, pool, "jane")
	if string(after.Password) == string(before.Password) {
		t.Error("RESEND kept the old temporary password")
	}
	msgs := e.outbox(t, pool)
	if len(msgs) != 2 || msgs[1].Code == goodPassword || msgs[1].Kind != "INVITATION" {
		t.Errorf("outbox %+v", msgs)
	}

	// RESEND only for FORCE_CHANGE_PASSWORD users.
	e.seed(t, pool, "done", "CONFIRMED", map[string]string{"email": "done@example.com"})
	_, err = e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("done"), MessageAction: api.Ptr(cognitoidp.MessageActionTypeResend)})
	wantErr(t, err, "UnsupportedUserStateException", "Resend not possible. done status is not FORCE_CHANGE_PASSWORD")
}

func TestTemporaryPasswordValidity(t *testing.T) {
	for _, c := range []struct {
		up   cognitoidp.UserPoolType
		days int
	}{
		{cognitoidp.UserPoolType{}, 7},
		{cognitoidp.UserPoolType{Policies: &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{TemporaryPasswordValidityDays: 3}}}, 3},
		{cognitoidp.UserPoolType{AdminCreateUserConfig: &cognitoidp.AdminCreateUserConfigType{UnusedAccountValidityDays: 9}}, 9},
	} {
		if got := temporaryPasswordValidity(&c.up); got != time.Duration(c.days)*24*time.Hour {
			t.Errorf("%+v: %v", c.up, got)
		}
	}
}

func TestAdminCreateUserEmptyValues(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	got, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"),
		MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress), UserAttributes: attrList("name", "", "nickname", "JJ")})
	if err != nil {
		t.Fatal(err)
	}
	if names := attrNames(got.Attributes); !slices.Equal(names, []string{"sub", "nickname"}) {
		t.Errorf("attributes %v", names)
	}
}
