// Package webauthn implements passkeys: the token-authorized operations
// StartWebAuthnRegistration, CompleteWebAuthnRegistration,
// ListWebAuthnCredentials and DeleteWebAuthnCredential, and the assertion
// check of choice-based sign-in's WEB_AUTHN factor (auth.Passkeys: the
// CREDENTIAL_REQUEST_OPTIONS of the challenge and the verification of the
// CREDENTIAL answer).
//
// Attestation (formats "none" and "packed", and the others the library
// knows) and assertion signatures are verified with
// github.com/go-webauthn/webauthn's protocol package. The checks whose
// failure Cognito names with its own exception — challenge, origin,
// relying-party id hash, user presence and verification, algorithm — run
// first here so each failure gets its exception (see errors.go).
//
// The relying party of a pool: the RelyingPartyId of its
// WebAuthnConfiguration (SetUserPoolMfaConfig, read through
// Config.PoolConfig), else its custom domain, else the server's default
// (Config.DefaultRelyingPartyID; Cognito would use the pool's prefix domain,
// which Cogito serves on its own host). Accepted origins: https on the
// relying-party id or a subdomain of it, any port, plus Config.Origins.
//
// Records (storage.Resource): a passkey is Kind "webauthn", ID the
// credential id (base64url), Owner the user, Settings a credentialDoc; the
// challenge of a registration in progress is Kind "webauthn-pending", ID the
// user's key, replaced by each StartWebAuthnRegistration and consumed by
// CompleteWebAuthnRegistration. Both are deleted with the user and the pool.
// Passkeys carry no global LookupKey: sign-in always knows the pool and the
// user, so (pool, kind, id) finds the credential, and a global key would let
// a user of one pool claim a credential id (attestation "none" proves no
// device) that a user of another pool then could not register.
// The Cognito facts the package relies on, and how sure we are of each, are
// in defaults.go.
package webauthn

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

// Store is the part of the storage the package uses.
type Store interface {
	storage.ResourceStore
}

// Authenticator verifies the access token of a token-authorized operation
// and names the signed-in user (*account.Service: the access-token rule
// lives in the account family).
type Authenticator interface {
	Authenticate(ctx context.Context, accessToken *string) (*account.Caller, error)
}

// PoolConfigFunc returns a pool's WebAuthnConfiguration as
// SetUserPoolMfaConfig keeps it, or nil when none is set.
type PoolConfigFunc func(ctx context.Context, poolID string) (*cognitoidp.WebAuthnConfigurationType, error)

// Config holds the Service's dependencies. Store and Auth are required; a
// nil Clock is the real clock, a nil Logger discards.
type Config struct {
	Store  Store
	Auth   Authenticator
	Clock  clock.Clock
	Logger *slog.Logger

	// PoolConfig reads a pool's WebAuthnConfiguration (the MFA family's
	// document). Nil: no pool has one, every pool uses the defaults.
	PoolConfig PoolConfigFunc
	// Domains returns the pool's prefix and custom domains ("" for none),
	// the same hook the pools family takes. Nil: no pool has a domain.
	Domains func(ctx context.Context, poolID string) (domain, customDomain string, err error)
	// DefaultRelyingPartyID is the relying-party id of a pool whose
	// WebAuthnConfiguration names none and that has no custom domain. Empty:
	// such a pool answers WebAuthnConfigurationMissingException, as Cognito
	// does for a pool without a domain.
	DefaultRelyingPartyID string
	// Origins are origins accepted besides https://{rpId} and its
	// subdomains: "scheme://host" or "scheme://host:port", where the port
	// may be "*" for any (e.g. "http://localhost:*" for local development),
	// or "android:apk-key-hash:{hash}" (an Android app; "*" for any app).
	Origins []string
	// RequireUserVerification reports whether a user's passkey sign-in must
	// verify the user whatever the pool's UserVerification: passkey MFA in
	// effect for them (the MFA family's mfa.PasskeyMFA). Nil: the pool's
	// UserVerification alone decides.
	RequireUserVerification func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (bool, error)
}

