package mfa

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Passkey MFA (WebAuthnMfaSettings): a user's passkey sign-in counts as
// multi-factor when the pool's WebAuthnConfiguration has FactorConfiguration
// MULTI_FACTOR_WITH_USER_VERIFICATION and the user turned passkey MFA on
// with Set/AdminSetUserMFAPreference. It "applies only when passkey is the
// first authentication factor": it is no MFA challenge after a password, and
// it has no preferred form (documented). What it changes:
//   - the passkey sign-in of such a user must verify the user (UV), whatever
//     the pool's UserVerification ("When activated, the user's passkey
//     authentication requires user verification"): the passkeys family asks
//     PasskeyMFA when it builds the assertion options;
//   - that sign-in satisfies MFA ("passkey sign-in is available when MFA is
//     required"): the sign-in step (Next) asks no other factor after it;
//   - the user must keep another MFA factor on (SMS, TOTP or email), "to
//     prevent account lockout": a preference change that would leave passkey
//     MFA alone is refused (msgWebAuthnMFAAlone).
// UserMFASettingList and PreferredMfaSetting never show it: their documented
// values are SMS_MFA, EMAIL_OTP and SOFTWARE_TOKEN_MFA.

// PasskeyMFA reports whether passkey MFA is in effect for u in pool: the
// pool offers passkeys as a multi-factor authenticator (and is not on the
// Lite plan, where passkeys are unavailable) and u turned passkey MFA on.
func PasskeyMFA(ctx context.Context, store storage.ResourceStore, pool *cognitoidp.UserPoolType, u *storage.User) (bool, error) {
	st, err := loadState(u)
	if err != nil || !st.WebAuthn {
		return false, err
	}
	pc, err := configFor(ctx, store, pool)
	if err != nil {
		return false, err
	}
	return pc.passkeyMFA(), nil
}

// passkeyMFA reports whether the pool offers passkeys as a multi-factor
// authenticator.
func (pc *PoolConfig) passkeyMFA() bool {
	w := pc.WebAuthn
	return w != nil && w.FactorConfiguration != nil &&
		*w.FactorConfiguration == cognitoidp.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification &&
		tier(pc.Pool) != cognitoidp.UserPoolTierTypeLite
}
