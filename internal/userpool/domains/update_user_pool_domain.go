package domains

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateUserPoolDomain changes a domain's managed login version and, for a
// custom domain, its certificate. What the request omits keeps its value;
// the name cannot change (delete and create instead).
func (s *Service) UpdateUserPoolDomain(ctx context.Context, in *cognitoidp.UpdateUserPoolDomainRequest) (*cognitoidp.UpdateUserPoolDomainResponse, error) {
	if err := validateNamed(in.Domain, func(c *string) error {
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
	d, err := s.poolDomain(ctx, poolID, name)
	if err != nil {
		return nil, err
	}
	if in.ManagedLoginVersion != nil {
		if err := checkVersion(*in.ManagedLoginVersion, poolTier(p)); err != nil {
			return nil, err
		}
	}
	if c := in.CustomDomainConfig; c != nil {
		if d.Kind != Custom {
			return nil, cognitoidp.NewInvalidParameterException(msgNotCustom)
		}
		if err := checkCertificate(*c.CertificateArn); err != nil {
			return nil, err
		}
	}
	if err := s.checkRouting(ctx, poolID, in.Routing, d.Kind == Custom); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var updated *Domain
	_, err = s.store.UpdateResource(ctx, poolID, resourceKind, string(d.Kind), func(r *storage.Resource) error {
		cur, err := fromResource(r)
		if err != nil {
			return err
		}
		if cur.Name != name { // replaced meanwhile
			return storage.ErrNotFound
		}
		if in.ManagedLoginVersion != nil {
			cur.ManagedLoginVersion = *in.ManagedLoginVersion
		}
		if c := in.CustomDomainConfig; c != nil {
			cur.CertificateARN = *c.CertificateArn
			if c.SecurityPolicy != nil {
				cur.SecurityPolicy = string(*c.SecurityPolicy)
			}
		}
		if in.Routing != nil {
			cur.Routing = in.Routing.Clone()
		}
		if r.Settings, err = cur.encode(); err != nil {
			return err
		}
		r.UpdatedAt = now
		updated = cur
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewInvalidParameterException(msgNoSuchDomain)
	}
	if err != nil {
		return nil, fmt.Errorf("domains: updating domain %s of %s: %w", name, poolID, err)
	}
	out := &cognitoidp.UpdateUserPoolDomainResponse{ManagedLoginVersion: api.Ptr(updated.ManagedLoginVersion), Routing: updated.Routing.Clone()}
	if updated.Kind == Custom {
		out.CloudFrontDomain = api.Ptr(updated.CloudFrontDomain)
	}
	return out, nil
}

// validateNamed runs the model's checks of a request naming an existing
// domain, except DomainType's pattern and length (a custom domain is a
// fully-qualified name), then refuses an empty name.
func validateNamed(domain *string, check func(*string) error) error {
	placeholder := domain
	if domain != nil {
		placeholder = api.Ptr("x")
	}
	if err := check(placeholder); err != nil {
		return err
	}
	if *domain == "" || len(*domain) > maxCustomDomainLen {
		return check(domain) // the model's own answer
	}
	return nil
}

// poolDomain returns the pool's domain of that name, or
// InvalidParameterException "No such domain or user pool exists.".
func (s *Service) poolDomain(ctx context.Context, poolID, name string) (*Domain, error) {
	d, err := Lookup(ctx, s.store, name)
	if errors.Is(err, storage.ErrNotFound) || err == nil && d.PoolID != poolID {
		return nil, cognitoidp.NewInvalidParameterException(msgNoSuchDomain)
	}
	if err != nil {
		return nil, fmt.Errorf("domains: finding domain %s: %w", name, err)
	}
	return d, nil
}
