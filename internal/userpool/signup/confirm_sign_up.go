package signup

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// maxAliasMoves bounds how often ConfirmSignUp with ForceAliasCreation
// takes an alias from another user before giving up.
const maxAliasMoves = 4

// ConfirmSignUp confirms a user with the code SignUp or
// ResendConfirmationCode sent: the user becomes CONFIRMED and the email or
// phone number the code went to becomes verified, claiming it as an alias
// (ForceAliasCreation takes it from the user who had it). The response's
// Session signs the user in by USER_AUTH (Config.SignInSession).
func (s *Service) ConfirmSignUp(ctx context.Context, in *cognitoidp.ConfirmSignUpRequest) (*cognitoidp.ConfirmSignUpResponse, error) {
	name := deref(in.Username)
	c, err := s.begin(ctx, in.ClientId, name, in.SecretHash)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, c, name)
	if errors.Is(err, storage.ErrNotFound) {
		if c.preventExistenceErrors() {
			return nil, cognitoidp.NewCodeMismatchException(msgCodeMismatch)
		}
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, err
	}
	if u.Status != statusUnconfirmed {
		return nil, cannotConfirm(u.Status)
	}
	if err := s.checkLimit(ctx, c.poolID(), u.Key, limitOpConfirmSignUp, LimitConfirmSignUp); err != nil {
		return nil, err
	}
	code, err := s.checkCode(ctx, c, u, message.PurposeSignUp, deref(in.ConfirmationCode))
	if err != nil {
		return nil, err
	}
	to := codeTarget(code)

	confirm := func(x *storage.User) error {
		if x.Status != statusUnconfirmed {
			return cannotConfirm(x.Status)
		}
		x.Status = statusConfirmed
		if to.Attribute != "" && x.Attributes[to.Attribute] == to.Value {
			if x.Attributes == nil {
				x.Attributes = map[string]string{}
			}
			x.Attributes[to.Attribute+"_verified"] = "true"
		}
		x.Aliases = c.schema.Aliases(x.Attributes)
		x.UpdatedAt = s.clock.Now()
		return nil
	}
	notFound := cognitoidp.NewUserNotFoundException(msgUserNotFound)
	var confirmed *storage.User
	for moves := 0; ; moves++ {
		confirmed, err = s.store.UpdateUser(ctx, c.poolID(), u.Key, confirm)
		var ue *storage.UniqueError
		if err == nil || !errors.As(err, &ue) || !in.ForceAliasCreation || moves == maxAliasMoves {
			break
		}
		if err := s.takeAlias(ctx, c, u.Key, ue); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, s.updateErr(c, u.Key, notFound, err)
	}
	// The user is confirmed; a concurrent call that consumed the code first
	// confirmed it too, so losing that race is no failure.
	if err := s.consumeCode(ctx, c, u, message.PurposeSignUp); err != nil && !isExpiredCode(err) {
		return nil, err
	}

	if s.hooks.PostConfirmation != nil {
		if err := s.hooks.PostConfirmation(ctx, &PostConfirmationInput{
			PoolID:         c.poolID(),
			ClientID:       c.client.ID,
			Username:       confirmed.Username,
			TriggerSource:  SourcePostConfirmationSignUp,
			UserAttributes: eventAttributes(confirmed),
			ClientMetadata: in.ClientMetadata,
		}); err != nil {
			return nil, err
		}
	}
	factor := string(cognitoidp.AuthFactorTypeEmailOtp)
	if to.Attribute == attrs.PhoneNumber {
		factor = string(cognitoidp.AuthFactorTypeSmsOtp)
	}
	return &cognitoidp.ConfirmSignUpResponse{Session: s.signInSession(ctx, c, confirmed.Username, factor)}, nil
}

// takeAlias moves the alias a clash named away from the user holding it, by
// marking that user's email or phone number unverified (it keeps the
// value). A clash on anything else than a verified email or phone number
// is answered as the clash.
func (s *Service) takeAlias(ctx context.Context, c *call, ownKey string, ue *storage.UniqueError) error {
	if ue.Field != attrs.Email && ue.Field != attrs.PhoneNumber || c.schema.UsernameAttributes[ue.Field] {
		return c.schema.AliasClash(ue)
	}
	holder, err := s.store.GetUserByAlias(ctx, c.poolID(), storage.Alias{Kind: ue.Field, Value: ue.Value})
	if errors.Is(err, storage.ErrNotFound) {
		return nil // released meanwhile; try again
	}
	if err != nil {
		return fmt.Errorf("signup: finding the holder of a %s alias: %w", ue.Field, err)
	}
	if holder.Key == ownKey {
		return c.schema.AliasClash(ue)
	}
	_, err = s.store.UpdateUser(ctx, c.poolID(), holder.Key, func(x *storage.User) error {
		if x.Attributes[ue.Field+"_verified"] != "true" {
			return storage.ErrSkip
		}
		x.Attributes[ue.Field+"_verified"] = "false"
		x.Aliases = c.schema.Aliases(x.Attributes)
		x.UpdatedAt = s.clock.Now()
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) && !errors.Is(err, storage.ErrSkip) {
		return fmt.Errorf("signup: taking a %s alias from user %q: %w", ue.Field, holder.Key, err)
	}
	return nil
}

// cannotConfirm is the answer for confirming a user that is not UNCONFIRMED.
func cannotConfirm(status string) error {
	return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgCannotConfirm, status))
}

func isExpiredCode(err error) bool { return awserr.Is(err, "ExpiredCodeException") }
