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
//   - CUSTOM_AUTH needs the pool's three custom authentication triggers
//     (else InvalidUserPoolConfigurationException msgCustomAuthNotConfigured,
//     observed). failAuthentication answers NotAuthorizedException
//     msgIncorrect (observed in Amplify reports). A define answer that asks
//     neither tokens, failure, CUSTOM_CHALLENGE nor (right after SRP_A)
//     PASSWORD_VERIFIER is InvalidLambdaResponseException msgCustomBadDefine
//     (unverified). A wrong password in a custom flow's PASSWORD_VERIFIER
//     fails the sign-in at once, as in USER_SRP_AUTH, without asking the
//     define trigger (unverified: the documentation only describes the
//     success). Wrong custom answers are not counted for the lockout (Amplify
//     #10171: custom flows have none); the define trigger limits retries.
//     A history of customMaxRounds entries ends the sign-in as failed
//     (unverified: Cognito documents no limit; Cogito's keeps sessions
//     bounded). MFA follows a custom flow only when its history holds a
//     verified password ("If MFA is enabled for a user, it is handled
//     automatically after the password is verified"; Cogito asks it when the
//     define trigger issues tokens, unverified). An unknown user, with
//     PreventUserExistenceErrors ENABLED, runs the triggers with userNotFound
//     and fails where tokens would be issued (unverified); with LEGACY it is
//     UserNotFoundException. State too large for the Session of an unknown
//     user fails the sign-in the same way (Cogito's limit).
//   - Triggers (developer guide, "Lambda triggers"; API reference,
//     ClientMetadata): pre authentication runs before the first factor is
//     checked — after the user's state and lockout checks LEGACY makes
//     (unverified order) — for every sign-in flow but refresh and sign-in
//     after sign-up; with ENABLED an unknown name runs it with userNotFound.
//     (Admin)InitiateAuth's ClientMetadata reaches pre authentication and
//     user migration only, as validationData; the other triggers a sign-in
//     runs get clientMetadata from (Admin)RespondToAuthChallenge and
//     GetTokensFromRefreshToken only. Post authentication runs once a
//     sign-in succeeded, before its tokens (newDeviceUsed: the sign-in
//     remembered a new device); a throwing function refuses the tokens.
//     Pre token generation is told TokenGeneration_NewPasswordChallenge for
//     tokens answering NEW_PASSWORD_REQUIRED, _AuthenticateDevice for
//     tokens answering DEVICE_PASSWORD_VERIFIER, _Authentication otherwise.
//   - User migration (developer guide, "Migrate user Lambda trigger"): a
//     name the pool does not know, signed in with a plaintext password
//     (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, managed login; never
//     SRP, nor choice-based sign-in, whose first step names no password), or
//     given to ForgotPassword, goes to the trigger. Attributes sub and
//     cognito:* in its answer are ignored (migrationIgnoredAttributes,
//     unverified); the others are written as AdminCreateUser writes them, the
//     pool's required attributes included. In an alias pool a user who
//     signed in with an alias is created under a generated username
//     (unverified). A ForgotPassword migration creates the user
//     RESET_REQUIRED whatever finalUserStatus says (unverified). The welcome
//     message (unless messageAction is SUPPRESS) is the pool's invitation
//     template by each desiredDeliveryMediums (SMS when none, as documented)
//     where the user has the attribute; its password placeholder shows
//     migrationPasswordMask, as the user chose their own password
//     (unverified).
//   - Threat protection (risk.go): sign-ins are assessed once their first
//     factor passed — the plaintext password of USER_PASSWORD_AUTH,
//     ADMIN_USER_PASSWORD_AUTH and choice-based PASSWORD is checked for
//     compromised credentials — and a sign-in naming no DEVICE_KEY counts
//     as from a new device (unverified). Sign-in after sign-up is not
//     assessed. The new password of NEW_PASSWORD_REQUIRED is checked as a
//     PASSWORD_CHANGE (unverified). Notifications go out when the sign-in's
//     auth event is recorded (refused, or succeeded).
//
// Choice-based sign-in (USER_AUTH; developer guide "Authentication flows",
// API reference of InitiateAuth, RespondToAuthChallenge and
// ChallengeResponseType):
//   - The first factors a user may choose (AvailableChallenges) are PASSWORD
//     and PASSWORD_SRP when the user has a password; EMAIL_OTP when the pool's
//     SignInPolicy.AllowedFirstAuthFactors lists it and the user has a
//     verified email; SMS_OTP likewise with a verified phone number; WEB_AUTHN
//     when it is listed and the user has a registered passkey. PASSWORD is
//     always allowed (the pool must list it). Passwordless factors need the
//     Essentials or Plus feature plan (documented); a Lite pool offers only
//     the password (its clients cannot even enable ALLOW_USER_AUTH). Which
//     factors need the sender configured is ours: without a message sender
//     the one-time-password factors are never offered.
//   - The order of AvailableChallenges is availableOrder (unverified).
//   - A PREFERRED_CHALLENGE that is available starts that factor at once; one
//     that is not (or is no factor at all) gets SELECT_CHALLENGE, as the API
//     reference says ("If the preferred challenge isn't available, ...
//     responds with AvailableChallenges"; the unknown-value case is
//     unverified). PASSWORD preferred without a PASSWORD parameter, and
//     PASSWORD_SRP without SRP_A, answer the PASSWORD / PASSWORD_SRP
//     challenge, which Amplify answers with SELECT_CHALLENGE
//     (unverified: the service may refuse instead).
//   - SELECT_CHALLENGE has empty ChallengeParameters and a Session; the answer
//     names ANSWER and, for PASSWORD / PASSWORD_SRP / WEB_AUTHN, may carry the
//     factor's own answer (PASSWORD, SRP_A, CREDENTIAL) inline. The sessions
//     of SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP and WEB_AUTHN all take a
//     SELECT_CHALLENGE answer (Amplify lets a user switch factor from a
//     passkey prompt). An ANSWER that is not available is
//     msgChallengeNotAvailable (unverified).
//   - PASSWORD_SRP answers PASSWORD_VERIFIER exactly as USER_SRP_AUTH does,
//     plus a Session (Amplify passes it on) that tells the verifier step the
//     sign-in is choice-based.
//   - One-time passwords (EMAIL_OTP, SMS_OTP) have otpLength digits
//     (observed: 8), go to the verified email / phone number through the
//     pool's authentication message (email: the MFA family's
//     EmailMfaConfiguration, else Cognito's default; SMS:
//     SmsAuthenticationMessage), and live as long as the Session, which holds
//     only their hash. A wrong code is CodeMismatchException
//     msgCodeMismatch (observed for MFA codes) and counts as a failed sign-in
//     for the lockout; after otpMaxAttempts wrong codes the session is dead
//     (NotAuthorizedException msgSessionInvalid; unverified, like the MFA
//     family's rule).
//   - With PreventUserExistenceErrors=ENABLED, an unknown user (and a user
//     with no usable factor, or whose state forbids signing in) is offered
//     ghostFactors: PASSWORD_SRP answers a simulated PASSWORD_VERIFIER as
//     USER_SRP_AUTH does, PASSWORD fails as a wrong password, and a one-time
//     password is "sent" to nowhere (a destination made up from the name) and
//     never matches (unverified: the shape of Cognito's simulation). With
//     LEGACY an unknown user is UserNotFoundException and the state checks
//     (disabled, unconfirmed, reset required) come first, as in the other
//     flows; a user with no usable factor is NotAuthorizedException
//     msgNoFactors (unverified).
//   - A user who must do MFA (the pool's MFA is ON, or OPTIONAL and the user
//     turned a factor on; the NextStep hook's MFAGate tells) is not offered
//     the passwordless first factors: no EMAIL_OTP nor SMS_OTP, and no
//     WEB_AUTHN unless passkey MFA is in effect for the user (documented:
//     Amplify's and the developer guide's "passwordless sign-in is not
//     available when MFA is required"; "passkey sign-in is available when MFA
//     is required" only with MULTI_FACTOR_WITH_USER_VERIFICATION). A
//     PREFERRED_CHALLENGE or SELECT_CHALLENGE answer naming one of them is
//     then msgChallengeNotAvailable / SELECT_CHALLENGE as for any factor the
//     user cannot use (unverified).
//   - After a password the NextStep hook runs with FirstFactor PASSWORD; after
//     a one-time password or a passkey with EMAIL_OTP / SMS_OTP / WEB_AUTHN
//     (the hook asks no MFA then, but still handles devices). The auth event
//     records a password as "Password" and the other first factors as "Mfa"
//     (unverified: the event's ChallengeName enum has only those two).
//   - Sign-in after sign-up ("autoSignIn"): ConfirmSignUp returns a Session,
//     and so does SignUp when the user is confirmed at once (by the pre
//     sign-up trigger), when the app client allows USER_AUTH (unverified:
//     Cognito may return it regardless). InitiateAuth / AdminInitiateAuth
//     USER_AUTH with that Session and the user's USERNAME issues tokens
//     without credentials, once, within the client's AuthSessionValidity,
//     only for that user and app client (API reference of InitiateAuth:
//     "only valid for users who have confirmed their sign-up and are signing
//     in for the first time within the authentication flow session
//     duration"). The confirmation code counts as the first factor
//     (EMAIL_OTP or SMS_OTP after where it went; PASSWORD for a user
//     confirmed at SignUp with a password). A session that is not such a
//     session, used, of another user or client is NotAuthorizedException
//     msgSessionInvalid, an expired one msgSessionExpired (unverified).

