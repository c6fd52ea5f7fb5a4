package signup

import "time"

// This file gathers the Cognito facts the package imitates: client-visible
// messages, limits and the rules chosen where Cognito's behaviour is not
// documented. Each says where it comes from; "(unverified)" means it rests
// on third-party reports or reasoning, not on AWS documentation or recorded
// service output. Correct it here when better evidence turns up.
//
// Rules (documented unless marked):
//   - Which attribute a sign-up code goes to: of the pool's
//     AutoVerifiedAttributes the user has, the phone number wins over the
//     email ("If a user provides both an email address and a phone number
//     ... Amazon Cognito sends a verification code only to the phone
//     number", developer guide, Signing up and confirming user accounts).
//     Without one, no code is sent and SignUp has no CodeDeliveryDetails.
//   - ConfirmSignUp marks that attribute verified ("Amazon Cognito
//     automatically marks the attribute that was used to confirm ... as
//     verified"), provided it still holds the value the code went to.
//   - ForgotPassword sends to the first verified contact in the pool's
//     AccountRecoverySetting priority order; without the setting, "the
//     legacy behavior ... where SMS is preferred through email" (API
//     reference, AccountRecoverySettingType). The rule that SMS does not
//     qualify for a user with SMS MFA is not applied yet: MFA settings
//     belong to the MFA family.
//   - PreventUserExistenceErrors=ENABLED (developer guide, Managing user
//     existence error responses): ForgotPassword answers a simulated
//     CodeDeliveryDetails for an unknown or disabled user or one without a
//     verified contact; ConfirmForgotPassword answers CodeMismatchException
//     for an unknown or disabled user; ResendConfirmationCode answers
//     CodeDeliveryDetails for an unknown or disabled user. ConfirmSignUp for
//     an unknown user answers CodeMismatchException as ConfirmForgotPassword
//     does (unverified: the guide does not say).
//   - ForgotPassword for an UNCONFIRMED user follows the verified-contact
//     rule like any user: an unverified email or phone gives the "no
//     registered/verified" error (observed, LEGACY) or the simulated answer
//     (observed as a silent success, ENABLED); with a verified contact the
//     code is sent and ConfirmForgotPassword confirms the user.
//   - ForgotPassword for a FORCE_CHANGE_PASSWORD user (and for federated
//     EXTERNAL_PROVIDER users, unverified) is refused with
//     msgCannotResetInState (observed, amplify-js #1340); with ENABLED it is
//     a simulated success (observed as "fails silently", amplify-js #6543;
//     unverified which setting that pool had).
//   - A confirmed (non-UNCONFIRMED) user asking for a new sign-up code gets
//     msgAlreadyConfirmed whatever the existence setting (unverified for
//     statuses other than CONFIRMED).
//   - A SecretHash sent for a client without a secret is ignored
//     (unverified).
//   - Check order in SignUp: client, secret hash, AllowAdminCreateUserOnly,
//     password presence, username, attributes, required attributes,
//     password policy, pre sign-up hook, uniqueness (unverified beyond the
//     first two).

