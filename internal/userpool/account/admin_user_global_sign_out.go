package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminUserGlobalSignOut revokes every token of a user named by username or
// any alias Cognito accepts in its place.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *cognitoidp.AdminUserGlobalSignOutRequest) (*cognitoidp.AdminUserGlobalSignOutResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	_, _, u, err := s.findUser(ctx, api.Deref(in.UserPoolId), api.Deref(in.Username))
	if err != nil {
		return nil, err
	}
	if err := s.revokeUser(ctx, u.PoolID, u.Key); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminUserGlobalSignOutResponse{}, nil
}
