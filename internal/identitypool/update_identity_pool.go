package identitypool

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateIdentityPool replaces a pool's name and configuration: members the
// request omits take their defaults (lists and maps empty, AllowClassicFlow
// false), except DeveloperProviderName, which once set stays and cannot
// change. Roles, role mappings and principal-tag maps are kept. Tags are
// replaced only when IdentityPoolTags is present.
func (s *Service) UpdateIdentityPool(ctx context.Context, in *cognitoidentity.IdentityPool) (*cognitoidentity.IdentityPool, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if len(in.IdentityPoolTags) > MaxTags {
		return nil, invalid(msgTooManyTags)
	}
	id := *in.IdentityPoolId
	p, err := s.update(ctx, id, func(rec *storage.IdentityPool, set *Settings) error {
		rec.Name = *in.IdentityPoolName
		return apply(poolConfig{
			allowUnauthenticated: in.AllowUnauthenticatedIdentities,
			allowClassicFlow:     in.AllowClassicFlow,
			loginProviders:       in.SupportedLoginProviders,
			developerProvider:    in.DeveloperProviderName,
			oidcARNs:             in.OpenIdConnectProviderARNs,
			cognitoProviders:     in.CognitoIdentityProviders,
			samlARNs:             in.SamlProviderARNs,
		}, set)
	})
	if err != nil {
		return nil, err
	}
	if in.IdentityPoolTags != nil {
		arn := s.arn(id)
		cur, err := s.tags(ctx, id)
		if err != nil {
			return nil, err
		}
		var drop []string
		for k := range cur {
			if _, ok := in.IdentityPoolTags[k]; !ok {
				drop = append(drop, k)
			}
		}
		if err := s.store.RemoveTags(ctx, arn, slices.Sorted(slices.Values(drop))); err != nil {
			return nil, fmt.Errorf("identitypool: untag %s: %w", id, err)
		}
		if err := s.store.SetTags(ctx, arn, maps.Clone(in.IdentityPoolTags)); err != nil {
			return nil, fmt.Errorf("identitypool: tag %s: %w", id, err)
		}
	}
	tags, err := s.tags(ctx, id)
	if err != nil {
		return nil, err
	}
	return render(p, tags), nil
}
