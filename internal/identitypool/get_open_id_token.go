package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// GetOpenIdToken returns an identity's OpenID token (valid 10 minutes), for
// the basic flow's AssumeRoleWithWebIdentity; the pool must allow the basic
// flow and have no role mappings.
func (s *Service) GetOpenIdToken(ctx context.Context, in *cognitoidentity.GetOpenIdTokenInput) (*cognitoidentity.GetOpenIdTokenResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	g, err := s.authorize(ctx, *in.IdentityId, in.Logins, func(p *Pool) error {
		if !p.Settings.AllowClassicFlow {
			return invalid(msgClassicFlowDisabled)
		}
		if len(p.Settings.RoleMappings) > 0 {
			return invalid(msgClassicFlowRoleMappings)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tok, err := s.issuer.Sign(ctx, s.tokenClaims(g.pool, g.identity.ID, g.amr, g.sessionTags(), OpenIDTokenValidity))
	if err != nil {
		return nil, err
	}
	return &cognitoidentity.GetOpenIdTokenResponse{IdentityId: ptr(g.identity.ID), Token: ptr(tok)}, nil
}
