package resourceservers

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteResourceServer removes a resource server; its scopes are no longer
// granted.
func (s *Service) DeleteResourceServer(ctx context.Context, in *cognitoidp.DeleteResourceServerRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, id := *in.UserPoolId, *in.Identifier
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	err := s.store.DeleteResource(ctx, poolID, resourceKind, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgNotFound, id))
	}
	if err != nil {
		return nil, fmt.Errorf("resourceservers: deleting server %q of %s: %w", id, poolID, err)
	}
	s.log.DebugContext(ctx, "resource server deleted", "pool", poolID, "identifier", id)
	return &api.Empty{}, nil
}
