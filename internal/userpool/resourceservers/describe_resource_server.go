package resourceservers

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// DescribeResourceServer returns a pool's resource server by identifier.
func (s *Service) DescribeResourceServer(ctx context.Context, in *cognitoidp.DescribeResourceServerRequest) (*cognitoidp.DescribeResourceServerResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkPool(ctx, *in.UserPoolId); err != nil {
		return nil, err
	}
	rsv, err := s.get(ctx, *in.UserPoolId, *in.Identifier)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeResourceServerResponse{ResourceServer: rsv}, nil
}
