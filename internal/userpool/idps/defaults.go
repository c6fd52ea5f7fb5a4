package idps

import (
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// This file gathers the facts about Cognito that the package imitates. Each
// says where it comes from; "(unverified)" marks third-party reports,
// emulators or reasoning rather than AWS documentation or recorded responses.
//
// Documented (API reference, CreateIdentityProvider's ProviderDetails and
// AdminLinkProviderForUser / AdminDisableProviderForUser):
//   - The provider-detail keys of each type and the members DescribeIdentity
//     Provider adds to them (socialEndpoints below; OIDC endpoints from the
//     issuer's discovery document; SAML SSO/SLO redirect URIs from the
//     metadata). Apple's private_key is accepted but never shown.
//   - A social provider's name is its type ("Provider X cannot be of type
//     Google.", observed InvalidParameterException).
//   - A duplicate name answers DuplicateProviderException "<name> already
//     exists in user pool <poolId>" (observed through CloudTrail).
//   - At most 50 IdP identifiers per provider (model); identity providers per
//     pool: 300 (quota, adjustable).
//   - AdminLinkProviderForUser: the destination is a local user (ProviderName
//     "Cognito", the username) or a federated user (the provider and its
//     user id); the source an external identity that has not signed in yet;
//     social sources use ProviderAttributeName "Cognito_Subject"; OIDC and
//     SAML sources may use a user-pool attribute their AttributeMapping maps;
//     at most five identities are linked to a user; every attribute of the
//     destination must be mutable.
//   - AdminDisableProviderForUser: with ProviderName "Cognito" and
//     "Cognito_Subject" it stops a local user signing in (Cogito disables the
//     user, as AdminDisableUser does; unverified that Cognito does exactly
//     that); otherwise it removes the link of that external identity and
//     disables the federated user of that identity if one exists.
//
// Chosen without confirmation (unverified), with no switch:
//   - AttributeMapping gets "username" mapped to the provider's subject claim
//     when the request does not map it (OIDC, Google, Apple: sub; Facebook:
//     id; Login with Amazon: user_id); SAML gets none.
//   - Creating the first identity provider adds the "identities" attribute
//     to the pool's schema (pools.IdentitiesAttribute).
//   - OIDC discovery runs at create and update time with a short timeout
//     (discoveryTimeout); when the issuer can't be reached the provider is
//     stored without the discovered endpoints and the OAuth endpoints try
//     again at sign-in. SAML MetadataURL is fetched the same way.
//   - UpdateIdentityProvider replaces ProviderDetails when it is given,
//     keeping the stored private_key of Sign in with Apple when the new
//     details omit it (Describe never shows it, so a read-modify-write would
//     lose it). Omitted AttributeMapping, IdpIdentifiers and AcrMapping keep
//     their values.
//   - DeleteIdentityProvider leaves provider links and users' identities in
//     place; app clients keep naming the provider (the OAuth endpoints refuse
//     it).
//   - IdP identifiers and provider names compare case-sensitively.
//   - A linked identity is added to the destination user's identities
//     attribute at once, with userId the source's ProviderAttributeValue,
//     issuer null and primary "false".
//   - Linking the same source to the same destination again succeeds and
//     changes nothing; linking it to another user answers
//     AliasExistsException.
//   - AdminDisableProviderForUser of an identity with neither a link nor a
//     federated user answers UserNotFoundException.

// Limits.
const (
	// MaxProvidersPerPool is the default quota "Identity providers per user
	// pool" (Cognito quotas page).
	MaxProvidersPerPool = 300
	// MaxLinksPerUser is "The maximum number of federated identities linked to
	// a user is five" (API reference).
	MaxLinksPerUser = 5
	// DefaultListMaxResults is ListIdentityProviders' page size without
	// MaxResults (unverified; the model's maximum).
	DefaultListMaxResults = 60
	// discoveryTimeout bounds OIDC discovery and SAML metadata fetches.
	discoveryTimeout = 3 * time.Second
	// maxFetchBytes bounds a fetched discovery or metadata document.
	maxFetchBytes = 1 << 20
)

// Names with special meaning.
const (
	// ProviderCognito is the pool's own directory in AdminLinkProviderForUser
	// and AdminDisableProviderForUser.
	ProviderCognito = "Cognito"
	// CognitoSubject is the ProviderAttributeName of an identity's subject.
	CognitoSubject = "Cognito_Subject"
)

// reservedNames may not be the name of an identity provider (unverified:
// COGNITO names the pool's directory in SupportedIdentityProviders).
var reservedNames = []string{"cognito"}

// socialTypes are the types whose provider name must be the type itself.
var socialTypes = []cognitoidp.IdentityProviderTypeType{
	cognitoidp.IdentityProviderTypeTypeGoogle, cognitoidp.IdentityProviderTypeTypeFacebook,
	cognitoidp.IdentityProviderTypeTypeLoginwithamazon, cognitoidp.IdentityProviderTypeTypeSigninwithapple,
}

// requiredDetails are the ProviderDetails keys each type must have (API
// reference examples; OIDC client_secret is optional for public IdP clients
// (unverified)).
var requiredDetails = map[cognitoidp.IdentityProviderTypeType][]string{
	cognitoidp.IdentityProviderTypeTypeOidc:            {"client_id", "authorize_scopes", "attributes_request_method", "oidc_issuer"},
	cognitoidp.IdentityProviderTypeTypeGoogle:          {"client_id", "client_secret", "authorize_scopes"},
	cognitoidp.IdentityProviderTypeTypeFacebook:        {"client_id", "client_secret", "authorize_scopes"},
	cognitoidp.IdentityProviderTypeTypeLoginwithamazon: {"client_id", "client_secret", "authorize_scopes"},
	cognitoidp.IdentityProviderTypeTypeSigninwithapple: {"client_id", "team_id", "key_id", "private_key", "authorize_scopes"},
}

// hiddenDetails are accepted but never shown by Describe (API reference:
// Apple's describe response has no private_key).
var hiddenDetails = []string{"private_key"}

// socialEndpoints are the members Cognito adds to a social provider's details
// (API reference, describe responses).
var socialEndpoints = map[cognitoidp.IdentityProviderTypeType]map[string]string{
	cognitoidp.IdentityProviderTypeTypeGoogle: {
		"attributes_url":                "https://people.googleapis.com/v1/people/me?personFields=",
		"attributes_url_add_attributes": "true",
		"authorize_url":                 "https://accounts.google.com/o/oauth2/v2/auth",
		"oidc_issuer":                   "https://accounts.google.com",
		"token_request_method":          "POST",
		"token_url":                     "https://www.googleapis.com/oauth2/v4/token",
	},
	cognitoidp.IdentityProviderTypeTypeLoginwithamazon: {
		"attributes_url":                "https://api.amazon.com/user/profile",
		"attributes_url_add_attributes": "false",
		"authorize_url":                 "https://www.amazon.com/ap/oa",
		"token_request_method":          "POST",
		"token_url":                     "https://api.amazon.com/auth/o2/token",
	},
	cognitoidp.IdentityProviderTypeTypeSigninwithapple: {
		"attributes_url_add_attributes": "false",
		"authorize_url":                 "https://appleid.apple.com/auth/authorize",
		"oidc_issuer":                   "https://appleid.apple.com",
		"token_request_method":          "POST",
		"token_url":                     "https://appleid.apple.com/auth/token",
	},
	// Facebook's URLs carry api_version; see facebookEndpoints.
	cognitoidp.IdentityProviderTypeTypeFacebook: {
		"attributes_url_add_attributes": "true",
		"token_request_method":          "GET",
	},
}

// facebookEndpoints are Facebook's versioned URLs ("v17.0"; unversioned
// without api_version (unverified)).
func facebookEndpoints(version string) map[string]string {
	v := ""
	if version != "" {
		v = version + "/"
	}
	return map[string]string{
		"attributes_url": "https://graph.facebook.com/" + v + "me?fields=",
		"authorize_url":  "https://www.facebook.com/" + v + "dialog/oauth",
		"token_url":      "https://graph.facebook.com/" + v + "oauth/access_token",
	}
}

// subjectClaims is the claim each type maps to "username" by default
// (unverified; AdminLinkProviderForUser's docs name id, sub and user_id as
// the social subjects).
var subjectClaims = map[cognitoidp.IdentityProviderTypeType]string{
	cognitoidp.IdentityProviderTypeTypeOidc:            "sub",
	cognitoidp.IdentityProviderTypeTypeGoogle:          "sub",
	cognitoidp.IdentityProviderTypeTypeFacebook:        "id",
	cognitoidp.IdentityProviderTypeTypeLoginwithamazon: "user_id",
	cognitoidp.IdentityProviderTypeTypeSigninwithapple: "sub",
}

// Client-visible messages.
const (
	// msgDuplicate: name, pool id (observed).
	msgDuplicate = "%s already exists in user pool %s"
	// msgSocialName: name, type (observed).
	msgSocialName = "Provider %s cannot be of type %s."
	// msgReservedName: name (unverified).
	msgReservedName = "Provider name %s is reserved."
	// msgNotFound: name (unverified).
	msgNotFound = "Identity provider %s does not exist."
	// msgIdentifierNotFound: identifier (unverified).
	msgIdentifierNotFound = "Identity provider with identifier %s does not exist."
	// msgMissingDetail: key, type (unverified).
	msgMissingDetail = "%s is required for provider type %s."
	// msgBadDetail: key, value (unverified).
	msgBadDetail = "Invalid value for %s: %s."
	// msgSAMLMetadata answers neither or both of MetadataURL and MetadataFile
	// (unverified).
	msgSAMLMetadata = "Exactly one of MetadataURL or MetadataFile is required for a SAML provider."
	// msgSAMLMetadataInvalid answers a metadata document that is not SAML 2.0
	// IdP metadata (unverified).
	msgSAMLMetadataInvalid = "Invalid SAML metadata: %s"
	// msgBadMapping: attribute (unverified).
	msgBadMapping = "Invalid attribute mapping: %s is not an attribute of the user pool."
	// msgDuplicateIdentifier: identifier (unverified).
	msgDuplicateIdentifier = "Duplicate IdP identifier: %s."
	// msgTooManyProviders: quota (unverified wording; the quota is documented).
	msgTooManyProviders = "The user pool has reached the maximum of %d identity providers."
	// msgUnsupported answers Update/Delete of the pool's own directory
	// (unverified).
	msgUnsupported = "The provider %s is not supported by this operation."
	// msgInvalidNextToken answers a NextToken this package did not issue
	// (unverified; the same words as the other families).
	msgInvalidNextToken = "Invalid NextToken."

	// msgUserNotFound is UserNotFoundException of the Admin* operations
	// (observed, reference facts §4.5).
	msgUserNotFound = "User does not exist."
	// msgProviderNotFound: provider, pool (the observed wording of app
	// clients naming an unknown provider).
	msgProviderNotFound = "The provider %s does not exist for User Pool %s"
	// msgMissingMember: member (unverified).
	msgMissingMember = "%s is required."
	// msgSourceIsCognito refuses a local user as the source (unverified).
	msgSourceIsCognito = "SourceUser must be a federated user, not a Cognito user."
	// msgSocialAttribute: provider (unverified).
	msgSocialAttribute = "ProviderAttributeName must be Cognito_Subject for provider %s."
	// msgUnmappedAttribute: attribute, provider (unverified).
	msgUnmappedAttribute = "ProviderAttributeName %s is not mapped by provider %s."
	// msgSourceUsed refuses a source that already signed in (reported wording).
	msgSourceUsed = "Merging is not currently supported, provide a SourceUser that has not been used yet"
	// msgSameUser refuses linking a user to itself (unverified).
	msgSameUser = "SourceUser and DestinationUser must be different users."
	// msgTooManyLinks: the limit (unverified wording; the limit is documented).
	msgTooManyLinks = "A user can have at most %d linked identities."
	// msgLinkedElsewhere refuses a source linked to another user (unverified).
	msgLinkedElsewhere = "The source user is already linked to another user."
	// msgImmutableAttribute: attribute (unverified; the rule is documented).
	msgImmutableAttribute = "All attributes of the DestinationUser must be mutable; %s is not."
	// msgDisableCognito refuses a local user named by another attribute than
	// Cognito_Subject (unverified).
	msgDisableCognito = "ProviderAttributeName must be Cognito_Subject for provider Cognito."
)

// Resource kinds (storage.ResourceStore).
const (
	// kindProvider: ID the provider name.
	kindProvider = "identity-provider"
	// kindIdentifier: ID the IdP identifier, LookupKey "{poolId}/{identifier}",
	// so identifiers are unique per pool.
	kindIdentifier = "idp-identifier"
	// kindLink: a provider link; ID see linkID, LookupKey "{poolId}/{ID}",
	// Owner the destination user.
	kindLink = "provider-link"
)
