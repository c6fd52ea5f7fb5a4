package e2e

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/server"
	"github.com/cogito-dev/cogito/internal/userpool/webauthn/authenticatortest"
)

// The newest members of existing shapes (the JS SDK v3 declarations add them
// to the Smithy model): accepted, stored and returned, with their rules. The
// aws-sdk-go-v2 client here knows some of them (KeyConfiguration,
// IssuerConfiguration, Routing, FactorConfiguration, WebAuthnMfaSettings);
// the others go over the wire as raw JSON, as a newer SDK would send them.

const (
	newestKMSKey = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	newestCert   = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"
)

// TestNewestMembers runs on one server that serves eu-west-1 replicas.
func TestNewestMembers(t *testing.T) {
	clk := &clock.Offset{}
	c := startOpts(t, sqliteBackend.new(t), func(cfg *config.Config) { cfg.ReplicaRegions = []string{"eu-west-1"} }, server.Options{Clock: clk})
	t.Run("Pool", func(t *testing.T) { t.Parallel(); testNewestPool(t, c) })
	t.Run("PoolRules", func(t *testing.T) { t.Parallel(); testNewestPoolRules(t, c) })
	t.Run("Domain", func(t *testing.T) { testNewestDomain(t, c, clk) })
	t.Run("ResourceServer", func(t *testing.T) { t.Parallel(); testNewestResourceServer(t, c) })
	t.Run("RevokeToken", func(t *testing.T) { t.Parallel(); testNewestRevokeToken(t, c) })
	t.Run("PasskeyMFA", func(t *testing.T) { t.Parallel(); testNewestPasskeyMFA(t, c) })
	t.Run("DoneElsewhere", func(t *testing.T) { t.Parallel(); testNewestDoneElsewhere(t, c) })
	t.Run("ImportedHash", func(t *testing.T) { t.Parallel(); testNewestImportedHash(t, c) })
}

// rawIDP sends a User Pools operation as raw JSON and returns the HTTP
// status and the decoded answer.
func (c *cogito) rawIDP(t testing.TB, op, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, c.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: decoding the answer: %v", op, err)
	}
	return resp.StatusCode, out
}

// mustRaw is rawIDP for a call that must succeed.
func (c *cogito) mustRaw(t testing.TB, op, body string) map[string]any {
	t.Helper()
	status, out := c.rawIDP(t, op, body)
	if status != http.StatusOK {
		t.Fatalf("%s: HTTP %d %v", op, status, out)
	}
	return out
}

// wantRawError checks a raw answer is the Cognito error code (and message
// part).
func wantRawError(t testing.TB, status int, out map[string]any, code, msgPart string) {
	t.Helper()
	typ, _ := out["__type"].(string)
	msg, _ := out["message"].(string)
	if status != http.StatusBadRequest || !strings.HasSuffix(typ, code) || !strings.Contains(msg, msgPart) {
		t.Fatalf("got HTTP %d %s %q, want 400 %s containing %q", status, typ, msg, code, msgPart)
	}
}

// member decodes out[key] into v.
func member(t testing.TB, out map[string]any, v any, keys ...string) {
	t.Helper()
	cur := any(out)
	for _, k := range keys {
		m, _ := cur.(map[string]any)
		cur = m[k]
	}
	b, _ := json.Marshal(cur)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %v", keys, err)
	}
}

// sameJSON compares got (any JSON value) with the JSON text want.
func sameJSON(t testing.TB, label string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	var gv any
	_ = json.Unmarshal(g, &gv)
	wb, _ := json.Marshal(w)
	gb, _ := json.Marshal(gv)
	if string(wb) != string(gb) {
		t.Errorf("%s = %s, want %s", label, gb, wb)
	}
}

