package idps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// GetIdentityProviderByIdentifier returns the provider that has an IdP
// identifier.
func (s *Service) GetIdentityProviderByIdentifier(ctx context.Context, in *cognitoidp.GetIdentityProviderByIdentifierRequest) (*cognitoidp.GetIdentityProviderByIdentifierResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, id := *in.UserPoolId, *in.IdpIdentifier
	if _, err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	p, err := ByIdentifier(ctx, s.store, poolID, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgIdentifierNotFound, id))
	}
	if err != nil {
		return nil, fmt.Errorf("idps: finding identifier %q of %s: %w", id, poolID, err)
	}
	return &cognitoidp.GetIdentityProviderByIdentifierResponse{IdentityProvider: shown(p)}, nil
}
