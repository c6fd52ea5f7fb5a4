package idps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// CreateIdentityProvider adds an external identity provider (OIDC, SAML or a
// social provider) to a pool, with its details checked per type, the members
// Cognito computes added, its attribute mapping and IdP identifiers.
func (s *Service) CreateIdentityProvider(ctx context.Context, in *cognitoidp.CreateIdentityProviderRequest) (*cognitoidp.CreateIdentityProviderResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, name, typ := *in.UserPoolId, *in.ProviderName, *in.ProviderType
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	if err := checkName(name, typ); err != nil {
		return nil, err
	}
	duplicate := cognitoidp.NewDuplicateProviderException(fmt.Sprintf(msgDuplicate, name, poolID))
	if ok, err := Exists(ctx, s.store, poolID, name); err != nil {
		return nil, err
	} else if ok {
		return nil, duplicate
	}
	n, err := s.store.CountResources(ctx, poolID, kindProvider, "")
	if err != nil {
		return nil, fmt.Errorf("idps: counting providers of %s: %w", poolID, err)
	}
	if n >= s.maxProviders {
		return nil, cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooManyProviders, s.maxProviders))
	}
	schema := attrs.FromPool(up)
	mapping, err := checkMapping(typ, in.AttributeMapping, func(a string) bool { _, ok := schema.Def(a); return ok })
	if err != nil {
		return nil, err
	}
	if err := checkIdentifiers(in.IdpIdentifiers); err != nil {
		return nil, err
	}
	details, err := s.details(ctx, typ, in.ProviderDetails, nil)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	p := &cognitoidp.IdentityProviderType{
		UserPoolId: api.Ptr(poolID), ProviderName: api.Ptr(name), ProviderType: api.Ptr(typ),
		ProviderDetails: details, AttributeMapping: mapping,
		IdpIdentifiers: append([]string{}, in.IdpIdentifiers...), AcrMapping: in.AcrMapping,
		CreationDate: api.NewTime(now), LastModifiedDate: api.NewTime(now),
	}
	doc, err := encode(p)
	if err != nil {
		return nil, err
	}
	added, err := s.addIdentifiers(ctx, poolID, name, p.IdpIdentifiers, nil)
	if err != nil {
		return nil, err
	}
	err = s.store.CreateResource(ctx, &storage.Resource{PoolID: poolID, Kind: kindProvider, ID: name, Settings: doc, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		s.removeIdentifiers(ctx, poolID, added)
		switch {
		case errors.Is(err, storage.ErrAlreadyExists):
			return nil, duplicate
		case errors.Is(err, storage.ErrNotFound):
			_, err := s.checkPool(ctx, poolID)
			return nil, err
		}
		return nil, fmt.Errorf("idps: creating provider %q in %s: %w", name, poolID, err)
	}
	if err := s.addIdentitiesAttribute(ctx, poolID); err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "identity provider created", "pool", poolID, "provider", name, "type", typ)
	return &cognitoidp.CreateIdentityProviderResponse{IdentityProvider: shown(p)}, nil
}

// checkName applies Cognito's naming rules: a social provider is named after
// its type, no other provider may take a social type's name, and the pool's
// own directory's name is reserved.
func checkName(name string, typ cognitoidp.IdentityProviderTypeType) error {
	if isCognito(name) {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgReservedName, name))
	}
	if slices.Contains(socialTypes, typ) && name != string(typ) {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgSocialName, name, typ))
	}
	if !slices.Contains(socialTypes, typ) && slices.Contains(socialTypes, cognitoidp.IdentityProviderTypeType(name)) {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgSocialName, name, typ))
	}
	return nil
}

// checkIdentifiers refuses an identifier given twice.
func checkIdentifiers(ids []string) error {
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDuplicateIdentifier, id))
		}
		seen[id] = true
	}
	return nil
}

// addIdentifiers claims the identifiers not in keep for provider name and
// returns the ones it created. An identifier another provider of the pool
// holds undoes the claims and answers InvalidParameterException.
func (s *Service) addIdentifiers(ctx context.Context, poolID, name string, ids, keep []string) ([]string, error) {
	var added []string
	for _, id := range ids {
		if slices.Contains(keep, id) {
			continue
		}
		doc, _ := json.Marshal(identifierDoc{ProviderName: name})
		now := s.clock.Now()
		err := s.store.CreateResource(ctx, &storage.Resource{PoolID: poolID, Kind: kindIdentifier, ID: id,
			LookupKey: identifierKey(poolID, id), Settings: doc, CreatedAt: now, UpdatedAt: now})
		if err != nil {
			s.removeIdentifiers(ctx, poolID, added)
			switch {
			case errors.Is(err, storage.ErrAlreadyExists):
				return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDuplicateIdentifier, id))
			case errors.Is(err, storage.ErrNotFound):
				_, err := s.checkPool(ctx, poolID)
				return nil, err
			}
			return nil, fmt.Errorf("idps: claiming identifier %q in %s: %w", id, poolID, err)
		}
		added = append(added, id)
	}
	return added, nil
}

// removeIdentifiers releases identifiers (best effort: a leftover claim is
// logged, and would only make the identifier look taken).
func (s *Service) removeIdentifiers(ctx context.Context, poolID string, ids []string) {
	for _, id := range ids {
		if err := s.store.DeleteResource(ctx, poolID, kindIdentifier, id); err != nil && !errors.Is(err, storage.ErrNotFound) {
			s.log.ErrorContext(ctx, "releasing an IdP identifier", "pool", poolID, "identifier", id, "err", err)
		}
	}
}

// addIdentitiesAttribute adds the "identities" attribute to the pool's schema
// if it does not have it yet, as Cognito does with its first provider.
func (s *Service) addIdentitiesAttribute(ctx context.Context, poolID string) error {
	_, err := s.store.UpdatePool(ctx, poolID, func(p *storage.UserPool) error {
		var up cognitoidp.UserPoolType
		if err := json.Unmarshal(p.Settings, &up); err != nil {
			return fmt.Errorf("idps: decoding pool %s: %w", poolID, err)
		}
		for _, a := range up.SchemaAttributes {
			if api.Deref(a.Name) == attrs.Identities {
				return storage.ErrSkip
			}
		}
		up.SchemaAttributes = append(up.SchemaAttributes, pools.IdentitiesAttribute())
		b, err := json.Marshal(&up)
		if err != nil {
			return fmt.Errorf("idps: encoding pool %s: %w", poolID, err)
		}
		p.Settings = b
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("idps: adding the identities attribute to %s: %w", poolID, err)
	}
	return nil
}
