package token

import "time"

// This file gathers the facts about Cognito that the package imitates: claim
// sets, token shapes, lifetimes and the client-visible messages. Each one says
// where it comes from. "(unverified)" means it rests on third-party reports,
// emulators or reasoning, not on AWS documentation or a recorded response of
// the live service; correct it here when better evidence turns up.
//
// Behaviour chosen from documentation or observation, with no switch:
//   - JWS header {"kid":…,"alg":"RS256"} without "typ"; ID tokens signed with
//     the pool's ID key, access tokens with its access key (developer guide,
//     "Understanding the access token": the kid of an access token does not
//     match the kid of the ID token of the same session).
//   - Refresh tokens are opaque JWE-shaped strings with the header
//     {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"} (observed). Ours seal only
//     the store handle of the token; clients never decode them.
//   - RevokeToken revokes the refresh token and every ID and access token of
//     its family (same origin_jti), not the user's other sessions (developer
//     guide, "Ending user sessions with token revocation").
//   - With refresh-token rotation a rotated token keeps working for the app
//     client's RetryGracePeriodSeconds and no longer afterwards (API reference,
//     RefreshTokenRotationType); grace 0 invalidates it at once.
//
// Behaviour chosen without confirmation (unverified), with no switch:
//   - Every ID and access token carries jti and origin_jti, also for app
//     clients with EnableTokenRevocation false (a knowledge-center article
//     says both claims are added "when you turn on token revocation"). We keep
//     them so GlobalSignOut can reject the access tokens of every client.
//   - A refresh token issued by rotation is valid for the client's full
//     refresh-token validity from the rotation (a sliding window, as
//     third-party write-ups of the feature describe it).
//   - Presenting a rotated refresh token after the grace period revokes the
//     whole family (RevokeFamilyOnReuse), as OAuth reuse detection does; AWS
//     documents only the RefreshTokenReuseException.
//   - A rotated token used again within the grace period yields another new
//     refresh token; the first replacement stays valid.
//   - Revoking a family keeps the revocation record until the family's last
//     possible access token has expired (familyRecordSlack past the refresh
//     token's lifetime).
//   - Access tokens are checked in this order: shape, key (kid of the pool
//     named by iss), signature, token_use, expiry, revocation.
//   - RevokeToken: a token that is not one of our refresh tokens is
//     UnsupportedTokenTypeException; a well-formed token we no longer know
//     (collected after expiry) or already revoked succeeds without change
//     (RFC 7009 §2.2); a token of another app client is UnauthorizedException.
//   - Claim order follows the developer guide's examples where they give
//     one; consumers parse JSON, so order only keeps the output tidy.

// Client-visible messages (NotAuthorizedException unless said otherwise).
const (
	// msgAccessExpired is observed ("Access Token has expired").
	msgAccessExpired = "Access Token has expired"
	// msgAccessInvalid is observed for malformed and badly signed tokens.
	msgAccessInvalid = "Invalid Access Token"
	// msgAccessRevoked is the wording of AWS documentation (unverified as a message).
	msgAccessRevoked = "Access Token has been revoked"
	// msgAccessScopes is observed.
	msgAccessScopes = "Access Token does not have required scopes"

	// msgRefreshInvalid is observed with its final period (aws-sdk-js-v3#7162, 2025).
	msgRefreshInvalid = "Invalid Refresh Token."
	// msgRefreshRevoked is observed (aws-sdk-net#1936).
	msgRefreshRevoked = "Refresh Token has been revoked"
	// msgRefreshExpired (unverified).
	msgRefreshExpired = "Refresh Token has expired"
	// msgRefreshOtherClient is observed since January 2022 (aws-sdk-js#4016);
	// the final period is unverified.
	msgRefreshOtherClient = "Refresh Token has different Client."
	// msgRefreshReused is the RefreshTokenReuseException message (unverified).
	msgRefreshReused = "Refresh Token has been reused"

	// msgRevokeUnsupported is RevokeToken's UnsupportedTokenTypeException
	// message for a token that is not a refresh token (unverified).
	msgRevokeUnsupported = "Unsupported token type"
	// msgRevokeOtherClient is RevokeToken's UnauthorizedException message for
	// another client's token (unverified).
	msgRevokeOtherClient = "Refresh Token has different Client."
)

// RevokeFamilyOnReuse says whether presenting a rotated refresh token after
// its grace period revokes the whole family (unverified; see above).
const RevokeFamilyOnReuse = true

// AdminScope is the scope of API-issued access tokens, which the user
// self-service operations require.
const AdminScope = "aws.cognito.signin.user.admin"

// Default validities (developer guide, "Using tokens"; API reference,
// CreateUserPoolClient): 60 minutes for ID and access tokens, 30 days for
// refresh tokens. A zero Validity field takes these.
const (
	DefaultIDValidity      = time.Hour
	DefaultAccessValidity  = time.Hour
	DefaultRefreshValidity = 30 * 24 * time.Hour
)

// MaxAccessValidity is the longest an access or ID token lives (1 day).
const MaxAccessValidity = 24 * time.Hour

// familyRecordSlack keeps a family's revocation record this long after its
// refresh token would expire, so every access token minted from it up to that
// moment stays rejected.
const familyRecordSlack = MaxAccessValidity

// Schema data types (AttributeDataType) used to type ID-token claims.
const (
	typeString   = "String"
	typeNumber   = "Number"
	typeBoolean  = "Boolean"
	typeDateTime = "DateTime"
)

// defaultType types the standard attributes when Subject.Types is nil.
func defaultType(name string) string {
	switch name {
	case "email_verified", "phone_number_verified":
		return typeBoolean
	case "updated_at":
		return typeNumber
	}
	return typeString
}

// protectedClaim reports a claim an Override may neither add nor suppress:
// those a pre token generation trigger cannot change (developer guide, "Pre
// token generation Lambda trigger"), plus the ones Subject sets directly (the
// group claims come from the trigger's groupOverrideDetails, scopes from its
// scopesToAdd/scopesToSuppress) and, in access tokens, client_id, username,
// event_id, device_key and version (unverified). Verification reads only
// protected claims, so an override cannot make a token unreadable.
func protectedClaim(name string, access bool) bool {
	switch name {
	case "acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat",
		"identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use",
		"cognito:groups", "cognito:roles", "cognito:preferred_role", "event_id":
		return true
	case "client_id", "scope", "username", "device_key", "version":
		return access
	}
	return false
}
