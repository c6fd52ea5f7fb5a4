package server

import (
	"github.com/cogito-dev/cogito/internal/federation"
)

// registerFederation builds sign-in through external identity providers
// (OIDC, social, SAML) and plugs it into the OAuth endpoints: the authorize
// endpoint starts it (oauth.Federation), and it hands finished sign-ins back
// to them (oauth.Completer). It runs after registerOAuth.
func (s *Server) registerFederation() {
	cfg := federation.Config{
		Store: s.store, Clients: s.clients, Keys: s.keys, Sealer: s.sealer,
		Completer: s.oauth.endpoints, Pages: s.oauth.pages, Clock: s.clock, Logger: s.log,
		InsecureSkipVerify: s.cfg.Federation.InsecureSkipVerify,
		Timeout:            s.cfg.FederationTimeout(),
		Endpoints:          s.cfg.Federation.Endpoints,
	}
	if s.triggers != nil {
		cfg.Triggers = s.triggers
	}
	s.federation = federation.New(cfg)
	s.oauth.endpoints.SetFederation(s.federation)
}
