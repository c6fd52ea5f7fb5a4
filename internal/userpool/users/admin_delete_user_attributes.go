package users

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminDeleteUserAttributes deletes attributes of a user. Required and
// immutable attributes (and sub) cannot be deleted; the whole call then
// changes nothing.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *cognitoidp.AdminDeleteUserAttributesRequest) (*cognitoidp.AdminDeleteUserAttributesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, schema, up, err := s.Find(ctx, *in.UserPoolId, requestName(in.Username))
	if err != nil {
		return nil, err
	}
	del := make([]cognitoidp.AttributeType, 0, len(in.UserAttributeNames))
	for _, n := range in.UserAttributeNames {
		del = append(del, cognitoidp.AttributeType{Name: api.Ptr(n), Value: api.Ptr("")})
	}
	if _, err := s.writeAttributes(ctx, up, schema, u, del); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminDeleteUserAttributesResponse{}, nil
}
