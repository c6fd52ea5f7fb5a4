// Package oauth serves a user pool's OAuth 2.0 and OpenID Connect endpoints
// as Cognito's managed login does: /oauth2/authorize, /oauth2/token,
// /oauth2/userInfo, /oauth2/revoke and /logout, with authorization codes,
// PKCE, the hosted session cookie, and the seam federation plugs into
// (federation.go).
package oauth

import "time"

// TxnLifetime is how long a login transaction (an authorize request waiting
// for the user to sign in) stays usable. (unverified: Cognito does not
// document it; an hour matches its hosted session.)
const TxnLifetime = time.Hour

// Cognito facts the package imitates. Each says where it comes from;
// "(unverified)" marks a guess from third-party reports or reasoning.
//
//   - Authorization codes are single-use and live five minutes (developer
//     guide, "Authorize endpoint": "a one time use code that is valid for
//     five minutes").
//   - PKCE: only S256 (developer guide: "Amazon Cognito ... supports only
//     S256"); code_challenge without code_challenge_method, or another method,
//     is error=invalid_request at the redirect_uri.
//   - The hosted session cookie keeps users signed in for one hour (facts
//     §2.5), whatever the app client's token lifetimes.
//   - An ID token is returned only when openid was granted; email, phone and
//     profile need openid (developer guide, authorize endpoint).
//   - A scope the app client does not allow is error=invalid_scope at the
//     redirect_uri (developer guide, authorize endpoint, negative responses;
//     the same page also says such scopes are "ignored at runtime" — we follow
//     the error, which third-party reports show).
//   - An unknown client or an unregistered redirect_uri is an error page on
//     the domain ("/error?error=redirect_mismatch&client_id=…", observed),
//     never a redirect.
//   - A reused authorization code is invalid_grant; the tokens issued from it
//     are revoked (RFC 6749 §4.1.2 says SHOULD; Cognito: unverified).
//   - /oauth2/userInfo returns the attributes as strings plus "username"
//     (observed: email_verified is "true"; unverified for the others).
//   - client_credentials: a requested scope the client does not allow is
//     invalid_scope (unverified; the guide says such scopes are ignored).
//   - prompt: none answers login_required without a session; login and
//     select_account show the sign-in page even with one; consent is
//     accepted and ignored (no consent screen) (unverified).

// OAuth 2.0 error codes (RFC 6749 §4.1.2.1, §5.2; RFC 7009; OIDC Core).
const (
	errInvalidRequest          = "invalid_request"
	errInvalidClient           = "invalid_client"
	errInvalidGrant            = "invalid_grant"
	errUnauthorizedClient      = "unauthorized_client"
	errUnsupportedGrantType    = "unsupported_grant_type"
	errUnsupportedResponseType = "unsupported_response_type"
	errInvalidScope            = "invalid_scope"
	errServerError             = "server_error"
	errLoginRequired           = "login_required"
	errUnsupportedTokenType    = "unsupported_token_type"
	errInvalidToken            = "invalid_token"
	// errRedirectMismatch is Cognito's page error for an unregistered
	// redirect_uri (observed).
	errRedirectMismatch = "redirect_mismatch"
)

// Provider names and scopes with a meaning here.
const (
	ProviderCognito = "COGNITO"
	ScopeOpenID     = "openid"
	ScopeEmail      = "email"
	ScopePhone      = "phone"
	ScopeProfile    = "profile"
	ScopeAdmin      = "aws.cognito.signin.user.admin"
)

// prompt values (OIDC Core §3.1.2.1).
const (
	PromptNone          = "none"
	PromptLogin         = "login"
	PromptSelectAccount = "select_account"
	PromptConsent       = "consent"
)

const pkceS256 = "S256"

// Lifetimes.
const (
	// CodeLifetime: authorization codes (developer guide).
	CodeLifetime = 5 * time.Minute
	// SessionLifetime: the hosted session cookie (facts §2.5).
	SessionLifetime = time.Hour
)

// maxParamLen bounds state, nonce and login_hint (unverified: Cognito's
// limit is not documented; the request line would be refused long before).
const maxParamLen = 2048

// Cookie names: Cognito's hosted UI keeps its session in "cognito"
// (observed); the CSRF cookie is ours.
const (
	SessionCookie = "cognito"
)

// Page error descriptions (what a person reads on the error page).
const (
	msgRepeatedParam        = "The parameter %s is given more than once."
	msgNoClientID           = "The request names no app client (client_id is missing)."
	msgUnknownClient        = "The app client in this request does not exist in this user pool."
	msgRedirectMismatch     = "The redirect_uri in this request is not one of the app client's callback URLs."
	msgUnknownIdentifier    = "No identity provider has the identifier in this request."
	msgProviderNotSupported = "The app client does not allow sign-in with this identity provider."
	msgLogoutMismatch       = "The logout_uri in this request is not one of the app client's sign-out URLs."
	msgNoFederation         = "Sign-in through external identity providers is not available on this server."
	msgNoSite               = "There is no user pool sign-in page at this address. Check the domain (or the user pool id in the path)."
	msgServerError          = "Something went wrong on our side. Try again in a moment."
	msgLogoutNoTarget       = "The request names neither a logout_uri nor a redirect_uri."
)

// /oauth2/userInfo error descriptions (developer guide, userInfo endpoint).
const (
	msgUserInfoBadRequest   = "Bad OAuth2 request at UserInfo Endpoint"
	msgUserInfoInvalidToken = "Access token is expired, disabled, or deleted, or the user has globally signed out."
)

