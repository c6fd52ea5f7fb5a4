package groups

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// CreateGroup adds a group to a pool. GroupName is unique in the pool
// (GroupExistsException); Description, RoleArn and Precedence are optional
// and stay unset when absent. The model's constraints (name 1–128 printable
// characters, RoleArn in ARN shape, Precedence ≥ 0) are checked first.
func (s *Service) CreateGroup(ctx context.Context, in *cognitoidp.CreateGroupRequest) (*cognitoidp.CreateGroupResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.GroupName
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if _, err := s.store.GetGroup(ctx, poolID, name); err == nil {
		return nil, cognitoidp.NewGroupExistsException(fmt.Sprintf(msgGroupExists, name))
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("groups: get group %q of %s: %w", name, poolID, err)
	}
	if err := s.checkPoolQuota(ctx, poolID); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	g := &storage.Group{
		PoolID:      poolID,
		Name:        name,
		Description: clonePtr(in.Description),
		RoleARN:     clonePtr(in.RoleArn),
		Precedence:  clonePtr(in.Precedence),
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	switch err := s.store.CreateGroup(ctx, g); {
	case errors.Is(err, storage.ErrAlreadyExists):
		return nil, cognitoidp.NewGroupExistsException(fmt.Sprintf(msgGroupExists, name))
	case errors.Is(err, storage.ErrNotFound):
		// The pool went away meanwhile.
		return nil, s.checkPool(ctx, poolID)
	case err != nil:
		return nil, fmt.Errorf("groups: create group %q in %s: %w", name, poolID, err)
	}
	s.log.DebugContext(ctx, "group created", "pool", poolID, "group", name)
	return &cognitoidp.CreateGroupResponse{Group: api.Ptr(GroupType(g))}, nil
}

// checkPoolQuota refuses a new group when the pool already has
// MaxGroupsPerPool of them.
func (s *Service) checkPoolQuota(ctx context.Context, poolID string) error {
	n, tok := 0, ""
	for {
		gs, next, err := s.store.ListGroups(ctx, poolID, storage.Page{Token: tok, Limit: s.maxPoolGroups - n})
		if err != nil {
			return fmt.Errorf("groups: count groups of %s: %w", poolID, err)
		}
		n += len(gs)
		if n >= s.maxPoolGroups {
			return cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooManyGroups, s.maxPoolGroups))
		}
		if next == "" {
			return nil
		}
		tok = next
	}
}
