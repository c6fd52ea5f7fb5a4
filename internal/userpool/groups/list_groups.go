package groups

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// ListGroups pages through a pool's groups by name. NextToken is opaque and
// stable: groups created or deleted between pages neither repeat nor hide
// the groups that were there all along.
func (s *Service) ListGroups(ctx context.Context, in *cognitoidp.ListGroupsRequest) (*cognitoidp.ListGroupsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	n, err := pageLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	scope := []string{"ListGroups", poolID}
	p, err := page(scope, n, in.NextToken)
	if err != nil {
		return nil, err
	}
	gs, next, err := s.store.ListGroups(ctx, poolID, p)
	if err != nil {
		return nil, listErr(err, "list groups of "+poolID)
	}
	out := &cognitoidp.ListGroupsResponse{Groups: make([]cognitoidp.GroupType, 0, len(gs)), NextToken: nextToken(scope, next)}
	for _, g := range gs {
		out.Groups = append(out.Groups, GroupType(g))
	}
	return out, nil
}