// Authentication levels (acr.go). Documented (developer guide
// "Authentication levels with ACR and AMR claims", API reference of
// InitiateAuth): USER_AUTH takes TARGET_ACR_VALUES, a space-separated list
// of the pool's ACR values (AcrConfiguration, default urn:cognito:loa:1..4)
// in priority order; Cognito "attempts the highest-priority level that the
// user can satisfy, and falls back through the list", ignores values it
// doesn't recognize and returns an error when none is valid; it needs the
// Essentials or Plus plan (FeatureUnavailableInTierException); an
// ACCESS_TOKEN needs TARGET_ACR_VALUES and must be the USERNAME's; MAX_AGE
// is a number of seconds after which the access token's methods earn no
// credit. Tokens then carry acr (e.g. urn:cognito:loa:3) and amr (e.g.
// ["pwd","otp","mfa"]). Unverified, chosen here:
//   - The levels: Level1 one factor (password or a one-time password),
//     Level2 two factors (a password and an MFA code), Level3 a passkey (a
//     phishing-resistant factor), Level4 a passkey that counts as MFA
//     (passkey MFA: user verification required). A password reaches Level2
//     only when MFA follows it (the user must do MFA).
//   - Only the first factors that reach the chosen level are offered
//     (SELECT_CHALLENGE / PREFERRED_CHALLENGE); when none reaches any
//     requested level the sign-in is refused, NotAuthorizedException
//     msgACRUnreachable. A sign-in that ends lower than asked (a remembered
//     device standing in for MFA) reports the level it reached.
//   - amr values (RFC 8176 names): pwd password, otp email or TOTP code, sms
//     SMS code, hwk passkey, user user verification (passkey MFA), mfa two
//     factors or passkey MFA. acr and amr appear only when levels were
//     asked for; refreshed tokens carry neither.
//   - Federated sign-in (OAuth endpoints): the requested levels go to an
//     OIDC provider as acr_values through its AcrMapping; the acr it returns
//     maps back to a level (documented: an unmapped value is the lowest
//     level) and its amr claim is passed on as the tokens' amr (unverified).
//   - An ACCESS_TOKEN earns no credit: every request authenticates afresh,
//     as Cognito does once MAX_AGE has passed; MAX_AGE must be a
//     non-negative integer (msgMaxAge).
const (
	levelOneFactor  byte = 1
	levelMFA        byte = 2
	levelPasskey    byte = 3
	levelPasskeyMFA byte = 4

	amrMFA          = "mfa"
	amrUserVerified = "user"

	pTargetACR   = "TARGET_ACR_VALUES"
	pMaxAge      = "MAX_AGE"
	pAccessToken = "ACCESS_TOKEN"

	msgACRNoneValid          = "None of the values in TARGET_ACR_VALUES is a valid authentication level of the user pool."   // (unverified)
	msgACRUnreachable        = "The user can't satisfy any of the requested authentication levels."                          // (unverified)
	msgACRTier               = "Step-up authentication with TARGET_ACR_VALUES requires the Essentials or Plus feature plan." // (unverified)
	msgAccessTokenWithoutACR = "ACCESS_TOKEN requires TARGET_ACR_VALUES."                                                    // (unverified)
	msgAccessTokenUser       = "The ACCESS_TOKEN doesn't belong to the user."                                                // (unverified)
	msgMaxAge                = "MAX_AGE must be a non-negative integer."                                                     // (unverified)
)

