package resourceservers

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateResourceServer replaces a resource server's name and scopes; scopes
// the request omits are gone afterwards, as Cognito documents.
func (s *Service) UpdateResourceServer(ctx context.Context, in *cognitoidp.UpdateResourceServerRequest) (*cognitoidp.UpdateResourceServerResponse, error) {
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
	rsv := newServer(poolID, id, *in.Name, in.Scopes)
	doc, err := encode(rsv)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	_, err = s.store.UpdateResource(ctx, poolID, resourceKind, id, func(r *storage.Resource) error {
		r.Settings, r.UpdatedAt = doc, now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgNotFound, id))
	}
	if err != nil {
		return nil, fmt.Errorf("resourceservers: updating server %q of %s: %w", id, poolID, err)
	}
	return &cognitoidp.UpdateResourceServerResponse{ResourceServer: rsv}, nil
}
