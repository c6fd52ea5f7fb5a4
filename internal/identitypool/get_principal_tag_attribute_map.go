package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// GetPrincipalTagAttributeMap shows the attributes-for-access-control map of
// one provider the pool trusts.
func (s *Service) GetPrincipalTagAttributeMap(ctx context.Context, in *cognitoidentity.GetPrincipalTagAttributeMapInput) (*cognitoidentity.GetPrincipalTagAttributeMapResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	provider := *in.IdentityProviderName
	if !principalTagProviders(p.Settings)[provider] {
		return nil, invalid(msgPrincipalTagProvider, provider)
	}
	m := p.Settings.PrincipalTags[provider]
	return &cognitoidentity.GetPrincipalTagAttributeMapResponse{
		IdentityPoolId: ptr(p.Record.ID), IdentityProviderName: ptr(provider),
		UseDefaults: ptr(m.UseDefaults), PrincipalTags: cloneMap(m.Tags),
	}, nil
}