func testNewestPool(t *testing.T, c *cogito) {
	name := uniq("newest")
	out := c.mustRaw(t, "CreateUserPool", `{"PoolName":"`+name+`","UserPoolTier":"ESSENTIALS",
		"KeyConfiguration":{"KeyType":"CUSTOMER_MANAGED_KEY","KmsKeyArn":"`+newestKMSKey+`"},
		"IssuerConfiguration":{"Type":"UPDATED"},
		"AcrConfiguration":{"Level3":{"AcrValue":"https://example.com/acr/strong"}},
		"DcrConfiguration":{"OpenDcrEnabled":true,"OpenDcrGrantTypes":["code"],"AllowedScopes":["api/read"]},
		"SmsConfiguration":{"EumsSms":{"CallerArn":"arn:aws:iam::000000000000:role/eums",
			"OriginationIdentity":"+12065550100","Region":"us-east-1"}}}`)
	var id string
	member(t, out, &id, "UserPool", "Id")
	t.Cleanup(func() { c.rawIDP(t, "DeleteUserPool", `{"UserPoolId":"`+id+`"}`) })
	wantMembers := map[string]string{
		"KeyConfiguration":    `{"KeyType":"CUSTOMER_MANAGED_KEY","KmsKeyArn":"` + newestKMSKey + `"}`,
		"IssuerConfiguration": `{"Type":"UPDATED"}`,
		"AcrConfiguration": `{"Level1":{"AcrValue":"urn:cognito:loa:1"},"Level2":{"AcrValue":"urn:cognito:loa:2"},` +
			`"Level3":{"AcrValue":"https://example.com/acr/strong"},"Level4":{"AcrValue":"urn:cognito:loa:4"}}`,
		"DcrConfiguration": `{"EnableStatus":"Enabled","OpenDcrEnabled":true,"OpenDcrGrantTypes":["code"],"AllowedScopes":["api/read"]}`,
		"SmsConfiguration": `{"EumsSms":{"CallerArn":"arn:aws:iam::000000000000:role/eums",` +
			`"OriginationIdentity":"+12065550100","Region":"us-east-1"}}`,
	}
	check := func(label string, out map[string]any) {
		t.Helper()
		for k, w := range wantMembers {
			var got any
			member(t, out, &got, "UserPool", k)
			sameJSON(t, label+" "+k, got, w)
		}
	}
	check("CreateUserPool", out)
	check("DescribeUserPool", c.mustRaw(t, "DescribeUserPool", `{"UserPoolId":"`+id+`"}`))

	// The Go SDK reads the members it knows.
	p := describePool(t, c, id)
	if p.KeyConfiguration == nil || p.KeyConfiguration.KeyType != types.EncryptionKeyTypeCustomerManagedKey ||
		aws.ToString(p.KeyConfiguration.KmsKeyArn) != newestKMSKey || p.IssuerConfiguration == nil || p.IssuerConfiguration.Type != types.IssuerTypeUpdated {
		t.Errorf("DescribeUserPool through the SDK: %s", asJSON(t, p))
	}

	// An UpdateUserPool from an SDK that knows neither AcrConfiguration nor
	// DcrConfiguration: those go back to their defaults (Cognito's rule for
	// omitted settings); the pool's key stays.
	if _, err := c.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &id, UserPoolTier: types.UserPoolTierTypeEssentials}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	after := c.mustRaw(t, "DescribeUserPool", `{"UserPoolId":"`+id+`"}`)
	var acr, dcr, key any
	member(t, after, &acr, "UserPool", "AcrConfiguration")
	member(t, after, &dcr, "UserPool", "DcrConfiguration")
	member(t, after, &key, "UserPool", "KeyConfiguration")
	sameJSON(t, "AcrConfiguration after UpdateUserPool", acr,
		`{"Level1":{"AcrValue":"urn:cognito:loa:1"},"Level2":{"AcrValue":"urn:cognito:loa:2"},"Level3":{"AcrValue":"urn:cognito:loa:3"},"Level4":{"AcrValue":"urn:cognito:loa:4"}}`)
	sameJSON(t, "DcrConfiguration after UpdateUserPool", dcr, `null`)
	sameJSON(t, "KeyConfiguration after UpdateUserPool", key, wantMembers["KeyConfiguration"])

	// A raw UpdateUserPool sets them again.
	c.mustRaw(t, "UpdateUserPool", `{"UserPoolId":"`+id+`","UserPoolTier":"ESSENTIALS","AcrConfiguration":{"Level1":{"AcrValue":"basic"}},
		"DcrConfiguration":{"EnableStatus":"Disabled"}}`)
	after = c.mustRaw(t, "DescribeUserPool", `{"UserPoolId":"`+id+`"}`)
	member(t, after, &acr, "UserPool", "AcrConfiguration", "Level1", "AcrValue")
	member(t, after, &dcr, "UserPool", "DcrConfiguration")
	sameJSON(t, "Level1 after a raw UpdateUserPool", acr, `"basic"`)
	sameJSON(t, "DcrConfiguration after a raw UpdateUserPool", dcr, `{"EnableStatus":"Disabled"}`)
}

