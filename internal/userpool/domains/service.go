// Package domains implements the user-pool domain family of the User Pools
// API: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain and
// DeleteUserPoolDomain, and gives the OAuth endpoints and managed login the
// pool a request's host selects (FindPool, Lookup, ForPool).
//
// A domain is a storage.Resource of kind "domain": its ID is the domain's kind
// within the pool ("prefix" or "custom", so a pool has at most one of each),
// its LookupKey the domain name (unique across all pools, and the key FindPool
// and Lookup search by), its Settings the JSON document below. Cognito facts
// the package relies on, with how sure we are of each, are in defaults.go.
package domains

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.PoolStore
	storage.ResourceStore
}

// Config holds the service's dependencies. Store, Region and AccountID are
// required; a nil Clock is the real clock and a nil Logger discards.
type Config struct {
	Store     Store
	Clock     clock.Clock
	Region    string
	AccountID string
	Logger    *slog.Logger
	// ReplicaRegions lists the Regions where a pool has a replica: a
	// custom domain's failover Routing must name one of them. Nil: the
	// secondary Region is not checked against the pool's replicas.
	ReplicaRegions func(ctx context.Context, poolID string) ([]string, error)
}

// Service implements the domain operations.
type Service struct {
	store          Store
	clock          clock.Clock
	region         string
	accountID      string
	log            *slog.Logger
	replicaRegions func(ctx context.Context, poolID string) ([]string, error)
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, clock: cfg.Clock, region: cfg.Region, accountID: cfg.AccountID, log: cfg.Logger,
		replicaRegions: cfg.ReplicaRegions}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the domain operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateUserPoolDomain = s.CreateUserPoolDomain
	h.DescribeUserPoolDomain = s.DescribeUserPoolDomain
	h.UpdateUserPoolDomain = s.UpdateUserPoolDomain
	h.DeleteUserPoolDomain = s.DeleteUserPoolDomain
}

// Kind tells a Cognito prefix domain from a custom domain.
type Kind string

// The two kinds of domain; a pool has at most one of each.
const (
	Prefix Kind = "prefix"
	Custom Kind = "custom"
)

