// Package logdelivery implements SetLogDeliveryConfiguration and
// GetLogDeliveryConfiguration, and delivers what a configuration asks for:
// message-delivery errors (event source userNotification) and threat
// protection's user-activity events (userAuthEvents), as JSON lines in
// Cognito's log event formats, to the destination the configuration names.
// Cogito has no CloudWatch, S3 or Firehose: the operator maps destination
// ARNs to a file, standard output or an HTTP endpoint (Sinks); an unmapped
// ARN gets a file of its own in the log directory.
//
// The configuration is a storage.Resource of kind "log-delivery" per pool.
// The message sender reports delivery failures through NotificationFailed,
// the account family its recorded auth events through AuthEvent. Cognito
// facts the package relies on are in defaults.go.
package logdelivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.PoolStore
	storage.ResourceStore
}

// Config holds the service's dependencies. Store and Sinks are required; a
// nil Clock is the real clock and a nil Logger discards.
type Config struct {
	Store  Store
	Sinks  *Sinks
	Clock  clock.Clock
	Logger *slog.Logger
}

// Service implements the log delivery operations and delivers the logs.
type Service struct {
	store Store
	sinks *Sinks
	clk   clock.Clock
	log   *slog.Logger
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, sinks: cfg.Sinks, clk: cfg.Clock, log: cfg.Logger}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the log delivery operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.SetLogDeliveryConfiguration = s.SetLogDeliveryConfiguration
	h.GetLogDeliveryConfiguration = s.GetLogDeliveryConfiguration
}

// loadPool returns the pool's settings, or ResourceNotFoundException.
func (s *Service) loadPool(ctx context.Context, poolID string) (*cognitoidp.UserPoolType, error) {
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	return up, nil
}

// configuration reads a pool's log configurations (none when never set).
func (s *Service) configuration(ctx context.Context, poolID string) ([]cognitoidp.LogConfigurationType, error) {
	r, err := s.store.GetResource(ctx, poolID, resourceKind, resourceID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("logdelivery: reading the configuration of %s: %w", poolID, err)
	}
	var out []cognitoidp.LogConfigurationType
	if err := json.Unmarshal(r.Settings, &out); err != nil {
		return nil, fmt.Errorf("logdelivery: decoding the configuration of %s: %w", poolID, err)
	}
	return out, nil
}

// destination is the ARN a configuration entry sends to and the service the
// ARN must name; n is how many destinations the entry has.
func destination(c *cognitoidp.LogConfigurationType) (arn, service string, n int) {
	if c.CloudWatchLogsConfiguration != nil {
		arn, service, n = api.Deref(c.CloudWatchLogsConfiguration.LogGroupArn), "logs", n+1
	}
	if c.S3Configuration != nil {
		arn, service, n = api.Deref(c.S3Configuration.BucketArn), "s3", n+1
	}
	if c.FirehoseConfiguration != nil {
		arn, service, n = api.Deref(c.FirehoseConfiguration.StreamArn), "firehose", n+1
	}
	return arn, service, n
}

// check applies Cognito's rules to a configuration (the model's constraints
// were checked by Validate).
func check(up *cognitoidp.UserPoolType, cfgs []cognitoidp.LogConfigurationType) error {
	seen := map[cognitoidp.EventSourceName]bool{}
	for i := range cfgs {
		c := &cfgs[i]
		arn, service, n := destination(c)
		if n != 1 || arn == "" {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgNoDestination, i+1))
		}
		if parts := strings.SplitN(arn, ":", 6); len(parts) < 6 || parts[2] != service {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgWrongService, arn, service))
		}
		src := *c.EventSource
		if seen[src] {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDuplicateSource, src))
		}
		seen[src] = true
		switch src {
		case cognitoidp.EventSourceNameUserNotification:
			if *c.LogLevel != cognitoidp.LogLevelError {
				return cognitoidp.NewInvalidParameterException(msgNotificationLevel)
			}
			if c.CloudWatchLogsConfiguration == nil {
				return cognitoidp.NewInvalidParameterException(msgNotificationDestination)
			}
		case cognitoidp.EventSourceNameUserAuthEvents:
			if *c.LogLevel != cognitoidp.LogLevelInfo {
				return cognitoidp.NewInvalidParameterException(msgActivityLevel)
			}
			if api.Deref(up.UserPoolTier) != cognitoidp.UserPoolTierTypePlus {
				return cognitoidp.NewFeatureUnavailableInTierException(msgActivityNeedsPlus)
			}
		}
	}
	return nil
}

// SetLogDeliveryConfiguration replaces a pool's log configurations; an empty
// list turns log delivery off.
func (s *Service) SetLogDeliveryConfiguration(ctx context.Context, in *cognitoidp.SetLogDeliveryConfigurationRequest) (*cognitoidp.SetLogDeliveryConfigurationResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	up, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if err := check(up, in.LogConfigurations); err != nil {
		return nil, err
	}
	cfgs := in.LogConfigurations
	if cfgs == nil {
		cfgs = []cognitoidp.LogConfigurationType{}
	}
	b, err := json.Marshal(cfgs)
	if err != nil {
		return nil, fmt.Errorf("logdelivery: encoding the configuration: %w", err)
	}
	now := s.clk.Now()
	_, err = s.store.UpdateResource(ctx, poolID, resourceKind, resourceID, func(r *storage.Resource) error {
		r.Settings = b
		r.UpdatedAt = now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		err = s.store.CreateResource(ctx, &storage.Resource{
			PoolID: poolID, Kind: resourceKind, ID: resourceID, Settings: b, CreatedAt: now, UpdatedAt: now,
		})
		if errors.Is(err, storage.ErrAlreadyExists) {
			// Created meanwhile by another request: a concurrent write.
			return nil, cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
		}
	}
	var ce *storage.ConflictError
	if errors.As(err, &ce) {
		return nil, cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgPoolNotFound, poolID))
	}
	if err != nil {
		return nil, fmt.Errorf("logdelivery: storing the configuration of %s: %w", poolID, err)
	}
	return &cognitoidp.SetLogDeliveryConfigurationResponse{
		LogDeliveryConfiguration: &cognitoidp.LogDeliveryConfigurationType{UserPoolId: api.Ptr(poolID), LogConfigurations: cfgs},
	}, nil
}

// GetLogDeliveryConfiguration returns a pool's log configurations.
func (s *Service) GetLogDeliveryConfiguration(ctx context.Context, in *cognitoidp.GetLogDeliveryConfigurationRequest) (*cognitoidp.GetLogDeliveryConfigurationResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	cfgs, err := s.configuration(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if cfgs == nil {
		cfgs = []cognitoidp.LogConfigurationType{}
	}
	return &cognitoidp.GetLogDeliveryConfigurationResponse{
		LogDeliveryConfiguration: &cognitoidp.LogDeliveryConfigurationType{UserPoolId: api.Ptr(poolID), LogConfigurations: cfgs},
	}, nil
}
