package groups

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// ListUsersInGroup pages through a group's members, each shown as ListUsers
// shows users (every attribute, and MFAOptions when Config.MFAOptions is set).
func (s *Service) ListUsersInGroup(ctx context.Context, in *cognitoidp.ListUsersInGroupRequest) (*cognitoidp.ListUsersInGroupResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	n, err := pageLimit(in.Limit)
	if err != nil {
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
	scope := []string{"ListUsersInGroup", poolID, name}
	p, err := page(scope, n, in.NextToken)
	if err != nil {
		return nil, err
	}
	us, next, err := s.store.ListUsersInGroup(ctx, poolID, name, p)
	if err != nil {
		return nil, listErr(err, "list users in group of "+poolID)
	}
	out := &cognitoidp.ListUsersInGroupResponse{Users: make([]cognitoidp.UserType, 0, len(us)), NextToken: nextToken(scope, next)}
	for _, u := range us {
		ut := users.UserType(u, nil)
		if s.mfaOptions != nil {
			if ut.MFAOptions, err = s.mfaOptions(ctx, up, u); err != nil {
				return nil, fmt.Errorf("groups: MFA options of a user of %s: %w", poolID, err)
			}
		}
		out.Users = append(out.Users, ut)
	}
	return out, nil
}
