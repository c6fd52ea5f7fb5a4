// Package groups implements the user-group family of the User Pools API:
// CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and
// ListUsersInGroup, and gives sign-in the group claims of a user's tokens
// (ClaimsFor).
//
// Groups and memberships live in the store (storage.GroupStore); users are
// found by any name Cognito accepts through attrs.Lookup. Cognito facts the
// package relies on, with how sure we are of each, are in defaults.go.
package groups

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pagetoken"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.GroupStore
}

// Config holds the service's dependencies. Store is required; a nil Clock is
// the real clock and a nil Logger discards.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Logger *slog.Logger

	// MFAOptions returns a user's legacy MFAOptions, which ListUsersInGroup
	// shows as ListUsers does. Nil until the MFA family supplies it: none are
	// shown.
	MFAOptions func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) ([]cognitoidp.MFAOptionType, error)
}

// Service implements the group operations.
type Service struct {
	store      Store
	clock      clock.Clock
	log        *slog.Logger
	mfaOptions func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) ([]cognitoidp.MFAOptionType, error)

	// The quotas, MaxGroupsPerPool and MaxGroupsPerUser (tests lower them).
	maxPoolGroups, maxUserGroups int
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{
		store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, mfaOptions: cfg.MFAOptions,
		maxPoolGroups: MaxGroupsPerPool, maxUserGroups: MaxGroupsPerUser,
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the group operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateGroup = s.CreateGroup
	h.GetGroup = s.GetGroup
	h.UpdateGroup = s.UpdateGroup
	h.DeleteGroup = s.DeleteGroup
	h.ListGroups = s.ListGroups
	h.AdminAddUserToGroup = s.AdminAddUserToGroup
	h.AdminRemoveUserFromGroup = s.AdminRemoveUserFromGroup
	h.AdminListGroupsForUser = s.AdminListGroupsForUser
	h.ListUsersInGroup = s.ListUsersInGroup
}

// groupNotFound is the error for a group name the pool does not have.
func groupNotFound() error { return cognitoidp.NewResourceNotFoundException(msgGroupNotFound) }

// userNotFound is the error for a user name the pool does not know.
func userNotFound() error { return cognitoidp.NewUserNotFoundException(msgUserNotFound) }

// loadPool returns the pool's settings, or ResourceNotFoundException
// "User pool {id} does not exist.".
func (s *Service) loadPool(ctx context.Context, poolID string) (*cognitoidp.UserPoolType, error) {
	return pools.Load(ctx, s.store, poolID)
}

// checkPool is loadPool when only the pool's existence matters.
func (s *Service) checkPool(ctx context.Context, poolID string) error {
	_, err := s.loadPool(ctx, poolID)
	return err
}

// getGroup reads a group, answering "Group not found." when it is missing.
func (s *Service) getGroup(ctx context.Context, poolID, name string) (*storage.Group, error) {
	g, err := s.store.GetGroup(ctx, poolID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, groupNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("groups: get group %q of %s: %w", name, poolID, err)
	}
	return g, nil
}

// lookupUser finds the user a name designates (username, alias or sub, as
// Cognito accepts them), answering UserNotFoundException when there is none.
func (s *Service) lookupUser(ctx context.Context, up *cognitoidp.UserPoolType, name string) (*storage.User, error) {
	u, err := attrs.FromPool(up).Lookup(ctx, s.store, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, userNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("groups: look up user in %s: %w", api.Deref(up.Id), err)
	}
	return u, nil
}

// GroupType renders a stored group as the API shows it.
func GroupType(g *storage.Group) cognitoidp.GroupType {
	return cognitoidp.GroupType{
		GroupName:        api.Ptr(g.Name),
		UserPoolId:       api.Ptr(g.PoolID),
		Description:      clonePtr(g.Description),
		RoleArn:          clonePtr(g.RoleARN),
		Precedence:       clonePtr(g.Precedence),
		LastModifiedDate: api.NewTime(g.UpdatedAt),
		CreationDate:     api.NewTime(g.CreatedAt),
	}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// pageLimit is the page size for a request's Limit (already checked against
// the model's range 0–60 by Validate).
func pageLimit(limit *int32) (int, error) {
	switch {
	case limit == nil:
		return DefaultListLimit, nil
	case *limit == 0 && limitZeroMeansDefault:
		return DefaultListLimit, nil
	case *limit == 0:
		return 0, cognitoidp.NewInvalidParameterException(msgLimitZero)
	}
	return int(*limit), nil
}

// Page tokens wrap the store's opaque token with the listing they belong to
// (the operation, the pool and the group or user), so a token is only good
// for the listing that issued it and anything else is the caller's error.
const nextTokenVersion = "cogito-groups-1"

func encodeNextToken(scope []string, storeToken string) string {
	return pagetoken.Wrap(nextTokenVersion, scope, storeToken)
}

func decodeNextToken(scope []string, tok string) (string, error) {
	inner, ok := pagetoken.Unwrap(nextTokenVersion, scope, tok)
	if !ok {
		return "", cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	return inner, nil
}

// page builds the storage page for a listing request of n items.
func page(scope []string, n int, nextToken *string) (storage.Page, error) {
	p := storage.Page{Limit: n}
	if nextToken != nil {
		var err error
		if p.Token, err = decodeNextToken(scope, *nextToken); err != nil {
			return storage.Page{}, err
		}
	}
	return p, nil
}

// nextToken is the response's NextToken for the store's next-page token.
func nextToken(scope []string, storeToken string) *string {
	if storeToken == "" {
		return nil
	}
	return api.Ptr(encodeNextToken(scope, storeToken))
}

// listErr maps a listing error of the store.
func listErr(err error, what string) error {
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	return fmt.Errorf("groups: %s: %w", what, err)
}

// passThrough returns Cognito errors raised inside store closures unchanged
// and wraps everything else.
func passThrough(err error, format string, args ...any) error {
	if _, ok := awserr.As(err); ok {
		return err
	}
	return fmt.Errorf("groups: "+format+": %w", append(args, err)...)
}
