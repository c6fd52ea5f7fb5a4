package sigv4

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/clock"
)

// The AWS documentation's worked example ("Create a signed AWS API request",
// IAM ListUsers), with its published intermediate values.
const (
	docAccessKey = "AKIDEXAMPLE"
	docSecret    = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	docRequest   = "GET /?Action=ListUsers&Version=2010-05-08 HTTP/1.1\r\n" +
		"Host: iam.amazonaws.com\r\n" +
		"Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n" +
		"X-Amz-Date: 20150830T123600Z\r\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date, " +
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\r\n\r\n"
	docCanonicalHash = "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
	docSigningKey    = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
)

var suiteTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

// readRequest parses a raw HTTP/1.1 request as the server would and reads
// its body.
func readRequest(t testing.TB, raw []byte) (*http.Request, []byte) {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("parse request: %v", err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return r, body
}

func TestDocumentationExample(t *testing.T) {
	r, body := readRequest(t, []byte(docRequest))

	sc, ok := parseCredential("AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request")
	if !ok {
		t.Fatal("credential did not parse")
	}
	if got := hex.EncodeToString(signingKey(docSecret, sc)); got != docSigningKey {
		t.Errorf("signing key = %s, want %s", got, docSigningKey)
	}
	canonical := canonicalRequest(r, "/", "content-type;host;x-amz-date", sha256Hex(body), false)
	if got := sha256Hex([]byte(canonical)); got != docCanonicalHash {
		t.Errorf("canonical request hash = %s, want %s\n%s", got, docCanonicalHash, canonical)
	}

	v := New(map[string]string{docAccessKey: docSecret}, clock.NewFake(suiteTime))
	if err := v.Verify(r, body, "iam"); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	// One changed hex digit of the published signature must fail.
	bad := strings.Replace(docRequest, "Signature=5d67", "Signature=5d68", 1)
	r, body = readRequest(t, []byte(bad))
	wantCode(t, v.Verify(r, body, "iam"), "InvalidSignatureException", msgSignatureMismatch)
}

// TestSigV4TestSuite verifies every kept request of the AWS SigV4 test suite
// (see testdata/aws-sig-v4-test-suite/README.md), in both its header and its
// presigned form.
func TestSigV4TestSuite(t *testing.T) {
	files, err := filepath.Glob("testdata/aws-sig-v4-test-suite/*/*-signed-request.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 60 {
		t.Fatalf("found only %d test-suite files", len(files))
	}
	v := New(map[string]string{docAccessKey: docSecret}, clock.NewFake(suiteTime))
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + strings.TrimSuffix(filepath.Base(f), "-signed-request.txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, body := readRequest(t, raw)
			if err := v.Verify(r, body, "service"); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if err := v.Verify(r, body, "other"); err == nil {
				t.Fatal("Verify accepted the wrong service")
			}
			if len(body) > 0 {
				if err := v.Verify(r, append([]byte("x"), body...), "service"); err == nil {
					t.Fatal("Verify accepted a changed body")
				}
			}
		})
	}
}