// Service implements the passkey operations and auth.Passkeys.
type Service struct {
	store      Store
	auth       Authenticator
	clk        clock.Clock
	log        *slog.Logger
	poolConfig PoolConfigFunc
	domains    func(ctx context.Context, poolID string) (string, string, error)
	defaultRP  string
	origins    []originPattern
	requireUV  func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (bool, error)

	// maxCredentials is MaxCredentialsPerUser (tests lower it).
	maxCredentials int
}

var _ auth.Passkeys = (*Service)(nil)

// New returns a Service. An origin in cfg.Origins that does not parse is an
// error.
func New(cfg Config) (*Service, error) {
	s := &Service{
		store:          cfg.Store,
		auth:           cfg.Auth,
		clk:            cfg.Clock,
		log:            cfg.Logger,
		poolConfig:     cfg.PoolConfig,
		domains:        cfg.Domains,
		defaultRP:      cfg.DefaultRelyingPartyID,
		requireUV:      cfg.RequireUserVerification,
		maxCredentials: MaxCredentialsPerUser,
	}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, o := range cfg.Origins {
		p, err := parseOriginPattern(o)
		if err != nil {
			return nil, err
		}
		s.origins = append(s.origins, p)
	}
	return s, nil
}

// Register fills the handlers of the passkey operations.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.StartWebAuthnRegistration = s.StartWebAuthnRegistration
	h.CompleteWebAuthnRegistration = s.CompleteWebAuthnRegistration
	h.ListWebAuthnCredentials = s.ListWebAuthnCredentials
	h.DeleteWebAuthnCredential = s.DeleteWebAuthnCredential
}

// relyingParty is a pool's passkey settings in effect.
type relyingParty struct {
	ID string
	// UserVerification is "preferred" or "required".
	UserVerification string
	// Enabled: passkeys may be registered in the pool (see enabled).
	Enabled bool
}

// relyingPartyOf resolves the pool's relying party. A pool with no id to
// use is WebAuthnConfigurationMissingException.
func (s *Service) relyingPartyOf(ctx context.Context, pool *cognitoidp.UserPoolType) (relyingParty, error) {
	wc, err := s.webAuthnConfig(ctx, pool)
	if err != nil {
		return relyingParty{}, err
	}
	rp := relyingParty{UserVerification: string(cognitoidp.UserVerificationTypePreferred), Enabled: enabled(pool, wc)}
	if wc != nil && wc.UserVerification != nil && *wc.UserVerification != "" {
		rp.UserVerification = string(*wc.UserVerification)
	}
	if wc != nil && api.Deref(wc.RelyingPartyId) != "" {
		rp.ID = *wc.RelyingPartyId
		return rp, nil
	}
	custom := api.Deref(pool.CustomDomain)
	if custom == "" && s.domains != nil {
		if _, custom, err = s.domains(ctx, api.Deref(pool.Id)); err != nil {
			return rp, fmt.Errorf("webauthn: reading the domains of pool %s: %w", api.Deref(pool.Id), err)
		}
	}
	rp.ID = custom
	if rp.ID == "" {
		rp.ID = s.defaultRP
	}
	if rp.ID == "" {
		return rp, cognitoidp.NewWebAuthnConfigurationMissingException(msgConfigurationMissing)
	}
	return rp, nil
}

// enabled reports whether the pool offers passkeys: WEB_AUTHN among its
// allowed first factors, or passkeys as an MFA factor (FactorConfiguration
// MULTI_FACTOR_WITH_USER_VERIFICATION).
func enabled(pool *cognitoidp.UserPoolType, wc *cognitoidp.WebAuthnConfigurationType) bool {
	if p := pool.Policies; p != nil && p.SignInPolicy != nil &&
		slices.Contains(p.SignInPolicy.AllowedFirstAuthFactors, cognitoidp.AuthFactorTypeWebAuthn) {
		return true
	}
	return wc != nil && wc.FactorConfiguration != nil &&
		*wc.FactorConfiguration == cognitoidp.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification
}
