package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Dynamic client registration (RFC 7591) at POST /oauth2/register, as the
// developer guide's "Dynamic client registration" describes it; the choices
// where it is silent are in dcrFacts below.

// registrationRequest is the client metadata Cogito reads (RFC 7591 §2;
// post_logout_redirect_uris from OpenID Connect RP-Initiated Logout). Other
// members are ignored, as RFC 7591 §2 requires of unknown ones.
type registrationRequest struct {
	RedirectURIs            []string `json:"redirect_uris"`
	PostLogoutRedirectURIs  []string `json:"post_logout_redirect_uris"`
	TokenEndpointAuthMethod *string  `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	ClientName              *string  `json:"client_name"`
	Scope                   *string  `json:"scope"`
}

// registrationResponse is the client information response (RFC 7591
// §3.2.1): the credentials and the metadata as registered.
type registrationResponse struct {
	ClientID                string   `json:"client_id"`
	ClientSecret            string   `json:"client_secret,omitempty"`
	ClientIDIssuedAt        int64    `json:"client_id_issued_at"`
	ClientSecretExpiresAt   *int64   `json:"client_secret_expires_at,omitempty"`
	ClientName              string   `json:"client_name"`
	RedirectURIs            []string `json:"redirect_uris,omitempty"`
	PostLogoutRedirectURIs  []string `json:"post_logout_redirect_uris,omitempty"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	Scope                   string   `json:"scope"`
}

// RFC 7591 values.
const (
	authMethodNone       = "none"
	authMethodBasic      = "client_secret_basic"
	authMethodPost       = "client_secret_post"
	grantAuthCode        = "authorization_code"
	grantRefreshToken    = "refresh_token"
	grantClientCreds     = "client_credentials"
	responseTypeCode     = "code"
	errInvalidMetadata   = "invalid_client_metadata"
	errInvalidRedirect   = "invalid_redirect_uri"
	errInsufficientScope = "insufficient_scope"
)

// dcrOIDCScopes are the scopes a registered client may ask for besides the
// pool's AllowedScopes (pools.DCRPolicy).
var dcrOIDCScopes = []string{ScopeOpenID, ScopeEmail, ScopePhone, ScopeProfile}

// reClientName is the model's ClientNameType pattern.
var reClientName = regexp.MustCompile(`^[\w\s+=,.@-]+$`)

// Register serves POST /oauth2/register.
func (s *Service) Register(w http.ResponseWriter, r *http.Request) {
	site, err := s.Resolve(r)
	if err != nil {
		s.noSite(w, r, err)
		return
	}
	resp, terr := s.register(r, site)
	if terr != nil {
		if terr.bearer {
			w.Header().Set("WWW-Authenticate", bearerChallenge(terr.code, terr.description))
		}
		writeTokenError(w, &terr.tokenError)
		return
	}
	writeJSON(w, http.StatusCreated, resp)
}

// registerError is a registration refusal; bearer adds an RFC 6750
// WWW-Authenticate challenge (missing, bad or insufficient tokens).
type registerError struct {
	tokenError
	bearer bool
}

func regErr(status int, code, desc string) *registerError {
	return &registerError{tokenError: tokenError{status: status, code: code, description: desc}}
}

func bearerChallenge(code, desc string) string {
	if code == "" {
		return `Bearer`
	}
	v := `Bearer error="` + code + `"`
	if desc != "" {
		v += `, error_description="` + desc + `"`
	}
	return v
}

// RegistrationEndpoint is the registration endpoint a pool's discovery
// document lists under base (its managed login base, DiscoveryBase), or ""
// when registration is off ("When dynamic client registration is on and
// your user pool has a domain").
func (s *Service) RegistrationEndpoint(ctx context.Context, poolID, base string) string {
	if base == "" {
		return ""
	}
	pool, err := pools.Load(ctx, s.store, poolID)
	if err != nil || !dcrOn(pool) {
		return ""
	}
	return base + "/oauth2/register"
}

// dcrOn reports a pool whose registration endpoint is open for business:
// DcrConfiguration ENABLED on the Essentials or Plus plan.
func dcrOn(pool *cognitoidp.UserPoolType) bool {
	return pools.DCR(pool).Enabled && api.Deref(pool.UserPoolTier) != cognitoidp.UserPoolTierTypeLite
}

