package mfa

import "time"

// This file gathers the Cognito facts the package imitates: client-visible
// messages, limits, and the rules chosen where Cognito's behaviour is not
// documented. "(documented)" means AWS documentation says so; "(observed)"
// that it is seen in real service output quoted publicly; "(unverified)"
// that it rests on reasoning, emulators or third-party reports. Correct it
// here when better evidence turns up.
//
// Pool configuration (SetUserPoolMfaConfig / GetUserPoolMfaConfig):
//   - MfaConfiguration OFF with an MFA factor in the same request is
//     msgOffWithFactor; ON or OPTIONAL with no factor left is msgNoFactor
//     (both observed). WebAuthnConfiguration is no MFA factor: it may come
//     with OFF (observed) and "can be set independent of the MFA
//     configuration options" (documented).
//   - A request with none of MfaConfiguration, SmsMfaConfiguration,
//     SoftwareTokenMfaConfiguration and EmailMfaConfiguration leaves the MFA
//     configuration as it is (so a call setting only WebAuthnConfiguration
//     changes only that); otherwise the request replaces it: a factor it
//     leaves out is turned off, and a missing MfaConfiguration keeps the
//     pool's (unverified). A missing WebAuthnConfiguration keeps the pool's
//     (unverified).
//   - SMS MFA is on when the request has SmsMfaConfiguration. Its
//     SmsAuthenticationMessage and SmsConfiguration are the pool's own
//     members (DescribeUserPool shows them; documented: "You can set
//     SmsConfiguration in CreateUserPool and UpdateUserPool, or in
//     SetUserPoolMfaConfig"); left out, the pool keeps its values. No SNS
//     role is demanded: Cogito delivers SMS through its webhook.
//   - A pool never given SetUserPoolMfaConfig but made ON or OPTIONAL by
//     CreateUserPool / UpdateUserPool has SMS MFA, the only factor those
//     operations configure (documented: "SMS configuration ... required when
//     MFA is required/optional" is their rule).
//   - Email MFA needs the Essentials or Plus feature plan
//     (FeatureUnavailableInTierException msgEmailMFATier, observed) and the
//     pool's email sent through Amazon SES: EmailSendingAccount DEVELOPER
//     (InvalidParameterException msgEmailMFANeedsSES, observed). Passkey
//     (WebAuthn) configuration needs Essentials or Plus (documented;
//     msgWebAuthnTier unverified).
//   - GetUserPoolMfaConfig shows SmsMfaConfiguration, EmailMfaConfiguration
//     and SoftwareTokenMfaConfiguration only for the factors that are on,
//     and WebAuthnConfiguration only once set (unverified: real pools show
//     {"MfaConfiguration": "OFF"} when nothing is set).
//
// User settings (SetUserMFAPreference and friends, GetUser):
//   - Turning a factor on needs what it delivers to: TOTP a verified
//     software token (msgNoTOTP observed), SMS a phone_number (unverified
//     wording, by analogy), email an email address (likewise). Phone numbers
//     need not be verified (documented). Email MFA needs Essentials or Plus
//     (documented). Passkey MFA needs the pool's WebAuthn FactorConfiguration
//     MULTI_FACTOR_WITH_USER_VERIFICATION (documented; msgWebAuthnMFAOff
//     unverified), Essentials or Plus (documented; msgPasskeyMFATier
//     unverified) and another factor on, before and after the change
//     (documented; msgWebAuthnMFAAlone unverified); it is never listed in
//     UserMFASettingList nor preferred (documented values), see
//     passkey_mfa.go. Only one factor may be preferred (documented;
//     msgTwoPreferred unverified), and a preferred factor must be on
//     (msgPreferredDisabled unverified). A settings member left out of the
//     request leaves that factor as it is.
//   - UserMFASettingList lists SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP in
//     that order for the factors turned on (TOTP only while its token is
//     verified); PreferredMfaSetting the preferred one; the legacy MFAOptions
//     [{DeliveryMedium: SMS, AttributeName: phone_number}] while SMS is on
//     (observed: SetUserSettings turns SMS on and shows only in MFAOptions,
//     amplify-js #1875; unverified that SetUserMFAPreference's SMS shows
//     there too).
//   - SetUserSettings / AdminSetUserSettings (no longer supported, SMS only;
//     documented) turn SMS MFA on with [{SMS, phone_number}] and off with an
//     empty list; other values are msgSettingsSMSOnly (unverified).
//     A user imported with cognito:mfa_enabled true has SMS MFA on this
//     legacy way.
//
// Software tokens (AssociateSoftwareToken, VerifySoftwareToken):
//   - A token needs the pool's TOTP factor on (SoftwareTokenMFANotFoundException
//     msgTOTPNotEnabled; unverified wording). The secret is 32 random bytes,
//     Base32 without padding (52 characters; observed SecretCode lengths),
//     sealed at rest under a key derived for purposeTOTP.
//   - Associating a new secret replaces the old one, and TOTP stops until
//     the new one is verified (observed in 2018: "calling enable sw MFA
//     again ... user can log in without MFA" until confirmed).
//   - VerifySoftwareToken takes the access token or the Session, not both
//     (documented; msgTokenAndSession / msgTokenOrSession unverified). A
//     wrong code is EnableSoftwareTokenMFAException msgVerifyMismatch
//     (observed); Status "ERROR" is never sent. Before any association it is
//     SoftwareTokenMFANotFoundException msgNoSoftwareToken (observed for the
//     TOTP challenge; unverified here). After verifyFailureLimit wrong codes
//     in verifyFailureWindow it is TooManyRequestsException
//     msgTooManyAttempts (unverified).
//   - Verified with the access token, the token is only registered: the
//     user turns TOTP on with SetUserMFAPreference (documented; Amplify's
//     verifyTOTPSetup then calls updateMFAPreference). Verified with an
//     MFA_SETUP Session, TOTP is turned on (and preferred when nothing else
//     is), and the Session returned answers MFA_SETUP (documented).
//   - A TOTP code is accepted once: a code of a time step not after the last
//     one accepted for the user is a mismatch (RFC 6238 §5.2), kept with
//     the token and updated by compare-and-swap.
//
// Sign-in (the auth.NextStep implementation):
//   - Nothing after a passwordless first factor (EMAIL_OTP, SMS_OTP,
//     WEB_AUTHN): Cognito asks MFA only after a password. A passkey of a
//     user with passkey MFA in effect satisfies MFA itself, with user
//     verification (documented; passkey_mfa.go). Cognito does not offer
//     passwordless factors to users who must answer MFA unless passkey MFA
//     is in effect (Amplify docs: "If a user has MFA configured,
//     passwordless sign-in options will not be available"); which first
//     factors a sign-in offers is the sign-in family's (PasskeyMFA tells it).
//   - Devices come first. With a DEVICE_KEY in a pool with a
//     DeviceConfiguration: an unknown key is ResourceNotFoundException
//     msgDeviceNotFound (observed; Amplify forgets the device and retries); a
//     confirmed device answers DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER
//     after MFA (documented: "If device tracking was enabled on your user
//     pool and the previous challenges were passed, this challenge is
//     returned"; Amplify handles DEVICE_SRP_AUTH after a password and after
//     an MFA code). A DEVICE_KEY in a pool without device tracking is ignored
//     (unverified).
//   - A remembered device skips MFA when the pool's
//     DeviceConfiguration.ChallengeRequiredOnNewDevice is true (documented:
//     "When true, a remembered device can sign in with device authentication
//     instead of SMS and time-based one-time password (TOTP) factors";
//     "users who sign in with devices that have not been confirmed or
//     remembered must still provide a second factor"). Email MFA is skipped
//     too (unverified: the text names SMS and TOTP, written before email MFA
//     existed; EmailMfaSettingsType says MFA is asked "unless device
//     tracking is turned on and the device has been trusted"). The device
//     SRP exchange then stands in for MFA.
//   - MFA: OFF asks none. OPTIONAL asks only users with a factor turned on
//     that they can use. ON asks the user's factors; a user with none turned
//     on is asked the pool's SMS factor when they have a phone_number
//     (documented: "If you have MFA set to required and only support SMS as
//     a factor, most users will need to have a phone number"; observed:
//     such users get SMS_MFA, amplify-js #1875), the pool's email factor when
//     they have an email (unverified, by analogy), or a verified software
//     token (observed in moto's reading of the service); with none of these
//     MFA_SETUP lists what the pool offers (MFAS_CAN_SETUP, a JSON array
//     string, SMS_MFA / SOFTWARE_TOKEN_MFA / EMAIL_OTP in that order,
//     observed shape). A software token works even after the pool turned
//     TOTP off (documented); SMS and email need the pool's factor on.
//   - One usable factor, or the preferred one, is asked directly; several
//     without a usable preference are SELECT_MFA_TYPE with MFAS_CAN_CHOOSE
//     (documented). The answer ANSWER must be one of them
//     (InvalidParameterException msgBadMFAType unverified); EMAIL_MFA is
//     taken for EMAIL_OTP (the API reference lists it).
//   - SMS_MFA and EMAIL_OTP send a CodeLength-digit code through the
//     message sender (template: the pool's SmsAuthenticationMessage or
//     EmailMfaConfiguration, else Cognito's defaults; the custom message
//     trigger source CustomMessage_Authentication) and answer with
//     CODE_DELIVERY_DELIVERY_MEDIUM and the masked CODE_DELIVERY_DESTINATION
//     (documented). The code lives as long as the Session, which holds only
//     its hash. A correct SMS code marks the phone number verified
//     (documented: unverified numbers "will have a verified status after
//     multi-factor authentication succeeds").
//   - A wrong code (SMS, email or TOTP) is CodeMismatchException
//     msgCodeMismatch (observed) and leaves the Session usable; after
//     maxCodeAttempts wrong codes the Session is dead: NotAuthorizedException
//     msgSessionInvalid (unverified). An expired Session is the sign-in
//     code's msgSessionExpired.
//   - MFA_SETUP: TOTP through AssociateSoftwareToken{Session} →
//     VerifySoftwareToken{Session} → RespondToAuthChallenge MFA_SETUP with
//     the Session VerifySoftwareToken returned (documented); email with
//     EMAIL = the address, which gets a code (EMAIL_OTP challenge); once
//     answered the address becomes the user's verified email and email MFA
//     is turned on (Amplify: "set up EMAIL ... by associating an email
//     address and entering the OTP"; the attribute write is unverified).
//     Anything else is InvalidParameterException msgSetupIncomplete
//     (unverified).
//   - Tokens last: with device tracking and no device authenticated by this
//     sign-in, NewDeviceMetadata with a new device key, which the access
//     token carries as device_key (documented); an authenticated device's
//     key goes in the access token and the device's last sign-in is
//     recorded. The auth event lists an answered MFA as {Mfa, Success}.