// Token endpoint descriptions (error_description).
const (
	msgBadContentType   = "Content-Type must be application/x-www-form-urlencoded"
	msgBadMethod        = "The token endpoint accepts only POST"
	msgClientMismatch   = "client_id does not match the authenticated client"
	msgMissingParameter = "%s is required"
)

// Dynamic client registration (register.go). Documented (developer guide,
// "Dynamic client registration"): the endpoint is /oauth2/register on the
// pool's domain; open registration needs no token, authenticated
// registration a Bearer access token of an app client holding the
// system-managed aws.cognito/dcr/register scope; registered clients count
// toward the app-client quota; Essentials and Plus only; the discovery
// document lists registration_endpoint when registration is on and the pool
// has a domain. Cogito's choices where the guide is silent (unverified):
//   - the initial access token must come from client_credentials (a user's
//     access token is insufficient_scope, 403);
//   - no token when open registration is off is 401 invalid_token with a
//     Bearer challenge; registration off (or the Lite plan) is 404;
//   - grant_types default to authorization_code (RFC 7591), may add
//     refresh_token, and must be allowed by the kind of registration
//     (AuthenticatedGrantTypes / OpenDcrGrantTypes); code and
//     client_credentials never mix, as for any app client;
//   - token_endpoint_auth_method defaults to client_secret_basic (RFC 7591):
//     basic and post get a generated secret that never expires
//     (client_secret_expires_at 0), none a public client (never with
//     client_credentials); other methods are invalid_client_metadata;
//   - scope defaults to every scope the client may have: openid, email,
//     phone and profile (code clients only) and the pool's AllowedScopes;
//     aws.cognito/dcr/register is never given to a registered client;
//   - client_name defaults to DCRDefaultClientName; the created client has
//     ClientType DCR, ExplicitAuthFlows ALLOW_REFRESH_TOKEN_AUTH and
//     SupportedIdentityProviders COGNITO; the reply is 201 with the
//     credentials and the registered metadata, and neither a
//     registration_access_token nor RFC 7592 management;
//   - a full quota is 400 invalid_request.

// DCRDefaultClientName names a registered client whose metadata has no
// client_name (unverified).
const DCRDefaultClientName = "dcr-client"

// maxDCRURIs bounds redirect_uris and post_logout_redirect_uris (the
// model's CallbackURLsListType and LogoutURLsListType: 100).
const maxDCRURIs = 100

// Registration error descriptions (unverified wordings).
const (
	msgDCRDisabled                = "Dynamic client registration is not enabled for this user pool."
	msgDCRTokenRequired           = "An initial access token is required to register a client."
	msgDCRInvalidToken            = "The initial access token is expired, revoked, malformed, or not for this user pool."
	msgDCRScope                   = "The initial access token does not have the aws.cognito/dcr/register scope."
	msgDCRContentType             = "Content-Type must be application/json"
	msgDCRTooLarge                = "The request body is too large."
	msgDCRBadJSON                 = "The request body is not a JSON object of client metadata."
	msgDCRBadMember               = "The client metadata member %s has the wrong type."
	msgDCRNoGrant                 = "grant_types must include authorization_code or client_credentials."
	msgDCRGrantNotAllowed         = "The grant type %s is not allowed for this registration."
	msgDCRGrantsMixed             = "client_credentials cannot be combined with authorization_code or refresh_token."
	msgDCRResponseType            = "Unsupported response_types value %q for the requested grant_types."
	msgDCRAuthMethod              = "Unsupported token_endpoint_auth_method %s."
	msgDCRPublicClientCredentials = "client_credentials requires a client secret (token_endpoint_auth_method client_secret_basic or client_secret_post)."
	msgDCRScopeNotAllowed         = "The scope %s is not allowed for registered clients."
	msgDCRNoScope                 = "No scope is allowed for this registration."
	msgDCRRedirectRequired        = "redirect_uris is required for the authorization_code grant."
	msgDCRRedirectInvalid         = "Invalid redirect URI %s."
	msgDCRRedirectWithoutCode     = "redirect_uris is allowed only with the authorization_code grant."
	msgDCRTooManyURIs             = "At most %d redirect URIs are allowed."
	msgDCRClientName              = "client_name must be 1-128 characters of letters, digits, spaces and +=,.@-"
	msgDCRQuota                   = "The user pool has reached its quota of app clients."
)

// Authentication levels on /oauth2/authorize and /login (documented:
// acr_values, an ordered list of the pool's ACR values, and max_age, the
// seconds since the user last signed in; the tokens then carry acr and
// amr). Unverified, chosen here: acr_values naming no level of the pool is
// invalid_request msgACRValues, a max_age that is not a non-negative
// integer invalid_request msgMaxAge; a hosted session older than max_age is
// not reused (the user signs in again); tokens report the highest-priority
// requested level the sign-in reached, else the level it reached, as the
// API's TARGET_ACR_VALUES (internal/userpool/auth defaults.go). A sign-in
// completed from a reused hosted session carries no factors: amr is empty
// and the level is Level1. A federated sign-in (CompleteFederated) sends
// the levels to an OIDC provider as acr_values through its AcrMapping and
// takes the provider's acr back through it (an unmapped value is the lowest
// level, documented) and its amr as the tokens' amr (unverified).
const (
	msgACRValues = "acr_values names no authentication level of the user pool" // (unverified)
	msgMaxAge    = "max_age must be a non-negative integer"                    // (unverified)
)
