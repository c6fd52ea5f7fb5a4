package webauthn

import "time"

// This file gathers the facts about Cognito that the package imitates. Each
// says where it comes from; "(unverified)" means it rests on reasoning or
// third-party reports, not on AWS documentation or a recorded response —
// correct it here when better evidence turns up.
//
// From AWS documentation (API reference, the AWS CLI examples):
//   - CredentialCreationOptions is the PublicKeyCredentialCreationOptionsJSON
//     object itself (not wrapped in "publicKey"): authenticatorSelection
//     {requireResidentKey: true, residentKey: "required", userVerification
//     from the pool}, challenge, excludeCredentials (the user's passkeys,
//     type and id only), pubKeyCredParams ES256 (-7) and RS256 (-257),
//     rp {id, name: the id}, timeout 60000, user {id: base64url of the sub,
//     name and displayName: the username}. No "attestation" member (the
//     browser's default, "none"). (start-web-authn-registration CLI example.)
//   - CREDENTIAL_REQUEST_OPTIONS is a JSON string {challenge, timeout:
//     180000, rpId, allowCredentials [{type, id, transports (always
//     present, possibly [])}], userVerification} in that order (InitiateAuth
//     API reference example).
//   - ListWebAuthnCredentials: MaxResults 0–20; each credential has
//     CredentialId, FriendlyCredentialName ("automatically-generated"),
//     RelyingPartyId, AuthenticatorAttachment, AuthenticatorTransports
//     (required: an empty list when none), CreatedAt.
//   - Passkeys need WEB_AUTHN among the pool's
//     Policies.SignInPolicy.AllowedFirstAuthFactors (or, since 2026, passkey
//     MFA: WebAuthnConfiguration.FactorConfiguration
//     MULTI_FACTOR_WITH_USER_VERIFICATION); the relying party is the
//     configured RelyingPartyId, else the pool's domain; a pool with neither
//     is WebAuthnConfigurationMissingException. Credential is a JSON
//     document: the RegistrationResponseJSON object.
//
// Chosen without confirmation (unverified):
//   - StartWebAuthnRegistration in a pool without passkeys is
//     WebAuthnNotEnabledException; the other operations work regardless (a
//     user can still list and delete what was registered before).
//   - MaxCredentialsPerUser = 20 (the ListWebAuthnCredentials MaxResults
//     maximum); Start and Complete beyond it are LimitExceededException.
//   - A registration challenge stays valid PendingRegistrationValidity after
//     Start; a later Start replaces it; Complete consumes it on success. A
//     missing, expired, replaced or already used challenge is
//     WebAuthnChallengeNotFoundException.
//   - Which failure is which exception (errors.go): a credential that does
//     not parse, has the wrong clientData type or no user presence, or whose
//     attestation signature does not verify is InvalidParameterException; an
//     unsupported algorithm or attestation format, or no user verification
//     when the pool requires it, is WebAuthnCredentialNotSupportedException;
//     a cross-origin ceremony is WebAuthnOriginNotAllowedException.
//   - A credential id already registered in the pool is
//     InvalidParameterException.
//   - ListWebAuthnCredentials lists by credential id; MaxResults absent or 0
//     is DefaultListLimit.
//   - FriendlyCredentialName: the provider's name for a known AAGUID
//     (community list of passkey provider AAGUIDs), else "Roaming passkey"
//     for cross-platform (as in the CLI example) or "Platform passkey"; just
//     "Passkey" when the client reported no attachment.
//   - A failed passkey sign-in is NotAuthorizedException with msgSignInFailed.
//   - A signature counter that does not grow (when either it or the stored
//     one is non-zero) fails the sign-in: a cloned authenticator.
//   - RelyingPartyId default for Cogito: see Config.DefaultRelyingPartyID.

// Limits and windows.
const (
	// MaxCredentialsPerUser is how many passkeys one user may register.
	MaxCredentialsPerUser = 20
	// DefaultListLimit is ListWebAuthnCredentials' page size without
	// MaxResults.
	DefaultListLimit = 20
	// PendingRegistrationValidity is how long a StartWebAuthnRegistration
	// challenge can be completed.
	PendingRegistrationValidity = 5 * time.Minute
	// RegistrationTimeoutMillis is the options' timeout (CLI example).
	RegistrationTimeoutMillis = 60000
	// LoginTimeoutMillis is the request options' timeout (API example).
	LoginTimeoutMillis = 180000
	// challengeBytes is the size of a ceremony's random challenge.
	challengeBytes = 32
)

// COSE algorithm identifiers offered in pubKeyCredParams, in Cognito's order.
const (
	algES256 = -7
	algRS256 = -257
)

// Resource kinds.
const (
	kindCredential = "webauthn"
	kindPending    = "webauthn-pending"
)
