package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/totp"
)

// MFA with aws-sdk-go-v2: the pool's configuration, user preferences, TOTP
// set up by access token and inside sign-in (MFA_SETUP), SMS and email codes
// read from the outbox, SELECT_MFA_TYPE, the admin flow, and a remembered
// device standing in for MFA.

// TestMFA runs the MFA tests on SQLite and on PostgreSQL.
func TestMFA(t *testing.T) {
	for _, b := range []backend{sqliteBackend, postgresBackend} {
		t.Run(b.name, func(t *testing.T) {
			c := start(t, b.new(t))
			t.Run("PoolConfig", func(t *testing.T) { t.Parallel(); testMFAPoolConfig(t, c) })
			t.Run("TOTP", func(t *testing.T) { t.Parallel(); testMFATOTP(t, c) })
			t.Run("SMS", func(t *testing.T) { t.Parallel(); testMFASMS(t, c) })
			t.Run("SetupTOTP", func(t *testing.T) { t.Parallel(); testMFASetupTOTP(t, c) })
			t.Run("SetupEmail", func(t *testing.T) { t.Parallel(); testMFASetupEmail(t, c) })
			t.Run("SelectType", func(t *testing.T) { t.Parallel(); testMFASelect(t, c) })
			t.Run("RememberedDevice", func(t *testing.T) { t.Parallel(); testMFARememberedDevice(t, c) })
		})
	}
}

const mfaPassword = "Passw0rd!"

// sesEmail is an email configuration through SES, which email MFA needs.
var sesEmail = &types.EmailConfigurationType{
	EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
	SourceArn:           aws.String("arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com"),
}

// mfaPool makes a pool with the sign-in client and sets its MFA
// configuration.
func mfaPool(t *testing.T, c *cogito, in *idp.CreateUserPoolInput, cfg *idp.SetUserPoolMfaConfigInput) (poolID, clientID string) {
	t.Helper()
	needs(t, "SetUserPoolMfaConfig", "GetUserPoolMfaConfig", "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference")
	if in == nil {
		in = &idp.CreateUserPoolInput{}
	}
	in.EmailConfiguration = sesEmail
	poolID, clientID = signInPool(t, c, "mfa", in, nil)
	if cfg != nil {
		cfg.UserPoolId = &poolID
		if _, err := c.IDP.SetUserPoolMfaConfig(ctx(t), cfg); err != nil {
			t.Fatalf("SetUserPoolMfaConfig: %v", err)
		}
	}
	return poolID, clientID
}

// mfaCode is the code of the newest message to a user, of kind
// AUTHENTICATION.
func mfaCode(t *testing.T, c *cogito, poolID, username string) outboxMessage {
	t.Helper()
	msgs := outbox(t, c, poolID, username)
	if len(msgs) == 0 {
		t.Fatalf("no message to %s", username)
	}
	m := msgs[len(msgs)-1]
	if m.Kind != "AUTHENTICATION" || len(m.Code) != 6 {
		t.Fatalf("newest message to %s: %+v", username, m)
	}
	return m
}

// respond answers a challenge with RespondToAuthChallenge.
func respond(t *testing.T, c *cogito, clientID string, name types.ChallengeNameType, session *string, kv ...string) (*idp.RespondToAuthChallengeOutput, error) {
	t.Helper()
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &clientID, ChallengeName: name, Session: session, ChallengeResponses: m,
	})
}

