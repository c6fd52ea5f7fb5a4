package sigv4

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/awserr"
)

// FuzzParseAuthorization feeds arbitrary Authorization headers to the
// parser and to the whole verifier: neither may panic, and every refusal
// must be one of the five AWS codes with status 400. The seed corpus runs
// with plain `go test`.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"",
		"AWS4",
		"AWS4-",
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA256 ",
		"AWS4-HMAC-SHA256 Credential=AKIACOGITOTEST000001/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
		"AWS4-HMAC-SHA256 Credential=AKIACOGITOTEST000001/20260101/us-east-1/cognito-idp/aws4_request,SignedHeaders=host,Signature=zz",
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/e/, SignedHeaders=, Signature=",
		"AWS4-HMAC-SHA256 Credential=AKID /20260101/us-east-1/cognito-idp/aws4_request",
		"AWS4-HMAC-SHA256\tCredential==,,, ,Signature===",
		"  AWS4-ECDSA-P256-SHA256 Credential=x",
		"AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;;;Host;;, Signature=" + strings.Repeat("ab", 32),
		"Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
		"AWS4-HMAC-SHA256 Credential=\xff\xfe/\x00/r/s/t, SignedHeaders=host, Signature=00",
	} {
		f.Add(s)
	}
	v := newVerifier(signedAt)
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseAuthorization(h)
		if err != nil {
			if err.Code != awserr.CodeIncompleteSignature || err.Status != 400 {
				t.Fatalf("parse error %s %d", err.Code, err.Status)
			}
		} else {
			if strings.ContainsAny(a.algorithm, " \t") {
				t.Fatalf("algorithm %q holds white space", a.algorithm)
			}
			_ = a.missing(false)
			if sc, ok := parseCredential(a.credential); ok {
				_ = sc.problems(idp, signedAt, "20260101T000000Z")
				if strings.Count(sc.String(), "/") < 3 {
					t.Fatalf("scope %q lost a part", sc.String())
				}
			}
			for _, n := range signedHeaderNames(a.signedHeaders) {
				if n == "" {
					t.Fatal("empty signed header name")
				}
			}
		}

		r, rerr := http.NewRequest(http.MethodPost, "http://localhost:9229/", nil)
		if rerr != nil {
			t.Fatal(rerr)
		}
		r.Header["Authorization"] = []string{h}
		r.Header.Set("X-Amz-Date", "20260101T000000Z")
		verr := v.Verify(r, []byte("{}"), idp)
		if verr == nil {
			// Only a real signature can pass, and the fuzzer cannot make one.
			t.Fatalf("accepted %q", h)
		}
		e, ok := awserr.As(verr)
		if !ok || e.Status != 400 {
			t.Fatalf("Verify returned %v", verr)
		}
		switch e.Code {
		case awserr.CodeMissingAuthToken, awserr.CodeIncompleteSignature, awserr.CodeInvalidSignature,
			awserr.CodeUnrecognizedClient:
		default:
			t.Fatalf("unexpected code %s", e.Code)
		}
	})
}
