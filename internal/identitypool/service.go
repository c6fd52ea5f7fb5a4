// Package identitypool implements the Identity Pools API (cognito-identity):
// pool management (CreateIdentityPool, DescribeIdentityPool,
// UpdateIdentityPool, DeleteIdentityPool, ListIdentityPools,
// Set/GetIdentityPoolRoles, Set/GetPrincipalTagAttributeMap,
// Tag/Untag/ListTagsForResource) and identities: GetId,
// GetCredentialsForIdentity, GetOpenIdToken, DescribeIdentity,
// ListIdentities, DeleteIdentities, UnlinkIdentity and the developer
// operations (GetOpenIdTokenForDeveloperIdentity, LookupDeveloperIdentity,
// MergeDeveloperIdentities, UnlinkDeveloperIdentity).
//
// A pool is a storage.IdentityPool whose Settings document is this package's
// Settings (JSON); Load gives it to the identity operations. Tags live in the
// store's TagStore under the pool's ARN. Identities and their linked logins
// are storage.Identity records; logins are verified by the logins package,
// identity OpenID tokens signed by the openid package and credentials made
// by a creds.Source. Cognito facts the package relies on, with how sure we
// are of each, are in defaults.go.
package identitypool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/identitypool/creds"
	"github.com/cogito-dev/cogito/internal/identitypool/logins"
	"github.com/cogito-dev/cogito/internal/identitypool/openid"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.IdentityPoolStore
	storage.TagStore
}

// Config holds the service's dependencies. Store, Region and AccountID are
// required; a nil Clock is the real clock and a nil Logger discards. The
// identity operations are registered only when Identities, Logins, Issuer
// and Credentials are all set.
type Config struct {
	Store     Store
	Clock     clock.Clock
	Region    string
	AccountID string
	Logger    *slog.Logger

	// Identities keeps identities and their logins.
	Identities storage.IdentityStore
	// Logins verifies the Logins of identity calls (*logins.Validator).
	Logins LoginChecker
	// Issuer signs identity OpenID tokens.
	Issuer *openid.Issuer
	// Credentials makes temporary AWS credentials.
	Credentials creds.Source
}

// LoginChecker verifies one login of a pool.
type LoginChecker interface {
	Check(ctx context.Context, pool *logins.Pool, provider, token string) (*logins.Login, error)
}

// Service implements the identity pool management operations.
type Service struct {
	store     Store
	clock     clock.Clock
	region    string
	accountID string
	log       *slog.Logger
	maxPools  int // MaxIdentityPools (tests lower it)

	identities storage.IdentityStore
	logins     LoginChecker
	issuer     *openid.Issuer
	creds      creds.Source
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, clock: cfg.Clock, region: cfg.Region, accountID: cfg.AccountID, log: cfg.Logger,
		maxPools: MaxIdentityPools, identities: cfg.Identities, logins: cfg.Logins, issuer: cfg.Issuer, creds: cfg.Credentials}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the management operations of h.
func (s *Service) Register(h *cognitoidentity.Handlers) {
	h.CreateIdentityPool = s.CreateIdentityPool
	h.DescribeIdentityPool = s.DescribeIdentityPool
	h.UpdateIdentityPool = s.UpdateIdentityPool
	h.DeleteIdentityPool = s.DeleteIdentityPool
	h.ListIdentityPools = s.ListIdentityPools
	h.SetIdentityPoolRoles = s.SetIdentityPoolRoles
	h.GetIdentityPoolRoles = s.GetIdentityPoolRoles
	h.SetPrincipalTagAttributeMap = s.SetPrincipalTagAttributeMap
	h.GetPrincipalTagAttributeMap = s.GetPrincipalTagAttributeMap
	h.TagResource = s.TagResource
	h.UntagResource = s.UntagResource
	h.ListTagsForResource = s.ListTagsForResource
	if s.identities == nil || s.logins == nil || s.issuer == nil || s.creds == nil {
		return
	}
	h.GetId = s.GetId
	h.GetCredentialsForIdentity = s.GetCredentialsForIdentity
	h.GetOpenIdToken = s.GetOpenIdToken
	h.DescribeIdentity = s.DescribeIdentity
	h.ListIdentities = s.ListIdentities
	h.DeleteIdentities = s.DeleteIdentities
	h.UnlinkIdentity = s.UnlinkIdentity
	h.GetOpenIdTokenForDeveloperIdentity = s.GetOpenIdTokenForDeveloperIdentity
	h.LookupDeveloperIdentity = s.LookupDeveloperIdentity
	h.MergeDeveloperIdentities = s.MergeDeveloperIdentities
	h.UnlinkDeveloperIdentity = s.UnlinkDeveloperIdentity
}

// Settings is an identity pool's configuration document.
type Settings struct {
	AllowUnauthenticated      bool                       `json:"allowUnauthenticated"`
	AllowClassicFlow          bool                       `json:"allowClassicFlow"`
	SupportedLoginProviders   map[string]string          `json:"supportedLoginProviders,omitempty"`
	DeveloperProviderName     string                     `json:"developerProviderName,omitempty"`
	OpenIDConnectProviderARNs []string                   `json:"openIdConnectProviderArns,omitempty"`
	CognitoProviders          []CognitoProvider          `json:"cognitoProviders,omitempty"`
	SAMLProviderARNs          []string                   `json:"samlProviderArns,omitempty"`
	Roles                     map[string]string          `json:"roles,omitempty"`
	RoleMappings              map[string]RoleMapping     `json:"roleMappings,omitempty"`
	PrincipalTags             map[string]PrincipalTagMap `json:"principalTags,omitempty"`
}