func testMFAPoolConfig(t *testing.T, c *cogito) {
	poolID, _ := mfaPool(t, c, nil, nil)
	got, err := c.IDP.GetUserPoolMfaConfig(ctx(t), &idp.GetUserPoolMfaConfigInput{UserPoolId: &poolID})
	if err != nil || got.MfaConfiguration != types.UserPoolMfaTypeOff || got.SoftwareTokenMfaConfiguration != nil || got.SmsMfaConfiguration != nil {
		t.Fatalf("GetUserPoolMfaConfig of a new pool = %+v, %v", got, err)
	}
	set, err := c.IDP.SetUserPoolMfaConfig(ctx(t), &idp.SetUserPoolMfaConfigInput{
		UserPoolId:                    &poolID,
		MfaConfiguration:              types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration:           &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your code: {####}")},
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{Subject: aws.String("Code"), Message: aws.String("Code {####}")},
		WebAuthnConfiguration:         &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("example.com"), UserVerification: types.UserVerificationTypePreferred},
	})
	if err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	if set.MfaConfiguration != types.UserPoolMfaTypeOptional || set.SoftwareTokenMfaConfiguration == nil || !set.SoftwareTokenMfaConfiguration.Enabled ||
		aws.ToString(set.SmsMfaConfiguration.SmsAuthenticationMessage) != "Your code: {####}" || aws.ToString(set.EmailMfaConfiguration.Message) != "Code {####}" ||
		aws.ToString(set.WebAuthnConfiguration.RelyingPartyId) != "example.com" {
		t.Fatalf("SetUserPoolMfaConfig = %+v", set)
	}
	got, err = c.IDP.GetUserPoolMfaConfig(ctx(t), &idp.GetUserPoolMfaConfigInput{UserPoolId: &poolID})
	if err != nil || got.MfaConfiguration != types.UserPoolMfaTypeOptional || aws.ToString(got.EmailMfaConfiguration.Subject) != "Code" {
		t.Fatalf("GetUserPoolMfaConfig = %+v, %v", got, err)
	}
	// DescribeUserPool agrees.
	d := describePool(t, c, poolID)
	if d.MfaConfiguration != types.UserPoolMfaTypeOptional || aws.ToString(d.SmsAuthenticationMessage) != "Your code: {####}" {
		t.Fatalf("DescribeUserPool: MfaConfiguration %q, SmsAuthenticationMessage %q", d.MfaConfiguration, aws.ToString(d.SmsAuthenticationMessage))
	}

	_, err = c.IDP.SetUserPoolMfaConfig(ctx(t), &idp.SetUserPoolMfaConfigInput{UserPoolId: &poolID, MfaConfiguration: types.UserPoolMfaTypeOff,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	wantClientError(t, err, "InvalidParameterException", "can't turn off MFA and configure an MFA together")
	_, err = c.IDP.SetUserPoolMfaConfig(ctx(t), &idp.SetUserPoolMfaConfigInput{UserPoolId: &poolID, MfaConfiguration: types.UserPoolMfaTypeOn})
	wantClientError(t, err, "InvalidParameterException", "can't disable all MFAs with a required or optional configuration")
	plain := createPool(t, c, "mfa-plain", nil)
	_, err = c.IDP.SetUserPoolMfaConfig(ctx(t), &idp.SetUserPoolMfaConfigInput{UserPoolId: plain.Id, MfaConfiguration: types.UserPoolMfaTypeOn,
		EmailMfaConfiguration: &types.EmailMfaConfigType{}})
	wantClientError(t, err, "InvalidParameterException", "EmailSendingAccount of COGNITO_DEFAULT")
}

func testMFATOTP(t *testing.T, c *cogito) {
	poolID, clientID := mfaPool(t, c, nil, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration: types.UserPoolMfaTypeOptional, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	})
	adminCreateConfirmed(t, c, poolID, "totp-user", mfaPassword)
	tok := srpSignIn(t, c, poolID, clientID, "totp-user", mfaPassword)

	assoc, err := c.IDP.AssociateSoftwareToken(ctx(t), &idp.AssociateSoftwareTokenInput{AccessToken: tok.AccessToken})
	if err != nil {
		t.Fatalf("AssociateSoftwareToken: %v", err)
	}
	secret, err := totp.Decode(aws.ToString(assoc.SecretCode))
	if err != nil || len(secret) < 20 || assoc.Session != nil {
		t.Fatalf("SecretCode %q: %v", aws.ToString(assoc.SecretCode), err)
	}
	_, err = c.IDP.VerifySoftwareToken(ctx(t), &idp.VerifySoftwareTokenInput{AccessToken: tok.AccessToken, UserCode: aws.String(wrongCode(secret))})
	wantClientError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch")
	now := totp.Cognito.Step(time.Now())
	ver, err := c.IDP.VerifySoftwareToken(ctx(t), &idp.VerifySoftwareTokenInput{
		AccessToken: tok.AccessToken, UserCode: aws.String(totp.Cognito.CodeAt(secret, now)), FriendlyDeviceName: aws.String("e2e"),
	})
	if err != nil || ver.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("VerifySoftwareToken = %+v, %v", ver, err)
	}
	if _, err := c.IDP.SetUserMFAPreference(ctx(t), &idp.SetUserMFAPreferenceInput{
		AccessToken: tok.AccessToken, SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatalf("SetUserMFAPreference: %v", err)
	}
	me, err := c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: tok.AccessToken})
	if err != nil || aws.ToString(me.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || len(me.UserMFASettingList) != 1 {
		t.Fatalf("GetUser = %+v, %v", me, err)
	}

	// Sign-in now asks the code; the code VerifySoftwareToken used is
	// spent, the next step's is accepted (±1 step).
	cs, out := srpStart(t, c, poolID, clientID, "totp-user")
	resp, err := srpAnswer(t, c, clientID, cs, out, mfaPassword, false)
	if err != nil || resp.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa || resp.Session == nil {
		t.Fatalf("after PASSWORD_VERIFIER: %+v, %v", resp, err)
	}
	_, err = respond(t, c, clientID, "SOFTWARE_TOKEN_MFA", resp.Session, "USERNAME", "totp-user", "SOFTWARE_TOKEN_MFA_CODE", totp.Cognito.CodeAt(secret, now))
	wantClientError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	fin, err := respond(t, c, clientID, "SOFTWARE_TOKEN_MFA", resp.Session, "USERNAME", "totp-user", "SOFTWARE_TOKEN_MFA_CODE", totp.Cognito.CodeAt(secret, now+1))
	tokens(t, "SOFTWARE_TOKEN_MFA", fin, err)
}

