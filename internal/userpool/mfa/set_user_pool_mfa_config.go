package mfa

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// SetUserPoolMfaConfig sets the pool's MFA enforcement, its factors and its
// passkey configuration (IAM-authorized). See defaults.go for how a partial
// request is read and what is refused.
func (s *Service) SetUserPoolMfaConfig(ctx context.Context, in *cognitoidp.SetUserPoolMfaConfigRequest) (*cognitoidp.SetUserPoolMfaConfigResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if sms := in.SmsMfaConfiguration; sms != nil {
		// The rules CreateUserPool and UpdateUserPool apply to EumsSms.
		if err := pools.CheckSmsConfiguration(poolID, "smsMfaConfiguration.smsConfiguration", sms.SmsConfiguration); err != nil {
			return nil, err
		}
	}
	old, found, err := readConfigDoc(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	touchesMFA := in.MfaConfiguration != nil || in.SmsMfaConfiguration != nil ||
		in.SoftwareTokenMfaConfiguration != nil || in.EmailMfaConfiguration != nil
	doc := *old
	if touchesMFA {
		doc.SMS = in.SmsMfaConfiguration != nil
		doc.SoftwareToken = in.SoftwareTokenMfaConfiguration != nil && in.SoftwareTokenMfaConfiguration.Enabled
		doc.Email = nil
		if in.EmailMfaConfiguration != nil {
			doc.Email = in.EmailMfaConfiguration.Clone()
		}
	}
	if in.WebAuthnConfiguration != nil {
		doc.WebAuthn = in.WebAuthnConfiguration.Clone()
	}

	now := s.clock.Now()
	up, err := pools.Update(ctx, s.store, poolID, now, func(up *cognitoidp.UserPoolType) error {
		if !touchesMFA {
			return checkWebAuthn(up, in.WebAuthnConfiguration)
		}
		mode := api.Deref(in.MfaConfiguration)
		if mode == "" {
			mode = makeConfig(up, old, found).Mode
		}
		anyFactor := doc.SMS || doc.SoftwareToken || doc.Email != nil
		switch {
		case mode == cognitoidp.UserPoolMfaTypeOff && anyFactor:
			return cognitoidp.NewInvalidParameterException(msgOffWithFactor)
		case mode != cognitoidp.UserPoolMfaTypeOff && !anyFactor:
			return cognitoidp.NewInvalidParameterException(msgNoFactor)
		}
		if doc.Email != nil {
			if t := tier(up); t == cognitoidp.UserPoolTierTypeLite {
				return cognitoidp.NewFeatureUnavailableInTierException(fmt.Sprintf(msgEmailMFATier, t))
			}
			if ec := up.EmailConfiguration; ec == nil || api.Deref(ec.EmailSendingAccount) != cognitoidp.EmailSendingAccountTypeDeveloper {
				return cognitoidp.NewInvalidParameterException(msgEmailMFANeedsSES)
			}
		}
		if err := checkWebAuthn(up, in.WebAuthnConfiguration); err != nil {
			return err
		}
		up.MfaConfiguration = api.Ptr(mode)
		if sms := in.SmsMfaConfiguration; sms != nil {
			if sms.SmsAuthenticationMessage != nil {
				up.SmsAuthenticationMessage = api.Ptr(*sms.SmsAuthenticationMessage)
			}
			if sms.SmsConfiguration != nil {
				up.SmsConfiguration = sms.SmsConfiguration.Clone()
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := writeConfigDoc(ctx, s.store, poolID, &doc, now); err != nil {
		return nil, err
	}
	v := makeConfig(up, &doc, true).view()
	s.log.DebugContext(ctx, "MFA configuration set", "pool", poolID, "mode", string(*v.MfaConfiguration))
	return &cognitoidp.SetUserPoolMfaConfigResponse{
		SmsMfaConfiguration:           v.SmsMfaConfiguration,
		SoftwareTokenMfaConfiguration: v.SoftwareTokenMfaConfiguration,
		EmailMfaConfiguration:         v.EmailMfaConfiguration,
		MfaConfiguration:              v.MfaConfiguration,
		WebAuthnConfiguration:         v.WebAuthnConfiguration,
	}, nil
}

// checkWebAuthn refuses passkey configuration in the Lite feature plan.
func checkWebAuthn(up *cognitoidp.UserPoolType, w *cognitoidp.WebAuthnConfigurationType) error {
	if w == nil {
		return nil
	}
	if t := tier(up); t == cognitoidp.UserPoolTierTypeLite {
		return cognitoidp.NewFeatureUnavailableInTierException(fmt.Sprintf(msgWebAuthnTier, t))
	}
	return nil
}

// GetUserPoolMfaConfig shows the pool's MFA and passkey configuration
// (IAM-authorized).
func (s *Service) GetUserPoolMfaConfig(ctx context.Context, in *cognitoidp.GetUserPoolMfaConfigRequest) (*cognitoidp.GetUserPoolMfaConfigResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	pc, err := LoadConfig(ctx, s.store, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return pc.view(), nil
}
