package account

import (
	"time"

	"github.com/cogito-dev/cogito/internal/password"
)

// This file gathers the Cognito facts the package imitates: client-visible
// messages, limits and the rules chosen where Cognito's behaviour is not
// documented. "(observed)" means quoted from real service output in a public
// report; "(documented)" from AWS documentation; "(unverified)" means it
// rests on emulators, third-party reports or reasoning. Correct it here when
// better evidence turns up.
//
// Rules:
//   - A token whose user was deleted answers UserNotFoundException "User
//     does not exist." (observed from GetUser through Amplify Flutter and the
//     Android SDK after deleting the user in the console); a disabled user
//     NotAuthorizedException "User is disabled." (observed at sign-in; the
//     same for token-authorized calls is unverified — AdminDisableUser also
//     revokes the tokens, so a revoked-token error usually comes first).
//   - GetUser shows the attributes the token's app client may read
//     (ReadAttributes; developer-only attributes never) (documented).
//   - ChangePassword needs PreviousPassword when the user has a password
//     (documented: "Required if the user has a password"); a missing one is
//     answered like a wrong one (unverified). A user in RESET_REQUIRED is
//     refused with PasswordResetRequiredException (unverified). The check
//     order is pattern, hourly limit, previous password, policy, history
//     (unverified). A changed password signs nobody out (observed: users ask
//     for a way to invalidate other sessions after a password change,
//     amplify-js #6559).
//   - GetUserAttributeVerificationCode sends the code to the value awaiting
//     verification (AttributesRequireVerificationBeforeUpdate) if there is
//     one, else to the current value, verified or not (an already verified
//     value can be verified again: reported from the live service by an
//     emulator's maintainers, floci #2018).
//   - VerifyUserAttribute marks the attribute verified and, when the code
//     was sent to a pending value, makes it the attribute's value; the
//     alias it claims must be free (AliasExistsException). A code for a
//     value the user no longer has or awaits is ExpiredCodeException
//     (unverified).
//   - DeleteUser revokes the user's tokens, then deletes the user (the
//     revocation is unverified: the user lookup refuses the tokens anyway).
//   - RevokeToken checks the client secret before EnableTokenRevocation
//     (unverified; the secret check comes first so the configuration is not
//     shown to callers who cannot authenticate). RevokeAssociatedSessions is
//     accepted and has no further effect: Cogito's refresh tokens are not
//     linked to managed-login sessions yet.
//   - The auth-event operations need threat protection: the pool's
//     UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED; otherwise
//     UserPoolAddOnNotEnabledException (documented: "a history of user
//     activity and any risks detected as part of Amazon Cognito threat
//     protection"; the check precedes the user lookup, unverified).
//   - ChangePassword records a PasswordChange auth event (Pass or Fail) in
//     pools with threat protection (documented event type; what Cognito
//     records for it is unverified).

