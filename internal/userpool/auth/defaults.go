package auth

import "time"

// This file gathers the Cognito facts the package imitates: client-visible
// messages, limits, and the rules chosen where Cognito's behaviour is not
// documented. Each says where it comes from; "(unverified)" means it rests
// on third-party reports or reasoning, not on AWS documentation or recorded
// service output. Correct it here when better evidence turns up.
//
// Rules (documented or observed unless marked):
//   - PreventUserExistenceErrors=ENABLED (developer guide, "Managing user
//     existence error responses"): an unknown user gets the generic
//     NotAuthorizedException of a wrong password; USER_SRP_AUTH answers a
//     simulated PASSWORD_VERIFIER challenge "with the same salt and internal
//     user id in UUID format for the same user name and user pool", and the
//     answer to it fails like a wrong password. "If a user is disabled and the
//     password is incorrect, the error will also indicate that either the
//     username or password is incorrect": with ENABLED every state check
//     (disabled, unconfirmed, reset required) comes only after the password
//     was verified, so nothing about the account shows without it.
//   - With LEGACY the state checks come before the password: an UNCONFIRMED
//     user gets UserNotConfirmedException even with a wrong password
//     (observed, and "the intended behavior" per AWS in
//     amazon-cognito-identity-js#288 and aws-sdk-js#4608); disabled and
//     RESET_REQUIRED users likewise (unverified for those two). For
//     USER_SRP_AUTH they come at InitiateAuth, before the verifier step
//     (unverified).
//   - An imported user (RESET_REQUIRED, no password) under ENABLED gets the
//     generic message (reference facts §4.5).
//   - An expired temporary password is refused only after it was verified
//     (unverified), so the message says nothing to someone without it.
//   - Lockout (developer guide, "User sign-in lockout", "subject to change"):
//     after lockoutThreshold consecutive failed sign-ins each further failure
//     locks the user for 2^(n−5) seconds (n = failures so far), at most
//     lockoutMax; sign-ins during a lock answer msgAttemptsExceeded without
//     checking the password and without extending the lock; the count is
//     forgotten after lockoutQuiet without a failure, and a successful
//     sign-in clears it. Counters live in the store so replicas agree.
//   - Which flows each operation takes (API reference): InitiateAuth refuses
//     ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH; AdminInitiateAuth
//     refuses USER_PASSWORD_AUTH; both with msgMethodNotSupported (observed
//     for InitiateAuth; unverified for AdminInitiateAuth).
//   - Check order in (Admin)InitiateAuth: AuthFlow supported by the
//     operation, app client (and pool), flow enabled on the client, required
//     parameters, SECRET_HASH, the user (unverified beyond the first three).
//   - PASSWORD_VERIFIER is answered without a Session (reference facts §3.4,
//     unverified); a Session sent with the answer is ignored. All the state
//     of the exchange is sealed in SECRET_BLOCK, which works once and for the
//     client's AuthSessionValidity.
//   - NEW_PASSWORD_REQUIRED lists in userAttributes the attributes the app
//     client may read, without sub (observed: amazon-cognito-identity-js
//     examples delete email_verified before answering, which shows it is
//     there; sub never appears), and in requiredAttributes the pool's required
//     attributes the user has no value for. The answer's attributes are
//     written as the app client (its WriteAttributes); a changed email or
//     phone number loses its verified flag (unverified, as
//     UpdateUserAttributes does).
//   - A refresh with a client secret takes a SECRET_HASH computed over the
//     internal username or the sub (reference facts §3.5: unverified which;
//     both are accepted).
//   - A session or secret block is consumed only when its step succeeds
//     (tokens or a next challenge); an answer refused for bad input (a weak
//     new password, a missing required attribute) may be corrected and sent
//     again with the same session (unverified; Amplify lets users retry).
//   - USER_AUTH (choice-based sign-in) is not implemented yet: a client
//     without ALLOW_USER_AUTH gets Cognito's "flow not enabled" error, a client
//     with it the honest NotImplementedException. CUSTOM_AUTH answers as
//     Cognito does for a pool without the custom-auth Lambda triggers.

