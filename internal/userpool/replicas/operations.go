package replicas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
)

// The model's constraints the generated validators lack for the replica
// operations (from the API reference): UserPoolId as everywhere, RegionName
// 5–32 characters.
var userPoolIDPattern = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

func validate(poolID, region *string) error {
	var v api.Validator
	if poolID != nil {
		v.StringLen("userPoolId", *poolID, 1, 55, false)
		v.Pattern("userPoolId", *poolID, userPoolIDPattern, `[\w-]+_[0-9a-zA-Z]+`, false)
	}
	if region != nil {
		v.StringLen("regionName", *region, 5, 32, false)
	}
	return v.Err()
}

// CreateUserPoolReplica places a replica of a pool in a Region this server
// serves. It starts CREATING and becomes INACTIVE after the transition.
func (s *Service) CreateUserPoolReplica(ctx context.Context, in *cognitoidp.CreateUserPoolReplicaRequest) (*cognitoidp.CreateUserPoolReplicaResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := validate(in.UserPoolId, in.RegionName); err != nil {
		return nil, err
	}
	poolID, region := *in.UserPoolId, *in.RegionName
	up, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if api.Deref(up.UserPoolTier) == cognitoidp.UserPoolTierTypeLite {
		return nil, cognitoidp.NewFeatureUnavailableInTierException(msgNeedsPlan)
	}
	if region == s.primaryRegion(poolID) {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgPrimaryRegion, region))
	}
	if !slices.Contains(s.regions, region) {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgRegionNotServed, region))
	}
	// A replica whose deletion is over frees its Region.
	if _, err := s.get(ctx, poolID, region); err == nil {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgReplicaExists, region))
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("replicas: reading the replica of %s in %s: %w", poolID, region, err)
	}
	now := s.clk.Now()
	rec := record{Status: cognitoidp.ReplicaStatusTypeCreating, Until: now.Add(s.transition)}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("replicas: encoding a replica: %w", err)
	}
	err = s.store.CreateResource(ctx, &storage.Resource{PoolID: poolID, Kind: resourceKind, ID: region, Settings: b, CreatedAt: now, UpdatedAt: now})
	switch {
	case errors.Is(err, storage.ErrAlreadyExists):
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgReplicaExists, region))
	case errors.Is(err, storage.ErrNotFound):
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgPoolNotFound, poolID))
	case err != nil:
		return nil, fmt.Errorf("replicas: creating the replica of %s in %s: %w", poolID, region, err)
	}
	if len(in.UserPoolTags) > 0 {
		if err := s.store.SetTags(ctx, s.ARN(poolID, region), in.UserPoolTags); err != nil {
			return nil, fmt.Errorf("replicas: tagging the replica of %s in %s: %w", poolID, region, err)
		}
	}
	s.log.Info("user pool replica created", "pool", poolID, "region", region)
	out := s.replicaType(rec.at(poolID, region, now), cognitoidp.ReplicaRoleTypeSecondary)
	return &cognitoidp.CreateUserPoolReplicaResponse{UserPoolReplica: &out}, nil
}

