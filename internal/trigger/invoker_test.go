package trigger_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/trigger/triggertest"
)

func TestHTTPInvoker(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "application/json" || r.Header.Get(trigger.HeaderFunction) == "" {
			t.Errorf("headers = %v", r.Header)
		}
		switch r.URL.Path {
		case "/ok":
			_, _ = w.Write(body)
		case "/throws":
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errorMessage":"bad input","errorType":"Error"}`))
		case "/lambda-style":
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = w.Write([]byte(`{"errorMessage":"boom"}`))
		case "/down":
			w.WriteHeader(http.StatusBadGateway)
		case "/slow":
			time.Sleep(200 * time.Millisecond)
			_, _ = w.Write(body)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	inv := &trigger.HTTPInvoker{URL: srv.URL + "/{function}"}
	call := func(fn string, timeout time.Duration) ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return inv.Invoke(ctx, &trigger.Request{Function: "arn:aws:lambda:us-east-1:1:function:" + fn, Trigger: "PreSignUp", Payload: []byte(`{"a":1}`)})
	}
	if out, err := call("ok", time.Second); err != nil || string(out) != `{"a":1}` {
		t.Errorf("ok = %s, %v", out, err)
	}
	var fe *trigger.FunctionError
	if _, err := call("throws", time.Second); !errors.As(err, &fe) || fe.Message != "bad input" {
		t.Errorf("throws = %v", err)
	}
	if _, err := call("lambda-style", time.Second); !errors.As(err, &fe) || fe.Message != "boom" {
		t.Errorf("lambda-style = %v", err)
	}
	var ie *trigger.InvokeError
	if _, err := call("down", time.Second); !errors.As(err, &ie) || !ie.Retryable || ie.Reason != "HTTP 502" {
		t.Errorf("down = %v", err)
	}
	if _, err := call("missing", time.Second); !errors.As(err, &ie) || ie.Retryable {
		t.Errorf("missing = %v", err)
	}
	if _, err := call("slow", 50*time.Millisecond); !errors.As(err, &ie) || !ie.Retryable || ie.Reason != "Socket timeout while invoking Lambda function" {
		t.Errorf("slow = %v", err)
	}
	closed := &trigger.HTTPInvoker{URL: "http://127.0.0.1:1/x"}
	if _, err := closed.Invoke(context.Background(), &trigger.Request{Function: "f"}); !errors.As(err, &ie) || !ie.Retryable {
		t.Errorf("unreachable = %v", err)
	}
}

func TestLambdaInvokerAgainstInvokeAPI(t *testing.T) {
	rec := triggertest.New()
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.Method+" "+r.URL.Path+" "+r.Header.Get("X-Amz-Invocation-Type"))
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKID/") || !strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/lambda/") {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		triggertest.LambdaHandler(rec).ServeHTTP(w, r)
	}))
	defer srv.Close()
	inv := trigger.NewLambdaInvoker(trigger.LambdaConfig{Endpoint: srv.URL, AccessKeyID: "AKID", SecretAccessKey: "secret"})
	arn := "arn:aws:lambda:eu-west-1:123456789012:function:pre"
	ctx := context.Background()
	out, err := inv.Invoke(ctx, &trigger.Request{Function: arn, Payload: []byte(`{"response":{}}`)})
	if err != nil || string(out) != `{"response":{}}` {
		t.Fatalf("invoke = %s, %v", out, err)
	}
	if paths[0] != "POST /2015-03-31/functions/"+arn+"/invocations " && paths[0] != "POST /2015-03-31/functions/"+arn+"/invocations RequestResponse" {
		t.Errorf("path = %q", paths[0])
	}
	if _, err := inv.Invoke(ctx, &trigger.Request{Function: arn, Payload: []byte(`{}`), Async: true}); err != nil {
		t.Errorf("async: %v", err)
	}
	if !strings.HasSuffix(paths[1], " Event") {
		t.Errorf("async call = %q", paths[1])
	}

	rec.Fail(arn, "nope")
	var fe *trigger.FunctionError
	if _, err := inv.Invoke(ctx, &trigger.Request{Function: arn, Payload: []byte(`{}`)}); !errors.As(err, &fe) || fe.Message != "nope" {
		t.Errorf("function error = %v", err)
	}
	rec.On(arn, func(map[string]any) (any, error) {
		return nil, &trigger.InvokeError{Reason: "ResourceNotFoundException"}
	})
	var ie *trigger.InvokeError
	if _, err := inv.Invoke(ctx, &trigger.Request{Function: arn, Payload: []byte(`{}`)}); !errors.As(err, &ie) || ie.Reason != "ResourceNotFoundException" || ie.Retryable {
		t.Errorf("not found = %v", err)
	}
	rec.On(arn, func(map[string]any) (any, error) {
		return nil, &trigger.InvokeError{Reason: "TooManyRequestsException"}
	})
	if _, err := inv.Invoke(ctx, &trigger.Request{Function: arn, Payload: []byte(`{}`)}); !errors.As(err, &ie) || !ie.Retryable {
		t.Errorf("throttled = %v", err)
	}
}

