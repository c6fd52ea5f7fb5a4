package identitypool

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteIdentityPool deletes a pool (with everything the store scopes to it)
// and its tags.
func (s *Service) DeleteIdentityPool(ctx context.Context, in *cognitoidentity.DeleteIdentityPoolInput) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id := *in.IdentityPoolId
	switch err := s.store.DeleteIdentityPool(ctx, id); {
	case errors.Is(err, storage.ErrNotFound):
		return nil, notFound(id)
	case err != nil:
		return nil, fmt.Errorf("identitypool: delete %s: %w", id, err)
	}
	if err := s.store.DeleteAllTags(ctx, s.arn(id)); err != nil {
		return nil, fmt.Errorf("identitypool: delete tags of %s: %w", id, err)
	}
	s.log.DebugContext(ctx, "identity pool deleted", "identityPool", id)
	return &api.Empty{}, nil
}
