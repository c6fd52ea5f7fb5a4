// Package auth implements sign-in for the User Pools API: InitiateAuth,
// AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge and
// GetTokensFromRefreshToken, as Amazon Cognito answers them.
//
// Flows: USER_SRP_AUTH (the PASSWORD_VERIFIER exchange of internal/srp, its
// whole server state sealed in SECRET_BLOCK so the answer needs no Session),
// USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and its legacy name
// ADMIN_NO_SRP_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN, the
// NEW_PASSWORD_REQUIRED challenge of users with a temporary password, and
// choice-based sign-in (USER_AUTH): SELECT_CHALLENGE among the first factors
// the user can use (PASSWORD, PASSWORD_SRP, EMAIL_OTP and SMS_OTP one-time
// passwords, WEB_AUTHN passkeys through the Passkeys interface), and sign-in
// straight after sign-up with the Session ConfirmSignUp returns
// (SignInSession makes it). GetUserAuthFactors lists a user's factors.
// CUSTOM_AUTH runs the pool's define, create and verify auth challenge
// triggers over CUSTOM_CHALLENGE rounds, with or without an SRP password
// check first (custom_auth.go).
//
// The pool's other sign-in triggers run through the Triggers hook: pre
// authentication before the first factor is checked, post authentication
// before tokens, user migration for an unknown name signing in with a
// plaintext password (and, through MigrateUser, in ForgotPassword); the
// pre token generation trigger is told each token's source. Threat
// protection (the Risk hook) assesses a sign-in once its first factor
// passed: it may refuse it, demand MFA of the NextStep hook, and notify the
// user (risk.go). A user imported with a password hash gets an SRP verifier
// at the first plaintext sign-in (imported.go).
//
// After a first factor is verified, the NextStep hook (MFA, devices) decides
// whether tokens are issued or another challenge follows; its challenges are
// answered through the same hook. Sessions are opaque, sealed with a key
// every replica derives from the master key, valid for the app client's
// AuthSessionValidity and good for one successful step. Failed sign-ins are
// counted in the store (lockout), and every sign-in attempt is recorded as an
// auth event when the pool keeps them.
//
// The Cognito facts the package relies on are in defaults.go.
package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// Store is what the package needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.CounterStore
	// CodeStore keeps the state of custom authentication rounds too large
	// for their Session (custom_auth.go).
	storage.CodeStore
}

// Tokens mints and refreshes tokens (*token.Service).
type Tokens interface {
	Issue(ctx context.Context, sub token.Subject, v token.Validity, withRefresh bool) (*token.Issued, error)
	Reissue(ctx context.Context, sub token.Subject, v token.Validity) (*token.Issued, error)
	UseRefresh(ctx context.Context, refreshToken, clientID string, rotate bool, grace, refreshValidity time.Duration) (*storage.RefreshToken, string, error)
}

// Groups gives the group claims of a user's tokens (*groups.Service).
type Groups interface {
	ClaimsFor(ctx context.Context, poolID, userKey string) (groups []string, roles []string, preferredRole string, err error)
}

// Events records auth events for AdminListUserAuthEvents (*account.Service).
// It returns the event's id ("" when the pool keeps no events), which the
// tokens carry as event_id.
type Events interface {
	RecordEvent(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, e account.Event) (string, error)
}

// Sender records and delivers a rendered message (*message.Sender).
type Sender interface {
	Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error
}

