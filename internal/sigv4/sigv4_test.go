package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
)

const (
	testKey    = "AKIACOGITOTEST000001"
	testSecret = "cogitoTestSecret/0123456789+abcdefghijKLMN"
	otherKey   = "AKIACOGITOTEST000002"
	idp        = "cognito-idp"
	identity   = "cognito-identity"
)

// signedAt is when the test requests are signed: 20260101T000000Z.
var signedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newVerifier(now time.Time) *Verifier {
	return New(map[string]string{testKey: testSecret, otherKey: "another secret"}, clock.NewFake(now))
}

func wantCode(t testing.TB, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || e.Status != 400 {
		t.Fatalf("error = %s (%d) %q, want %s (400)", e.Code, e.Status, e.Message, code)
	}
	if msg != "" && e.Message != msg {
		t.Fatalf("message = %q\nwant      %q", e.Message, msg)
	}
}

type signOpts struct {
	service, region string
	key, secret     string
	token           string
	at              time.Time
	payloadHash     string // default: the body's hash
	path            string
}

// sdkSigned builds a Cognito JSON request, signs it with aws-sdk-go-v2's
// signer, sends it through the HTTP/1.1 wire format and parses it back as a
// server sees it.
func sdkSigned(t testing.TB, body string, o signOpts) (*http.Request, []byte) {
	t.Helper()
	if o.service == "" {
		o.service = idp
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.key == "" {
		o.key, o.secret = testKey, testSecret
	}
	if o.at.IsZero() {
		o.at = signedAt
	}
	if o.path == "" {
		o.path = "/"
	}
	req, err := http.NewRequest(http.MethodPost, "http://localhost:9229"+o.path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	target := "AWSCognitoIdentityProviderService.ListUserPools"
	if o.service == identity {
		target = "AWSCognitoIdentityService.ListIdentityPools"
	}
	req.Header.Set("X-Amz-Target", target)
	hash := o.payloadHash
	if hash == "" {
		sum := sha256.Sum256([]byte(body))
		hash = hex.EncodeToString(sum[:])
	} else {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	creds := aws.Credentials{AccessKeyID: o.key, SecretAccessKey: o.secret, SessionToken: o.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, o.service, o.region, o.at); err != nil {
		t.Fatal(err)
	}
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		t.Fatal(err)
	}
	return readRequest(t, wire.Bytes())
}

const listBody = `{"MaxResults":10}`

func TestSDKSignedRequestsVerify(t *testing.T) {
	cases := []struct {
		name string
		o    signOpts
		body string
	}{
		{"user pools", signOpts{}, listBody},
		{"identity pools", signOpts{service: identity, region: "eu-west-1"}, `{"MaxResults":5}`},
		{"session token", signOpts{token: "FwoGZXIvYXdzEXAMPLETOKEN=="}, listBody},
		{"other region", signOpts{region: "ap-southeast-2"}, listBody},
		{"empty body", signOpts{}, ""},
		{"second key", signOpts{key: otherKey, secret: "another secret"}, listBody},
		{"path kept as sent", signOpts{path: "/a/./b//c%20d"}, listBody},
		{"signed 4 minutes ago", signOpts{at: signedAt.Add(-4 * time.Minute)}, listBody},
		{"signed 4 minutes ahead", signOpts{at: signedAt.Add(4 * time.Minute)}, listBody},
		{"unicode body", signOpts{}, `{"Username":"zoë 🦊"}`},
	}
	v := newVerifier(signedAt)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, body := sdkSigned(t, c.body, c.o)
			service := c.o.service
			if service == "" {
				service = idp
			}
			if err := v.Verify(r, body, service); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

func TestDisabledAcceptsEverything(t *testing.T) {
	for _, creds := range []map[string]string{nil, {}} {
		v := New(creds, clock.NewFake(signedAt))
		if v.Enabled() {
			t.Fatal("Enabled with no credentials")
		}
		r, _ := http.NewRequest(http.MethodPost, "http://localhost/", nil)
		r.Header.Set("Authorization", "garbage")
		if err := v.Verify(r, nil, idp); err != nil {
			t.Fatalf("disabled verifier: %v", err)
		}
	}
	var nilVerifier *Verifier
	if nilVerifier.Enabled() {
		t.Fatal("nil verifier enabled")
	}
	if !newVerifier(signedAt).Enabled() {
		t.Fatal("not enabled with credentials")
	}
}

func TestNewCopiesCredentials(t *testing.T) {
	creds := map[string]string{testKey: testSecret}
	v := New(creds, clock.NewFake(signedAt))
	creds[testKey] = "changed"
	r, body := sdkSigned(t, listBody, signOpts{})
	if err := v.Verify(r, body, idp); err != nil {
		t.Fatalf("Verify after the caller changed its map: %v", err)
	}
}

// mutate returns a fresh SDK-signed request changed by f.
func mutate(t *testing.T, f func(r *http.Request, body []byte) []byte) (*http.Request, []byte) {
	r, body := sdkSigned(t, listBody, signOpts{})
	return r, f(r, body)
}

func setAuth(r *http.Request, v string) { r.Header.Set("Authorization", v) }

// authParts returns the Credential, SignedHeaders and Signature the SDK put
// into r's Authorization header.
func authParts(t *testing.T, r *http.Request) (cred, signed, sig string) {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	return a.credential, a.signedHeaders, a.signature
}

func TestFailures(t *testing.T) {
	const (
		missing    = "MissingAuthenticationTokenException"
		incomplete = "IncompleteSignatureException"
		invalid    = "InvalidSignatureException"
		unknown    = "UnrecognizedClientException"
	)
	cases := []struct {
		name    string
		build   func(t *testing.T) (*http.Request, []byte)
		now     time.Time // default signedAt
		service string    // default cognito-idp
		code    string
		msg     string
	}{
		{
			name: "no authorization",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { r.Header.Del("Authorization"); return b })
			},
			code: missing, msg: "Missing Authentication Token",
		},
		{
			name: "bearer token",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { setAuth(r, "Bearer eyJhbGciOi"); return b })
			},
			code: missing, msg: "Missing Authentication Token",
		},
		{
			name: "AWS4 without dash",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { setAuth(r, "AWS4"); return b })
			},
			code: missing,
		},
		{
			name: "bare AWS4- and no date",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					setAuth(r, "AWS4-")
					r.Header.Del("X-Amz-Date")
					return b
				})
			},
			code: incomplete,
			msg: "Authorization header requires 'Credential' parameter. " +
				"Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-",
		},
		{
			name: "no signature",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					setAuth(r, "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date")
					return b
				})
			},
			code: incomplete,
			msg: "Authorization header requires 'Signature' parameter. " +
				"Authorization=AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date",
		},
		{
			name: "no date",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { r.Header.Del("X-Amz-Date"); return b })
			},
			code: incomplete,
		},
		{
			name: "space inside the credential",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					setAuth(r, "AWS4-HMAC-SHA256 Credential=AKID /20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
					return b
				})
			},
			code: incomplete,
			msg: "'/20260101/us-east-1/cognito-idp/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: " +
				"'AWS4-HMAC-SHA256 Credential=AKID /20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00'.",
		},
		{
			name: "malformed date",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { r.Header.Set("X-Amz-Date", "2026-01-01T00:00:00Z"); return b })
			},
			code: incomplete,
			msg:  "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
		},
		{
			name:  "expired",
			build: func(t *testing.T) (*http.Request, []byte) { return sdkSigned(t, listBody, signOpts{}) },
			now:   signedAt.Add(10 * time.Minute),
			code:  invalid,
			msg:   "Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)",
		},
		{
			name:  "not yet current",
			build: func(t *testing.T) (*http.Request, []byte) { return sdkSigned(t, listBody, signOpts{}) },
			now:   signedAt.Add(-10 * time.Minute),
			code:  invalid,
			msg:   "Signature not yet current: 20260101T000000Z is still later than 20251231T235500Z (20251231T235000Z + 5 min.)",
		},
		{
			name: "host not signed",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					cred, _, sig := authParts(t, r)
					setAuth(r, "AWS4-HMAC-SHA256 Credential="+cred+", SignedHeaders=x-amz-date, Signature="+sig)
					return b
				})
			},
			code: invalid, msg: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
		},
		{
			name: "unsupported algorithm",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					cred, signed, sig := authParts(t, r)
					setAuth(r, "AWS4-HMAC-SHA512 Credential="+cred+", SignedHeaders="+signed+", Signature="+sig)
					return b
				})
			},
			code: incomplete, msg: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
		},
		{
			name: "credential with four parts",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					_, signed, sig := authParts(t, r)
					setAuth(r, "AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders="+signed+", Signature="+sig)
					return b
				})
			},
			code: incomplete, msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
		},
		{
			name:    "wrong service",
			build:   func(t *testing.T) (*http.Request, []byte) { return sdkSigned(t, listBody, signOpts{service: identity}) },
			service: idp,
			code:    invalid, msg: "Credential should be scoped to correct service: 'cognito-idp'. ",
		},
		{
			name: "every scope part wrong",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					_, signed, sig := authParts(t, r)
					setAuth(r, "AWS4-HMAC-SHA256 Credential="+testKey+"/20251231//s3/aws4, SignedHeaders="+signed+", Signature="+sig)
					return b
				})
			},
			code: invalid,
			msg: "Credential should be scoped to a valid region, not ''. " +
				"Credential should be scoped to correct service: 'cognito-idp'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'. " +
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T000000Z'.",
		},
		{
			name: "unknown access key",
			build: func(t *testing.T) (*http.Request, []byte) {
				return sdkSigned(t, listBody, signOpts{key: "AKIAUNKNOWN", secret: testSecret})
			},
			code: unknown, msg: "The security token included in the request is invalid.",
		},
		{
			name: "wrong secret",
			build: func(t *testing.T) (*http.Request, []byte) {
				return sdkSigned(t, listBody, signOpts{key: testKey, secret: "wrong"})
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "tampered body",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { return []byte(`{"MaxResults":60}`) })
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "tampered signed header",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.DeleteUserPool")
					return b
				})
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "tampered host",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { r.Host = "evil.example"; return b })
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "tampered path",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { r.URL.Path = "/other"; return b })
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "added query",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { r.URL.RawQuery = "a=b"; return b })
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "signature not hex",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					cred, signed, _ := authParts(t, r)
					setAuth(r, "AWS4-HMAC-SHA256 Credential="+cred+", SignedHeaders="+signed+", Signature=zz")
					return b
				})
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "content hash of another body",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					r.Header.Set("X-Amz-Content-Sha256", sha256Hex([]byte("other")))
					return b
				})
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "streaming payload",
			build: func(t *testing.T) (*http.Request, []byte) {
				return sdkSigned(t, listBody, signOpts{payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"})
			},
			code: invalid, msg: msgSignatureMismatch,
		},
		{
			name: "header and query auth",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte { r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256"; return b })
			},
			code: invalid, msg: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
		},
		{
			name: "incomplete query auth",
			build: func(t *testing.T) (*http.Request, []byte) {
				return mutate(t, func(r *http.Request, b []byte) []byte {
					r.Header.Del("Authorization")
					r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z"
					return b
				})
			},
			code: incomplete,
			msg: "AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-Signature'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"Re-examine the query-string parameters.",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := c.now
			if now.IsZero() {
				now = signedAt
			}
			service := c.service
			if service == "" {
				service = idp
			}
			r, body := c.build(t)
			wantCode(t, newVerifier(now).Verify(r, body, service), c.code, c.msg)
		})
	}
}

