package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/identitypool/creds"
)

// GetCredentialsForIdentity returns temporary AWS credentials for an
// identity (the enhanced flow): the role comes from the pool's roles and
// role mappings, the session tags from its principal-tag maps, and the
// credentials from the configured source (minted, or STS).
func (s *Service) GetCredentialsForIdentity(ctx context.Context, in *cognitoidentity.GetCredentialsForIdentityInput) (*cognitoidentity.GetCredentialsForIdentityResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	g, err := s.authorize(ctx, *in.IdentityId, in.Logins, nil)
	if err != nil {
		return nil, err
	}
	role, err := chooseRole(g.pool.Settings, g.authenticated, g.links, api.Deref(in.CustomRoleArn))
	if err != nil {
		return nil, err
	}
	tags := g.sessionTags()
	id := g.identity.ID
	c, err := s.creds.Credentials(ctx, &creds.Request{
		PoolID: g.pool.Record.ID, IdentityID: id, RoleARN: role, PrincipalTags: tags,
		Authenticated: g.authenticated, AMR: g.amr,
		WebIdentityToken: func(ctx context.Context) (string, error) {
			return s.issuer.Sign(ctx, s.tokenClaims(g.pool, id, g.amr, tags, OpenIDTokenValidity))
		},
	})
	if err != nil {
		return nil, err
	}
	return &cognitoidentity.GetCredentialsForIdentityResponse{
		IdentityId: ptr(id),
		Credentials: &cognitoidentity.Credentials{
			AccessKeyId: ptr(c.AccessKeyID), SecretKey: ptr(c.SecretKey), SessionToken: ptr(c.SessionToken),
			Expiration: api.NewTime(c.Expiration),
		},
	}, nil
}
