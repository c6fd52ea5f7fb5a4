package users

import "github.com/cogito-dev/cogito/internal/password"

// This file gathers the facts about Cognito that the package imitates: the
// client-visible messages and the behaviour choices that rest on reports
// rather than documentation. "(observed)" means quoted from a real response
// in a public report; "(unverified)" means it rests on emulators, third-party
// reports or reasoning. Correct them here when better evidence turns up.

// Client-visible messages.
const (
	// msgUserNotFound (observed): UserNotFoundException of every admin
	// operation naming an unknown user.
	msgUserNotFound = "User does not exist."
	// msgUserAccountExists (observed): UsernameExistsException of
	// AdminCreateUser for a taken username ("An error occurred
	// (UsernameExistsException) when calling the AdminCreateUser operation:
	// User account already exists"). Taken aliases keep attrs.AliasClash's
	// messages.
	msgUserAccountExists = "User account already exists"
	// msgResendNotPossible (unverified; emulators agree on the text, not on a
	// trailing period): AdminCreateUser with MessageAction RESEND for a user
	// whose status is not FORCE_CHANGE_PASSWORD (UnsupportedUserStateException).
	msgResendNotPossible = "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD"
	// msgNoEmailForDelivery (observed): DesiredDeliveryMediums names EMAIL but
	// the user has no email.
	msgNoEmailForDelivery = "No email provided but desired delivery medium was Email"
	// msgNoPhoneForDelivery (unverified: modelled on the email message).
	msgNoPhoneForDelivery = "No phone_number provided but desired delivery medium was SMS"
	// msgCannotConfirm (observed for ConfirmSignUp, format "User cannot be
	// confirmed. Current status is CONFIRMED"; the same for AdminConfirmSignUp
	// is unverified), NotAuthorizedException.
	msgCannotConfirm = "User cannot be confirmed. Current status is %s"
	// msgUserDisabled (observed), NotAuthorizedException.
	msgUserDisabled = "User is disabled."
	// msgCannotReset (observed: "An error occurred (NotAuthorizedException)
	// when calling the AdminResetUserPassword operation: User password cannot
	// be reset in the current state." for a FORCE_CHANGE_PASSWORD user).
	msgCannotReset = "User password cannot be reset in the current state."
	// msgNoVerifiedContact (observed for ForgotPassword; the same text for
	// AdminResetUserPassword is unverified), InvalidParameterException.
	msgNoVerifiedContact = "Cannot reset password for the user as there is no registered/verified email or phone_number"
	// msgParseFilter (observed: {"__type":"InvalidParameterException",
	// "message":"Error while parsing filter."}).
	msgParseFilter = "Error while parsing filter."
	// msgInvalidSearchAttribute (unverified: moto's text for a filter on an
	// attribute that is not searchable).
	msgInvalidSearchAttribute = "Invalid search attribute: %s"
	// msgAttributesToGet (observed: "InvalidParameterException: One or more
	// requested attributes do not exist." for AttributesToGet naming an
	// attribute some listed user has no value for).
	msgAttributesToGet = "One or more requested attributes do not exist."
	// msgInvalidPaginationToken (unverified).
	msgInvalidPaginationToken = "Invalid pagination token."
	// msgTooManyRequests: a user kept changing under a read-modify-write
	// (unverified; TooManyRequestsException is what clients retry).
	msgTooManyRequests = "Too many requests"
	// msgPasswordHistory (unverified), PasswordHistoryPolicyViolationException:
	// AdminSetUserPassword with one of the user's recent passwords.
	msgPasswordHistory = "The password has been used recently. Choose a different password."
	// prefixCreateUser and prefixSetUserPassword start InvalidPasswordException
	// messages: "did not conform with policy" is observed from SignUp,
	// "does not conform to policy" from the operations that change a
	// password; which AdminCreateUser and AdminSetUserPassword use is
	// unverified.
	prefixCreateUser      = password.PrefixDidNotConform
	prefixSetUserPassword = password.PrefixDoesNotConform
	// msgEmailDeliveryFailed (observed), CodeDeliveryFailureException: the
	// message is in the outbox but SMTP refused it.
	msgEmailDeliveryFailed = "Invalid email provided/Unable to send the email"
	// msgSMSDeliveryFailed (unverified: modelled on the email message): the
	// SMS webhook refused the message.
	msgSMSDeliveryFailed = "Invalid phone number provided/Unable to send the SMS"
)

// Behaviour choices.
const (
	// checkMediumsOnlyWhenSending: DesiredDeliveryMediums is checked against
	// the user's email and phone_number only when an invitation is sent
	// (not with MessageAction SUPPRESS). Unverified; reports of the error all
	// come from calls that send.
	checkMediumsOnlyWhenSending = true
	// defaultMediumNeedsPhone: with DesiredDeliveryMediums absent (SMS by
	// default) a user without phone_number is created without an invitation
	// rather than refused (unverified; consistent with the many reports of
	// "AdminCreateUser sent no email" answered by "set DesiredDeliveryMediums
	// to EMAIL").
	defaultMediumNeedsPhone = false
	// invitationShowsGivenUsername: {username} in the invitation is the name
	// the administrator gave (the email or phone number in pools where that
	// is the username), not the internal UUID (unverified).
	invitationShowsGivenUsername = true
	// pendingOnlyWhenVerified: with AttributesRequireVerificationBeforeUpdate
	// the old value stays until the new one is verified only when the old
	// value is itself verified; an unverified value is replaced at once
	// (unverified; the rule exists so a verified sign-in alias is not lost).
	pendingOnlyWhenVerified = true
	// deletingContactDeletesVerified: deleting email (phone_number) also
	// deletes email_verified (phone_number_verified) (unverified).
	deletingContactDeletesVerified = true
	// resendOnResetRequired: AdminResetUserPassword of a user already in
	// RESET_REQUIRED sends a new code (unverified; moto does nothing).
	resendOnResetRequired = true
	// attributesToGetNeedsValues: ListUsers fails with msgAttributesToGet
	// when a listed user has no value for a requested attribute other than
	// sub (documented: "Amazon Cognito returns an error if not all users in
	// the results have set a value for the attribute you request").
	attributesToGetNeedsValues = true
)

// resettableStatuses are the statuses AdminResetUserPassword accepts; the
// others answer NotAuthorizedException msgCannotReset. FORCE_CHANGE_PASSWORD
// is observed to be refused; refusing UNCONFIRMED and EXTERNAL_PROVIDER is
// unverified (the API reference says "Works on any user").
var resettableStatuses = map[string]bool{
	"CONFIRMED":      true,
	"RESET_REQUIRED": true,
}

// Limits.
const (
	// defaultListLimit is ListUsers' page size when Limit is 0 or absent
	// (documented maximum 60; 0 answering a full page is unverified).
	defaultListLimit = 60
	// defaultTemporaryPasswordValidityDays when a pool document carries none
	// (PasswordPolicyType docs: "Defaults to 7").
	defaultTemporaryPasswordValidityDays = 7
)
