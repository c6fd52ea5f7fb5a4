package signup

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// ResendConfirmationCode sends an unconfirmed user a new sign-up code,
// which replaces the previous one, to the same kind of attribute SignUp
// chose.
func (s *Service) ResendConfirmationCode(ctx context.Context, in *cognitoidp.ResendConfirmationCodeRequest) (*cognitoidp.ResendConfirmationCodeResponse, error) {
	name := deref(in.Username)
	c, err := s.begin(ctx, in.ClientId, name, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if len(c.schema.AutoVerified) == 0 {
		return nil, cognitoidp.NewNotAuthorizedException(msgAutoVerificationOff)
	}
	simulated := func() (*cognitoidp.ResendConfirmationCodeResponse, error) {
		preferPhone := c.schema.AutoVerified[attrs.PhoneNumber]
		return &cognitoidp.ResendConfirmationCodeResponse{CodeDeliveryDetails: simulatedDetails(c.poolID(), name, preferPhone)}, nil
	}
	u, err := s.findUser(ctx, c, name)
	if errors.Is(err, storage.ErrNotFound) {
		if c.preventExistenceErrors() {
			return simulated()
		}
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		if c.preventExistenceErrors() {
			return simulated()
		}
		return nil, cognitoidp.NewNotAuthorizedException(msgUserDisabled)
	}
	if u.Status != statusUnconfirmed {
		return nil, cognitoidp.NewInvalidParameterException(msgAlreadyConfirmed)
	}
	to, ok := signUpTarget(c.schema, u.Attributes)
	if !ok {
		return nil, cognitoidp.NewNotAuthorizedException(msgAutoVerificationOff)
	}
	if err := s.checkLimit(ctx, c.poolID(), u.Key, limitOpResendCode, LimitResendConfirmationCode); err != nil {
		return nil, err
	}
	details, err := s.sendCode(ctx, c, codeSend{
		user: u, kind: message.KindResendCode, purpose: message.PurposeSignUp, to: to, meta: in.ClientMetadata,
	})
	if err != nil {
		return nil, err
	}
	return &cognitoidp.ResendConfirmationCodeResponse{CodeDeliveryDetails: details}, nil
}
