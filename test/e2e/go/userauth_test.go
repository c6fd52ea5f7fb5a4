package e2e

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogito-dev/cogito/internal/srp"
)

// Choice-based sign-in (USER_AUTH) with aws-sdk-go-v2: SELECT_CHALLENGE and
// its AvailableChallenges, PASSWORD, PASSWORD_SRP, passwordless EMAIL_OTP and
// SMS_OTP codes read from the outbox, the admin twins, sign-in right after
// ConfirmSignUp with its Session, and GetUserAuthFactors. Passkeys
// (WEB_AUTHN) are in webauthn_test.go.

// TestUserAuth runs the choice-based sign-in tests on SQLite and PostgreSQL.
func TestUserAuth(t *testing.T) {
	for _, b := range []backend{sqliteBackend, postgresBackend} {
		t.Run(b.name, func(t *testing.T) {
			c := start(t, b.new(t))
			t.Run("Choices", func(t *testing.T) { t.Parallel(); testUserAuthChoices(t, c) })
			t.Run("OneTimePasswords", func(t *testing.T) { t.Parallel(); testUserAuthOTP(t, c) })
			t.Run("AfterSignUp", func(t *testing.T) { t.Parallel(); testUserAuthAfterSignUp(t, c) })
			t.Run("Errors", func(t *testing.T) { t.Parallel(); testUserAuthErrors(t, c) })
			t.Run("WithMFA", func(t *testing.T) { t.Parallel(); testUserAuthWithMFA(t, c) })
		})
	}
}

var eightDigits = regexp.MustCompile(`^[0-9]{8}$`)

// userAuthPool is a pool offering password and one-time-password first
// factors (auto-verifying email), with a client allowing USER_AUTH besides
// allFlows.
func userAuthPool(t *testing.T, c *cogito, prefix string) (poolID, clientID string) {
	t.Helper()
	return signInPool(t, c, prefix, &idp.CreateUserPoolInput{
		UserPoolTier:           types.UserPoolTierTypeEssentials,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{
			types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp,
		}}},
	}, func(in *idp.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = append(slices.Clone(allFlows), types.ExplicitAuthFlowsTypeAllowUserAuth)
	})
}

// userAuth is InitiateAuth USER_AUTH with the parameters kv.
func userAuth(t testing.TB, c *cogito, clientID string, kv ...string) (*idp.InitiateAuthOutput, error) {
	t.Helper()
	p := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserAuth, AuthParameters: p})
}

// respondTo answers a challenge with the responses kv.
func respondTo(t testing.TB, c *cogito, clientID string, challenge types.ChallengeNameType, session *string, kv ...string) (*idp.RespondToAuthChallengeOutput, error) {
	t.Helper()
	p := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &clientID, ChallengeName: challenge, ChallengeResponses: p, Session: session,
	})
}

// wantChallenge checks a step answered challenge with a Session.
func wantChallenge(t testing.TB, step string, name types.ChallengeNameType, session *string, err error, want types.ChallengeNameType) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if name != want || aws.ToString(session) == "" {
		t.Fatalf("%s: challenge %q (session %v), want %s with a Session", step, name, session != nil, want)
	}
}

// otpCode is the newest message to a user: an 8-digit sign-in code, the
// want-th message.
func otpCode(t testing.TB, c *cogito, poolID, username, medium string, want int) string {
	t.Helper()
	m := lastMessage(t, c, poolID, username, "AUTHENTICATION", want)
	if !eightDigits.MatchString(m.Code) || m.DeliveryMedium != medium {
		t.Fatalf("sign-in code %q by %s, want 8 digits by %s", m.Code, m.DeliveryMedium, medium)
	}
	return m.Code
}