func testNewestPoolRules(t *testing.T, c *cogito) {
	cases := []struct {
		name, members, code, msg string
	}{
		{"KMS key of another Region", `"KeyConfiguration":{"KmsKeyArn":"arn:aws:kms:eu-west-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"}`,
			"InvalidParameterException", "must be in the user pool's Region us-east-1"},
		{"customer key without ARN", `"KeyConfiguration":{"KeyType":"CUSTOMER_MANAGED_KEY"}`, "InvalidParameterException", "KmsKeyArn is required"},
		{"bad key type", `"KeyConfiguration":{"KeyType":"MINE"}`, "InvalidParameterException", "at 'keyConfiguration.keyType' failed to satisfy constraint"},
		{"ACR names on Lite", `"UserPoolTier":"LITE","AcrConfiguration":{"Level1":{"AcrValue":"x"}}`, "FeatureUnavailableInTierException", "AcrConfiguration"},
		{"ACR name twice", `"AcrConfiguration":{"Level1":{"AcrValue":"urn:cognito:loa:2"}}`, "InvalidParameterException", "unique name"},
		{"ACR level 5", `"AcrConfiguration":{"Level5":{"AcrValue":"x"}}`, "InvalidParameterException", "Invalid ACR level Level5"},
		{"DCR on Lite", `"UserPoolTier":"LITE","DcrConfiguration":{}`, "FeatureUnavailableInTierException", "DcrConfiguration"},
		{"DCR grant", `"DcrConfiguration":{"AuthenticatedGrantTypes":["password"]}`, "InvalidParameterException", "dcrConfiguration.authenticatedGrantTypes.1.member"},
		{"DCR scope", `"DcrConfiguration":{"AllowedScopes":["a b"]}`, "InvalidParameterException", "dcrConfiguration.allowedScopes.1.member"},
		{"EumsSms Region", `"SmsConfiguration":{"EumsSms":{"CallerArn":"arn:aws:iam::000000000000:role/eums","Region":"eu-west-1"}}`,
			"InvalidParameterException", "EumsSms Region eu-west-1"},
		{"EumsSms caller", `"SmsConfiguration":{"EumsSms":{}}`,
			"InvalidParameterException", "at 'smsConfiguration.eumsSms.callerArn' failed to satisfy constraint: Member must not be null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, out := c.rawIDP(t, "CreateUserPool", `{"PoolName":"`+uniq("rules")+`",`+tc.members+`}`)
			wantRawError(t, status, out, tc.code, tc.msg)
		})
	}
}

