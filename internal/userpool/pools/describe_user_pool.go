package pools

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// DescribeUserPool returns a pool's configuration, tags and user count.
func (s *Service) DescribeUserPool(ctx context.Context, in *cognitoidp.DescribeUserPoolRequest) (*cognitoidp.DescribeUserPoolResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := s.getPool(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	up, err := s.describe(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeUserPoolResponse{UserPool: up}, nil
}
