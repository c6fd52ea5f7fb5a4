package groups

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateGroup changes the Description, RoleArn and Precedence the request
// carries and keeps the others (see defaults.go); LastModifiedDate becomes
// now. The group's name cannot change.
func (s *Service) UpdateGroup(ctx context.Context, in *cognitoidp.UpdateGroupRequest) (*cognitoidp.UpdateGroupResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.GroupName
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	g, err := s.store.UpdateGroup(ctx, poolID, name, func(g *storage.Group) error {
		if in.Description != nil {
			g.Description = clonePtr(in.Description)
		}
		if in.RoleArn != nil {
			g.RoleARN = clonePtr(in.RoleArn)
		}
		if in.Precedence != nil {
			g.Precedence = clonePtr(in.Precedence)
		}
		g.UpdatedAt = now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, groupNotFound()
	}
	if err != nil {
		return nil, passThrough(err, "update group %q of %s", name, poolID)
	}
	return &cognitoidp.UpdateGroupResponse{Group: api.Ptr(GroupType(g))}, nil
}
