package users

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminEnableUser enables a disabled user. Enabling an enabled user changes
// nothing.
func (s *Service) AdminEnableUser(ctx context.Context, in *cognitoidp.AdminEnableUserRequest) (*cognitoidp.AdminEnableUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.setEnabled(ctx, *in.UserPoolId, requestName(in.Username), true); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminEnableUserResponse{}, nil
}