// TestServiceThroughLambdaAPI runs a trigger end to end: Service, Router,
// LambdaInvoker, the Invoke API, a handler.
func TestServiceThroughLambdaAPI(t *testing.T) {
	rec := triggertest.New()
	srv := httptest.NewServer(triggertest.LambdaHandler(rec))
	defer srv.Close()
	other := triggertest.New()
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, _ = other.Invoke(r.Context(), &trigger.Request{Function: r.URL.Path, Payload: body})
		_, _ = w.Write([]byte(`{"response":{"autoConfirmUser":true}}`))
	}))
	defer otherSrv.Close()
	st := trigger.Settings{
		Lambda:    trigger.LambdaSettings{Endpoint: srv.URL},
		Functions: []trigger.Route{{Function: "routed", URL: otherSrv.URL + "/{function}"}},
	}
	if err := st.Validate(); err != nil {
		t.Fatal(err)
	}
	router, _ := st.Build("us-east-1")
	svc := trigger.New(trigger.Config{Invoker: router, Store: sqlstoretest.NewSQLite(t), Region: "us-east-1"})
	rec.Respond("pre", map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true})
	out, err := svc.PreSignUp(context.Background(), poolWith(cognitoidp.LambdaConfigType{PreSignUp: api.Ptr("arn:aws:lambda:us-east-1:123456789012:function:pre")}),
		&trigger.PreSignUpInput{Username: "u"})
	if err != nil || !out.AutoConfirmUser || !out.AutoVerifyEmail {
		t.Fatalf("PreSignUp = %+v, %v", out, err)
	}
	out, err = svc.PreSignUp(context.Background(), poolWith(cognitoidp.LambdaConfigType{PreSignUp: api.Ptr("arn:aws:lambda:us-east-1:123456789012:function:routed")}),
		&trigger.PreSignUpInput{Username: "u"})
	if err != nil || !out.AutoConfirmUser || len(other.Calls()) != 1 || other.Calls()[0].Request.Function != "/routed" {
		t.Fatalf("routed PreSignUp = %+v, %v, %d", out, err, len(other.Calls()))
	}
	rec.Fail("pre", "Denied by policy")
	_, err = svc.PreSignUp(context.Background(), poolWith(cognitoidp.LambdaConfigType{PreSignUp: api.Ptr("arn:aws:lambda:us-east-1:123456789012:function:pre")}),
		&trigger.PreSignUpInput{Username: "u"})
	wantErr(t, err, "UserLambdaValidationException", "PreSignUp failed with error Denied by policy.")
}

