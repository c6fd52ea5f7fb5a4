package groups

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteGroup removes a group and every membership in it; the group's
// members keep their accounts and other groups.
func (s *Service) DeleteGroup(ctx context.Context, in *cognitoidp.DeleteGroupRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.GroupName
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	err := s.store.DeleteGroup(ctx, poolID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, groupNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("groups: delete group %q of %s: %w", name, poolID, err)
	}
	s.log.DebugContext(ctx, "group deleted", "pool", poolID, "group", name)
	return &api.Empty{}, nil
}
