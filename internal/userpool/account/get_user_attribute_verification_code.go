package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// GetUserAttributeVerificationCode sends the signed-in user a code verifying
// their email or phone number: to the value awaiting verification
// (AttributesRequireVerificationBeforeUpdate) if there is one, else to the
// current value. A new code replaces the previous one; at most
// LimitGetUserAttributeVerificationCode calls an hour. ClientMetadata goes to
// the custom message trigger (CustomMessage_VerifyUserAttribute).
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *cognitoidp.GetUserAttributeVerificationCodeRequest) (*cognitoidp.GetUserAttributeVerificationCodeResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.begin(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	attr := api.Deref(in.AttributeName)
	if !verifiable(attr) {
		return nil, cognitoidp.NewInvalidParameterException(msgNotVerifiable)
	}
	pending, err := users.PendingAttributes(c.user)
	if err != nil {
		return nil, err
	}
	value := pending[attr]
	if value == "" {
		value = c.user.Attributes[attr]
	}
	if value == "" {
		if attr == attrs.PhoneNumber {
			return nil, cognitoidp.NewInvalidParameterException(msgNoPhone)
		}
		return nil, cognitoidp.NewInvalidParameterException(msgNoEmail)
	}
	if err := s.checkLimit(ctx, c.poolID(), c.user.Key, limitOpGetVerification, LimitGetUserAttributeVerificationCode); err != nil {
		return nil, err
	}
	details, err := s.sendCode(ctx, c, attr, value, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.GetUserAttributeVerificationCodeResponse{CodeDeliveryDetails: details}, nil
}
