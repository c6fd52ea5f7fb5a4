package idps

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// DescribeIdentityProvider returns a pool's identity provider by name, with
// the details Cognito computes and without the hidden ones.
func (s *Service) DescribeIdentityProvider(ctx context.Context, in *cognitoidp.DescribeIdentityProviderRequest) (*cognitoidp.DescribeIdentityProviderResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.checkPool(ctx, *in.UserPoolId); err != nil {
		return nil, err
	}
	p, err := s.get(ctx, *in.UserPoolId, *in.ProviderName)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeIdentityProviderResponse{IdentityProvider: shown(p)}, nil
}
