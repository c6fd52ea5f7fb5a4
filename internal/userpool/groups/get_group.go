package groups

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// GetGroup returns one group of a pool.
func (s *Service) GetGroup(ctx context.Context, in *cognitoidp.GetGroupRequest) (*cognitoidp.GetGroupResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	g, err := s.getGroup(ctx, poolID, *in.GroupName)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.GetGroupResponse{Group: api.Ptr(GroupType(g))}, nil
}