func TestUnsignedPayload(t *testing.T) {
	// The spec's opt-out: the client says the body is not signed, so a
	// changed body still verifies. No SDK does this for Cognito's APIs.
	r, _ := sdkSigned(t, listBody, signOpts{payloadHash: unsignedPayload})
	if err := newVerifier(signedAt).Verify(r, []byte(`{"other":1}`), idp); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestDeclaredContentHash(t *testing.T) {
	r, body := sdkSigned(t, listBody, signOpts{payloadHash: sha256Hex([]byte(listBody))})
	v := newVerifier(signedAt)
	if err := v.Verify(r, body, idp); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	wantCode(t, v.Verify(r, []byte(`{"MaxResults":11}`), idp), "InvalidSignatureException", msgSignatureMismatch)
}

func TestUnsignedHeadersMayChange(t *testing.T) {
	r, body := sdkSigned(t, listBody, signOpts{})
	r.Header.Set("User-Agent", "something else")
	r.Header.Set("X-Forwarded-For", "10.0.0.1")
	if err := newVerifier(signedAt).Verify(r, body, idp); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestUpperCaseSignature(t *testing.T) {
	r, body := sdkSigned(t, listBody, signOpts{})
	cred, signed, sig := authParts(t, r)
	setAuth(r, "AWS4-HMAC-SHA256 Credential="+cred+",SignedHeaders="+signed+",Signature="+strings.ToUpper(sig))
	if err := newVerifier(signedAt).Verify(r, body, idp); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

// TestDateHeader signs with a Date header instead of X-Amz-Date; no SDK
// does that, so the signature is made with this package's own functions.
func TestDateHeader(t *testing.T) {
	r, err := http.NewRequest(http.MethodPost, "http://localhost:9229/", strings.NewReader(listBody))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Date", signedAt.Format(http.TimeFormat))
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	sc := scope{keyID: testKey, date: "20260101", region: "us-east-1", service: idp, terminator: terminator}
	const signed = "date;host;x-amz-target"
	canonical := canonicalRequest(r, "/", signed, sha256Hex([]byte(listBody)), false)
	sig := hex.EncodeToString(hmacSHA256(signingKey(testSecret, sc), stringToSign("20260101T000000Z", sc, canonical)))
	setAuth(r, "AWS4-HMAC-SHA256 Credential="+testKey+"/"+sc.String()+", SignedHeaders="+signed+", Signature="+sig)
	v := newVerifier(signedAt)
	if err := v.Verify(r, []byte(listBody), idp); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	r.Header.Set("Date", "yesterday")
	wantCode(t, v.Verify(r, []byte(listBody), idp), "IncompleteSignatureException",
		"Date must be in ISO-8601 'basic format'. Got 'yesterday'. See http://en.wikipedia.org/wiki/ISO_8601")
}

func sdkPresigned(t *testing.T, expires time.Duration) (*http.Request, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://localhost:9229/?Action=Ping", nil)
	if err != nil {
		t.Fatal(err)
	}
	if expires > 0 {
		q := req.URL.Query()
		q.Set("X-Amz-Expires", strconv.Itoa(int(expires/time.Second)))
		req.URL.RawQuery = q.Encode()
	}
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret, SessionToken: "TOKEN/with+chars="}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, sha256Hex(nil), idp, "us-east-1", signedAt)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	raw := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\n\r\n"
	return readRequest(t, []byte(raw))
}

func TestPresigned(t *testing.T) {
	r, body := sdkPresigned(t, 15*time.Minute)
	if err := newVerifier(signedAt.Add(14*time.Minute)).Verify(r, body, idp); err != nil {
		t.Fatalf("Verify within X-Amz-Expires: %v", err)
	}
	wantCode(t, newVerifier(signedAt.Add(16*time.Minute)).Verify(r, body, idp), "InvalidSignatureException",
		"Signature expired: 20260101T000000Z is now earlier than 20260101T000100Z (20260101T001600Z - 15 min.)")
	wantCode(t, newVerifier(signedAt).Verify(r, body, identity), "InvalidSignatureException",
		"Credential should be scoped to correct service: 'cognito-identity'. ")

	// Without X-Amz-Expires the ordinary 5-minute window applies.
	r, body = sdkPresigned(t, 0)
	if err := newVerifier(signedAt.Add(4*time.Minute)).Verify(r, body, idp); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	wantCode(t, newVerifier(signedAt.Add(6*time.Minute)).Verify(r, body, idp), "InvalidSignatureException", "")

	// A changed query parameter breaks the signature.
	r, body = sdkPresigned(t, 15*time.Minute)
	r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "Action=Ping", "Action=Pong", 1)
	wantCode(t, newVerifier(signedAt).Verify(r, body, idp), "InvalidSignatureException", msgSignatureMismatch)
}

