package idps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteIdentityProvider removes a provider and frees its IdP identifiers.
func (s *Service) DeleteIdentityProvider(ctx context.Context, in *cognitoidp.DeleteIdentityProviderRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.ProviderName
	if _, err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if isCognito(name) {
		return nil, cognitoidp.NewUnsupportedIdentityProviderException(fmt.Sprintf(msgUnsupported, name))
	}
	p, err := s.get(ctx, poolID, name)
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteResource(ctx, poolID, kindProvider, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgNotFound, name))
	}
	if err != nil {
		return nil, fmt.Errorf("idps: deleting provider %q of %s: %w", name, poolID, err)
	}
	s.removeIdentifiers(ctx, poolID, p.IdpIdentifiers)
	s.log.InfoContext(ctx, "identity provider deleted", "pool", poolID, "provider", name)
	return &api.Empty{}, nil
}