func testUserAuthChoices(t *testing.T, c *cogito) {
	pool, client := userAuthPool(t, c, "ua-choices")
	adminCreateConfirmed(t, c, pool, "ua-user", "Passw0rd!", "email", "ua@example.com", "email_verified", "true")

	// Without a preference: SELECT_CHALLENGE with the user's factors (no
	// SMS_OTP: the user has no phone number).
	out, err := userAuth(t, c, client, "USERNAME", "ua-user")
	wantChallenge(t, "USER_AUTH", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	want := []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"}
	if !slices.Equal(out.AvailableChallenges, want) {
		t.Errorf("AvailableChallenges = %v, want %v", out.AvailableChallenges, want)
	}

	// PASSWORD inline in the SELECT_CHALLENGE answer.
	r, err := respondTo(t, c, client, types.ChallengeNameTypeSelectChallenge, out.Session,
		"USERNAME", "ua-user", "ANSWER", "PASSWORD", "PASSWORD", "Passw0rd!")
	tok := tokens(t, "SELECT_CHALLENGE PASSWORD", r, err)
	claims := verifyJWT(t, c, pool, c.URL+"/"+pool, *tok.AccessToken)
	if claims.str("username") != "ua-user" {
		t.Errorf("access token claims = %v", claims)
	}

	// PASSWORD preferred, with the password.
	out, err = userAuth(t, c, client, "USERNAME", "ua-user", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	tokens(t, "USER_AUTH PASSWORD", out, err)

	// PASSWORD_SRP chosen from SELECT_CHALLENGE: PASSWORD_VERIFIER as
	// USER_SRP_AUTH answers it, then tokens.
	out, err = userAuth(t, c, client, "USERNAME", "ua-user")
	wantChallenge(t, "USER_AUTH", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	cs := srp.NewClientSession(srp.PoolName(pool))
	r, err = respondTo(t, c, client, types.ChallengeNameTypeSelectChallenge, out.Session,
		"USERNAME", "ua-user", "ANSWER", "PASSWORD_SRP", "SRP_A", cs.PublicHex())
	wantChallenge(t, "SELECT_CHALLENGE PASSWORD_SRP", r.ChallengeName, r.Session, err, types.ChallengeNameTypePasswordVerifier)
	p := r.ChallengeParameters
	claim, err := cs.Respond(p["USER_ID_FOR_SRP"], "Passw0rd!", p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := respondTo(t, c, client, types.ChallengeNameTypePasswordVerifier, r.Session,
		"USERNAME", p["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock,
		"TIMESTAMP", claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE", claim.Signature)
	tokens(t, "PASSWORD_VERIFIER of USER_AUTH", r2, err)

	// GetUserAuthFactors of the signed-in user.
	f, err := c.IDP.GetUserAuthFactors(ctx(t), &idp.GetUserAuthFactorsInput{AccessToken: tok.AccessToken})
	if err != nil {
		t.Fatalf("GetUserAuthFactors: %v", err)
	}
	if aws.ToString(f.Username) != "ua-user" || !slices.Equal(f.ConfiguredUserAuthFactors, []types.AuthFactorType{"PASSWORD", "EMAIL_OTP"}) {
		t.Errorf("GetUserAuthFactors = %+v", f)
	}
}

func testUserAuthOTP(t *testing.T, c *cogito) {
	pool, client := userAuthPool(t, c, "ua-otp")
	adminCreateConfirmed(t, c, pool, "otp-user", "Passw0rd!",
		"email", "otp@example.com", "email_verified", "true",
		"phone_number", "+15550102030", "phone_number_verified", "true")

	// EMAIL_OTP preferred: the code goes to the outbox.
	out, err := userAuth(t, c, client, "USERNAME", "otp-user", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	wantChallenge(t, "USER_AUTH EMAIL_OTP", out.ChallengeName, out.Session, err, types.ChallengeNameTypeEmailOtp)
	if p := out.ChallengeParameters; p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" || p["CODE_DELIVERY_DESTINATION"] != "o***@e***.com" {
		t.Errorf("EMAIL_OTP parameters = %v", p)
	}
	code := otpCode(t, c, pool, "otp-user", "EMAIL", 1)
	_, err = respondTo(t, c, client, types.ChallengeNameTypeEmailOtp, out.Session, "USERNAME", "otp-user", "EMAIL_OTP_CODE", "00000000")
	wantClientError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	r, err := respondTo(t, c, client, types.ChallengeNameTypeEmailOtp, out.Session, "USERNAME", "otp-user", "EMAIL_OTP_CODE", code)
	tokens(t, "EMAIL_OTP", r, err)
	_, err = respondTo(t, c, client, types.ChallengeNameTypeEmailOtp, out.Session, "USERNAME", "otp-user", "EMAIL_OTP_CODE", code)
	wantClientError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// SMS_OTP chosen from SELECT_CHALLENGE.
	out, err = userAuth(t, c, client, "USERNAME", "otp-user")
	wantChallenge(t, "USER_AUTH", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	if !slices.Contains(out.AvailableChallenges, types.ChallengeNameTypeSmsOtp) {
		t.Errorf("AvailableChallenges = %v", out.AvailableChallenges)
	}
	r, err = respondTo(t, c, client, types.ChallengeNameTypeSelectChallenge, out.Session, "USERNAME", "otp-user", "ANSWER", "SMS_OTP")
	wantChallenge(t, "SELECT_CHALLENGE SMS_OTP", r.ChallengeName, r.Session, err, types.ChallengeNameTypeSmsOtp)
	if p := r.ChallengeParameters; p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" || p["CODE_DELIVERY_DESTINATION"] != "+*******2030" {
		t.Errorf("SMS_OTP parameters = %v", p)
	}
	code = otpCode(t, c, pool, "otp-user", "SMS", 2)
	r2, err := respondTo(t, c, client, types.ChallengeNameTypeSmsOtp, r.Session, "USERNAME", "otp-user", "SMS_OTP_CODE", code)
	tokens(t, "SMS_OTP", r2, err)

	// The admin twins.
	aout, err := c.IDP.AdminInitiateAuth(ctx(t), &idp.AdminInitiateAuthInput{
		UserPoolId: &pool, ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "otp-user", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
	})
	wantChallenge(t, "AdminInitiateAuth USER_AUTH", aout.ChallengeName, aout.Session, err, types.ChallengeNameTypeEmailOtp)
	code = otpCode(t, c, pool, "otp-user", "EMAIL", 3)
	ar, err := c.IDP.AdminRespondToAuthChallenge(ctx(t), &idp.AdminRespondToAuthChallengeInput{
		UserPoolId: &pool, ClientId: &client, ChallengeName: types.ChallengeNameTypeEmailOtp, Session: aout.Session,
		ChallengeResponses: map[string]string{"USERNAME": "otp-user", "EMAIL_OTP_CODE": code},
	})
	tokens(t, "AdminRespondToAuthChallenge EMAIL_OTP", ar, err)

	// Sign-in events name the factors.
	ev, err := c.IDP.AdminListUserAuthEvents(ctx(t), &idp.AdminListUserAuthEventsInput{UserPoolId: &pool, Username: aws.String("otp-user")})
	if err == nil && len(ev.AuthEvents) > 0 {
		latest := ev.AuthEvents[0]
		if latest.EventResponse != types.EventResponseTypePass || len(latest.ChallengeResponses) == 0 ||
			latest.ChallengeResponses[0].ChallengeName != types.ChallengeNameMfa {
			t.Errorf("latest auth event = %+v", latest)
		}
	}
}

func testUserAuthAfterSignUp(t *testing.T, c *cogito) {
	pool, client := userAuthPool(t, c, "ua-signup")

	// With a password: SignUp, the code, ConfirmSignUp's Session, tokens.
	if _, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{
		ClientId: &client, Username: aws.String("newbie"), Password: aws.String("Passw0rd!"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("newbie@example.com")}},
	}); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	code := lastCode(t, c, pool, "newbie", "SIGN_UP", 1)
	conf, err := c.IDP.ConfirmSignUp(ctx(t), &idp.ConfirmSignUpInput{ClientId: &client, Username: aws.String("newbie"), ConfirmationCode: &code})
	if err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	if aws.ToString(conf.Session) == "" {
		t.Fatal("ConfirmSignUp returned no Session")
	}
	in := &idp.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "newbie"}, Session: conf.Session}
	out, err := c.IDP.InitiateAuth(ctx(t), in)
	tok := tokens(t, "USER_AUTH with the ConfirmSignUp Session", out, err)
	if claims := verifyJWT(t, c, pool, c.URL+"/"+pool, *tok.IdToken); claims.str("cognito:username") != "newbie" || claims["email_verified"] != true {
		t.Errorf("ID token claims = %v", claims)
	}
	// Once.
	_, err = c.IDP.InitiateAuth(ctx(t), in)
	wantClientError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// Passwordless: signed up without a password, the code confirms, and
	// later sign-ins go by email code alone.
	if _, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{
		ClientId: &client, Username: aws.String("nopass"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("nopass@example.com")}},
	}); err != nil {
		t.Fatalf("passwordless SignUp: %v", err)
	}
	code = lastCode(t, c, pool, "nopass", "SIGN_UP", 1)
	conf, err = c.IDP.ConfirmSignUp(ctx(t), &idp.ConfirmSignUpInput{ClientId: &client, Username: aws.String("nopass"), ConfirmationCode: &code})
	if err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	out, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "nopass"}, Session: conf.Session})
	tokens(t, "passwordless USER_AUTH with the ConfirmSignUp Session", out, err)
	out, err = userAuth(t, c, client, "USERNAME", "nopass")
	wantChallenge(t, "USER_AUTH", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	if !slices.Equal(out.AvailableChallenges, []types.ChallengeNameType{"EMAIL_OTP"}) {
		t.Errorf("AvailableChallenges of a passwordless user = %v", out.AvailableChallenges)
	}
}