// amrFactor is the amr value of each first factor and MFA factor
// (unverified).
var amrFactor = map[string]string{
	FactorPassword:       "pwd",
	FactorEmailOTP:       "otp",
	FactorSMSOTP:         "sms",
	FactorWebAuthn:       "hwk",
	"SMS_MFA":            "sms",
	"SOFTWARE_TOKEN_MFA": "otp",
}

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
	// msgCustomBadDefine: InvalidLambdaResponseException for a define auth
	// challenge answer Cogito cannot carry out (unverified; the trigger
	// family's text for an answer it cannot read).
	msgCustomBadDefine = "Unrecognizable lambda output"
	// msgPoolGone: ResourceNotFoundException when the pool was deleted while
	// a migrated user was being created (unverified).
	msgPoolGone = "User pool does not exist."
	// msgMissingParameter: InvalidParameterException, %s the parameter
	// (observed for USERNAME; unverified for the others).
	msgMissingParameter = "Missing required parameter %s"
	// msgRefreshInvalid (observed: "Invalid Refresh Token" for the refresh
	// of a device's token without its DEVICE_KEY, aws-sdk-java #2841,
	// aws-sdk-android #1469; the token service's words), NotAuthorizedException
	// of a refresh naming another device or a forgotten one.
	msgRefreshInvalid = "Invalid Refresh Token."
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
	// msgCodeMismatch: CodeMismatchException for a wrong one-time password
	// (observed for MFA codes).
	msgCodeMismatch = "Invalid code or auth state for the user."
	// msgChallengeNotAvailable: InvalidParameterException for a
	// SELECT_CHALLENGE ANSWER that is not one of the user's
	// AvailableChallenges, %s the answer (unverified).
	msgChallengeNotAvailable = "The challenge %s is not available for the user."
	// msgNoFactors: NotAuthorizedException of USER_AUTH for a user with no
	// sign-in factor the pool and app client allow (LEGACY only; unverified).
	msgNoFactors = "User has no available sign-in methods."
	// msgEmailDeliveryFailed / msgSMSDeliveryFailed:
	// CodeDeliveryFailureException when a one-time password reached the outbox
	// but SMTP or the SMS webhook refused it (the signup family's texts;
	// observed for email, unverified for SMS).
	msgEmailDeliveryFailed = "Invalid email provided/Unable to send the email"
	msgSMSDeliveryFailed   = "Invalid phone number provided/Unable to send the SMS"
)

// Custom authentication and user migration.
const (
	// customMaxRounds is the most entries a custom authentication's history
	// may reach; the sign-in then fails (unverified: Cogito's bound).
	customMaxRounds = 16
	// migrationPasswordMask stands for the password in a migrated user's
	// welcome message (unverified).
	migrationPasswordMask = "********"
)

// One-time passwords of choice-based sign-in.
const (
	// otpLength: passwordless codes have 8 digits (observed).
	otpLength = 8
	// otpMaxAttempts wrong codes end a session (unverified).
	otpMaxAttempts = 3
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
	pPreferred      = "PREFERRED_CHALLENGE"
	pAnswer         = "ANSWER"
	pEmailOTPCode   = "EMAIL_OTP_CODE"
	pSMSOTPCode     = "SMS_OTP_CODE"
	pCredential     = "CREDENTIAL"
	pRequestOptions = "CREDENTIAL_REQUEST_OPTIONS"
	pDeliveryMedium = "CODE_DELIVERY_DELIVERY_MEDIUM"
	pDeliveryDest   = "CODE_DELIVERY_DESTINATION"
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
