package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/limits"
	"github.com/cogito-dev/cogito/internal/userpool/logdelivery"
	"github.com/cogito-dev/cogito/internal/userpool/replicas"
	"github.com/cogito-dev/cogito/internal/userpool/terms"
)

// issue9Services are the families of API rate limits, log delivery, terms
// and replicas, and what the request pipeline asks of them.
type issue9Services struct {
	limits   *limits.Service
	terms    *terms.Service
	logs     *logdelivery.Service
	replicas *replicas.Service
}

// registerIssue9 serves the provisioned-limit, log delivery, terms and
// replica operations and builds the checks the request pipeline runs before
// every operation (issue9Guard). It runs after the pools, app-client and
// account families, whose ListUserPools, tag operations and
// DeleteUserPoolClient it extends and whose recorded auth events it exports.
func (s *Server) registerIssue9() {
	s.issue9.limits = limits.New(limits.Config{
		Store: s.store, Clock: s.clock, Logger: s.log, Enforce: s.cfg.RateLimits.Enforce,
	})
	s.issue9.limits.Register(s.idp)
	if s.cfg.RateLimits.Enforce {
		s.log.Info("API rate limits enforced (GetProvisionedLimit shows each category's rate)")
	}
	s.registerLogDelivery()
	s.registerTerms()
	s.registerReplicas()
}

// registerLogDelivery serves Set/GetLogDeliveryConfiguration and hooks the
// message sender's delivery failures (userNotification) and the account
// family's recorded auth events (userAuthEvents) to the exports.
func (s *Server) registerLogDelivery() {
	dests := make([]logdelivery.Destination, len(s.cfg.LogDelivery.Destinations))
	for i, d := range s.cfg.LogDelivery.Destinations {
		dests[i] = logdelivery.Destination{ARN: d.ARN, Target: d.Target}
	}
	sinks, err := logdelivery.NewSinks(s.cfg.LogDir(), dests, nil, nil, nil)
	if err != nil { // the configuration was validated: not expected
		s.log.Error("log delivery destinations; unmapped ARNs only", "err", err)
		sinks, _ = logdelivery.NewSinks(s.cfg.LogDir(), nil, nil, nil, nil)
	}
	s.issue9.logs = logdelivery.New(logdelivery.Config{Store: s.store, Sinks: sinks, Clock: s.clock, Logger: s.log})
	s.issue9.logs.Register(s.idp)
	s.sender.OnDeliveryFailure(func(ctx context.Context, m *message.Message, err error) {
		var de *message.DeliveryError
		if !errors.As(err, &de) {
			return // a custom sender trigger's failure is not a message-delivery error
		}
		details := fmt.Sprintf("%s message to %s could not be delivered: %v",
			m.Medium, message.MaskDestination(m.Medium, m.Destination), de.Err)
		s.issue9.logs.NotificationFailed(ctx, m.PoolID, details)
	})
	s.account.OnEventRecorded(func(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, ev cognitoidp.AuthEventType) {
		s.issue9.logs.AuthEvent(ctx, up, u, ev)
	})
}

// registerTerms serves the terms operations; an app client's terms go with
// it.
func (s *Server) registerTerms() {
	s.issue9.terms = terms.New(terms.Config{Store: s.store, Clock: s.clock, Logger: s.log})
	s.issue9.terms.Register(s.idp)
	if deleteClient := s.idp.DeleteUserPoolClient; deleteClient != nil {
		s.idp.DeleteUserPoolClient = func(ctx context.Context, in *cognitoidp.DeleteUserPoolClientRequest) (*api.Empty, error) {
			out, err := deleteClient(ctx, in)
			if err != nil {
				return out, err
			}
			if err := s.issue9.terms.DeleteClientTerms(ctx, *in.UserPoolId, *in.ClientId); err != nil {
				s.log.Warn("deleting the terms of a deleted app client", "pool", *in.UserPoolId, "err", err)
			}
			return out, nil
		}
	}
}

// registerReplicas serves the replica operations, shows ReplicaRegions in
// ListUserPools and gives replica ARNs their own tags.
func (s *Server) registerReplicas() {
	s.issue9.replicas = replicas.New(replicas.Config{
		Store: s.store, Clock: s.clock, Logger: s.log,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Regions: s.cfg.ReplicaRegions,
	})
	s.issue9.replicas.Register(s.idp)
	s.issue9.replicas.WrapTags(s.idp)
	if listPools := s.idp.ListUserPools; listPools != nil {
		s.idp.ListUserPools = func(ctx context.Context, in *cognitoidp.ListUserPoolsRequest) (*cognitoidp.ListUserPoolsResponse, error) {
			out, err := listPools(ctx, in)
			if err != nil {
				return out, err
			}
			for i := range out.UserPools {
				p := &out.UserPools[i]
				regions, err := s.issue9.replicas.ReplicaRegions(ctx, api.Deref(p.Id))
				if err != nil {
					return nil, err
				}
				if len(regions) > 0 {
					p.ReplicaRegions = regions
				}
			}
			return out, nil
		}
	}
	if len(s.cfg.ReplicaRegions) > 0 {
		s.log.Info("replica regions served", "regions", s.cfg.ReplicaRegions)
	}
}

// requestKeys are the members of a User Pools request that name its pool.
type requestKeys struct {
	UserPoolId  *string
	ClientId    *string
	AccessToken *string
}

// issue9Guard runs before every User Pools operation: the rate-limit check,
// then the restrictions of a secondary replica's Region. The body is decoded
// (once) only when a check needs it.
func (s *Server) issue9Guard(r *http.Request, service, operation string, body []byte) error {
	if service != "cognito-idp" {
		return nil
	}
	keys := sync.OnceValue(func() requestKeys {
		var k requestKeys
		_ = json.Unmarshal(body, &k) // a body that does not decode fails in the handler
		return k
	})
	if s.issue9.limits.Enforcing() {
		if err := s.issue9.limits.Check(r.Context(), operation, api.Deref(keys().UserPoolId)); err != nil {
			return err
		}
	}
	return s.issue9.replicas.Check(r, operation, func() replicas.Request {
		k := keys()
		return replicas.Request{UserPoolID: api.Deref(k.UserPoolId), ClientID: api.Deref(k.ClientId), AccessToken: api.Deref(k.AccessToken)}
	})
}
