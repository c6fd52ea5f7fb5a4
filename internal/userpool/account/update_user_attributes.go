package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// UpdateUserAttributes writes the signed-in user's attributes with the
// permissions of the token's app client (its WriteAttributes): an empty value
// deletes the attribute. A new email or phone number becomes unverified and,
// for auto-verified attributes, gets a code (CodeDeliveryDetailsList); with
// AttributesRequireVerificationBeforeUpdate the old value stays until the new
// one is verified. The rules are the users family's (Config.WriteAttributes);
// ClientMetadata goes to the custom message trigger.
func (s *Service) UpdateUserAttributes(ctx context.Context, in *cognitoidp.UpdateUserAttributesRequest) (*cognitoidp.UpdateUserAttributesResponse, error) {
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
	details, err := s.write(ctx, c.pool, c.schema, c.user, in.UserAttributes, attrs.ClientCaller(cl.Settings.WriteAttributes), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.UpdateUserAttributesResponse{CodeDeliveryDetailsList: details}, nil
}
