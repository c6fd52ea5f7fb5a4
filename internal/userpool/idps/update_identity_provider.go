package idps

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// UpdateIdentityProvider changes what the request gives of a provider: its
// details (replaced, then checked and completed as on create), attribute
// mapping, IdP identifiers and ACR mapping. The type and name cannot change.
func (s *Service) UpdateIdentityProvider(ctx context.Context, in *cognitoidp.UpdateIdentityProviderRequest) (*cognitoidp.UpdateIdentityProviderResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.ProviderName
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	if isCognito(name) {
		return nil, cognitoidp.NewUnsupportedIdentityProviderException(fmt.Sprintf(msgUnsupported, name))
	}
	cur, err := s.get(ctx, poolID, name)
	if err != nil {
		return nil, err
	}
	typ := *cur.ProviderType
	next := cur.Clone()
	next.ProviderDetails = maps.Clone(cur.ProviderDetails)
	if in.ProviderDetails != nil {
		if next.ProviderDetails, err = s.details(ctx, typ, in.ProviderDetails, cur.ProviderDetails); err != nil {
			return nil, err
		}
	}
	if in.AttributeMapping != nil {
		schema := attrs.FromPool(up)
		if next.AttributeMapping, err = checkMapping(typ, in.AttributeMapping, func(a string) bool { _, ok := schema.Def(a); return ok }); err != nil {
			return nil, err
		}
	}
	if in.AcrMapping != nil {
		next.AcrMapping = maps.Clone(in.AcrMapping)
	}
	var added, dropped []string
	if in.IdpIdentifiers != nil {
		if err := checkIdentifiers(in.IdpIdentifiers); err != nil {
			return nil, err
		}
		next.IdpIdentifiers = append([]string{}, in.IdpIdentifiers...)
		if added, err = s.addIdentifiers(ctx, poolID, name, next.IdpIdentifiers, cur.IdpIdentifiers); err != nil {
			return nil, err
		}
		for _, id := range cur.IdpIdentifiers {
			if !slices.Contains(next.IdpIdentifiers, id) {
				dropped = append(dropped, id)
			}
		}
	}
	now := s.clock.Now()
	next.LastModifiedDate = api.NewTime(now)
	doc, err := encode(next)
	if err != nil {
		s.removeIdentifiers(ctx, poolID, added)
		return nil, err
	}
	_, err = s.store.UpdateResource(ctx, poolID, kindProvider, name, func(r *storage.Resource) error {
		r.Settings, r.UpdatedAt = doc, now
		return nil
	})
	if err != nil {
		s.removeIdentifiers(ctx, poolID, added)
		if errors.Is(err, storage.ErrNotFound) {
			return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgNotFound, name))
		}
		return nil, fmt.Errorf("idps: updating provider %q of %s: %w", name, poolID, err)
	}
	s.removeIdentifiers(ctx, poolID, dropped)
	return &cognitoidp.UpdateIdentityProviderResponse{IdentityProvider: shown(next)}, nil
}