func testNewestDomain(t *testing.T, c *cogito, clk *clock.Offset) {
	pool := createPool(t, c, "domains", &idp.CreateUserPoolInput{UserPoolTier: types.UserPoolTierTypeEssentials})
	id := aws.ToString(pool.Id)
	if _, err := c.IDP.CreateUserPoolReplica(ctx(t), &idp.CreateUserPoolReplicaInput{UserPoolId: &id, RegionName: aws.String("eu-west-1")}); err != nil {
		t.Fatalf("CreateUserPoolReplica: %v", err)
	}
	clk.Advance(5 * time.Second) // CREATING → INACTIVE
	t.Cleanup(func() {
		_, _ = c.IDP.DeleteUserPoolReplica(ctx(t), &idp.DeleteUserPoolReplicaInput{UserPoolId: &id, RegionName: aws.String("eu-west-1")})
		clk.Advance(5 * time.Second)
	})
	domain := uniq("auth") + ".example.com"
	routing := `{"Failover":{"SecondaryRegion":"eu-west-1","PrimaryRoute53HealthCheckId":"abcdef11-2222-3333-4444-555555555555"}}`

	// Routing needs a custom domain, and a Region where the pool has a replica.
	status, out := c.rawIDP(t, "CreateUserPoolDomain", `{"UserPoolId":"`+id+`","Domain":"`+uniq("prefix")+`","Routing":`+routing+`}`)
	wantRawError(t, status, out, "InvalidParameterException", "only supported for custom domains")
	status, out = c.rawIDP(t, "CreateUserPoolDomain", `{"UserPoolId":"`+id+`","Domain":"`+domain+`",
		"CustomDomainConfig":{"CertificateArn":"`+newestCert+`"},"Routing":{"Failover":{"SecondaryRegion":"ap-south-1","PrimaryRoute53HealthCheckId":"hc"}}}`)
	wantRawError(t, status, out, "InvalidParameterException", "has no replica in the failover SecondaryRegion ap-south-1")
	status, out = c.rawIDP(t, "CreateUserPoolDomain", `{"UserPoolId":"`+id+`","Domain":"`+domain+`",
		"CustomDomainConfig":{"CertificateArn":"`+newestCert+`","SecurityPolicy":"TLS_V1_0"}}`)
	wantRawError(t, status, out, "InvalidParameterException", "customDomainConfig.securityPolicy")

	out = c.mustRaw(t, "CreateUserPoolDomain", `{"UserPoolId":"`+id+`","Domain":"`+domain+`",
		"CustomDomainConfig":{"CertificateArn":"`+newestCert+`","SecurityPolicy":"TLS_V1_3_2025"},"Routing":`+routing+`}`)
	sameJSON(t, "CreateUserPoolDomain Routing", out["Routing"], routing)
	t.Cleanup(func() {
		c.rawIDP(t, "DeleteUserPoolDomain", `{"UserPoolId":"`+id+`","Domain":"`+domain+`"}`)
	})
	desc := c.mustRaw(t, "DescribeUserPoolDomain", `{"Domain":"`+domain+`"}`)
	var got any
	member(t, desc, &got, "DomainDescription", "Routing")
	sameJSON(t, "DescribeUserPoolDomain Routing", got, routing)
	member(t, desc, &got, "DomainDescription", "CustomDomainConfig")
	sameJSON(t, "DescribeUserPoolDomain CustomDomainConfig", got, `{"CertificateArn":"`+newestCert+`","SecurityPolicy":"TLS_V1_3_2025"}`)

	// The Go SDK knows Routing: an update through it, read back through it.
	upd, err := c.IDP.UpdateUserPoolDomain(ctx(t), &idp.UpdateUserPoolDomainInput{UserPoolId: &id, Domain: &domain,
		Routing: &types.RoutingType{Failover: &types.FailoverType{SecondaryRegion: aws.String("eu-west-1"), PrimaryRoute53HealthCheckId: aws.String("hc-2")}}})
	if err != nil {
		t.Fatalf("UpdateUserPoolDomain: %v", err)
	}
	if upd.Routing == nil || aws.ToString(upd.Routing.Failover.PrimaryRoute53HealthCheckId) != "hc-2" {
		t.Errorf("UpdateUserPoolDomain Routing = %s", asJSON(t, upd.Routing))
	}
	d, err := c.IDP.DescribeUserPoolDomain(ctx(t), &idp.DescribeUserPoolDomainInput{Domain: &domain})
	if err != nil || d.DomainDescription.Routing == nil || aws.ToString(d.DomainDescription.Routing.Failover.SecondaryRegion) != "eu-west-1" ||
		aws.ToString(d.DomainDescription.Routing.Failover.PrimaryRoute53HealthCheckId) != "hc-2" {
		t.Errorf("DescribeUserPoolDomain through the SDK: %v %v", d, err)
	}
	// The TLS policy outlived an update that did not name it.
	desc = c.mustRaw(t, "DescribeUserPoolDomain", `{"Domain":"`+domain+`"}`)
	member(t, desc, &got, "DomainDescription", "CustomDomainConfig", "SecurityPolicy")
	sameJSON(t, "SecurityPolicy after the update", got, `"TLS_V1_3_2025"`)
}

