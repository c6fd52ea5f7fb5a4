package auth

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// GetUserAuthFactors lists the signed-in user's sign-in factors
// (token-authorized): the MFA settings GetUser shows (through the MFA hook)
// and ConfiguredUserAuthFactors, the first factors of choice-based sign-in
// the user can use: PASSWORD with a password, EMAIL_OTP / SMS_OTP when the
// pool offers them and the email / phone number is verified, WEB_AUTHN with
// a registered passkey (when the pool offers it).
func (s *Service) GetUserAuthFactors(ctx context.Context, in *cognitoidp.GetUserAuthFactorsRequest) (*cognitoidp.GetUserAuthFactorsResponse, error) {
	if s.authn == nil {
		return nil, api.NotImplemented("GetUserAuthFactors")
	}
	caller, err := s.authn(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	u, pool := caller.User, caller.Pool
	out := &cognitoidp.GetUserAuthFactorsResponse{
		Username:                  api.Ptr(u.Username),
		ConfiguredUserAuthFactors: []cognitoidp.AuthFactorType{},
	}
	if s.mfa != nil {
		info, err := s.mfa(ctx, pool, u)
		if err != nil {
			return nil, fmt.Errorf("auth: reading MFA settings of a user of pool %s: %w", u.PoolID, err)
		}
		if info.Preferred != "" {
			out.PreferredMfaSetting = api.Ptr(info.Preferred)
		}
		out.UserMFASettingList = info.Enabled
	}
	c := &call{pool: pool}
	creds, err := credentials(u)
	if err != nil {
		return nil, err
	}
	add := func(f cognitoidp.AuthFactorType) {
		out.ConfiguredUserAuthFactors = append(out.ConfiguredUserAuthFactors, f)
	}
	if creds != nil {
		add(cognitoidp.AuthFactorTypePassword)
	}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeEmailOtp) && verified(u, attrs.Email) {
		add(cognitoidp.AuthFactorTypeEmailOtp)
	}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeSmsOtp) && verified(u, attrs.PhoneNumber) {
		add(cognitoidp.AuthFactorTypeSmsOtp)
	}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeWebAuthn) {
		ok, err := s.passkeys.HasCredentials(ctx, pool, u)
		if err != nil {
			return nil, fmt.Errorf("auth: looking up the passkeys of a user of pool %s: %w", u.PoolID, err)
		}
		if ok {
			add(cognitoidp.AuthFactorTypeWebAuthn)
		}
	}
	return out, nil
}
