package pools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
)

const (
	testKMSKey    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	testKMSMRKKey = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"
	testCallerArn = "arn:aws:iam::123456789012:role/eums-sender"
	testSNSArn    = "arn:aws:iam::123456789012:role/sns-sender"
)

// The newest members go in through the operation table (JSON, the
// generated validators and the handler), are stored and come back out of
// CreateUserPool, DescribeUserPool and, after UpdateUserPool, again.
func TestNewestMembersRoundTrip(t *testing.T) {
	e := newEnv(t, false)
	out, err := e.call("CreateUserPool", `{
		"PoolName": "newest",
		"UserPoolTier": "ESSENTIALS",
		"KeyConfiguration": {"KeyType": "CUSTOMER_MANAGED_KEY", "KmsKeyArn": "`+testKMSKey+`"},
		"AcrConfiguration": {"Level2": {"AcrValue": "https://example.com/loa/mfa"}},
		"DcrConfiguration": {"OpenDcrEnabled": true, "AuthenticatedGrantTypes": ["code"], "OpenDcrGrantTypes": ["code", "implicit"],
			"AllowedScopes": ["api/read", "aws.cognito.signin.user.admin"]},
		"SmsConfiguration": {"EumsSms": {"CallerArn": "`+testCallerArn+`", "ExternalId": "ext",
			"OriginationIdentity": "+12065550100", "ConfigurationSetName": "set", "InEntityId": "e1", "InTemplateId": "t1", "Region": "us-east-1"}}
	}`)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	created := out.(*cognitoidp.CreateUserPoolResponse).UserPool
	want := map[string]string{
		"KeyConfiguration": `{"KeyType":"CUSTOMER_MANAGED_KEY","KmsKeyArn":"` + testKMSKey + `"}`,
		"AcrConfiguration": `{"Level1":{"AcrValue":"urn:cognito:loa:1"},"Level2":{"AcrValue":"https://example.com/loa/mfa"},` +
			`"Level3":{"AcrValue":"urn:cognito:loa:3"},"Level4":{"AcrValue":"urn:cognito:loa:4"}}`,
		"DcrConfiguration": `{"EnableStatus":"Enabled","OpenDcrEnabled":true,"AuthenticatedGrantTypes":["code"],` +
			`"OpenDcrGrantTypes":["code","implicit"],"AllowedScopes":["api/read","aws.cognito.signin.user.admin"]}`,
		"SmsConfiguration": `{"EumsSms":{"CallerArn":"` + testCallerArn + `","ExternalId":"ext",` +
			`"OriginationIdentity":"+12065550100","ConfigurationSetName":"set","InEntityId":"e1","InTemplateId":"t1","Region":"us-east-1"}}`,
	}
	check := func(label string, up *cognitoidp.UserPoolType) {
		t.Helper()
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(mustJSON(t, up)), &m); err != nil {
			t.Fatal(err)
		}
		for k, w := range want {
			var got, exp any
			if err := json.Unmarshal(m[k], &got); err != nil {
				t.Fatalf("%s: %s: %v", label, k, err)
			}
			_ = json.Unmarshal([]byte(w), &exp)
			if diff := cmp.Diff(exp, got); diff != "" {
				t.Errorf("%s: %s (-want +got):\n%s", label, k, diff)
			}
		}
	}
	check("CreateUserPool", created)
	check("DescribeUserPool", e.describe(t, *created.Id))

	// DescribeUserPool's output fed back to UpdateUserPool keeps everything.
	d := e.describe(t, *created.Id)
	up := &cognitoidp.UpdateUserPoolRequest{UserPoolId: created.Id, UserPoolTier: d.UserPoolTier,
		KeyConfiguration: d.KeyConfiguration, AcrConfiguration: d.AcrConfiguration, DcrConfiguration: d.DcrConfiguration,
		SmsConfiguration: d.SmsConfiguration}
	if _, err := e.svc.UpdateUserPool(e.ctx, up); err != nil {
		t.Fatalf("UpdateUserPool with the described members: %v", err)
	}
	check("DescribeUserPool after UpdateUserPool", e.describe(t, *created.Id))

	// Left out of UpdateUserPool: ACR names and DCR go back to their
	// defaults (none for DCR), the key stays.
	if _, err := e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{UserPoolId: created.Id}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	got := e.describe(t, *created.Id)
	if diff := cmp.Diff(EffectiveACR(nil), got.AcrConfiguration); diff != "" {
		t.Errorf("AcrConfiguration after an update without it (-want +got):\n%s", diff)
	}
	if got.DcrConfiguration != nil || got.SmsConfiguration != nil {
		t.Errorf("DcrConfiguration %v, SmsConfiguration %v after an update without them, want none", got.DcrConfiguration, got.SmsConfiguration)
	}
	if got.KeyConfiguration == nil || api.Deref(got.KeyConfiguration.KmsKeyArn) != testKMSKey {
		t.Errorf("KeyConfiguration after an update without it = %v, want the pool's key kept", got.KeyConfiguration)
	}
}

