package identitypool

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UnlinkDeveloperIdentity removes a developer user identifier from an
// identity of the pool; an identity left without logins becomes disabled.
func (s *Service) UnlinkDeveloperIdentity(ctx context.Context, in *cognitoidentity.UnlinkDeveloperIdentityInput) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	dev := p.Settings.DeveloperProviderName
	if dev == "" || *in.DeveloperProviderName != dev {
		return nil, invalid(msgDeveloperProviderMismatch, *in.DeveloperProviderName)
	}
	id, userID := *in.IdentityId, *in.DeveloperUserIdentifier
	login := storage.IdentityLogin{Provider: dev, Subject: userID}
	_, err = s.identities.UpdateIdentity(ctx, id, func(n *storage.Identity) error {
		if n.PoolID != p.Record.ID {
			return identityNotFound(id)
		}
		i := slices.Index(n.Logins, login)
		if i < 0 {
			return cognitoidentity.NewResourceNotFoundException(fmt.Sprintf(msgDeveloperLoginNotLinked, userID, id))
		}
		n.Logins = slices.Delete(n.Logins, i, i+1)
		if len(n.Logins) == 0 {
			n.Disabled = true
		}
		n.UpdatedAt = s.clock.Now()
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, identityNotFound(id)
	}
	if err != nil {
		return nil, passThrough(err, "unlink developer user of %s", id)
	}
	return &api.Empty{}, nil
}