// Config holds the Service's dependencies. Store, Clients, Tokens and Sealer
// are required.
type Config struct {
	Store   Store
	Clients *clients.Service
	Tokens  Tokens
	// Sealer derives the keys of SECRET_BLOCK ("srp-state"), sessions
	// ("auth-session") and simulated SRP answers ("srp-simulated").
	Sealer *keys.Sealer
	// Groups gives group claims; nil: tokens carry none.
	Groups Groups
	// Events records sign-in attempts; nil: none are recorded.
	Events Events
	// NextStep decides what follows a verified password (MFA, devices);
	// nil: tokens are issued at once.
	NextStep NextStep
	// RefreshDevice reports whether a refresh token issued to a device may
	// still be used: the user still has the device (the devices family's
	// RefreshAllowed). Nil: only the DEVICE_KEY match is checked.
	RefreshDevice func(ctx context.Context, poolID, userKey, deviceKey string) (bool, error)
	// Passkeys serves the WEB_AUTHN factor of choice-based sign-in; nil:
	// WEB_AUTHN is never available.
	Passkeys Passkeys
	// Sender delivers the one-time passwords of choice-based sign-in; nil:
	// EMAIL_OTP and SMS_OTP are never available.
	Sender Sender
	// EmailTemplate returns the pool's email MFA / one-time password
	// template (EmailMfaConfiguration, kept by the MFA family); nil, or a nil
	// answer: Cognito's default text.
	EmailTemplate func(ctx context.Context, pool *cognitoidp.UserPoolType) (*cognitoidp.EmailMfaConfigType, error)
	// CustomMessage may rewrite a one-time password message (trigger source
	// CustomMessage_Authentication) with the request's ClientMetadata. Nil:
	// the pool's template is sent as it is.
	CustomMessage func(ctx context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error)
	// Authenticate checks the access token of GetUserAuthFactors
	// (*account.Service.Authenticate); nil: GetUserAuthFactors is not served.
	Authenticate func(ctx context.Context, accessToken *string) (*account.Caller, error)
	// MFA returns the user's MFA settings for GetUserAuthFactors (the hook the
	// users and account families take); nil: no MFA is shown.
	MFA    func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (users.MFAInfo, error)
	Clock  clock.Clock
	Logger *slog.Logger
	// TimestampTolerance is how far an SRP TIMESTAMP may be from the
	// server's clock; 0: srp.DefaultTimestampTolerance.
	TimestampTolerance time.Duration
	// Triggers runs the pool's sign-in Lambda triggers (pre and post
	// authentication, custom authentication, user migration); nil: none run
	// and CUSTOM_AUTH answers as for a pool without its triggers.
	Triggers Triggers
	// Risk is threat protection (*risk.Service): it assesses sign-ins whose
	// first factor passed and sends the account-takeover notifications;
	// nil: none.
	Risk Risk
	// FeedbackLinks returns the one-click "this was me" (valid) and "this
	// wasn't me" (invalid) URLs of a risk notification about auth event
	// eventID of user u; nil: notifications carry no links.
	FeedbackLinks func(ctx context.Context, poolID string, u *storage.User, eventID string) (valid, invalid string, err error)
}

// Service implements the sign-in operations.
type Service struct {
	store     Store
	clients   *clients.Service
	tokens    Tokens
	groups    Groups
	events    Events
	next      NextStep
	passkeys  Passkeys
	sender    Sender
	emailTmpl func(ctx context.Context, pool *cognitoidp.UserPoolType) (*cognitoidp.EmailMfaConfigType, error)
	customMsg func(ctx context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error)
	authn     func(ctx context.Context, accessToken *string) (*account.Caller, error)
	mfa       func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (users.MFAInfo, error)
	clock     clock.Clock
	log       *slog.Logger
	tolerance time.Duration

	srpKey       []byte // seals SECRET_BLOCK
	sessionKey   []byte // seals Session
	simulatedKey []byte // derives simulated salts and user ids

	refreshDevice func(ctx context.Context, poolID, userKey, deviceKey string) (bool, error) // Config.RefreshDevice

	triggers Triggers // Config.Triggers
	risk     Risk     // Config.Risk
	// feedbackLinks is Config.FeedbackLinks.
	feedbackLinks func(ctx context.Context, poolID string, u *storage.User, eventID string) (valid, invalid string, err error)
}

// New returns a Service. A nil Clock is the real clock; a nil Logger
// discards. It panics when a required dependency is missing (a wiring
// mistake).
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Clients == nil || cfg.Tokens == nil || cfg.Sealer == nil {
		panic("auth: Config.Store, Clients, Tokens and Sealer are required")
	}
	s := &Service{
		store:        cfg.Store,
		clients:      cfg.Clients,
		tokens:       cfg.Tokens,
		groups:       cfg.Groups,
		events:       cfg.Events,
		next:         cfg.NextStep,
		passkeys:     cfg.Passkeys,
		sender:       cfg.Sender,
		emailTmpl:    cfg.EmailTemplate,
		customMsg:    cfg.CustomMessage,
		authn:        cfg.Authenticate,
		mfa:          cfg.MFA,
		clock:        cfg.Clock,
		log:          cfg.Logger,
		tolerance:    cfg.TimestampTolerance,
		srpKey:       cfg.Sealer.DeriveKey(purposeSRPState),
		sessionKey:   cfg.Sealer.DeriveKey(purposeSession),
		simulatedKey: cfg.Sealer.DeriveKey(purposeSimulated),
	}
	s.refreshDevice = cfg.RefreshDevice
	s.triggers, s.risk, s.feedbackLinks = cfg.Triggers, cfg.Risk, cfg.FeedbackLinks
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.tolerance <= 0 {
		s.tolerance = srp.DefaultTimestampTolerance
	}
	return s
}

// Register fills the handlers of the operations this package implements;
// GetUserAuthFactors only with a Config.Authenticate.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.InitiateAuth = s.InitiateAuth
	h.AdminInitiateAuth = s.AdminInitiateAuth
	h.RespondToAuthChallenge = s.RespondToAuthChallenge
	h.AdminRespondToAuthChallenge = s.AdminRespondToAuthChallenge
	h.GetTokensFromRefreshToken = s.GetTokensFromRefreshToken
	if s.authn != nil {
		h.GetUserAuthFactors = s.GetUserAuthFactors
	}
}
