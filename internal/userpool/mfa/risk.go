package mfa

import (
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

// Threat protection's MFA demands (auth.Attempt.RiskMFA; API reference,
// AccountTakeoverActionType): MFA_IF_CONFIGURED asks a challenge when MFA is
// possible — a factor the pool has on that the user can answer (an email
// address or phone number for a code, a registered TOTP) — and lets the
// sign-in through otherwise; MFA_REQUIRED asks one and refuses a user who
// can answer none. Cogito asks no MFA setup for them (unverified: the
// documentation speaks of methods "the user can set up").

// msgRiskMFAImpossible: NotAuthorizedException for a sign-in threat
// protection demands MFA of when the user can answer none (unverified; the
// text of threat protection's other refusals).
const msgRiskMFAImpossible = "Unable to login because of security reasons."

// riskDecide is the MFA decision for a sign-in threat protection demands MFA
// of (demand is auth.Attempt.RiskMFA), when the pool's own rules asked none:
// the user's preferred factor among those possible, the only one, or a
// choice; none, or an error for MFA_REQUIRED, when none is possible.
func riskDecide(pc *PoolConfig, u *storage.User, st *userState, demand string) (decision, error) {
	var on []string
	if pc.Mode == cognitoidp.UserPoolMfaTypeOn || pc.Mode == cognitoidp.UserPoolMfaTypeOptional {
		for _, f := range factorOrder {
			switch {
			case f == FactorSMS && pc.SMS && u.Attributes[attrs.PhoneNumber] != "",
				f == FactorEmail && pc.Email && u.Attributes[attrs.Email] != "",
				f == FactorTOTP && st.totpReady():
				on = append(on, f)
			}
		}
	}
	switch {
	case len(on) == 0 && demand == auth.RiskMFARequired:
		return decision{}, cognitoidp.NewNotAuthorizedException(msgRiskMFAImpossible)
	case len(on) == 0:
		return decision{}, nil
	case len(on) == 1:
		return decision{factor: on[0]}, nil
	}
	for _, f := range on {
		if f == st.Preferred {
			return decision{factor: f}, nil
		}
	}
	return decision{choose: on}, nil
}
