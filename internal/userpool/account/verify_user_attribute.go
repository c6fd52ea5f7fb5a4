package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// VerifyUserAttribute verifies the signed-in user's email or phone number
// with the code GetUserAttributeVerificationCode or UpdateUserAttributes
// sent. The attribute becomes verified; a code sent to a value awaiting
// verification makes it the attribute's value. The alias the verified value
// claims (an alias pool's email or phone number) must be free, else
// AliasExistsException and nothing changes. A code works once; at most
// LimitVerifyUserAttribute calls an hour.
func (s *Service) VerifyUserAttribute(ctx context.Context, in *cognitoidp.VerifyUserAttributeRequest) (*cognitoidp.VerifyUserAttributeResponse, error) {
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
	if c.user.Attributes[attr] == "" && pending[attr] == "" {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgNothingToVerify, attr))
	}
	if err := s.checkLimit(ctx, c.poolID(), c.user.Key, limitOpVerifyUserAttribute, LimitVerifyUserAttribute); err != nil {
		return nil, err
	}
	purpose := message.PurposeVerifyAttribute(attr)
	code, err := s.checkCode(ctx, c.user, purpose, api.Deref(in.Code))
	if err != nil {
		return nil, err
	}
	value := string(code.Data)
	now := s.clk.Now()
	_, err = s.updateUser(ctx, c, func(cur *storage.User) error {
		pend, err := users.PendingAttributes(cur)
		if err != nil {
			return err
		}
		v := value
		if v == "" { // a code kept without its value verifies the current one
			v = cur.Attributes[attr]
		}
		switch {
		case v != "" && pend[attr] == v:
			delete(pend, attr)
			if err := users.SetPendingAttributes(cur, pend); err != nil {
				return err
			}
		case v != "" && cur.Attributes[attr] == v:
		default: // the value the code went to is gone
			return cognitoidp.NewExpiredCodeException(msgExpiredCode)
		}
		if cur.Attributes == nil {
			cur.Attributes = attrs.Values{}
		}
		cur.Attributes[attr] = v
		cur.Attributes[attr+"_verified"] = "true"
		cur.Aliases = c.schema.Aliases(cur.Attributes)
		cur.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The attribute is verified; a concurrent call that consumed the code
	// first verified it too, so losing that race is no failure.
	if err := s.store.DeleteCode(ctx, c.poolID(), c.user.Key, purpose); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("account: consuming a code of a user of pool %s: %w", c.poolID(), err)
	}
	return &cognitoidp.VerifyUserAttributeResponse{}, nil
}
