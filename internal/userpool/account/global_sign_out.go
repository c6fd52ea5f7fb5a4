package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// GlobalSignOut revokes every token of the signed-in user: the refresh
// tokens stop refreshing and the access tokens stop authorizing
// token-authorized operations ("Access Token has been revoked").
func (s *Service) GlobalSignOut(ctx context.Context, in *cognitoidp.GlobalSignOutRequest) (*cognitoidp.GlobalSignOutResponse, error) {
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
	return &cognitoidp.GlobalSignOutResponse{}, nil
}