// A pool created without the newest members shows the default ACR names and
// none of the others.
func TestNewestMembersDefaults(t *testing.T) {
	e := newEnv(t, false)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypeLite)})
	if diff := cmp.Diff(EffectiveACR(nil), up.AcrConfiguration); diff != "" {
		t.Errorf("AcrConfiguration (-want +got):\n%s", diff)
	}
	if up.KeyConfiguration != nil || up.DcrConfiguration != nil || up.SmsConfiguration != nil {
		t.Errorf("unexpected members: %s", mustJSON(t, up))
	}
	for level, name := range DefaultACRValues {
		if ACRValue(up, level) != name || ACRLevel(up, name) != level {
			t.Errorf("ACRValue/ACRLevel of %s = %q/%q", level, ACRValue(up, level), ACRLevel(up, name))
		}
	}
	if ACRValue(up, "Level5") != "" || ACRLevel(up, "urn:other") != "" {
		t.Error("unknown levels and names must give nothing")
	}
	if p := DCR(up); p.Enabled {
		t.Errorf("DCR of a pool without DcrConfiguration = %+v", p)
	}
}

func TestKeyConfiguration(t *testing.T) {
	e := newEnv(t, false)
	cases := []struct {
		name, body string
		want       string // the stored KeyConfiguration, or
		code, msg  string // the error
	}{
		{"AWS owned", `{"KeyType":"AWS_OWNED_KEY"}`, `{"KeyType":"AWS_OWNED_KEY"}`, "", ""},
		{"type from the ARN", `{"KmsKeyArn":"` + testKMSMRKKey + `"}`, `{"KeyType":"CUSTOMER_MANAGED_KEY","KmsKeyArn":"` + testKMSMRKKey + `"}`, "", ""},
		{"no type, no ARN", `{}`, `{"KeyType":"AWS_OWNED_KEY"}`, "", ""},
		{"customer key without ARN", `{"KeyType":"CUSTOMER_MANAGED_KEY"}`, "", "InvalidParameterException", msgKmsKeyRequired},
		{"AWS owned with ARN", `{"KeyType":"AWS_OWNED_KEY","KmsKeyArn":"` + testKMSKey + `"}`, "", "InvalidParameterException", msgKmsKeyWithAWSOwned},
		{"not a KMS key", `{"KmsKeyArn":"arn:aws:iam::123456789012:role/some-role"}`, "", "InvalidParameterException",
			"Invalid KmsKeyArn arn:aws:iam::123456789012:role/some-role: it must be the ARN of an AWS KMS key."},
		{"another Region", `{"KmsKeyArn":"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}`, "", "InvalidParameterException",
			"The KMS key arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab must be in the user pool's Region us-east-1."},
		{"not an ARN", `{"KmsKeyArn":"my-key"}`, "", "InvalidParameterException",
			"2 validation errors detected: Value 'my-key' at 'keyConfiguration.kmsKeyArn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
				"Value 'my-key' at 'keyConfiguration.kmsKeyArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " + shownARN},
		{"bad type", `{"KeyType":"MINE"}`, "", "InvalidParameterException",
			"1 validation error detected: Value 'MINE' at 'keyConfiguration.keyType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_OWNED_KEY, CUSTOMER_MANAGED_KEY]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := e.call("CreateUserPool", `{"PoolName":"k","KeyConfiguration":`+c.body+`}`)
			if c.code != "" {
				wantErr(t, err, c.code, c.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			up := out.(*cognitoidp.CreateUserPoolResponse).UserPool
			if got := mustCompact(t, up.KeyConfiguration); got != c.want {
				t.Errorf("KeyConfiguration = %s, want %s", got, c.want)
			}
		})
	}
	// UpdateUserPool checks it the same way.
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{})
	_, err := e.call("UpdateUserPool", `{"UserPoolId":"`+*up.Id+`","KeyConfiguration":{"KeyType":"CUSTOMER_MANAGED_KEY"}}`)
	wantErr(t, err, "InvalidParameterException", msgKmsKeyRequired)
	if _, err := e.call("UpdateUserPool", `{"UserPoolId":"`+*up.Id+`","KeyConfiguration":{"KmsKeyArn":"`+testKMSKey+`"}}`); err != nil {
		t.Fatalf("UpdateUserPool with a key: %v", err)
	}
	if got := e.describe(t, *up.Id).KeyConfiguration; api.Deref(got.KmsKeyArn) != testKMSKey {
		t.Errorf("KeyConfiguration after UpdateUserPool = %s", mustCompact(t, got))
	}
}

