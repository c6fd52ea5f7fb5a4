// Package limits implements Cognito's API rate limits: GetProvisionedLimit
// and UpdateProvisionedLimit (the rate of each API category, per account),
// and their enforcement: with enforcement on, a request beyond its
// category's rate in the current second is answered TooManyRequestsException
// before it reaches its handler (Check, which the server runs for every User
// Pools operation; Allow for requests outside the API).
//
// Enforcement is off unless configured: a local Cognito that throttles by
// default would only get in the way. Switched on, it lets an application test
// its throttling handling, usually after lowering a category's limit with
// UpdateProvisionedLimit.
//
// Provisioned limits are one account-wide document in the shared meta store
// (key provisionedKey); request counts are shared counters, account-wide in
// the meta store (one document per category: the current second and its
// count) and per pool in the pool's counters (the 5-per-second rule of the
// pool resource and client categories), so several Cogito replicas on one
// database throttle together. The Cognito facts the package relies on, with
// how sure we are of each, are in defaults.go.
package limits

import (
	"context"
	"log/slog"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.SharedMetaStore
	storage.CounterStore
}

// Config holds the service's dependencies. Store is required; a nil Clock is
// the real clock and a nil Logger discards.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Logger *slog.Logger
	// Enforce switches throttling on. Off, Check and Allow always pass (the
	// limits can still be read and changed).
	Enforce bool
}

// Service implements the provisioned-limit operations and enforces the
// limits.
type Service struct {
	store   Store
	clk     clock.Clock
	log     *slog.Logger
	enforce bool
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, clk: cfg.Clock, log: cfg.Logger, enforce: cfg.Enforce}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the provisioned-limit operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.GetProvisionedLimit = s.GetProvisionedLimit
	h.UpdateProvisionedLimit = s.UpdateProvisionedLimit
}

// Enforcing reports whether requests are throttled.
func (s *Service) Enforcing() bool { return s.enforce }

// Limit returns the rate a category is held to now: its provisioned value,
// else its default.
func (s *Service) Limit(ctx context.Context, c Category) (int32, error) {
	p, err := s.provisioned(ctx)
	if err != nil {
		return 0, err
	}
	return p.value(c), nil
}
