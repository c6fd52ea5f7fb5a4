package mfa

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

// FirstFactorRule tells choice-based sign-in (auth.MFAGate) what MFA means
// for u's first factors: whether u must do MFA (the pool's MFA is ON, or
// OPTIONAL and u has a factor turned on that the pool can deliver: the
// same decision Next applies after a password), whether passkey MFA is in
// effect for u (passkey_mfa.go), and the MFA factors u can answer (for the
// authentication levels of USER_AUTH's TARGET_ACR_VALUES).
func (s *Service) FirstFactorRule(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (auth.MFARule, error) {
	st, err := loadState(u)
	if err != nil {
		return auth.MFARule{}, err
	}
	pc, err := configFor(ctx, s.store, pool)
	if err != nil {
		return auth.MFARule{}, err
	}
	d := decide(pc, u, st)
	rule := auth.MFARule{
		Required:   d.factor != "" || len(d.choose) > 0 || d.setup,
		PasskeyMFA: st.WebAuthn && pc.passkeyMFA(),
	}
	switch {
	case d.factor != "":
		rule.Factors = []string{d.factor}
	case len(d.choose) > 0:
		rule.Factors = d.choose
	case d.setup:
		rule.Factors = d.canSetup
	}
	return rule, nil
}
