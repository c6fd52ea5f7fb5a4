package users

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// Store is the part of the storage the user operations use.
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.CodeStore
}

// Sender records and delivers a rendered message (*message.Sender).
type Sender interface {
	Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error
}

// MFAInfo is what AdminGetUser shows of a user's MFA settings.
type MFAInfo struct {
	Options   []cognitoidp.MFAOptionType // legacy MFAOptions (SMS)
	Preferred string                     // PreferredMfaSetting; "" for none
	Enabled   []string                   // UserMFASettingList
}

// Config holds the Service's dependencies. Store, Sender and Clock are
// required (a nil Clock is the real clock); the hooks are optional.
type Config struct {
	Store  Store
	Sender Sender
	Clock  clock.Clock
	Logger *slog.Logger

	// MFA returns the user's MFA settings for AdminGetUser (and the legacy
	// MFAOptions of ListUsers). Nil until the MFA family supplies it: no MFA
	// is shown.
	MFA func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (MFAInfo, error)
	// Disabled is called after AdminDisableUser disabled a user, to revoke
	// the user's tokens. Nil: nothing more happens.
	Disabled func(ctx context.Context, poolID string, u *storage.User) error
	// Hooks are the Lambda triggers of the admin operations (the trigger
	// family's): PreSignUp (PreSignUp_AdminCreateUser), PostConfirmation
	// (AdminConfirmSignUp) and CustomMessage (invitations, codes). Nil
	// members are not called.
	Hooks signup.Hooks
}

// Service implements the admin user operations.
type Service struct {
	store    Store
	sender   Sender
	clk      clock.Clock
	log      *slog.Logger
	mfa      func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (MFAInfo, error)
	disabled func(ctx context.Context, poolID string, u *storage.User) error
	hooks    signup.Hooks
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{
		store:    cfg.Store,
		sender:   cfg.Sender,
		clk:      cfg.Clock,
		log:      cfg.Logger,
		mfa:      cfg.MFA,
		disabled: cfg.Disabled,
		hooks:    cfg.Hooks,
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
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.AdminCreateUser = s.AdminCreateUser
	h.AdminGetUser = s.AdminGetUser
	h.AdminDeleteUser = s.AdminDeleteUser
	h.AdminUpdateUserAttributes = s.AdminUpdateUserAttributes
	h.AdminDeleteUserAttributes = s.AdminDeleteUserAttributes
	h.AdminConfirmSignUp = s.AdminConfirmSignUp
	h.AdminDisableUser = s.AdminDisableUser
	h.AdminEnableUser = s.AdminEnableUser
	h.AdminSetUserPassword = s.AdminSetUserPassword
	h.AdminResetUserPassword = s.AdminResetUserPassword
	h.ListUsers = s.ListUsers
}

// CountUsers is the number of users in a pool, for the pools family's
// EstimatedNumberOfUsers (pools.Config.CountUsers).
func (s *Service) CountUsers(ctx context.Context, poolID string) (int, error) {
	return s.store.CountUsers(ctx, poolID)
}

// Find loads a pool, its attribute schema and the user a name designates:
// the username or any alias Cognito accepts in its place (attrs.Lookup).
// An unknown pool is ResourceNotFoundException, an unknown user
// UserNotFoundException "User does not exist.".
func (s *Service) Find(ctx context.Context, poolID, name string) (*storage.User, *attrs.Schema, *cognitoidp.UserPoolType, error) {
	up, schema, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := s.lookup(ctx, schema, name)
	if err != nil {
		return nil, nil, nil, err
	}
	return u, schema, up, nil
}

// loadPool reads a pool and builds its schema.
func (s *Service) loadPool(ctx context.Context, poolID string) (*cognitoidp.UserPoolType, *attrs.Schema, error) {
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, nil, err
	}
	return up, attrs.FromPool(up), nil
}

// lookup finds a user by any accepted name.
func (s *Service) lookup(ctx context.Context, schema *attrs.Schema, name string) (*storage.User, error) {
	u, err := schema.Lookup(ctx, s.store, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, userNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("users: looking up user in pool %s: %w", schema.PoolID, err)
	}
	return u, nil
}

// userNotFound is the UserNotFoundException of an unknown user.
func userNotFound() error { return cognitoidp.NewUserNotFoundException(msgUserNotFound) }

// update runs a compare-and-swap update of a user found earlier, mapping
// the store's errors: a user deleted meanwhile is UserNotFoundException, an
// alias clash goes through schema.AliasClash, a Cognito error from fn is
// returned as is.
func (s *Service) update(ctx context.Context, schema *attrs.Schema, u *storage.User, fn func(*storage.User) error) (*storage.User, error) {
	out, err := s.store.UpdateUser(ctx, u.PoolID, u.Key, fn)
	if err != nil {
		return nil, s.storeErr(err, schema, "updating user")
	}
	return out, nil
}

// storeErr maps storage errors of a user write to Cognito exceptions and
// wraps anything unexpected.
func (s *Service) storeErr(err error, schema *attrs.Schema, op string) error {
	if _, ok := awserr.As(err); ok {
		return err
	}
	if errors.Is(err, storage.ErrNotFound) {
		return userNotFound()
	}
	var ue *storage.UniqueError
	if errors.As(err, &ue) {
		return schema.AliasClash(err)
	}
	var ce *storage.ConflictError
	if errors.As(err, &ce) {
		return cognitoidp.NewTooManyRequestsException(msgTooManyRequests)
	}
	return fmt.Errorf("users: %s in pool %s: %w", op, schema.PoolID, err)
}

// mfaInfo asks the MFA hook, if any.
func (s *Service) mfaInfo(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User) (MFAInfo, error) {
	if s.mfa == nil {
		return MFAInfo{}, nil
	}
	info, err := s.mfa(ctx, up, u)
	if err != nil {
		return MFAInfo{}, fmt.Errorf("users: reading MFA settings of a user in pool %s: %w", u.PoolID, err)
	}
	return info, nil
}

// requestName is the user name of a request (validated non-empty by the model).
func requestName(p *string) string { return api.Deref(p) }
