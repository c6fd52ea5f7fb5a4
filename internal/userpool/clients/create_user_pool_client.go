package clients

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
)

// CreateUserPoolClient creates an app client, with a generated secret when
// GenerateSecret is true or the caller's own ClientSecret.
func (s *Service) CreateUserPoolClient(ctx context.Context, in *cognitoidp.CreateUserPoolClientRequest) (*cognitoidp.CreateUserPoolClientResponse, error) {
	out, err := s.create(ctx, in, ClientTypeRegular)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.CreateUserPoolClientResponse{UserPoolClient: out}, nil
}

// create makes a client of the given ClientType (REGULAR through the API,
// DCR through the registration endpoint); both count toward the quota.
func (s *Service) create(ctx context.Context, in *cognitoidp.CreateUserPoolClientRequest, clientType cognitoidp.ClientTypeType) (*cognitoidp.UserPoolClientType, error) {
	poolID := api.Deref(in.UserPoolId)
	pool, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if in.GenerateSecret && in.ClientSecret != nil {
		return nil, cognitoidp.NewInvalidParameterException(msgSecretAndGenerate)
	}
	hasSecret := in.GenerateSecret || in.ClientSecret != nil
	settings, err := s.buildSettings(ctx, pool, &spec{
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
	}, hasSecret, creating)
	if err != nil {
		return nil, err
	}
	settings.ClientType = api.Ptr(clientType)

	n, err := s.store.CountClients(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("clients: count clients of %s: %w", poolID, err)
	}
	if n >= MaxClientsPerPool {
		return nil, cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooManyClients, poolID))
	}

	now := s.clock.Now()
	blob, err := encodeSettings(settings)
	if err != nil {
		return nil, err
	}
	var secret *Secret
	for attempt := 0; ; attempt++ {
		rec := &storage.Client{
			PoolID:    poolID,
			ID:        ids.ClientID(),
			Name:      api.Deref(in.ClientName),
			Settings:  blob,
			CreatedAt: now,
			UpdatedAt: now,
		}
		if hasSecret {
			value := api.Deref(in.ClientSecret)
			if in.GenerateSecret {
				value = ids.ClientSecret()
			}
			id, created := newSecretID(rec.ID, now, nil)
			secret = &Secret{ID: id, Value: value, CreatedAt: created}
			sealed, err := s.sealSecret(poolID, rec.ID, *secret)
			if err != nil {
				return nil, err
			}
			rec.Secrets = []storage.ClientSecret{sealed}
		}
		err := s.store.CreateClient(ctx, rec)
		if errors.Is(err, storage.ErrAlreadyExists) && attempt < 3 {
			continue // a client id collision: draw another
		}
		if errors.Is(err, storage.ErrNotFound) {
			return nil, poolNotFound(poolID) // the pool went away meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("clients: create client: %w", err)
		}
		out, err := decodeSettings(rec)
		if err != nil {
			return nil, err
		}
		if secret != nil {
			out.ClientSecret = api.Ptr(secret.Value)
		}
		s.log.InfoContext(ctx, "app client created", "pool", poolID, "client", rec.ID, "confidential", hasSecret, "type", clientType)
		return &out, nil
	}
}
