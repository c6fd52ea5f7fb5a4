package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// DeleteUserAttributes deletes attributes of the signed-in user, as an
// UpdateUserAttributes with empty values: the token's app client must be
// allowed to write them, and required and immutable attributes (and sub)
// cannot be deleted — the whole call then changes nothing.
func (s *Service) DeleteUserAttributes(ctx context.Context, in *cognitoidp.DeleteUserAttributesRequest) (*cognitoidp.DeleteUserAttributesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.begin(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	cl, err := s.client(ctx, c)
	if err != nil {
		return nil, err
	}
	del := make([]cognitoidp.AttributeType, 0, len(in.UserAttributeNames))
	for _, n := range in.UserAttributeNames {
		del = append(del, cognitoidp.AttributeType{Name: api.Ptr(n), Value: api.Ptr("")})
	}
	if _, err := s.write(ctx, c.pool, c.schema, c.user, del, attrs.ClientCaller(cl.Settings.WriteAttributes), nil); err != nil {
		return nil, err
	}
	return &cognitoidp.DeleteUserAttributesResponse{}, nil
}
