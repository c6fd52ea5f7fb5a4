package auth

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// GetTokensFromRefreshToken issues new ID and access tokens for a refresh
// token (unsigned; Amplify ≥ 6.15.4 refreshes this way). With the client's
// RefreshTokenRotation enabled it also returns a new refresh token, and the
// presented one stops working after RetryGracePeriodSeconds.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, in *cognitoidp.GetTokensFromRefreshTokenRequest) (*cognitoidp.GetTokensFromRefreshTokenResponse, error) {
	c, err := s.publicCall(ctx, api.Deref(in.ClientId), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	if err := c.checkFlow(cognitoidp.AuthFlowTypeRefreshTokenAuth); err != nil {
		return nil, err
	}
	if err := checkClientSecret(c, in.ClientSecret); err != nil {
		return nil, err
	}
	tok := api.Deref(in.RefreshToken)
	rotate, grace := c.client.RefreshTokenRotationEnabled()
	rec, _, err := s.tokens.UseRefresh(ctx, tok, c.client.ID, false, grace, 0)
	if err != nil {
		return nil, err
	}
	u, err := s.refreshUser(ctx, c, rec)
	if err != nil {
		return nil, err
	}
	if err := s.checkRefreshDevice(ctx, c, rec, api.Deref(in.DeviceKey)); err != nil {
		return nil, err
	}
	// Rotate only once the user may have tokens, so a refused refresh
	// changes nothing.
	next := ""
	if rotate {
		if rec, next, err = s.tokens.UseRefresh(ctx, tok, c.client.ID, true, grace, c.client.RefreshTokenValidity()); err != nil {
			return nil, err
		}
	}
	auth, err := s.reissue(ctx, c, u, rec)
	if err != nil {
		return nil, err
	}
	if next != "" {
		auth.RefreshToken = api.Ptr(next)
	}
	return &cognitoidp.GetTokensFromRefreshTokenResponse{AuthenticationResult: auth}, nil
}
