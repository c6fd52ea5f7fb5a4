package auth

import (
	"context"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// gatedStep is a recStep that also tells a fixed MFA rule (MFAGate); its
// tokens report mfa as the MFA factor answered after a password.
type gatedStep struct {
	*recStep
	rule MFARule
	mfa  string
}

func (g *gatedStep) Next(ctx context.Context, a *Attempt) (*Step, error) {
	st, err := g.recStep.Next(ctx, a)
	if err == nil && a.FirstFactor == FactorPassword {
		st.MFAFactor = g.mfa
	}
	return st, err
}

func (g *gatedStep) FirstFactorRule(context.Context, *cognitoidp.UserPoolType, *storage.User) (MFARule, error) {
	return g.rule, nil
}

func TestUserAuthPasswordlessUnderMFA(t *testing.T) {
	pw, srpF, otpE, otpS, wa := cognitoidp.ChallengeNameTypePassword, cognitoidp.ChallengeNameTypePasswordSrp,
		cognitoidp.ChallengeNameTypeEmailOtp, cognitoidp.ChallengeNameTypeSmsOtp, cognitoidp.ChallengeNameTypeWebAuthn
	tests := []struct {
		name string
		rule MFARule
		want []cognitoidp.ChallengeNameType
	}{
		{"no MFA", MFARule{}, []cognitoidp.ChallengeNameType{pw, srpF, otpE, otpS, wa}},
		{"MFA required", MFARule{Required: true, Factors: []string{"SOFTWARE_TOKEN_MFA"}}, []cognitoidp.ChallengeNameType{pw, srpF}},
		{"MFA required, passkey MFA", MFARule{Required: true, PasskeyMFA: true, Factors: []string{"SMS_MFA"}}, []cognitoidp.ChallengeNameType{pw, srpF, wa}},
		{"passkey MFA, MFA not required", MFARule{PasskeyMFA: true}, []cognitoidp.ChallengeNameType{pw, srpF, otpE, otpS, wa}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := &gatedStep{recStep: &recStep{}, rule: tc.rule}
			u := newUAEnv(t, func(c *Config) { c.NextStep = g })
			u.passkeys.has[u.alice.Key] = true
			out, err := u.userAuth(u.clientID, "USERNAME", "alice")
			mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
			if !slices.Equal(out.AvailableChallenges, tc.want) {
				t.Errorf("AvailableChallenges = %v, want %v", out.AvailableChallenges, tc.want)
			}
			if tc.rule.Required {
				// A preferred passwordless factor is not started either.
				out, err = u.userAuth(u.clientID, "USERNAME", "alice", "PREFERRED_CHALLENGE", "EMAIL_OTP")
				mustChallenge(t, out, err, cognitoidp.ChallengeNameTypeSelectChallenge)
				if u.sender.count() != 0 {
					t.Errorf("a one-time password was sent to a user who must do MFA")
				}
			}
		})
	}
}
