package signup

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ConfirmForgotPassword sets a new password with the code ForgotPassword
// (or an administrator's password reset) sent. The code works once; the
// user becomes CONFIRMED, whether it was CONFIRMED, RESET_REQUIRED,
// FORCE_CHANGE_PASSWORD or an UNCONFIRMED user with a verified contact.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *cognitoidp.ConfirmForgotPasswordRequest) (*cognitoidp.ConfirmForgotPasswordResponse, error) {
	name := deref(in.Username)
	c, err := s.begin(ctx, in.ClientId, name, in.SecretHash)
	if err != nil {
		return nil, err
	}
	hide := c.preventExistenceErrors()
	u, err := s.findUser(ctx, c, name)
	if errors.Is(err, storage.ErrNotFound) {
		if hide {
			return nil, cognitoidp.NewCodeMismatchException(msgCodeMismatch)
		}
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		if hide {
			return nil, cognitoidp.NewCodeMismatchException(msgCodeMismatch)
		}
		return nil, cognitoidp.NewNotAuthorizedException(msgUserDisabled)
	}
	if err := s.checkLimit(ctx, c.poolID(), u.Key, limitOpConfirmForgotPassword, LimitConfirmForgotPassword); err != nil {
		return nil, err
	}
	if _, err := s.checkCode(ctx, c, u, message.PurposeForgotPassword, deref(in.ConfirmationCode)); err != nil {
		return nil, err
	}
	pw := deref(in.Password)
	if err := checkPassword(c.pool, pw, password.PrefixDoesNotConform); err != nil {
		return nil, err
	}
	if err := s.checkCompromised(ctx, c, cognitoidp.EventFilterTypePasswordChange, pw); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	// Check the history on what we read, so a reused password leaves the
	// code usable; the update below checks again on what it writes.
	if _, err := replaceCredentials(c.pool, u, pw, now); err != nil {
		return nil, err
	}
	if err := s.consumeCode(ctx, c, u, message.PurposeForgotPassword); err != nil {
		return nil, err
	}
	updated, err := s.updateUser(ctx, c, u.Key, cognitoidp.NewUserNotFoundException(msgUserNotFound), func(x *storage.User) error {
		creds, err := replaceCredentials(c.pool, x, pw, now)
		if err != nil {
			return err
		}
		x.Password = creds
		x.Status = statusConfirmed
		x.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}

	if s.hooks.PostConfirmation != nil {
		if err := s.hooks.PostConfirmation(ctx, &PostConfirmationInput{
			PoolID:         c.poolID(),
			ClientID:       c.client.ID,
			Username:       updated.Username,
			TriggerSource:  SourcePostConfirmationResetPassword,
			UserAttributes: eventAttributes(updated),
			ClientMetadata: in.ClientMetadata,
		}); err != nil {
			return nil, err
		}
	}
	return &cognitoidp.ConfirmForgotPasswordResponse{}, nil
}
