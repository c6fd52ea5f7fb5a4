package server

import (
	"context"

	"github.com/cogito-dev/cogito/internal/hostedui"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/userpool/terms"
)

// oauthServices are the OAuth 2.0 / OIDC endpoints and the managed login
// pages (routes_oauth.go). endpoints is also the federation seam:
// federation plugs in with endpoints.SetFederation and calls back through
// it (oauth.Completer).
type oauthServices struct {
	endpoints *oauth.Service
	pages     *hostedui.Service
}

// registerOAuth builds the OAuth endpoints and the managed login pages. It
// runs after sign-in, the sign-up and MFA families (the pages call their
// operations through s.idp) and the terms family.
func (s *Server) registerOAuth() {
	s.oauth.endpoints = oauth.New(oauth.Config{
		Store: s.store, Clients: s.clients, Auth: s.auth, Tokens: s.tokens, Sealer: s.sealer,
		Region: s.cfg.Region, Clock: s.clock, Logger: s.log,
	})
	var docs func(ctx context.Context, poolID, clientID string) (terms.Documents, error)
	if s.issue9.terms != nil {
		docs = s.issue9.terms.ForClient
	}
	s.oauth.pages = hostedui.New(hostedui.Config{
		OAuth: s.oauth.endpoints, Auth: s.auth, API: s.idp, Store: s.store, Terms: docs,
		Sealer: s.sealer, Clock: s.clock, Logger: s.log,
	})
	s.oauth.endpoints.SetPages(s.oauth.pages)
}
