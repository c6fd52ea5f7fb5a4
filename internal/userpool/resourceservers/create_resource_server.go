package resourceservers

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// CreateResourceServer adds a resource server and its custom scopes to a
// pool. The identifier is unique in the pool.
func (s *Service) CreateResourceServer(ctx context.Context, in *cognitoidp.CreateResourceServerRequest) (*cognitoidp.CreateResourceServerResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, id := *in.UserPoolId, *in.Identifier
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if err := checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	exists := cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgExists, id, poolID))
	if _, err := s.store.GetResource(ctx, poolID, resourceKind, id); err == nil {
		return nil, exists
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("resourceservers: reading server %q of %s: %w", id, poolID, err)
	}
	n, err := s.store.CountResources(ctx, poolID, resourceKind, "")
	if err != nil {
		return nil, fmt.Errorf("resourceservers: counting servers of %s: %w", poolID, err)
	}
	if n >= s.maxServers {
		return nil, cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooMany, s.maxServers))
	}
	rsv := newServer(poolID, id, *in.Name, in.Scopes)
	doc, err := encode(rsv)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	switch err := s.store.CreateResource(ctx, &storage.Resource{PoolID: poolID, Kind: resourceKind, ID: id, Settings: doc, CreatedAt: now, UpdatedAt: now}); {
	case errors.Is(err, storage.ErrAlreadyExists):
		return nil, exists
	case errors.Is(err, storage.ErrNotFound):
		return nil, s.checkPool(ctx, poolID)
	case err != nil:
		return nil, fmt.Errorf("resourceservers: creating server %q in %s: %w", id, poolID, err)
	}
	s.log.DebugContext(ctx, "resource server created", "pool", poolID, "identifier", id)
	return &cognitoidp.CreateResourceServerResponse{ResourceServer: rsv}, nil
}
