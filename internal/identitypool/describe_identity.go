package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// DescribeIdentity shows an identity: its linked logins' providers and its
// creation and modification dates.
func (s *Service) DescribeIdentity(ctx context.Context, in *cognitoidentity.DescribeIdentityInput) (*cognitoidentity.IdentityDescription, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	i, err := s.getIdentity(ctx, *in.IdentityId)
	if err != nil {
		return nil, err
	}
	d := describe(i)
	return &d, nil
}