// wrongCode is a code of the secret far from now.
func wrongCode(secret []byte) string {
	return totp.Cognito.CodeAt(secret, totp.Cognito.Step(time.Now())+100)
}

func testMFASMS(t *testing.T, c *cogito) {
	poolID, clientID := mfaPool(t, c, nil, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration:    types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Sign-in code {####}")},
	})
	adminCreateConfirmed(t, c, poolID, "sms-user", mfaPassword, "phone_number", "+12065551234")
	if _, err := c.IDP.AdminSetUserMFAPreference(ctx(t), &idp.AdminSetUserMFAPreferenceInput{
		UserPoolId: &poolID, Username: aws.String("sms-user"), SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatalf("AdminSetUserMFAPreference: %v", err)
	}
	u := getUser(t, c, poolID, "sms-user")
	if aws.ToString(u.PreferredMfaSetting) != "SMS_MFA" || len(u.MFAOptions) != 1 || aws.ToString(u.MFAOptions[0].AttributeName) != "phone_number" {
		t.Fatalf("AdminGetUser: %+v", u)
	}

	out, err := passwordAuth(t, c, clientID, "sms-user", mfaPassword)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSmsMfa ||
		out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "+*******1234" {
		t.Fatalf("InitiateAuth = %+v, %v", out, err)
	}
	m := mfaCode(t, c, poolID, "sms-user")
	if m.DeliveryMedium != "SMS" || m.Destination != "+12065551234" || m.Body != "Sign-in code "+m.Code {
		t.Fatalf("SMS %+v", m)
	}
	bad := "000000"
	if m.Code == bad {
		bad = "111111"
	}
	_, err = respond(t, c, clientID, "SMS_MFA", out.Session, "USERNAME", "sms-user", "SMS_MFA_CODE", bad)
	wantClientError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	fin, err := respond(t, c, clientID, "SMS_MFA", out.Session, "USERNAME", "sms-user", "SMS_MFA_CODE", m.Code)
	tokens(t, "SMS_MFA", fin, err)

	// The admin flow asks the same.
	aout, err := adminPasswordAuth(t, c, poolID, clientID, "sms-user", mfaPassword)
	if err != nil || aout.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("AdminInitiateAuth = %+v, %v", aout, err)
	}
	am := mfaCode(t, c, poolID, "sms-user")
	afin, err := c.IDP.AdminRespondToAuthChallenge(ctx(t), &idp.AdminRespondToAuthChallengeInput{
		UserPoolId: &poolID, ClientId: &clientID, ChallengeName: types.ChallengeNameTypeSmsMfa, Session: aout.Session,
		ChallengeResponses: map[string]string{"USERNAME": "sms-user", "SMS_MFA_CODE": am.Code},
	})
	tokens(t, "AdminRespondToAuthChallenge SMS_MFA", afin, err)
}

