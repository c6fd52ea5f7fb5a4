package mfa

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/importjobs"
)

// shown is what AdminGetUser shows of a user's MFA.
func (e *env) shown(poolID, username string) string {
	e.t.Helper()
	out, err := e.users.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr(username)})
	if err != nil {
		e.t.Fatalf("AdminGetUser: %v", err)
	}
	return mustJSON(e.t.(*testing.T), struct {
		MFAOptions          []cognitoidp.MFAOptionType
		PreferredMfaSetting *string
		UserMFASettingList  []string
	}{out.MFAOptions, out.PreferredMfaSetting, out.UserMFASettingList})
}

func TestAdminSetUserMFAPreference(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorSMS, FactorTOTP, FactorEmail)
	e.user(poolID, "full", "email", "full@example.com", "phone_number", "+12065551234")
	e.user(poolID, "bare")
	sms := func(on, pref bool) *cognitoidp.SMSMfaSettingsType {
		return &cognitoidp.SMSMfaSettingsType{Enabled: on, PreferredMfa: pref}
	}
	email := func(on, pref bool) *cognitoidp.EmailMfaSettingsType {
		return &cognitoidp.EmailMfaSettingsType{Enabled: on, PreferredMfa: pref}
	}
	totpOn := &cognitoidp.SoftwareTokenMfaSettingsType{Enabled: true}

	if got := e.shown(poolID, "full"); got != `{"MFAOptions":null,"PreferredMfaSetting":null,"UserMFASettingList":null}` {
		t.Fatalf("new user: %s", got)
	}
	if err := e.adminPrefs(poolID, "full", &cognitoidp.AdminSetUserMFAPreferenceRequest{SMSMfaSettings: sms(true, false), EmailMfaSettings: email(true, true)}); err != nil {
		t.Fatal(err)
	}
	want := `{"MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],"PreferredMfaSetting":"EMAIL_OTP","UserMFASettingList":["SMS_MFA","EMAIL_OTP"]}`
	if got := e.shown(poolID, "full"); got != want {
		t.Fatalf("after enabling:\n%s\nwant\n%s", got, want)
	}
	// A member left out changes nothing; turning the preferred one off
	// drops the preference.
	if err := e.adminPrefs(poolID, "full", &cognitoidp.AdminSetUserMFAPreferenceRequest{EmailMfaSettings: email(false, false)}); err != nil {
		t.Fatal(err)
	}
	want = `{"MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],"PreferredMfaSetting":null,"UserMFASettingList":["SMS_MFA"]}`
	if got := e.shown(poolID, "full"); got != want {
		t.Fatalf("after disabling email:\n%s\nwant\n%s", got, want)
	}

	for _, c := range []struct {
		name, user string
		in         cognitoidp.AdminSetUserMFAPreferenceRequest
		code, msg  string
	}{
		{"totp without a token", "full", cognitoidp.AdminSetUserMFAPreferenceRequest{SoftwareTokenMfaSettings: totpOn}, "InvalidParameterException", msgNoTOTP},
		{"sms without a phone", "bare", cognitoidp.AdminSetUserMFAPreferenceRequest{SMSMfaSettings: sms(true, false)}, "InvalidParameterException", msgNoPhone},
		{"email without an address", "bare", cognitoidp.AdminSetUserMFAPreferenceRequest{EmailMfaSettings: email(true, false)}, "InvalidParameterException", msgNoEmail},
		{"two preferred", "full", cognitoidp.AdminSetUserMFAPreferenceRequest{SMSMfaSettings: sms(true, true), EmailMfaSettings: email(true, true)}, "InvalidParameterException", msgTwoPreferred},
		{"preferred but off", "full", cognitoidp.AdminSetUserMFAPreferenceRequest{SMSMfaSettings: sms(false, true)}, "InvalidParameterException", msgPreferredDisabled},
		{"passkey MFA not configured", "full", cognitoidp.AdminSetUserMFAPreferenceRequest{WebAuthnMfaSettings: &cognitoidp.WebAuthnMfaSettingsType{Enabled: api.Ptr(true)}}, "InvalidParameterException", msgWebAuthnMFAOff},
		{"unknown user", "nobody", cognitoidp.AdminSetUserMFAPreferenceRequest{SMSMfaSettings: sms(true, false)}, "UserNotFoundException", "User does not exist."},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			wantErr(t, e.adminPrefs(poolID, c.user, &in), c.code, c.msg)
		})
	}
	if got := e.shown(poolID, "full"); got != want {
		t.Fatalf("refused requests changed the user:\n%s\nwant\n%s", got, want)
	}
	if got := e.shown(poolID, "bare"); got != `{"MFAOptions":null,"PreferredMfaSetting":null,"UserMFASettingList":null}` {
		t.Fatalf("refused requests changed the user: %s", got)
	}
	_, err := e.svc.AdminSetUserMFAPreference(e.ctx, &cognitoidp.AdminSetUserMFAPreferenceRequest{UserPoolId: api.Ptr("us-east-1_nothere"), Username: api.Ptr("x")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere does not exist.")

	// Email MFA needs Essentials or Plus.
	lite := e.pool(func(in *cognitoidp.CreateUserPoolRequest) { in.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypeLite) })
	e.user(lite, "u", "email", "u@example.com")
	wantErr(t, e.adminPrefs(lite, "u", &cognitoidp.AdminSetUserMFAPreferenceRequest{EmailMfaSettings: email(true, false)}),
		"FeatureUnavailableInTierException", "The following feature is not available for the LITE pricing tier configured: Email MFA")

	// Passkey MFA with the pool's multi-factor configuration.
	if _, err := e.svc.SetUserPoolMfaConfig(e.ctx, &cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: api.Ptr(poolID), WebAuthnConfiguration: &cognitoidp.WebAuthnConfigurationType{
		RelyingPartyId: api.Ptr("example.com"), FactorConfiguration: api.Ptr(cognitoidp.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification),
	}}); err != nil {
		t.Fatal(err)
	}
	if err := e.adminPrefs(poolID, "full", &cognitoidp.AdminSetUserMFAPreferenceRequest{WebAuthnMfaSettings: &cognitoidp.WebAuthnMfaSettingsType{Enabled: api.Ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	st, err := loadState(e.load(poolID, "full"))
	if err != nil || !st.WebAuthn {
		t.Fatalf("passkey MFA not on: %+v %v", st, err)
	}
}

func TestSetUserMFAPreferenceWithToken(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorTOTP, FactorEmail)
	clientID := e.client(poolID)
	e.user(poolID, "ann", "email", "ann@example.com")
	tok := e.tokensOf(clientID, "ann")
	if _, err := e.svc.SetUserMFAPreference(e.ctx, &cognitoidp.SetUserMFAPreferenceRequest{
		AccessToken: tok.AccessToken, EmailMfaSettings: &cognitoidp.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatal(err)
	}
	// GetUser (the account family's hook) shows it too.
	out, err := e.account.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: tok.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.PreferredMfaSetting) != FactorEmail || mustJSON(t, out.UserMFASettingList) != `["EMAIL_OTP"]` || out.MFAOptions != nil {
		t.Fatalf("GetUser: %s", mustJSON(t, out))
	}
	_, err = e.svc.SetUserMFAPreference(e.ctx, &cognitoidp.SetUserMFAPreferenceRequest{AccessToken: api.Ptr("not-a-token")})
	wantErr(t, err, "NotAuthorizedException", "")
}

func TestSetUserSettingsLegacySMS(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.client(poolID)
	e.user(poolID, "leg", "phone_number", "+12065550000")
	e.user(poolID, "nophone")
	tok := e.tokensOf(clientID, "leg")
	smsOpt := []cognitoidp.MFAOptionType{{DeliveryMedium: api.Ptr(cognitoidp.DeliveryMediumTypeSms), AttributeName: api.Ptr("phone_number")}}
	if _, err := e.svc.SetUserSettings(e.ctx, &cognitoidp.SetUserSettingsRequest{AccessToken: tok.AccessToken, MFAOptions: smsOpt}); err != nil {
		t.Fatal(err)
	}
	// The legacy way shows only in MFAOptions (observed).
	want := `{"MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],"PreferredMfaSetting":null,"UserMFASettingList":null}`
	if got := e.shown(poolID, "leg"); got != want {
		t.Fatalf("after SetUserSettings:\n%s\nwant\n%s", got, want)
	}
	if _, err := e.svc.AdminSetUserSettings(e.ctx, &cognitoidp.AdminSetUserSettingsRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr("leg"), MFAOptions: []cognitoidp.MFAOptionType{},
	}); err != nil {
		t.Fatal(err)
	}
	if got := e.shown(poolID, "leg"); got != `{"MFAOptions":null,"PreferredMfaSetting":null,"UserMFASettingList":null}` {
		t.Fatalf("after clearing: %s", got)
	}
	_, err := e.svc.AdminSetUserSettings(e.ctx, &cognitoidp.AdminSetUserSettingsRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr("leg"),
		MFAOptions: []cognitoidp.MFAOptionType{{DeliveryMedium: api.Ptr(cognitoidp.DeliveryMediumTypeEmail), AttributeName: api.Ptr("email")}},
	})
	wantErr(t, err, "InvalidParameterException", msgSettingsSMSOnly)
	_, err = e.svc.AdminSetUserSettings(e.ctx, &cognitoidp.AdminSetUserSettingsRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("nophone"), MFAOptions: smsOpt})
	wantErr(t, err, "InvalidParameterException", msgNoPhone)
}

// A user imported with cognito:mfa_enabled has SMS MFA on; the first write
// folds the import's member into the MFA state and keeps other members.
func TestImportedSMSFlag(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	u := e.user(poolID, "imp", "phone_number", "+12065550001")
	if _, err := e.st.UpdateUser(e.ctx, poolID, u.Key, func(fresh *storage.User) error {
		fresh.Settings = []byte(`{"` + importjobs.SettingsMFAEnabled + `":true,"pendingAttributes":{"email":"x@example.com"}}`)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := e.shown(poolID, "imp"); got != `{"MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],"PreferredMfaSetting":null,"UserMFASettingList":null}` {
		t.Fatalf("imported user: %s", got)
	}
	if err := e.adminPrefs(poolID, "imp", &cognitoidp.AdminSetUserMFAPreferenceRequest{SMSMfaSettings: &cognitoidp.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	got := string(e.load(poolID, "imp").Settings)
	if got != `{"mfa":{"sms":true,"legacySms":true,"preferred":"SMS_MFA"},"pendingAttributes":{"email":"x@example.com"}}` {
		t.Fatalf("Settings = %s", got)
	}
}
