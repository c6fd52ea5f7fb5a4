package identitypool

import (
	"context"
	"fmt"
	"maps"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/identitypool/logins"
	"github.com/cogito-dev/cogito/internal/storage"
)

// grant is who an identity call (GetCredentialsForIdentity, GetOpenIdToken)
// speaks for, once its logins are verified and linked.
type grant struct {
	pool          *Pool
	identity      *storage.Identity
	authenticated bool
	// links decide the role and principal tags.
	links []*logins.Login
	amr   []string
	// tags came with an identity token (developer principal tags).
	tags map[string]string
}

// authorize resolves an identity call: the identity must exist and be
// enabled; a guest needs a pool that allows guests; an authenticated
// identity needs one of its logins (or its own identity token); new logins
// are linked (a guest is upgraded). precheck runs on the pool before the
// logins are verified.
func (s *Service) authorize(ctx context.Context, identityID string, in map[string]string, precheck func(*Pool) error) (*grant, error) {
	i, err := s.getIdentity(ctx, identityID)
	if err != nil {
		return nil, err
	}
	if i.Disabled {
		return nil, cognitoidentity.NewNotAuthorizedException(fmt.Sprintf(msgIdentityForbidden, i.ID))
	}
	p, err := Load(ctx, s.store, i.PoolID)
	if err != nil {
		return nil, err
	}
	if precheck != nil {
		if err := precheck(p); err != nil {
			return nil, err
		}
	}
	c, err := s.checkLogins(ctx, p, in, false)
	if err != nil {
		return nil, err
	}
	if c.identity != nil && c.identity.Subject != i.ID {
		return nil, cognitoidentity.NewNotAuthorizedException(msgLoginsDontMatch)
	}
	switch {
	case len(c.links) > 0:
		j, err := s.link(ctx, &linkRequest{pool: p, identityID: i.ID, links: c.links, trusted: c.identity != nil})
		if err != nil {
			return nil, err
		}
		g := &grant{pool: p, identity: j, authenticated: true, links: c.links, amr: amrOf(true, c.links)}
		if c.identity != nil {
			g.tags = c.identity.Identity.PrincipalTags
		}
		return g, nil
	case c.identity != nil:
		claims := c.identity.Identity
		if !claims.Authenticated() && !p.Settings.AllowUnauthenticated {
			return nil, cognitoidentity.NewNotAuthorizedException(msgUnauthNotSupported)
		}
		return &grant{pool: p, identity: i, authenticated: claims.Authenticated(), amr: claims.AMR, tags: claims.PrincipalTags}, nil
	}
	if len(i.Logins) > 0 {
		return nil, cognitoidentity.NewNotAuthorizedException(msgLoginsDontMatch)
	}
	if !p.Settings.AllowUnauthenticated {
		return nil, cognitoidentity.NewNotAuthorizedException(msgUnauthNotSupported)
	}
	return &grant{pool: p, identity: i, amr: amrOf(false, nil)}, nil
}

// sessionTags are the principal tags of a grant: those its identity token
// carried, then those the pool's maps draw from its logins.
func (g *grant) sessionTags() map[string]string {
	out := maps.Clone(g.tags)
	for k, v := range principalTags(g.pool.Settings, g.links) {
		if out == nil {
			out = map[string]string{}
		}
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}
