// Package account implements the operations a signed-in user calls on their
// own account with an access token — GetUser, UpdateUserAttributes,
// DeleteUserAttributes, DeleteUser, ChangePassword,
// GetUserAttributeVerificationCode, VerifyUserAttribute, GlobalSignOut — and
// the sign-out and auth-event operations around them: RevokeToken,
// AdminUserGlobalSignOut, AdminListUserAuthEvents,
// AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback.
//
// Every token-authorized operation starts in begin: the access token is
// verified by the token service (signature, expiry, token_use, revocation,
// scope aws.cognito.signin.user.admin), then the user it names must still
// exist (the same sub: a user deleted and created again under the same name
// is another user) and be enabled.
//
// Attribute rules come from internal/userpool/attrs, pending values and the
// attribute-write rules from internal/userpool/users, codes and messages from
// internal/message, credentials from internal/password. The Cognito facts the
// package relies on, with how sure we are of each, are in defaults.go.
//
// Beyond the operations the Service offers the sign-in code RecordEvent (an
// auth event for AdminListUserAuthEvents, in pools with threat protection)
// and FeedbackToken (the sealed token UpdateAuthEventFeedback takes; see
// feedback.go).
package account

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
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// Store is the part of the storage the operations use.
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.CodeStore
	storage.CounterStore
	storage.EventStore
}

// Sender records and delivers a rendered message (*message.Sender).
type Sender interface {
	Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error
}

// Tokens is what the package needs of the token service (*token.Service).
type Tokens interface {
	// Authorize verifies an access token for a token-authorized operation
	// (signature, expiry, token_use, revocation, scope
	// aws.cognito.signin.user.admin); a token Cognito would refuse is
	// NotAuthorizedException.
	Authorize(ctx context.Context, accessToken string) (*token.AccessClaims, error)
	// RevokeUser revokes every token family of the user.
	RevokeUser(ctx context.Context, poolID, userKey string) error
	// RevokeRefresh revokes the family of a refresh token issued to the
	// client: the token and every token with its origin_jti. A token that is
	// not a refresh token of the client is a Cognito error.
	RevokeRefresh(ctx context.Context, refreshToken, clientID string) error
}

// AttributeWriter applies an attribute write of a caller to a user as
// (Admin)UpdateUserAttributes do: the attribute rules (attrs.Schema.CheckWrite
// with the caller's write permissions), the pending and verification
// bookkeeping, the aliases, and the codes sent (message kind
// UPDATE_ATTRIBUTE, ClientMetadata for the custom message trigger). It
// returns what CodeDeliveryDetailsList shows. The users family supplies it
// (users.Service.WriteAttributes).
type AttributeWriter func(ctx context.Context, pool *cognitoidp.UserPoolType, schema *attrs.Schema, u *storage.User, in []cognitoidp.AttributeType, caller attrs.Caller, clientMetadata map[string]string) ([]cognitoidp.CodeDeliveryDetailsType, error)

// Config holds the Service's dependencies. Store, Clients, Tokens, Sender and
// Sealer are required; a nil Clock is the real clock, a nil Logger discards;
// the hooks are optional.
type Config struct {
	Store   Store
	Clients *clients.Service
	Tokens  Tokens
	Sender  Sender
	Sealer  *keys.Sealer // seals feedback tokens (see FeedbackToken)
	Clock   clock.Clock
	Logger  *slog.Logger

	// WriteAttributes applies UpdateUserAttributes and
	// DeleteUserAttributes. Nil: those two operations are not served (they
	// answer NotImplementedException), as the rules live in the users family.
	WriteAttributes AttributeWriter
	// MFA returns the user's MFA settings for GetUser (the users family's
	// hook of AdminGetUser). Nil until the MFA family supplies it: no MFA is
	// shown.
	MFA func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (users.MFAInfo, error)
	// CustomMessage may rewrite the message of GetUserAttributeVerificationCode
	// (trigger source CustomMessage_VerifyUserAttribute) with the request's
	// ClientMetadata. Nil: the pool's templates are sent as they are.
	CustomMessage func(ctx context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error)
	// CheckPassword is threat protection's compromised-credentials check of
	// the password ChangePassword sets (event PASSWORD_CHANGE) for app
	// client clientID; an error refuses the password and is answered as it
	// is. Nil: no check.
	CheckPassword func(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, password string) (compromised bool, err error)
}

// Service implements the account operations.
type Service struct {
	store         Store
	clients       *clients.Service
	tokens        Tokens
	sender        Sender
	sealer        *keys.Sealer
	clk           clock.Clock
	log           *slog.Logger
	write         AttributeWriter
	mfa           func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (users.MFAInfo, error)
	customMessage func(ctx context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error)
	// recorded hears of every auth event RecordEvent stores (nil: none).
	recorded func(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, ev cognitoidp.AuthEventType)
	// checkPw is Config.CheckPassword.
	checkPw func(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, password string) (bool, error)
}

