package domains

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// CreateUserPoolDomain gives a pool its prefix domain, or (with
// CustomDomainConfig) its custom domain, with the managed login version
// (1 when omitted). The name is unique across all pools and a pool has one
// domain of each kind.
func (s *Service) CreateUserPoolDomain(ctx context.Context, in *cognitoidp.CreateUserPoolDomainRequest) (*cognitoidp.CreateUserPoolDomainResponse, error) {
	if err := validate(in.Domain, in.CustomDomainConfig != nil, func(c *string) error {
		cp := *in
		cp.Domain = c
		return cp.Validate()
	}); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.Domain
	p, err := s.checkPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	version := int32(DefaultManagedLoginVersion)
	if in.ManagedLoginVersion != nil {
		version = *in.ManagedLoginVersion
	}
	if err := checkVersion(version, poolTier(p)); err != nil {
		return nil, err
	}
	if err := s.checkRouting(ctx, poolID, in.Routing, in.CustomDomainConfig != nil); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	d := &Domain{PoolID: poolID, Name: name, Kind: Prefix, ManagedLoginVersion: version,
		Routing: in.Routing.Clone(), CreatedAt: now, UpdatedAt: now}
	if c := in.CustomDomainConfig; c != nil {
		if err := checkCertificate(*c.CertificateArn); err != nil {
			return nil, err
		}
		d.Kind, d.CertificateARN = Custom, *c.CertificateArn
		if c.SecurityPolicy != nil {
			d.SecurityPolicy = string(*c.SecurityPolicy)
		}
	}
	d.CloudFrontDomain = cloudFrontDomain(name)

	// The pool's own domain of this kind answers first; then a name another
	// pool holds.
	if _, err := s.store.GetResource(ctx, poolID, resourceKind, string(d.Kind)); err == nil {
		return nil, cognitoidp.NewInvalidParameterException(msgPoolHasDomain)
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("domains: reading the %s domain of %s: %w", d.Kind, poolID, err)
	}
	if _, err := s.store.FindResource(ctx, resourceKind, name); err == nil {
		return nil, cognitoidp.NewInvalidParameterException(msgDomainTaken)
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("domains: finding domain %s: %w", name, err)
	}
	settings, err := d.encode()
	if err != nil {
		return nil, err
	}
	err = s.store.CreateResource(ctx, &storage.Resource{
		PoolID: poolID, Kind: resourceKind, ID: string(d.Kind), LookupKey: name,
		Settings: settings, CreatedAt: now, UpdatedAt: now,
	})
	switch {
	case errors.Is(err, storage.ErrAlreadyExists):
		// A concurrent create won: tell which clash it was.
		if _, gerr := s.store.GetResource(ctx, poolID, resourceKind, string(d.Kind)); gerr == nil {
			return nil, cognitoidp.NewInvalidParameterException(msgPoolHasDomain)
		}
		return nil, cognitoidp.NewInvalidParameterException(msgDomainTaken)
	case errors.Is(err, storage.ErrNotFound): // the pool went away meanwhile
		_, err := s.checkPool(ctx, poolID)
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("domains: creating domain %s of %s: %w", name, poolID, err)
	}
	s.log.InfoContext(ctx, "user pool domain created", "pool", poolID, "domain", name, "kind", d.Kind)
	out := &cognitoidp.CreateUserPoolDomainResponse{ManagedLoginVersion: api.Ptr(version), Routing: d.Routing.Clone()}
	if d.Kind == Custom {
		out.CloudFrontDomain = api.Ptr(d.CloudFrontDomain)
	}
	return out, nil
}

// validate runs the model's checks of a domain request, except DomainType's
// pattern and length, which the live service does not apply to custom
// domains (see defaults.go); then Cognito's own rules for the name. check
// validates the request with its Domain replaced.
func validate(domain *string, custom bool, check func(*string) error) error {
	placeholder := domain
	if domain != nil {
		placeholder = api.Ptr("x")
	}
	if err := check(placeholder); err != nil {
		return err
	}
	if custom {
		return checkCustomName(*domain)
	}
	return checkPrefix(*domain)
}

var (
	rePrefix = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
	reLabel  = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
)

// checkPrefix applies the documented pattern and the reserved words to a
// prefix domain.
func checkPrefix(name string) error {
	if len(name) > maxPrefixLen || !rePrefix.MatchString(name) {
		return cognitoidp.NewInvalidParameterException(msgInvalidPrefix)
	}
	for _, w := range reservedWords {
		if strings.Contains(name, w) {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgReservedWord, w))
		}
	}
	return nil
}

// checkCustomName accepts a lowercase fully-qualified host name of at least
// two labels.
func checkCustomName(name string) error {
	labels := strings.Split(name, ".")
	if len(name) > maxCustomDomainLen || len(labels) < 2 {
		return cognitoidp.NewInvalidParameterException(msgInvalidCustomDomain)
	}
	for _, l := range labels {
		if !reLabel.MatchString(l) {
			return cognitoidp.NewInvalidParameterException(msgInvalidCustomDomain)
		}
	}
	return nil
}

// reCertificate is an ACM certificate ARN in us-east-1.
var reCertificate = regexp.MustCompile(`^arn:aws[a-z-]*:acm:` + certificateRegion + `:[0-9]{12}:certificate/[A-Za-z0-9-]+$`)

func checkCertificate(arn string) error {
	if !reCertificate.MatchString(arn) {
		return cognitoidp.NewInvalidParameterException(msgBadCertificate)
	}
	return nil
}

// checkVersion accepts managed login version 1, and 2 on pools whose feature
// plan is not LITE.
func checkVersion(v int32, tier cognitoidp.UserPoolTierType) error {
	switch v {
	case 1:
		return nil
	case 2:
		if tier == cognitoidp.UserPoolTierTypeLite {
			return cognitoidp.NewFeatureUnavailableInTierException(msgManagedLoginTier)
		}
		return nil
	}
	return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadManagedLoginVersion, v))
}

// checkRouting applies the failover rules to a domain's Routing: AWS's
// documented lengths, custom domains only (documented: "currently only
// supported for custom domains"), and a secondary Region other than the
// pool's where the pool has a replica (unverified).
func (s *Service) checkRouting(ctx context.Context, poolID string, r *cognitoidp.RoutingType, custom bool) error {
	if r == nil {
		return nil
	}
	f := r.Failover
	if f != nil {
		var v api.Validator
		if f.SecondaryRegion != nil {
			v.StringLen("routing.failover.secondaryRegion", *f.SecondaryRegion, 5, 32, false)
		}
		if f.PrimaryRoute53HealthCheckId != nil {
			v.StringLen("routing.failover.primaryRoute53HealthCheckId", *f.PrimaryRoute53HealthCheckId, 0, maxHealthCheckIDLen, false)
		}
		if err := v.Err(); err != nil {
			return err
		}
	}
	if !custom {
		return cognitoidp.NewInvalidParameterException(msgRoutingNotCustom)
	}
	if f == nil {
		return nil
	}
	region := api.Deref(f.SecondaryRegion)
	if region == pools.RegionOf(poolID) {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgFailoverSameRegion, region))
	}
	if s.replicaRegions == nil {
		return nil
	}
	regions, err := s.replicaRegions(ctx, poolID)
	if err != nil {
		return fmt.Errorf("domains: listing the replicas of %s: %w", poolID, err)
	}
	if !slices.Contains(regions, region) {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgFailoverNoReplica, poolID, region))
	}
	return nil
}
