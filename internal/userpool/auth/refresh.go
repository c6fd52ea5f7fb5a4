package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// refreshAuth is REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new ID and access
// tokens of the refresh token's family, no new refresh token.
func (s *Service) refreshAuth(ctx context.Context, c *call, params map[string]string) (*result, error) {
	tok, err := required(params, pRefreshToken)
	if err != nil {
		return nil, err
	}
	// A rotated-out token keeps working for the client's grace period here
	// too; InitiateAuth never rotates.
	_, grace := c.client.RefreshTokenRotationEnabled()
	rec, _, err := s.tokens.UseRefresh(ctx, tok, c.client.ID, false, grace, 0)
	if err != nil {
		return nil, err
	}
	u, err := s.refreshUser(ctx, c, rec)
	if err != nil {
		return nil, err
	}
	if err := checkRefreshSecretHash(c, params, u); err != nil {
		return nil, err
	}
	if err := s.checkRefreshDevice(ctx, c, rec, params[pDeviceKey]); err != nil {
		return nil, err
	}
	auth, err := s.reissue(ctx, c, u, rec)
	if err != nil {
		return nil, err
	}
	return &result{auth: auth}, nil
}

// refreshUser reads the user of a refresh token, who must still exist and
// be allowed to sign in.
func (s *Service) refreshUser(ctx context.Context, c *call, rec *storage.RefreshToken) (*storage.User, error) {
	u, err := s.store.GetUser(ctx, c.poolID(), rec.UserKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: reading the user of a refresh token of pool %s: %w", c.poolID(), err)
	}
	if err := stateError(u); err != nil {
		return nil, err
	}
	return u, nil
}

// checkRefreshDevice checks a refresh token issued to a device (its
// sign-in issued or authenticated one): the request must name that device
// (DEVICE_KEY, or GetTokensFromRefreshToken's DeviceKey) and the user must
// still have it; a forgotten device's tokens stop working (defaults.go).
func (s *Service) checkRefreshDevice(ctx context.Context, c *call, rec *storage.RefreshToken, given string) error {
	if rec.DeviceKey == "" {
		return nil
	}
	if given != rec.DeviceKey {
		return cognitoidp.NewNotAuthorizedException(msgRefreshInvalid)
	}
	if s.refreshDevice == nil {
		return nil
	}
	ok, err := s.refreshDevice(ctx, c.poolID(), rec.UserKey, rec.DeviceKey)
	if err != nil {
		return fmt.Errorf("auth: checking the device of a refresh token of pool %s: %w", c.poolID(), err)
	}
	if !ok {
		return cognitoidp.NewNotAuthorizedException(msgRefreshInvalid)
	}
	return nil
}

// checkRefreshSecretHash checks SECRET_HASH of a refresh for a client with a
// secret: computed over the internal username, the sub or the USERNAME the
// request names (defaults.go).
func checkRefreshSecretHash(c *call, params map[string]string, u *storage.User) error {
	if !c.client.HasSecret() {
		return nil
	}
	given, ok := params[pSecretHash]
	if !ok || given == "" {
		return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgSecretNotReceived, c.client.ID))
	}
	names := []string{u.Username, u.Sub}
	if n := params[pUsername]; n != "" {
		names = append(names, n)
	}
	for _, n := range names {
		if signup.CheckSecretHash(c.client, n, &given) == nil {
			return nil
		}
	}
	return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgSecretMismatch, c.client.ID))
}

// checkClientSecret checks GetTokensFromRefreshToken's ClientSecret.
func checkClientSecret(c *call, given *string) error {
	if !c.client.HasSecret() {
		return nil
	}
	if given == nil || *given == "" {
		return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgSecretNotReceived, c.client.ID))
	}
	if !c.client.SecretMatches(*given) {
		return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgClientSecretMismatch, c.client.ID))
	}
	return nil
}
