package pools

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateUserPool replaces a pool's settings. As in Cognito, every setting the
// request leaves out goes back to its default, except UserPoolTier, which
// keeps its value. What UpdateUserPool has no member for stays as it was:
// the schema, UsernameAttributes, AliasAttributes and UsernameConfiguration.
// The name changes only when PoolName is given; tags are replaced only when
// UserPoolTags is given (unverified: whether omitting them clears them).
func (s *Service) UpdateUserPool(ctx context.Context, in *cognitoidp.UpdateUserPoolRequest) (*cognitoidp.UpdateUserPoolResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if len(in.UserPoolTags) > MaxTagsPerPool {
		return nil, cognitoidp.NewInvalidParameterException(msgTooManyTags)
	}
	now := s.clk.Now()
	_, err := s.store.UpdatePool(ctx, poolID, func(p *storage.UserPool) error {
		old, err := Decode(p)
		if err != nil {
			return err
		}
		// Built afresh on every attempt: applyDefaults fills it in place.
		up, err := settingsFrom(in)
		if err != nil {
			return err
		}
		name := p.Name
		if in.PoolName != nil {
			name = *in.PoolName
		}
		up.Id, up.Name, up.Arn = old.Id, api.Ptr(name), old.Arn
		if up.Arn == nil {
			up.Arn = api.Ptr(s.arn(poolID))
		}
		up.SchemaAttributes = old.SchemaAttributes
		up.AliasAttributes = old.AliasAttributes
		up.UsernameAttributes = old.UsernameAttributes
		up.UsernameConfiguration = old.UsernameConfiguration
		if up.UserPoolTier == nil {
			up.UserPoolTier = old.UserPoolTier
		}
		if up.UserPoolTier == nil {
			up.UserPoolTier = api.Ptr(DefaultUserPoolTier)
		}
		if err := applyDefaults(up); err != nil {
			return err
		}
		if err := checkNewest(up, old, RegionOf(poolID)); err != nil {
			return err
		}
		doc, err := encode(up)
		if err != nil {
			return err
		}
		p.Name, p.Settings, p.UpdatedAt = name, doc, now
		return nil
	})
	if err != nil {
		return nil, storeErr(err, poolID, "updating pool")
	}
	if in.UserPoolTags != nil {
		if err := s.replaceTags(ctx, poolID, in.UserPoolTags); err != nil {
			return nil, err
		}
	}
	return &cognitoidp.UpdateUserPoolResponse{}, nil
}

// replaceTags makes tags the pool's complete tag set.
func (s *Service) replaceTags(ctx context.Context, poolID string, tags map[string]string) error {
	arn := s.arn(poolID)
	cur, err := s.store.GetTags(ctx, arn)
	if err != nil {
		return fmt.Errorf("pools: reading tags of pool %s: %w", poolID, err)
	}
	var gone []string
	for k := range cur {
		if _, keep := tags[k]; !keep {
			gone = append(gone, k)
		}
	}
	if err := s.store.RemoveTags(ctx, arn, gone); err != nil {
		return fmt.Errorf("pools: untagging pool %s: %w", poolID, err)
	}
	if err := s.store.SetTags(ctx, arn, tags); err != nil {
		return fmt.Errorf("pools: tagging pool %s: %w", poolID, err)
	}
	return nil
}
