package pools

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// ListTagsForResource returns a pool's tags ({} when it has none).
func (s *Service) ListTagsForResource(ctx context.Context, in *cognitoidp.ListTagsForResourceRequest) (*cognitoidp.ListTagsForResourceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, err := s.poolFromARN(ctx, *in.ResourceArn)
	if err != nil {
		return nil, err
	}
	tags, err := s.store.GetTags(ctx, s.arn(poolID))
	if err != nil {
		return nil, fmt.Errorf("pools: reading tags of pool %s: %w", poolID, err)
	}
	if tags == nil {
		tags = map[string]string{}
	}
	return &cognitoidp.ListTagsForResourceResponse{Tags: tags}, nil
}
