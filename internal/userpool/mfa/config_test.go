package mfa

import (
	"encoding/json"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (e *env) getConfig(poolID string) string {
	e.t.Helper()
	out, err := e.svc.GetUserPoolMfaConfig(e.ctx, &cognitoidp.GetUserPoolMfaConfigRequest{UserPoolId: api.Ptr(poolID)})
	if err != nil {
		e.t.Fatalf("GetUserPoolMfaConfig: %v", err)
	}
	return mustJSON(e.t.(*testing.T), out)
}

func (e *env) describe(poolID string) *cognitoidp.UserPoolType {
	e.t.Helper()
	out, err := e.pools.DescribeUserPool(e.ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr(poolID)})
	if err != nil {
		e.t.Fatalf("DescribeUserPool: %v", err)
	}
	return out.UserPool
}

func TestPoolConfigDefaults(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	if got := e.getConfig(poolID); got != `{"MfaConfiguration":"OFF"}` {
		t.Fatalf("GetUserPoolMfaConfig = %s", got)
	}
	_, err := e.svc.GetUserPoolMfaConfig(e.ctx, &cognitoidp.GetUserPoolMfaConfigRequest{UserPoolId: api.Ptr("us-east-1_nothere")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere does not exist.")
}

func TestSetUserPoolMfaConfig(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	out, err := e.svc.SetUserPoolMfaConfig(e.ctx, &cognitoidp.SetUserPoolMfaConfigRequest{
		UserPoolId:       api.Ptr(poolID),
		MfaConfiguration: api.Ptr(cognitoidp.UserPoolMfaTypeOptional),
		SmsMfaConfiguration: &cognitoidp.SmsMfaConfigType{
			SmsAuthenticationMessage: api.Ptr("Code {####}"),
			SmsConfiguration:         &cognitoidp.SmsConfigurationType{SnsCallerArn: api.Ptr("arn:aws:iam::123456789012:role/sns"), ExternalId: api.Ptr("x")},
		},
		SoftwareTokenMfaConfiguration: &cognitoidp.SoftwareTokenMfaConfigType{Enabled: true},
		EmailMfaConfiguration:         &cognitoidp.EmailMfaConfigType{Message: api.Ptr("Here: {####}"), Subject: api.Ptr("Code")},
		WebAuthnConfiguration:         &cognitoidp.WebAuthnConfigurationType{RelyingPartyId: api.Ptr("example.com"), UserVerification: api.Ptr(cognitoidp.UserVerificationTypeRequired)},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sns","ExternalId":"x"}},` +
		`"SoftwareTokenMfaConfiguration":{"Enabled":true},"EmailMfaConfiguration":{"Message":"Here: {####}","Subject":"Code"},"MfaConfiguration":"OPTIONAL",` +
		`"WebAuthnConfiguration":{"RelyingPartyId":"example.com","UserVerification":"required"}}`
	if got := mustJSON(t, out); got != want {
		t.Fatalf("SetUserPoolMfaConfig =\n%s\nwant\n%s", got, want)
	}
	if got := e.getConfig(poolID); got != want {
		t.Fatalf("GetUserPoolMfaConfig =\n%s\nwant\n%s", got, want)
	}
	// DescribeUserPool shows the members UserPoolType has.
	d := e.describe(poolID)
	if api.Deref(d.MfaConfiguration) != cognitoidp.UserPoolMfaTypeOptional || api.Deref(d.SmsAuthenticationMessage) != "Code {####}" ||
		d.SmsConfiguration == nil || api.Deref(d.SmsConfiguration.ExternalId) != "x" {
		t.Fatalf("DescribeUserPool: %s", mustJSON(t, d))
	}
	pc, err := LoadConfig(e.ctx, e.st, poolID)
	if err != nil {
		t.Fatal(err)
	}
	if pc.WebAuthn == nil || api.Deref(pc.WebAuthn.RelyingPartyId) != "example.com" || !pc.SMS || !pc.SoftwareToken || !pc.Email {
		t.Fatalf("LoadConfig = %+v", pc)
	}

	// A request with only WebAuthnConfiguration leaves MFA alone.
	if _, err := e.svc.SetUserPoolMfaConfig(e.ctx, &cognitoidp.SetUserPoolMfaConfigRequest{
		UserPoolId:            api.Ptr(poolID),
		WebAuthnConfiguration: &cognitoidp.WebAuthnConfigurationType{RelyingPartyId: api.Ptr("auth.example.com")},
	}); err != nil {
		t.Fatal(err)
	}
	want2 := `{"SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sns","ExternalId":"x"}},` +
		`"SoftwareTokenMfaConfiguration":{"Enabled":true},"EmailMfaConfiguration":{"Message":"Here: {####}","Subject":"Code"},"MfaConfiguration":"OPTIONAL",` +
		`"WebAuthnConfiguration":{"RelyingPartyId":"auth.example.com"}}`
	if got := e.getConfig(poolID); got != want2 {
		t.Fatalf("after a WebAuthn-only call:\n%s\nwant\n%s", got, want2)
	}

	// A request with MFA members replaces the factors; MfaConfiguration
	// left out keeps the pool's.
	if _, err := e.svc.SetUserPoolMfaConfig(e.ctx, &cognitoidp.SetUserPoolMfaConfigRequest{
		UserPoolId:                    api.Ptr(poolID),
		SoftwareTokenMfaConfiguration: &cognitoidp.SoftwareTokenMfaConfigType{Enabled: true},
	}); err != nil {
		t.Fatal(err)
	}
	want3 := `{"SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"OPTIONAL","WebAuthnConfiguration":{"RelyingPartyId":"auth.example.com"}}`
	if got := e.getConfig(poolID); got != want3 {
		t.Fatalf("after a TOTP-only call:\n%s\nwant\n%s", got, want3)
	}
	// Turning MFA off with no factor.
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOff)
	if got, want := e.getConfig(poolID), `{"MfaConfiguration":"OFF","WebAuthnConfiguration":{"RelyingPartyId":"auth.example.com"}}`; got != want {
		t.Fatalf("after OFF:\n%s\nwant\n%s", got, want)
	}
	if d := e.describe(poolID); api.Deref(d.MfaConfiguration) != cognitoidp.UserPoolMfaTypeOff {
		t.Fatalf("DescribeUserPool MfaConfiguration = %v", d.MfaConfiguration)
	}
}

func TestSetUserPoolMfaConfigErrors(t *testing.T) {
	e := newEnv(t)
	ses := e.pool(sesPool)
	plain := e.pool(nil)
	lite := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		sesPool(in)
		in.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypeLite)
	})
	mode := func(m cognitoidp.UserPoolMfaType) *cognitoidp.UserPoolMfaType { return api.Ptr(m) }
	totpOn := &cognitoidp.SoftwareTokenMfaConfigType{Enabled: true}
	email := &cognitoidp.EmailMfaConfigType{}
	for _, c := range []struct {
		name      string
		in        cognitoidp.SetUserPoolMfaConfigRequest
		code, msg string
	}{
		{"off with totp", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &ses, MfaConfiguration: mode("OFF"), SoftwareTokenMfaConfiguration: totpOn},
			"InvalidParameterException", msgOffWithFactor},
		{"off with sms", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &ses, MfaConfiguration: mode("OFF"), SmsMfaConfiguration: &cognitoidp.SmsMfaConfigType{}},
			"InvalidParameterException", msgOffWithFactor},
		{"off with email", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &ses, MfaConfiguration: mode("OFF"), EmailMfaConfiguration: email},
			"InvalidParameterException", msgOffWithFactor},
		{"on without factors", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &ses, MfaConfiguration: mode("ON")},
			"InvalidParameterException", msgNoFactor},
		{"optional with totp disabled", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &ses, MfaConfiguration: mode("OPTIONAL"),
			SoftwareTokenMfaConfiguration: &cognitoidp.SoftwareTokenMfaConfigType{Enabled: false}},
			"InvalidParameterException", msgNoFactor},
		{"email with cognito's mail", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &plain, MfaConfiguration: mode("ON"), EmailMfaConfiguration: email},
			"InvalidParameterException", msgEmailMFANeedsSES},
		{"email in lite", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &lite, MfaConfiguration: mode("ON"), EmailMfaConfiguration: email},
			"FeatureUnavailableInTierException", "The following feature is not available for the LITE pricing tier configured: Email MFA"},
		{"passkeys in lite", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &lite, WebAuthnConfiguration: &cognitoidp.WebAuthnConfigurationType{RelyingPartyId: api.Ptr("example.com")}},
			"FeatureUnavailableInTierException", "The following feature is not available for the LITE pricing tier configured: WebAuthn"},
		{"sms message without placeholder", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &ses, MfaConfiguration: mode("ON"),
			SmsMfaConfiguration: &cognitoidp.SmsMfaConfigType{SmsAuthenticationMessage: api.Ptr("no code here")}},
			"InvalidParameterException", ""},
		{"email message without placeholder", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: &ses, MfaConfiguration: mode("ON"),
			EmailMfaConfiguration: &cognitoidp.EmailMfaConfigType{Message: api.Ptr("no code here")}},
			"InvalidParameterException", ""},
		{"unknown pool", cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: api.Ptr("us-east-1_nothere"), MfaConfiguration: mode("OFF")},
			"ResourceNotFoundException", "User pool us-east-1_nothere does not exist."},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			_, err := e.svc.SetUserPoolMfaConfig(e.ctx, &in)
			wantErr(t, err, c.code, c.msg)
		})
	}
	// Nothing was changed by the refused requests.
	for _, id := range []string{ses, plain, lite} {
		if got := e.getConfig(id); got != `{"MfaConfiguration":"OFF"}` {
			t.Errorf("pool %s after refused requests: %s", id, got)
		}
	}
}

// UpdateUserPool's own MfaConfiguration keeps working: a pool made ON by it
// has SMS MFA, and its changes show in GetUserPoolMfaConfig.
func TestUpdateUserPoolMfaConfiguration(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.MfaConfiguration = api.Ptr(cognitoidp.UserPoolMfaTypeOptional)
		in.SmsAuthenticationMessage = api.Ptr("Legacy {####}")
	})
	if got, want := e.getConfig(poolID), `{"SmsMfaConfiguration":{"SmsAuthenticationMessage":"Legacy {####}"},"MfaConfiguration":"OPTIONAL"}`; got != want {
		t.Fatalf("pool made OPTIONAL by CreateUserPool:\n%s\nwant\n%s", got, want)
	}
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOn, FactorTOTP)
	if _, err := e.pools.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{
		UserPoolId: api.Ptr(poolID), MfaConfiguration: api.Ptr(cognitoidp.UserPoolMfaTypeOptional),
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := e.getConfig(poolID), `{"SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"OPTIONAL"}`; got != want {
		t.Fatalf("after UpdateUserPool:\n%s\nwant\n%s", got, want)
	}
}
