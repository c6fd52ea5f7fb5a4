package sigv4

import (
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/awserr"
)

// Status codes. Cognito's two APIs are AWS JSON 1.1 ("coral") services, and
// those answer every authentication failure with HTTP 400: observed for
// UnrecognizedClientException and InvalidSignatureException on cognito-idp,
// and for all five codes on DynamoDB, whose front end is the same. REST-JSON
// services behind API Gateway (Lambda, SageMaker runtime, Bedrock) answer
// 403 instead; Cognito is not one of them.
const status = 400

// Messages, as the live services write them. Where a text is marked
// (unverified) it was not seen on a live Cognito answer and is our best
// reconstruction from the same family of AWS front ends.
const (
	// Cognito's wording, seen through the .NET SDK (an unsigned ListUsers);
	// DynamoDB says "Request is missing Authentication Token" instead.
	msgMissingToken = "Missing Authentication Token"

	msgUnrecognizedClient = "The security token included in the request is invalid."

	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

	msgBothAuth = "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."

	msgHostNotSigned = "'Host' must be a 'SignedHeader' in the AWS Authorization."

	msgMissingDate = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "

	msgReexamineQuery = "Re-examine the query-string parameters."
)

func missingToken() *awserr.Error {
	return awserr.New(awserr.CodeMissingAuthToken, status, msgMissingToken)
}

func unrecognizedClient() *awserr.Error {
	return awserr.New(awserr.CodeUnrecognizedClient, status, msgUnrecognizedClient)
}

func signatureMismatch() *awserr.Error {
	return awserr.New(awserr.CodeInvalidSignature, status, msgSignatureMismatch)
}

func invalidSignature(msg string) *awserr.Error {
	return awserr.New(awserr.CodeInvalidSignature, status, msg)
}

func incomplete(msg string) *awserr.Error {
	return awserr.New(awserr.CodeIncompleteSignature, status, msg)
}

func missingEqualSign(token, header string) *awserr.Error {
	return awserr.Newf(awserr.CodeIncompleteSignature, status,
		"'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", token, header)
}

func badDate(got string) *awserr.Error {
	return awserr.Newf(awserr.CodeIncompleteSignature, status,
		"Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", got)
}

func unsupportedAlgorithm(alg string) *awserr.Error {
	// The trailing space is AWS's.
	return awserr.Newf(awserr.CodeIncompleteSignature, status,
		"Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", alg)
}

func badCredentialShape(cred string) *awserr.Error {
	return awserr.Newf(awserr.CodeIncompleteSignature, status,
		"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
}

// Scope complaints are concatenated into one InvalidSignatureException, in
// this order; each but the last ends in ". ".
func scopeRegion(region string) string {
	return fmt.Sprintf("Credential should be scoped to a valid region, not '%s'. ", region)
}

func scopeService(service string) string {
	return fmt.Sprintf("Credential should be scoped to correct service: '%s'. ", service)
}

func scopeTerminator(term string) string {
	return fmt.Sprintf("Credential should be scoped with a valid terminator: 'aws4_request', not '%s'. ", term)
}

func scopeDate(scopeDate, reqDate, reqStamp string) string {
	return fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
		scopeDate, reqDate, reqStamp)
}

// expired and notYetCurrent are the clock-skew answers. For presigned URLs
// the window is X-Amz-Expires instead of the skew; AWS's wording for that
// case on JSON services is (unverified), so the same sentence is used with
// the window in place of "5 min.".
func expired(signed, now time.Time, window time.Duration) *awserr.Error {
	return awserr.Newf(awserr.CodeInvalidSignature, status,
		"Signature expired: %s is now earlier than %s (%s - %s.)",
		signed.Format(amzDateLayout), now.Add(-window).Format(amzDateLayout), now.Format(amzDateLayout), span(window))
}

func notYetCurrent(signed, now time.Time, window time.Duration) *awserr.Error {
	return awserr.Newf(awserr.CodeInvalidSignature, status,
		"Signature not yet current: %s is still later than %s (%s + %s.)",
		signed.Format(amzDateLayout), now.Add(window).Format(amzDateLayout), now.Format(amzDateLayout), span(window))
}

// span writes a window the way AWS does ("5 min."), falling back to seconds
// for windows that are not whole minutes.
func span(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d sec", d/time.Second)
}
