package mfa

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/totp"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

// secret1 is the software-token secret test users get through setState.
var secret1 = []byte("12345678901234567890")

// setState changes a user's MFA state directly; totp gives them a verified
// token with secret1.
func (e *env) setState(poolID, username string, withToken bool, fn func(*userState)) {
	e.t.Helper()
	u := e.load(poolID, username)
	if _, err := e.svc.updateState(e.ctx, u, func(fresh *storage.User, st *userState) error {
		if withToken {
			st.Token = &softwareToken{Secret: e.svc.sealSecret(fresh, secret1), Verified: true, Created: e.clk.Now()}
		}
		if fn != nil {
			fn(st)
		}
		return nil
	}); err != nil {
		e.t.Fatalf("setting MFA state: %v", err)
	}
}

// claims decodes a JWT's payload.
func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEnforcement is the rule table: the pool's mode and factors, the
// user's attributes and settings, and what sign-in asks.
func TestEnforcement(t *testing.T) {
	e := newEnv(t)
	type userSetup struct {
		attrs []string
		token bool
		state func(*userState)
	}
	phone := []string{"phone_number", "+12065551234"}
	mail := []string{"email", "kim@example.com"}
	both := append(append([]string{}, phone...), mail...)
	for _, c := range []struct {
		name    string
		mode    cognitoidp.UserPoolMfaType
		factors []string
		user    userSetup
		want    string // challenge, "" for tokens
		param   string // a challenge parameter to check, "NAME=VALUE"
	}{
		{"off asks nothing", "OFF", nil, userSetup{phone, true, func(s *userState) { s.SMS, s.TOTP = true, true }}, "", ""},
		{"optional, nothing on", "OPTIONAL", []string{FactorSMS, FactorTOTP}, userSetup{phone, true, nil}, "", ""},
		{"optional, sms on", "OPTIONAL", []string{FactorSMS}, userSetup{phone, false, func(s *userState) { s.SMS = true }}, "SMS_MFA", "CODE_DELIVERY_DELIVERY_MEDIUM=SMS"},
		{"optional, legacy sms on", "OPTIONAL", []string{FactorSMS}, userSetup{phone, false, func(s *userState) { s.LegacySMS = true }}, "SMS_MFA", "CODE_DELIVERY_DESTINATION=+*******1234"},
		{"optional, email on", "OPTIONAL", []string{FactorEmail}, userSetup{mail, false, func(s *userState) { s.Email = true }}, "EMAIL_OTP", "CODE_DELIVERY_DESTINATION=k***@e***.com"},
		{"optional, totp on", "OPTIONAL", []string{FactorTOTP}, userSetup{nil, true, func(s *userState) { s.TOTP = true }}, "SOFTWARE_TOKEN_MFA", ""},
		{"optional, totp on but never verified", "OPTIONAL", []string{FactorTOTP}, userSetup{nil, false, func(s *userState) { s.TOTP = true }}, "", ""},
		{"optional, sms on but pool offers only totp", "OPTIONAL", []string{FactorTOTP}, userSetup{phone, false, func(s *userState) { s.SMS = true }}, "", ""},
		{"optional, totp on after the pool dropped totp", "OPTIONAL", []string{FactorSMS}, userSetup{nil, true, func(s *userState) { s.TOTP = true }}, "SOFTWARE_TOKEN_MFA", ""},
		{"optional, two on, none preferred", "OPTIONAL", []string{FactorSMS, FactorEmail}, userSetup{both, false, func(s *userState) { s.SMS, s.Email = true, true }}, "SELECT_MFA_TYPE", `MFAS_CAN_CHOOSE=["SMS_MFA","EMAIL_OTP"]`},
		{"optional, three on, totp preferred", "OPTIONAL", []string{FactorSMS, FactorTOTP, FactorEmail}, userSetup{both, true, func(s *userState) { s.SMS, s.TOTP, s.Email, s.Preferred = true, true, true, FactorTOTP }}, "SOFTWARE_TOKEN_MFA", ""},
		{"optional, preferred not usable", "OPTIONAL", []string{FactorSMS, FactorEmail}, userSetup{mail, false, func(s *userState) { s.SMS, s.Email, s.Preferred = true, true, FactorSMS }}, "EMAIL_OTP", ""},
		{"on, phone and sms pool", "ON", []string{FactorSMS}, userSetup{phone, false, nil}, "SMS_MFA", ""},
		{"on, email and email pool", "ON", []string{FactorEmail, FactorTOTP}, userSetup{mail, false, nil}, "EMAIL_OTP", ""},
		{"on, verified token not turned on", "ON", []string{FactorTOTP}, userSetup{nil, true, nil}, "SOFTWARE_TOKEN_MFA", ""},
		{"on, nothing usable", "ON", []string{FactorTOTP}, userSetup{nil, false, nil}, "MFA_SETUP", `MFAS_CAN_SETUP=["SOFTWARE_TOKEN_MFA"]`},
		{"on, nothing usable, all factors", "ON", []string{FactorSMS, FactorTOTP, FactorEmail}, userSetup{nil, false, nil}, "MFA_SETUP", `MFAS_CAN_SETUP=["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]`},
		{"on, phone and email, both automatic", "ON", []string{FactorSMS, FactorEmail}, userSetup{both, false, nil}, "SELECT_MFA_TYPE", `MFAS_CAN_CHOOSE=["SMS_MFA","EMAIL_OTP"]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			poolID := e.pool(sesPool)
			if c.mode != "OFF" {
				e.configure(poolID, c.mode, c.factors...)
			}
			clientID := e.client(poolID)
			e.user(poolID, "kim", c.user.attrs...)
			if c.user.token || c.user.state != nil {
				e.setState(poolID, "kim", c.user.token, c.user.state)
			}
			out := e.mustSignIn(clientID, "kim")
			got := string(api.Deref(out.ChallengeName))
			if got != c.want {
				t.Fatalf("challenge %q, want %q (%s)", got, c.want, mustJSON(t, out))
			}
			if c.want == "" {
				if out.AuthenticationResult == nil {
					t.Fatal("no tokens")
				}
				return
			}
			if out.Session == nil || out.ChallengeParameters["USERNAME"] != "kim" {
				t.Fatalf("challenge without Session or USERNAME: %s", mustJSON(t, out))
			}
			if c.param != "" {
				k, v, _ := strings.Cut(c.param, "=")
				if out.ChallengeParameters[k] != v {
					t.Fatalf("%s = %q, want %q", k, out.ChallengeParameters[k], v)
				}
			}
		})
	}
}

func TestSMSCodeSignIn(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorSMS)
	clientID := e.client(poolID)
	e.user(poolID, "sam", "phone_number", "+12065551234")
	e.setState(poolID, "sam", false, func(s *userState) { s.SMS = true })

	out := e.mustSignIn(clientID, "sam")
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeSmsMfa ||
		mustJSON(t, out.ChallengeParameters) != `{"CODE_DELIVERY_DELIVERY_MEDIUM":"SMS","CODE_DELIVERY_DESTINATION":"+*******1234","USERNAME":"sam"}` {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
	m := e.lastMessage()
	if m.Medium != cognitoidp.DeliveryMediumTypeSms || m.Destination != "+12065551234" || m.Kind != "AUTHENTICATION" ||
		len(m.Code) != 6 || m.Body != "Your code is "+m.Code {
		t.Fatalf("message %+v", m)
	}
	// The Session holds no plain code.
	if strings.Contains(*out.Session, m.Code) {
		t.Fatal("the code is in the Session")
	}
	wrong := "000000"
	if m.Code == wrong {
		wrong = "111111"
	}
	_, err := e.respond(clientID, "SMS_MFA", out.Session, "USERNAME", "sam", "SMS_MFA_CODE", wrong)
	wantErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	_, err = e.respond(clientID, "SMS_MFA", out.Session, "USERNAME", "sam")
	wantErr(t, err, "InvalidParameterException", "Missing required parameter SMS_MFA_CODE")
	// The Session survives a wrong code.
	res := e.mustRespond(clientID, "SMS_MFA", out.Session, "USERNAME", "sam", "SMS_MFA_CODE", m.Code)
	if res.AuthenticationResult == nil || res.AuthenticationResult.NewDeviceMetadata != nil {
		t.Fatalf("RespondToAuthChallenge = %s", mustJSON(t, res))
	}
	// The Session and its code are spent.
	_, err = e.respond(clientID, "SMS_MFA", out.Session, "USERNAME", "sam", "SMS_MFA_CODE", m.Code)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// The auth event lists the MFA.
	ev := e.events.last()
	if ev.Response != cognitoidp.EventResponseTypePass || mustJSON(t, ev.Challenges) != `[{"ChallengeName":"Password","ChallengeResponse":"Success"},{"ChallengeName":"Mfa","ChallengeResponse":"Success"}]` {
		t.Fatalf("event %+v", mustJSON(t, ev))
	}
	// A code that went to the phone verified it.
	if e.load(poolID, "sam").Attributes["phone_number_verified"] != "true" {
		t.Fatal("phone_number_verified not set")
	}
}

func TestCodeRetriesAndExpiry(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorEmail)
	clientID := e.client(poolID)
	e.user(poolID, "eve", "email", "eve@example.com")
	e.setState(poolID, "eve", false, func(s *userState) { s.Email = true })

	out := e.mustSignIn(clientID, "eve")
	code := e.lastCode()
	if m := e.lastMessage(); m.Subject != "Sign-in code" || m.Body != "Code: "+code {
		t.Fatalf("email %q / %q", m.Subject, m.Body)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for range maxCodeAttempts {
		_, err := e.respond(clientID, "EMAIL_OTP", out.Session, "USERNAME", "eve", "EMAIL_OTP_CODE", wrong)
		wantErr(t, err, "CodeMismatchException", msgCodeMismatch)
	}
	_, err := e.respond(clientID, "EMAIL_OTP", out.Session, "USERNAME", "eve", "EMAIL_OTP_CODE", code)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// Expiry: the code lives as long as the Session (3 minutes by default).
	out = e.mustSignIn(clientID, "eve")
	code = e.lastCode()
	e.clk.Advance(3*time.Minute + time.Second)
	_, err = e.respond(clientID, "EMAIL_OTP", out.Session, "USERNAME", "eve", "EMAIL_OTP_CODE", code)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// A fresh sign-in works, and its code is new.
	out = e.mustSignIn(clientID, "eve")
	if e.lastCode() == code && e.sent.count() < 3 {
		t.Fatal("no new code")
	}
	if res := e.mustRespond(clientID, "EMAIL_OTP", out.Session, "USERNAME", "eve", "EMAIL_OTP_CODE", e.lastCode()); res.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
}

func TestTOTPSignInAndReplay(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorTOTP)
	clientID := e.client(poolID)
	e.user(poolID, "tom")
	secret := e.setupTOTP(*e.tokensOf(clientID, "tom").AccessToken)

	out := e.mustSignIn(clientID, "tom")
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeSoftwareTokenMfa || mustJSON(t, out.ChallengeParameters) != `{"USERNAME":"tom"}` {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
	code := totp.Cognito.Code(secret, e.clk.Now())
	wrong := totp.Cognito.CodeAt(secret, totp.Cognito.Step(e.clk.Now())+3)
	_, err := e.respond(clientID, "SOFTWARE_TOKEN_MFA", out.Session, "USERNAME", "tom", "SOFTWARE_TOKEN_MFA_CODE", wrong)
	wantErr(t, err, "CodeMismatchException", msgCodeMismatch)
	if res := e.mustRespond(clientID, "SOFTWARE_TOKEN_MFA", out.Session, "USERNAME", "tom", "SOFTWARE_TOKEN_MFA_CODE", code); res.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
	// The same code in the next sign-in (still in its window) is refused.
	out = e.mustSignIn(clientID, "tom")
	_, err = e.respond(clientID, "SOFTWARE_TOKEN_MFA", out.Session, "USERNAME", "tom", "SOFTWARE_TOKEN_MFA_CODE", code)
	wantErr(t, err, "CodeMismatchException", msgCodeMismatch)
	// The next step's code works (±1 step window).
	next := totp.Cognito.CodeAt(secret, totp.Cognito.Step(e.clk.Now())+1)
	if res := e.mustRespond(clientID, "SOFTWARE_TOKEN_MFA", out.Session, "USERNAME", "tom", "SOFTWARE_TOKEN_MFA_CODE", next); res.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
}

func TestSelectMFAType(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorSMS, FactorTOTP, FactorEmail)
	clientID := e.client(poolID)
	e.user(poolID, "sel", "phone_number", "+12065550100", "email", "sel@example.com")
	e.setState(poolID, "sel", true, func(s *userState) { s.SMS, s.TOTP, s.Email = true, true, true })

	out := e.mustSignIn(clientID, "sel")
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeSelectMfaType {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
	var choose []string
	if err := json.Unmarshal([]byte(out.ChallengeParameters["MFAS_CAN_CHOOSE"]), &choose); err != nil || mustJSON(t, choose) != `["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]` {
		t.Fatalf("MFAS_CAN_CHOOSE = %q (%v)", out.ChallengeParameters["MFAS_CAN_CHOOSE"], err)
	}
	sent := e.sent.count()
	_, err := e.respond(clientID, "SELECT_MFA_TYPE", out.Session, "USERNAME", "sel", "ANSWER", "WEB_AUTHN")
	wantErr(t, err, "InvalidParameterException", "Invalid MFA type given: WEB_AUTHN")
	_, err = e.respond(clientID, "SELECT_MFA_TYPE", out.Session, "USERNAME", "sel")
	wantErr(t, err, "InvalidParameterException", "Missing required parameter ANSWER")
	if e.sent.count() != sent {
		t.Fatal("a code was sent before a factor was chosen")
	}
	// EMAIL_MFA is taken for EMAIL_OTP.
	res := e.mustRespond(clientID, "SELECT_MFA_TYPE", out.Session, "USERNAME", "sel", "ANSWER", "EMAIL_MFA")
	if api.Deref(res.ChallengeName) != cognitoidp.ChallengeNameTypeEmailOtp || res.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" {
		t.Fatalf("after choosing: %s", mustJSON(t, res))
	}
	done := e.mustRespond(clientID, "EMAIL_OTP", res.Session, "USERNAME", "sel", "EMAIL_OTP_CODE", e.lastCode())
	if done.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
	// Choosing TOTP asks for the code without sending anything.
	out = e.mustSignIn(clientID, "sel")
	sent = e.sent.count()
	res = e.mustRespond(clientID, "SELECT_MFA_TYPE", out.Session, "USERNAME", "sel", "ANSWER", "SOFTWARE_TOKEN_MFA")
	if api.Deref(res.ChallengeName) != cognitoidp.ChallengeNameTypeSoftwareTokenMfa || e.sent.count() != sent {
		t.Fatalf("after choosing TOTP: %s", mustJSON(t, res))
	}
	done = e.mustRespond(clientID, "SOFTWARE_TOKEN_MFA", res.Session, "USERNAME", "sel", "SOFTWARE_TOKEN_MFA_CODE", totp.Cognito.Code(secret1, e.clk.Now()))
	if done.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
}

func TestMFASetupTOTP(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOn, FactorTOTP)
	clientID := e.client(poolID)
	e.user(poolID, "new")

	out := e.mustSignIn(clientID, "new")
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeMfaSetup || out.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
	// Answering before setting anything up is refused.
	_, err := e.respond(clientID, "MFA_SETUP", out.Session, "USERNAME", "new")
	wantErr(t, err, "InvalidParameterException", msgSetupIncomplete)

	assoc, err := e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{Session: out.Session})
	if err != nil {
		t.Fatal(err)
	}
	if assoc.Session == nil || *assoc.Session == *out.Session {
		t.Fatalf("AssociateSoftwareToken{Session} = %s", mustJSON(t, assoc))
	}
	// The first Session is spent.
	_, err = e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{Session: out.Session})
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	secret, _ := totp.Decode(*assoc.SecretCode)
	_, err = e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{Session: assoc.Session, UserCode: api.Ptr(totp.Cognito.CodeAt(secret, 99))})
	wantErr(t, err, "EnableSoftwareTokenMFAException", msgVerifyMismatch)
	ver, err := e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{
		Session: assoc.Session, UserCode: api.Ptr(totp.Cognito.Code(secret, e.clk.Now())), FriendlyDeviceName: api.Ptr("laptop"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(ver.Status) != "SUCCESS" || ver.Session == nil {
		t.Fatalf("VerifySoftwareToken{Session} = %s", mustJSON(t, ver))
	}
	res := e.mustRespond(clientID, "MFA_SETUP", ver.Session, "USERNAME", "new")
	if res.AuthenticationResult == nil {
		t.Fatalf("MFA_SETUP = %s", mustJSON(t, res))
	}
	if got := e.shown(poolID, "new"); got != `{"MFAOptions":null,"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA","UserMFASettingList":["SOFTWARE_TOKEN_MFA"]}` {
		t.Fatalf("after MFA_SETUP: %s", got)
	}
	// From now on sign-in asks the code.
	e.clk.Advance(30 * time.Second)
	out = e.mustSignIn(clientID, "new")
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("next sign-in: %s", mustJSON(t, out))
	}
}