func TestRouter(t *testing.T) {
	a, b, c, d := triggertest.New(), triggertest.New(), triggertest.New(), triggertest.New()
	r := &trigger.Router{
		ByFunction: map[string]trigger.Invoker{"arn:aws:lambda:us-east-1:1:function:exact": a, "byname": b},
		ByPool:     map[string]trigger.Invoker{"pool2": c},
		Default:    d,
	}
	ctx := context.Background()
	for _, req := range []*trigger.Request{
		{PoolID: "pool2", Function: "arn:aws:lambda:us-east-1:1:function:exact"},
		{PoolID: "pool2", Function: "arn:aws:lambda:eu-west-1:2:function:byname:live"},
		{PoolID: "pool2", Function: "arn:aws:lambda:us-east-1:1:function:other"},
		{PoolID: "pool1", Function: "arn:aws:lambda:us-east-1:1:function:other"},
	} {
		if _, err := r.Invoke(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	for i, rec := range []*triggertest.Recorder{a, b, c, d} {
		if n := len(rec.Calls()); n != 1 {
			t.Errorf("invoker %d: %d calls", i, n)
		}
	}
}

func TestESDKCodeRoundTrip(t *testing.T) {
	kms := &triggertest.FakeKMS{}
	srv := httptest.NewServer(kms)
	defer srv.Close()
	enc := &trigger.ESDKEncrypter{Wrapper: trigger.NewKMSWrapper(trigger.KMSConfig{Endpoint: srv.URL, FallbackRegion: "us-east-1"})}
	ec := map[string]string{"userpool-id": poolID}
	code, err := enc.EncryptCode(context.Background(), "key-1", []byte("654321"), ec)
	if err != nil {
		t.Fatal(err)
	}
	pt, gotEC, err := kms.DecryptCode(code)
	if err != nil || pt != "654321" || gotEC["userpool-id"] != poolID || len(gotEC) != 1 {
		t.Fatalf("decrypt = %q, %v, %v", pt, gotEC, err)
	}
	if kms.Calls("Encrypt") != 1 {
		t.Errorf("KMS Encrypt calls = %d", kms.Calls("Encrypt"))
	}
	code2, _ := enc.EncryptCode(context.Background(), "key-1", []byte("654321"), ec)
	if code2 == code {
		t.Error("two encryptions of one code are equal")
	}

	// Through the Service: a custom email sender with the pool's KMS key.
	svc, rec := newService(t, func(c *trigger.Config) { c.Codes = enc })
	pool := poolWith(cognitoidp.LambdaConfigType{
		CustomEmailSender: &cognitoidp.CustomEmailLambdaVersionConfigType{LambdaArn: api.Ptr(fnARN)},
		KMSKeyID:          api.Ptr("arn:aws:kms:us-east-1:123456789012:key/abc"),
	})
	ok, err := svc.CustomSender(context.Background(), pool, &trigger.CustomSenderInput{
		Source: trigger.SourceCustomMessageForgotPassword, Medium: "EMAIL", Username: "g", Code: "777888",
		Caller: trigger.Caller{ClientID: "c1", ClientMetadata: map[string]string{"x": "y"}},
	})
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	ev := rec.Calls()[0].Event
	if ev["triggerSource"] != "CustomEmailSender_ForgotPassword" || get(ev, "request", "type") != "customEmailSenderRequestV1" ||
		get(ev, "request", "clientMetadata", "x") != "y" || get(ev, "callerContext", "clientId") != "c1" {
		t.Errorf("event = %v", ev)
	}
	pt, _, err = kms.DecryptCode(get(ev, "request", "code").(string))
	if err != nil || pt != "777888" {
		t.Errorf("event code = %q, %v", pt, err)
	}

	// Without a KMSKeyID nothing is sent (and nothing fails).
	rec.Reset()
	pool.LambdaConfig.KMSKeyID = nil
	if ok, err := svc.CustomSender(context.Background(), pool, &trigger.CustomSenderInput{Medium: "EMAIL", Code: "1"}); !ok || err != nil || len(rec.Calls()) != 0 {
		t.Errorf("no key: %v %v %d calls", ok, err, len(rec.Calls()))
	}
}
