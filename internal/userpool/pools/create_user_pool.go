package pools

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
)

// CreateUserPool creates a pool with the given settings and Cognito's
// defaults for the rest, its signing keys and its tags.
func (s *Service) CreateUserPool(ctx context.Context, in *cognitoidp.CreateUserPoolRequest) (*cognitoidp.CreateUserPoolResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if len(in.UsernameAttributes) > 0 && len(in.AliasAttributes) > 0 {
		return nil, cognitoidp.NewInvalidParameterException(msgUsernameAndAlias)
	}
	if len(in.UserPoolTags) > MaxTagsPerPool {
		return nil, cognitoidp.NewInvalidParameterException(msgTooManyTags)
	}
	up, err := settingsFrom(in)
	if err != nil {
		return nil, err
	}
	if up.UserPoolTier == nil {
		up.UserPoolTier = api.Ptr(DefaultUserPoolTier)
	}
	if err := applyDefaults(up); err != nil {
		return nil, err
	}
	if err := checkNewest(up, nil, s.region); err != nil {
		return nil, err
	}
	schema, err := buildSchema(in.Schema)
	if err != nil {
		return nil, err
	}
	up.SchemaAttributes = schema
	if slices.Contains(up.AliasAttributes, cognitoidp.AliasAttributeTypePreferredUsername) && attrRequired(schema, "preferred_username") {
		return nil, cognitoidp.NewInvalidParameterException(msgPreferredUsernameRequiredAlias)
	}

	now := s.clk.Now()
	name := *in.PoolName
	var rec *storage.UserPool
	for attempt := 0; ; attempt++ {
		id := ids.UserPoolID(s.region)
		up.Id, up.Name, up.Arn = api.Ptr(id), api.Ptr(name), api.Ptr(s.arn(id))
		doc, err := encode(up)
		if err != nil {
			return nil, err
		}
		rec = &storage.UserPool{ID: id, Name: name, Settings: doc, CreatedAt: now, UpdatedAt: now}
		err = s.store.CreatePool(ctx, rec)
		if err == nil {
			break
		}
		if !errors.Is(err, storage.ErrAlreadyExists) || attempt+1 >= createIDAttempts {
			return nil, fmt.Errorf("pools: creating pool: %w", err)
		}
	}
	// Keys and tags are separate writes; undo the pool if they fail, so a
	// failed CreateUserPool leaves nothing behind.
	if err := s.finishCreate(ctx, rec.ID, in.UserPoolTags); err != nil {
		if derr := s.store.DeletePool(ctx, rec.ID); derr != nil && !errors.Is(derr, storage.ErrNotFound) {
			s.log.ErrorContext(ctx, "removing half-created user pool", "pool", rec.ID, "err", derr)
		}
		if derr := s.store.DeleteAllTags(ctx, s.arn(rec.ID)); derr != nil {
			s.log.ErrorContext(ctx, "removing tags of half-created user pool", "pool", rec.ID, "err", derr)
		}
		if s.keys != nil {
			s.keys.Forget(rec.ID)
		}
		return nil, err
	}
	s.log.InfoContext(ctx, "user pool created", "pool", rec.ID)

	out, err := Decode(rec)
	if err != nil {
		return nil, err
	}
	if len(in.UserPoolTags) > 0 {
		out.UserPoolTags = maps.Clone(in.UserPoolTags)
	}
	if err := s.fillVolatile(ctx, out); err != nil {
		return nil, err
	}
	return &cognitoidp.CreateUserPoolResponse{UserPool: out}, nil
}

func (s *Service) finishCreate(ctx context.Context, poolID string, tags map[string]string) error {
	if s.keys != nil {
		if err := s.keys.CreatePoolKeys(ctx, poolID); err != nil {
			return fmt.Errorf("pools: creating signing keys of pool %s: %w", poolID, err)
		}
	}
	if len(tags) > 0 {
		if err := s.store.SetTags(ctx, s.arn(poolID), tags); err != nil {
			return fmt.Errorf("pools: tagging pool %s: %w", poolID, err)
		}
	}
	return nil
}

func attrRequired(schema []cognitoidp.SchemaAttributeType, name string) bool {
	for _, a := range schema {
		if api.Deref(a.Name) == name {
			return api.Deref(a.Required)
		}
	}
	return false
}
