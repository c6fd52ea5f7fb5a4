package server

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/branding"
	"github.com/cogito-dev/cogito/internal/userpool/domains"
	"github.com/cogito-dev/cogito/internal/userpool/idps"
	"github.com/cogito-dev/cogito/internal/userpool/resourceservers"
)

// registerOAuthConfig serves the managed-login and OAuth configuration
// surface: user-pool domains, resource servers, identity providers with
// provider links, UI customization and managed login branding. The OAuth
// endpoints and hosted pages read what these store through the packages'
// Load/Find functions on s.store.
func (s *Server) registerOAuthConfig() {
	domains.New(domains.Config{
		Store: s.store, Clock: s.clock, Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
		ReplicaRegions: s.replicaRegions,
	}).Register(s.idp)
	resourceservers.New(resourceservers.Config{Store: s.store, Clock: s.clock, Logger: s.log}).Register(s.idp)
	idps.New(idps.Config{
		Store: s.store, Clock: s.clock, Logger: s.log,
		// AdminDisableProviderForUser disables users as AdminDisableUser
		// does, revoking their tokens.
		DisableUser: func(ctx context.Context, poolID, username string) error {
			_, err := s.users.AdminDisableUser(ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: &poolID, Username: &username})
			return err
		},
	}).Register(s.idp)
	branding.New(branding.Config{Store: s.store, Clock: s.clock, Logger: s.log, BaseURL: s.publicBaseURL()}).Register(s.idp)
}

// poolDomains shows a pool's domains in DescribeUserPool (pools.Config.Domains).
func (s *Server) poolDomains(ctx context.Context, poolID string) (string, string, error) {
	return domains.PoolDomains(ctx, s.store, poolID)
}

// beforePoolDelete refuses DeleteUserPool while the pool has a domain
// (pools.Config.BeforeDelete).
func (s *Server) beforePoolDelete(ctx context.Context, poolID string) error {
	return domains.CheckPoolDeletable(ctx, s.store, poolID)
}

// providerExists lets app clients name the pool's identity providers in
// SupportedIdentityProviders (clients.Config.ProviderExists).
func (s *Server) providerExists(ctx context.Context, poolID, name string) (bool, error) {
	return idps.Exists(ctx, s.store, poolID, name)
}

// scopeExists lets app clients allow the custom scopes the pool's resource
// servers define (clients.Config.ScopeExists).
func (s *Server) scopeExists(ctx context.Context, poolID, scope string) (bool, error) {
	return resourceservers.ScopeExists(ctx, s.store, poolID, scope)
}
