package terms

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// DescribeTerms returns a terms document.
func (s *Service) DescribeTerms(ctx context.Context, in *cognitoidp.DescribeTermsRequest) (*cognitoidp.DescribeTermsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkPool(ctx, *in.UserPoolId); err != nil {
		return nil, err
	}
	r, d, err := s.get(ctx, *in.UserPoolId, *in.TermsId)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeTermsResponse{Terms: termsType(r, d)}, nil
}
