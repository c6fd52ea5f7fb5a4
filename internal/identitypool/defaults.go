package identitypool

import "time"

// This file gathers the facts about Cognito identity pools that the package
// imitates: limits, defaults and the client-visible messages, each with where
// it comes from. "(unverified)" means it rests on third-party reports,
// emulators or reasoning, not on AWS documentation or a recorded response of
// the live service; correct it here when better evidence turns up.
//
// Behaviour chosen from documentation:
//   - UpdateIdentityPool replaces the configuration: "If you don't provide a
//     value for a parameter, Amazon Cognito sets it to its default value" (API
//     reference). An omitted AllowClassicFlow becomes false and omitted
//     SupportedLoginProviders, OpenIdConnectProviderARNs,
//     CognitoIdentityProviders and SamlProviderARNs become empty.
//   - DeveloperProviderName: "Once you have set a developer provider name, you
//     cannot change it." A different name is refused; an omitted one keeps the
//     name already set (unverified: the documentation does not say whether an
//     omitted name is an attempt to change it).
//   - Identity pool ids are "{region}:{uuid}"; the ARN is
//     arn:{partition}:cognito-identity:{region}:{account}:identitypool/{id}.
//   - Role mappings are keyed by provider name; a user-pool provider's key is
//     "cognito-idp.{region}.amazonaws.com/{userPoolId}:{clientId}" (API
//     reference of SetIdentityPoolRoles). AmbiguousRoleResolution is required
//     for both types and RulesConfiguration for Rules ("If you specify ...
//     is required", RoleMapping docs). At most 25 rules per provider (the
//     RulesConfiguration docs and the quota page; the model allows 400).
//
// Behaviour chosen without confirmation (unverified):
//   - SetIdentityPoolRoles replaces both Roles and RoleMappings: omitted
//     RoleMappings clears them (CloudFormation's role attachment removes its
//     mappings that way).
//   - UpdateIdentityPool leaves Roles, RoleMappings and principal-tag maps
//     alone, and replaces the tags only when IdentityPoolTags is present.
//   - Describe/Create/Update always show AllowClassicFlow (false by default),
//     ServerSideTokenCheck (false by default) and IdentityPoolTags ({} when
//     there are none).
//   - GetIdentityPoolRoles always shows Roles ({} when none) and shows
//     RoleMappings only when there are some.
//   - SupportedLoginProviders accepts only the documented public providers
//     (loginProviders below); the user pools named in CognitoIdentityProviders
//     are not checked for existence (the live service is reported to accept
//     any well-formed id).
//   - A principal-tag map of a provider never set reads as UseDefaults false
//     with no tags; with UseDefaults true and no tags given, the default map
//     (defaultPrincipalTags) is stored and shown.
//   - Identity pool names need not be unique.
//   - ListIdentityPools returns pools by id.

// Documented quotas ("Quotas in Amazon Cognito").
const (
	// MaxIdentityPools is "Identity pools per account" (adjustable; 1,000).
	MaxIdentityPools = 1000
	// MaxUserPoolProviders is "Amazon Cognito user pool identity providers per
	// identity pool" (50).
	MaxUserPoolProviders = 50
	// MaxRulesPerProvider is "Rules for role-based access control" per
	// provider (25).
	MaxRulesPerProvider = 25
	// MaxTags: "An identity pool can have as many as 50 tags." (TagResource docs).
	MaxTags = 50
)

// loginProviders are the SupportedLoginProviders keys Cognito documents
// (CreateIdentityPool API reference).
var loginProviders = map[string]bool{
	"graph.facebook.com":  true,
	"accounts.google.com": true,
	"appleid.apple.com":   true,
	"www.amazon.com":      true,
	"api.twitter.com":     true,
	"www.digits.com":      true,
}

// defaultPrincipalTags is the default attribute map (UseDefaults): the
// developer guide's "username" from sub and "client" from aud (unverified for
// providers other than user pools).
var defaultPrincipalTags = map[string]string{"username": "sub", "client": "aud"}

