package server

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/limits"
	"github.com/cogito-dev/cogito/internal/userpool/terms"
)

// issue9Services are the families of API rate limits, log delivery, terms
// and replicas, and what the request pipeline asks of them.
type issue9Services struct {
	limits *limits.Service
	terms  *terms.Service
}

// registerIssue9 serves the provisioned-limit and terms operations and
// builds the rate-limit check the request pipeline runs (issue9Guard). It
// runs after the app-client family, whose DeleteUserPoolClient it extends.
func (s *Server) registerIssue9() {
	s.issue9.limits = limits.New(limits.Config{
		Store: s.store, Clock: s.clock, Logger: s.log, Enforce: s.cfg.RateLimits.Enforce,
	})
	s.issue9.limits.Register(s.idp)
	if s.cfg.RateLimits.Enforce {
		s.log.Info("API rate limits enforced (GetProvisionedLimit shows each category's rate)")
	}

	s.issue9.terms = terms.New(terms.Config{Store: s.store, Clock: s.clock, Logger: s.log})
	s.issue9.terms.Register(s.idp)
	// An app client's terms documents go with it.
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

// requestKeys are the members of a User Pools request that name its pool.
type requestKeys struct {
	UserPoolId *string
}

// issue9Guard runs before every API operation: the rate-limit check.
func (s *Server) issue9Guard(r *http.Request, service, operation string, body []byte) error {
	if service != "cognito-idp" {
		return nil
	}
	if s.issue9.limits.Enforcing() {
		var k requestKeys
		_ = json.Unmarshal(body, &k) // a body that does not decode fails in the handler
		poolID := ""
		if k.UserPoolId != nil {
			poolID = *k.UserPoolId
		}
		if err := s.issue9.limits.Check(r.Context(), operation, poolID); err != nil {
			return err
		}
	}
	return nil
}
