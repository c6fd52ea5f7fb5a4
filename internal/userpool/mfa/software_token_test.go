package mfa

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/totp"
)

func TestSoftwareTokenByAccessToken(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorTOTP)
	clientID := e.client(poolID)
	e.user(poolID, "tia")
	tok := e.tokensOf(clientID, "tia").AccessToken

	out, err := e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{AccessToken: tok})
	if err != nil {
		t.Fatal(err)
	}
	if out.Session != nil || len(*out.SecretCode) != 52 || strings.ContainsAny(*out.SecretCode, "=abcdefghijklmnopqrstuvwxyz") {
		t.Fatalf("AssociateSoftwareToken = %s", mustJSON(t, out))
	}
	secret, err := totp.Decode(*out.SecretCode)
	if err != nil || len(secret)*8 < 160 {
		t.Fatalf("secret %x: %v", secret, err)
	}
	// Sealed at rest: the user's record never holds the secret in clear.
	u := e.load(poolID, "tia")
	if bytes.Contains(u.Settings, []byte(*out.SecretCode)) || bytes.Contains(u.Settings, secret) {
		t.Fatal("the secret is stored in clear")
	}
	verify := func(code string, name *string) (*cognitoidp.VerifySoftwareTokenResponse, error) {
		return e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{AccessToken: tok, UserCode: api.Ptr(code), FriendlyDeviceName: name})
	}
	wrong := totp.Cognito.CodeAt(secret, totp.Cognito.Step(e.clk.Now())+5)
	_, err = verify(wrong, nil)
	wantErr(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")

	code := totp.Cognito.Code(secret, e.clk.Now())
	res, err := verify(code, api.Ptr("phone"))
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, res) != `{"Status":"SUCCESS"}` {
		t.Fatalf("VerifySoftwareToken = %s", mustJSON(t, res))
	}
	// Verified but not on until the user says so.
	if got := e.shown(poolID, "tia"); got != `{"MFAOptions":null,"PreferredMfaSetting":null,"UserMFASettingList":null}` {
		t.Fatalf("after verification: %s", got)
	}
	// The same code is never accepted twice.
	_, err = verify(code, nil)
	wantErr(t, err, "EnableSoftwareTokenMFAException", msgVerifyMismatch)
	// A code of the previous step is refused too once a later one was used.
	_, err = verify(totp.Cognito.CodeAt(secret, totp.Cognito.Step(e.clk.Now())-1), nil)
	wantErr(t, err, "EnableSoftwareTokenMFAException", msgVerifyMismatch)

	if _, err := e.svc.SetUserMFAPreference(e.ctx, &cognitoidp.SetUserMFAPreferenceRequest{
		AccessToken: tok, SoftwareTokenMfaSettings: &cognitoidp.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatal(err)
	}
	if got := e.shown(poolID, "tia"); got != `{"MFAOptions":null,"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA","UserMFASettingList":["SOFTWARE_TOKEN_MFA"]}` {
		t.Fatalf("after SetUserMFAPreference: %s", got)
	}
	st, _ := loadState(e.load(poolID, "tia"))
	if st.Token.Name != "phone" {
		t.Fatalf("FriendlyDeviceName not kept: %+v", st.Token)
	}

	// Associating again replaces the secret: TOTP stops until verified.
	if _, err := e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{AccessToken: tok}); err != nil {
		t.Fatal(err)
	}
	if got := e.shown(poolID, "tia"); got != `{"MFAOptions":null,"PreferredMfaSetting":null,"UserMFASettingList":null}` {
		t.Fatalf("after a new association: %s", got)
	}
}

func TestSoftwareTokenErrors(t *testing.T) {
	e := newEnv(t)
	off := e.pool(nil)
	on := e.pool(nil)
	e.configure(on, cognitoidp.UserPoolMfaTypeOptional, FactorTOTP)
	offClient, onClient := e.client(off), e.client(on)
	e.user(off, "u")
	e.user(on, "v")
	offTok := e.tokensOf(offClient, "u").AccessToken
	onTok := e.tokensOf(onClient, "v").AccessToken

	_, err := e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{AccessToken: offTok})
	wantErr(t, err, "SoftwareTokenMFANotFoundException", msgTOTPNotEnabled)
	_, err = e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{})
	wantErr(t, err, "InvalidParameterException", msgTokenOrSession)
	_, err = e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{AccessToken: onTok, Session: api.Ptr(strings.Repeat("s", 40))})
	wantErr(t, err, "InvalidParameterException", msgTokenAndSession)
	_, err = e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{Session: api.Ptr(strings.Repeat("s", 40))})
	wantErr(t, err, "NotAuthorizedException", msgSessionInvalid)
	_, err = e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{AccessToken: onTok, UserCode: api.Ptr("123456")})
	wantErr(t, err, "SoftwareTokenMFANotFoundException", msgNoSoftwareToken)
	_, err = e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{AccessToken: onTok, UserCode: api.Ptr("12a456")})
	wantErr(t, err, "InvalidParameterException", "")

	// Brute force: after verifyFailureLimit wrong codes the user must wait.
	out, err := e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{AccessToken: onTok})
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := totp.Decode(*out.SecretCode)
	now := totp.Cognito.Step(e.clk.Now())
	for i := range verifyFailureLimit {
		_, err := e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{AccessToken: onTok, UserCode: api.Ptr(totp.Cognito.CodeAt(secret, now+10+int64(i)))})
		wantErr(t, err, "EnableSoftwareTokenMFAException", msgVerifyMismatch)
	}
	good := totp.Cognito.Code(secret, e.clk.Now())
	_, err = e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{AccessToken: onTok, UserCode: api.Ptr(good)})
	wantErr(t, err, "TooManyRequestsException", msgTooManyAttempts)
	e.clk.Advance(verifyFailureWindow + time.Second)
	good = totp.Cognito.Code(secret, e.clk.Now())
	if _, err := e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{AccessToken: onTok, UserCode: api.Ptr(good)}); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}
