package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// ListTagsForResource shows a pool's tags ({} when it has none).
func (s *Service) ListTagsForResource(ctx context.Context, in *cognitoidentity.ListTagsForResourceInput) (*cognitoidentity.ListTagsForResourceResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id, err := s.poolFromARN(ctx, *in.ResourceArn)
	if err != nil {
		return nil, err
	}
	tags, err := s.tags(ctx, id)
	if err != nil {
		return nil, err
	}
	return &cognitoidentity.ListTagsForResourceResponse{Tags: tags}, nil
}
