// Package signup implements the self-service (unsigned) operations of the
// User Pools API that create and recover accounts: SignUp, ConfirmSignUp,
// ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword.
//
// Users are storage.User records; their attributes, usernames and aliases
// follow internal/userpool/attrs, their credentials internal/password, and
// codes are made, kept (hashed, in the CodeStore) and sent with
// internal/message. Per-user hourly limits are counted in the CodeStore so
// several replicas agree. The Cognito facts the package relies on are in
// defaults.go.
//
// SecretHash and CheckSecretHash are exported for the sign-in operations.
package signup

import (
	"context"
	"log/slog"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// Store is what the package needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.CodeStore
}

// Sender records and delivers a rendered message (*message.Sender).
type Sender interface {
	Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error
}

// Config holds the Service's dependencies. Store, Clients and Sender are
// required.
type Config struct {
	Store   Store
	Clients *clients.Service
	Sender  Sender
	Clock   clock.Clock
	Logger  *slog.Logger

	// Hooks are the Lambda triggers of these operations; nil members are
	// triggers the pool does not call.
	Hooks Hooks

	// ConfirmLinkURL returns the URL a CONFIRM_WITH_LINK sign-up email
	// points to (the managed login's confirmUser page, code included). Nil:
	// a path relative to the server, DefaultConfirmLinkURL.
	ConfirmLinkURL func(ctx context.Context, poolID, clientID, username, code string) string

	// SignInSession returns the Session ConfirmSignUp answers (and SignUp,
	// for a user confirmed at once), with which the user signs in by
	// InitiateAuth USER_AUTH without credentials (the auth family's
	// SignInSession): username is the internal username, factor what proved
	// the user ("EMAIL_OTP" / "SMS_OTP" for the confirmation code, "PASSWORD"
	// for a password). "" means no session. Nil: no Session is returned.
	SignInSession func(ctx context.Context, poolID, clientID, username, factor string) (string, error)

	// CheckPassword is threat protection's compromised-credentials check of
	// a password a user chooses through app client clientID: SignUp's
	// (event SIGN_UP) and ConfirmForgotPassword's (PASSWORD_CHANGE). An error
	// refuses the password and is answered as it is. Nil: no check.
	CheckPassword func(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, password string) error

	// MigrateUser runs the pool's user migration trigger
	// (UserMigration_ForgotPassword) for a name ForgotPassword does not find,
	// and returns the user it created (the auth family's MigrateUser); nil
	// when the function knows no such user. Nil: no migration.
	MigrateUser func(ctx context.Context, poolID, clientID, name string, metadata map[string]string) (*storage.User, error)
}

// Service implements the self-service sign-up and recovery operations.
type Service struct {
	store   Store
	clients *clients.Service
	sender  Sender
	clock   clock.Clock
	log     *slog.Logger
	hooks   Hooks
	linkURL func(ctx context.Context, poolID, clientID, username, code string) string
	signIn  func(ctx context.Context, poolID, clientID, username, factor string) (string, error)
	// checkPw and migrate are Config.CheckPassword and Config.MigrateUser.
	checkPw func(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, password string) error
	migrate func(ctx context.Context, poolID, clientID, name string, metadata map[string]string) (*storage.User, error)
}

// New returns a Service. A nil Clock is the real clock; a nil Logger discards.
func New(cfg Config) *Service {
	s := &Service{
		store:   cfg.Store,
		clients: cfg.Clients,
		sender:  cfg.Sender,
		clock:   cfg.Clock,
		log:     cfg.Logger,
		hooks:   cfg.Hooks,
		linkURL: cfg.ConfirmLinkURL,
		signIn:  cfg.SignInSession,
		checkPw: cfg.CheckPassword,
		migrate: cfg.MigrateUser,
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.linkURL == nil {
		s.linkURL = func(_ context.Context, poolID, clientID, username, code string) string {
			return DefaultConfirmLinkURL(clientID, username, code)
		}
	}
	return s
}

// signInSession asks the SignInSession hook for the Session a confirmed
// user signs in with; a failure only costs the Session (the user is
// confirmed), so it is logged, not answered.
func (s *Service) signInSession(ctx context.Context, c *call, username, factor string) *string {
	if s.signIn == nil {
		return nil
	}
	sess, err := s.signIn(ctx, c.poolID(), c.client.ID, username, factor)
	if err != nil {
		s.log.WarnContext(ctx, "no sign-in session after sign-up", "pool", c.poolID(), "err", err)
		return nil
	}
	if sess == "" {
		return nil
	}
	return &sess
}

// Register fills the handlers of the operations this package implements.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.SignUp = s.SignUp
	h.ConfirmSignUp = s.ConfirmSignUp
	h.ResendConfirmationCode = s.ResendConfirmationCode
	h.ForgotPassword = s.ForgotPassword
	h.ConfirmForgotPassword = s.ConfirmForgotPassword
}

// checkCompromised runs Config.CheckPassword, if any, on a password the
// user of call c chose.
func (s *Service) checkCompromised(ctx context.Context, c *call, event cognitoidp.EventFilterType, pw string) error {
	if s.checkPw == nil {
		return nil
	}
	return s.checkPw(ctx, c.pool, c.client.ID, event, pw)
}
