// Package mfa implements multi-factor authentication for the User Pools
// API: the pool's MFA and passkey configuration (SetUserPoolMfaConfig,
// GetUserPoolMfaConfig), the user's MFA settings (SetUserMFAPreference,
// AdminSetUserMFAPreference and the legacy SetUserSettings,
// AdminSetUserSettings), software tokens (AssociateSoftwareToken,
// VerifySoftwareToken), and what sign-in asks after a password: the
// auth.NextStep that issues and checks the SMS_MFA, EMAIL_OTP,
// SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE and MFA_SETUP challenges and drives
// the remembered-device steps (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER,
// NewDeviceMetadata) through the Devices interface.
//
// The pool's configuration is split between the pool's document and a
// per-pool resource (config.go); a user's state is their member of the
// user's Settings document (user.go); software-token secrets are sealed at
// rest (software_token.go). Sign-in state travels sealed in the sign-in
// Session (nextstep.go), codes only as hashes. The Cognito facts the package
// relies on, with how sure we are of each, are in defaults.go.
package mfa

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// Store is what the package needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.CounterStore
	storage.ResourceStore
}

// Sender records and delivers a rendered message (*message.Sender).
type Sender interface {
	Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error
}

// Accounts checks the access token of a token-authorized operation
// (*account.Service): the rule lives once, in the account family.
type Accounts interface {
	Authenticate(ctx context.Context, accessToken *string) (*account.Caller, error)
}

// Sessions opens and replaces the sign-in Sessions AssociateSoftwareToken
// and VerifySoftwareToken take during MFA_SETUP (*auth.Service).
type Sessions interface {
	OpenChallengeSession(ctx context.Context, raw string, challenge cognitoidp.ChallengeNameType) (*auth.ChallengeSession, error)
	ReplaceChallengeSession(ctx context.Context, raw string, challenge cognitoidp.ChallengeNameType, data []byte) (string, error)
}

// CustomMessage lets the custom message Lambda trigger (trigger source
// CustomMessage_Authentication) rewrite an MFA code message; the answer's
// empty members keep the pool's text.
type CustomMessage func(ctx context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error)

// Config holds the Service's dependencies. Store, Sender, Sealer and
// Accounts are required; Sessions is required for the Session forms of
// AssociateSoftwareToken and VerifySoftwareToken (it may be given after New
// with UseSessions, as the sign-in service that provides it needs this one
// first); the rest is optional.
type Config struct {
	Store    Store
	Sender   Sender
	Sealer   *keys.Sealer // derives the key software-token secrets are sealed with
	Accounts Accounts
	Sessions Sessions
	// Devices gives sign-in its device steps; nil: no DEVICE_SRP_AUTH and
	// no NewDeviceMetadata.
	Devices Devices
	// CustomMessage rewrites code messages; nil: the pool's templates.
	CustomMessage CustomMessage
	Clock         clock.Clock
	Logger        *slog.Logger
}

// Service implements the MFA operations and the sign-in NextStep.
type Service struct {
	store         Store
	sender        Sender
	accounts      Accounts
	sessions      Sessions
	devices       Devices
	customMessage CustomMessage
	clock         clock.Clock
	log           *slog.Logger
	totpKey       []byte
}

// New returns a Service. It panics when a required dependency is missing
// (a wiring mistake).
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Sender == nil || cfg.Sealer == nil || cfg.Accounts == nil {
		panic("mfa: Config.Store, Sender, Sealer and Accounts are required")
	}
	s := &Service{
		store:         cfg.Store,
		sender:        cfg.Sender,
		accounts:      cfg.Accounts,
		sessions:      cfg.Sessions,
		devices:       cfg.Devices,
		customMessage: cfg.CustomMessage,
		clock:         cfg.Clock,
		log:           cfg.Logger,
		totpKey:       cfg.Sealer.DeriveKey(purposeTOTP),
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// UseSessions gives the Service the sign-in Sessions after New (wiring
// only: call it before serving).
func (s *Service) UseSessions(sessions Sessions) { s.sessions = sessions }

// Register fills the handlers of the operations this package implements.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.SetUserPoolMfaConfig = s.SetUserPoolMfaConfig
	h.GetUserPoolMfaConfig = s.GetUserPoolMfaConfig
	h.SetUserMFAPreference = s.SetUserMFAPreference
	h.AdminSetUserMFAPreference = s.AdminSetUserMFAPreference
	h.SetUserSettings = s.SetUserSettings
	h.AdminSetUserSettings = s.AdminSetUserSettings
	h.AssociateSoftwareToken = s.AssociateSoftwareToken
	h.VerifySoftwareToken = s.VerifySoftwareToken
}

var _ auth.NextStep = (*Service)(nil)

// adminUser loads a pool and the user a name designates (the username or
// an alias Cognito accepts in its place): an unknown pool is
// ResourceNotFoundException, an unknown user UserNotFoundException.
func (s *Service) adminUser(ctx context.Context, poolID, name string) (*cognitoidp.UserPoolType, *storage.User, error) {
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, nil, err
	}
	u, err := attrs.FromPool(up).Lookup(ctx, s.store, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("mfa: looking up a user of pool %s: %w", poolID, err)
	}
	return up, u, nil
}

// updateState applies fn to the user's MFA state in a compare-and-swap
// update of the user (fn may run more than once and gets the fresh record).
// A user deleted meanwhile is UserNotFoundException, a lost race
// ConcurrentModificationException; a Cognito error from fn is returned as
// it is.
func (s *Service) updateState(ctx context.Context, u *storage.User, fn func(u *storage.User, st *userState) error) (*storage.User, error) {
	out, err := s.store.UpdateUser(ctx, u.PoolID, u.Key, func(fresh *storage.User) error {
		st, err := loadState(fresh)
		if err != nil {
			return err
		}
		if err := fn(fresh, st); err != nil {
			return err
		}
		if err := saveState(fresh, st); err != nil {
			return err
		}
		fresh.UpdatedAt = s.clock.Now()
		return nil
	})
	if err == nil {
		return out, nil
	}
	if _, ok := awserr.As(err); ok {
		return nil, err
	}
	var ce *storage.ConflictError
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	case errors.As(err, &ce):
		return nil, cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
	}
	return nil, fmt.Errorf("mfa: updating a user of pool %s: %w", u.PoolID, err)
}
