package groups

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AdminAddUserToGroup makes a user a member of a group. The user may be named
// by username, alias or sub as Cognito accepts them; adding a member again
// changes nothing. A user already in MaxGroupsPerUser groups cannot join
// another.
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *cognitoidp.AdminAddUserToGroupRequest) (*api.Empty, error) {
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
	if err := s.checkUserQuota(ctx, poolID, u.Key, name); err != nil {
		return nil, err
	}
	err = s.store.AddUserToGroup(ctx, poolID, name, u.Key)
	if errors.Is(err, storage.ErrNotFound) {
		// The group or the user went away meanwhile: say which.
		if _, gerr := s.getGroup(ctx, poolID, name); gerr != nil {
			return nil, gerr
		}
		return nil, userNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("groups: add user to group %q of %s: %w", name, poolID, err)
	}
	return &api.Empty{}, nil
}

// checkUserQuota refuses a new membership for a user who already belongs to
// MaxGroupsPerUser groups (re-adding an existing membership is allowed).
func (s *Service) checkUserQuota(ctx context.Context, poolID, userKey, group string) error {
	gs, _, err := s.store.ListGroupsForUser(ctx, poolID, userKey, storage.Page{Limit: s.maxUserGroups})
	if err != nil {
		return fmt.Errorf("groups: count groups of a user of %s: %w", poolID, err)
	}
	if len(gs) < s.maxUserGroups {
		return nil
	}
	for _, g := range gs {
		if g.Name == group {
			return nil
		}
	}
	return cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooManyGroupsForUser, s.maxUserGroups))
}
