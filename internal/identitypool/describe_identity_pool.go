package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// DescribeIdentityPool shows a pool's configuration and tags.
func (s *Service) DescribeIdentityPool(ctx context.Context, in *cognitoidentity.DescribeIdentityPoolInput) (*cognitoidentity.IdentityPool, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	tags, err := s.tags(ctx, p.Record.ID)
	if err != nil {
		return nil, err
	}
	return render(p, tags), nil
}