func TestMFASetupEmail(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOn, FactorTOTP, FactorEmail)
	clientID := e.client(poolID)
	e.user(poolID, "ned")

	out := e.mustSignIn(clientID, "ned")
	if out.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]` {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
	_, err := e.respond(clientID, "MFA_SETUP", out.Session, "USERNAME", "ned", "EMAIL", "not an address")
	wantErr(t, err, "InvalidParameterException", msgBadEmail)
	res := e.mustRespond(clientID, "MFA_SETUP", out.Session, "USERNAME", "ned", "EMAIL", "ned@example.com")
	if api.Deref(res.ChallengeName) != cognitoidp.ChallengeNameTypeEmailOtp || res.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "n***@e***.com" {
		t.Fatalf("MFA_SETUP EMAIL = %s", mustJSON(t, res))
	}
	if m := e.lastMessage(); m.Destination != "ned@example.com" {
		t.Fatalf("code sent to %q", m.Destination)
	}
	done := e.mustRespond(clientID, "EMAIL_OTP", res.Session, "USERNAME", "ned", "EMAIL_OTP_CODE", e.lastCode())
	if done.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
	u := e.load(poolID, "ned")
	if u.Attributes["email"] != "ned@example.com" || u.Attributes["email_verified"] != "true" {
		t.Fatalf("attributes %v", u.Attributes)
	}
	if got := e.shown(poolID, "ned"); got != `{"MFAOptions":null,"PreferredMfaSetting":"EMAIL_OTP","UserMFASettingList":["EMAIL_OTP"]}` {
		t.Fatalf("after email setup: %s", got)
	}
}

func TestNoMFAAfterPasswordlessFactor(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(sesPool)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOn, FactorEmail)
	e.user(poolID, "pwl", "email", "pwl@example.com")
	up := e.describe(poolID)
	for _, f := range []string{auth.FactorEmailOTP, auth.FactorSMSOTP, auth.FactorWebAuthn} {
		step, err := e.svc.Next(e.ctx, &auth.Attempt{Pool: up, User: e.load(poolID, "pwl"), FirstFactor: f})
		if err != nil || step.Challenge != "" {
			t.Fatalf("%s: step %+v, %v", f, step, err)
		}
	}
	step, err := e.svc.Next(e.ctx, &auth.Attempt{Pool: up, User: e.load(poolID, "pwl"), FirstFactor: auth.FactorPassword})
	if err != nil || step.Challenge != cognitoidp.ChallengeNameTypeEmailOtp {
		t.Fatalf("after a password: %+v, %v", step, err)
	}
}