// ListUserPoolReplicas lists the pool's primary and its replicas.
func (s *Service) ListUserPoolReplicas(ctx context.Context, in *cognitoidp.ListUserPoolReplicasRequest) (*cognitoidp.ListUserPoolReplicasResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := validate(in.UserPoolId, nil); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	// Everything fits in one page: a token was never issued.
	if in.NextToken != nil {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	rs, err := s.list(ctx, poolID)
	if err != nil {
		return nil, err
	}
	primary := replica{poolID: poolID, region: s.primaryRegion(poolID), status: cognitoidp.ReplicaStatusTypeActive}
	out := &cognitoidp.ListUserPoolReplicasResponse{UserPoolReplicas: []cognitoidp.UserPoolReplicaType{s.replicaType(primary, cognitoidp.ReplicaRoleTypePrimary)}}
	for _, r := range rs {
		out.UserPoolReplicas = append(out.UserPoolReplicas, s.replicaType(r, cognitoidp.ReplicaRoleTypeSecondary))
	}
	return out, nil
}

// UpdateUserPoolReplica activates or deactivates a replica.
func (s *Service) UpdateUserPoolReplica(ctx context.Context, in *cognitoidp.UpdateUserPoolReplicaRequest) (*cognitoidp.UpdateUserPoolReplicaResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := validate(in.UserPoolId, in.RegionName); err != nil {
		return nil, err
	}
	poolID, region, status := *in.UserPoolId, *in.RegionName, cognitoidp.ReplicaStatusType(*in.Status)
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	if region == s.primaryRegion(poolID) {
		return nil, cognitoidp.NewInvalidParameterException(msgPrimaryStatus)
	}
	var out replica
	now := s.clk.Now()
	_, err := s.store.UpdateResource(ctx, poolID, resourceKind, region, func(r *storage.Resource) error {
		rec, err := decode(r)
		if err != nil {
			return err
		}
		cur := rec.at(poolID, region, now)
		switch {
		case cur.gone:
			return storage.ErrNotFound
		case cur.status == cognitoidp.ReplicaStatusTypeCreating || cur.status == cognitoidp.ReplicaStatusTypeDeleting:
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgReplicaBusy, region, cur.status))
		}
		rec.Status, rec.Until = status, now
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		r.Settings, r.UpdatedAt = b, now
		out = rec.at(poolID, region, now)
		return nil
	})
	if err != nil {
		return nil, s.updateErr(err, poolID, region)
	}
	s.log.Info("user pool replica updated", "pool", poolID, "region", region, "status", string(status))
	rt := s.replicaType(out, cognitoidp.ReplicaRoleTypeSecondary)
	return &cognitoidp.UpdateUserPoolReplicaResponse{UserPoolReplica: &rt}, nil
}

// DeleteUserPoolReplica deletes a replica: DELETING for the transition, then
// gone (with its tags).
func (s *Service) DeleteUserPoolReplica(ctx context.Context, in *cognitoidp.DeleteUserPoolReplicaRequest) (*cognitoidp.DeleteUserPoolReplicaResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := validate(in.UserPoolId, in.RegionName); err != nil {
		return nil, err
	}
	poolID, region := *in.UserPoolId, *in.RegionName
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	if region == s.primaryRegion(poolID) {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgPrimaryRegion, region))
	}
	var out replica
	now := s.clk.Now()
	_, err := s.store.UpdateResource(ctx, poolID, resourceKind, region, func(r *storage.Resource) error {
		rec, err := decode(r)
		if err != nil {
			return err
		}
		cur := rec.at(poolID, region, now)
		switch {
		case cur.gone:
			return storage.ErrNotFound
		case cur.status == cognitoidp.ReplicaStatusTypeDeleting:
			out = cur // already being deleted
			return storage.ErrSkip
		}
		rec.Status, rec.Until = cognitoidp.ReplicaStatusTypeDeleting, now.Add(s.transition)
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		r.Settings, r.UpdatedAt = b, now
		out = rec.at(poolID, region, now)
		return nil
	})
	if err != nil {
		return nil, s.updateErr(err, poolID, region)
	}
	s.log.Info("user pool replica deleted", "pool", poolID, "region", region)
	rt := s.replicaType(out, cognitoidp.ReplicaRoleTypeSecondary)
	return &cognitoidp.DeleteUserPoolReplicaResponse{UserPoolReplica: &rt}, nil
}

// updateErr maps the errors of a replica update.
func (s *Service) updateErr(err error, poolID, region string) error {
	var ce *storage.ConflictError
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return notFound(poolID, region)
	case errors.As(err, &ce):
		return cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
	}
	if _, ok := awserr.As(err); ok {
		return err // a Cognito error from the update closure
	}
	return fmt.Errorf("replicas: updating the replica of %s in %s: %w", poolID, region, err)
}
