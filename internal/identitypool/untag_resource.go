package identitypool

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// UntagResource removes tags from a pool; keys it does not have are ignored.
func (s *Service) UntagResource(ctx context.Context, in *cognitoidentity.UntagResourceInput) (*cognitoidentity.UntagResourceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id, err := s.poolFromARN(ctx, *in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if err := s.store.RemoveTags(ctx, s.arn(id), in.TagKeys); err != nil {
		return nil, fmt.Errorf("identitypool: untag %s: %w", id, err)
	}
	return &cognitoidentity.UntagResourceResponse{}, nil
}
