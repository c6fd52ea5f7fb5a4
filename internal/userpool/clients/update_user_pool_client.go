package clients

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateUserPoolClient replaces a client's configuration. As in Cognito,
// every setting the request leaves out returns to its default; the name is
// kept when the request sends none (unverified), and secrets are untouched.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *cognitoidp.UpdateUserPoolClientRequest) (*cognitoidp.UpdateUserPoolClientResponse, error) {
	poolID, clientID := api.Deref(in.UserPoolId), api.Deref(in.ClientId)
	pool, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	sp := &spec{
		RefreshTokenValidity:                     in.RefreshTokenValidity,
		AccessTokenValidity:                      in.AccessTokenValidity,
		IdTokenValidity:                          in.IdTokenValidity,
		TokenValidityUnits:                       in.TokenValidityUnits,
		ReadAttributes:                           in.ReadAttributes,
		WriteAttributes:                          in.WriteAttributes,
		ExplicitAuthFlows:                        in.ExplicitAuthFlows,
		SupportedIdentityProviders:               in.SupportedIdentityProviders,
		CallbackURLs:                             in.CallbackURLs,
		LogoutURLs:                               in.LogoutURLs,
		DefaultRedirectURI:                       in.DefaultRedirectURI,
		AllowedOAuthFlows:                        in.AllowedOAuthFlows,
		AllowedOAuthScopes:                       in.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient:          in.AllowedOAuthFlowsUserPoolClient,
		AnalyticsConfiguration:                   in.AnalyticsConfiguration,
		PreventUserExistenceErrors:               in.PreventUserExistenceErrors,
		EnableTokenRevocation:                    in.EnableTokenRevocation,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		AuthSessionValidity:                      in.AuthSessionValidity,
		RefreshTokenRotation:                     in.RefreshTokenRotation,
	}
	now := s.clock.Now()
	rec, err := s.store.UpdateClient(ctx, poolID, clientID, func(c *storage.Client) error {
		settings, err := s.buildSettings(ctx, pool, sp, len(c.Secrets) > 0, updating)
		if err != nil {
			return err
		}
		// A registered (DCR) client stays one (unverified).
		if old, err := decodeSettings(c); err == nil && old.ClientType != nil {
			settings.ClientType = old.ClientType
		}
		blob, err := encodeSettings(settings)
		if err != nil {
			return err
		}
		c.Settings = blob
		if in.ClientName != nil {
			c.Name = *in.ClientName
		}
		c.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, storeErr(err, clientID)
	}
	out, err := s.describe(rec)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.UpdateUserPoolClientResponse{UserPoolClient: out}, nil
}
