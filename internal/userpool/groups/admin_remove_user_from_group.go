package groups

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminRemoveUserFromGroup ends a user's membership of a group. The group and
// the user must exist; a user who is not a member is no error.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *cognitoidp.AdminRemoveUserFromGroupRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.GroupName
	up, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if _, err := s.getGroup(ctx, poolID, name); err != nil {
		return nil, err
	}
	u, err := s.lookupUser(ctx, up, *in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.store.RemoveUserFromGroup(ctx, poolID, name, u.Key); err != nil {
		return nil, fmt.Errorf("groups: remove user from group %q of %s: %w", name, poolID, err)
	}
	return &api.Empty{}, nil
}