func TestPresignedExpiresChecks(t *testing.T) {
	for _, c := range []struct{ expires, msg string }{
		{"soon", "X-Amz-Expires should be a number"},
		{"-1", "X-Amz-Expires must be non-negative"},
		{"604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
	} {
		r, body := sdkPresigned(t, time.Minute)
		q := r.URL.Query()
		q.Set("X-Amz-Expires", c.expires)
		r.URL.RawQuery = q.Encode()
		wantCode(t, newVerifier(signedAt).Verify(r, body, idp), "IncompleteSignatureException", c.msg)
	}
}

func TestNormalizePath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                  "/",
		"":                   "/",
		"//":                 "/",
		"/./":                "/",
		"/a/..":              "/",
		"/a/b/../..":         "/",
		"/..":                "/",
		"//example//":        "/example/",
		"/./example":         "/example",
		"/a/./b/../c/":       "/a/c/",
		"/a%2Fb/c":           "/a%2Fb/c",
		"/amplify/some%20x/": "/amplify/some%20x/",
	} {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "",
		"b=2&a=1":                     "a=1&b=2",
		"a=2&a=1":                     "a=1&a=2",
		"a":                           "a=",
		"a=&&b":                       "a=&b=",
		"x=a+b":                       "x=a%20b",
		"x=a%20b":                     "x=a%20b",
		"x=%7e%2F":                    "x=~%2F",
		"k=%zz":                       "k=%25zz",
		"%E1%88%B4=1&Param-3=3&P=2":   "%E1%88%B4=1&P=2&Param-3=3",
		"X-Amz-Signature=abc&a=1":     "X-Amz-Signature=abc&a=1",
		"-._~09AZaz=-._~09AZaz&b=%2b": "-._~09AZaz=-._~09AZaz&b=%2B",
	} {
		if got := canonicalQuery(in, false); got != want {
			t.Errorf("canonicalQuery(%q) = %q, want %q", in, got, want)
		}
	}
	if got := canonicalQuery("X-Amz-Signature=abc&a=1", true); got != "a=1" {
		t.Errorf("presigned query keeps the signature: %q", got)
	}
}

func TestHeaderValue(t *testing.T) {
	r, _ := http.NewRequest(http.MethodPost, "http://h.example:9229/", strings.NewReader("12345"))
	r.Header.Add("X-Multi", "  a   b ")
	r.Header.Add("X-Multi", "c\t\td")
	r.Header["x-lower"] = []string{"v"}
	for name, want := range map[string]string{
		"host":           "h.example:9229",
		"content-length": "5",
		"x-multi":        "a b,c d",
		"X-Multi":        "a b,c d",
		"x-lower":        "v",
		"x-absent":       "",
	} {
		if got := headerValue(r, name); got != want {
			t.Errorf("headerValue(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSecretsStayOutOfLogs(t *testing.T) {
	v := newVerifier(signedAt)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("start", "verifier", v)
	out := fmt.Sprintf("%v %+v %#v %s", v, v, v, v) + logged.String()
	for _, secret := range []string{testSecret, "another secret", testKey} {
		if strings.Contains(out, secret) {
			t.Fatalf("%q leaked into %s", secret, out)
		}
	}
	if !strings.Contains(out, "keys: 2") {
		t.Fatalf("unexpected rendering %s", out)
	}
}