func testUserAuthErrors(t *testing.T, c *cogito) {
	pool, client := userAuthPool(t, c, "ua-errors")
	adminCreateConfirmed(t, c, pool, "err-user", "Passw0rd!", "email", "err@example.com", "email_verified", "true")

	_, err := userAuth(t, c, client, "USERNAME", "nobody")
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	out, err := userAuth(t, c, client, "USERNAME", "err-user")
	wantChallenge(t, "USER_AUTH", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	_, err = respondTo(t, c, client, types.ChallengeNameTypeSelectChallenge, out.Session, "USERNAME", "err-user", "ANSWER", "SMS_OTP")
	wantClientError(t, err, "InvalidParameterException", "SMS_OTP")
	_, err = respondTo(t, c, client, types.ChallengeNameTypeSelectChallenge, out.Session, "USERNAME", "err-user", "ANSWER", "PASSWORD", "PASSWORD", "Wr0ng-Passw0rd!")
	wantClientError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// A client without ALLOW_USER_AUTH refuses the flow.
	noUA := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool, ExplicitAuthFlows: allFlows})
	_, err = userAuth(t, c, aws.ToString(noUA.ClientId), "USERNAME", "err-user")
	wantClientError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")

	// With existence errors hidden an unknown user gets a challenge like
	// anyone else, and fails at the answer.
	hiding := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool,
		ExplicitAuthFlows:          append(slices.Clone(allFlows), types.ExplicitAuthFlowsTypeAllowUserAuth),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	hid := aws.ToString(hiding.ClientId)
	out, err = userAuth(t, c, hid, "USERNAME", "ghost@example.com", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	wantChallenge(t, "USER_AUTH of nobody", out.ChallengeName, out.Session, err, types.ChallengeNameTypeEmailOtp)
	if out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "g***@e***.com" {
		t.Errorf("EMAIL_OTP parameters = %v", out.ChallengeParameters)
	}
	_, err = respondTo(t, c, hid, types.ChallengeNameTypeEmailOtp, out.Session, "USERNAME", "ghost@example.com", "EMAIL_OTP_CODE", "12345678")
	wantClientError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
}