func testNewestResourceServer(t *testing.T, c *cogito) {
	pool := createPool(t, c, "rs", nil)
	id := aws.ToString(pool.Id)
	for _, call := range []struct{ op, body string }{
		{"CreateResourceServer", `{"UserPoolId":"` + id + `","Identifier":"https://api.example.com","Name":"API","Scopes":[{"ScopeName":"read","ScopeDescription":"r"}],"ManagedBy":"COGNITO"}`},
		{"DescribeResourceServer", `{"UserPoolId":"` + id + `","Identifier":"https://api.example.com"}`},
		{"ListResourceServers", `{"UserPoolId":"` + id + `","MaxResults":10}`},
	} {
		out := c.mustRaw(t, call.op, call.body)
		if b, _ := json.Marshal(out); strings.Contains(string(b), "ManagedBy") || !strings.Contains(string(b), "https://api.example.com") {
			t.Errorf("%s: %s", call.op, b)
		}
	}
}

func testNewestRevokeToken(t *testing.T, c *cogito) {
	pool, client := signInPool(t, c, "revoke", nil, nil)
	adminCreateConfirmed(t, c, pool, "rev", "Passw0rd!")
	for _, v := range []string{"LINKED", "NONE"} {
		out, err := passwordAuth(t, c, client, "rev", "Passw0rd!")
		r := tokens(t, "sign-in", out, err)
		c.mustRaw(t, "RevokeToken", `{"Token":"`+aws.ToString(r.RefreshToken)+`","ClientId":"`+client+`","RevokeAssociatedSessions":"`+v+`"}`)
		_, err = c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: r.AccessToken})
		wantClientError(t, err, "NotAuthorizedException", "revoked")
	}
	out, err := passwordAuth(t, c, client, "rev", "Passw0rd!")
	r := tokens(t, "sign-in", out, err)
	status, ans := c.rawIDP(t, "RevokeToken", `{"Token":"`+aws.ToString(r.RefreshToken)+`","ClientId":"`+client+`","RevokeAssociatedSessions":"ALL"}`)
	wantRawError(t, status, ans, "InvalidParameterException", "revokeAssociatedSessions")
	if _, err := c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: r.AccessToken}); err != nil {
		t.Errorf("a refused RevokeToken revoked the token: %v", err)
	}
}

