package server

import (
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/identitypool"
	"github.com/cogito-dev/cogito/internal/identitypool/creds"
	"github.com/cogito-dev/cogito/internal/identitypool/logins"
	"github.com/cogito-dev/cogito/internal/identitypool/openid"
	"github.com/cogito-dev/cogito/internal/storage"
)

// identityServices are the identity-pool parts the HTTP routes use.
type identityServices struct {
	issuer *openid.Issuer
	minter *creds.Minter
}

// registerIdentity serves the Identity Pools API: pool management and the
// identity operations (GetId, credentials, developer identities). It needs s.tokens (user pool ID tokens
// are the main login), so it runs after the sign-in families.
func (s *Server) registerIdentity() {
	cfg := identitypool.Config{
		Store: s.store, Clock: s.clock,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
	}
	var is storage.IdentityStore = s.store
	issuer := openid.New(openid.Config{
		Store: s.store, Sealer: s.sealer, Clock: s.clock, Logger: s.log,
		URL: s.cfg.IdentityIssuer(s.publicBaseURL()), Region: s.cfg.Region,
	})
	lc := logins.Config{
		Tokens: s.tokens, Users: s.store, UserPoolIssuer: s.issuer, Identity: issuer,
		Providers: s.cfg.Identity, Clock: s.clock, Logger: s.log,
	}
	validator, err := logins.New(lc)
	if err != nil {
		// A SAML provider's certificate cannot be read: serve the rest, and
		// refuse that provider's logins.
		s.log.Error("identity pools: SAML providers disabled", "err", err)
		lc.Providers.SAMLProviders = nil
		if validator, err = logins.New(lc); err != nil {
			s.log.Error("identity pools: login checks unavailable", "err", err)
			identitypool.New(cfg).Register(s.identity)
			return
		}
	}
	minter := creds.NewMinter(creds.MintConfig{Store: is, Sealer: s.sealer, Clock: s.clock, Logger: s.log})
	var source creds.Source = minter
	if s.cfg.Identity.Credentials == config.CredentialsSTS {
		region := s.cfg.Identity.STS.Region
		if region == "" {
			region = s.cfg.Region
		}
		source = creds.NewSTS(creds.STSConfig{
			Endpoint: s.cfg.Identity.STS.Endpoint, Region: region, Logger: s.log,
			AccessKeyID: s.cfg.Identity.STS.AccessKeyID, SecretAccessKey: s.cfg.Identity.STS.SecretAccessKey,
		})
		s.log.Info("identity pool credentials come from STS", "endpoint", s.cfg.Identity.STS.Endpoint)
	}
	cfg.Identities, cfg.Logins, cfg.Issuer, cfg.Credentials = is, validator, issuer, source
	identitypool.New(cfg).Register(s.identity)
	s.identityPools = identityServices{issuer: issuer, minter: minter}
}
