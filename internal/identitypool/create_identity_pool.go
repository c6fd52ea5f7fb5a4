package identitypool

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
)

// CreateIdentityPool creates an identity pool with a new "{region}:{uuid}" id.
// Providers are checked for shape (user pool provider names, OIDC and SAML
// provider ARNs, documented login providers); tags are stored under the
// pool's ARN.
func (s *Service) CreateIdentityPool(ctx context.Context, in *cognitoidentity.CreateIdentityPoolInput) (*cognitoidentity.IdentityPool, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if len(in.IdentityPoolTags) > MaxTags {
		return nil, invalid(msgTooManyTags)
	}
	set := &Settings{}
	if err := apply(poolConfig{
		allowUnauthenticated: in.AllowUnauthenticatedIdentities,
		allowClassicFlow:     in.AllowClassicFlow,
		loginProviders:       in.SupportedLoginProviders,
		developerProvider:    in.DeveloperProviderName,
		oidcARNs:             in.OpenIdConnectProviderARNs,
		cognitoProviders:     in.CognitoIdentityProviders,
		samlARNs:             in.SamlProviderARNs,
	}, set); err != nil {
		return nil, err
	}
	n, err := s.store.CountIdentityPools(ctx)
	if err != nil {
		return nil, fmt.Errorf("identitypool: count pools: %w", err)
	}
	if n >= s.maxPools {
		return nil, cognitoidentity.NewLimitExceededException(fmt.Sprintf(msgTooManyPools, s.maxPools))
	}
	b, err := encodeSettings(set)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	rec := &storage.IdentityPool{Name: *in.IdentityPoolName, Settings: b, CreatedAt: now, UpdatedAt: now}
	for range 3 {
		rec.ID = ids.IdentityPoolID(s.region)
		if err = s.store.CreateIdentityPool(ctx, rec); !errors.Is(err, storage.ErrAlreadyExists) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("identitypool: create: %w", err)
	}
	tags := cloneMap(in.IdentityPoolTags)
	if tags == nil {
		tags = map[string]string{}
	}
	if err := s.store.SetTags(ctx, s.arn(rec.ID), tags); err != nil {
		return nil, fmt.Errorf("identitypool: tag %s: %w", rec.ID, err)
	}
	s.log.DebugContext(ctx, "identity pool created", "identityPool", rec.ID)
	return render(&Pool{Record: rec, Settings: set}, tags), nil
}
