package domains

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DescribeUserPoolDomain describes a domain of any pool by its name. A name no
// pool has answers an empty DomainDescription, as Cognito does.
func (s *Service) DescribeUserPoolDomain(ctx context.Context, in *cognitoidp.DescribeUserPoolDomainRequest) (*cognitoidp.DescribeUserPoolDomainResponse, error) {
	if err := validateNamed(in.Domain, func(c *string) error {
		return (&cognitoidp.DescribeUserPoolDomainRequest{Domain: c}).Validate()
	}); err != nil {
		return nil, err
	}
	d, err := Lookup(ctx, s.store, *in.Domain)
	if errors.Is(err, storage.ErrNotFound) {
		return &cognitoidp.DescribeUserPoolDomainResponse{DomainDescription: &cognitoidp.DomainDescriptionType{}}, nil
	}
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeUserPoolDomainResponse{DomainDescription: s.description(d)}, nil
}
