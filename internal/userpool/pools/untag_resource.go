package pools

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// UntagResource removes tags from a pool; keys it does not have are ignored.
func (s *Service) UntagResource(ctx context.Context, in *cognitoidp.UntagResourceRequest) (*cognitoidp.UntagResourceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, err := s.poolFromARN(ctx, *in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if err := s.store.RemoveTags(ctx, s.arn(poolID), in.TagKeys); err != nil {
		return nil, fmt.Errorf("pools: untagging pool %s: %w", poolID, err)
	}
	return &cognitoidp.UntagResourceResponse{}, nil
}