func (s *Service) register(r *http.Request, site *Site) (*registrationResponse, *registerError) {
	if !dcrOn(site.Pool) {
		return nil, regErr(http.StatusNotFound, errInvalidRequest, msgDCRDisabled)
	}
	policy := pools.DCR(site.Pool)
	grants, rerr := s.registrationGrants(r, site, policy)
	if rerr != nil {
		return nil, rerr
	}
	md, rerr := readRegistration(r)
	if rerr != nil {
		return nil, rerr
	}
	in, resp, rerr := registrationClient(site.PoolID, md, grants, policy.Scopes)
	if rerr != nil {
		return nil, rerr
	}
	c, err := s.clients.RegisterDCR(r.Context(), in)
	if err != nil {
		e, ok := awserr.As(err)
		switch {
		case ok && e.Code == cognitoidp.CodeLimitExceededException:
			return nil, regErr(http.StatusBadRequest, errInvalidRequest, msgDCRQuota)
		case ok && e.Status < 500:
			return nil, regErr(http.StatusBadRequest, errInvalidMetadata, e.Message)
		}
		s.log.Error("oauth: registering a client", "pool", site.PoolID, "err", err)
		return nil, regErr(http.StatusInternalServerError, errServerError, "")
	}
	resp.ClientID = api.Deref(c.ClientId)
	resp.ClientName = api.Deref(c.ClientName)
	resp.ClientIDIssuedAt = api.Deref(c.CreationDate).Unix()
	if c.ClientSecret != nil {
		resp.ClientSecret = *c.ClientSecret
		resp.ClientSecretExpiresAt = api.Ptr(int64(0)) // never expires (RFC 7591: 0)
	}
	s.log.InfoContext(r.Context(), "oauth: client registered", "pool", site.PoolID, "client", resp.ClientID, "authenticated", len(r.Header.Get("Authorization")) > 0)
	return resp, nil
}

// registrationGrants authenticates the request and returns the grant types
// its kind of registration may ask for: with a Bearer initial access token
// (an access token of this pool from client_credentials with the
// aws.cognito/dcr/register scope), the authenticated grants; without one,
// the open grants when open registration is on.
func (s *Service) registrationGrants(r *http.Request, site *Site, p pools.DCRPolicy) ([]cognitoidp.OAuthFlowType, *registerError) {
	if r.Header.Get("Authorization") == "" {
		if !p.Open {
			return nil, &registerError{tokenError: tokenError{status: http.StatusUnauthorized, code: errInvalidToken, description: msgDCRTokenRequired}, bearer: true}
		}
		return p.OpenGrants, nil
	}
	invalid := &registerError{tokenError: tokenError{status: http.StatusUnauthorized, code: errInvalidToken, description: msgDCRInvalidToken}, bearer: true}
	tok, ok := bearer(r)
	if !ok {
		return nil, invalid
	}
	claims, err := s.tokens.VerifyAccess(r.Context(), tok)
	if err != nil {
		if _, isCognito := awserr.As(err); !isCognito {
			s.log.Error("oauth: verifying an initial access token", "pool", site.PoolID, "err", err)
			return nil, regErr(http.StatusInternalServerError, errServerError, "")
		}
		return nil, invalid
	}
	if claims.PoolID != site.PoolID {
		return nil, invalid
	}
	if claims.Username != "" || !claims.HasScope(pools.DCRRegisterScope) {
		return nil, &registerError{tokenError: tokenError{status: http.StatusForbidden, code: errInsufficientScope, description: msgDCRScope}, bearer: true}
	}
	return p.AuthenticatedGrants, nil
}

// maxRegistrationBytes bounds a registration request body.
const maxRegistrationBytes = 64 << 10

// readRegistration decodes the JSON client metadata.
func readRegistration(r *http.Request) (*registrationRequest, *registerError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, regErr(http.StatusBadRequest, errInvalidRequest, msgDCRContentType)
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxRegistrationBytes))
	if err != nil {
		return nil, regErr(http.StatusBadRequest, errInvalidRequest, msgDCRTooLarge)
	}
	var md registrationRequest
	if err := json.Unmarshal(body, &md); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, regErr(http.StatusBadRequest, errInvalidMetadata, fmt.Sprintf(msgDCRBadMember, te.Field))
		}
		return nil, regErr(http.StatusBadRequest, errInvalidMetadata, msgDCRBadJSON)
	}
	return &md, nil
}

