// Package clients implements the app-client resource family of the User Pools
// API: CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
// DeleteUserPoolClient, ListUserPoolClients and the client secret operations
// AddUserPoolClientSecret, DeleteUserPoolClientSecret and
// ListUserPoolClientSecrets.
//
// A client is stored as a storage.Client whose Settings is the JSON of
// cognitoidp.UserPoolClientType with every default applied and without the
// record's own columns (ids, name, dates) or any secret. Secrets live in
// storage.Client.Secrets, sealed with the keys.Sealer and bound by associated
// data to their pool, client and secret id. Lookup gives later features
// (sign-in, OAuth) the decoded configuration and plaintext secrets.
//
// Cognito facts the package relies on, with how sure we are of each, are in
// defaults.go.
package clients

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Config holds the service's dependencies.
type Config struct {
	Store     storage.Store
	Sealer    *keys.Sealer
	Clock     clock.Clock
	Region    string
	AccountID string
	Logger    *slog.Logger

	// ProviderExists reports whether the pool has an identity provider of that
	// name (for SupportedIdentityProviders). Until the identity-provider family
	// supplies it, nil means the pool has none: only COGNITO is accepted.
	ProviderExists func(ctx context.Context, poolID, name string) (bool, error)
	// ScopeExists reports whether a custom scope ("{resourceServer}/{scope}")
	// is defined in the pool (for AllowedOAuthScopes). Until the resource-server
	// family supplies it, nil accepts every well-formed custom scope.
	ScopeExists func(ctx context.Context, poolID, scope string) (bool, error)
}

// Service implements the app-client operations.
type Service struct {
	store          storage.Store
	sealer         *keys.Sealer
	clock          clock.Clock
	region         string
	accountID      string
	log            *slog.Logger
	providerExists func(ctx context.Context, poolID, name string) (bool, error)
	scopeExists    func(ctx context.Context, poolID, scope string) (bool, error)
}

// New returns a Service. A nil Clock is the real clock; a nil Logger discards.
func New(cfg Config) *Service {
	s := &Service{
		store:          cfg.Store,
		sealer:         cfg.Sealer,
		clock:          cfg.Clock,
		region:         cfg.Region,
		accountID:      cfg.AccountID,
		log:            cfg.Logger,
		providerExists: cfg.ProviderExists,
		scopeExists:    cfg.ScopeExists,
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the app-client operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateUserPoolClient = s.CreateUserPoolClient
	h.DescribeUserPoolClient = s.DescribeUserPoolClient
	h.UpdateUserPoolClient = s.UpdateUserPoolClient
	h.DeleteUserPoolClient = s.DeleteUserPoolClient
	h.ListUserPoolClients = s.ListUserPoolClients
	h.AddUserPoolClientSecret = s.AddUserPoolClientSecret
	h.DeleteUserPoolClientSecret = s.DeleteUserPoolClientSecret
	h.ListUserPoolClientSecrets = s.ListUserPoolClientSecrets
}

// poolNotFound is the error for a pool id that names no pool.
func poolNotFound(poolID string) error {
	return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgPoolNotFound, poolID))
}

// clientNotFound is the error for a client id that names no client of the pool.
func clientNotFound(clientID string) error {
	return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgClientNotFound, clientID))
}

// loadPool reads and decodes the pool, or returns ResourceNotFoundException.
func (s *Service) loadPool(ctx context.Context, poolID string) (*poolInfo, error) {
	p, err := s.store.GetPool(ctx, poolID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, poolNotFound(poolID)
	}
	if err != nil {
		return nil, fmt.Errorf("clients: get pool %s: %w", poolID, err)
	}
	return decodePool(p)
}

// poolExists checks the pool without decoding its settings.
func (s *Service) poolExists(ctx context.Context, poolID string) error {
	_, err := s.store.GetPool(ctx, poolID)
	if errors.Is(err, storage.ErrNotFound) {
		return poolNotFound(poolID)
	}
	if err != nil {
		return fmt.Errorf("clients: get pool %s: %w", poolID, err)
	}
	return nil
}

// getClient reads the pool's client, checking the pool first so a missing pool
// and a missing client give their own messages.
func (s *Service) getClient(ctx context.Context, poolID, clientID string) (*storage.Client, error) {
	if err := s.poolExists(ctx, poolID); err != nil {
		return nil, err
	}
	c, err := s.store.GetClient(ctx, poolID, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, clientNotFound(clientID)
	}
	if err != nil {
		return nil, fmt.Errorf("clients: get client %s: %w", clientID, err)
	}
	return c, nil
}

// storeErr maps the store's sentinels met while changing an existing client.
func storeErr(err error, clientID string) error {
	var conflict *storage.ConflictError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, storage.ErrNotFound):
		return clientNotFound(clientID)
	case errors.As(err, &conflict):
		return cognitoidp.NewConcurrentModificationException(msgConcurrentUpdate)
	}
	return err
}