// Client-visible messages.
const (
	// msgPoolNotFound (observed: "IdentityPool 'us-east-1:…' not found.",
	// aws-sdk-android-samples#163, amplify-js#14117).
	msgPoolNotFound = "IdentityPool '%s' not found."
	// msgRoleForbidden is NotAuthorizedException of SetIdentityPoolRoles for
	// a role value that is not a role ARN (observed: "Access to Role
	// 'my-stack-SomeRole-…' is forbidden.", aws-sdk-js#908).
	msgRoleForbidden = "Access to Role '%s' is forbidden."
	// msgRoleMappingProvider (observed: "… is not a valid RoleMapping
	// ProviderName or is not a configured provider.", aws-cdk#7670, #22951).
	msgRoleMappingProvider = "%s is not a valid RoleMapping ProviderName or is not a configured provider."

	// The rest are unverified wordings.
	msgTooManyPools            = "Exceeded the maximum number of identity pools (%d) for this account."
	msgUnsupportedProvider     = "Invalid login provider: %s"
	msgInvalidCognitoProvider  = "Invalid Cognito Identity Provider name: %s"
	msgMissingClientID         = "ClientId is required for Cognito Identity Provider %s."
	msgDuplicateCognito        = "Duplicate Cognito Identity Provider: %s, %s"
	msgTooManyCognito          = "Exceeded the maximum number of Cognito Identity Providers (%d)."
	msgInvalidOIDCARN          = "Invalid OpenIdConnectProviderARN: %s"
	msgInvalidSAMLARN          = "Invalid SamlProviderARN: %s"
	msgDuplicateARN            = "Duplicate provider ARN: %s"
	msgDeveloperProviderChange = "Developer provider name cannot be changed once set."
	msgTooManyTags             = "An identity pool can have as many as 50 tags."
	msgInvalidARN              = "Invalid ARN: %s"
	msgInvalidNextToken        = "Invalid NextToken."
	msgAmbiguousRequired       = "AmbiguousRoleResolution must be specified for RoleMapping of %s."
	msgRulesRequired           = "RulesConfiguration must be specified for RoleMapping of type Rules for %s."
	msgRulesNotAllowed         = "RulesConfiguration is only valid for RoleMapping of type Rules for %s."
	msgTooManyRules            = "Exceeded the maximum number of rules (%d) for %s."
	msgInvalidRuleRole         = "Invalid RoleARN in rule for %s: %s"
	msgPrincipalTagProvider    = "%s is not a configured provider of this identity pool."
)

// Identities (GetId, credentials, developer identities).
//
// Behaviour chosen from documentation or observed service output:
//   - GetId with the same login gives the same identity; logins of several
//     providers link to one identity; without logins a new guest identity,
//     only when AllowUnauthenticatedIdentities (facts §8.2).
//   - A guest identity presented with a login is upgraded (the login is
//     linked to it); when the login is already linked to another identity,
//     the guest is merged into that one and becomes disabled, and that
//     identity is returned (amplify-js#6616: a merged guest identity is
//     disabled and answers "Access to Identity '…' is forbidden.").
//   - An authenticated identity needs at least one of its logins in each
//     unsigned call ("Logins don't match…", observed); developer calls
//     (SigV4) may link new logins to any identity they name.
//   - GetOpenIdTokenForDeveloperIdentity with an IdentityId refuses a developer
//     user identifier linked to another identity with
//     DeveloperUserAlreadyRegisteredException (the model's description).
//   - MergeDeveloperIdentities: at most 20 linked logins together; logins of
//     one public provider for two different users cannot merge (API
//     reference).
//   - UnlinkIdentity: "Removing the last linked login will make this identity
//     inaccessible" (API reference): the identity becomes disabled.
//   - GetOpenIdToken (basic flow) needs AllowClassicFlow and no RoleMappings
//     (observed messages below).
//
// Chosen without confirmation (unverified):
//   - When logins of one call are linked to several identities they merge into
//     the oldest; the others become disabled and lose their logins.
//   - Which login decides the role when several are given: the first, by
//     provider name, that has a role mapping; principal tags are gathered
//     from every login's map (the first provider naming a tag wins).
//   - Rules on list claims (cognito:groups): Equals needs a one-element list
//     equal to the value, Contains and StartsWith test each element, NotEqual
//     needs no element equal; string claims compare as strings (Contains:
//     substring).
//   - Token mappings: CustomRoleArn must be one of the token's roles, else
//     the request is denied; without it, cognito:preferred_role (SAML: the
//     only role offered) or the ambiguous-role resolution.
//   - Without a role mapping CustomRoleArn is honoured only when the login
//     offers that role (SAML role attribute, cognito:roles); otherwise the
//     default authenticated role is used.
//   - AccountId of GetId is accepted and not checked.
//   - DeleteIdentities ignores ids of identities that do not exist.
//   - amr of developer identities: [developer provider,
//     "{provider}:{identityPoolId}:{developerUserIdentifier}"].
const (
	// OpenIDTokenValidity is how long GetOpenIdToken's token lives (facts §8.2).
	OpenIDTokenValidity = 10 * time.Minute
	// DefaultDeveloperTokenDuration is GetOpenIdTokenForDeveloperIdentity's
	// default TokenDuration (15 minutes, API reference).
	DefaultDeveloperTokenDuration = 900
	// MaxLinkedLogins: "The number of linked logins is limited to 20."
	MaxLinkedLogins = 20
	// linkAttempts bounds retries of a linking decision that lost a race.
	linkAttempts = 8
)

