package pools

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestCreateUserPoolDefaults(t *testing.T) {
	e := newEnv(t, false)
	created := e.create(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("MyUserPool")})

	id := *created.Id
	if !regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`).MatchString(id) {
		t.Errorf("pool id %q is not {region}_{9 alphanumerics}", id)
	}
	if want := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + id; api.Deref(created.Arn) != want {
		t.Errorf("Arn = %q, want %q", api.Deref(created.Arn), want)
	}

	described := e.describe(t, id)
	got := strings.ReplaceAll(mustJSON(t, described), id, "us-east-1_POOLID")
	golden(t, "new_pool.describe.json", got)

	// CreateUserPool answers with the same document, without the (absent) tags.
	described.UserPoolTags = nil
	if diff := cmp.Diff(described, created); diff != "" {
		t.Errorf("CreateUserPool output differs from DescribeUserPool (-describe +create):\n%s", diff)
	}
}

func TestCreateUserPoolKeepsGivenSettings(t *testing.T) {
	e := newEnv(t, false)
	in := &cognitoidp.CreateUserPoolRequest{
		PoolName:               api.Ptr("given"),
		DeletionProtection:     api.Ptr(cognitoidp.DeletionProtectionTypeActive),
		LambdaConfig:           &cognitoidp.LambdaConfigType{PreSignUp: api.Ptr("arn:aws:lambda:us-east-1:123456789012:function:pre")},
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
		UsernameAttributes:     []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail},
		UsernameConfiguration:  &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)},
		MfaConfiguration:       api.Ptr(cognitoidp.UserPoolMfaTypeOptional),
		UserPoolTier:           api.Ptr(cognitoidp.UserPoolTierTypeLite),
		DeviceConfiguration:    &cognitoidp.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true},
		AccountRecoverySetting: &cognitoidp.AccountRecoverySettingType{RecoveryMechanisms: []cognitoidp.RecoveryOptionType{
			{Name: api.Ptr(cognitoidp.RecoveryOptionNameTypeVerifiedEmail), Priority: api.Ptr(int32(1))},
		}},
		UserAttributeUpdateSettings: &cognitoidp.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
		},
		UserPoolTags: map[string]string{"env": "test"},
	}
	created := e.create(t, in)
	up := e.describe(t, *created.Id)
	for _, p := range []*cognitoidp.UserPoolType{created, up} {
		if *p.DeletionProtection != cognitoidp.DeletionProtectionTypeActive ||
			api.Deref(p.LambdaConfig.PreSignUp) != *in.LambdaConfig.PreSignUp ||
			!cmp.Equal(p.AutoVerifiedAttributes, in.AutoVerifiedAttributes) ||
			!cmp.Equal(p.UsernameAttributes, in.UsernameAttributes) ||
			!cmp.Equal(p.UsernameConfiguration, in.UsernameConfiguration) ||
			*p.MfaConfiguration != cognitoidp.UserPoolMfaTypeOptional ||
			*p.UserPoolTier != cognitoidp.UserPoolTierTypeLite ||
			!cmp.Equal(p.DeviceConfiguration, in.DeviceConfiguration) ||
			!cmp.Equal(p.AccountRecoverySetting, in.AccountRecoverySetting) ||
			!cmp.Equal(p.UserAttributeUpdateSettings, in.UserAttributeUpdateSettings) ||
			!cmp.Equal(p.UserPoolTags, map[string]string{"env": "test"}) {
			t.Errorf("settings not kept:\n%s", mustJSON(t, p))
		}
	}
}

func TestCreateUserPoolPasswordPolicy(t *testing.T) {
	e := newEnv(t, false)
	// A given policy is taken as is: unset flags are false (the model's default).
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{Policies: &cognitoidp.UserPoolPolicyType{
		PasswordPolicy: &cognitoidp.PasswordPolicyType{MinimumLength: api.Ptr(int32(6)), RequireNumbers: true},
	}})
	want := &cognitoidp.PasswordPolicyType{MinimumLength: api.Ptr(int32(6)), RequireNumbers: true, TemporaryPasswordValidityDays: 7}
	if diff := cmp.Diff(want, up.Policies.PasswordPolicy); diff != "" {
		t.Errorf("password policy (-want +got):\n%s", diff)
	}

	// The legacy UnusedAccountValidityDays sets the temporary password validity and mirrors it.
	up = e.create(t, &cognitoidp.CreateUserPoolRequest{AdminCreateUserConfig: &cognitoidp.AdminCreateUserConfigType{UnusedAccountValidityDays: 6}})
	if up.Policies.PasswordPolicy.TemporaryPasswordValidityDays != 6 || up.AdminCreateUserConfig.UnusedAccountValidityDays != 6 {
		t.Errorf("UnusedAccountValidityDays 6: got policy %d, config %d", up.Policies.PasswordPolicy.TemporaryPasswordValidityDays, up.AdminCreateUserConfig.UnusedAccountValidityDays)
	}
	up = e.create(t, &cognitoidp.CreateUserPoolRequest{Policies: &cognitoidp.UserPoolPolicyType{
		PasswordPolicy: &cognitoidp.PasswordPolicyType{MinimumLength: api.Ptr(int32(10)), TemporaryPasswordValidityDays: 3},
	}})
	if up.AdminCreateUserConfig.UnusedAccountValidityDays != 3 {
		t.Errorf("UnusedAccountValidityDays = %d, want 3 (mirrors TemporaryPasswordValidityDays)", up.AdminCreateUserConfig.UnusedAccountValidityDays)
	}
	// A SignInPolicy alone keeps the default password policy.
	up = e.create(t, &cognitoidp.CreateUserPoolRequest{Policies: &cognitoidp.UserPoolPolicyType{
		SignInPolicy: &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: []cognitoidp.AuthFactorType{"PASSWORD", "EMAIL_OTP"}},
	}})
	if pp := up.Policies.PasswordPolicy; *pp.MinimumLength != 8 || !pp.RequireSymbols || len(up.Policies.SignInPolicy.AllowedFirstAuthFactors) != 2 {
		t.Errorf("policies: %s", mustJSON(t, up.Policies))
	}
}

func TestCreateUserPoolVerificationMessages(t *testing.T) {
	e := newEnv(t, false)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{
		VerificationMessageTemplate: &cognitoidp.VerificationMessageTemplateType{
			DefaultEmailOption: api.Ptr(cognitoidp.DefaultEmailOptionTypeConfirmWithLink),
			EmailMessage:       api.Ptr("foo {####} bar"),
			EmailMessageByLink: api.Ptr("{##foobar##}"),
			EmailSubject:       api.Ptr("foobar {####}"),
			SmsMessage:         api.Ptr("{####} baz"),
		},
	})
	if api.Deref(up.SmsVerificationMessage) != "{####} baz" || api.Deref(up.EmailVerificationSubject) != "foobar {####}" ||
		api.Deref(up.EmailVerificationMessage) != "foo {####} bar" ||
		*up.VerificationMessageTemplate.DefaultEmailOption != cognitoidp.DefaultEmailOptionTypeConfirmWithLink {
		t.Errorf("template not mirrored into the legacy members:\n%s", mustJSON(t, up))
	}
	up = e.create(t, &cognitoidp.CreateUserPoolRequest{EmailVerificationMessage: api.Ptr("code {####}")})
	if api.Deref(up.VerificationMessageTemplate.EmailMessage) != "code {####}" ||
		*up.VerificationMessageTemplate.DefaultEmailOption != cognitoidp.DefaultEmailOptionTypeConfirmWithCode {
		t.Errorf("legacy member not mirrored into the template:\n%s", mustJSON(t, up.VerificationMessageTemplate))
	}
}

func TestCreateUserPoolSchema(t *testing.T) {
	e := newEnv(t, false)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
		{Name: api.Ptr("email"), Required: api.Ptr(true)},
		{Name: api.Ptr("given_name"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(false),
			StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MaxLength: api.Ptr("255")}},
		{Name: api.Ptr("updated_at"), NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MaxValue: api.Ptr("99999999999")}},
		{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString)},
		{Name: api.Ptr("age"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber), Mutable: api.Ptr(false),
			NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MinValue: api.Ptr("-5")},
			StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr("1")}},
		{Name: api.Ptr("secret"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeBoolean), DeveloperOnlyAttribute: api.Ptr(true)},
		{Name: api.Ptr("custom:twice"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeDatetime)},
	}})
	s := up.SchemaAttributes
	if len(s) != len(standardAttributes)+4 {
		t.Fatalf("schema has %d attributes, want %d", len(s), len(standardAttributes)+4)
	}
	// Standard attributes first, in their fixed order, then custom ones in request order.
	for i, std := range standardAttributes {
		if *s[i].Name != *std.Name {
			t.Errorf("schema[%d] = %s, want %s", i, *s[i].Name, *std.Name)
		}
	}
	wantCustom := []string{"custom:tier", "custom:age", "dev:custom:secret", "custom:custom:twice"}
	for i, n := range wantCustom {
		if got := *s[len(standardAttributes)+i].Name; got != n {
			t.Errorf("custom attribute %d = %s, want %s", i, got, n)
		}
	}
	check := func(name, want string) {
		t.Helper()
		a := findAttr(s, name)
		if a == nil {
			t.Fatalf("no attribute %s", name)
		}
		if got := mustJSON(t, a); got != want {
			t.Errorf("%s =\n%s\nwant\n%s", name, got, want)
		}
	}
	check("email", mustJSON(t, cognitoidp.SchemaAttributeType{Name: api.Ptr("email"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString),
		DeveloperOnlyAttribute: api.Ptr(false), Mutable: api.Ptr(true), Required: api.Ptr(true),
		StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr("0"), MaxLength: api.Ptr("2048")}}))
	check("given_name", mustJSON(t, cognitoidp.SchemaAttributeType{Name: api.Ptr("given_name"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString),
		DeveloperOnlyAttribute: api.Ptr(false), Mutable: api.Ptr(false), Required: api.Ptr(false),
		StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr("0"), MaxLength: api.Ptr("255")}}))
	check("updated_at", mustJSON(t, cognitoidp.SchemaAttributeType{Name: api.Ptr("updated_at"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber),
		DeveloperOnlyAttribute: api.Ptr(false), Mutable: api.Ptr(true), Required: api.Ptr(false),
		NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MinValue: api.Ptr("0"), MaxValue: api.Ptr("99999999999")}}))
	check("custom:tier", `{
  "Name": "custom:tier",
  "AttributeDataType": "String",
  "DeveloperOnlyAttribute": false,
  "Mutable": true,
  "Required": false,
  "StringAttributeConstraints": {}
}`)
	check("custom:age", `{
  "Name": "custom:age",
  "AttributeDataType": "Number",
  "DeveloperOnlyAttribute": false,
  "Mutable": false,
  "Required": false,
  "NumberAttributeConstraints": {
    "MinValue": "-5"
  }
}`)
	check("dev:custom:secret", `{
  "Name": "dev:custom:secret",
  "AttributeDataType": "Boolean",
  "DeveloperOnlyAttribute": true,
  "Mutable": true,
  "Required": false
}`)
	// sub stays Cognito's, whatever the request says.
	up = e.create(t, &cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{{Name: api.Ptr("sub"), Mutable: api.Ptr(true), Required: api.Ptr(false)}}})
	if a := findAttr(up.SchemaAttributes, "sub"); *a.Mutable || !*a.Required {
		t.Errorf("sub changed: %s", mustJSON(t, a))
	}
}

func TestCreateUserPoolValidation(t *testing.T) {
	e := newEnv(t, false)
	str := api.Ptr(cognitoidp.AttributeDataTypeString)
	custom := func(n int) []cognitoidp.SchemaAttributeType {
		var s []cognitoidp.SchemaAttributeType
		for i := range n {
			s = append(s, cognitoidp.SchemaAttributeType{Name: api.Ptr("a" + string(rune('A'+i/26)) + string(rune('a'+i%26))), AttributeDataType: str})
		}
		return s
	}
	tags := map[string]string{}
	for i := range 51 {
		tags[string(rune('a'+i/26))+string(rune('a'+i%26))] = "v"
	}
	cases := []struct {
		name string
		in   cognitoidp.CreateUserPoolRequest
		code string
		msg  string
	}{
		{"no name", cognitoidp.CreateUserPoolRequest{}, "InvalidParameterException",
			"1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null"},
		{"username and alias attributes", cognitoidp.CreateUserPoolRequest{
			UsernameAttributes: []cognitoidp.UsernameAttributeType{"email"}, AliasAttributes: []cognitoidp.AliasAttributeType{"phone_number"},
		}, "InvalidParameterException", msgUsernameAndAlias},
		{"required custom attribute", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("x"), AttributeDataType: str, Required: api.Ptr(true)},
		}}, "InvalidParameterException", "Required custom attributes are not supported currently."},
		{"custom attribute without type", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{{Name: api.Ptr("x")}}},
			"InvalidParameterException", "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."},
		{"standard attribute type change", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("email"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber)},
		}}, "InvalidParameterException", "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"},
		{"standard attribute developer-only", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("email"), DeveloperOnlyAttribute: api.Ptr(true)},
		}}, "InvalidParameterException", "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"},
		{"bad string constraint", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("email"), AttributeDataType: str, StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr("invalid_value")}},
		}}, "InvalidParameterException", "Invalid StringAttributeConstraints for schema attribute email"},
		{"bad number constraint", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("updated_at"), NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MaxValue: api.Ptr("1.5")}},
		}}, "InvalidParameterException", "Invalid NumberAttributeConstraints for schema attribute updated_at"},
		{"string over 2048", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("email"), StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MaxLength: api.Ptr("2049")}},
		}}, "InvalidParameterException", "user.email: String attributes cannot have a length of more than 2048"},
		{"custom string over 2048", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("big"), AttributeDataType: str, StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr("3000")}},
		}}, "InvalidParameterException", "user.custom:big: String attributes cannot have a length of more than 2048"},
		{"min length over max", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("email"), StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr("2"), MaxLength: api.Ptr("1")}},
		}}, "InvalidParameterException", "user.email: Max length cannot be less than min length."},
		{"min value over max", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("updated_at"), NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MinValue: api.Ptr("2"), MaxValue: api.Ptr("1")}},
		}}, "InvalidParameterException", "user.updated_at: Max value cannot be less than min value."},
		{"duplicate custom attribute", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("x"), AttributeDataType: str},
			{Name: api.Ptr("x"), AttributeDataType: str, DeveloperOnlyAttribute: api.Ptr(true)},
		}}, "InvalidParameterException", "custom:x: Existing attribute already has name custom:x."},
		{"duplicate standard attribute", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("email")}, {Name: api.Ptr("email"), Required: api.Ptr(true)},
		}}, "InvalidParameterException", "email: Existing attribute already has name email."},
		{"custom name too long", cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("abcdefghijklmnopqrstu"), AttributeDataType: str},
		}}, "InvalidParameterException", ""},
		{"more than 50 schema entries", cognitoidp.CreateUserPoolRequest{Schema: custom(51)}, "InvalidParameterException", ""},
		{"temporary password validity twice", cognitoidp.CreateUserPoolRequest{
			Policies:              &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{TemporaryPasswordValidityDays: 3}},
			AdminCreateUserConfig: &cognitoidp.AdminCreateUserConfigType{UnusedAccountValidityDays: 5},
		}, "InvalidParameterException", "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"},
		{"verify before update without auto-verify", cognitoidp.CreateUserPoolRequest{
			UserAttributeUpdateSettings: &cognitoidp.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []cognitoidp.VerifiedAttributeType{"email"}},
		}, "InvalidParameterException", "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"},
		{"threat protection below Plus", cognitoidp.CreateUserPoolRequest{
			UserPoolAddOns: &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeAudit)},
		}, "FeatureUnavailableInTierException", msgAddOnsNeedPlus},
		{"preferred_username alias and required", cognitoidp.CreateUserPoolRequest{
			AliasAttributes: []cognitoidp.AliasAttributeType{"preferred_username"},
			Schema:          []cognitoidp.SchemaAttributeType{{Name: api.Ptr("preferred_username"), Required: api.Ptr(true)}},
		}, "InvalidParameterException", msgPreferredUsernameRequiredAlias},
		{"too many tags", cognitoidp.CreateUserPoolRequest{UserPoolTags: tags}, "InvalidParameterException", msgTooManyTags},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if c.name != "no name" {
				in.PoolName = api.Ptr("p")
			}
			_, err := e.svc.CreateUserPool(e.ctx, &in)
			wantErr(t, err, c.code, c.msg)
		})
	}
	// Nothing was left behind by the refused requests.
	out, err := e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(60))})
	if err != nil || len(out.UserPools) != 0 {
		t.Fatalf("pools after refused creates: %v, %v", out, err)
	}

	// Plus allows threat protection; a custom 50th attribute is fine.
	e.create(t, &cognitoidp.CreateUserPoolRequest{UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypePlus),
		UserPoolAddOns: &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeEnforced)}})
	if up := e.create(t, &cognitoidp.CreateUserPoolRequest{Schema: custom(50)}); countCustom(up.SchemaAttributes) != 50 {
		t.Errorf("custom attributes = %d, want 50", countCustom(up.SchemaAttributes))
	}
}

func TestCreateUserPoolMakesSigningKeys(t *testing.T) {
	e := newEnv(t, true)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{})
	jwks, err := e.keys.JWKS(e.ctx, *up.Id)
	if err != nil {
		t.Fatalf("JWKS of a new pool: %v", err)
	}
	if n := strings.Count(string(jwks), `"kid"`); n != 2 {
		t.Errorf("new pool has %d keys, want 2 (ID and access tokens): %s", n, jwks)
	}
}