// Passkey MFA: in a pool that requires MFA and counts passkeys with user
// verification as MFA, a user with passkey MFA signs in with the passkey
// alone, but only with user verification; a password still asks the other
// factor; the passkey is never listed as an MFA setting.
func testNewestPasskeyMFA(t *testing.T, c *cogito) {
	pool, client := passkeyPool(t, c)
	adminCreateConfirmed(t, c, pool, "pkm", "Passw0rd!", "phone_number", "+12065550123", "email", "pkm@example.com")
	adminCreateConfirmed(t, c, pool, "lone", "Passw0rd!", "phone_number", "+12065550124")
	out, err := passwordAuth(t, c, client, "pkm", "Passw0rd!")
	access := *tokens(t, "password sign-in", out, err).AccessToken
	a := authenticatortest.New()
	resp, _, err := a.Register(startPasskey(t, c, access), authenticatortest.Options{Origin: passkeyOrigin})
	if err != nil {
		t.Fatal(err)
	}
	if err := completePasskey(t, c, access, resp); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration: %v", err)
	}

	// Before the pool counts passkeys as MFA, the preference is refused.
	_, err = c.IDP.AdminSetUserMFAPreference(ctx(t), &idp.AdminSetUserMFAPreferenceInput{UserPoolId: &pool, Username: aws.String("pkm"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}, WebAuthnMfaSettings: &types.WebAuthnMfaSettingsType{Enabled: true}})
	wantClientError(t, err, "InvalidParameterException", "MULTI_FACTOR_WITH_USER_VERIFICATION")

	cfg, err := c.IDP.SetUserPoolMfaConfig(ctx(t), &idp.SetUserPoolMfaConfigInput{UserPoolId: &pool, MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code {####}")},
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{UserVerification: types.UserVerificationTypePreferred,
			FactorConfiguration: types.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification}})
	if err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	if cfg.WebAuthnConfiguration == nil || cfg.WebAuthnConfiguration.FactorConfiguration != types.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification {
		t.Errorf("SetUserPoolMfaConfig WebAuthnConfiguration = %s", asJSON(t, cfg.WebAuthnConfiguration))
	}
	// Passkey MFA alone would lock the user out when the passkey is lost.
	_, err = c.IDP.AdminSetUserMFAPreference(ctx(t), &idp.AdminSetUserMFAPreferenceInput{UserPoolId: &pool, Username: aws.String("lone"),
		WebAuthnMfaSettings: &types.WebAuthnMfaSettingsType{Enabled: true}})
	wantClientError(t, err, "InvalidParameterException", "at least one other MFA method")
	if _, err := c.IDP.AdminSetUserMFAPreference(ctx(t), &idp.AdminSetUserMFAPreferenceInput{UserPoolId: &pool, Username: aws.String("pkm"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}, WebAuthnMfaSettings: &types.WebAuthnMfaSettingsType{Enabled: true}}); err != nil {
		t.Fatalf("AdminSetUserMFAPreference: %v", err)
	}
	u, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("pkm")})
	if err != nil || !slices.Equal(u.UserMFASettingList, []string{"SMS_MFA"}) || u.PreferredMfaSetting != nil {
		t.Errorf("AdminGetUser UserMFASettingList %v PreferredMfaSetting %v (%v)", u.UserMFASettingList, u.PreferredMfaSetting, err)
	}

	passkeySignIn := func(o authenticatortest.Options) (*idp.RespondToAuthChallengeOutput, error) {
		t.Helper()
		init, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
			AuthParameters: map[string]string{"USERNAME": "pkm", "PREFERRED_CHALLENGE": "WEB_AUTHN"}})
		if err != nil || init.ChallengeName != types.ChallengeNameTypeWebAuthn {
			t.Fatalf("InitiateAuth USER_AUTH WEB_AUTHN: %v %v", init, err)
		}
		options := init.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]
		var ro struct{ UserVerification string }
		if err := json.Unmarshal([]byte(options), &ro); err != nil || ro.UserVerification != "required" {
			t.Errorf("userVerification in %s, want required (the pool says preferred, passkey MFA says required)", options)
		}
		assertion, err := a.Assert([]byte(options), o)
		if err != nil {
			t.Fatal(err)
		}
		return c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{ClientId: &client, ChallengeName: types.ChallengeNameTypeWebAuthn,
			Session: init.Session, ChallengeResponses: map[string]string{"USERNAME": "pkm", "CREDENTIAL": string(assertion)}})
	}
	_, err = passkeySignIn(authenticatortest.Options{Origin: passkeyOrigin, NoUserVerification: true})
	wantClientError(t, err, "NotAuthorizedException")
	fin, err := passkeySignIn(authenticatortest.Options{Origin: passkeyOrigin})
	tokens(t, "passkey sign-in with user verification", fin, err)

	// A password is followed by the user's SMS factor, not by the passkey.
	out, err = passwordAuth(t, c, client, "pkm", "Passw0rd!")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Errorf("password sign-in: %v %v, want SMS_MFA", out, err)
	}
}

