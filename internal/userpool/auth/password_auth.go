package auth

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// passwordAuth signs a user in with USERNAME and PASSWORD
// (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH). A name
// the pool does not know goes to the user migration trigger, which may
// create the user with this password (migrate.go).
func (s *Service) passwordAuth(ctx context.Context, c *call, flow cognitoidp.AuthFlowType, params map[string]string) (*result, error) {
	name, err := required(params, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(params, name); err != nil {
		return nil, err
	}
	pw, err := required(params, pPassword)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, c, name)
	if errors.Is(err, storage.ErrNotFound) {
		if u, err = s.migrateOnSignIn(ctx, c, name, pw); err != nil {
			return nil, err
		}
		if u == nil {
			if c.hideExistence() {
				if err := s.preAuthentication(ctx, c, nil, name); err != nil {
					return nil, err
				}
			}
			return nil, c.unknownUser()
		}
	}
	if err != nil {
		return nil, err
	}
	failures, err := s.precheck(ctx, c, u)
	if err != nil {
		return nil, err
	}
	if err := s.preAuthentication(ctx, c, u, name); err != nil {
		return nil, err
	}
	creds, err := credentials(u)
	if err != nil {
		return nil, err
	}
	if creds == nil || !creds.Matches(u.PoolID, u.Username, pw) {
		return nil, s.wrongPassword(ctx, c, u)
	}
	if creds, err = s.upgradeImported(ctx, c, u, creds, pw); err != nil {
		return nil, err
	}
	return s.passwordVerified(ctx, c, c.attempt(u, flow, params), creds, failures, pw)
}
