package groups

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminListGroupsForUser pages through the groups a user belongs to, by
// name. The user may be named by username, alias or sub.
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *cognitoidp.AdminListGroupsForUserRequest) (*cognitoidp.AdminListGroupsForUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	n, err := pageLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	up, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	u, err := s.lookupUser(ctx, up, *in.Username)
	if err != nil {
		return nil, err
	}
	// The token is bound to the user's key, not to the name used: a page
	// token from a listing by email continues a listing by username.
	scope := []string{"AdminListGroupsForUser", poolID, u.Key}
	p, err := page(scope, n, in.NextToken)
	if err != nil {
		return nil, err
	}
	gs, next, err := s.store.ListGroupsForUser(ctx, poolID, u.Key, p)
	if err != nil {
		return nil, listErr(err, "list groups of a user of "+poolID)
	}
	out := &cognitoidp.AdminListGroupsForUserResponse{Groups: make([]cognitoidp.GroupType, 0, len(gs)), NextToken: nextToken(scope, next)}
	for _, g := range gs {
		out.Groups = append(out.Groups, GroupType(g))
	}
	return out, nil
}
