package risk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// SetRiskConfiguration stores the threat-protection configuration of a pool
// (ClientId absent or ALL) or of one app client, replacing what was there.
// A request with none of the three configurations clears it.
func (s *Service) SetRiskConfiguration(ctx context.Context, in *cognitoidp.SetRiskConfigurationRequest) (*cognitoidp.SetRiskConfigurationResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := pools.Load(ctx, s.store, poolID); err != nil {
		return nil, err
	}
	clientID, err := s.checkClient(ctx, poolID, in.ClientId)
	if err != nil {
		return nil, err
	}
	rc := &cognitoidp.RiskConfigurationType{
		UserPoolId:                              api.Ptr(poolID),
		ClientId:                                api.Ptr(clientID),
		CompromisedCredentialsRiskConfiguration: in.CompromisedCredentialsRiskConfiguration,
		AccountTakeoverRiskConfiguration:        in.AccountTakeoverRiskConfiguration,
		RiskExceptionConfiguration:              in.RiskExceptionConfiguration,
	}
	if err := validate(rc); err != nil {
		return nil, err
	}
	rc = rc.Clone()
	now := s.clock.Now()
	rc.LastModifiedDate = api.NewTime(now)
	if rc.CompromisedCredentialsRiskConfiguration == nil && rc.AccountTakeoverRiskConfiguration == nil && rc.RiskExceptionConfiguration == nil {
		if err := s.store.DeleteResource(ctx, poolID, resourceKind, clientID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, fmt.Errorf("risk: clearing the configuration of %s/%s: %w", poolID, clientID, err)
		}
		return &cognitoidp.SetRiskConfigurationResponse{RiskConfiguration: rc}, nil
	}
	doc, err := json.Marshal(rc)
	if err != nil {
		return nil, fmt.Errorf("risk: encoding a configuration: %w", err)
	}
	_, err = s.store.UpdateResource(ctx, poolID, resourceKind, clientID, func(r *storage.Resource) error {
		r.Settings, r.UpdatedAt = doc, now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		err = s.store.CreateResource(ctx, &storage.Resource{
			PoolID: poolID, Kind: resourceKind, ID: clientID, Settings: doc, CreatedAt: now, UpdatedAt: now,
		})
		if errors.Is(err, storage.ErrAlreadyExists) { // a concurrent first Set: ours is the newer
			_, err = s.store.UpdateResource(ctx, poolID, resourceKind, clientID, func(r *storage.Resource) error {
				r.Settings, r.UpdatedAt = doc, now
				return nil
			})
		}
		if errors.Is(err, storage.ErrNotFound) { // the pool went away meanwhile
			_, err := pools.Load(ctx, s.store, poolID)
			return nil, err
		}
	}
	if err != nil {
		return nil, fmt.Errorf("risk: storing the configuration of %s/%s: %w", poolID, clientID, err)
	}
	return &cognitoidp.SetRiskConfigurationResponse{RiskConfiguration: rc}, nil
}

// DescribeRiskConfiguration answers the configuration that applies to the
// pool (no ClientId) or to an app client: its own, else the pool's.
func (s *Service) DescribeRiskConfiguration(ctx context.Context, in *cognitoidp.DescribeRiskConfigurationRequest) (*cognitoidp.DescribeRiskConfigurationResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := pools.Load(ctx, s.store, poolID); err != nil {
		return nil, err
	}
	clientID, err := s.checkClient(ctx, poolID, in.ClientId)
	if err != nil {
		return nil, err
	}
	rc, err := s.Effective(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	if rc == nil {
		rc = &cognitoidp.RiskConfigurationType{UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID)}
	}
	return &cognitoidp.DescribeRiskConfigurationResponse{RiskConfiguration: rc}, nil
}

// Effective returns the configuration that applies to clientID (ALL for the
// pool): the client's own, else the pool's, else nil.
func (s *Service) Effective(ctx context.Context, poolID, clientID string) (*cognitoidp.RiskConfigurationType, error) {
	ids := []string{clientID}
	if clientID != ALL {
		ids = append(ids, ALL)
	}
	for _, id := range ids {
		r, err := s.store.GetResource(ctx, poolID, resourceKind, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("risk: reading the configuration of %s/%s: %w", poolID, id, err)
		}
		rc := new(cognitoidp.RiskConfigurationType)
		if err := json.Unmarshal(r.Settings, rc); err != nil {
			return nil, fmt.Errorf("risk: decoding the configuration of %s/%s: %w", poolID, id, err)
		}
		return rc, nil
	}
	return nil, nil
}

// checkClient returns the configuration's client id: ALL when absent, else
// an app client of the pool (ResourceNotFoundException otherwise).
func (s *Service) checkClient(ctx context.Context, poolID string, clientID *string) (string, error) {
	id := api.Deref(clientID)
	if id == "" || id == ALL {
		return ALL, nil
	}
	if _, err := s.clients.LookupInPool(ctx, poolID, id); err != nil {
		return "", err // ResourceNotFoundException for a client not of this pool
	}
	return id, nil
}

// validate checks what the model's validators do not: Notify actions need a
// NotifyConfiguration, and IP ranges are CIDR blocks.
func validate(rc *cognitoidp.RiskConfigurationType) error {
	if ato := rc.AccountTakeoverRiskConfiguration; ato != nil && ato.Actions != nil && ato.NotifyConfiguration == nil {
		for _, a := range []*cognitoidp.AccountTakeoverActionType{ato.Actions.LowAction, ato.Actions.MediumAction, ato.Actions.HighAction} {
			if a != nil && a.Notify {
				return cognitoidp.NewInvalidParameterException(msgNotifyNeedsConfig)
			}
		}
	}
	if ex := rc.RiskExceptionConfiguration; ex != nil {
		for _, list := range [][]string{ex.BlockedIPRangeList, ex.SkippedIPRangeList} {
			if len(list) > maxIPRanges {
				return cognitoidp.NewInvalidParameterException(fmt.Sprintf("IP range lists hold at most %d ranges.", maxIPRanges))
			}
			for _, r := range list {
				if _, err := netip.ParsePrefix(r); err != nil {
					return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadIPRange, r))
				}
			}
		}
	}
	return nil
}
