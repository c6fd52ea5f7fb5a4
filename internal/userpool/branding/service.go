// Package branding implements the look of the hosted pages: the hosted UI
// (classic) customization of the User Pools API (SetUICustomization,
// GetUICustomization: CSS and a logo per app client or for the whole pool)
// and managed login branding styles (CreateManagedLoginBranding,
// DescribeManagedLoginBranding, DescribeManagedLoginBrandingByClient,
// UpdateManagedLoginBranding, DeleteManagedLoginBranding). The hosted pages
// read them with Effective and StyleForClient; LogoHandler serves the logos.
//
// Storage (storage.ResourceStore): a UI customization is a Resource of kind
// "ui-customization" with ID the client id or ALL; a style is a Resource of
// kind "managed-login-branding" with ID its id and LookupKey
// "{poolId}/{clientId}" (one per client). Cognito facts are in defaults.go.
package branding

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.ClientStore
	storage.ResourceStore
}

// Config holds the service's dependencies. Store is required; BaseURL is
// where clients reach Cogito (for ImageUrl); a nil Clock is the real clock
// and a nil Logger discards.
type Config struct {
	Store   Store
	Clock   clock.Clock
	Logger  *slog.Logger
	BaseURL string
}

// Service implements the branding operations.
type Service struct {
	store   Store
	clock   clock.Clock
	log     *slog.Logger
	baseURL string
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, baseURL: strings.TrimSuffix(cfg.BaseURL, "/")}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the branding operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.SetUICustomization = s.SetUICustomization
	h.GetUICustomization = s.GetUICustomization
	h.CreateManagedLoginBranding = s.CreateManagedLoginBranding
	h.DescribeManagedLoginBranding = s.DescribeManagedLoginBranding
	h.DescribeManagedLoginBrandingByClient = s.DescribeManagedLoginBrandingByClient
	h.UpdateManagedLoginBranding = s.UpdateManagedLoginBranding
	h.DeleteManagedLoginBranding = s.DeleteManagedLoginBranding
}

// checkPool answers ResourceNotFoundException for a pool that does not exist.
func (s *Service) checkPool(ctx context.Context, poolID string) error {
	_, err := pools.Get(ctx, s.store, poolID)
	return err
}

// checkClient answers ResourceNotFoundException for a client the pool does
// not have.
func (s *Service) checkClient(ctx context.Context, poolID, clientID string) error {
	_, err := s.store.GetClient(ctx, poolID, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgClientNotFound, clientID))
	}
	if err != nil {
		return fmt.Errorf("branding: reading client %s of %s: %w", clientID, poolID, err)
	}
	return nil
}

// uiClient is the UI customization's client id: ALL when absent.
func uiClient(clientID *string) string {
	if id := api.Deref(clientID); id != "" {
		return id
	}
	return ALL
}
