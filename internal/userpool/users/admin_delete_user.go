package users

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AdminDeleteUser deletes a user and everything kept for it (aliases, group
// memberships, codes).
func (s *Service) AdminDeleteUser(ctx context.Context, in *cognitoidp.AdminDeleteUserRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, _, _, err := s.Find(ctx, *in.UserPoolId, requestName(in.Username))
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteUser(ctx, u.PoolID, u.Key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, userNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("users: deleting a user of pool %s: %w", u.PoolID, err)
	}
	return &api.Empty{}, nil
}