// Limits.
const (
	// maxCodeAttempts is how many wrong MFA codes a sign-in Session
	// survives (unverified; Cognito is reported to allow about three).
	maxCodeAttempts = 3
	// verifyFailureLimit wrong VerifySoftwareToken codes per user within
	// verifyFailureWindow are allowed before TooManyRequestsException
	// (unverified).
	verifyFailureLimit  = 5
	verifyFailureWindow = 5 * time.Minute
	// attemptCounterLife bounds how long the store keeps a Session's
	// attempt counter (the longest AuthSessionValidity is 15 minutes).
	attemptCounterLife = 20 * time.Minute
)

// Client-visible messages.
const (
	// msgOffWithFactor: InvalidParameterException (observed).
	msgOffWithFactor = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
	// msgNoFactor: InvalidParameterException (observed).
	msgNoFactor = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
	// msgEmailMFANeedsSES: InvalidParameterException (observed, AWS
	// knowledge center; the missing space is Cognito's).
	msgEmailMFANeedsSES = "Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an EmailSendingAccount of COGNITO_DEFAULT.Update the value of EmailSendingAccount"
	// msgEmailMFATier: FeatureUnavailableInTierException (observed, AWS
	// knowledge center), %s the pool's tier.
	msgEmailMFATier = "The following feature is not available for the %s pricing tier configured: Email MFA"
	// msgWebAuthnTier: FeatureUnavailableInTierException (unverified
	// wording), %s the pool's tier.
	msgWebAuthnTier = "The following feature is not available for the %s pricing tier configured: WebAuthn"

	// msgNoTOTP: InvalidParameterException for turning TOTP on without a
	// verified software token (observed, aws-sdk-js-v3 #4645; older reports
	// show "User has not set up software token mfa").
	msgNoTOTP = "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
	// msgNoPhone, msgNoEmail: InvalidParameterException (unverified, by
	// analogy with msgNoTOTP).
	msgNoPhone = "User does not have delivery config set to turn on SMS_MFA"
	msgNoEmail = "User does not have delivery config set to turn on EMAIL_OTP"
	// msgTwoPreferred, msgPreferredDisabled, msgWebAuthnMFAOff,
	// msgSettingsSMSOnly: InvalidParameterException (unverified).
	msgTwoPreferred      = "Only one MFA method can be set as preferred."
	msgPreferredDisabled = "A disabled MFA method can't be set as preferred."
	msgWebAuthnMFAOff    = "Passkey MFA requires WebAuthnConfiguration FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION in the user pool."
	msgSettingsSMSOnly   = "Only SMS MFA with the phone_number attribute can be set with MFAOptions."
	// msgWebAuthnMFAAlone: InvalidParameterException for passkey MFA without
	// another factor on (unverified wording; documented: "The user must also
	// have at least one other MFA method such as SMS, TOTP, or email
	// activated to prevent account lockout").
	msgWebAuthnMFAAlone = "Passkey MFA requires at least one other MFA method (SMS, TOTP or email) to be enabled for the user."
	// msgPasskeyMFATier: FeatureUnavailableInTierException (unverified
	// wording, as msgEmailMFATier), %s the pool's tier.
	msgPasskeyMFATier = "The following feature is not available for the %s pricing tier configured: Passkey MFA"

	// msgTOTPNotEnabled: SoftwareTokenMFANotFoundException when the pool
	// does not offer TOTP (unverified wording).
	msgTOTPNotEnabled = "Software Token MFA has not been enabled by the userPool."
	// msgNoSoftwareToken: SoftwareTokenMFANotFoundException (observed for
	// the SOFTWARE_TOKEN_MFA challenge).
	msgNoSoftwareToken = "Software Token MFA does not exist for the user."
	// msgVerifyMismatch: EnableSoftwareTokenMFAException (observed).
	msgVerifyMismatch = "Code mismatch and fail enable Software Token MFA"
	// msgTokenAndSession, msgTokenOrSession: InvalidParameterException
	// (unverified).
	msgTokenAndSession = "Only one of AccessToken or Session may be given."
	msgTokenOrSession  = "Either AccessToken or Session must be given."
	// msgTooManyAttempts: TooManyRequestsException (unverified).
	msgTooManyAttempts = "Too many failed attempts to verify the software token. Try again later."

	// msgCodeMismatch: CodeMismatchException for a wrong MFA code
	// (observed).
	msgCodeMismatch = "Invalid code or auth state for the user."
	// msgSessionInvalid: NotAuthorizedException (observed; the sign-in
	// code's text).
	msgSessionInvalid = "Invalid session for the user."
	// msgMissingParameter: InvalidParameterException, %s the parameter
	// (observed for USERNAME; the sign-in code's text).
	msgMissingParameter = "Missing required parameter %s"
	// msgBadMFAType, msgSetupIncomplete, msgBadEmail, msgDeviceKeyMismatch:
	// InvalidParameterException (unverified).
	msgBadMFAType        = "Invalid MFA type given: %s"
	msgSetupIncomplete   = "MFA setup is not complete: verify a software token with this session, or give an EMAIL."
	msgBadEmail          = "Invalid email address format."
	msgDeviceKeyMismatch = "Invalid device key given."
	// msgDeviceNotFound: ResourceNotFoundException (observed; Amplify
	// matches it).
	msgDeviceNotFound = "Device does not exist."
	// msgUserNotFound: UserNotFoundException (observed).
	msgUserNotFound = "User does not exist."
	// msgConcurrentModification: ConcurrentModificationException
	// (unverified; the other families' text).
	msgConcurrentModification = "The user was modified concurrently, please try again."
	// msgSMSDeliveryFailed, msgEmailDeliveryFailed:
	// CodeDeliveryFailureException (unverified; the account family's text).
	msgSMSDeliveryFailed   = "Unable to deliver the message to the phone number."
	msgEmailDeliveryFailed = "Unable to deliver the message to the email address."
)

// Names of challenge parameters and responses.
const (
	pUsername       = "USERNAME"
	pDeviceKey      = "DEVICE_KEY"
	pAnswer         = "ANSWER"
	pEmail          = "EMAIL"
	pSMSCode        = "SMS_MFA_CODE"
	pEmailCode      = "EMAIL_OTP_CODE"
	pEmailMFACode   = "EMAIL_MFA_CODE"
	pTOTPCode       = "SOFTWARE_TOKEN_MFA_CODE"
	pCanChoose      = "MFAS_CAN_CHOOSE"
	pCanSetup       = "MFAS_CAN_SETUP"
	pDeliveryMedium = "CODE_DELIVERY_DELIVERY_MEDIUM"
	pDestination    = "CODE_DELIVERY_DESTINATION"
)

// Key purposes (keys.Sealer.DeriveKey).
const purposeTOTP = "mfa-totp-secret"
