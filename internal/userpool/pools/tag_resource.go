package pools

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TagResource adds or overwrites tags on a pool, up to 50 tags in all.
func (s *Service) TagResource(ctx context.Context, in *cognitoidp.TagResourceRequest) (*cognitoidp.TagResourceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, err := s.poolFromARN(ctx, *in.ResourceArn)
	if err != nil {
		return nil, err
	}
	arn := s.arn(poolID)
	cur, err := s.store.GetTags(ctx, arn)
	if err != nil {
		return nil, fmt.Errorf("pools: reading tags of pool %s: %w", poolID, err)
	}
	n := len(cur)
	for k := range in.Tags {
		if _, ok := cur[k]; !ok {
			n++
		}
	}
	if n > MaxTagsPerPool {
		return nil, cognitoidp.NewInvalidParameterException(msgTooManyTags)
	}
	if err := s.store.SetTags(ctx, arn, in.Tags); err != nil {
		return nil, fmt.Errorf("pools: tagging pool %s: %w", poolID, err)
	}
	return &cognitoidp.TagResourceResponse{}, nil
}
