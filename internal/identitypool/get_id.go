package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// GetId returns the identity of the Logins given, creating it (or linking
// new logins to it) as needed; without logins it creates a guest identity,
// when the pool allows unauthenticated identities.
func (s *Service) GetId(ctx context.Context, in *cognitoidentity.GetIdInput) (*cognitoidentity.GetIdResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	c, err := s.checkLogins(ctx, p, in.Logins, false)
	if err != nil {
		return nil, err
	}
	if c.identity != nil {
		// An identity token names its identity already.
		if len(c.links) == 0 {
			i, err := s.getIdentity(ctx, c.identity.Subject)
			if err != nil {
				return nil, err
			}
			return &cognitoidentity.GetIdResponse{IdentityId: ptr(i.ID)}, nil
		}
		i, err := s.link(ctx, &linkRequest{pool: p, identityID: c.identity.Subject, links: c.links, trusted: true})
		if err != nil {
			return nil, err
		}
		return &cognitoidentity.GetIdResponse{IdentityId: ptr(i.ID)}, nil
	}
	if len(c.links) == 0 {
		if !p.Settings.AllowUnauthenticated {
			return nil, cognitoidentity.NewNotAuthorizedException(msgUnauthNotSupported)
		}
		i, err := s.newIdentity(ctx, p.Record.ID, nil)
		if err != nil {
			return nil, err
		}
		return &cognitoidentity.GetIdResponse{IdentityId: ptr(i.ID)}, nil
	}
	i, err := s.link(ctx, &linkRequest{pool: p, links: c.links})
	if err != nil {
		return nil, err
	}
	return &cognitoidentity.GetIdResponse{IdentityId: ptr(i.ID)}, nil
}