// Client-visible messages.
const (
	// msgUserNotFound (observed), UserNotFoundException.
	msgUserNotFound = "User does not exist."
	// msgUserDisabled (observed), NotAuthorizedException.
	msgUserDisabled = "User is disabled."
	// msgInvalidAccessToken (observed as NotAuthorizedException "Invalid
	// Access Token"): a token whose app client no longer exists.
	msgInvalidAccessToken = "Invalid Access Token"
	// msgIncorrectPassword (observed), NotAuthorizedException of
	// ChangePassword with a wrong PreviousPassword.
	msgIncorrectPassword = "Incorrect username or password."
	// msgPasswordResetRequired (observed at sign-in), PasswordResetRequiredException.
	msgPasswordResetRequired = "Password reset required for the user"
	// msgPasswordHistory (unverified; the users and signup families use the
	// same text), PasswordHistoryPolicyViolationException.
	msgPasswordHistory = "The password has been used recently. Choose a different password."
	// prefixChangePassword starts ChangePassword's InvalidPasswordException
	// messages (observed: "Password does not conform to policy: ..." from
	// ChangePassword).
	prefixChangePassword = password.PrefixDoesNotConform
	// msgLimitExceeded (observed), LimitExceededException of the hourly limits.
	msgLimitExceeded = "Attempt limit exceeded, please try after some time."
	// msgCodeMismatch (observed), CodeMismatchException.
	msgCodeMismatch = "Invalid verification code provided, please try again."
	// msgExpiredCode (observed, also for a code used already), ExpiredCodeException.
	msgExpiredCode = "Invalid code provided, please request a code again."
	// msgNotVerifiable (observed, amplify-js #3652), InvalidParameterException
	// of GetUserAttributeVerificationCode and VerifyUserAttribute for an
	// attribute other than email and phone_number.
	msgNotVerifiable = "Invalid attribute name. Only phone_number and email can be verified."
	// msgNoPhone (reported from the live service by floci #1898's tests;
	// unverified) and msgNoEmail (unverified, modelled on it):
	// InvalidParameterException of GetUserAttributeVerificationCode for a
	// user without that attribute.
	msgNoPhone = "User does not have a valid registered phone number"
	msgNoEmail = "User does not have a valid registered email"
	// msgNothingToVerify (reported by floci #2018's tests; unverified),
	// InvalidParameterException of VerifyUserAttribute for an attribute the
	// user has no value for. %s is the attribute.
	msgNothingToVerify = "Unable to verify attribute: %s no value set to verify"
	// msgEmailDeliveryFailed (observed) / msgSMSDeliveryFailed (unverified):
	// CodeDeliveryFailureException when the message is in the outbox but
	// SMTP or the SMS webhook refused it (the users and signup texts).
	msgEmailDeliveryFailed = "Invalid email provided/Unable to send the email"
	msgSMSDeliveryFailed   = "Invalid phone number provided/Unable to send the SMS"
	// msgTooManyRequests (unverified), TooManyRequestsException when a user
	// kept changing under a read-modify-write.
	msgTooManyRequests = "Too many requests"
	// msgRevocationDisabled (unverified wording), UnsupportedOperationException
	// of RevokeToken for a client with EnableTokenRevocation false.
	msgRevocationDisabled = "Token revocation is not enabled for this client."
	// msgSecretMissing / msgSecretMismatch (unverified wording; the model
	// lists UnauthorizedException and no NotAuthorizedException for
	// RevokeToken): a client with a secret that did not send it or sent
	// another. %s is the client id.
	msgSecretMissing  = "Client %s is configured for secret but secret was not received"
	msgSecretMismatch = "Unable to verify secret for client %s"
	// msgAddOnNotEnabled (unverified wording), UserPoolAddOnNotEnabledException
	// of the auth-event operations in a pool without threat protection.
	msgAddOnNotEnabled = "Threat protection is not enabled for this user pool."
	// msgEventNotFound (unverified), ResourceNotFoundException of the feedback
	// operations for an unknown event id.
	msgEventNotFound = "Auth event not found."
	// msgInvalidFeedbackToken (unverified), NotAuthorizedException of
	// UpdateAuthEventFeedback for a token that was not issued for this pool,
	// user and event.
	msgInvalidFeedbackToken = "Invalid feedback token."
	// msgInvalidNextToken (unverified), InvalidParameterException for a
	// NextToken this listing did not issue.
	msgInvalidNextToken = "Invalid pagination token."
)

// Feedback providers, as EventFeedback.Provider shows them: "Admin" for
// AdminUpdateAuthEventFeedback (documented: "if you submit event feedback in
// the Amazon Cognito console, this value is Admin"), "User" for
// UpdateAuthEventFeedback (unverified).
const (
	providerAdmin = "Admin"
	providerUser  = "User"
)

// Per-user hourly limits (reference facts §5.3: "Per-user hourly limits
// (non-adjustable)"). A call beyond the limit within one clock hour answers
// msgLimitExceeded; every call that reaches the limit check counts (the
// service's exact window is unverified).
const (
	LimitChangePassword                   = 5
	LimitGetUserAttributeVerificationCode = 5
	LimitVerifyUserAttribute              = 15
	limitWindow                           = time.Hour
)

// defaultEventsPage is AdminListUserAuthEvents' page size when MaxResults is
// 0 or absent (documented: "Returns 60 events if you set MaxResults to 0, or
// if you don't include a MaxResults parameter").
const defaultEventsPage = 60