// The members other families built: accepted, stored and returned.
func testNewestDoneElsewhere(t *testing.T, c *cogito) {
	pool := createPool(t, c, "elsewhere", &idp.CreateUserPoolInput{UserPoolTier: types.UserPoolTierTypeEssentials})
	id := aws.ToString(pool.Id)

	// ClientType: API-made clients are REGULAR; the DCR filter finds none.
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &id})
	out := c.mustRaw(t, "DescribeUserPoolClient", `{"UserPoolId":"`+id+`","ClientId":"`+aws.ToString(cl.ClientId)+`"}`)
	var got any
	member(t, out, &got, "UserPoolClient", "ClientType")
	sameJSON(t, "ClientType", got, `"REGULAR"`)
	out = c.mustRaw(t, "ListUserPoolClients", `{"UserPoolId":"`+id+`","MaxResults":10,"ClientType":"DCR"}`)
	member(t, out, &got, "UserPoolClients")
	sameJSON(t, "ListUserPoolClients ClientType DCR", got, `[]`)

	// PasswordHashingAlgorithm on import jobs.
	out = c.mustRaw(t, "CreateUserImportJob", `{"UserPoolId":"`+id+`","JobName":"hashes","CloudWatchLogsRoleArn":"`+importRole+`","PasswordHashingAlgorithm":"BCRYPT"}`)
	var jobID string
	member(t, out, &got, "UserImportJob", "PasswordHashingAlgorithm")
	member(t, out, &jobID, "UserImportJob", "JobId")
	sameJSON(t, "CreateUserImportJob PasswordHashingAlgorithm", got, `"BCRYPT"`)
	out = c.mustRaw(t, "DescribeUserImportJob", `{"UserPoolId":"`+id+`","JobId":"`+jobID+`"}`)
	member(t, out, &got, "UserImportJob", "PasswordHashingAlgorithm")
	sameJSON(t, "DescribeUserImportJob PasswordHashingAlgorithm", got, `"BCRYPT"`)

	// AcrMapping on an OIDC identity provider.
	out = c.mustRaw(t, "CreateIdentityProvider", `{"UserPoolId":"`+id+`","ProviderName":"Corp","ProviderType":"OIDC",
		"ProviderDetails":{"client_id":"cid","client_secret":"sec","authorize_scopes":"openid","attributes_request_method":"GET",
			"oidc_issuer":"https://idp.example.com","authorize_url":"https://idp.example.com/authorize","token_url":"https://idp.example.com/token",
			"attributes_url":"https://idp.example.com/userinfo","jwks_uri":"https://idp.example.com/jwks"},
		"AcrMapping":{"Level2":"urn:corp:mfa"}}`)
	member(t, out, &got, "IdentityProvider", "AcrMapping")
	sameJSON(t, "CreateIdentityProvider AcrMapping", got, `{"Level2":"urn:corp:mfa"}`)
	out = c.mustRaw(t, "DescribeIdentityProvider", `{"UserPoolId":"`+id+`","ProviderName":"Corp"}`)
	member(t, out, &got, "IdentityProvider", "AcrMapping")
	sameJSON(t, "DescribeIdentityProvider AcrMapping", got, `{"Level2":"urn:corp:mfa"}`)
}

// PasswordHashingAlgorithm at work: a user imported with a bcrypt hash signs
// in with the old password, and only with it.
func testNewestImportedHash(t *testing.T, c *cogito) {
	pool, client := signInPool(t, c, "hashes", &idp.CreateUserPoolInput{UserPoolTier: types.UserPoolTierTypeEssentials,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}, nil)
	hdr, err := c.IDP.GetCSVHeader(ctx(t), &idp.GetCSVHeaderInput{UserPoolId: &pool})
	if err != nil {
		t.Fatalf("GetCSVHeader: %v", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("Old-Secret1"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	out := c.mustRaw(t, "CreateUserImportJob", `{"UserPoolId":"`+pool+`","JobName":"bcrypt","CloudWatchLogsRoleArn":"`+importRole+`","PasswordHashingAlgorithm":"BCRYPT"}`)
	var jobID, url string
	member(t, out, &jobID, "UserImportJob", "JobId")
	member(t, out, &url, "UserImportJob", "PreSignedUrl")
	file := csvFile(append(slices.Clone(hdr.CSVHeader), "cognito:password_hash"),
		map[string]string{"cognito:username": "legacy", "email": "legacy@example.com", "email_verified": "true",
			"cognito:mfa_enabled": "false", "cognito:password_hash": string(hash)})
	if s := uploadCSV(t, c, url, file); s != http.StatusOK {
		t.Fatalf("upload: status %d", s)
	}
	if _, err := c.IDP.StartUserImportJob(ctx(t), &idp.StartUserImportJobInput{UserPoolId: &pool, JobId: &jobID}); err != nil {
		t.Fatalf("StartUserImportJob: %v", err)
	}
	if done := waitImportJob(t, c, pool, jobID); done.Status != types.UserImportJobStatusTypeSucceeded || done.ImportedUsers != 1 {
		t.Fatalf("import job = %s", asJSON(t, done))
	}
	_, err = passwordAuth(t, c, client, "legacy", "Wrong-Secret1")
	wantClientError(t, err, "NotAuthorizedException")
	signedIn, err := passwordAuth(t, c, client, "legacy", "Old-Secret1")
	tokens(t, "sign-in with the imported password", signedIn, err)
}
