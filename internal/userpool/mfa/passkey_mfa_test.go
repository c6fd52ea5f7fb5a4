package mfa

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

// passkeyMFAPool is a pool (MFA mode, SMS and email factors) whose passkeys
// count as MFA.
func (e *env) passkeyMFAPool(mode cognitoidp.UserPoolMfaType) string {
	e.t.Helper()
	poolID := e.pool(sesPool)
	e.configure(poolID, mode, FactorSMS, FactorEmail)
	if _, err := e.svc.SetUserPoolMfaConfig(e.ctx, &cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: api.Ptr(poolID),
		WebAuthnConfiguration: &cognitoidp.WebAuthnConfigurationType{RelyingPartyId: api.Ptr("example.com"),
			FactorConfiguration: api.Ptr(cognitoidp.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification)}}); err != nil {
		e.t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	return poolID
}

func passkeyMFA(on bool) *cognitoidp.AdminSetUserMFAPreferenceRequest {
	return &cognitoidp.AdminSetUserMFAPreferenceRequest{WebAuthnMfaSettings: &cognitoidp.WebAuthnMfaSettingsType{Enabled: api.Ptr(on)}}
}

// Passkey MFA needs another factor on, before and after any change, and is
// never shown in UserMFASettingList or as the preferred factor.
func TestPasskeyMFAPreference(t *testing.T) {
	e := newEnv(t)
	poolID := e.passkeyMFAPool(cognitoidp.UserPoolMfaTypeOptional)
	e.user(poolID, "pk", "email", "pk@example.com", "phone_number", "+12065551234")

	wantErr(t, e.adminPrefs(poolID, "pk", passkeyMFA(true)), "InvalidParameterException", msgWebAuthnMFAAlone)
	// Turned on with another factor in the same request.
	if err := e.adminPrefs(poolID, "pk", &cognitoidp.AdminSetUserMFAPreferenceRequest{
		SMSMfaSettings:      &cognitoidp.SMSMfaSettingsType{Enabled: true},
		WebAuthnMfaSettings: &cognitoidp.WebAuthnMfaSettingsType{Enabled: api.Ptr(true)},
	}); err != nil {
		t.Fatalf("passkey MFA with SMS: %v", err)
	}
	if ok, err := PasskeyMFA(e.ctx, e.st, e.describe(poolID), e.load(poolID, "pk")); err != nil || !ok {
		t.Fatalf("PasskeyMFA = %v, %v; want true", ok, err)
	}
	want := `{"MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],"PreferredMfaSetting":null,"UserMFASettingList":["SMS_MFA"]}`
	if got := e.shown(poolID, "pk"); got != want {
		t.Errorf("AdminGetUser:\n%s\nwant\n%s", got, want)
	}

	// The last other factor cannot go while passkey MFA stays: neither by
	// SetUserMFAPreference nor by the legacy settings.
	wantErr(t, e.adminPrefs(poolID, "pk", &cognitoidp.AdminSetUserMFAPreferenceRequest{SMSMfaSettings: &cognitoidp.SMSMfaSettingsType{Enabled: false}}),
		"InvalidParameterException", msgWebAuthnMFAAlone)
	_, err := e.svc.AdminSetUserSettings(e.ctx, &cognitoidp.AdminSetUserSettingsRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("pk"), MFAOptions: []cognitoidp.MFAOptionType{}})
	wantErr(t, err, "InvalidParameterException", msgWebAuthnMFAAlone)
	// Swapping SMS for email is fine; so is turning both off at once.
	if err := e.adminPrefs(poolID, "pk", &cognitoidp.AdminSetUserMFAPreferenceRequest{
		SMSMfaSettings: &cognitoidp.SMSMfaSettingsType{Enabled: false}, EmailMfaSettings: &cognitoidp.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatalf("swap SMS for email: %v", err)
	}
	if got := e.shown(poolID, "pk"); got != `{"MFAOptions":null,"PreferredMfaSetting":"EMAIL_OTP","UserMFASettingList":["EMAIL_OTP"]}` {
		t.Errorf("after the swap: %s", got)
	}
	if err := e.adminPrefs(poolID, "pk", &cognitoidp.AdminSetUserMFAPreferenceRequest{
		EmailMfaSettings: &cognitoidp.EmailMfaSettingsType{Enabled: false}, WebAuthnMfaSettings: &cognitoidp.WebAuthnMfaSettingsType{Enabled: api.Ptr(false)},
	}); err != nil {
		t.Fatalf("everything off: %v", err)
	}
	if ok, _ := PasskeyMFA(e.ctx, e.st, e.describe(poolID), e.load(poolID, "pk")); ok {
		t.Error("PasskeyMFA after turning it off")
	}

	// A pool whose passkeys are a single factor: refused, and PasskeyMFA is
	// false even for a user who turned it on while the pool allowed it.
	if err := e.adminPrefs(poolID, "pk", &cognitoidp.AdminSetUserMFAPreferenceRequest{
		SMSMfaSettings: &cognitoidp.SMSMfaSettingsType{Enabled: true}, WebAuthnMfaSettings: &cognitoidp.WebAuthnMfaSettingsType{Enabled: api.Ptr(true)},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetUserPoolMfaConfig(e.ctx, &cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: api.Ptr(poolID),
		WebAuthnConfiguration: &cognitoidp.WebAuthnConfigurationType{RelyingPartyId: api.Ptr("example.com"),
			FactorConfiguration: api.Ptr(cognitoidp.WebAuthnFactorConfigurationTypeSingleFactor)}}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := PasskeyMFA(e.ctx, e.st, e.describe(poolID), e.load(poolID, "pk")); ok {
		t.Error("PasskeyMFA in a pool whose passkeys are a single factor")
	}
	wantErr(t, e.adminPrefs(poolID, "pk", passkeyMFA(true)), "InvalidParameterException", msgWebAuthnMFAOff)

	// The Lite plan has no passkey MFA.
	lite := e.pool(func(in *cognitoidp.CreateUserPoolRequest) { in.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypeLite) })
	e.user(lite, "u", "phone_number", "+12065551234")
	wantErr(t, e.adminPrefs(lite, "u", passkeyMFA(true)), "FeatureUnavailableInTierException",
		"The following feature is not available for the LITE pricing tier configured: Passkey MFA")
}

// A passkey sign-in of a user with passkey MFA satisfies required MFA; a
// password still asks the user's other factor (passkey MFA is no challenge
// after a password).
func TestPasskeyMFASignIn(t *testing.T) {
	e := newEnv(t)
	poolID := e.passkeyMFAPool(cognitoidp.UserPoolMfaTypeOn)
	e.user(poolID, "pk", "email", "pk@example.com")
	if err := e.adminPrefs(poolID, "pk", &cognitoidp.AdminSetUserMFAPreferenceRequest{
		EmailMfaSettings:    &cognitoidp.EmailMfaSettingsType{Enabled: true},
		WebAuthnMfaSettings: &cognitoidp.WebAuthnMfaSettingsType{Enabled: api.Ptr(true)},
	}); err != nil {
		t.Fatal(err)
	}
	up := e.describe(poolID)
	step, err := e.svc.Next(e.ctx, &auth.Attempt{Pool: up, User: e.load(poolID, "pk"), FirstFactor: auth.FactorWebAuthn})
	if err != nil || step.Challenge != "" {
		t.Fatalf("after a passkey: %+v, %v; want tokens", step, err)
	}
	step, err = e.svc.Next(e.ctx, &auth.Attempt{Pool: up, User: e.load(poolID, "pk"), FirstFactor: auth.FactorPassword})
	if err != nil || step.Challenge != cognitoidp.ChallengeNameTypeEmailOtp {
		t.Fatalf("after a password: %+v, %v; want EMAIL_OTP", step, err)
	}
}

// SetUserPoolMfaConfig checks an SmsConfiguration's EumsSms as
// CreateUserPool does.
func TestSetUserPoolMfaConfigEumsSms(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	sms := func(region string) *cognitoidp.SetUserPoolMfaConfigRequest {
		return &cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: api.Ptr(poolID), MfaConfiguration: api.Ptr(cognitoidp.UserPoolMfaTypeOptional),
			SmsMfaConfiguration: &cognitoidp.SmsMfaConfigType{SmsConfiguration: &cognitoidp.SmsConfigurationType{
				EumsSms: &cognitoidp.EumsSmsConfigurationType{CallerArn: api.Ptr("arn:aws:iam::123456789012:role/eums"), Region: api.Ptr(region)},
			}}}
	}
	_, err := e.svc.SetUserPoolMfaConfig(e.ctx, sms("eu-west-1"))
	wantErr(t, err, "InvalidParameterException", "EumsSms Region eu-west-1 must be the user pool's Region us-east-1.")
	if _, err := e.svc.SetUserPoolMfaConfig(e.ctx, sms("us-east-1")); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	got := e.describe(poolID).SmsConfiguration
	if got == nil || got.EumsSms == nil || api.Deref(got.EumsSms.CallerArn) != "arn:aws:iam::123456789012:role/eums" {
		t.Errorf("the pool's SmsConfiguration = %+v", got)
	}
}
