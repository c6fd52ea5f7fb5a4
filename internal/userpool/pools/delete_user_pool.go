package pools

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// DeleteUserPool deletes a pool unless deletion protection is active. The
// store removes everything scoped to the pool (clients, keys, ...); its tags
// are removed here and its cached keys dropped.
func (s *Service) DeleteUserPool(ctx context.Context, in *cognitoidp.DeleteUserPoolRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	p, err := s.getPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	up, err := Decode(p)
	if err != nil {
		return nil, err
	}
	if api.Deref(up.DeletionProtection) == cognitoidp.DeletionProtectionTypeActive {
		return nil, cognitoidp.NewInvalidParameterException(msgDeletionProtected)
	}
	if s.beforeDelete != nil {
		if err := s.beforeDelete(ctx, poolID); err != nil {
			return nil, err
		}
	}
	if err := s.store.DeletePool(ctx, poolID); err != nil {
		return nil, storeErr(err, poolID, "deleting pool")
	}
	if err := s.store.DeleteAllTags(ctx, s.arn(poolID)); err != nil {
		// The pool is gone; leftover tags are invisible (every tag operation
		// checks the pool first) and a later pool never gets the same id.
		s.log.ErrorContext(ctx, "removing tags of deleted user pool", "pool", poolID, "err", err)
	}
	decoded.forget(poolID)
	if s.keys != nil {
		s.keys.Forget(poolID)
	}
	s.log.InfoContext(ctx, "user pool deleted", "pool", poolID)
	return &api.Empty{}, nil
}