// Client-visible messages.
const (
	// msgSignUpNotPermitted: NotAuthorizedException when the pool allows
	// only administrators to create users (observed, several public reports).
	msgSignUpNotPermitted = "SignUp is not permitted for this user pool"
	// msgSecretNotReceived / msgSecretMismatch: NotAuthorizedException
	// (observed; reference facts §3.5). %s is the client id.
	msgSecretNotReceived = "Client %s is configured for secret but secret was not received"
	msgSecretMismatch    = "Unable to verify secret hash for client %s"
	// msgUserNotFound: UserNotFoundException of the self-service operations
	// with PreventUserExistenceErrors=LEGACY (observed).
	msgUserNotFound = "Username/client id combination not found."
	// msgCodeMismatch: CodeMismatchException (observed).
	msgCodeMismatch = "Invalid verification code provided, please try again."
	// msgExpiredCode: ExpiredCodeException for an expired, used or never
	// requested code (observed).
	msgExpiredCode = "Invalid code provided, please request a code again."
	// msgLimitExceeded: LimitExceededException (observed).
	msgLimitExceeded = "Attempt limit exceeded, please try after some time."
	// msgCannotConfirm: NotAuthorizedException, %s the status (observed for
	// CONFIRMED).
	msgCannotConfirm = "User cannot be confirmed. Current status is %s"
	// msgAlreadyConfirmed: InvalidParameterException of
	// ResendConfirmationCode (observed).
	msgAlreadyConfirmed = "User is already confirmed."
	// msgAutoVerificationOff: NotAuthorizedException of
	// ResendConfirmationCode in a pool without AutoVerifiedAttributes
	// (observed); also used when the user has none of them (unverified).
	msgAutoVerificationOff = "Cannot resend codes. Auto verification not turned on."
	// msgNoVerifiedContact: InvalidParameterException of ForgotPassword
	// (observed).
	msgNoVerifiedContact = "Cannot reset password for the user as there is no registered/verified email or phone_number"
	// msgUserDisabled: NotAuthorizedException (observed).
	msgUserDisabled = "User is disabled."
	// msgCannotResetInState: NotAuthorizedException of ForgotPassword for a
	// FORCE_CHANGE_PASSWORD user (observed).
	msgCannotResetInState = "User password cannot be reset in the current state."
	// msgAdminOnlyRecovery: NotAuthorizedException of ForgotPassword when
	// the pool's recovery mechanism is admin_only (unverified wording).
	msgAdminOnlyRecovery = "Contact administrator to reset password."
	// msgPasswordRequired: InvalidParameterException of SignUp without a
	// password where one is required; the Coral validation text the service
	// gave while Password was a required member of the model (unverified
	// for the passwordless-era service).
	msgPasswordRequired = "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
	// msgAutoVerifyWithoutConfirm: InvalidParameterException when a pre
	// sign-up hook auto-verifies an attribute without auto-confirming the
	// user (observed text, 2018; the exception type is unverified).
	msgAutoVerifyWithoutConfirm = "Phone or email cannot be auto verified, when user is not being auto confirmed."
	// msgPasswordHistory: PasswordHistoryPolicyViolationException of
	// ConfirmForgotPassword with a recent password (unverified wording; the
	// same text as the users family). InvalidPasswordException messages come
	// from internal/password: "Password did not conform with policy: …" for
	// SignUp, "Password does not conform to policy: …" for
	// ConfirmForgotPassword (both observed; which operation uses which is
	// unverified).
	msgPasswordHistory = "The password has been used recently. Choose a different password."
	// msgEmailDeliveryFailed (observed) / msgSMSDeliveryFailed (unverified,
	// modelled on it): CodeDeliveryFailureException when the message is in
	// the outbox but SMTP or the SMS webhook refused it (the same texts as
	// the users family).
	msgEmailDeliveryFailed = "Invalid email provided/Unable to send the email"
	msgSMSDeliveryFailed   = "Invalid phone number provided/Unable to send the SMS"
	// msgConcurrentModification: ConcurrentModificationException when a
	// user kept changing under us (unverified wording).
	msgConcurrentModification = "The user was modified concurrently, please try again."
)

// Per-user hourly limits of the self-service operations (reference facts
// §5.3: "Per-user hourly limits (non-adjustable)"). A call beyond the limit
// within one clock hour answers msgLimitExceeded. Cogito counts every call
// that reaches the code or delivery step, in fixed clock-hour windows (the
// service's exact window is unverified).
const (
	// LimitConfirmSignUp: ConfirmSignUp, 15 per hour.
	LimitConfirmSignUp = 15
	// LimitResendConfirmationCode: ResendConfirmationCode, 5 per hour.
	LimitResendConfirmationCode = 5
	// LimitConfirmForgotPassword: ConfirmForgotPassword is 5–20 per hour
	// depending on risk; without a risk engine Cogito takes the generous
	// end (unverified which end an unscored user gets).
	LimitConfirmForgotPassword = 20
	// limitWindow is the counting window.
	limitWindow = time.Hour
)
