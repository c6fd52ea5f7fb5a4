package trigger

import "time"

// This file gathers the facts about Cognito's Lambda triggers that the
// package imitates. Each says where it comes from; "(unverified)" marks a
// guess from third-party reports, emulators or reasoning. Correct them here
// when better evidence turns up.

// Invocation (developer guide, "Customizing user pool workflows with Lambda
// triggers", important considerations): every trigger but the custom senders
// is invoked synchronously; a function must answer within 5 seconds or
// Cognito retries, giving up after 3 attempts. The custom senders are
// invoked asynchronously (Lambda's Event invocation type): their failures do
// not reach the caller.
const (
	DefaultTimeout  = 5 * time.Second
	DefaultAttempts = 3
)

// Event versions: "1" for every trigger but pre token generation V2_0 ("2")
// and V3_0 ("3") (developer guide, "Pre token generation Lambda trigger").
const (
	eventVersion1 = "1"
	eventVersion2 = "2"
	eventVersion3 = "3"
)

// clientIDNotApplicable is callerContext.clientId of events raised by
// administrator operations (AdminCreateUser, AdminConfirmSignUp, ...), which
// have no app client (unverified: seen in logged events).
const clientIDNotApplicable = "CLIENT_ID_NOT_APPLICABLE"

// unknownSDKVersion is callerContext.awsSdkVersion when the caller's
// User-Agent names no AWS SDK (unverified: the value logged events show for
// such callers). For an SDK it is "aws-sdk-{name}-{version}", e.g.
// "aws-sdk-js-3.1169.0" (unverified shape).
const unknownSDKVersion = "aws-sdk-unknown-unknown"

// Trigger names, as Cognito's error messages spell them
// ("PreSignUp failed with error ...").
const (
	namePreSignUp                   = "PreSignUp"
	namePostConfirmation            = "PostConfirmation"
	namePreAuthentication           = "PreAuthentication"
	namePostAuthentication          = "PostAuthentication"
	nameDefineAuthChallenge         = "DefineAuthChallenge"
	nameCreateAuthChallenge         = "CreateAuthChallenge"
	nameVerifyAuthChallengeResponse = "VerifyAuthChallengeResponse"
	namePreTokenGeneration          = "PreTokenGeneration"
	nameUserMigration               = "UserMigration"
	nameCustomMessage               = "CustomMessage"
	nameCustomEmailSender           = "CustomEmailSender"
	nameCustomSMSSender             = "CustomSMSSender"
)

// Client-visible messages.
const (
	// msgFunctionError is UserLambdaValidationException's message when the
	// function threw: "<Trigger> failed with error <message>." (facts §9.4:
	// observed "PreSignUp failed with error ...", Cognito adds the final
	// dot).
	msgFunctionError = "%s failed with error %s."
	// msgInvalidJSON is InvalidLambdaResponseException's message for an
	// answer that is not JSON (reported: "Invalid lambda function output :
	// Invalid JSON").
	msgInvalidJSON = "Invalid lambda function output : Invalid JSON"
	// msgUnrecognizable is InvalidLambdaResponseException's message for JSON
	// that is not the event with a response of the trigger's shape
	// (reported: "Unrecognizable lambda output").
	msgUnrecognizable = "Unrecognizable lambda output"
	// msgInvocationFailed is UnexpectedLambdaException's message when the
	// function could not be invoked: "<Trigger> invocation failed due to
	// error <reason>." (reported: "PreSignUp invocation failed due to error
	// Socket timeout while invoking Lambda function.", "... due to error
	// AccessDeniedException.").
	msgInvocationFailed = "%s invocation failed due to error %s."
	// reasonTimeout is the reason of an invocation that timed out
	// (reported).
	reasonTimeout = "Socket timeout while invoking Lambda function"
	// reasonUnreachable is the reason of a function that could not be
	// reached at all (unverified: Cognito's own functions are always
	// reachable; the text is ours).
	reasonUnreachable = "Unable to reach the Lambda function"
	// msgCodeMissing is InvalidParameterException's message when a custom
	// message answer drops the code placeholder (reported for emails: the
	// pattern of the 'emailBody' member; for SMS 'smsMessage' (unverified)).
	msgCodeMissing = "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*"
)

// Custom message placeholders (developer guide, "Custom message Lambda
// trigger": request.codeParameter and, for CustomMessage_AdminCreateUser,
// request.usernameParameter; "typically {username} and {####}").
const (
	codeParameter     = "{####}"
	usernameParameter = "{username}"
)

// Custom sender request types (developer guide, "Custom email sender" and
// "Custom SMS sender" Lambda triggers).
const (
	typeCustomEmailSender = "customEmailSenderRequestV1"
	typeCustomSMSSender   = "customSMSSenderRequestV1"
)

// encryptionContextKey is the KMS encryption context key under which the
// custom sender code is bound to its pool (unverified: key policies in AWS's
// examples condition on kms:EncryptionContext:userpool-id).
const encryptionContextKey = "userpool-id"

// Pre token generation: the version of a trigger set only through the
// legacy PreTokenGeneration member is V1_0 (API reference,
// PreTokenGenerationVersionConfigType).
const defaultPreTokenVersion = "V1_0"

// Claims a pre token generation trigger cannot change (developer guide,
// "Pre token generation Lambda trigger"; facts §9.3). internal/token enforces
// the list when it applies the overrides; this copy decides which answers to
// drop before they get there and is checked against it in a test.
var protectedClaims = []string{
	"acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat",
	"identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use",
}
