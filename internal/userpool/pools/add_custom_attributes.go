package pools

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AddCustomAttributes adds custom attributes to a pool's schema. Every name
// gets the custom: prefix (dev:custom: when developer-only), even one that
// names a standard attribute or already starts with custom:. Custom
// attributes cannot be required, and a pool holds at most 50.
func (s *Service) AddCustomAttributes(ctx context.Context, in *cognitoidp.AddCustomAttributesRequest) (*cognitoidp.AddCustomAttributesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	now := s.clk.Now()
	_, err := s.store.UpdatePool(ctx, poolID, func(p *storage.UserPool) error {
		up, err := Decode(p)
		if err != nil {
			return err
		}
		schema := up.SchemaAttributes
		for _, attr := range in.CustomAttributes {
			a, err := newCustomAttribute(attr)
			if err != nil {
				return err
			}
			if err := checkCustomConflict(schema, attr); err != nil {
				return err
			}
			schema = append(schema, a)
		}
		if countCustom(schema) > MaxCustomAttributes {
			return cognitoidp.NewInvalidParameterException(msgTooManyCustomAttributes)
		}
		up.SchemaAttributes = schema
		doc, err := encode(up)
		if err != nil {
			return err
		}
		p.Settings, p.UpdatedAt = doc, now
		return nil
	})
	if err != nil {
		return nil, storeErr(err, poolID, "adding custom attributes to pool")
	}
	return &cognitoidp.AddCustomAttributesResponse{}, nil
}
