package users

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AdminDisableUser disables a user: sign-in is refused ("User is disabled.")
// and, through the Config.Disabled hook, the user's tokens are revoked.
// Disabling a disabled user changes nothing.
func (s *Service) AdminDisableUser(ctx context.Context, in *cognitoidp.AdminDisableUserRequest) (*cognitoidp.AdminDisableUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, err := s.setEnabled(ctx, *in.UserPoolId, requestName(in.Username), false)
	if err != nil {
		return nil, err
	}
	if s.disabled != nil {
		if err := s.disabled(ctx, u.PoolID, u); err != nil {
			return nil, fmt.Errorf("users: revoking tokens of a disabled user of pool %s: %w", u.PoolID, err)
		}
	}
	return &cognitoidp.AdminDisableUserResponse{}, nil
}

// setEnabled sets a user's Enabled flag and returns the user.
func (s *Service) setEnabled(ctx context.Context, poolID, name string, enabled bool) (*storage.User, error) {
	u, schema, _, err := s.Find(ctx, poolID, name)
	if err != nil {
		return nil, err
	}
	if u.Enabled == enabled {
		return u, nil
	}
	now := s.clk.Now()
	return s.update(ctx, schema, u, func(cur *storage.User) error {
		if cur.Enabled == enabled {
			return storage.ErrSkip
		}
		cur.Enabled = enabled
		cur.UpdatedAt = now
		return nil
	})
}
