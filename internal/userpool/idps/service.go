// Package idps implements the identity-provider family of the User Pools API:
// CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider,
// DeleteIdentityProvider, ListIdentityProviders,
// GetIdentityProviderByIdentifier, AdminLinkProviderForUser and
// AdminDisableProviderForUser. Federation and the OAuth endpoints read
// providers with Load, ByIdentifier and List, and provider links with FindLink.
//
// Storage (storage.ResourceStore): a provider is a Resource of kind
// "identity-provider" (ID its name, Settings the JSON of
// cognitoidp.IdentityProviderType with every provider detail, the hidden ones
// included); each IdP identifier is a Resource of kind "idp-identifier" whose
// LookupKey "{poolId}/{identifier}" makes it unique in the pool; a provider
// link is a Resource of kind "provider-link" owned by the destination user
// (deleted with the user). Cognito facts are in defaults.go.
package idps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
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
	storage.UserStore
	storage.ResourceStore
}

// Config holds the service's dependencies. Store is required; a nil Clock is
// the real clock, a nil Logger discards, a nil HTTPClient is one with a short
// timeout.
type Config struct {
	Store      Store
	Clock      clock.Clock
	Logger     *slog.Logger
	HTTPClient *http.Client // OIDC discovery and SAML metadata fetches

	// DisableUser disables a user and revokes their tokens, as
	// AdminDisableUser does (AdminDisableProviderForUser). Nil: the user's
	// Enabled flag is cleared here and no tokens are revoked.
	DisableUser func(ctx context.Context, poolID, username string) error
}

// Service implements the identity-provider operations.
type Service struct {
	store       Store
	clock       clock.Clock
	log         *slog.Logger
	http        *http.Client
	disableUser func(ctx context.Context, poolID, username string) error

	maxProviders int // MaxProvidersPerPool (tests lower it)
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, http: cfg.HTTPClient,
		disableUser: cfg.DisableUser, maxProviders: MaxProvidersPerPool}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.http == nil {
		s.http = &http.Client{Timeout: discoveryTimeout}
	}
	return s
}

// Register fills the identity-provider operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateIdentityProvider = s.CreateIdentityProvider
	h.DescribeIdentityProvider = s.DescribeIdentityProvider
	h.UpdateIdentityProvider = s.UpdateIdentityProvider
	h.DeleteIdentityProvider = s.DeleteIdentityProvider
	h.ListIdentityProviders = s.ListIdentityProviders
	h.GetIdentityProviderByIdentifier = s.GetIdentityProviderByIdentifier
	h.AdminLinkProviderForUser = s.AdminLinkProviderForUser
	h.AdminDisableProviderForUser = s.AdminDisableProviderForUser
}

// Load returns a pool's identity provider by name with every provider detail,
// the hidden ones (Apple's private_key) included; storage.ErrNotFound when
// the pool has none of that name.
func Load(ctx context.Context, store storage.ResourceStore, poolID, name string) (*cognitoidp.IdentityProviderType, error) {
	r, err := store.GetResource(ctx, poolID, kindProvider, name)
	if err != nil {
		return nil, err
	}
	return decode(r)
}

// ByIdentifier returns the provider that has an IdP identifier (the
// idp_identifier parameter of the authorize endpoint); storage.ErrNotFound
// when none has it.
func ByIdentifier(ctx context.Context, store storage.ResourceStore, poolID, identifier string) (*cognitoidp.IdentityProviderType, error) {
	r, err := store.FindResource(ctx, kindIdentifier, identifierKey(poolID, identifier))
	if err != nil {
		return nil, err
	}
	var ix identifierDoc
	if err := json.Unmarshal(r.Settings, &ix); err != nil {
		return nil, fmt.Errorf("idps: decoding identifier %q of %s: %w", identifier, poolID, err)
	}
	return Load(ctx, store, poolID, ix.ProviderName)
}

// Exists reports whether the pool has an identity provider of that name (app
// clients' SupportedIdentityProviders).
func Exists(ctx context.Context, store storage.ResourceStore, poolID, name string) (bool, error) {
	_, err := store.GetResource(ctx, poolID, kindProvider, name)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("idps: reading provider %q of %s: %w", name, poolID, err)
	}
	return true, nil
}

// List returns every identity provider of the pool, by name, with every
// provider detail.
func List(ctx context.Context, store storage.ResourceStore, poolID string) ([]*cognitoidp.IdentityProviderType, error) {
	var out []*cognitoidp.IdentityProviderType
	page := storage.Page{Limit: 100}
	for {
		rs, next, err := store.ListResources(ctx, poolID, kindProvider, "", page)
		if err != nil {
			return nil, fmt.Errorf("idps: listing providers of %s: %w", poolID, err)
		}
		for _, r := range rs {
			p, err := decode(r)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		if next == "" {
			return out, nil
		}
		page.Token = next
	}
}

// identifierDoc is the Settings of an IdP identifier record.
type identifierDoc struct {
	ProviderName string `json:"ProviderName"`
}

func identifierKey(poolID, identifier string) string { return poolID + "/" + identifier }

func decode(r *storage.Resource) (*cognitoidp.IdentityProviderType, error) {
	p := new(cognitoidp.IdentityProviderType)
	if err := json.Unmarshal(r.Settings, p); err != nil {
		return nil, fmt.Errorf("idps: decoding provider %q of %s: %w", r.ID, r.PoolID, err)
	}
	p.UserPoolId = api.Ptr(r.PoolID)
	p.ProviderName = api.Ptr(r.ID)
	p.CreationDate = api.NewTime(r.CreatedAt)
	p.LastModifiedDate = api.NewTime(r.UpdatedAt)
	if p.IdpIdentifiers == nil {
		p.IdpIdentifiers = []string{}
	}
	return p, nil
}

func encode(p *cognitoidp.IdentityProviderType) ([]byte, error) {
	c := *p
	c.CreationDate, c.LastModifiedDate = nil, nil
	b, err := json.Marshal(&c)
	if err != nil {
		return nil, fmt.Errorf("idps: encoding provider: %w", err)
	}
	return b, nil
}

// shown is a provider as the API shows it: without the hidden details.
func shown(p *cognitoidp.IdentityProviderType) *cognitoidp.IdentityProviderType {
	c := p.Clone()
	c.ProviderDetails = maps.Clone(p.ProviderDetails)
	for _, k := range hiddenDetails {
		delete(c.ProviderDetails, k)
	}
	if c.IdpIdentifiers == nil {
		c.IdpIdentifiers = []string{}
	}
	return c
}

// checkPool answers ResourceNotFoundException for a pool that does not exist.
func (s *Service) checkPool(ctx context.Context, poolID string) (*storage.UserPool, error) {
	return pools.Get(ctx, s.store, poolID)
}

// get reads a provider or answers ResourceNotFoundException.
func (s *Service) get(ctx context.Context, poolID, name string) (*cognitoidp.IdentityProviderType, error) {
	p, err := Load(ctx, s.store, poolID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgNotFound, name))
	}
	if err != nil {
		return nil, fmt.Errorf("idps: reading provider %q of %s: %w", name, poolID, err)
	}
	return p, nil
}

// isCognito reports whether a name designates the pool's own directory.
func isCognito(name string) bool { return slices.Contains(reservedNames, strings.ToLower(name)) }

// Page tokens wrap the store's token with the pool they list.
const nextTokenVersion = "cogito-idp-1"

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