func testMFASetupTOTP(t *testing.T, c *cogito) {
	poolID, clientID := mfaPool(t, c, nil, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	})
	adminCreateConfirmed(t, c, poolID, "setup-user", mfaPassword)
	out, err := passwordAuth(t, c, clientID, "setup-user", mfaPassword)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeMfaSetup {
		t.Fatalf("InitiateAuth = %+v, %v", out, err)
	}
	var canSetup []string
	if err := json.Unmarshal([]byte(out.ChallengeParameters["MFAS_CAN_SETUP"]), &canSetup); err != nil || len(canSetup) != 1 || canSetup[0] != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("MFAS_CAN_SETUP = %q", out.ChallengeParameters["MFAS_CAN_SETUP"])
	}
	assoc, err := c.IDP.AssociateSoftwareToken(ctx(t), &idp.AssociateSoftwareTokenInput{Session: out.Session})
	if err != nil || assoc.Session == nil {
		t.Fatalf("AssociateSoftwareToken{Session} = %+v, %v", assoc, err)
	}
	secret, _ := totp.Decode(aws.ToString(assoc.SecretCode))
	ver, err := c.IDP.VerifySoftwareToken(ctx(t), &idp.VerifySoftwareTokenInput{
		Session: assoc.Session, UserCode: aws.String(totp.Cognito.Code(secret, time.Now())), FriendlyDeviceName: aws.String("phone"),
	})
	if err != nil || ver.Status != types.VerifySoftwareTokenResponseTypeSuccess || ver.Session == nil {
		t.Fatalf("VerifySoftwareToken{Session} = %+v, %v", ver, err)
	}
	fin, err := respond(t, c, clientID, "MFA_SETUP", ver.Session, "USERNAME", "setup-user")
	tok := tokens(t, "MFA_SETUP", fin, err)
	me, err := c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: tok.AccessToken})
	if err != nil || aws.ToString(me.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("GetUser after MFA_SETUP = %+v, %v", me, err)
	}
	out, err = passwordAuth(t, c, clientID, "setup-user", mfaPassword)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("next sign-in = %+v, %v", out, err)
	}
}

func testMFASetupEmail(t *testing.T, c *cogito) {
	poolID, clientID := mfaPool(t, c, nil, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration:      types.UserPoolMfaTypeOn,
		EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("Your code"), Message: aws.String("Code: {####}")},
	})
	adminCreateConfirmed(t, c, poolID, "mail-user", mfaPassword)
	out, err := passwordAuth(t, c, clientID, "mail-user", mfaPassword)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeMfaSetup || out.ChallengeParameters["MFAS_CAN_SETUP"] != `["EMAIL_OTP"]` {
		t.Fatalf("InitiateAuth = %+v, %v", out, err)
	}
	res, err := respond(t, c, clientID, "MFA_SETUP", out.Session, "USERNAME", "mail-user", "EMAIL", "mail-user@example.com")
	if err != nil || res.ChallengeName != types.ChallengeNameTypeEmailOtp || res.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "m***@e***.com" {
		t.Fatalf("MFA_SETUP EMAIL = %+v, %v", res, err)
	}
	m := mfaCode(t, c, poolID, "mail-user")
	if m.Destination != "mail-user@example.com" || m.Subject != "Your code" || m.Body != "Code: "+m.Code {
		t.Fatalf("email %+v", m)
	}
	fin, err := respond(t, c, clientID, "EMAIL_OTP", res.Session, "USERNAME", "mail-user", "EMAIL_OTP_CODE", m.Code)
	tokens(t, "EMAIL_OTP", fin, err)
	u := getUser(t, c, poolID, "mail-user")
	if aws.ToString(u.PreferredMfaSetting) != "EMAIL_OTP" || attrMap(t, u.UserAttributes)["email_verified"] != "true" {
		t.Fatalf("AdminGetUser after email setup: %+v", u)
	}
}

