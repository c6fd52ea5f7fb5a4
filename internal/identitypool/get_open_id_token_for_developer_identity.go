package identitypool

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/identitypool/logins"
)

// GetOpenIdTokenForDeveloperIdentity registers (or finds) the identity of a
// user of the pool's developer provider, linking the other logins given, and
// returns its OpenID token (TokenDuration seconds, default 15 minutes)
// carrying PrincipalTags. With IdentityId the logins are linked to that
// identity; a developer user identifier linked elsewhere is
// DeveloperUserAlreadyRegisteredException.
func (s *Service) GetOpenIdTokenForDeveloperIdentity(ctx context.Context, in *cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput) (*cognitoidentity.GetOpenIdTokenForDeveloperIdentityResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	dev := p.Settings.DeveloperProviderName
	if dev == "" {
		return nil, invalid(msgNoDeveloperProvider)
	}
	c, err := s.checkLogins(ctx, p, in.Logins, true)
	if err != nil {
		return nil, err
	}
	hasDev := false
	for _, l := range c.links {
		hasDev = hasDev || l.Kind == logins.KindDeveloper
	}
	if !hasDev {
		return nil, invalid(msgDeveloperLoginMissing, dev)
	}
	identityID := api.Deref(in.IdentityId)
	if identityID != "" {
		i, err := s.getIdentity(ctx, identityID)
		if err != nil {
			return nil, err
		}
		if i.PoolID != p.Record.ID {
			return nil, invalid(msgWrongPoolIdentity, identityID, p.Record.ID)
		}
	}
	if c.identity != nil && c.identity.Subject != identityID {
		return nil, cognitoidentity.NewNotAuthorizedException(msgLoginsDontMatch)
	}
	i, err := s.link(ctx, &linkRequest{pool: p, identityID: identityID, links: c.links, trusted: true, developer: true})
	if err != nil {
		return nil, err
	}
	tags := maps.Clone(in.PrincipalTags)
	for k, v := range principalTags(p.Settings, c.links) {
		if tags == nil {
			tags = map[string]string{}
		}
		if _, ok := tags[k]; !ok {
			tags[k] = v
		}
	}
	seconds := int64(DefaultDeveloperTokenDuration)
	if in.TokenDuration != nil {
		seconds = *in.TokenDuration
	}
	tok, err := s.issuer.Sign(ctx, s.tokenClaims(p, i.ID, amrOf(true, c.links), tags, time.Duration(seconds)*time.Second))
	if err != nil {
		return nil, fmt.Errorf("identitypool: sign a developer identity token: %w", err)
	}
	return &cognitoidentity.GetOpenIdTokenForDeveloperIdentityResponse{IdentityId: ptr(i.ID), Token: ptr(tok)}, nil
}