// CognitoProvider is a user pool app client the pool trusts.
type CognitoProvider struct {
	ProviderName         string `json:"providerName"` // cognito-idp.{region}.amazonaws.com/{userPoolId}
	ClientID             string `json:"clientId"`
	ServerSideTokenCheck bool   `json:"serverSideTokenCheck"`
}

// RoleMapping is how one provider's users get roles.
type RoleMapping struct {
	Type                    string        `json:"type"`                              // Token or Rules
	AmbiguousRoleResolution string        `json:"ambiguousRoleResolution,omitempty"` // AuthenticatedRole or Deny
	Rules                   []MappingRule `json:"rules,omitempty"`
}

// MappingRule maps a claim to a role.
type MappingRule struct {
	Claim     string `json:"claim"`
	MatchType string `json:"matchType"`
	Value     string `json:"value"`
	RoleARN   string `json:"roleArn"`
}

// PrincipalTagMap is one provider's attributes-for-access-control map.
type PrincipalTagMap struct {
	UseDefaults bool              `json:"useDefaults"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// Pool is a stored identity pool with its decoded settings.
type Pool struct {
	Record   *storage.IdentityPool
	Settings *Settings
}

// Load reads an identity pool, answering ResourceNotFoundException
// "IdentityPool '{id}' not found." when there is none.
func Load(ctx context.Context, st storage.IdentityPoolStore, id string) (*Pool, error) {
	rec, err := st.GetIdentityPool(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("identitypool: get %s: %w", id, err)
	}
	set, err := decodeSettings(rec)
	if err != nil {
		return nil, err
	}
	return &Pool{Record: rec, Settings: set}, nil
}

func decodeSettings(rec *storage.IdentityPool) (*Settings, error) {
	set := &Settings{}
	if len(rec.Settings) > 0 {
		if err := json.Unmarshal(rec.Settings, set); err != nil {
			return nil, fmt.Errorf("identitypool: settings of %s: %w", rec.ID, err)
		}
	}
	return set, nil
}

func encodeSettings(set *Settings) ([]byte, error) {
	b, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("identitypool: encode settings: %w", err)
	}
	return b, nil
}

// update applies fn to a pool's settings by compare-and-swap.
func (s *Service) update(ctx context.Context, id string, fn func(rec *storage.IdentityPool, set *Settings) error) (*Pool, error) {
	var out *Settings
	rec, err := s.store.UpdateIdentityPool(ctx, id, func(rec *storage.IdentityPool) error {
		set, err := decodeSettings(rec)
		if err != nil {
			return err
		}
		if err := fn(rec, set); err != nil {
			return err
		}
		if rec.Settings, err = encodeSettings(set); err != nil {
			return err
		}
		rec.UpdatedAt = s.clock.Now()
		out = set
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, passThrough(err, "update %s", id)
	}
	return &Pool{Record: rec, Settings: out}, nil
}

// notFound is the ResourceNotFoundException for an unknown identity pool.
func notFound(id string) error {
	return cognitoidentity.NewResourceNotFoundException(fmt.Sprintf(msgPoolNotFound, id))
}

func invalid(format string, args ...any) error {
	return cognitoidentity.NewInvalidParameterException(fmt.Sprintf(format, args...))
}

// passThrough returns Cognito errors raised inside store closures unchanged
// and wraps everything else.
func passThrough(err error, format string, args ...any) error {
	if _, ok := awserr.As(err); ok {
		return err
	}
	return fmt.Errorf("identitypool: "+format+": %w", append(args, err)...)
}

// ARN is the identity pool's ARN.
func ARN(region, accountID, id string) string {
	return "arn:" + partition(region) + ":cognito-identity:" + region + ":" + accountID + ":identitypool/" + id
}

func (s *Service) arn(id string) string { return ARN(s.region, s.accountID, id) }

// partition is the AWS partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	}
	return "aws"
}

// tags returns the pool's tags (a non-nil map).
func (s *Service) tags(ctx context.Context, id string) (map[string]string, error) {
	t, err := s.store.GetTags(ctx, s.arn(id))
	if err != nil {
		return nil, fmt.Errorf("identitypool: tags of %s: %w", id, err)
	}
	if t == nil {
		t = map[string]string{}
	}
	return t, nil
}

// render shows a pool as the API does.
func render(p *Pool, tags map[string]string) *cognitoidentity.IdentityPool {
	set := p.Settings
	out := &cognitoidentity.IdentityPool{
		IdentityPoolId:                 ptr(p.Record.ID),
		IdentityPoolName:               ptr(p.Record.Name),
		AllowUnauthenticatedIdentities: set.AllowUnauthenticated,
		AllowClassicFlow:               ptr(set.AllowClassicFlow),
		IdentityPoolTags:               tags,
	}
	if len(set.SupportedLoginProviders) > 0 {
		out.SupportedLoginProviders = cloneMap(set.SupportedLoginProviders)
	}
	if set.DeveloperProviderName != "" {
		out.DeveloperProviderName = ptr(set.DeveloperProviderName)
	}
	if len(set.OpenIDConnectProviderARNs) > 0 {
		out.OpenIdConnectProviderARNs = append([]string(nil), set.OpenIDConnectProviderARNs...)
	}
	for _, c := range set.CognitoProviders {
		out.CognitoIdentityProviders = append(out.CognitoIdentityProviders, cognitoidentity.CognitoIdentityProvider{
			ProviderName: ptr(c.ProviderName), ClientId: ptr(c.ClientID), ServerSideTokenCheck: ptr(c.ServerSideTokenCheck),
		})
	}
	if len(set.SAMLProviderARNs) > 0 {
		out.SamlProviderARNs = append([]string(nil), set.SAMLProviderARNs...)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
