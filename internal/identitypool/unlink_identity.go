package identitypool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UnlinkIdentity removes logins of the providers in LoginsToRemove from an
// identity; Logins must hold a valid login of that identity. An identity left
// without logins becomes disabled ("inaccessible").
func (s *Service) UnlinkIdentity(ctx context.Context, in *cognitoidentity.UnlinkIdentityInput) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	i, err := s.getIdentity(ctx, *in.IdentityId)
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
	c, err := s.checkLogins(ctx, p, in.Logins, false)
	if err != nil {
		return nil, err
	}
	authorized := c.identity != nil && c.identity.Subject == i.ID && c.identity.Identity.Authenticated()
	for _, l := range c.links {
		authorized = authorized || hasLogin(i, l)
	}
	if !authorized {
		return nil, cognitoidentity.NewNotAuthorizedException(msgLoginsDontMatch)
	}
	dev := p.Settings.DeveloperProviderName
	remove := map[string]bool{}
	for _, name := range in.LoginsToRemove {
		if dev != "" && name == dev {
			return nil, invalid(msgUnlinkDeveloper)
		}
		remove[canonicalProvider(p, name)] = true
	}
	_, err = s.identities.UpdateIdentity(ctx, i.ID, func(n *storage.Identity) error {
		before := len(n.Logins)
		n.Logins = slices.DeleteFunc(n.Logins, func(l storage.IdentityLogin) bool { return remove[l.Provider] })
		if len(n.Logins) == before {
			return storage.ErrSkip
		}
		if len(n.Logins) == 0 {
			n.Disabled = true
		}
		n.UpdatedAt = s.clock.Now()
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, identityNotFound(i.ID)
	}
	if err != nil {
		return nil, passThrough(err, "unlink logins of %s", i.ID)
	}
	return &api.Empty{}, nil
}

// canonicalProvider names a user pool the pool trusts by its canonical
// provider name whichever form was given (AWS's, or a Cogito issuer without
// its scheme, as Amplify builds it).
func canonicalProvider(p *Pool, name string) string {
	for _, c := range p.Settings.CognitoProviders {
		if m := userPoolProviderName.FindStringSubmatch(c.ProviderName); m != nil && strings.HasSuffix(name, "/"+m[2]) {
			return c.ProviderName
		}
	}
	return name
}
