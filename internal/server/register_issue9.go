package server

import (
	"encoding/json"
	"net/http"

	"github.com/cogito-dev/cogito/internal/userpool/limits"
)

// issue9Services are the families of API rate limits, log delivery, terms
// and replicas, and what the request pipeline asks of them.
type issue9Services struct {
	limits *limits.Service
}

// registerIssue9 serves GetProvisionedLimit and UpdateProvisionedLimit and
// builds the rate-limit check the request pipeline runs (issue9Guard).
func (s *Server) registerIssue9() {
	s.issue9.limits = limits.New(limits.Config{
		Store: s.store, Clock: s.clock, Logger: s.log, Enforce: s.cfg.RateLimits.Enforce,
	})
	s.issue9.limits.Register(s.idp)
	if s.cfg.RateLimits.Enforce {
		s.log.Info("API rate limits enforced (GetProvisionedLimit shows each category's rate)")
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
