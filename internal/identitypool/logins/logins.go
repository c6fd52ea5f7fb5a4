// Package logins verifies the Logins of identity pool calls: a map from a
// provider name to a token of that provider. Each kind of provider has its
// check:
//
//   - Cogito user pools: an ID token of the pool, by the provider name
//     "cognito-idp.{region}.amazonaws.com/{userPoolId}" or the token's iss
//     without its scheme (what Amplify sends); aud must be an app client the
//     identity pool trusts for that pool; with ServerSideTokenCheck the user
//     must still exist, be enabled and not be signed out.
//   - IAM OpenID Connect providers (by ARN, configured in config.OIDCProvider):
//     a JWT verified against the issuer's keys, with aud (or azp) one of the
//     provider's client ids.
//   - SAML providers (by ARN): a base64 SAMLResponse signed by the IdP's
//     configured certificate.
//   - Google and Sign in with Apple: id_tokens verified against the
//     providers' keys (configurable); Facebook and Login with Amazon: access
//     tokens checked at the providers' token endpoints (configurable).
//   - "cognito-identity.amazonaws.com": an OpenID token Cogito issued.
//
// Developer provider logins are not tokens and are accepted only by
// GetOpenIdTokenForDeveloperIdentity (the identitypool package handles
// them). Refusals are NotAuthorizedException with Cognito's messages
// (messages.go).
package logins

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/identitypool/openid"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
)

// Kind is the kind of provider a login comes from.
type Kind int

// Provider kinds.
const (
	KindUserPool Kind = iota + 1
	KindOIDC
	KindSAML
	KindGoogle
	KindApple
	KindFacebook
	KindAmazon
	KindDeveloper
	KindCognitoIdentity
)

// CognitoIdentityProvider is the Logins key of an identity token Cogito
// issued (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity).
const CognitoIdentityProvider = "cognito-identity.amazonaws.com"

// Login is a verified login.
type Login struct {
	Kind Kind
	// Provider is the provider's name as identities are linked by it: for a
	// user pool always "cognito-idp.{region}.amazonaws.com/{userPoolId}",
	// whichever name the caller used.
	Provider string
	// Subject is the user's stable id at the provider.
	Subject string
	// RoleMappingKey is the key of the pool's RoleMappings that applies: for
	// a user pool "{Provider}:{clientId}", else Provider.
	RoleMappingKey string
	// Claims are the token's claims (SAML: its attributes), for role rules
	// and principal tags.
	Claims map[string]any
	// AMR lists what the login adds to an identity token's amr after
	// "authenticated".
	AMR []string
	// Roles and PreferredRole are the roles the token offers (user pools:
	// cognito:roles and cognito:preferred_role; SAML: the Role attribute),
	// for role mappings of type Token.
	Roles         []string
	PreferredRole string
	// Identity is the verified identity token of a CognitoIdentityProvider
	// login.
	Identity *openid.Claims
}

// Pool is what of an identity pool's configuration the checks need.
type Pool struct {
	ID                      string
	CognitoProviders        []CognitoProvider
	SupportedLoginProviders map[string]string
	OIDCProviderARNs        []string
	SAMLProviderARNs        []string
	DeveloperProviderName   string
}

// CognitoProvider is a user pool app client the identity pool trusts.
type CognitoProvider struct {
	ProviderName         string
	ClientID             string
	ServerSideTokenCheck bool
}

// IDTokens verifies user pool ID tokens (token.Service).
type IDTokens interface {
	VerifyID(ctx context.Context, tok string) (*token.IDClaims, map[string]any, error)
	FamilyRevoked(ctx context.Context, poolID, originJTI string) (bool, error)
}

// Users finds user pool users (storage.UserStore).
type Users interface {
	GetUserBySub(ctx context.Context, poolID, sub string) (*storage.User, error)
}

// Config holds the validator's dependencies. Tokens, Users, UserPoolIssuer
// and Identity are required.
type Config struct {
	Tokens IDTokens
	Users  Users
	// UserPoolIssuer is the iss of a user pool's tokens (config.Config.Issuer).
	UserPoolIssuer func(poolID string) string
	Identity       *openid.Issuer
	// Providers holds the OIDC and SAML provider maps and the social
	// providers' endpoints.
	Providers config.IdentityConfig
	// HTTPClient fetches keys and checks social tokens; nil: a client with a
	// 10 s timeout.
	HTTPClient *http.Client
	Clock      clock.Clock
	Logger     *slog.Logger
}

// Validator checks logins. It is safe for concurrent use.
type Validator struct {
	tokens   IDTokens
	users    Users
	upIssuer func(string) string
	identity *openid.Issuer
	oidc     map[string]config.OIDCProvider // by ARN
	saml     map[string]*samlProvider       // by ARN
	social   config.SocialConfig
	client   *http.Client
	keys     *keySets
	clock    clock.Clock
	log      *slog.Logger
}