// Domain is a pool's domain as the OAuth endpoints and managed login need it.
type Domain struct {
	PoolID string
	// Name is the prefix ("myprefix") or the custom domain ("auth.example.com").
	Name                string
	Kind                Kind
	CertificateARN      string // custom domains only
	SecurityPolicy      string // custom domains only, "" when not set
	ManagedLoginVersion int32  // 1: hosted UI (classic), 2: managed login
	CloudFrontDomain    string // the fake distribution name (see defaults.go)
	Routing             *cognitoidp.RoutingType
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Host is the host name the domain serves on: the custom domain itself, or
// "{prefix}.auth.{region}.amazoncognito.com".
func (d *Domain) Host(region string) string {
	if d.Kind == Custom {
		return d.Name
	}
	return PrefixHost(d.Name, region)
}

// PrefixHost is the host of a prefix domain in a region.
func PrefixHost(prefix, region string) string {
	return prefix + ".auth." + region + ".amazoncognito.com"
}

// doc is the stored document of a domain.
type doc struct {
	Domain              string                  `json:"Domain"`
	Custom              bool                    `json:"Custom,omitempty"`
	CertificateArn      string                  `json:"CertificateArn,omitempty"`
	SecurityPolicy      string                  `json:"SecurityPolicy,omitempty"`
	ManagedLoginVersion int32                   `json:"ManagedLoginVersion"`
	CloudFrontDomain    string                  `json:"CloudFrontDomain,omitempty"`
	Routing             *cognitoidp.RoutingType `json:"Routing,omitempty"`
}

func fromResource(r *storage.Resource) (*Domain, error) {
	var d doc
	if err := json.Unmarshal(r.Settings, &d); err != nil {
		return nil, fmt.Errorf("domains: decoding domain %s of pool %s: %w", r.LookupKey, r.PoolID, err)
	}
	out := &Domain{
		PoolID: r.PoolID, Name: d.Domain, Kind: Prefix,
		CertificateARN: d.CertificateArn, SecurityPolicy: d.SecurityPolicy,
		ManagedLoginVersion: d.ManagedLoginVersion, CloudFrontDomain: d.CloudFrontDomain,
		Routing: d.Routing, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if d.Custom {
		out.Kind = Custom
	}
	if out.ManagedLoginVersion == 0 {
		out.ManagedLoginVersion = DefaultManagedLoginVersion
	}
	return out, nil
}

func (d *Domain) encode() ([]byte, error) {
	b, err := json.Marshal(doc{
		Domain: d.Name, Custom: d.Kind == Custom, CertificateArn: d.CertificateARN, SecurityPolicy: d.SecurityPolicy,
		ManagedLoginVersion: d.ManagedLoginVersion, CloudFrontDomain: d.CloudFrontDomain, Routing: d.Routing,
	})
	if err != nil {
		return nil, fmt.Errorf("domains: encoding domain %s: %w", d.Name, err)
	}
	return b, nil
}

// Lookup finds a domain by its name (a prefix or a custom domain), in any
// pool. storage.ErrNotFound when no pool has it.
func Lookup(ctx context.Context, store storage.ResourceStore, name string) (*Domain, error) {
	r, err := store.FindResource(ctx, resourceKind, name)
	if err != nil {
		return nil, err
	}
	return fromResource(r)
}

// reCognitoHost matches the host of a prefix domain in any region (and the
// FIPS form), capturing the prefix.
var reCognitoHost = regexp.MustCompile(`^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.auth(?:-fips)?\.[a-z0-9-]+\.amazoncognito\.com$`)

// FindPool selects the domain (and so the pool) a request's Host header
// names: a custom domain by its name, or a prefix domain by
// "{prefix}.auth.{region}.amazoncognito.com". The port and a trailing dot
// are ignored and the host is compared in lowercase. storage.ErrNotFound
// when the host is no pool's domain.
func FindPool(ctx context.Context, store storage.ResourceStore, host string) (*Domain, error) {
	h := strings.ToLower(strings.TrimSpace(host))
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return nil, storage.ErrNotFound
	}
	if m := reCognitoHost.FindStringSubmatch(h); m != nil {
		d, err := Lookup(ctx, store, m[1])
		if err != nil {
			return nil, err
		}
		if d.Kind != Prefix {
			return nil, storage.ErrNotFound
		}
		return d, nil
	}
	d, err := Lookup(ctx, store, h)
	if err != nil {
		return nil, err
	}
	if d.Kind != Custom {
		return nil, storage.ErrNotFound
	}
	return d, nil
}

// ForPool returns the pool's domains: its prefix domain first, then its
// custom domain, each only when it exists.
func ForPool(ctx context.Context, store storage.ResourceStore, poolID string) ([]*Domain, error) {
	var out []*Domain
	for _, k := range []Kind{Prefix, Custom} {
		r, err := store.GetResource(ctx, poolID, resourceKind, string(k))
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("domains: reading the %s domain of %s: %w", k, poolID, err)
		}
		d, err := fromResource(r)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// PoolDomains returns the pool's prefix and custom domain names ("" for
// none), as DescribeUserPool shows them (pools.Config.Domains).
func PoolDomains(ctx context.Context, store storage.ResourceStore, poolID string) (prefix, custom string, err error) {
	ds, err := ForPool(ctx, store, poolID)
	if err != nil {
		return "", "", err
	}
	for _, d := range ds {
		if d.Kind == Custom {
			custom = d.Name
		} else {
			prefix = d.Name
		}
	}
	return prefix, custom, nil
}

// CheckPoolDeletable refuses to delete a pool that still has a domain, as
// Cognito does (pools.Config.BeforeDelete).
func CheckPoolDeletable(ctx context.Context, store storage.ResourceStore, poolID string) error {
	ds, err := ForPool(ctx, store, poolID)
	if err != nil {
		return err
	}
	if len(ds) > 0 {
		return cognitoidp.NewInvalidParameterException(msgPoolHasDomains)
	}
	return nil
}

// PoolDomains is the package's PoolDomains on the service's store.
func (s *Service) PoolDomains(ctx context.Context, poolID string) (prefix, custom string, err error) {
	return PoolDomains(ctx, s.store, poolID)
}

// BeforePoolDelete is CheckPoolDeletable on the service's store.
func (s *Service) BeforePoolDelete(ctx context.Context, poolID string) error {
	return CheckPoolDeletable(ctx, s.store, poolID)
}

// checkPool answers ResourceNotFoundException for a pool that does not exist
// and returns its settings otherwise.
func (s *Service) checkPool(ctx context.Context, poolID string) (*storage.UserPool, error) {
	return pools.Get(ctx, s.store, poolID)
}

// poolTier reads the pool's feature plan from its settings document.
func poolTier(p *storage.UserPool) cognitoidp.UserPoolTierType {
	var up struct {
		UserPoolTier cognitoidp.UserPoolTierType `json:"UserPoolTier"`
	}
	_ = json.Unmarshal(p.Settings, &up)
	return up.UserPoolTier
}

// cloudFrontDomain is the stable fake distribution name of a domain.
func cloudFrontDomain(name string) string {
	sum := sha256.Sum256([]byte("cogito-cloudfront/" + name))
	enc := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))
	return "d" + enc[:13] + ".cloudfront.net"
}

// s3Bucket is the asset bucket name DescribeUserPoolDomain shows.
func (s *Service) s3Bucket() string {
	code, ok := s3Airports[s.region]
	if !ok {
		code = s.region
	}
	return "aws-cognito-prod-" + code + "-assets"
}

// description renders a domain as DescribeUserPoolDomain shows it.
func (s *Service) description(d *Domain) *cognitoidp.DomainDescriptionType {
	out := &cognitoidp.DomainDescriptionType{
		UserPoolId:             api.Ptr(d.PoolID),
		AWSAccountId:           api.Ptr(s.accountID),
		Domain:                 api.Ptr(d.Name),
		S3Bucket:               api.Ptr(s.s3Bucket()),
		CloudFrontDistribution: api.Ptr(d.CloudFrontDomain),
		Version:                api.Ptr(d.CreatedAt.UTC().Format("20060102150405")),
		Status:                 api.Ptr(cognitoidp.DomainStatusTypeActive),
		ManagedLoginVersion:    api.Ptr(d.ManagedLoginVersion),
		Routing:                d.Routing.Clone(),
	}
	if d.Kind == Custom {
		out.CustomDomainConfig = &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(d.CertificateARN)}
		if d.SecurityPolicy != "" {
			out.CustomDomainConfig.SecurityPolicy = api.Ptr(cognitoidp.SecurityPolicyType(d.SecurityPolicy))
		}
	}
	return out
}
