// Package risk implements threat protection for the User Pools API:
// SetRiskConfiguration and DescribeRiskConfiguration at pool and app-client
// level, and the checks sign-up, password changes and sign-in run through it
// when the pool's UserPoolAddOns.AdvancedSecurityMode is AUDIT or ENFORCED:
//
//   - compromised credentials: a password is looked up in a breached-password
//     list the operator provides (SHA-1 hashes, the format of public breach
//     corpora), with the configured action per event type;
//   - account takeover: a risk score from what Cogito sees of a sign-in (a
//     new device, a new IP address, recent failed attempts, impossible travel
//     when an IP location table is configured), mapped to Low, Medium or
//     High and to the configured action (BLOCK, MFA_IF_CONFIGURED,
//     MFA_REQUIRED, NO_ACTION) with notification emails;
//   - risk exceptions: IP ranges always allowed or always blocked.
//
// Configurations are storage.Resource documents (Kind "risk-config", ID the
// app client id or ALL). Cognito facts the package relies on are in
// defaults.go.
package risk

import (
	"context"
	"log/slog"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// Store is what the package needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.ResourceStore
}

// Sender sends notification emails (*message.Sender).
type Sender interface {
	Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error
}

// HistoryEntry is one past sign-in of a user, as Assess weighs it.
type HistoryEntry struct {
	Time    time.Time
	Success bool
	IP      string
}

// Config holds the Service's dependencies. Store and Clients are required.
type Config struct {
	Store   Store
	Clients *clients.Service
	// Breached is the breached-password list; nil: no password is known to
	// be compromised.
	Breached *Breached
	// Locations places IP addresses for the impossible-travel signal; nil:
	// the signal is not used.
	Locations *Locations
	// History returns a user's recent sign-ins, newest first (the account
	// family's auth events); nil: no history (every IP is new).
	History func(ctx context.Context, poolID, userKey string) ([]HistoryEntry, error)
	// Sender sends the account-takeover notifications; nil: none are sent.
	Sender Sender
	Clock  clock.Clock
	Logger *slog.Logger
}

// Service implements the risk operations and checks.
type Service struct {
	store     Store
	clients   *clients.Service
	breached  *Breached
	locations *Locations
	history   func(ctx context.Context, poolID, userKey string) ([]HistoryEntry, error)
	sender    Sender
	clock     clock.Clock
	log       *slog.Logger
}

// New returns a Service; it panics when a required dependency is missing.
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Clients == nil {
		panic("risk: Config.Store and Clients are required")
	}
	s := &Service{store: cfg.Store, clients: cfg.Clients, breached: cfg.Breached, locations: cfg.Locations,
		history: cfg.History, sender: cfg.Sender, clock: cfg.Clock, log: cfg.Logger}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the operations this package implements.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.SetRiskConfiguration = s.SetRiskConfiguration
	h.DescribeRiskConfiguration = s.DescribeRiskConfiguration
}

// Mode is the pool's AdvancedSecurityMode: OFF, AUDIT or ENFORCED.
func Mode(up *cognitoidp.UserPoolType) cognitoidp.AdvancedSecurityModeType {
	if up == nil || up.UserPoolAddOns == nil || up.UserPoolAddOns.AdvancedSecurityMode == nil {
		return cognitoidp.AdvancedSecurityModeTypeOff
	}
	return *up.UserPoolAddOns.AdvancedSecurityMode
}
