package identitypool

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
