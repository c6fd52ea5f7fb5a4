package auth

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

func TestUserAuthFlowNotEnabled(t *testing.T) {
	u := newUAEnv(t)
	clientID := u.env.clientID(u.poolID) // every flow but USER_AUTH
	_, err := u.userAuth(clientID, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
}

func TestUserAuthSelectChallenge(t *testing.T) {
	u := newUAEnv(t)
	u.passkeys.has[u.alice.Key] = true
	out, err := u.userAuth(u.clientID, "USERNAME", "alice")
	mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
	want := []cognitoidp.ChallengeNameType{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"}
	if !slices.Equal(out.AvailableChallenges, want) {
		t.Errorf("AvailableChallenges = %v, want %v", out.AvailableChallenges, want)
	}
	if out.ChallengeParameters == nil || len(out.ChallengeParameters) != 0 {
		t.Errorf("ChallengeParameters = %v, want {}", out.ChallengeParameters)
	}
	// The admin twin answers the same.
	aout, err := u.svc.AdminInitiateAuth(u.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(u.poolID), ClientId: api.Ptr(u.clientID),
		AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserAuth), AuthParameters: params("USERNAME", "alice"),
	})
	mustChallenge(t, aout, err, cognitoidp.ChallengeNameTypeSelectChallenge)
	if !slices.Equal(aout.AvailableChallenges, want) {
		t.Errorf("admin AvailableChallenges = %v", aout.AvailableChallenges)
	}
	// The wire shape: AvailableChallenges is a top-level list.
	res, err := u.call("InitiateAuth", `{"ClientId":"`+u.clientID+`","AuthFlow":"USER_AUTH","AuthParameters":{"USERNAME":"alice"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if r := res.(*cognitoidp.InitiateAuthResponse); len(r.AvailableChallenges) != len(want) {
		t.Errorf("through the table: %v", r.AvailableChallenges)
	}
}

// TestUserAuthAvailability checks which factors a user is offered.
func TestUserAuthAvailability(t *testing.T) {
	pw, otpE, otpS, wa := cognitoidp.ChallengeNameTypePassword, cognitoidp.ChallengeNameTypeEmailOtp, cognitoidp.ChallengeNameTypeSmsOtp, cognitoidp.ChallengeNameTypeWebAuthn
	srpF := cognitoidp.ChallengeNameTypePasswordSrp
	tests := []struct {
		name    string
		factors []cognitoidp.AuthFactorType
		mut     func(*Config)
		user    func(*storage.User)
		passkey bool
		want    []cognitoidp.ChallengeNameType
	}{
		{name: "everything", factors: allFactors, passkey: true, want: []cognitoidp.ChallengeNameType{pw, srpF, otpE, otpS, wa}},
		{name: "password only pool", factors: []cognitoidp.AuthFactorType{"PASSWORD"}, passkey: true, want: []cognitoidp.ChallengeNameType{pw, srpF}},
		{name: "email not verified", factors: allFactors, user: func(x *storage.User) { x.Attributes["email_verified"] = "false" }, want: []cognitoidp.ChallengeNameType{pw, srpF, otpS}},
		{name: "no phone", factors: allFactors, user: func(x *storage.User) {
			delete(x.Attributes, "phone_number")
			delete(x.Attributes, "phone_number_verified")
		}, want: []cognitoidp.ChallengeNameType{pw, srpF, otpE}},
		{name: "no password", factors: allFactors, user: func(x *storage.User) { x.Password = nil }, want: []cognitoidp.ChallengeNameType{otpE, otpS}},
		{name: "no sender", factors: allFactors, mut: func(c *Config) { c.Sender = nil }, passkey: true, want: []cognitoidp.ChallengeNameType{pw, srpF, wa}},
		{name: "no passkeys family", factors: allFactors, mut: func(c *Config) { c.Passkeys = nil }, passkey: true, want: []cognitoidp.ChallengeNameType{pw, srpF, otpE, otpS}},
		{name: "email only pool", factors: []cognitoidp.AuthFactorType{"PASSWORD", "EMAIL_OTP"}, passkey: true, want: []cognitoidp.ChallengeNameType{pw, srpF, otpE}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var muts []func(*Config)
			if tc.mut != nil {
				muts = append(muts, tc.mut)
			}
			u := newUAEnv(t, muts...)
			poolID := u.pool(func(in *cognitoidp.CreateUserPoolRequest) {
				in.Policies = &cognitoidp.UserPoolPolicyType{SignInPolicy: &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: tc.factors}}
			})
			u.poolID = poolID
			clientID := u.uaClient(nil)
			bob := u.confirmedUser(poolID, "bob", goodPassword,
				"email", "bob@example.com", "email_verified", "true",
				"phone_number", "+15557654321", "phone_number_verified", "true")
			if tc.user != nil {
				bob = u.setUser("bob", tc.user)
			}
			u.passkeys.has[bob.Key] = tc.passkey
			out, err := u.userAuth(clientID, "USERNAME", "bob")
			mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
			if !slices.Equal(out.AvailableChallenges, tc.want) {
				t.Errorf("AvailableChallenges = %v, want %v", out.AvailableChallenges, tc.want)
			}
		})
	}
}

func TestUserAuthLiteTierOffersOnlyPassword(t *testing.T) {
	u := newUAEnv(t)
	c := &call{pool: &cognitoidp.UserPoolType{
		UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypeLite),
		Policies:     &cognitoidp.UserPoolPolicyType{SignInPolicy: &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: allFactors}},
	}}
	for _, f := range allFactors {
		if got, want := u.svc.poolAllows(c, f), f == cognitoidp.AuthFactorTypePassword; got != want {
			t.Errorf("LITE poolAllows(%s) = %v, want %v", f, got, want)
		}
	}
	c.pool.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypePlus)
	for _, f := range allFactors {
		if !u.svc.poolAllows(c, f) {
			t.Errorf("PLUS poolAllows(%s) = false", f)
		}
	}
}

func TestUserAuthPreferredPassword(t *testing.T) {
	u := newUAEnv(t)
	out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", goodPassword)
	mustTokens(t, out, err)
	a := u.next.last(t)
	if a.Flow != cognitoidp.AuthFlowTypeUserAuth || a.FirstFactor != FactorPassword || a.User.Key != u.alice.Key {
		t.Errorf("NextStep attempt = flow %s factor %s", a.Flow, a.FirstFactor)
	}
	ev, _ := u.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypePass || api.Deref(ev.Event.Challenges[0].ChallengeName) != cognitoidp.ChallengeNamePassword {
		t.Errorf("event = %+v", ev.Event)
	}

	_, err = u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Wrong1pass!")
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	// By alias? Not configured: the email is not a sign-in name here.
	_, err = u.userAuth(u.clientID, "USERNAME", "alice@example.com", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", goodPassword)
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
}

func TestUserAuthPasswordChallengeAnswered(t *testing.T) {
	u := newUAEnv(t)
	for _, how := range []string{"SELECT_CHALLENGE", "PASSWORD"} {
		t.Run(how, func(t *testing.T) {
			out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "PASSWORD")
			sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypePassword)
			if out.ChallengeParameters["USERNAME"] != "alice" {
				t.Errorf("ChallengeParameters = %v", out.ChallengeParameters)
			}
			kv := []string{"USERNAME", "alice", "PASSWORD", "Wrong1pass!"}
			if how == "SELECT_CHALLENGE" {
				kv = append(kv, "ANSWER", "PASSWORD")
			}
			_, err = u.respond(u.clientID, cognitoidp.ChallengeNameType(how), sess, kv...)
			wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
			kv[3] = goodPassword // the session survives a wrong password
			r, err := u.respond(u.clientID, cognitoidp.ChallengeNameType(how), sess, kv...)
			mustTokens(t, r, err)
			_, err = u.respond(u.clientID, cognitoidp.ChallengeNameType(how), sess, kv...)
			wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
		})
	}
}

func TestUserAuthSelectThenPassword(t *testing.T) {
	u := newUAEnv(t)
	out, err := u.userAuth(u.clientID, "USERNAME", "alice")
	sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
	// ANSWER PASSWORD without the password: the PASSWORD challenge.
	r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD")
	sess2 := mustChallenge(t, r, err, cognitoidp.ChallengeNameTypePassword)
	// The SELECT_CHALLENGE session is spent.
	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD", "PASSWORD", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	r, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess2, "USERNAME", "alice", "ANSWER", "PASSWORD", "PASSWORD", goodPassword)
	mustTokens(t, r, err)
}

func TestUserAuthSelectChallengeErrors(t *testing.T) {
	u := newUAEnv(t)
	start := func() string {
		out, err := u.userAuth(u.clientID, "USERNAME", "alice")
		return mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
	}
	sess := start()
	tests := []struct {
		name      string
		challenge cognitoidp.ChallengeNameType
		session   string
		kv        []string
		code, msg string
	}{
		{"not available", "SELECT_CHALLENGE", sess, []string{"USERNAME", "alice", "ANSWER", "WEB_AUTHN"}, "InvalidParameterException", "The challenge WEB_AUTHN is not available for the user."},
		{"unknown answer", "SELECT_CHALLENGE", sess, []string{"USERNAME", "alice", "ANSWER", "MAGIC"}, "InvalidParameterException", "The challenge MAGIC is not available for the user."},
		{"no answer", "SELECT_CHALLENGE", sess, []string{"USERNAME", "alice"}, "InvalidParameterException", "Missing required parameter ANSWER"},
		{"no username", "SELECT_CHALLENGE", sess, []string{"ANSWER", "PASSWORD"}, "InvalidParameterException", "Missing required parameter USERNAME"},
		{"no session", "SELECT_CHALLENGE", "", []string{"USERNAME", "alice", "ANSWER", "PASSWORD"}, "NotAuthorizedException", "Invalid session for the user."},
		{"garbage session", "SELECT_CHALLENGE", "x" + sess[1:], []string{"USERNAME", "alice", "ANSWER", "PASSWORD"}, "NotAuthorizedException", "Invalid session for the user."},
		{"wrong challenge for session", "EMAIL_OTP", sess, []string{"USERNAME", "alice", "EMAIL_OTP_CODE", "12345678"}, "NotAuthorizedException", "Invalid session for the user."},
		{"bad SRP_A", "SELECT_CHALLENGE", sess, []string{"USERNAME", "alice", "ANSWER", "PASSWORD_SRP", "SRP_A", "0"}, "InvalidParameterException", "SRP_A is not a valid SRP public value."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := u.respond(u.clientID, tc.challenge, tc.session, tc.kv...)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	// Another client's session is refused.
	other := u.uaClient(nil)
	_, err := u.respond(other, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD", "PASSWORD", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// Expired.
	u.clk.Advance(3*time.Minute + time.Second)
	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD", "PASSWORD", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}

// srpAnswerUA answers a PASSWORD_VERIFIER of choice-based sign-in.
func (u *uaEnv) srpVerify(cs *srp.ClientSession, ch map[string]string, session, pw string) (*cognitoidp.RespondToAuthChallengeResponse, error) {
	claim := u.srpAnswer(cs, ch, pw)
	return u.respond(u.clientID, cognitoidp.ChallengeNameTypePasswordVerifier, session,
		"USERNAME", ch["USER_ID_FOR_SRP"],
		"PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock,
		"TIMESTAMP", claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE", claim.Signature)
}

func TestUserAuthPasswordSRP(t *testing.T) {
	u := newUAEnv(t)
	t.Run("preferred", func(t *testing.T) {
		cs := srp.NewClientSession(srp.PoolName(u.poolID))
		out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "PASSWORD_SRP", "SRP_A", cs.PublicHex())
		sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypePasswordVerifier)
		for _, k := range []string{"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"} {
			if out.ChallengeParameters[k] == "" {
				t.Errorf("no %s in %v", k, out.ChallengeParameters)
			}
		}
		r, err := u.srpVerify(cs, out.ChallengeParameters, sess, goodPassword)
		mustTokens(t, r, err)
		if a := u.next.last(t); a.Flow != cognitoidp.AuthFlowTypeUserAuth || a.FirstFactor != FactorPassword {
			t.Errorf("attempt flow %s factor %s", a.Flow, a.FirstFactor)
		}
	})
	t.Run("without the session", func(t *testing.T) {
		cs := srp.NewClientSession(srp.PoolName(u.poolID))
		out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "PASSWORD_SRP", "SRP_A", cs.PublicHex())
		mustChallenge(t, out, err, cognitoidp.ChallengeNameTypePasswordVerifier)
		r, err := u.srpVerify(cs, out.ChallengeParameters, "", goodPassword)
		mustTokens(t, r, err)
		if a := u.next.last(t); a.Flow != cognitoidp.AuthFlowTypeUserSrpAuth {
			t.Errorf("attempt flow %s", a.Flow)
		}
	})
	t.Run("selected", func(t *testing.T) {
		out, err := u.userAuth(u.clientID, "USERNAME", "alice")
		sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
		cs := srp.NewClientSession(srp.PoolName(u.poolID))
		r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD_SRP", "SRP_A", cs.PublicHex())
		sess2 := mustChallenge(t, r, err, cognitoidp.ChallengeNameTypePasswordVerifier)
		_, err = u.srpVerify(cs, r.ChallengeParameters, sess2, "Wrong1pass!")
		wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("answered by name", func(t *testing.T) {
		out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "PASSWORD_SRP")
		sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypePasswordSrp)
		cs := srp.NewClientSession(srp.PoolName(u.poolID))
		r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypePasswordSrp, sess, "USERNAME", "alice", "SRP_A", cs.PublicHex())
		sess2 := mustChallenge(t, r, err, cognitoidp.ChallengeNameTypePasswordVerifier)
		r2, err := u.srpVerify(cs, r.ChallengeParameters, sess2, goodPassword)
		mustTokens(t, r2, err)
	})
}

func TestUserAuthEmailOTP(t *testing.T) {
	u := newUAEnv(t)
	out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeEmailOtp)
	if p := out.ChallengeParameters; p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" || p["CODE_DELIVERY_DESTINATION"] != "a***@e***.com" || p["USERNAME"] != "alice" {
		t.Errorf("ChallengeParameters = %v", p)
	}
	m := u.sender.last(t)
	if m.Medium != "EMAIL" || m.Destination != "alice@example.com" || m.Kind != "AUTHENTICATION" || m.Username != "alice" {
		t.Errorf("message = %v", m)
	}
	code := u.code(t)
	u.noSecretsLogged(code)

	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE")
	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "alice", "EMAIL_OTP_CODE", wrongCode(code))
	wantErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	ev, _ := u.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypeFail || api.Deref(ev.Event.Challenges[0].ChallengeName) != cognitoidp.ChallengeNameMfa {
		t.Errorf("failure event = %+v", ev.Event)
	}
	// SMS_OTP_CODE is not the answer to EMAIL_OTP.
	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "alice", "SMS_OTP_CODE", code)
	wantErr(t, err, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE")

	r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "alice", "EMAIL_OTP_CODE", code)
	tok := mustTokens(t, r, err)
	if claims(t, *tok.AccessToken)["username"] != "alice" {
		t.Errorf("access token of %v", claims(t, *tok.AccessToken)["username"])
	}
	a := u.next.last(t)
	if a.FirstFactor != FactorEmailOTP || a.Flow != cognitoidp.AuthFlowTypeUserAuth {
		t.Errorf("attempt factor %s flow %s", a.FirstFactor, a.Flow)
	}
	ev, _ = u.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypePass || api.Deref(ev.Event.Challenges[0].ChallengeName) != cognitoidp.ChallengeNameMfa {
		t.Errorf("event = %+v", ev.Event)
	}
	// One use.
	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "alice", "EMAIL_OTP_CODE", code)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

// wrongCode is a code of the same length that is not code.
func wrongCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

func TestUserAuthOTPLimits(t *testing.T) {
	u := newUAEnv(t)
	start := func() (string, string) {
		out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "SMS_OTP")
		sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSmsOtp)
		if p := out.ChallengeParameters; p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" || p["CODE_DELIVERY_DESTINATION"] != "+*******4567" {
			t.Errorf("ChallengeParameters = %v", p)
		}
		return sess, u.code(t)
	}
	t.Run("attempts", func(t *testing.T) {
		sess, code := start()
		for range otpMaxAttempts {
			_, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSmsOtp, sess, "USERNAME", "alice", "SMS_OTP_CODE", wrongCode(code))
			wantErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
		}
		_, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSmsOtp, sess, "USERNAME", "alice", "SMS_OTP_CODE", code)
		wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("expiry", func(t *testing.T) {
		sess, code := start()
		u.clk.Advance(3 * time.Minute)
		_, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSmsOtp, sess, "USERNAME", "alice", "SMS_OTP_CODE", code)
		wantErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("code of another session", func(t *testing.T) {
		sess1, _ := start()
		_, code2 := start()
		_, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSmsOtp, sess1, "USERNAME", "alice", "SMS_OTP_CODE", code2)
		wantErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	})
	t.Run("lockout", func(t *testing.T) {
		u.clk.Advance(time.Hour) // forget earlier failures
		for i := 0; i < lockoutThreshold; i++ {
			sess, code := start()
			_, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSmsOtp, sess, "USERNAME", "alice", "SMS_OTP_CODE", wrongCode(code))
			wantErr(t, err, "CodeMismatchException", "")
		}
		_, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "SMS_OTP")
		wantErr(t, err, "NotAuthorizedException", "Password attempts exceeded")
		u.clk.Advance(2 * time.Second)
		sess, code := start()
		r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSmsOtp, sess, "USERNAME", "alice", "SMS_OTP_CODE", code)
		mustTokens(t, r, err)
	})
}

func TestUserAuthSelectOTP(t *testing.T) {
	u := newUAEnv(t)
	out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN") // no passkey: SELECT_CHALLENGE
	sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
	if slices.Contains(out.AvailableChallenges, cognitoidp.ChallengeNameTypeWebAuthn) {
		t.Errorf("WEB_AUTHN offered without a passkey: %v", out.AvailableChallenges)
	}
	n := u.sender.count()
	r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "EMAIL_OTP")
	sess2 := mustChallenge(t, r, err, cognitoidp.ChallengeNameTypeEmailOtp)
	if u.sender.count() != n+1 {
		t.Fatal("no code sent")
	}
	r2, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess2, "USERNAME", "alice", "EMAIL_OTP_CODE", u.code(t))
	mustTokens(t, r2, err)
}

func TestUserAuthOTPMessages(t *testing.T) {
	u := newUAEnv(t, func(c *Config) {
		c.CustomMessage = customMessage
		c.EmailTemplate = func(context.Context, *cognitoidp.UserPoolType) (*cognitoidp.EmailMfaConfigType, error) {
			return &cognitoidp.EmailMfaConfigType{Subject: api.Ptr("Your code"), Message: api.Ptr("Use {####} to sign in")}, nil
		}
	})
	_, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	if err != nil {
		t.Fatal(err)
	}
	m := u.sender.last(t)
	if m.Subject != "Sign in" || m.Body != "Code for alice@example.com: "+m.Code || m.SubjectTemplate != "Sign in" {
		t.Errorf("custom message: subject %q body %q", m.Subject, m.Body)
	}

	// Without the trigger, the pool's template.
	u2 := newUAEnv(t, func(c *Config) {
		c.EmailTemplate = func(context.Context, *cognitoidp.UserPoolType) (*cognitoidp.EmailMfaConfigType, error) {
			return &cognitoidp.EmailMfaConfigType{Subject: api.Ptr("Your code"), Message: api.Ptr("Use {####} to sign in")}, nil
		}
	})
	if _, err := u2.userAuth(u2.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP"); err != nil {
		t.Fatal(err)
	}
	m = u2.sender.last(t)
	if m.Subject != "Your code" || m.Body != "Use "+m.Code+" to sign in" {
		t.Errorf("template: subject %q body %q", m.Subject, m.Body)
	}
	// SMS: the pool's SmsAuthenticationMessage default.
	if _, err := u2.userAuth(u2.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "SMS_OTP"); err != nil {
		t.Fatal(err)
	}
	m = u2.sender.last(t)
	if m.Body != "Your authentication code is "+m.Code+". " || m.Destination != "+15551234567" {
		t.Errorf("sms %q to %q", m.Body, m.Destination)
	}

	// Delivery failure.
	u2.sender.fail = true
	_, err = u2.userAuth(u2.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	wantErr(t, err, "CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
	_, err = u2.userAuth(u2.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "SMS_OTP")
	wantErr(t, err, "CodeDeliveryFailureException", "Invalid phone number provided/Unable to send the SMS")
}

func TestUserAuthUserStates(t *testing.T) {
	u := newUAEnv(t)
	hiding := u.uaClient(func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.PreventUserExistenceErrors = api.Ptr(cognitoidp.PreventUserExistenceErrorTypesEnabled)
		in.ExplicitAuthFlows = append(slices.Clone(userAuthFlows), cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth)
	})
	u.confirmedUser(u.poolID, "dora", goodPassword, "email", "dora@example.com", "email_verified", "true")
	u.setUser("dora", func(x *storage.User) { x.Enabled = false })
	u.confirmedUser(u.poolID, "uma", goodPassword, "email", "uma@example.com", "email_verified", "true")
	u.setUser("uma", func(x *storage.User) { x.Status = string(cognitoidp.UserStatusTypeUnconfirmed) })
	u.confirmedUser(u.poolID, "nina", goodPassword)
	u.setUser("nina", func(x *storage.User) { x.Password = nil })

	t.Run("legacy", func(t *testing.T) {
		for _, tc := range []struct{ user, code, msg string }{
			{"nobody", "UserNotFoundException", "User does not exist."},
			{"dora", "NotAuthorizedException", "User is disabled."},
			{"uma", "UserNotConfirmedException", "User is not confirmed."},
			{"nina", "NotAuthorizedException", "User has no available sign-in methods."},
		} {
			_, err := u.userAuth(u.clientID, "USERNAME", tc.user)
			wantErr(t, err, tc.code, tc.msg)
		}
		_, err := u.userAuth(u.clientID)
		wantErr(t, err, "InvalidParameterException", "Missing required parameter USERNAME")
	})

	t.Run("hidden: disabled user", func(t *testing.T) {
		// The password proves who it is before the state is told.
		_, err := u.userAuth(hiding, "USERNAME", "dora", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Wrong1pass!")
		wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
		_, err = u.userAuth(hiding, "USERNAME", "dora", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", goodPassword)
		wantErr(t, err, "NotAuthorizedException", "User is disabled.")
		// A code is not sent, and none matches.
		n := u.sender.count()
		out, err := u.userAuth(hiding, "USERNAME", "dora", "PREFERRED_CHALLENGE", "EMAIL_OTP")
		sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeEmailOtp)
		if u.sender.count() != n || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "d***@e***.com" {
			t.Errorf("sent %d, params %v", u.sender.count()-n, out.ChallengeParameters)
		}
		_, err = u.respond(hiding, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "dora", "EMAIL_OTP_CODE", "12345678")
		wantErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	})

	t.Run("hidden: unknown user", func(t *testing.T) {
		n := u.sender.count()
		out, err := u.userAuth(hiding, "USERNAME", "nobody@example.com")
		sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
		want := []cognitoidp.ChallengeNameType{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}
		if !slices.Equal(out.AvailableChallenges, want) {
			t.Errorf("AvailableChallenges = %v", out.AvailableChallenges)
		}
		_, err = u.respond(hiding, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "nobody@example.com", "ANSWER", "PASSWORD", "PASSWORD", goodPassword)
		wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
		r, err := u.respond(hiding, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "nobody@example.com", "ANSWER", "EMAIL_OTP")
		sess2 := mustChallenge(t, r, err, cognitoidp.ChallengeNameTypeEmailOtp)
		if r.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "n***@e***.com" || u.sender.count() != n {
			t.Errorf("params %v, sent %d", r.ChallengeParameters, u.sender.count()-n)
		}
		_, err = u.respond(hiding, cognitoidp.ChallengeNameTypeEmailOtp, sess2, "USERNAME", "nobody@example.com", "EMAIL_OTP_CODE", "12345678")
		wantErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")

		// PASSWORD_SRP: the simulated challenge USER_SRP_AUTH answers, the same
		// user id every time.
		cs := srp.NewClientSession(srp.PoolName(u.poolID))
		o1, err := u.userAuth(hiding, "USERNAME", "nobody@example.com", "PREFERRED_CHALLENGE", "PASSWORD_SRP", "SRP_A", cs.PublicHex())
		mustChallenge(t, o1, err, cognitoidp.ChallengeNameTypePasswordVerifier)
		_, o2, err := u.srpStart(u.poolID, hiding, "nobody@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if o1.ChallengeParameters["USER_ID_FOR_SRP"] != o2.ChallengeParameters["USER_ID_FOR_SRP"] || o1.ChallengeParameters["SALT"] != o2.ChallengeParameters["SALT"] {
			t.Errorf("simulated SRP differs from USER_SRP_AUTH's: %v vs %v", o1.ChallengeParameters, o2.ChallengeParameters)
		}
		claim := u.srpAnswer(cs, o1.ChallengeParameters, goodPassword)
		_, err = u.respond(hiding, cognitoidp.ChallengeNameTypePasswordVerifier, *o1.Session,
			"USERNAME", o1.ChallengeParameters["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock,
			"TIMESTAMP", claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE", claim.Signature)
		wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})

	t.Run("hidden: no factors", func(t *testing.T) {
		out, err := u.userAuth(hiding, "USERNAME", "nina")
		mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
		_, err = u.userAuth(hiding, "USERNAME", "nina", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", goodPassword)
		wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
}

func TestUserAuthSecretHash(t *testing.T) {
	u := newUAEnv(t)
	c := u.client(u.poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = userAuthFlows
		in.GenerateSecret = true
	})
	id, secret := *c.ClientId, *c.ClientSecret
	_, err := u.userAuth(id, "USERNAME", "alice")
	wantErr(t, err, "NotAuthorizedException", "Client "+id+" is configured for secret but secret was not received")
	out, err := u.userAuth(id, "USERNAME", "alice", "SECRET_HASH", signup.SecretHash(id, secret, "alice"))
	sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
	_, err = u.respond(id, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD", "PASSWORD", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Client "+id+" is configured for secret but secret was not received")
	r, err := u.respond(id, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD", "PASSWORD", goodPassword,
		"SECRET_HASH", signup.SecretHash(id, secret, "alice"))
	mustTokens(t, r, err)
}

func TestUserAuthPasskey(t *testing.T) {
	u := newUAEnv(t)
	u.passkeys.has[u.alice.Key] = true
	out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeWebAuthn)
	if out.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"] == "" {
		t.Fatalf("ChallengeParameters = %v", out.ChallengeParameters)
	}
	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeWebAuthn, sess, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", "Missing required parameter CREDENTIAL")
	_, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeWebAuthn, sess, "USERNAME", "alice", "CREDENTIAL", "forged")
	wantErr(t, err, "NotAuthorizedException", "Authentication failed.")
	r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeWebAuthn, sess, "USERNAME", "alice", "CREDENTIAL", "good:state:"+u.alice.Key)
	mustTokens(t, r, err)
	if a := u.next.last(t); a.FirstFactor != FactorWebAuthn {
		t.Errorf("factor %s", a.FirstFactor)
	}

	// From the passkey prompt the user may switch to another factor.
	out, err = u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "WEB_AUTHN")
	sess = mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeWebAuthn)
	r, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "PASSWORD", "PASSWORD", goodPassword)
	mustTokens(t, r, err)

	// SELECT_CHALLENGE → WEB_AUTHN → the credential inline in a
	// SELECT_CHALLENGE answer to the WEB_AUTHN session.
	out, err = u.userAuth(u.clientID, "USERNAME", "alice")
	sess = mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
	r, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "WEB_AUTHN")
	sess = mustChallenge(t, r, err, cognitoidp.ChallengeNameTypeWebAuthn)
	r, err = u.respond(u.clientID, cognitoidp.ChallengeNameTypeSelectChallenge, sess, "USERNAME", "alice", "ANSWER", "WEB_AUTHN", "CREDENTIAL", "good:state:"+u.alice.Key)
	mustTokens(t, r, err)
}

func TestSignInAfterSignUp(t *testing.T) {
	u := newUAEnv(t)
	sessFor := func(clientID, username, factor string) string {
		t.Helper()
		s, err := u.svc.SignInSession(u.ctx, u.poolID, clientID, username, factor)
		if err != nil || s == "" {
			t.Fatalf("SignInSession: %q, %v", s, err)
		}
		return s
	}
	initiate := func(clientID, session, name string) (*cognitoidp.InitiateAuthResponse, error) {
		return u.svc.InitiateAuth(u.ctx, &cognitoidp.InitiateAuthRequest{
			ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserAuth),
			AuthParameters: params("USERNAME", name), Session: api.Ptr(session),
		})
	}

	s := sessFor(u.clientID, "alice", FactorEmailOTP)
	out, err := initiate(u.clientID, s, "alice")
	mustTokens(t, out, err)
	if a := u.next.last(t); a.FirstFactor != FactorEmailOTP || a.Flow != cognitoidp.AuthFlowTypeUserAuth {
		t.Errorf("attempt factor %s flow %s", a.FirstFactor, a.Flow)
	}
	_, err = initiate(u.clientID, s, "alice")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")

	u.confirmedUser(u.poolID, "bob", goodPassword)
	_, err = initiate(u.clientID, sessFor(u.clientID, "alice", FactorSMSOTP), "bob")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = initiate(u.uaClient(nil), sessFor(u.clientID, "alice", FactorSMSOTP), "alice")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = initiate(u.clientID, sessFor(u.clientID, "alice", FactorSMSOTP), "nobody")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// A choice session is no sign-up session.
	sel, err := u.userAuth(u.clientID, "USERNAME", "alice")
	if err != nil {
		t.Fatal(err)
	}
	_, err = initiate(u.clientID, *sel.Session, "alice")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")

	s = sessFor(u.clientID, "alice", FactorPassword)
	u.clk.Advance(3 * time.Minute)
	_, err = initiate(u.clientID, s, "alice")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	s = sessFor(u.clientID, "alice", FactorPassword)
	u.setUser("alice", func(x *storage.User) { x.Enabled = false })
	_, err = initiate(u.clientID, s, "alice")
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")

	// A client without USER_AUTH gets no session; bad factors are refused.
	if s, err := u.svc.SignInSession(u.ctx, u.poolID, u.env.clientID(u.poolID), "alice", FactorPassword); err != nil || s != "" {
		t.Errorf("SignInSession for a client without USER_AUTH: %q, %v", s, err)
	}
	if _, err := u.svc.SignInSession(u.ctx, u.poolID, u.clientID, "alice", "MAGIC"); err == nil {
		t.Error("SignInSession took an unknown factor")
	}
}

func TestGetUserAuthFactors(t *testing.T) {
	u := newUAEnv(t, func(c *Config) { c.MFA = mfaInfo })
	u.svc.authn = authenticateAs(u.env)
	h := &cognitoidp.Handlers{}
	u.svc.Register(h)
	if h.GetUserAuthFactors == nil {
		t.Fatal("GetUserAuthFactors not registered")
	}
	get := func(name string) *cognitoidp.GetUserAuthFactorsResponse {
		t.Helper()
		out, err := u.svc.GetUserAuthFactors(u.ctx, &cognitoidp.GetUserAuthFactorsRequest{AccessToken: api.Ptr(u.poolID + "|" + name)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := get("alice")
	want := []cognitoidp.AuthFactorType{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}
	if api.Deref(out.Username) != "alice" || !slices.Equal(out.ConfiguredUserAuthFactors, want) ||
		api.Deref(out.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || !slices.Equal(out.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Errorf("GetUserAuthFactors = %+v", out)
	}
	u.passkeys.has[u.alice.Key] = true
	if out := get("alice"); !slices.Contains(out.ConfiguredUserAuthFactors, cognitoidp.AuthFactorTypeWebAuthn) {
		t.Errorf("with a passkey: %v", out.ConfiguredUserAuthFactors)
	}
	u.confirmedUser(u.poolID, "bob", goodPassword, "email", "bob@example.com")
	if out := get("bob"); !slices.Equal(out.ConfiguredUserAuthFactors, []cognitoidp.AuthFactorType{"PASSWORD"}) {
		t.Errorf("bob: %v", out.ConfiguredUserAuthFactors)
	}
	u.setUser("bob", func(x *storage.User) { x.Password = nil })
	if out := get("bob"); out.ConfiguredUserAuthFactors == nil || len(out.ConfiguredUserAuthFactors) != 0 {
		t.Errorf("bob without a password: %v", out.ConfiguredUserAuthFactors)
	}
	_, err := u.svc.GetUserAuthFactors(u.ctx, &cognitoidp.GetUserAuthFactorsRequest{AccessToken: api.Ptr("junk")})
	wantErr(t, err, "NotAuthorizedException", "Invalid Access Token")

	// Without the token check the operation is not served.
	e := newEnv(t)
	h = &cognitoidp.Handlers{}
	e.svc.Register(h)
	if h.GetUserAuthFactors != nil {
		t.Error("GetUserAuthFactors registered without Authenticate")
	}
}

// TestMFAEmailOTPStillNextStep checks that an EMAIL_OTP challenge of the
// NextStep hook (email MFA) is still answered by the hook.
func TestMFAEmailOTPStillNextStep(t *testing.T) {
	hook := &emailMFAStep{}
	e := newEnv(t, func(c *Config) { c.NextStep = hook })
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	out, err := e.passwordAuth(clientID, "alice", goodPassword)
	sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeEmailOtp)
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "alice", "EMAIL_OTP_CODE", "654321")
	mustTokens(t, r, err)
	if hook.answered != 1 {
		t.Errorf("hook answered %d times", hook.answered)
	}
}

type emailMFAStep struct{ answered int }

func (h *emailMFAStep) Next(context.Context, *Attempt) (*Step, error) {
	return &Step{Challenge: cognitoidp.ChallengeNameTypeEmailOtp}, nil
}

func (h *emailMFAStep) Respond(_ context.Context, a *Attempt, ch cognitoidp.ChallengeNameType, resp map[string]string, _ []byte) (*Step, error) {
	h.answered++
	if ch != cognitoidp.ChallengeNameTypeEmailOtp || resp["EMAIL_OTP_CODE"] != "654321" || a.FirstFactor != FactorPassword {
		return nil, cognitoidp.NewCodeMismatchException("Invalid code or auth state for the user.")
	}
	return &Step{}, nil
}
