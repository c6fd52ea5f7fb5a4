package auth

import (
	"context"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestUserAuthTargetACR(t *testing.T) {
	pw, srpF, otpE, otpS, wa := cognitoidp.ChallengeNameTypePassword, cognitoidp.ChallengeNameTypePasswordSrp,
		cognitoidp.ChallengeNameTypeEmailOtp, cognitoidp.ChallengeNameTypeSmsOtp, cognitoidp.ChallengeNameTypeWebAuthn
	mfaOn := MFARule{Required: true, Factors: []string{"SOFTWARE_TOKEN_MFA"}}
	tests := []struct {
		name    string
		rule    MFARule
		passkey bool
		target  string
		want    []cognitoidp.ChallengeNameType
		errCode string
	}{
		{name: "level 1: every factor", target: "urn:cognito:loa:1", passkey: true, want: []cognitoidp.ChallengeNameType{pw, srpF, otpE, otpS, wa}},
		{name: "level 2 with MFA: passwords", rule: mfaOn, target: "urn:cognito:loa:2", want: []cognitoidp.ChallengeNameType{pw, srpF}},
		{name: "level 2 without MFA: a passkey", target: "urn:cognito:loa:2", passkey: true, want: []cognitoidp.ChallengeNameType{wa}},
		{name: "level 3: passkey only", rule: mfaOn, target: "urn:cognito:loa:3", passkey: false, errCode: "NotAuthorizedException"},
		{name: "level 4 falls back to 2", rule: mfaOn, target: "urn:cognito:loa:4 urn:cognito:loa:2", passkey: false, want: []cognitoidp.ChallengeNameType{pw, srpF}},
		{name: "level 4 with passkey MFA", rule: MFARule{Required: true, PasskeyMFA: true}, target: "urn:cognito:loa:4 urn:cognito:loa:2", passkey: true, want: []cognitoidp.ChallengeNameType{wa}},
		{name: "unknown values ignored", target: "urn:other urn:cognito:loa:1", want: []cognitoidp.ChallengeNameType{pw, srpF, otpE, otpS}},
		{name: "no valid value", target: "urn:other Level2", errCode: "InvalidParameterException"},
		{name: "unreachable", target: "urn:cognito:loa:2", errCode: "NotAuthorizedException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := &gatedStep{recStep: &recStep{}, rule: tc.rule}
			u := newUAEnv(t, func(c *Config) { c.NextStep = g })
			u.passkeys.has[u.alice.Key] = tc.passkey
			out, err := u.userAuth(u.clientID, "USERNAME", "alice", "TARGET_ACR_VALUES", tc.target)
			if tc.errCode != "" {
				if err == nil {
					t.Fatalf("want %s, got %v", tc.errCode, out.AvailableChallenges)
				}
				wantErr(t, err, tc.errCode, "")
				return
			}
			mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
			if !slices.Equal(out.AvailableChallenges, tc.want) {
				t.Errorf("AvailableChallenges = %v, want %v", out.AvailableChallenges, tc.want)
			}
		})
	}
}