// registrationClient turns the metadata into the app client to create and
// the response's metadata part, or refuses it. grants are the grant types
// this registration may have, scopes the pool's AllowedScopes.
func registrationClient(poolID string, md *registrationRequest, grants []cognitoidp.OAuthFlowType, scopes []string) (*cognitoidp.CreateUserPoolClientRequest, *registrationResponse, *registerError) {
	bad := func(f string, a ...any) *registerError {
		return regErr(http.StatusBadRequest, errInvalidMetadata, fmt.Sprintf(f, a...))
	}
	out := &registrationResponse{}
	in := &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId:                      api.Ptr(poolID),
		AllowedOAuthFlowsUserPoolClient: true,
		SupportedIdentityProviders:      []string{ProviderCognito},
		ExplicitAuthFlows:               []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	}

	// Grant types: authorization_code (with refresh_token) or
	// client_credentials, as the kind of registration allows.
	gts := md.GrantTypes
	if gts == nil {
		gts = []string{grantAuthCode} // RFC 7591 §2 default
	}
	if len(gts) == 0 {
		return nil, nil, bad(msgDCRNoGrant)
	}
	var flow cognitoidp.OAuthFlowType
	for _, g := range gts {
		var f cognitoidp.OAuthFlowType
		switch g {
		case grantAuthCode:
			f = cognitoidp.OAuthFlowTypeCode
		case grantClientCreds:
			f = cognitoidp.OAuthFlowTypeClientCredentials
		case grantRefreshToken:
			continue
		default:
			return nil, nil, bad(msgDCRGrantNotAllowed, g)
		}
		if !slices.Contains(grants, f) {
			return nil, nil, bad(msgDCRGrantNotAllowed, g)
		}
		if flow != "" && flow != f {
			return nil, nil, bad(msgDCRGrantsMixed)
		}
		flow = f
	}
	if flow == "" {
		return nil, nil, bad(msgDCRNoGrant) // refresh_token alone
	}
	if slices.Contains(gts, grantRefreshToken) && flow != cognitoidp.OAuthFlowTypeCode {
		return nil, nil, bad(msgDCRGrantsMixed)
	}
	in.AllowedOAuthFlows = []cognitoidp.OAuthFlowType{flow}
	out.GrantTypes = dedupe(gts)

	// Response types: code for the code grant, none for client_credentials.
	rts := md.ResponseTypes
	if rts == nil && flow == cognitoidp.OAuthFlowTypeCode {
		rts = []string{responseTypeCode}
	}
	for _, rt := range rts {
		if rt != responseTypeCode || flow != cognitoidp.OAuthFlowTypeCode {
			return nil, nil, bad(msgDCRResponseType, rt)
		}
	}
	if flow == cognitoidp.OAuthFlowTypeCode && len(rts) == 0 {
		return nil, nil, bad(msgDCRResponseType, "")
	}
	out.ResponseTypes = dedupe(rts)
	if out.ResponseTypes == nil {
		out.ResponseTypes = []string{}
	}

	// Client authentication at the token endpoint.
	method := authMethodBasic // RFC 7591 §2 default
	if md.TokenEndpointAuthMethod != nil {
		method = *md.TokenEndpointAuthMethod
	}
	switch method {
	case authMethodBasic, authMethodPost:
		in.GenerateSecret = true
	case authMethodNone:
		if flow == cognitoidp.OAuthFlowTypeClientCredentials {
			return nil, nil, bad(msgDCRPublicClientCredentials)
		}
	default:
		return nil, nil, bad(msgDCRAuthMethod, method)
	}
	out.TokenEndpointAuthMethod = method

	// Scopes: the OIDC ones (code only) and the pool's AllowedScopes.
	allowed := slices.Clone(scopes)
	if flow == cognitoidp.OAuthFlowTypeCode {
		allowed = append(slices.Clone(dcrOIDCScopes), scopes...)
	}
	var want []string
	if md.Scope != nil {
		want = dedupe(strings.Fields(*md.Scope))
		for _, sc := range want {
			if !slices.Contains(allowed, sc) {
				return nil, nil, bad(msgDCRScopeNotAllowed, sc)
			}
		}
	} else {
		want = allowed // unverified default: every scope this kind allows
	}
	if len(want) == 0 {
		return nil, nil, bad(msgDCRNoScope)
	}
	in.AllowedOAuthScopes = want
	out.Scope = strings.Join(want, " ")

	// Redirect URIs: required by the code grant, HTTPS (or loopback HTTP,
	// or an app scheme) as for any app client.
	if flow == cognitoidp.OAuthFlowTypeCode && len(md.RedirectURIs) == 0 {
		return nil, nil, regErr(http.StatusBadRequest, errInvalidRedirect, msgDCRRedirectRequired)
	}
	for _, list := range [][]string{md.RedirectURIs, md.PostLogoutRedirectURIs} {
		if len(list) > maxDCRURIs {
			return nil, nil, regErr(http.StatusBadRequest, errInvalidRedirect, fmt.Sprintf(msgDCRTooManyURIs, maxDCRURIs))
		}
		for _, u := range list {
			if len(u) == 0 || len(u) > 1024 {
				return nil, nil, regErr(http.StatusBadRequest, errInvalidRedirect, fmt.Sprintf(msgDCRRedirectInvalid, u))
			}
			if err := clients.CheckRedirectURL(u); err != nil {
				e, _ := awserr.As(err)
				desc := fmt.Sprintf(msgDCRRedirectInvalid, u)
				if e != nil {
					desc = e.Message
				}
				return nil, nil, regErr(http.StatusBadRequest, errInvalidRedirect, desc)
			}
		}
	}
	if flow == cognitoidp.OAuthFlowTypeCode {
		in.CallbackURLs = dedupe(md.RedirectURIs)
		in.LogoutURLs = dedupe(md.PostLogoutRedirectURIs)
		out.RedirectURIs, out.PostLogoutRedirectURIs = in.CallbackURLs, in.LogoutURLs
	} else if len(md.RedirectURIs) > 0 || len(md.PostLogoutRedirectURIs) > 0 {
		return nil, nil, regErr(http.StatusBadRequest, errInvalidRedirect, msgDCRRedirectWithoutCode)
	}

	name := DCRDefaultClientName
	if md.ClientName != nil {
		name = *md.ClientName
		if len(name) < 1 || len(name) > 128 || !reClientName.MatchString(name) {
			return nil, nil, bad(msgDCRClientName)
		}
	}
	in.ClientName = api.Ptr(name)
	return in, out, nil
}

// dedupe drops repeated values, keeping the first; nil stays nil.
func dedupe(list []string) []string {
	var out []string
	for _, v := range list {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
