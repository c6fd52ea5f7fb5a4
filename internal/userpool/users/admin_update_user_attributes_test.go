package users

import (
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

func (e *env) updateAttrs(poolID, name string, kv ...string) error {
	_, err := e.svc.AdminUpdateUserAttributes(e.ctx, &cognitoidp.AdminUpdateUserAttributesRequest{
		UserPoolId: &poolID, Username: api.Ptr(name), UserAttributes: attrList(kv...),
	})
	return err
}

func TestAdminUpdateUserAttributes(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(true)},
			{Name: api.Ptr("tenant"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(false)},
			{Name: api.Ptr("age"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber), NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MaxValue: api.Ptr("150")}},
		},
	})
	e.seed(t, pool, "jane", "CONFIRMED", map[string]string{"name": "Jane", "custom:tenant": "acme", "email": "jane@example.com", "email_verified": "true"})
	e.clk.Advance(time.Hour)

	if err := e.updateAttrs(pool, "jane", "given_name", "J", "name", "", "custom:tier", "gold", "custom:tenant", "acme"); err != nil {
		t.Fatal(err)
	}
	u := e.user(t, pool, "jane")
	want := map[string]string{"given_name": "J", "custom:tier": "gold", "custom:tenant": "acme", "email": "jane@example.com", "email_verified": "true"}
	if !mapsEqual(u.Attributes, want) || !u.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("attributes %v updated %v", u.Attributes, u.UpdatedAt)
	}

	// Refused writes change nothing.
	for _, c := range []struct {
		kv        []string
		code, msg string
	}{
		{[]string{"custom:tenant", "other"}, "InvalidParameterException", "Attributes did not conform to the schema: custom:tenant: Attribute cannot be updated."},
		{[]string{"sub", "x"}, "InvalidParameterException", "Attributes did not conform to the schema: sub: Attribute cannot be updated."},
		{[]string{"custom:nope", "x"}, "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."},
		{[]string{"email", "not-an-email"}, "InvalidParameterException", "Invalid email address format."},
		{[]string{"phone_number", "0123"}, "InvalidParameterException", "Invalid phone number format."},
		{[]string{"given_name", "K", "custom:age", "200"}, "InvalidParameterException", ""},
		{[]string{"given_name", "K", "given_name", "L"}, "InvalidParameterException", ""},
	} {
		err := e.updateAttrs(pool, "jane", c.kv...)
		wantErr(t, err, c.code, c.msg)
	}
	if got := e.user(t, pool, "jane"); got.Version != u.Version {
		t.Errorf("a refused write changed the user: %v", got.Attributes)
	}

	err := e.updateAttrs(pool, "nobody", "name", "x")
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	err = e.updateAttrs("us-east-1_Missing1", "jane", "name", "x")
	wantErr(t, err, "ResourceNotFoundException", "")
	if n := len(e.outbox(t, pool)); n != 0 {
		t.Errorf("%d messages sent for a pool without auto-verified attributes", n)
	}
}

