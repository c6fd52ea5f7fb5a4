package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// SetPrincipalTagAttributeMap sets the attributes-for-access-control map of
// one provider the pool trusts. UseDefaults with no tags stores the default
// map.
func (s *Service) SetPrincipalTagAttributeMap(ctx context.Context, in *cognitoidentity.SetPrincipalTagAttributeMapInput) (*cognitoidentity.SetPrincipalTagAttributeMapResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	provider := *in.IdentityProviderName
	m := PrincipalTagMap{UseDefaults: deref(in.UseDefaults), Tags: cloneMap(in.PrincipalTags)}
	if len(m.Tags) == 0 {
		m.Tags = nil
		if m.UseDefaults {
			m.Tags = cloneMap(defaultPrincipalTags)
		}
	}
	_, err := s.update(ctx, *in.IdentityPoolId, func(_ *storage.IdentityPool, set *Settings) error {
		if !principalTagProviders(set)[provider] {
			return invalid(msgPrincipalTagProvider, provider)
		}
		if set.PrincipalTags == nil {
			set.PrincipalTags = map[string]PrincipalTagMap{}
		}
		set.PrincipalTags[provider] = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &cognitoidentity.SetPrincipalTagAttributeMapResponse{
		IdentityPoolId: in.IdentityPoolId, IdentityProviderName: ptr(provider),
		UseDefaults: ptr(m.UseDefaults), PrincipalTags: cloneMap(m.Tags),
	}, nil
}