// With email MFA required: a password first factor is followed by the MFA
// family's EMAIL_OTP challenge (a 6-digit code), a passwordless one is not
// (an 8-digit code signs in alone); both codes use the pool's email MFA
// template.
func testUserAuthWithMFA(t *testing.T, c *cogito) {
	poolID, _ := mfaPool(t, c, &idp.CreateUserPoolInput{
		UserPoolTier: types.UserPoolTierTypeEssentials,
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{
			types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp,
		}}},
	}, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration:      types.UserPoolMfaTypeOn,
		EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("Your code"), Message: aws.String("Code: {####}")},
	})
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &poolID,
		ExplicitAuthFlows: append(slices.Clone(allFlows), types.ExplicitAuthFlowsTypeAllowUserAuth)})
	client := aws.ToString(cl.ClientId)
	adminCreateConfirmed(t, c, poolID, "mfa-ua", "Passw0rd!", "email", "mfa-ua@example.com", "email_verified", "true")
	if _, err := c.IDP.AdminSetUserMFAPreference(ctx(t), &idp.AdminSetUserMFAPreferenceInput{
		UserPoolId: &poolID, Username: aws.String("mfa-ua"), EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatalf("AdminSetUserMFAPreference: %v", err)
	}

	// Password, then email MFA.
	out, err := userAuth(t, c, client, "USERNAME", "mfa-ua", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	wantChallenge(t, "USER_AUTH PASSWORD with MFA", out.ChallengeName, out.Session, err, types.ChallengeNameTypeEmailOtp)
	m := mfaCode(t, c, poolID, "mfa-ua")
	if m.Body != "Code: "+m.Code {
		t.Errorf("MFA email %q", m.Body)
	}
	r, err := respondTo(t, c, client, types.ChallengeNameTypeEmailOtp, out.Session, "USERNAME", "mfa-ua", "EMAIL_OTP_CODE", m.Code)
	tokens(t, "email MFA after a USER_AUTH password", r, err)

	// A user who must do MFA is offered no passwordless first factor: a
	// preferred EMAIL_OTP falls back to SELECT_CHALLENGE without it.
	out, err = userAuth(t, c, client, "USERNAME", "mfa-ua", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	wantChallenge(t, "USER_AUTH EMAIL_OTP with MFA", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	if !slices.Equal(out.AvailableChallenges, []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP"}) {
		t.Errorf("AvailableChallenges with MFA on = %v", out.AvailableChallenges)
	}
	r, err = respondTo(t, c, client, types.ChallengeNameTypeSelectChallenge, out.Session, "USERNAME", "mfa-ua", "ANSWER", "EMAIL_OTP")
	wantClientError(t, err, "InvalidParameterException", "")
	out, err = userAuth(t, c, client, "USERNAME", "mfa-ua", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	wantChallenge(t, "USER_AUTH PASSWORD with MFA again", out.ChallengeName, out.Session, err, types.ChallengeNameTypeEmailOtp)
	m = mfaCode(t, c, poolID, "mfa-ua")
	r, err = respondTo(t, c, client, types.ChallengeNameTypeEmailOtp, out.Session, "USERNAME", "mfa-ua", "EMAIL_OTP_CODE", m.Code)
	tokens(t, "email MFA after a USER_AUTH password, again", r, err)

	// GetUserAuthFactors shows the MFA settings too.
	f, err := c.IDP.GetUserAuthFactors(ctx(t), &idp.GetUserAuthFactorsInput{AccessToken: r.AuthenticationResult.AccessToken})
	if err != nil {
		t.Fatalf("GetUserAuthFactors: %v", err)
	}
	if aws.ToString(f.PreferredMfaSetting) != "EMAIL_OTP" || !slices.Equal(f.UserMFASettingList, []string{"EMAIL_OTP"}) ||
		!slices.Equal(f.ConfiguredUserAuthFactors, []types.AuthFactorType{"PASSWORD", "EMAIL_OTP"}) {
		t.Errorf("GetUserAuthFactors = %+v", f)
	}
}