func TestAdminUpdateContactAttributes(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		AliasAttributes:        []cognitoidp.AliasAttributeType{"email", "phone_number"},
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{"email"},
	})
	e.seed(t, pool, "jane", "CONFIRMED", map[string]string{"email": "jane@example.com", "email_verified": "true", "phone_number": "+15550001", "phone_number_verified": "true"})

	// A new email is unverified, loses the alias and gets a code (email is auto-verified);
	// a new phone number is unverified without a code.
	if err := e.updateAttrs(pool, "jane", "email", "jane@new.example", "phone_number", "+15550002"); err != nil {
		t.Fatal(err)
	}
	u := e.user(t, pool, "jane")
	if u.Attributes["email"] != "jane@new.example" || u.Attributes["email_verified"] != "false" ||
		u.Attributes["phone_number"] != "+15550002" || u.Attributes["phone_number_verified"] != "false" {
		t.Errorf("attributes %v", u.Attributes)
	}
	if len(u.Aliases) != 0 {
		t.Errorf("aliases %v, want none (nothing verified)", u.Aliases)
	}
	msgs := e.outbox(t, pool)
	if len(msgs) != 1 {
		t.Fatalf("outbox %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Kind != "UPDATE_ATTRIBUTE" || m.DeliveryMedium != "EMAIL" || m.Destination != "jane@new.example" || m.Username != "jane" ||
		len(m.Code) != 6 || m.Body != "Your verification code is "+m.Code+". " || m.Subject != "Your verification code" {
		t.Errorf("message %+v", m)
	}
	c := e.code(t, pool, "jane", message.PurposeVerifyAttribute("email"))
	if c == nil || !message.CodeMatches(c.Hash, pool, "jane", c.Purpose, m.Code) || string(c.Data) != "jane@new.example" ||
		!c.ExpiresAt.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("code %+v", c)
	}

	// Setting *_verified in the same call keeps it verified, sends nothing and claims the alias.
	if err := e.updateAttrs(pool, "jane", "email", "jane@verified.example", "email_verified", "true"); err != nil {
		t.Fatal(err)
	}
	u = e.user(t, pool, "jane")
	if u.Attributes["email"] != "jane@verified.example" || u.Attributes["email_verified"] != "true" {
		t.Errorf("attributes %v", u.Attributes)
	}
	if len(u.Aliases) != 1 || u.Aliases[0] != (storage.Alias{Kind: "email", Value: "jane@verified.example"}) {
		t.Errorf("aliases %v", u.Aliases)
	}
	if n := len(e.outbox(t, pool)); n != 1 {
		t.Errorf("outbox %d messages, want still 1", n)
	}
	// The same value again changes nothing about verification.
	if err := e.updateAttrs(pool, "jane", "email", "jane@verified.example"); err != nil {
		t.Fatal(err)
	}
	if u := e.user(t, pool, "jane"); u.Attributes["email_verified"] != "true" {
		t.Errorf("re-setting the same email unverified it")
	}

	// Verifying an email another user holds as a verified alias is refused.
	e.seed(t, pool, "john", "CONFIRMED", map[string]string{"email": "john@example.com", "email_verified": "true"})
	err := e.updateAttrs(pool, "jane", "email", "JOHN@example.com", "email_verified", "true")
	wantErr(t, err, "AliasExistsException", "An account with the email already exists.")
	// Unverified, the same address is fine.
	if err := e.updateAttrs(pool, "jane", "email", "john@example.com"); err != nil {
		t.Fatal(err)
	}

	// Marking verified alone.
	if err := e.updateAttrs(pool, "jane", "phone_number_verified", "true"); err != nil {
		t.Fatal(err)
	}
	if u := e.user(t, pool, "jane"); len(u.Aliases) != 1 || u.Aliases[0].Kind != "phone_number" {
		t.Errorf("aliases %v", u.Aliases)
	}
	// Blank values delete; deleting the email deletes email_verified too.
	if err := e.updateAttrs(pool, "jane", "email", ""); err != nil {
		t.Fatal(err)
	}
	if u := e.user(t, pool, "jane"); hasAny(u.Attributes, "email", "email_verified") {
		t.Errorf("attributes %v", u.Attributes)
	}
}

