package server

import (
	"context"

	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/groups"
	"github.com/cogito-dev/cogito/internal/userpool/importjobs"
	"github.com/cogito-dev/cogito/internal/userpool/mfa"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// register lets every service package fill its operations. An operation no
// package fills stays nil: the table answers it with NotImplementedException
// and docs/compatibility.md lists it as not implemented.
func (s *Server) register() {
	s.registerTriggers()
	s.tokens = token.New(token.Config{Keys: s.keys, Sealer: s.sealer, Store: s.store, Clock: s.clock, Issuer: s.issuer, Logger: s.log,
		PreTokenGeneration: s.triggers.PreTokenGenerationHook})
	s.users = users.New(users.Config{
		Store: s.store, Sender: s.sender, Clock: s.clock, Logger: s.log, Hooks: s.triggers.SignupHooks(),
		MFA: mfa.Info,
		// Disabling a user revokes their tokens, as Cognito documents.
		Disabled: func(ctx context.Context, poolID string, u *storage.User) error {
			return s.tokens.RevokeUser(ctx, poolID, u.Key)
		},
	})
	s.users.Register(s.idp)
	pools.New(pools.Config{
		Store: s.store, Keys: s.keys, Clock: s.clock,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
		CountUsers: s.users.CountUsers,
		Domains:    s.poolDomains, BeforeDelete: s.beforePoolDelete,
	}).Register(s.idp)
	s.clients = clients.New(clients.Config{
		Store: s.store, Sealer: s.sealer, Clock: s.clock,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
		ProviderExists: s.providerExists, ScopeExists: s.scopeExists,
	})
	s.clients.Register(s.idp)
	s.groups = groups.New(groups.Config{Store: s.store, Clock: s.clock, Logger: s.log})
	s.groups.Register(s.idp)
	signup.New(signup.Config{Store: s.store, Clients: s.clients, Sender: s.sender, Clock: s.clock, Logger: s.log, Hooks: s.triggers.SignupHooks(),
		SignInSession: s.signInSession,
		CheckPassword: s.checkPassword, MigrateUser: s.migrateUser, // register_authtriggers.go
	}).Register(s.idp)
	s.account = account.New(account.Config{
		Store: s.store, Clients: s.clients, Tokens: s.tokens, Sender: s.sender, Sealer: s.sealer,
		Clock: s.clock, Logger: s.log, WriteAttributes: s.users.WriteAttributes,
		CustomMessage: s.triggers.CustomMessageHook, MFA: mfa.Info,
		CheckPassword: signInRisk{s}.CheckPassword, // register_authtriggers.go
	})
	s.account.Register(s.idp)
	s.registerDevices()
	s.auth = auth.New(auth.Config{
		Store: s.store, Clients: s.clients, Tokens: s.tokens, Sealer: s.sealer,
		Groups: s.groups, Events: s.account, Clock: s.clock, Logger: s.log,
		// Choice-based sign-in: one-time passwords, and GetUserAuthFactors.
		Sender: s.sender, CustomMessage: s.triggers.CustomMessageHook, Authenticate: s.account.Authenticate,
		// A forgotten device's refresh tokens stop working.
		RefreshDevice: s.devices.RefreshAllowed,

		Passkeys: s.registerWebAuthn(), // also serves the passkey operations
		NextStep: s.registerMFA(),      // also serves the MFA operations
		MFA:      mfa.Info, EmailTemplate: s.mfaEmailTemplate,
		// Sign-in triggers and threat protection (register_authtriggers.go).
		Triggers: s.triggers, Risk: signInRisk{s}, FeedbackLinks: s.feedbackLinks,
	})
	s.auth.Register(s.idp)
	s.imports = importjobs.New(importjobs.Config{
		Store: s.store, Clock: s.clock, Logger: s.log,
		BaseURL:   s.publicBaseURL(),
		UploadKey: s.sealer.DeriveKey("user-import-upload"),
		Exclusive: !sqlstore.IsPostgresURL(s.cfg.DatabaseURL),
	})
	s.imports.Register(s.idp)
	s.registerRisk()
	s.registerOAuthConfig()
	s.registerIssue9()
	s.registerOAuth()
	s.registerFederation()
	s.registerIdentity()
}

// publicBaseURL is where clients reach this server (pre-signed upload URLs):
// the issuer base unless that is AWS's form.
func (s *Server) publicBaseURL() string {
	if s.cfg.IssuerBaseURL == config.AWSIssuer {
		return "http://" + s.cfg.Listen
	}
	return s.cfg.IssuerBase()
}