// New returns a Validator; it fails when a SAML provider's certificate cannot
// be read.
func New(cfg Config) (*Validator, error) {
	if cfg.Tokens == nil || cfg.Users == nil || cfg.UserPoolIssuer == nil || cfg.Identity == nil {
		return nil, errors.New("logins: Config.Tokens, Users, UserPoolIssuer and Identity are required")
	}
	v := &Validator{tokens: cfg.Tokens, users: cfg.Users, upIssuer: cfg.UserPoolIssuer, identity: cfg.Identity,
		oidc: map[string]config.OIDCProvider{}, saml: map[string]*samlProvider{}, social: cfg.Providers.Social,
		client: cfg.HTTPClient, clock: cfg.Clock, log: cfg.Logger}
	if v.client == nil {
		v.client = &http.Client{Timeout: 10 * time.Second}
	}
	if v.clock == nil {
		v.clock = clock.Real{}
	}
	if v.log == nil {
		v.log = slog.New(slog.DiscardHandler)
	}
	v.keys = newKeySets(v.client, v.clock)
	for _, p := range cfg.Providers.OIDCProviders {
		v.oidc[p.ARN] = p
	}
	for _, p := range cfg.Providers.SAMLProviders {
		sp, err := loadSAMLProvider(p)
		if err != nil {
			return nil, err
		}
		v.saml[p.ARN] = sp
	}
	return v, nil
}

// Check verifies one login of pool: provider is the Logins key, tok its
// value.
func (v *Validator) Check(ctx context.Context, pool *Pool, provider, tok string) (*Login, error) {
	switch {
	case provider == CognitoIdentityProvider:
		return v.checkIdentityToken(ctx, pool, tok)
	case pool.DeveloperProviderName != "" && provider == pool.DeveloperProviderName:
		return nil, notAuthorized(msgDeveloperLogin)
	}
	if poolID, ok := v.userPoolOf(provider); ok {
		return v.checkUserPool(ctx, pool, poolID, tok)
	}
	if appIDs, ok := pool.SupportedLoginProviders[provider]; ok {
		switch provider {
		case "accounts.google.com":
			return v.checkGoogle(ctx, appIDs, tok)
		case "appleid.apple.com":
			return v.checkApple(ctx, appIDs, tok)
		case "graph.facebook.com":
			return v.checkFacebook(ctx, appIDs, tok)
		case "www.amazon.com":
			return v.checkAmazon(ctx, appIDs, tok)
		}
		return nil, notAuthorized(fmt.Sprintf(msgProviderNotSupported, provider))
	}
	for _, arn := range pool.SAMLProviderARNs {
		if arn == provider {
			return v.checkSAML(ctx, arn, tok)
		}
	}
	for _, arn := range pool.OIDCProviderARNs {
		if oidcName(arn) == provider {
			return v.checkOIDC(ctx, arn, provider, tok)
		}
	}
	return nil, notAuthorized(msgUnsupportedProvider)
}

// oidcName is an OIDC provider ARN's name: its path after "oidc-provider/".
func oidcName(arn string) string {
	if i := strings.Index(arn, ":oidc-provider/"); i >= 0 {
		return arn[i+len(":oidc-provider/"):]
	}
	return ""
}

// OIDCName is the provider name (Logins key, role-mapping key) of an IAM
// OIDC provider ARN.
func OIDCName(arn string) string { return oidcName(arn) }

// checkIdentityToken verifies an OpenID token Cogito issued for an identity
// of pool.
func (v *Validator) checkIdentityToken(ctx context.Context, pool *Pool, tok string) (*Login, error) {
	c, err := v.identity.Verify(ctx, tok)
	var exp *openid.ExpiredError
	switch {
	case errors.As(err, &exp):
		return nil, expired(exp.Now, exp.ExpiresAt)
	case errors.Is(err, openid.ErrInvalid):
		if !looksLikeJWT(tok) {
			return nil, notAuthorized(msgNotOIDC)
		}
		return nil, notAuthorized(msgCouldntVerify)
	case err != nil:
		return nil, err
	}
	if c.Audience != pool.ID {
		return nil, notAuthorized(msgUnsupportedProvider)
	}
	return &Login{Kind: KindCognitoIdentity, Provider: CognitoIdentityProvider, Subject: c.Subject,
		RoleMappingKey: CognitoIdentityProvider, Identity: c,
		Claims: map[string]any{"sub": c.Subject, "aud": c.Audience}}, nil
}

func notAuthorized(msg string) error { return cognitoidentity.NewNotAuthorizedException(msg) }

// expired is Cognito's refusal of an expired login token (epoch seconds).
func expired(now, exp time.Time) error {
	return notAuthorized(fmt.Sprintf(msgExpired, now.Unix(), exp.Unix()))
}

// external reports a provider that could not be reached (its keys or token
// endpoint): ExternalServiceException, the cause logged.
func (v *Validator) external(ctx context.Context, provider string, err error) error {
	v.log.WarnContext(ctx, "identity provider unreachable", "provider", provider, "err", err)
	return cognitoidentity.NewExternalServiceException(fmt.Sprintf(msgExternal, provider))
}
