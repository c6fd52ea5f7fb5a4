package mfa

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// SetUserMFAPreference sets the signed-in user's MFA factors and preferred
// factor (token-authorized).
func (s *Service) SetUserMFAPreference(ctx context.Context, in *cognitoidp.SetUserMFAPreferenceRequest) (*cognitoidp.SetUserMFAPreferenceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.accounts.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	p := preference{webAuthn: in.WebAuthnMfaSettings}
	if v := in.SMSMfaSettings; v != nil {
		p.sms = &factorSetting{v.Enabled, v.PreferredMfa}
	}
	if v := in.SoftwareTokenMfaSettings; v != nil {
		p.totp = &factorSetting{v.Enabled, v.PreferredMfa}
	}
	if v := in.EmailMfaSettings; v != nil {
		p.email = &factorSetting{v.Enabled, v.PreferredMfa}
	}
	if err := s.setPreference(ctx, c.Pool, c.User, p); err != nil {
		return nil, err
	}
	return &cognitoidp.SetUserMFAPreferenceResponse{}, nil
}

// AdminSetUserMFAPreference sets a user's MFA factors and preferred factor
// (IAM-authorized).
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, in *cognitoidp.AdminSetUserMFAPreferenceRequest) (*cognitoidp.AdminSetUserMFAPreferenceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	up, u, err := s.adminUser(ctx, *in.UserPoolId, *in.Username)
	if err != nil {
		return nil, err
	}
	p := preference{webAuthn: in.WebAuthnMfaSettings}
	if v := in.SMSMfaSettings; v != nil {
		p.sms = &factorSetting{v.Enabled, v.PreferredMfa}
	}
	if v := in.SoftwareTokenMfaSettings; v != nil {
		p.totp = &factorSetting{v.Enabled, v.PreferredMfa}
	}
	if v := in.EmailMfaSettings; v != nil {
		p.email = &factorSetting{v.Enabled, v.PreferredMfa}
	}
	if err := s.setPreference(ctx, up, u, p); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminSetUserMFAPreferenceResponse{}, nil
}

// factorSetting is one factor's member of a preference request.
type factorSetting struct{ enabled, preferred bool }

// preference is a SetUserMFAPreference request; nil members are left as
// they are.
type preference struct {
	sms, totp, email *factorSetting
	webAuthn         *cognitoidp.WebAuthnMfaSettingsType
}

// setPreference checks p against the pool and the user and stores it.
func (s *Service) setPreference(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, p preference) error {
	preferred := 0
	for _, f := range []*factorSetting{p.sms, p.totp, p.email} {
		if f == nil || !f.preferred {
			continue
		}
		if !f.enabled {
			return cognitoidp.NewInvalidParameterException(msgPreferredDisabled)
		}
		preferred++
	}
	if preferred > 1 {
		return cognitoidp.NewInvalidParameterException(msgTwoPreferred)
	}
	if p.email != nil && tier(up) == cognitoidp.UserPoolTierTypeLite {
		return cognitoidp.NewFeatureUnavailableInTierException(fmt.Sprintf(msgEmailMFATier, tier(up)))
	}
	if p.webAuthn != nil && p.webAuthn.Enabled != nil && *p.webAuthn.Enabled {
		if t := tier(up); t == cognitoidp.UserPoolTierTypeLite {
			return cognitoidp.NewFeatureUnavailableInTierException(fmt.Sprintf(msgPasskeyMFATier, t))
		}
		pc, err := configFor(ctx, s.store, up)
		if err != nil {
			return err
		}
		if !pc.passkeyMFA() {
			return cognitoidp.NewInvalidParameterException(msgWebAuthnMFAOff)
		}
	}
	_, err := s.updateState(ctx, u, func(fresh *storage.User, st *userState) error {
		apply := func(f *factorSetting, name string, on *bool, usable bool, notUsable string) error {
			if f == nil {
				return nil
			}
			if f.enabled && !usable {
				return cognitoidp.NewInvalidParameterException(notUsable)
			}
			*on = f.enabled
			switch {
			case f.preferred:
				st.Preferred = name
			case st.Preferred == name:
				st.Preferred = ""
			}
			return nil
		}
		if err := apply(p.sms, FactorSMS, &st.SMS, fresh.Attributes[attrs.PhoneNumber] != "", msgNoPhone); err != nil {
			return err
		}
		if p.sms != nil && !p.sms.enabled {
			st.LegacySMS = false
		}
		if err := apply(p.totp, FactorTOTP, &st.TOTP, st.totpReady(), msgNoTOTP); err != nil {
			return err
		}
		if err := apply(p.email, FactorEmail, &st.Email, fresh.Attributes[attrs.Email] != "", msgNoEmail); err != nil {
			return err
		}
		if p.webAuthn != nil && p.webAuthn.Enabled != nil {
			st.WebAuthn = *p.webAuthn.Enabled
		}
		return st.checkPasskeyMFA()
	})
	return err
}

// checkPasskeyMFA refuses a state with passkey MFA on and no other factor
// (see passkey_mfa.go).
func (st *userState) checkPasskeyMFA() error {
	if st.WebAuthn && !st.smsOn() && !st.Email && !(st.TOTP && st.totpReady()) {
		return cognitoidp.NewInvalidParameterException(msgWebAuthnMFAAlone)
	}
	return nil
}

// SetUserSettings sets the signed-in user's legacy MFA options: SMS only
// (token-authorized).
func (s *Service) SetUserSettings(ctx context.Context, in *cognitoidp.SetUserSettingsRequest) (*cognitoidp.SetUserSettingsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.accounts.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.setLegacySMS(ctx, c.User, in.MFAOptions); err != nil {
		return nil, err
	}
	return &cognitoidp.SetUserSettingsResponse{}, nil
}

// AdminSetUserSettings sets a user's legacy MFA options: SMS only
// (IAM-authorized).
func (s *Service) AdminSetUserSettings(ctx context.Context, in *cognitoidp.AdminSetUserSettingsRequest) (*cognitoidp.AdminSetUserSettingsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	_, u, err := s.adminUser(ctx, *in.UserPoolId, *in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.setLegacySMS(ctx, u, in.MFAOptions); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminSetUserSettingsResponse{}, nil
}

// setLegacySMS turns SMS MFA on for [{SMS, phone_number}] and off for an
// empty list.
func (s *Service) setLegacySMS(ctx context.Context, u *storage.User, opts []cognitoidp.MFAOptionType) error {
	on := false
	for _, o := range opts {
		if o.DeliveryMedium == nil || *o.DeliveryMedium != cognitoidp.DeliveryMediumTypeSms ||
			o.AttributeName == nil || *o.AttributeName != attrs.PhoneNumber {
			return cognitoidp.NewInvalidParameterException(msgSettingsSMSOnly)
		}
		on = true
	}
	_, err := s.updateState(ctx, u, func(fresh *storage.User, st *userState) error {
		if on && fresh.Attributes[attrs.PhoneNumber] == "" {
			return cognitoidp.NewInvalidParameterException(msgNoPhone)
		}
		st.LegacySMS = on
		if !on {
			st.SMS = false
			if st.Preferred == FactorSMS {
				st.Preferred = ""
			}
		}
		return st.checkPasskeyMFA()
	})
	return err
}
