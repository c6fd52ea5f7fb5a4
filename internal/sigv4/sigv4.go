// Package sigv4 verifies AWS Signature Version 4 on incoming requests: the
// Authorization-header form every SDK and the AWS CLI send, and presigned
// (query-string) requests. It answers with the exceptions and messages AWS's
// JSON services use, in the order AWS checks them:
//
//  1. an Authorization header or X-Amz-Algorithm query parameter (not both);
//  2. the header's key=value syntax, then its required parts and a date;
//  3. the date's format, then the clock skew (5 minutes, or X-Amz-Expires);
//  4. host among the signed headers; the algorithm; the credential's shape,
//     then its scope (region, service, terminator, date);
//  5. the access key; the payload hash; the signature.
//
// Nothing here logs: secrets, signatures and headers stay out of logs. (The
// IncompleteSignatureException messages echo the Authorization header back
// to the caller, as AWS does; whoever logs error messages should know that.)
package sigv4

import (
	"crypto/hmac"
	"encoding/hex"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
)

// MaxSkew is how far a request's signing time may lie from the server's
// clock, either way.
const MaxSkew = 5 * time.Minute

// maxExpires is the longest X-Amz-Expires AWS accepts: seven days.
const maxExpires = 7 * 24 * time.Hour

// unsignedPayload stands in for the payload hash when the client chose not
// to sign the body (X-Amz-Content-Sha256: UNSIGNED-PAYLOAD).
const unsignedPayload = "UNSIGNED-PAYLOAD"

// Verifier checks signatures against a fixed set of access keys.
type Verifier struct {
	creds map[string]string // access key id -> secret access key
	clock clock.Clock
}

// New returns a verifier for the given access key id -> secret pairs. With
// none, the verifier is disabled and accepts every request.
func New(creds map[string]string, c clock.Clock) *Verifier {
	if c == nil {
		c = clock.Real{}
	}
	return &Verifier{creds: maps.Clone(creds), clock: c}
}

// String, GoString and LogValue keep the secrets out of logs and %v, %+v
// and %#v: they show only how many keys are configured.
func (v *Verifier) String() string {
	if v == nil {
		return "sigv4.Verifier(nil)"
	}
	return "sigv4.Verifier{keys: " + strconv.Itoa(len(v.creds)) + "}"
}

// GoString is String.
func (v *Verifier) GoString() string { return v.String() }

// LogValue is String for log/slog.
func (v *Verifier) LogValue() slog.Value { return slog.StringValue(v.String()) }

// Enabled reports whether any credentials are configured. When it is false,
// Verify accepts every request, signed or not.
func (v *Verifier) Enabled() bool { return v != nil && len(v.creds) > 0 }

// request is what the Authorization header or the query string says about
// the signature, in one form.
type request struct {
	presigned     bool
	algorithm     string
	credential    string
	signedHeaders string
	signature     string
	at            time.Time     // signing time
	stamp         string        // signing time as it goes into the string to sign
	expires       time.Duration // presigned only; 0 when X-Amz-Expires is absent
}

// Verify checks that r, whose body has already been read into body, was
// signed for service ("cognito-idp" or "cognito-identity") with one of the
// configured keys. It returns nil or an *awserr.Error. Any region in the
// credential scope is accepted. X-Amz-Security-Token, when present, is not
// checked: Cogito has no STS to ask, so a session token is taken on trust.
func (v *Verifier) Verify(r *http.Request, body []byte, service string) error {
	if !v.Enabled() {
		return nil
	}
	authz := r.Header.Get("Authorization")
	query := r.URL.Query()
	_, queryAuth := query["X-Amz-Algorithm"]

	var req request
	var err *awserr.Error
	switch {
	case authz != "" && queryAuth:
		return invalidSignature(msgBothAuth)
	case authz != "":
		if !strings.HasPrefix(strings.TrimSpace(authz), "AWS4-") {
			return missingToken()
		}
		req, err = fromHeader(r, authz)
	case queryAuth:
		req, err = fromQuery(query)
	default:
		return missingToken()
	}
	if err != nil {
		return err
	}
	if err := v.check(r, body, service, req); err != nil {
		return err
	}
	return nil
}

// fromHeader reads the Authorization-header form.
func fromHeader(r *http.Request, authz string) (request, *awserr.Error) {
	a, err := parseAuthorization(authz)
	if err != nil {
		return request{}, err
	}
	amzDate := r.Header.Get("X-Amz-Date")
	date := r.Header.Get("Date")
	if msg := a.missing(amzDate != "" || date != ""); msg != "" {
		return request{}, incomplete(msg + "Authorization=" + authz)
	}
	req := request{
		algorithm:     a.algorithm,
		credential:    a.credential,
		signedHeaders: a.signedHeaders,
		signature:     a.signature,
	}
	if amzDate != "" {
		t, ok := parseAmzDate(amzDate)
		if !ok {
			return request{}, badDate(amzDate)
		}
		req.at, req.stamp = t, amzDate
	} else {
		t, ok := parseDateHeader(date)
		if !ok {
			return request{}, badDate(date)
		}
		req.at, req.stamp = t, t.Format(amzDateLayout)
	}
	return req, nil
}

