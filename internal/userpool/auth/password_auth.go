package auth

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// passwordAuth signs a user in with USERNAME and PASSWORD
// (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH).
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
		return nil, c.unknownUser()
	}
	if err != nil {
		return nil, err
	}
	failures, err := s.precheck(ctx, c, u)
	if err != nil {
		return nil, err
	}
	creds, err := credentials(u)
	if err != nil {
		return nil, err
	}
	if creds == nil || !creds.Matches(u.PoolID, u.Username, pw) {
		return nil, s.wrongPassword(ctx, c, u)
	}
	return s.passwordVerified(ctx, c, c.attempt(u, flow, params), creds, failures)
}