// Messages of the identity operations.
const (
	// msgIdentityNotFound (observed: "ResourceNotFoundException: Identity
	// 'identity-id' not found.").
	msgIdentityNotFound = "Identity '%s' not found."
	// msgUnauthNotSupported (observed, facts §8.2).
	msgUnauthNotSupported = "Unauthenticated access is not supported for this identity pool."
	// msgLoginsDontMatch (observed, facts §8.2).
	msgLoginsDontMatch = "Logins don't match. Please include at least one valid login for this identity or identity pool."
	// msgIdentityForbidden: a disabled identity (observed, amplify-js#6616).
	msgIdentityForbidden = "Access to Identity '%s' is forbidden."
	// msgRoles is InvalidIdentityPoolConfigurationException (observed).
	msgRoles = "Invalid identity pool configuration. Check assigned IAM roles for this pool."
	// msgAmbiguousDenied: a role mapping with AmbiguousRoleResolution Deny
	// found no role (observed, amplify-js#8644).
	msgAmbiguousDenied = "The ambiguous role mapping rules denied this request."
	// msgClassicFlowDisabled is GetOpenIdToken's InvalidParameterException
	// without AllowClassicFlow (observed, aws-cli#7652).
	msgClassicFlowDisabled = "Basic (classic) flow is not enabled, please use enhanced flow."
	// msgClassicFlowRoleMappings (observed, aws-rum-web#172).
	msgClassicFlowRoleMappings = "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow."
	// msgDeveloperUserRegistered is DeveloperUserAlreadyRegisteredException
	// (the model's description of the exception).
	msgDeveloperUserRegistered = "The provided developer user identifier is already registered with Cognito under a different identity ID."

	// The rest are unverified wordings.
	msgCustomRoleDenied          = "The role %s is not one the login allows."
	msgLoginConflict             = "An identity cannot have logins of two different users of %s."
	msgTooManyLogins             = "The number of linked logins is limited to %d."
	msgConcurrentLinking         = "The identity was modified concurrently; try again."
	msgNoDeveloperProvider       = "The identity pool has no developer provider."
	msgDeveloperProviderMismatch = "Developer provider %s is not the developer provider of this identity pool."
	msgDeveloperLoginMissing     = "Logins must include the developer provider %s."
	msgDeveloperUserNotFound     = "Developer user identifier '%s' not found."
	msgDeveloperLoginNotLinked   = "Developer user identifier '%s' is not linked to identity '%s'."
	msgLookupNeedsKey            = "Either IdentityId or DeveloperUserIdentifier must be specified."
	msgLookupMismatch            = "IdentityId '%s' and DeveloperUserIdentifier '%s' do not belong to the same identity."
	msgUnlinkDeveloper           = "Developer provider logins are unlinked with UnlinkDeveloperIdentity."
	msgWrongPoolIdentity         = "Identity '%s' does not belong to identity pool '%s'."
)