func TestUserAuthACRClaims(t *testing.T) {
	tests := []struct {
		name    string
		rule    MFARule
		mfa     string
		target  string
		factor  string
		wantACR string
		wantAMR []any
	}{
		{name: "password", target: "urn:cognito:loa:1", factor: "PASSWORD", wantACR: "urn:cognito:loa:1", wantAMR: []any{"pwd"}},
		{name: "password and TOTP", rule: MFARule{Required: true, Factors: []string{"SOFTWARE_TOKEN_MFA"}}, mfa: "SOFTWARE_TOKEN_MFA",
			target: "urn:cognito:loa:2", factor: "PASSWORD", wantACR: "urn:cognito:loa:2", wantAMR: []any{"pwd", "otp", "mfa"}},
		{name: "password and SMS, level 1 asked first", rule: MFARule{Required: true, Factors: []string{"SMS_MFA"}}, mfa: "SMS_MFA",
			target: "urn:cognito:loa:1 urn:cognito:loa:2", factor: "PASSWORD", wantACR: "urn:cognito:loa:1", wantAMR: []any{"pwd", "sms", "mfa"}},
		{name: "email one-time password", target: "urn:cognito:loa:1", factor: "EMAIL_OTP", wantACR: "urn:cognito:loa:1", wantAMR: []any{"otp"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := &gatedStep{recStep: &recStep{}, rule: tc.rule, mfa: tc.mfa}
			u := newUAEnv(t, func(c *Config) { c.NextStep = g })
			var auth *cognitoidp.AuthenticationResultType
			switch tc.factor {
			case "PASSWORD":
				out, err := u.userAuth(u.clientID, "USERNAME", "alice", "TARGET_ACR_VALUES", tc.target,
					"PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", goodPassword)
				auth = mustTokens(t, out, err)
			case "EMAIL_OTP":
				out, err := u.userAuth(u.clientID, "USERNAME", "alice", "TARGET_ACR_VALUES", tc.target, "PREFERRED_CHALLENGE", "EMAIL_OTP")
				sess := mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeEmailOtp)
				r, err := u.respond(u.clientID, cognitoidp.ChallengeNameTypeEmailOtp, sess, "USERNAME", "alice", "EMAIL_OTP_CODE", u.code(t))
				auth = mustTokens(t, r, err)
			}
			for _, tok := range []string{*auth.IdToken, *auth.AccessToken} {
				c := claims(t, tok)
				if c["acr"] != tc.wantACR || !slices.Equal(anySlice(c["amr"]), tc.wantAMR) {
					t.Errorf("acr %v amr %v, want %v %v", c["acr"], c["amr"], tc.wantACR, tc.wantAMR)
				}
			}
		})
	}
	t.Run("no target, no claims", func(t *testing.T) {
		u := newUAEnv(t)
		out, err := u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", goodPassword)
		auth := mustTokens(t, out, err)
		c := claims(t, *auth.IdToken)
		if _, ok := c["acr"]; ok {
			t.Errorf("acr = %v", c["acr"])
		}
		if _, ok := c["amr"]; ok {
			t.Errorf("amr = %v", c["amr"])
		}
	})
	t.Run("custom level names", func(t *testing.T) {
		u := newUAEnv(t)
		u.poolID = u.pool(func(in *cognitoidp.CreateUserPoolRequest) {
			in.Policies = &cognitoidp.UserPoolPolicyType{SignInPolicy: &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: allFactors}}
			in.AcrConfiguration = map[string]cognitoidp.AcrLevelConfigType{"Level1": {AcrValue: api.Ptr("https://example.com/basic")}}
		})
		u.clientID = u.uaClient(nil)
		u.confirmedUser(u.poolID, "bob", goodPassword)
		_, err := u.userAuth(u.clientID, "USERNAME", "bob", "TARGET_ACR_VALUES", "urn:cognito:loa:1")
		wantErr(t, err, "InvalidParameterException", "")
		out, err := u.userAuth(u.clientID, "USERNAME", "bob", "TARGET_ACR_VALUES", "https://example.com/basic",
			"PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", goodPassword)
		auth := mustTokens(t, out, err)
		if c := claims(t, *auth.AccessToken); c["acr"] != "https://example.com/basic" {
			t.Errorf("acr = %v", c["acr"])
		}
	})
}

func TestUserAuthACRParameters(t *testing.T) {
	u := newUAEnv(t)
	_, err := u.userAuth(u.clientID, "USERNAME", "alice", "ACCESS_TOKEN", "x")
	wantErr(t, err, "InvalidParameterException", msgAccessTokenWithoutACR)
	_, err = u.userAuth(u.clientID, "USERNAME", "alice", "TARGET_ACR_VALUES", "urn:cognito:loa:1", "MAX_AGE", "soon")
	wantErr(t, err, "InvalidParameterException", msgMaxAge)
	// A pool on the Lite plan (whose tier changed after its clients
	// were made) refuses levels.
	c := &call{pool: &cognitoidp.UserPoolType{UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypeLite)}}
	_, err = u.svc.acrRequest(context.Background(), c, "alice", map[string]string{"TARGET_ACR_VALUES": "urn:cognito:loa:1"})
	wantErr(t, err, "FeatureUnavailableInTierException", msgACRTier)
}

func anySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// TestIssueOAuthACR: an authorize request's levels give the OAuth tokens acr
// and amr from the hosted sign-in's factors.
func TestIssueOAuthACR(t *testing.T) {
	u := newUAEnv(t)
	g := OAuthGrant{Scopes: []string{"openid"}, ACR: "21", FirstFactor: FactorPassword, MFAFactor: "SOFTWARE_TOKEN_MFA"}
	issued, err := u.svc.IssueOAuth(context.Background(), u.poolID, u.clientID, u.alice, g)
	if err != nil {
		t.Fatal(err)
	}
	c := claims(t, issued.IDToken)
	if c["acr"] != "urn:cognito:loa:2" || !slices.Equal(anySlice(c["amr"]), []any{"pwd", "otp", "mfa"}) {
		t.Errorf("acr %v amr %v", c["acr"], c["amr"])
	}
	g.MFAFactor = ""
	issued, err = u.svc.IssueOAuth(context.Background(), u.poolID, u.clientID, u.alice, g)
	if err != nil {
		t.Fatal(err)
	}
	if c := claims(t, issued.AccessToken); c["acr"] != "urn:cognito:loa:1" || !slices.Equal(anySlice(c["amr"]), []any{"pwd"}) {
		t.Errorf("password only: acr %v amr %v", c["acr"], c["amr"])
	}
}
