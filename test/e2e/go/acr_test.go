package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"golang.org/x/oauth2"

	"github.com/cogito-dev/cogito/internal/totp"
)

// Authentication levels with aws-sdk-go-v2: USER_AUTH's TARGET_ACR_VALUES
// picks the first factors that reach the requested level, and the tokens
// report acr and amr.
func TestACR(t *testing.T) {
	c := start(t, sqliteBackend.new(t))
	t.Run("Levels", func(t *testing.T) { t.Parallel(); testACRLevels(t, c) })
	t.Run("PasswordAndTOTP", func(t *testing.T) { t.Parallel(); testACRPasswordAndTOTP(t, c) })
	t.Run("OAuth", func(t *testing.T) { t.Parallel(); testACROAuth(t, c) })
}

// testACROAuth: acr_values and max_age on the authorize endpoint, through
// the managed login pages, with x/oauth2.
func testACROAuth(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid", "email")
	verifier := oauth2.GenerateVerifier()
	b := newBrowser(t)
	q := b.signIn(conf.AuthCodeURL("s1", oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("acr_values", "urn:cognito:loa:2 urn:cognito:loa:1"), oauth2.SetAuthURLParam("max_age", "300")),
		p.username, oauthPassword)
	if q.Get("code") == "" {
		t.Fatalf("callback = %v", q)
	}
	tok, err := conf.Exchange(ctx(t), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	for _, jwt := range []string{rawID, tok.AccessToken} {
		cl := jwtClaims(t, jwt)
		if cl["acr"] != "urn:cognito:loa:1" || !slices.Equal(strs(cl["amr"]), []string{"pwd"}) {
			t.Errorf("OAuth claims acr=%v amr=%v", cl["acr"], cl["amr"])
		}
	}
	// No level of the pool: invalid_request back at the callback.
	bad := newBrowser(t)
	if q := bad.callback(bad.get(conf.AuthCodeURL("s2", oauth2.SetAuthURLParam("acr_values", "urn:example:gold")))); q.Get("error") != "invalid_request" {
		t.Errorf("acr_values with no level: callback %v", q)
	}
}

func testACRLevels(t *testing.T, c *cogito) {
	pool, client := userAuthPool(t, c, "acr-levels")
	adminCreateConfirmed(t, c, pool, "acr-user", "Passw0rd!", "email", "acr@example.com", "email_verified", "true")

	// Level 1: a password is enough; the tokens say so.
	out, err := userAuth(t, c, client, "USERNAME", "acr-user", "TARGET_ACR_VALUES", "urn:cognito:loa:1",
		"PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	res := tokens(t, "USER_AUTH level 1 password", out, err)
	for _, tok := range []string{aws.ToString(res.IdToken), aws.ToString(res.AccessToken)} {
		cl := jwtClaims(t, tok)
		if cl["acr"] != "urn:cognito:loa:1" || !slices.Equal(strs(cl["amr"]), []string{"pwd"}) {
			t.Errorf("level 1 claims acr=%v amr=%v", cl["acr"], cl["amr"])
		}
	}

	// A one-time password at level 1, with an unknown value ignored.
	out, err = userAuth(t, c, client, "USERNAME", "acr-user", "TARGET_ACR_VALUES", "urn:example:gold urn:cognito:loa:1", "PREFERRED_CHALLENGE", "EMAIL_OTP")
	wantChallenge(t, "USER_AUTH level 1 EMAIL_OTP", out.ChallengeName, out.Session, err, types.ChallengeNameTypeEmailOtp)
	r, err := respondTo(t, c, client, types.ChallengeNameTypeEmailOtp, out.Session, "USERNAME", "acr-user", "EMAIL_OTP_CODE", otpCode(t, c, pool, "acr-user", "EMAIL", 1))
	res = tokens(t, "level 1 EMAIL_OTP", r, err)
	if cl := jwtClaims(t, aws.ToString(res.IdToken)); cl["acr"] != "urn:cognito:loa:1" || !slices.Equal(strs(cl["amr"]), []string{"otp"}) {
		t.Errorf("EMAIL_OTP claims acr=%v amr=%v", cl["acr"], cl["amr"])
	}

	// Without a level: no acr, no amr.
	out, err = userAuth(t, c, client, "USERNAME", "acr-user", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	res = tokens(t, "USER_AUTH without a level", out, err)
	if cl := jwtClaims(t, aws.ToString(res.AccessToken)); cl["acr"] != nil || cl["amr"] != nil {
		t.Errorf("claims without a level: acr=%v amr=%v", cl["acr"], cl["amr"])
	}

	// Level 2 is out of reach of a user without MFA or passkey; with level
	// 1 as a fallback the sign-in goes on.
	_, err = userAuth(t, c, client, "USERNAME", "acr-user", "TARGET_ACR_VALUES", "urn:cognito:loa:2")
	wantClientError(t, err, "NotAuthorizedException")
	out, err = userAuth(t, c, client, "USERNAME", "acr-user", "TARGET_ACR_VALUES", "urn:cognito:loa:2 urn:cognito:loa:1")
	wantChallenge(t, "USER_AUTH level 2 then 1", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)

	// Errors: no valid level, a bad MAX_AGE, an ACCESS_TOKEN without a level.
	_, err = userAuth(t, c, client, "USERNAME", "acr-user", "TARGET_ACR_VALUES", "urn:example:gold")
	wantClientError(t, err, "InvalidParameterException")
	_, err = userAuth(t, c, client, "USERNAME", "acr-user", "TARGET_ACR_VALUES", "urn:cognito:loa:1", "MAX_AGE", "-1")
	wantClientError(t, err, "InvalidParameterException")
	_, err = userAuth(t, c, client, "USERNAME", "acr-user", "ACCESS_TOKEN", aws.ToString(res.AccessToken))
	wantClientError(t, err, "InvalidParameterException")

	// Step-up with the user's own access token and MAX_AGE: a fresh sign-in.
	out, err = userAuth(t, c, client, "USERNAME", "acr-user", "ACCESS_TOKEN", aws.ToString(res.AccessToken),
		"TARGET_ACR_VALUES", "urn:cognito:loa:1", "MAX_AGE", "300", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	tokens(t, "step-up with ACCESS_TOKEN", out, err)
	adminCreateConfirmed(t, c, pool, "acr-other", "Passw0rd!")
	_, err = userAuth(t, c, client, "USERNAME", "acr-other", "ACCESS_TOKEN", aws.ToString(res.AccessToken), "TARGET_ACR_VALUES", "urn:cognito:loa:1")
	wantClientError(t, err, "NotAuthorizedException")
}

func testACRPasswordAndTOTP(t *testing.T, c *cogito) {
	poolID, _ := mfaPool(t, c, &idp.CreateUserPoolInput{
		UserPoolTier: types.UserPoolTierTypeEssentials,
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{
			types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp,
		}}},
	}, &idp.SetUserPoolMfaConfigInput{
		MfaConfiguration:              types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	})
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &poolID,
		ExplicitAuthFlows: append(slices.Clone(allFlows), types.ExplicitAuthFlowsTypeAllowUserAuth)})
	client := aws.ToString(cl.ClientId)
	adminCreateConfirmed(t, c, poolID, "acr-totp", "Passw0rd!", "email", "acr-totp@example.com", "email_verified", "true")

	// Before TOTP: EMAIL_OTP is offered (MFA is optional and off for the
	// user), and level 2 is out of reach.
	out, err := userAuth(t, c, client, "USERNAME", "acr-totp")
	wantChallenge(t, "USER_AUTH before TOTP", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	if !slices.Contains(out.AvailableChallenges, types.ChallengeNameTypeEmailOtp) {
		t.Errorf("AvailableChallenges before TOTP = %v", out.AvailableChallenges)
	}
	_, err = userAuth(t, c, client, "USERNAME", "acr-totp", "TARGET_ACR_VALUES", "urn:cognito:loa:2")
	wantClientError(t, err, "NotAuthorizedException")

	// Turn TOTP on.
	out, err = userAuth(t, c, client, "USERNAME", "acr-totp", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	res := tokens(t, "USER_AUTH password", out, err)
	assoc, err := c.IDP.AssociateSoftwareToken(ctx(t), &idp.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatalf("AssociateSoftwareToken: %v", err)
	}
	secret, err := totp.Decode(aws.ToString(assoc.SecretCode))
	if err != nil {
		t.Fatal(err)
	}
	now := totp.Cognito.Step(time.Now())
	if _, err := c.IDP.VerifySoftwareToken(ctx(t), &idp.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: aws.String(totp.Cognito.CodeAt(secret, now))}); err != nil {
		t.Fatalf("VerifySoftwareToken: %v", err)
	}
	if _, err := c.IDP.SetUserMFAPreference(ctx(t), &idp.SetUserMFAPreferenceInput{AccessToken: res.AccessToken,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatalf("SetUserMFAPreference: %v", err)
	}

	// Now the user must do MFA: no passwordless first factor.
	out, err = userAuth(t, c, client, "USERNAME", "acr-totp")
	wantChallenge(t, "USER_AUTH with TOTP on", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSelectChallenge)
	if !slices.Equal(out.AvailableChallenges, []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP"}) {
		t.Errorf("AvailableChallenges with TOTP on = %v", out.AvailableChallenges)
	}

	// Level 2: password then TOTP; the tokens say so.
	out, err = userAuth(t, c, client, "USERNAME", "acr-totp", "TARGET_ACR_VALUES", "urn:cognito:loa:2",
		"PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", "Passw0rd!")
	wantChallenge(t, "level 2 password", out.ChallengeName, out.Session, err, types.ChallengeNameTypeSoftwareTokenMfa)
	r, err := respondTo(t, c, client, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "USERNAME", "acr-totp",
		"SOFTWARE_TOKEN_MFA_CODE", totp.Cognito.CodeAt(secret, now+1))
	res = tokens(t, "level 2 TOTP", r, err)
	for _, tok := range []string{aws.ToString(res.IdToken), aws.ToString(res.AccessToken)} {
		cl := jwtClaims(t, tok)
		if cl["acr"] != "urn:cognito:loa:2" || !slices.Equal(strs(cl["amr"]), []string{"pwd", "otp", "mfa"}) {
			t.Errorf("level 2 claims acr=%v amr=%v", cl["acr"], cl["amr"])
		}
	}
}

// strs is a JSON array of strings.
func strs(v any) []string {
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, x := range a {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