func TestAcrConfiguration(t *testing.T) {
	e := newEnv(t, false)
	cases := []struct {
		name, tier, body string
		code, msg        string
	}{
		{"all four", "PLUS", `{"Level1":{"AcrValue":"a"},"Level2":{"AcrValue":"b"},"Level3":{"AcrValue":"c"},"Level4":{"AcrValue":"d"}}`, "", ""},
		{"swapped defaults", "ESSENTIALS", `{"Level1":{"AcrValue":"urn:cognito:loa:2"},"Level2":{"AcrValue":"urn:cognito:loa:1"}}`, "", ""},
		{"defaults on Lite", "LITE", `{"Level3":{"AcrValue":"urn:cognito:loa:3"}}`, "", ""},
		{"custom on Lite", "LITE", `{"Level3":{"AcrValue":"x"}}`, "FeatureUnavailableInTierException",
			"The following feature is not available for the LITE pricing tier configured: AcrConfiguration"},
		{"unknown level", "ESSENTIALS", `{"Level5":{"AcrValue":"x"}}`, "InvalidParameterException",
			"Invalid ACR level Level5. Valid levels are Level1, Level2, Level3 and Level4."},
		{"a default's name", "ESSENTIALS", `{"Level1":{"AcrValue":"urn:cognito:loa:4"}}`, "InvalidParameterException",
			"The ACR value urn:cognito:loa:4 is used for both Level1 and Level4. Each ACR level must have a unique name."},
		{"one name twice", "ESSENTIALS", `{"Level1":{"AcrValue":"same"},"Level3":{"AcrValue":"same"}}`, "InvalidParameterException",
			"The ACR value same is used for both Level1 and Level3. Each ACR level must have a unique name."},
		{"missing value", "ESSENTIALS", `{"Level1":{}}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'acrConfiguration.Level1.member.acrValue' failed to satisfy constraint: Member must not be null"},
		{"bad characters", "ESSENTIALS", `{"Level2":{"AcrValue":"has space"}}`, "InvalidParameterException",
			"1 validation error detected: Value 'has space' at 'acrConfiguration.Level2.member.acrValue' failed to satisfy constraint: Member must satisfy regular expression pattern: " + shownACR},
		{"too long", "ESSENTIALS", `{"Level2":{"AcrValue":"` + strings.Repeat("x", 65) + `"}}`, "InvalidParameterException",
			"1 validation error detected: Value '" + strings.Repeat("x", 65) + "' at 'acrConfiguration.Level2.member.acrValue' failed to satisfy constraint: Member must have length less than or equal to 64"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := e.call("CreateUserPool", `{"PoolName":"acr","UserPoolTier":"`+c.tier+`","AcrConfiguration":`+c.body+`}`)
			if c.code != "" {
				wantErr(t, err, c.code, c.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			up := out.(*cognitoidp.CreateUserPoolResponse).UserPool
			var given map[string]cognitoidp.AcrLevelConfigType
			_ = json.Unmarshal([]byte(c.body), &given)
			if diff := cmp.Diff(EffectiveACR(given), up.AcrConfiguration); diff != "" {
				t.Errorf("AcrConfiguration (-want +got):\n%s", diff)
			}
			if len(up.AcrConfiguration) != 4 {
				t.Errorf("AcrConfiguration has %d levels, want 4", len(up.AcrConfiguration))
			}
		})
	}
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypePlus),
		AcrConfiguration: map[string]cognitoidp.AcrLevelConfigType{ACRLevel4: {AcrValue: api.Ptr("https://example.com/strong")}}})
	if ACRValue(up, ACRLevel4) != "https://example.com/strong" || ACRLevel(up, "https://example.com/strong") != ACRLevel4 || ACRValue(up, ACRLevel1) != "urn:cognito:loa:1" {
		t.Errorf("ACRValue/ACRLevel do not follow the pool's names: %s", mustCompact(t, up.AcrConfiguration))
	}
}

func TestDcrConfiguration(t *testing.T) {
	e := newEnv(t, false)
	cases := []struct {
		name, tier, body string
		want             DCRPolicy
		code, msg        string
	}{
		{"defaults", "ESSENTIALS", `{}`, DCRPolicy{Enabled: true,
			AuthenticatedGrants: []cognitoidp.OAuthFlowType{"code", "client_credentials"}, OpenGrants: []cognitoidp.OAuthFlowType{"code"}}, "", ""},
		{"open, implicit ignored, registration scope dropped", "PLUS",
			`{"OpenDcrEnabled":true,"OpenDcrGrantTypes":["implicit","client_credentials"],"AllowedScopes":["api/read","aws.cognito/dcr/register"]}`,
			DCRPolicy{Enabled: true, Open: true, AuthenticatedGrants: []cognitoidp.OAuthFlowType{"code", "client_credentials"},
				OpenGrants: []cognitoidp.OAuthFlowType{"client_credentials"}, Scopes: []string{"api/read"}}, "", ""},
		{"empty lists refuse registration", "ESSENTIALS", `{"AuthenticatedGrantTypes":[],"OpenDcrGrantTypes":[]}`,
			DCRPolicy{Enabled: true, AuthenticatedGrants: []cognitoidp.OAuthFlowType{}, OpenGrants: []cognitoidp.OAuthFlowType{}}, "", ""},
		{"disabled", "ESSENTIALS", `{"EnableStatus":"Disabled","OpenDcrEnabled":true}`, DCRPolicy{}, "", ""},
		{"disabled on Lite", "LITE", `{"EnableStatus":"Disabled"}`, DCRPolicy{}, "", ""},
		{"enabled on Lite", "LITE", `{}`, DCRPolicy{}, "FeatureUnavailableInTierException",
			"The following feature is not available for the LITE pricing tier configured: DcrConfiguration"},
		{"bad status", "ESSENTIALS", `{"EnableStatus":"ON"}`, DCRPolicy{}, "InvalidParameterException",
			"1 validation error detected: Value 'ON' at 'dcrConfiguration.enableStatus' failed to satisfy constraint: Member must satisfy enum value set: [Enabled, Disabled]"},
		{"bad grant", "ESSENTIALS", `{"AuthenticatedGrantTypes":["password"]}`, DCRPolicy{}, "InvalidParameterException",
			"1 validation error detected: Value 'password' at 'dcrConfiguration.authenticatedGrantTypes.1.member' failed to satisfy constraint: Member must satisfy enum value set: [code, implicit, client_credentials]"},
		{"grant twice", "ESSENTIALS", `{"OpenDcrGrantTypes":["code","code"]}`, DCRPolicy{}, "InvalidParameterException", "Duplicate grant type code in DcrConfiguration."},
		{"scope twice", "ESSENTIALS", `{"AllowedScopes":["a/b","a/b"]}`, DCRPolicy{}, "InvalidParameterException", "Duplicate scope a/b in DcrConfiguration AllowedScopes."},
		{"bad scope", "ESSENTIALS", `{"AllowedScopes":["has space"]}`, DCRPolicy{}, "InvalidParameterException",
			"1 validation error detected: Value 'has space' at 'dcrConfiguration.allowedScopes.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: " + shownScope},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := e.call("CreateUserPool", `{"PoolName":"dcr","UserPoolTier":"`+c.tier+`","DcrConfiguration":`+c.body+`}`)
			if c.code != "" {
				wantErr(t, err, c.code, c.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			up := out.(*cognitoidp.CreateUserPoolResponse).UserPool
			if up.DcrConfiguration == nil || up.DcrConfiguration.EnableStatus == nil {
				t.Fatalf("DcrConfiguration = %s, want it stored with its EnableStatus", mustCompact(t, up.DcrConfiguration))
			}
			if diff := cmp.Diff(c.want, DCR(e.describe(t, *up.Id))); diff != "" {
				t.Errorf("DCR (-want +got):\n%s", diff)
			}
		})
	}
	// Fifty-one scopes are one too many.
	scopes := make([]string, 51)
	for i := range scopes {
		scopes[i] = "s/" + strings.Repeat("x", i+1)
	}
	_, err := e.svc.CreateUserPool(e.ctx, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("many"),
		DcrConfiguration: &cognitoidp.DcrConfigurationType{AllowedScopes: scopes}})
	if ae, ok := awserr.As(err); !ok || ae.Code != "InvalidParameterException" ||
		!strings.Contains(err.Error(), "at 'dcrConfiguration.allowedScopes' failed to satisfy constraint: Member must have length less than or equal to 50") {
		t.Errorf("51 scopes: %v", err)
	}
}

func TestEumsSms(t *testing.T) {
	e := newEnv(t, false)
	sms := func(eums string) string {
		return `{"PoolName":"sms","SmsConfiguration":{"EumsSms":` + eums + `}}`
	}
	cases := []struct {
		name, eums string
		code, msg  string
	}{
		{"minimal", `{"CallerArn":"` + testCallerArn + `"}`, "", ""},
		{"origination ARN", `{"CallerArn":"` + testCallerArn + `","OriginationIdentity":"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc"}`, "", ""},
		{"own Region", `{"CallerArn":"` + testCallerArn + `","Region":"us-east-1"}`, "", ""},
		{"no caller", `{"Region":"us-east-1"}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'smsConfiguration.eumsSms.callerArn' failed to satisfy constraint: Member must not be null"},
		{"caller not an ARN", `{"CallerArn":"role/eums-sender-role"}`, "InvalidParameterException",
			"1 validation error detected: Value 'role/eums-sender-role' at 'smsConfiguration.eumsSms.callerArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " + shownARN},
		{"other Region", `{"CallerArn":"` + testCallerArn + `","Region":"eu-west-1"}`, "InvalidParameterException",
			"EumsSms Region eu-west-1 must be the user pool's Region us-east-1."},
		{"bad origination", `{"CallerArn":"` + testCallerArn + `","OriginationIdentity":"2065550100"}`, "InvalidParameterException",
			"Invalid OriginationIdentity 2065550100: provide an E.164 phone number or the ARN of a phone number, sender ID or phone pool."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := e.call("CreateUserPool", sms(c.eums))
			if c.code != "" {
				wantErr(t, err, c.code, c.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			up := out.(*cognitoidp.CreateUserPoolResponse).UserPool
			var want cognitoidp.EumsSmsConfigurationType
			_ = json.Unmarshal([]byte(c.eums), &want)
			if diff := cmp.Diff(&want, e.describe(t, *up.Id).SmsConfiguration.EumsSms); diff != "" {
				t.Errorf("EumsSms (-want +got):\n%s", diff)
			}
		})
	}
	// The rules hold for SetUserPoolMfaConfig's SmsConfiguration too.
	err := CheckSmsConfiguration("us-east-1_abc", "smsMfaConfiguration.smsConfiguration",
		&cognitoidp.SmsConfigurationType{EumsSms: &cognitoidp.EumsSmsConfigurationType{CallerArn: api.Ptr("x")}})
	wantErr(t, err, "InvalidParameterException", "2 validation errors detected: Value 'x' at 'smsMfaConfiguration.smsConfiguration.eumsSms.callerArn' failed to satisfy constraint: Member must have length greater than or equal to 20; "+
		"Value 'x' at 'smsMfaConfiguration.smsConfiguration.eumsSms.callerArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "+shownARN)
	err = CheckSmsConfiguration("eu-west-1_abc", "smsMfaConfiguration.smsConfiguration",
		&cognitoidp.SmsConfigurationType{EumsSms: &cognitoidp.EumsSmsConfigurationType{CallerArn: api.Ptr(testCallerArn), Region: api.Ptr("us-east-1")}})
	wantErr(t, err, "InvalidParameterException", "EumsSms Region us-east-1 must be the user pool's Region eu-west-1.")
	if err := CheckSmsConfiguration("us-east-1_abc", "x", &cognitoidp.SmsConfigurationType{SnsCallerArn: api.Ptr(testSNSArn)}); err != nil {
		t.Errorf("an SNS-only configuration: %v", err)
	}
	// SNS or End User Messaging, not both.
	err = CheckSmsConfiguration("us-east-1_abc", "x", &cognitoidp.SmsConfigurationType{SnsCallerArn: api.Ptr(testSNSArn),
		EumsSms: &cognitoidp.EumsSmsConfigurationType{CallerArn: api.Ptr(testCallerArn)}})
	wantErr(t, err, "InvalidParameterException", "Provide either SnsCallerArn or EumsSms in SmsConfiguration, but not both.")
}

func mustCompact(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
