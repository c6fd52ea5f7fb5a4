package identitypool

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// TagResource adds or overwrites tags on a pool, up to MaxTags in all.
func (s *Service) TagResource(ctx context.Context, in *cognitoidentity.TagResourceInput) (*cognitoidentity.TagResourceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id, err := s.poolFromARN(ctx, *in.ResourceArn)
	if err != nil {
		return nil, err
	}
	cur, err := s.tags(ctx, id)
	if err != nil {
		return nil, err
	}
	n := len(cur)
	for k := range in.Tags {
		if _, ok := cur[k]; !ok {
			n++
		}
	}
	if n > MaxTags {
		return nil, invalid(msgTooManyTags)
	}
	if err := s.store.SetTags(ctx, s.arn(id), in.Tags); err != nil {
		return nil, fmt.Errorf("identitypool: tag %s: %w", id, err)
	}
	return &cognitoidentity.TagResourceResponse{}, nil
}