func testMFASelect(t *testing.T, c *cogito) {
	poolID, clientID := mfaPool(t, c, nil, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration:      types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration:   &types.SmsMfaConfigType{},
		EmailMfaConfiguration: &types.EmailMfaConfigType{},
	})
	adminCreateConfirmed(t, c, poolID, "sel-user", mfaPassword, "phone_number", "+12065550199", "email", "sel@example.com")
	if _, err := c.IDP.AdminSetUserMFAPreference(ctx(t), &idp.AdminSetUserMFAPreferenceInput{
		UserPoolId: &poolID, Username: aws.String("sel-user"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}, EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true},
	}); err != nil {
		t.Fatalf("AdminSetUserMFAPreference: %v", err)
	}
	out, err := passwordAuth(t, c, clientID, "sel-user", mfaPassword)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSelectMfaType {
		t.Fatalf("InitiateAuth = %+v, %v", out, err)
	}
	var choose []string
	if err := json.Unmarshal([]byte(out.ChallengeParameters["MFAS_CAN_CHOOSE"]), &choose); err != nil || len(choose) != 2 {
		t.Fatalf("MFAS_CAN_CHOOSE = %q", out.ChallengeParameters["MFAS_CAN_CHOOSE"])
	}
	res, err := respond(t, c, clientID, "SELECT_MFA_TYPE", out.Session, "USERNAME", "sel-user", "ANSWER", "EMAIL_OTP")
	if err != nil || res.ChallengeName != types.ChallengeNameTypeEmailOtp {
		t.Fatalf("SELECT_MFA_TYPE = %+v, %v", res, err)
	}
	m := mfaCode(t, c, poolID, "sel-user")
	if m.DeliveryMedium != "EMAIL" {
		t.Fatalf("code went by %s", m.DeliveryMedium)
	}
	fin, err := respond(t, c, clientID, "EMAIL_OTP", res.Session, "USERNAME", "sel-user", "EMAIL_OTP_CODE", m.Code)
	tokens(t, "EMAIL_OTP", fin, err)
}

// A remembered device signs in by device SRP instead of TOTP in a pool whose
// DeviceConfiguration says so.
func testMFARememberedDevice(t *testing.T, c *cogito) {
	needs(t, "ConfirmDevice")
	poolID, clientID := mfaPool(t, c, &idp.CreateUserPoolInput{
		DeviceConfiguration: &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true},
	}, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	})
	adminCreateConfirmed(t, c, poolID, "rem-user", mfaPassword)
	// First sign-in: MFA_SETUP, which ends with a new device.
	out, err := passwordAuth(t, c, clientID, "rem-user", mfaPassword)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeMfaSetup {
		t.Fatalf("InitiateAuth = %+v, %v", out, err)
	}
	assoc, err := c.IDP.AssociateSoftwareToken(ctx(t), &idp.AssociateSoftwareTokenInput{Session: out.Session})
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := totp.Decode(aws.ToString(assoc.SecretCode))
	ver, err := c.IDP.VerifySoftwareToken(ctx(t), &idp.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(totp.Cognito.Code(secret, time.Now()))})
	if err != nil {
		t.Fatal(err)
	}
	fin, err := respond(t, c, clientID, "MFA_SETUP", ver.Session, "USERNAME", "rem-user")
	first := tokens(t, "MFA_SETUP", fin, err)
	md := first.NewDeviceMetadata
	if md == nil {
		t.Fatal("no NewDeviceMetadata")
	}
	key, group := aws.ToString(md.DeviceKey), aws.ToString(md.DeviceGroupKey)
	ds := srp.NewDeviceSecret(group, key)
	pv, salt := ds.Config()
	if _, err := c.IDP.ConfirmDevice(ctx(t), &idp.ConfirmDeviceInput{
		AccessToken: first.AccessToken, DeviceKey: &key,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: &salt},
	}); err != nil {
		t.Fatalf("ConfirmDevice: %v", err)
	}
	// The remembered device skips TOTP: DEVICE_SRP_AUTH right after the
	// password, and the tokens carry the device.
	tok := deviceSignIn(t, c, poolID, clientID, "rem-user", mfaPassword, key, group, ds)
	if tok.NewDeviceMetadata != nil {
		t.Fatal("NewDeviceMetadata for a known device")
	}
	if got := verifyJWT(t, c, poolID, c.URL+"/"+poolID, *tok.AccessToken).str("device_key"); got != key {
		t.Fatalf("device_key = %q, want %q", got, key)
	}
	// Without the device, TOTP is asked.
	out, err = passwordAuth(t, c, clientID, "rem-user", mfaPassword)
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("sign-in without the device = %+v, %v", out, err)
	}
	// An unknown device key is what makes Amplify forget its device.
	_, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "rem-user", "PASSWORD": mfaPassword, "DEVICE_KEY": "us-east-1_00000000-0000-0000-0000-000000000000"},
	})
	wantClientError(t, err, "ResourceNotFoundException", "Device does not exist.")
}
