package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteUser deletes the signed-in user and everything kept for it, after
// revoking the user's tokens. The answer is {}.
func (s *Service) DeleteUser(ctx context.Context, in *cognitoidp.DeleteUserRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.begin(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.revokeUser(ctx, c.poolID(), c.user.Key); err != nil {
		return nil, err
	}
	err = s.store.DeleteUser(ctx, c.poolID(), c.user.Key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("account: deleting a user of pool %s: %w", c.poolID(), err)
	}
	return &api.Empty{}, nil
}
