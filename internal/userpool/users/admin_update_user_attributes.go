package users

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminUpdateUserAttributes writes a user's attributes as an administrator:
// any attribute of the schema but sub (immutable ones only to their current
// value), an empty value deleting the attribute. Email and phone number
// changes follow applyWrite: they are unverified unless the call sets
// *_verified, may wait for verification
// (AttributesRequireVerificationBeforeUpdate) and send a code (kind
// UPDATE_ATTRIBUTE) when the pool auto-verifies them.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *cognitoidp.AdminUpdateUserAttributesRequest) (*cognitoidp.AdminUpdateUserAttributesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, schema, up, err := s.Find(ctx, *in.UserPoolId, requestName(in.Username))
	if err != nil {
		return nil, err
	}
	if _, err := s.writeAttributes(ctx, up, schema, u, in.UserAttributes); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminUpdateUserAttributesResponse{}, nil
}