// queryParams are the presigned-URL parameters AWS requires, in the order
// it names the missing ones.
var queryParams = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"}

// fromQuery reads the presigned (query-string) form.
func fromQuery(q url.Values) (request, *awserr.Error) {
	var msg strings.Builder
	for _, p := range queryParams {
		if q.Get(p) == "" {
			msg.WriteString("AWS query-string parameters must include '" + p + "'. ")
		}
	}
	if msg.Len() > 0 {
		return request{}, incomplete(msg.String() + msgReexamineQuery)
	}
	req := request{
		presigned:     true,
		algorithm:     q.Get("X-Amz-Algorithm"),
		credential:    q.Get("X-Amz-Credential"),
		signedHeaders: q.Get("X-Amz-SignedHeaders"),
		signature:     q.Get("X-Amz-Signature"),
	}
	stamp := q.Get("X-Amz-Date")
	t, ok := parseAmzDate(stamp)
	if !ok {
		return request{}, badDate(stamp)
	}
	req.at, req.stamp = t, stamp
	if e := q.Get("X-Amz-Expires"); e != "" {
		// Messages as S3 words them; for JSON services (unverified).
		n, err := strconv.ParseInt(e, 10, 64)
		switch {
		case err != nil:
			return request{}, incomplete("X-Amz-Expires should be a number")
		case n < 0:
			return request{}, incomplete("X-Amz-Expires must be non-negative")
		case time.Duration(n)*time.Second > maxExpires:
			return request{}, incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800")
		}
		req.expires = time.Duration(n) * time.Second
	}
	return req, nil
}

// check runs everything after the syntax: time, scope, key, signature.
func (v *Verifier) check(r *http.Request, body []byte, service string, req request) *awserr.Error {
	now := v.clock.Now().UTC()
	if req.at.After(now.Add(MaxSkew)) {
		return notYetCurrent(req.at, now, MaxSkew)
	}
	if req.presigned && req.expires > 0 {
		if now.After(req.at.Add(req.expires)) {
			return expired(req.at, now, req.expires)
		}
	} else if req.at.Before(now.Add(-MaxSkew)) {
		return expired(req.at, now, MaxSkew)
	}

	if !signsHost(req.signedHeaders) {
		return invalidSignature(msgHostNotSigned)
	}
	if req.algorithm != algorithm {
		return unsupportedAlgorithm(req.algorithm)
	}
	sc, ok := parseCredential(req.credential)
	if !ok {
		return badCredentialShape(req.credential)
	}
	if msg := sc.problems(service, req.at, req.stamp); msg != "" {
		return invalidSignature(msg)
	}
	secret, ok := v.creds[sc.keyID]
	if !ok {
		return unrecognizedClient()
	}
	payload, err := payloadHash(r, body)
	if err != nil {
		return err
	}

	want, decodeErr := hex.DecodeString(req.signature)
	if decodeErr != nil {
		return signatureMismatch()
	}
	key := signingKey(secret, sc)
	raw := r.URL.EscapedPath()
	if raw == "" {
		raw = "/"
	}
	// AWS normalizes the path; aws-sdk-go-v2 signs it as it is. Both forms
	// name the same path, so either signature is accepted.
	paths := []string{normalizePath(raw)}
	if raw != paths[0] {
		paths = append(paths, raw)
	}
	for _, p := range paths {
		canonical := canonicalRequest(r, p, req.signedHeaders, payload, req.presigned)
		got := hmacSHA256(key, stringToSign(req.stamp, sc, canonical))
		if hmac.Equal(got, want) {
			return nil
		}
	}
	return signatureMismatch()
}

// signsHost reports whether host is among the signed headers (in any case).
func signsHost(signedHeaders string) bool {
	for _, n := range signedHeaderNames(signedHeaders) {
		if strings.EqualFold(n, "host") {
			return true
		}
	}
	return false
}

// payloadHash is the last line of the canonical request: the hex SHA-256 of
// the body, or the X-Amz-Content-Sha256 header when the client sent one.
// That header must then be UNSIGNED-PAYLOAD (the spec's opt-out: the body
// is not covered by the signature) or the body's actual hash; a hash of some
// other body, or a streaming (chunk-signed) marker, which Cogito does not
// support, fails as a signature mismatch (unverified: S3 answers
// XAmzContentSHA256Mismatch; no JSON-service answer has been seen).
func payloadHash(r *http.Request, body []byte) (string, *awserr.Error) {
	sum := sha256Hex(body)
	declared := r.Header.Get("X-Amz-Content-Sha256")
	switch {
	case declared == "":
		return sum, nil
	case declared == unsignedPayload:
		return declared, nil
	case strings.EqualFold(declared, sum):
		return declared, nil
	default:
		return "", signatureMismatch()
	}
}
