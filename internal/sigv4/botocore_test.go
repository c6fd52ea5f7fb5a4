package sigv4

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/clock"
)

// botocoreCases is testdata/botocore/cases.json, written by
// testdata/gen_botocore.py next to the raw requests it recorded.
type botocoreCases struct {
	Generator string `json:"generator"`
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
	Cases     []struct {
		File    string    `json:"file"`
		Service string    `json:"service"`
		Now     time.Time `json:"now"`
		Note    string    `json:"note"`
	} `json:"cases"`
}

// TestBotocoreSigned verifies requests signed by botocore (boto3 clients
// and botocore.auth.SigV4Auth/SigV4QueryAuth), including one whose
// Content-Length is signed, and checks that each fails once tampered with.
func TestBotocoreSigned(t *testing.T) {
	raw, err := os.ReadFile("testdata/botocore/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var bc botocoreCases
	if err := json.Unmarshal(raw, &bc); err != nil {
		t.Fatal(err)
	}
	if len(bc.Cases) == 0 {
		t.Fatal("no botocore cases")
	}
	sawContentLength := false
	for _, c := range bc.Cases {
		t.Run(c.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/botocore", c.File))
			if err != nil {
				t.Fatal(err)
			}
			v := New(map[string]string{bc.AccessKey: bc.SecretKey}, clock.NewFake(c.Now))
			r, body := readRequest(t, data)
			if err := v.Verify(r, body, c.Service); err != nil {
				t.Fatalf("%s (%s): %v", c.Note, bc.Generator, err)
			}
			if a, err := parseAuthorization(r.Header.Get("Authorization")); err == nil {
				for _, n := range signedHeaderNames(a.signedHeaders) {
					if n == "content-length" {
						sawContentLength = true
					}
				}
			}

			other := "cognito-identity"
			if c.Service == other {
				other = "cognito-idp"
			}
			wantCode(t, v.Verify(r, body, other), "InvalidSignatureException",
				"Credential should be scoped to correct service: '"+other+"'. ")
			if len(body) > 0 {
				wantCode(t, v.Verify(r, append(body[:len(body):len(body)], ' '), c.Service), "InvalidSignatureException", msgSignatureMismatch)
			}
			wrong := New(map[string]string{bc.AccessKey: "not the secret"}, clock.NewFake(c.Now))
			wantCode(t, wrong.Verify(r, body, c.Service), "InvalidSignatureException", msgSignatureMismatch)
			late := New(map[string]string{bc.AccessKey: bc.SecretKey}, clock.NewFake(c.Now.Add(time.Hour)))
			wantCode(t, late.Verify(r, body, c.Service), "InvalidSignatureException", "")
		})
	}
	if !sawContentLength {
		t.Error("no botocore case signs content-length")
	}
}
