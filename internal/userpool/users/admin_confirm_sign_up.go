package users

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AdminConfirmSignUp confirms an UNCONFIRMED user without a code; any other
// status is NotAuthorizedException "User cannot be confirmed. Current status
// is X". The user's pending sign-up code is discarded.
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *cognitoidp.AdminConfirmSignUpRequest) (*cognitoidp.AdminConfirmSignUpResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, schema, _, err := s.Find(ctx, *in.UserPoolId, requestName(in.Username))
	if err != nil {
		return nil, err
	}
	now := s.clk.Now()
	u, err = s.update(ctx, schema, u, func(cur *storage.User) error {
		if cur.Status != string(cognitoidp.UserStatusTypeUnconfirmed) {
			return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgCannotConfirm, cur.Status))
		}
		cur.Status = string(cognitoidp.UserStatusTypeConfirmed)
		cur.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteCode(ctx, u.PoolID, u.Key, message.PurposeSignUp)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("users: discarding the sign-up code of a user of pool %s: %w", u.PoolID, err)
	}
	if err := s.postConfirmation(ctx, u, in.ClientMetadata); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminConfirmSignUpResponse{}, nil
}