// Client-visible messages.
const (
	// msgIncorrect: NotAuthorizedException for a wrong password, a failed
	// SRP proof, and (ENABLED) an unknown user (observed).
	msgIncorrect = "Incorrect username or password."
	// msgUserNotFound: UserNotFoundException with LEGACY (observed).
	msgUserNotFound = "User does not exist."
	// msgNotConfirmed: UserNotConfirmedException (observed).
	msgNotConfirmed = "User is not confirmed."
	// msgDisabled: NotAuthorizedException (observed).
	msgDisabled = "User is disabled."
	// msgResetRequired: PasswordResetRequiredException (observed).
	msgResetRequired = "Password reset required for the user"
	// msgTemporaryExpired: NotAuthorizedException (observed).
	msgTemporaryExpired = "Temporary password has expired and must be reset by an administrator."
	// msgAttemptsExceeded: NotAuthorizedException during a lockout (observed).
	msgAttemptsExceeded = "Password attempts exceeded"
	// msgSessionExpired: NotAuthorizedException for an expired session (observed).
	msgSessionExpired = "Invalid session for the user, session is expired."
	// msgSessionInvalid: NotAuthorizedException for a session that is not
	// ours, belongs to another client, pool or challenge, or was used
	// (observed for invalid sessions; unverified for the other cases).
	msgSessionInvalid = "Invalid session for the user."
	// msgPasswordFlowNotEnabled: InvalidParameterException (observed).
	msgPasswordFlowNotEnabled = "USER_PASSWORD_AUTH flow not enabled for this client"
	// msgFlowNotEnabled: InvalidParameterException for the other flows
	// (observed for ADMIN_USER_PASSWORD_AUTH; unverified for SRP, refresh,
	// custom and choice-based sign-in).
	msgFlowNotEnabled = "Auth flow not enabled for this client"
	// msgMethodNotSupported: InvalidParameterException for a flow the
	// operation does not take (observed for InitiateAuth).
	msgMethodNotSupported = "Initiate Auth method not supported."
	// msgCustomAuthNotConfigured: InvalidUserPoolConfigurationException
	// (observed).
	msgCustomAuthNotConfigured = "Custom auth lambda trigger is not configured for the user pool."
	// msgMissingParameter: InvalidParameterException, %s the parameter
	// (observed for USERNAME; unverified for the others).
	msgMissingParameter = "Missing required parameter %s"
	// msgInvalidSRPA: InvalidParameterException for an SRP_A that is not hex
	// or is 0 mod N (unverified).
	msgInvalidSRPA = "SRP_A is not a valid SRP public value."
	// msgBadTimestamp: InvalidParameterException for a TIMESTAMP not in the
	// clients' format (unverified; remembered from Java-locale reports).
	msgBadTimestamp = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
	// msgSecretNotReceived / msgSecretMismatch: NotAuthorizedException, %s
	// the client id (observed for SECRET_HASH; unverified for
	// GetTokensFromRefreshToken's ClientSecret).
	msgSecretNotReceived = "Client %s is configured for secret but secret was not received"
	msgSecretMismatch    = "Unable to verify secret hash for client %s"
	// msgClientSecretMismatch: NotAuthorizedException of
	// GetTokensFromRefreshToken for a wrong ClientSecret (unverified).
	msgClientSecretMismatch = "Unable to verify secret for client %s"
	// msgRequiredMissing: InvalidParameterException of the
	// NEW_PASSWORD_REQUIRED answer without a required attribute, %s its name
	// (observed: "Invalid attributes given, given_name is missing", reports
	// of 2017–2019; the first missing one in schema order is named,
	// unverified).
	msgRequiredMissing = "Invalid attributes given, %s is missing"
	// msgPasswordHistory: PasswordHistoryPolicyViolationException (unverified;
	// the text the users and signup families use).
	msgPasswordHistory = "The password has been used recently. Choose a different password."
	// msgConcurrentModification: ConcurrentModificationException when the user
	// kept changing under us (unverified; the users family's text).
	msgConcurrentModification = "The user was modified concurrently, please try again."
)

// Lockout (developer guide, "User sign-in lockout").
const (
	lockoutThreshold = 5
	lockoutMax       = 15 * time.Minute
	lockoutQuiet     = 15 * time.Minute
	// lockoutCounterLife is how long the store keeps a failure counter at
	// most; the quiet period is checked against its last update, so this
	// only bounds the row's life (the CounterStore does not extend expiry).
	lockoutCounterLife = 24 * time.Hour
)

// Parameter names of AuthParameters and ChallengeResponses, and challenge
// parameter names.
const (
	pUsername       = "USERNAME"
	pPassword       = "PASSWORD"
	pSecretHash     = "SECRET_HASH"
	pSRPA           = "SRP_A"
	pSRPB           = "SRP_B"
	pSalt           = "SALT"
	pSecretBlock    = "SECRET_BLOCK"
	pUserIDForSRP   = "USER_ID_FOR_SRP"
	pClaimBlock     = "PASSWORD_CLAIM_SECRET_BLOCK"
	pClaimSignature = "PASSWORD_CLAIM_SIGNATURE"
	pTimestamp      = "TIMESTAMP"
	pRefreshToken   = "REFRESH_TOKEN"
	pDeviceKey      = "DEVICE_KEY"
	pNewPassword    = "NEW_PASSWORD"
	pUserAttributes = "userAttributes"
	pRequiredAttrs  = "requiredAttributes"
	// attrPrefix starts the attribute answers of NEW_PASSWORD_REQUIRED.
	attrPrefix = "userAttributes."
)

// Key purposes (keys.Sealer.DeriveKey).
const (
	purposeSRPState  = "srp-state"
	purposeSession   = "auth-session"
	purposeSimulated = "srp-simulated"
)
