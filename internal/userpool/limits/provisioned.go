package limits

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// provisionedKey is the shared meta document of the account's provisioned
// limits: {"UserAuthentication": 200, ...}, only the categories changed from
// their default.
const provisionedKey = "cogito/limits/provisioned"

// provisionedLimits are the account's provisioned rates by category.
type provisionedLimits map[Category]int32

// value is the rate category c is held to.
func (p provisionedLimits) value(c Category) int32 {
	if v, ok := p[c]; ok {
		return v
	}
	return categories[c].Free
}

// provisioned reads the account's provisioned limits.
func (s *Service) provisioned(ctx context.Context) (provisionedLimits, error) {
	b, err := s.store.GetMeta(ctx, provisionedKey)
	if errors.Is(err, storage.ErrNotFound) {
		return provisionedLimits{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("limits: reading provisioned limits: %w", err)
	}
	p := provisionedLimits{}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("limits: decoding provisioned limits: %w", err)
	}
	return p, nil
}

// category checks a LimitDefinition (already validated against the model)
// and returns the category it names.
func category(d *cognitoidp.LimitDefinitionType) (Category, error) {
	// The model's only LimitClass is API_CATEGORY, which Validate checked.
	for _, k := range slices.Sorted(maps.Keys(d.Attributes)) {
		if k != categoryAttribute {
			return "", cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgUnknownAttribute, k))
		}
	}
	name, ok := d.Attributes[categoryAttribute]
	if !ok {
		return "", cognitoidp.NewInvalidParameterException(msgNoCategory)
	}
	c := Category(name)
	if _, ok := categories[c]; !ok {
		return "", cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgUnknownCategory, name))
	}
	return c, nil
}

// limitType renders a category's limit.
func limitType(c Category, provisioned int32) *cognitoidp.LimitType {
	return &cognitoidp.LimitType{
		LimitDefinition: &cognitoidp.LimitDefinitionType{
			LimitClass: api.Ptr(cognitoidp.LimitClassApiCategory),
			Attributes: map[string]string{categoryAttribute: string(c)},
		},
		ProvisionedLimitValue: api.Ptr(provisioned),
		FreeLimitValue:        api.Ptr(categories[c].Free),
	}
}

// GetProvisionedLimit returns a category's provisioned and default rates.
func (s *Service) GetProvisionedLimit(ctx context.Context, in *cognitoidp.GetProvisionedLimitRequest) (*cognitoidp.GetProvisionedLimitResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := category(in.LimitDefinition)
	if err != nil {
		return nil, err
	}
	p, err := s.provisioned(ctx)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.GetProvisionedLimitResponse{Limit: limitType(c, p.value(c))}, nil
}

// UpdateProvisionedLimit sets a category's rate for the account. Setting it
// back to the default rate forgets the provisioned value.
func (s *Service) UpdateProvisionedLimit(ctx context.Context, in *cognitoidp.UpdateProvisionedLimitRequest) (*cognitoidp.UpdateProvisionedLimitResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := category(in.LimitDefinition)
	if err != nil {
		return nil, err
	}
	v := *in.RequestedLimitValue
	if v < 1 || v > MaxProvisionedLimit {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadLimitValue, MaxProvisionedLimit))
	}
	_, err = s.store.UpdateMeta(ctx, provisionedKey, func(cur []byte) ([]byte, error) {
		p := provisionedLimits{}
		if cur != nil {
			if err := json.Unmarshal(cur, &p); err != nil {
				return nil, fmt.Errorf("decoding provisioned limits: %w", err)
			}
		}
		if v == categories[c].Free {
			delete(p, c)
		} else {
			p[c] = v
		}
		return json.Marshal(p)
	})
	if err != nil {
		return nil, fmt.Errorf("limits: updating the %s limit: %w", c, err)
	}
	s.log.Info("provisioned limit updated", "category", string(c), "rps", v)
	return &cognitoidp.UpdateProvisionedLimitResponse{Limit: limitType(c, v)}, nil
}
