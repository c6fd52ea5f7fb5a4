// Package resourceservers implements the resource-server family of the User
// Pools API: CreateResourceServer, DescribeResourceServer,
// UpdateResourceServer, DeleteResourceServer and ListResourceServers, and
// gives app clients and the OAuth endpoints the pool's custom scopes (Scopes,
// ScopeExists, Load).
//
// A server is a storage.Resource of kind "resource-server" whose ID is its
// identifier and whose Settings is the JSON of cognitoidp.ResourceServerType.
// Cognito facts the package relies on are in defaults.go.
package resourceservers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pagetoken"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.ResourceStore
}

// Config holds the service's dependencies. Store is required; a nil Clock is
// the real clock and a nil Logger discards.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Logger *slog.Logger
}

// Service implements the resource-server operations.
type Service struct {
	store Store
	clock clock.Clock
	log   *slog.Logger

	maxServers int // MaxResourceServersPerPool (tests lower it)
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, maxServers: MaxResourceServersPerPool}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the resource-server operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateResourceServer = s.CreateResourceServer
	h.DescribeResourceServer = s.DescribeResourceServer
	h.UpdateResourceServer = s.UpdateResourceServer
	h.DeleteResourceServer = s.DeleteResourceServer
	h.ListResourceServers = s.ListResourceServers
}

// Load returns a pool's resource server by identifier; storage.ErrNotFound
// when the pool has none of that identifier.
func Load(ctx context.Context, store storage.ResourceStore, poolID, identifier string) (*cognitoidp.ResourceServerType, error) {
	r, err := store.GetResource(ctx, poolID, resourceKind, identifier)
	if err != nil {
		return nil, err
	}
	return decode(r)
}

// Scopes returns every custom scope of the pool, "{identifier}/{scopeName}",
// by identifier and then in each server's order.
func Scopes(ctx context.Context, store storage.ResourceStore, poolID string) ([]string, error) {
	var out []string
	page := storage.Page{Limit: 100}
	for {
		rs, next, err := store.ListResources(ctx, poolID, resourceKind, "", page)
		if err != nil {
			return nil, fmt.Errorf("resourceservers: listing servers of %s: %w", poolID, err)
		}
		for _, r := range rs {
			rsv, err := decode(r)
			if err != nil {
				return nil, err
			}
			for _, sc := range rsv.Scopes {
				out = append(out, r.ID+"/"+api.Deref(sc.ScopeName))
			}
		}
		if next == "" {
			return out, nil
		}
		page.Token = next
	}
}

// ScopeExists reports whether a custom scope "{identifier}/{scopeName}" is
// defined by one of the pool's resource servers.
func ScopeExists(ctx context.Context, store storage.ResourceStore, poolID, scope string) (bool, error) {
	i := strings.LastIndexByte(scope, '/')
	if i <= 0 || i == len(scope)-1 {
		return false, nil
	}
	rsv, err := Load(ctx, store, poolID, scope[:i])
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("resourceservers: reading server %q of %s: %w", scope[:i], poolID, err)
	}
	for _, sc := range rsv.Scopes {
		if api.Deref(sc.ScopeName) == scope[i+1:] {
			return true, nil
		}
	}
	return false, nil
}

func decode(r *storage.Resource) (*cognitoidp.ResourceServerType, error) {
	out := new(cognitoidp.ResourceServerType)
	if err := json.Unmarshal(r.Settings, out); err != nil {
		return nil, fmt.Errorf("resourceservers: decoding server %q of %s: %w", r.ID, r.PoolID, err)
	}
	out.UserPoolId = api.Ptr(r.PoolID)
	out.Identifier = api.Ptr(r.ID)
	return out, nil
}

func encode(rs *cognitoidp.ResourceServerType) ([]byte, error) {
	b, err := json.Marshal(rs)
	if err != nil {
		return nil, fmt.Errorf("resourceservers: encoding server: %w", err)
	}
	return b, nil
}

// checkPool answers ResourceNotFoundException for a pool that does not exist.
func (s *Service) checkPool(ctx context.Context, poolID string) error {
	_, err := pools.Get(ctx, s.store, poolID)
	return err
}

// get reads a server or answers ResourceNotFoundException.
func (s *Service) get(ctx context.Context, poolID, identifier string) (*cognitoidp.ResourceServerType, error) {
	rsv, err := Load(ctx, s.store, poolID, identifier)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgNotFound, identifier))
	}
	if err != nil {
		return nil, fmt.Errorf("resourceservers: reading server %q of %s: %w", identifier, poolID, err)
	}
	return rsv, nil
}

// checkScopes refuses a scope name given twice.
func checkScopes(scopes []cognitoidp.ResourceServerScopeType) error {
	seen := map[string]bool{}
	for _, sc := range scopes {
		n := api.Deref(sc.ScopeName)
		if seen[n] {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDuplicateScope, n))
		}
		seen[n] = true
	}
	return nil
}

// newServer builds the stored form of a server from a request's members.
func newServer(poolID, identifier, name string, scopes []cognitoidp.ResourceServerScopeType) *cognitoidp.ResourceServerType {
	rsv := &cognitoidp.ResourceServerType{
		UserPoolId: api.Ptr(poolID), Identifier: api.Ptr(identifier), Name: api.Ptr(name),
		Scopes: make([]cognitoidp.ResourceServerScopeType, 0, len(scopes)),
	}
	for _, sc := range scopes {
		rsv.Scopes = append(rsv.Scopes, *sc.Clone())
	}
	return rsv
}

// Page tokens wrap the store's token with the pool they list.
const nextTokenVersion = "cogito-rs-1"

func encodeNextToken(poolID, storeToken string) *string {
	if storeToken == "" {
		return nil
	}
	return api.Ptr(pagetoken.Wrap(nextTokenVersion, []string{poolID}, storeToken))
}

func decodeNextToken(poolID, tok string) (string, error) {
	inner, ok := pagetoken.Unwrap(nextTokenVersion, []string{poolID}, tok)
	if !ok {
		return "", cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	return inner, nil
}
