package clients

import (
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// This file holds every Cognito fact the package relies on: defaults, limits
// and client-visible messages. Facts marked (unverified) come from third-party
// reports, emulators or inference, not from AWS documentation or observed
// service output; the rest cite where they come from.
//
// Behaviour we chose without confirmation and that has no switch below:
//   - UpdateUserPoolClient without ClientName keeps the name (every other
//     omitted setting returns to its default, as documented) (unverified).
//   - RefreshTokenValidity 0 with a refresh unit other than days is shown as
//     30 days in that unit, e.g. 720 hours (unverified).
//   - Legacy ExplicitAuthFlows (no ALLOW_ prefix) allow SRP, refresh and custom
//     auth besides the flows they name; CUSTOM_AUTH_FLOW_ONLY allows custom auth
//     alone (Client.AuthFlowAllowed) (unverified).
//   - Immutable attributes may be listed in WriteAttributes (clients need that
//     to set them at sign-up); only sub and developer-only attributes are
//     refused (unverified).

// Token validity defaults and limits (API reference, TokenValidityUnitsType and
// CreateUserPoolClient).
const (
	// DefaultAccessTokenValidity and DefaultIDTokenValidity apply when the client
	// sets no AccessTokenValidity / IdTokenValidity: one hour.
	DefaultAccessTokenValidity = time.Hour
	DefaultIDTokenValidity     = time.Hour
	// DefaultRefreshTokenValidityDays is shown as RefreshTokenValidity when the
	// request leaves it out or sends 0 ("If you do, Amazon Cognito overrides the
	// value with the default value of 30 days").
	DefaultRefreshTokenValidityDays = 30

	minAccessTokenValidity  = 5 * time.Minute
	maxAccessTokenValidity  = 24 * time.Hour
	minRefreshTokenValidity = 60 * time.Minute
	maxRefreshTokenValidity = 3650 * 24 * time.Hour // ten years; the model's max is 315360000 s
)

// Default units when TokenValidityUnits leaves a token out: hours for access
// and ID tokens, days for refresh tokens (API reference).
const (
	defaultAccessTokenUnit  = cognitoidp.TimeUnitsTypeHours
	defaultIDTokenUnit      = cognitoidp.TimeUnitsTypeHours
	defaultRefreshTokenUnit = cognitoidp.TimeUnitsTypeDays
)

// Other client defaults.
const (
	// DefaultAuthSessionValidity is the session lifetime in minutes (3–15, model range).
	DefaultAuthSessionValidity = 3
	// DefaultEnableTokenRevocation: "If you don't include this parameter, token
	// revocation is automatically activated for the new user pool client."
	DefaultEnableTokenRevocation = true
	// DefaultEnablePropagateAdditionalUserContextData is false (model default).
	DefaultEnablePropagateAdditionalUserContextData = false
	// DefaultAllowedOAuthFlowsUserPoolClient: "If you don't set a value ... it defaults to false."
	DefaultAllowedOAuthFlowsUserPoolClient = false
	// DefaultPreventUserExistenceErrors is what sign-in behaves as when the
	// client never set the field: "Defaults to LEGACY" (API reference; the
	// developer guide confirms LEGACY for clients made through the API, ENABLED
	// only in the console). Describe leaves the member out in that case
	// (unverified: whether the live service shows "LEGACY" instead).
	DefaultPreventUserExistenceErrors = cognitoidp.PreventUserExistenceErrorTypesLegacy
	// ClientTypeRegular is the ClientType of clients made with
	// CreateUserPoolClient (JS SDK declarations). Describe shows it
	// (unverified: whether the live service returns it for every client).
	ClientTypeRegular = cognitoidp.ClientTypeTypeRegular
	// ClientTypeDCR is the ClientType of clients registered at a pool's
	// registration endpoint, /oauth2/register (dynamic client registration).
	ClientTypeDCR = cognitoidp.ClientTypeTypeDcr
)

// DCRRegisterScope is the system-managed scope an app client holds to get
// initial access tokens for authenticated dynamic client registration
// (developer guide: "a system-managed scope. You don't create a resource
// server for it"). AllowedOAuthScopes accepts it without a resource server;
// it is a custom-style scope, so only client_credentials grants it.
const DCRRegisterScope = "aws.cognito/dcr/register"

// DefaultExplicitAuthFlows is the set a client gets when the request sends no
// ExplicitAuthFlows: "your app client supports ALLOW_REFRESH_TOKEN_AUTH,
// ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH" (API reference). The order in
// which Describe lists them is (unverified); we list them alphabetically.
var DefaultExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{
	cognitoidp.ExplicitAuthFlowsTypeAllowCustomAuth,
	cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
	cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth,
}

// Behaviour rules we apply without confirmation from AWS. Each is a named
// switch so it can be flipped in one place once the live service is checked.
const (
	// requireWritableRequiredAttributes: a client that lists WriteAttributes must
	// include every required attribute of the pool, else "Invalid write
	// attributes ..." (unverified; reported by users of CloudFormation/Terraform).
	requireWritableRequiredAttributes = true
	// tokensWithinRefreshValidity: access and ID tokens may not outlive the
	// refresh token, else "Invalid range for token validity." (unverified; the
	// Terraform provider documents it).
	tokensWithinRefreshValidity = true
	// showEmptyTokenValidityUnits: Describe shows "TokenValidityUnits": {} for a
	// client created without units (unverified; seen in CLI output).
	showEmptyTokenValidityUnits = true
	// emptyAuthFlowsMeanDefault: "ExplicitAuthFlows": [] gets the default set,
	// like an omitted list (unverified).
	emptyAuthFlowsMeanDefault = true
	// keepLastClientSecret: DeleteUserPoolClientSecret refuses to remove a
	// client's only secret (unverified).
	keepLastClientSecret = true
	// addSecretNeedsConfidentialClient: AddUserPoolClientSecret refuses a client
	// without a secret; the API reference calls it an operation "for an existing
	// confidential user pool app client" (the error itself is unverified).
	addSecretNeedsConfidentialClient = true
)

// Limits.
const (
	// MaxClientSecrets is how many secrets a client may hold at once
	// (client secret rotation allows two).
	MaxClientSecrets = 2
	// MaxClientsPerPool is the default quota of app clients per user pool
	// (Cognito quotas page: 1,000, adjustable).
	MaxClientsPerPool = 1000
	// DefaultListMaxResults is the page size of ListUserPoolClients when
	// MaxResults is not sent (unverified: the service's default).
	DefaultListMaxResults = 60
)

// SystemScopes are the OAuth scopes every pool has (API reference; AWS's own
// list "phone, email, openid, profile, aws.cognito.signin.user.admin").
var SystemScopes = []string{"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"}

// ProviderCognito is the name of the pool's own user directory in
// SupportedIdentityProviders.
const ProviderCognito = "COGNITO"

// Client-visible messages. Format verbs take the values named in the comment.
const (
	// msgPoolNotFound: pool id (observed wording for user pools).
	msgPoolNotFound = "User pool %s does not exist."
	// msgClientNotFound: client id (observed).
	msgClientNotFound = "User pool client %s does not exist."

	// msgInvalidTokenValidity (observed: "InvalidParameterException: Invalid
	// range for token validity.").
	msgInvalidTokenValidity = "Invalid range for token validity."

	// msgInvalidReadAttributes / msgInvalidWriteAttributes: "creating" or
	// "updating" (observed for both operations).
	msgInvalidReadAttributes  = "Invalid read attributes specified while %s a client"
	msgInvalidWriteAttributes = "Invalid write attributes specified while %s a client"

	// msgProviderNotFound: provider name, pool id (observed).
	msgProviderNotFound = "The provider %s does not exist for User Pool %s."

	// msgOAuthFlowsAndScopesRequired (observed, InvalidParameterException).
	msgOAuthFlowsAndScopesRequired = "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
	// msgClientCredentialsNeedsSecret (observed; exception InvalidOAuthFlowException is (unverified)).
	msgClientCredentialsNeedsSecret = "client_credentials flow can not be selected if client does not have a client secret."
	// msgClientCredentialsMixed (unverified wording; InvalidOAuthFlowException).
	msgClientCredentialsMixed = "client_credentials flow can not be selected along with code flow or implicit flow."
	// msgScopeNotWithClientCredentials: scope (observed for openid, InvalidOAuthFlowException).
	msgScopeNotWithClientCredentials = "%s is not supported with client_credentials flow"
	// msgCallbackURLsRequired (observed, InvalidOAuthFlowException).
	msgCallbackURLsRequired = "CallbackUrls can not be empty when code flow or implicit flow is selected"
	// msgInvalidScope: scope (observed, ScopeDoesNotExistException).
	msgInvalidScope = "Invalid scope requested: %s"

	// msgHTTPNotAllowed: URL (observed for callback URLs; applied to logout URLs too (unverified)).
	msgHTTPNotAllowed = "%s cannot use the HTTP protocol."
	// msgURLNotAbsolute / msgURLFragment: URL (unverified wording).
	msgURLNotAbsolute = "%s is not a valid absolute URL."
	msgURLFragment    = "%s must not contain a fragment."
	// msgDefaultRedirectNotInCallbacks (unverified wording).
	msgDefaultRedirectNotInCallbacks = "DefaultRedirectURI must be in the CallbackURLs list."

	// msgMixedAuthFlows (unverified wording; the rule itself is documented).
	msgMixedAuthFlows = "ExplicitAuthFlows values with prefix ALLOW_ cannot be used together with the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH."
	// msgUserAuthTier (unverified wording; FeatureUnavailableInTierException).
	msgUserAuthTier = "ALLOW_USER_AUTH is not available in the LITE tier of user pools."

	// msgSecretAndGenerate (unverified wording; the rule is documented).
	msgSecretAndGenerate = "Cannot specify both GenerateSecret as true and a ClientSecret value."
	// msgContextDataNeedsSecret (unverified wording; the rule is documented).
	msgContextDataNeedsSecret = "EnablePropagateAdditionalUserContextData can only be enabled for a client with a client secret."
	// msgTooManyClients (unverified wording; LimitExceededException).
	msgTooManyClients = "The maximum number of app clients for user pool %s has been reached."

	// Client secret operations (all wordings unverified).
	msgClientHasNoSecret   = "Client %s is not a confidential client: it has no client secret."
	msgTooManySecrets      = "The app client already has the maximum of %d client secrets."
	msgSecretNotFound      = "Client secret %s does not exist."
	msgCannotDeleteLastOne = "Cannot delete the only client secret of the app client."
	msgInvalidNextToken    = "Invalid NextToken."
	msgConcurrentUpdate    = "The app client was modified concurrently; retry the request."
)
