package branding

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteManagedLoginBranding deletes a style and its client binding.
func (s *Service) DeleteManagedLoginBranding(ctx context.Context, in *cognitoidp.DeleteManagedLoginBrandingRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, id := *in.UserPoolId, *in.ManagedLoginBrandingId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	err := s.store.DeleteResource(ctx, poolID, kindStyle, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgBrandingNotFound, id))
	}
	if err != nil {
		return nil, fmt.Errorf("branding: deleting style %s of %s: %w", id, poolID, err)
	}
	return &api.Empty{}, nil
}