// OnEventRecorded installs a hook called with every auth event RecordEvent
// stores, as AdminListUserAuthEvents shows it (log delivery exports them as
// userAuthEvents logs). Call it before the Service is used.
func (s *Service) OnEventRecorded(fn func(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, ev cognitoidp.AuthEventType)) {
	s.recorded = fn
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{
		store:         cfg.Store,
		clients:       cfg.Clients,
		tokens:        cfg.Tokens,
		sender:        cfg.Sender,
		sealer:        cfg.Sealer,
		clk:           cfg.Clock,
		log:           cfg.Logger,
		write:         cfg.WriteAttributes,
		mfa:           cfg.MFA,
		customMessage: cfg.CustomMessage,
		checkPw:       cfg.CheckPassword,
	}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the handlers of the operations this package implements.
// UpdateUserAttributes and DeleteUserAttributes are filled only with a
// Config.WriteAttributes.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.GetUser = s.GetUser
	if s.write != nil {
		h.UpdateUserAttributes = s.UpdateUserAttributes
		h.DeleteUserAttributes = s.DeleteUserAttributes
	}
	h.DeleteUser = s.DeleteUser
	h.ChangePassword = s.ChangePassword
	h.GetUserAttributeVerificationCode = s.GetUserAttributeVerificationCode
	h.VerifyUserAttribute = s.VerifyUserAttribute
	h.GlobalSignOut = s.GlobalSignOut
	h.AdminUserGlobalSignOut = s.AdminUserGlobalSignOut
	h.RevokeToken = s.RevokeToken
	h.AdminListUserAuthEvents = s.AdminListUserAuthEvents
	h.AdminUpdateAuthEventFeedback = s.AdminUpdateAuthEventFeedback
	h.UpdateAuthEventFeedback = s.UpdateAuthEventFeedback
}

// session is what a token-authorized operation works on: the verified
// claims, the pool, its attribute schema and the signed-in user.
type session struct {
	claims *token.AccessClaims
	pool   *cognitoidp.UserPoolType
	schema *attrs.Schema
	user   *storage.User
}

func (c *session) poolID() string { return c.user.PoolID }

// begin verifies the access token and loads the pool and the user it names:
// a user that no longer exists (or was created again: another sub) is
// UserNotFoundException, a disabled one NotAuthorizedException.
func (s *Service) begin(ctx context.Context, accessToken *string) (*session, error) {
	if accessToken == nil { // the request validator refuses this first
		return nil, cognitoidp.NewNotAuthorizedException(msgInvalidAccessToken)
	}
	claims, err := s.tokens.Authorize(ctx, *accessToken)
	if err != nil {
		if _, ok := awserr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("account: verifying an access token: %w", err)
	}
	up, err := pools.Load(ctx, s.store, claims.PoolID)
	if err != nil {
		return nil, err
	}
	u, err := s.store.GetUserBySub(ctx, claims.PoolID, claims.Sub)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("account: reading the user of an access token in pool %s: %w", claims.PoolID, err)
	}
	if !u.Enabled {
		return nil, cognitoidp.NewNotAuthorizedException(msgUserDisabled)
	}
	return &session{claims: claims, pool: up, schema: attrs.FromPool(up), user: u}, nil
}

// client loads the app client the access token was issued to. A client
// deleted since is treated as an invalid token.
func (s *Service) client(ctx context.Context, c *session) (*clients.Client, error) {
	cl, err := s.clients.LookupInPool(ctx, c.poolID(), c.claims.ClientID)
	if awserr.Is(err, "ResourceNotFoundException") {
		return nil, cognitoidp.NewNotAuthorizedException(msgInvalidAccessToken)
	}
	return cl, err
}

// findUser loads a pool, its schema and the user a name designates (the
// username or any alias Cognito accepts in its place), for the operations
// naming a user: an unknown pool is ResourceNotFoundException, an unknown
// user UserNotFoundException. checks run on the pool before the user is
// looked up.
func (s *Service) findUser(ctx context.Context, poolID, name string, checks ...func(*cognitoidp.UserPoolType) error) (*cognitoidp.UserPoolType, *attrs.Schema, *storage.User, error) {
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, check := range checks {
		if err := check(up); err != nil {
			return nil, nil, nil, err
		}
	}
	schema := attrs.FromPool(up)
	u, err := schema.Lookup(ctx, s.store, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("account: looking up a user in pool %s: %w", poolID, err)
	}
	return up, schema, u, nil
}

// updateUser runs a compare-and-swap update of the session's user, mapping
// the store's errors: a user deleted meanwhile is UserNotFoundException, an
// alias clash Cognito's AliasExistsException (schema.AliasClash), a lost
// race TooManyRequestsException; a Cognito error from fn is returned as is.
func (s *Service) updateUser(ctx context.Context, c *session, fn func(*storage.User) error) (*storage.User, error) {
	u, err := s.store.UpdateUser(ctx, c.poolID(), c.user.Key, fn)
	if err == nil {
		return u, nil
	}
	if _, ok := awserr.As(err); ok {
		return nil, err
	}
	var ue *storage.UniqueError
	var ce *storage.ConflictError
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	case errors.As(err, &ue):
		return nil, c.schema.AliasClash(err)
	case errors.As(err, &ce):
		return nil, cognitoidp.NewTooManyRequestsException(msgTooManyRequests)
	}
	return nil, fmt.Errorf("account: updating a user of pool %s: %w", c.poolID(), err)
}

// revokeUser revokes every token of a user.
func (s *Service) revokeUser(ctx context.Context, poolID, userKey string) error {
	if err := s.tokens.RevokeUser(ctx, poolID, userKey); err != nil {
		if _, ok := awserr.As(err); ok {
			return err
		}
		return fmt.Errorf("account: revoking the tokens of a user of pool %s: %w", poolID, err)
	}
	return nil
}
