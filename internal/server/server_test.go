package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/server"
)

func newServer(t *testing.T, mutate func(*config.Config)) *server.Server {
	t.Helper()
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := server.New(context.Background(), cfg, nil, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func do(t *testing.T, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Header().Get("x-amzn-RequestId") == "" {
		t.Errorf("%s %s: no x-amzn-RequestId", r.Method, r.URL)
	}
	return w
}

func apiReq(target, body string) *http.Request {
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", target)
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	return r
}

func errType(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var b map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	s, _ := b["__type"].(string)
	return s
}

func TestRoutingAndHeaders(t *testing.T) {
	h := newServer(t, nil).Handler()
	// Any path carrying a target reaches the API (Amplify posts to the endpoint URL verbatim).
	r := apiReq("AWSCognitoIdentityProviderService.DescribeUserPool", `{}`)
	r.URL.Path = "/some/prefix/"
	w := do(t, h, r)
	if w.Code != 400 || errType(t, w) != "InvalidParameterException" {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if w.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(w.Header().Get("Access-Control-Expose-Headers"), "x-amzn-ErrorType") {
		t.Errorf("CORS headers missing: %v", w.Header())
	}
	// Identity Pools on the same listener.
	w = do(t, h, apiReq("AWSCognitoIdentityService.DescribeIdentityPool", `{}`))
	if w.Code != 400 || errType(t, w) != "InvalidParameterException" {
		t.Fatalf("identity: %d %s", w.Code, w.Body)
	}
	// POST / without a target.
	w = do(t, h, httptest.NewRequest("POST", "/", strings.NewReader(`{}`)))
	if errType(t, w) != "UnknownOperationException" {
		t.Fatalf("no target: %d %s", w.Code, w.Body)
	}
	// Unknown path.
	w = do(t, h, httptest.NewRequest("GET", "/nothing-here", nil))
	if w.Code != 404 {
		t.Fatalf("unknown path: %d", w.Code)
	}
}

func TestPreflight(t *testing.T) {
	h := newServer(t, nil).Handler()
	r := httptest.NewRequest("OPTIONS", "/", nil)
	r.Header.Set("Origin", "http://localhost:3000")
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,cache-control")
	w := do(t, h, r)
	if w.Code != 200 {
		t.Fatalf("preflight %d", w.Code)
	}
	for k, want := range map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
		"Access-Control-Allow-Headers": "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,cache-control",
	} {
		if got := w.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestHealthAndReset(t *testing.T) {
	h := newServer(t, nil).Handler()
	w := do(t, h, httptest.NewRequest("GET", "/_cogito/health", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"ok"`) {
		t.Fatalf("health %d %s", w.Code, w.Body)
	}
	if w := do(t, h, httptest.NewRequest("POST", "/_cogito/reset", nil)); w.Code != 404 {
		t.Fatalf("reset outside test mode: %d", w.Code)
	}
	th := newServer(t, func(c *config.Config) { c.TestMode = true }).Handler()
	if w := do(t, th, httptest.NewRequest("POST", "/_cogito/reset", nil)); w.Code != 200 {
		t.Fatalf("reset in test mode: %d %s", w.Code, w.Body)
	}
}

func TestWellKnownUnknownPool(t *testing.T) {
	h := newServer(t, nil).Handler()
	for _, p := range []string{"/us-east-1_nothere/.well-known/jwks.json", "/us-east-1_nothere/.well-known/openid-configuration", "/bad/.well-known/jwks.json"} {
		if w := do(t, h, httptest.NewRequest("GET", p, nil)); w.Code != 404 {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
}

func sign(t *testing.T, r *http.Request, body, akid, secret, service string, at time.Time) {
	t.Helper()
	sum := sha256.Sum256([]byte(body))
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}, r, hex.EncodeToString(sum[:]), service, "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
}

func TestSigV4(t *testing.T) {
	srv := newServer(t, func(c *config.Config) {
		c.IAMCredentials = []config.Credential{{AccessKeyID: "AKIDCOGITO", SecretAccessKey: "s3cr3t"}}
	})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	send := func(target, body string, signWith func(*http.Request)) (int, string) {
		r, _ := http.NewRequest("POST", ts.URL+"/", bytes.NewReader([]byte(body)))
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		if signWith != nil {
			signWith(r)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		s, _ := m["__type"].(string)
		return resp.StatusCode, s
	}
	const body = `{"UserPoolId":"us-east-1_abc"}`
	const target = "AWSCognitoIdentityProviderService.DescribeUserPool"
	if _, code := send(target, body, nil); code != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned IAM call: %s", code)
	}
	if _, code := send(target, body, func(r *http.Request) { sign(t, r, body, "AKIDOTHER", "s3cr3t", "cognito-idp", time.Now()) }); code != "UnrecognizedClientException" {
		t.Errorf("unknown key: %s", code)
	}
	if _, code := send(target, body, func(r *http.Request) { sign(t, r, body, "AKIDCOGITO", "wrong", "cognito-idp", time.Now()) }); code != "InvalidSignatureException" {
		t.Errorf("wrong secret: %s", code)
	}
	if _, code := send(target, body, func(r *http.Request) {
		sign(t, r, body, "AKIDCOGITO", "s3cr3t", "cognito-idp", time.Now().Add(-time.Hour))
	}); code != "InvalidSignatureException" {
		t.Errorf("old signature: %s", code)
	}
	// A good signature passes authentication and reaches the operation.
	if _, code := send(target, body, func(r *http.Request) { sign(t, r, body, "AKIDCOGITO", "s3cr3t", "cognito-idp", time.Now()) }); code == "MissingAuthenticationTokenException" || code == "InvalidSignatureException" || code == "UnrecognizedClientException" {
		t.Errorf("good signature refused: %s", code)
	}
	// Unsigned operations never need a signature.
	if _, code := send("AWSCognitoIdentityProviderService.SignUp", `{}`, nil); code != "InvalidParameterException" {
		t.Errorf("unsigned op: %s", code)
	}
	if _, code := send("AWSCognitoIdentityService.GetId", `{}`, nil); code != "InvalidParameterException" {
		t.Errorf("unsigned identity op: %s", code)
	}
}