func TestAdminUpdateVerifyBeforeUpdate(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		UsernameAttributes:          []cognitoidp.UsernameAttributeType{"email"},
		AutoVerifiedAttributes:      []cognitoidp.VerifiedAttributeType{"email", "phone_number"},
		UserAttributeUpdateSettings: &cognitoidp.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []cognitoidp.VerifiedAttributeType{"email"}},
		SmsVerificationMessage:      api.Ptr("Code: {####}"),
	})
	u := e.seed(t, pool, "11111111-2222-3333-4444-555555555555", "CONFIRMED", map[string]string{"email": "jane@example.com", "email_verified": "true"})

	// The old, verified email stays (and keeps its alias) until the new one is verified.
	if err := e.updateAttrs(pool, "jane@example.com", "email", "jane@new.example"); err != nil {
		t.Fatal(err)
	}
	got := e.user(t, pool, u.Key)
	if got.Attributes["email"] != "jane@example.com" || got.Attributes["email_verified"] != "true" {
		t.Errorf("attributes %v", got.Attributes)
	}
	pending, err := PendingAttributes(got)
	if err != nil || pending["email"] != "jane@new.example" {
		t.Errorf("pending %v %v", pending, err)
	}
	if len(got.Aliases) != 1 || got.Aliases[0].Value != "jane@example.com" {
		t.Errorf("aliases %v", got.Aliases)
	}
	msgs := e.outbox(t, pool)
	if len(msgs) != 1 || msgs[0].Destination != "jane@new.example" || msgs[0].Username != u.Username {
		t.Fatalf("outbox %+v", msgs)
	}
	if c := e.code(t, pool, u.Key, message.PurposeVerifyAttribute("email")); c == nil || string(c.Data) != "jane@new.example" {
		t.Errorf("code %+v", c)
	}

	// Phone is auto-verified but not held back: replaced at once, code by SMS with the pool's template.
	if err := e.updateAttrs(pool, u.Key, "phone_number", "+15550009"); err != nil {
		t.Fatal(err)
	}
	msgs = e.outbox(t, pool)
	if len(msgs) != 2 || msgs[1].DeliveryMedium != "SMS" || msgs[1].Destination != "+15550009" || msgs[1].Body != "Code: "+msgs[1].Code {
		t.Fatalf("outbox %+v", msgs[1:])
	}

	// Setting email_verified with the new value applies it directly and drops the pending value.
	if err := e.updateAttrs(pool, u.Key, "email", "jane@direct.example", "email_verified", "true"); err != nil {
		t.Fatal(err)
	}
	got = e.user(t, pool, u.Key)
	pending, _ = PendingAttributes(got)
	if got.Attributes["email"] != "jane@direct.example" || len(pending) != 0 || got.Settings != nil {
		t.Errorf("attributes %v pending %v settings %s", got.Attributes, pending, got.Settings)
	}

	// An unverified current value is replaced at once.
	if err := e.updateAttrs(pool, u.Key, "email_verified", "false"); err != nil {
		t.Fatal(err)
	}
	if err := e.updateAttrs(pool, u.Key, "email", "jane@third.example"); err != nil {
		t.Fatal(err)
	}
	if got := e.user(t, pool, u.Key); got.Attributes["email"] != "jane@third.example" {
		t.Errorf("attributes %v", got.Attributes)
	}
	// In a pool where email is the username, a taken email is refused.
	e.seed(t, pool, "66666666-2222-3333-4444-555555555555", "CONFIRMED", map[string]string{"email": "taken@example.com"})
	err = e.updateAttrs(pool, u.Key, "email", "taken@example.com")
	wantErr(t, err, "UsernameExistsException", "")
}

func TestSettingsKeepOtherMembers(t *testing.T) {
	u := &storage.User{Settings: []byte(`{"mfa":{"totp":true}}`)}
	if err := SetPendingAttributes(u, map[string]string{"email": "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(u.Settings), `"mfa":{"totp":true}`) || !strings.Contains(string(u.Settings), `"pendingAttributes":{"email":"a@b.c"}`) {
		t.Errorf("settings %s", u.Settings)
	}
	if err := SetPendingAttributes(u, nil); err != nil {
		t.Fatal(err)
	}
	if string(u.Settings) != `{"mfa":{"totp":true}}` {
		t.Errorf("settings %s", u.Settings)
	}
	if _, err := PendingAttributes(&storage.User{Settings: []byte("{")}); err == nil {
		t.Error("corrupt settings accepted")
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func hasAny(m map[string]string, names ...string) bool {
	for _, n := range names {
		if _, ok := m[n]; ok {
			return true
		}
	}
	return false
}
