package awsjson_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
)

func newHandler(t *testing.T, maxBody int64) *awsjson.Handler {
	t.Helper()
	h := &cognitoidp.Handlers{
		DescribeUserPool: func(ctx context.Context, in *cognitoidp.DescribeUserPoolRequest) (*cognitoidp.DescribeUserPoolResponse, error) {
			return &cognitoidp.DescribeUserPoolResponse{UserPool: &cognitoidp.UserPoolType{Id: in.UserPoolId, Name: api.Ptr("p<&>")}}, nil
		},
		DeleteUserPool: func(ctx context.Context, in *cognitoidp.DeleteUserPoolRequest) (*api.Empty, error) {
			return nil, nil
		},
		GetUser: func(ctx context.Context, in *cognitoidp.GetUserRequest) (*cognitoidp.GetUserResponse, error) {
			return nil, cognitoidp.NewNotAuthorizedException("Invalid Access Token")
		},
		GetGroup: func(ctx context.Context, in *cognitoidp.GetGroupRequest) (*cognitoidp.GetGroupResponse, error) {
			return nil, io.ErrUnexpectedEOF // an unexpected failure
		},
	}
	return awsjson.NewHandler([]*api.Service{h.Service()}, nil, maxBody, nil)
}

type result struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func call(t *testing.T, h http.Handler, target, body string) result {
	t.Helper()
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	w := httptest.NewRecorder()
	w.Header().Set("x-amzn-RequestId", "rid-1")
	h.ServeHTTP(w, r)
	res := result{status: w.Code, header: w.Header(), raw: w.Body.String()}
	if err := json.Unmarshal(w.Body.Bytes(), &res.body); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", w.Body.String(), err)
	}
	return res
}

func wantError(t *testing.T, r result, status int, code, msg string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d (%s)", r.status, status, r.raw)
	}
	if r.body["__type"] != code {
		t.Errorf("__type %v, want %s", r.body["__type"], code)
	}
	if got := r.header.Get("x-amzn-ErrorType"); got != code+":" {
		t.Errorf("x-amzn-ErrorType %q, want %q", got, code+":")
	}
	if msg != "" && r.body["message"] != msg {
		t.Errorf("message %q, want %q", r.body["message"], msg)
	}
	if r.header.Get("Content-Type") != "application/x-amz-json-1.1" {
		t.Errorf("content type %q", r.header.Get("Content-Type"))
	}
}

const idp = "AWSCognitoIdentityProviderService."

func TestProtocol(t *testing.T) {
	h := newHandler(t, 1024)
	t.Run("success", func(t *testing.T) {
		r := call(t, h, idp+"DescribeUserPool", `{"UserPoolId":"us-east-1_abc"}`)
		if r.status != 200 || r.raw != `{"UserPool":{"Id":"us-east-1_abc","Name":"p<&>","EstimatedNumberOfUsers":0}}` {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})
	t.Run("no output is {}", func(t *testing.T) {
		r := call(t, h, idp+"DeleteUserPool", `{"UserPoolId":"us-east-1_abc"}`)
		if r.status != 200 || r.raw != `{}` {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})
	t.Run("unknown operation", func(t *testing.T) {
		wantError(t, call(t, h, idp+"NoSuchThing", `{}`), 400, "UnknownOperationException", "")
		wantError(t, call(t, h, "OtherService.DescribeUserPool", `{}`), 400, "UnknownOperationException", "")
		wantError(t, call(t, h, "", `{}`), 400, "UnknownOperationException", "")
	})
	t.Run("malformed json", func(t *testing.T) {
		wantError(t, call(t, h, idp+"DescribeUserPool", `{"UserPoolId":`), 400, "SerializationException", "")
		wantError(t, call(t, h, idp+"DescribeUserPool", `[1,2]`), 400, "SerializationException", "")
	})
	t.Run("wrong member type", func(t *testing.T) {
		wantError(t, call(t, h, idp+"DescribeUserPool", `{"UserPoolId":5}`), 400, "SerializationException", "")
	})
	t.Run("validation", func(t *testing.T) {
		wantError(t, call(t, h, idp+"DescribeUserPool", `{}`), 400, "InvalidParameterException",
			"1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null")
	})
	t.Run("empty body is {}", func(t *testing.T) {
		wantError(t, call(t, h, idp+"DescribeUserPool", ``), 400, "InvalidParameterException",
			"1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null")
	})
	t.Run("service error", func(t *testing.T) {
		r := call(t, h, idp+"GetUser", `{"AccessToken":"abc"}`)
		wantError(t, r, 400, "NotAuthorizedException", "Invalid Access Token")
		if r.header.Get("x-amzn-ErrorMessage") != "Invalid Access Token" {
			t.Errorf("x-amzn-ErrorMessage %q", r.header.Get("x-amzn-ErrorMessage"))
		}
	})
	t.Run("unexpected error hides internals", func(t *testing.T) {
		r := call(t, h, idp+"GetGroup", `{"GroupName":"g","UserPoolId":"us-east-1_abc"}`)
		wantError(t, r, 500, "InternalErrorException", "")
		if strings.Contains(r.raw, "EOF") || !strings.Contains(r.raw, "rid-1") {
			t.Errorf("body %s: want the error id and no internals", r.raw)
		}
	})
	t.Run("not implemented", func(t *testing.T) {
		wantError(t, call(t, h, idp+"ListGroups", `{"UserPoolId":"us-east-1_abc"}`), 501, "NotImplementedException", "")
	})
	t.Run("body too large", func(t *testing.T) {
		big := `{"UserPoolId":"us-east-1_abc","x":"` + strings.Repeat("a", 2048) + `"}`
		wantError(t, call(t, h, idp+"DescribeUserPool", big), 413, "RequestEntityTooLargeException", "")
	})
	t.Run("json 1.0 accepted", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/any/path", strings.NewReader(`{"UserPoolId":"us-east-1_abc"}`))
		r.Header.Set("X-Amz-Target", idp+"DescribeUserPool")
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/x-amz-json-1.0" {
			t.Fatalf("%d %s", w.Code, w.Header().Get("Content-Type"))
		}
	})
}

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		in, prefix, op string
		ok             bool
	}{
		{"AWSCognitoIdentityProviderService.SignUp", "AWSCognitoIdentityProviderService", "SignUp", true},
		{" AWSCognitoIdentityService.GetId ", "AWSCognitoIdentityService", "GetId", true},
		{"NoDot", "", "", false},
		{".Op", "", "", false},
		{"Prefix.", "", "", false},
		{"Prefix.Op;drop", "", "", false},
	} {
		p, o, ok := awsjson.ParseTarget(tc.in)
		if p != tc.prefix || o != tc.op || ok != tc.ok {
			t.Errorf("ParseTarget(%q) = %q %q %v", tc.in, p, o, ok)
		}
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"AWSCognitoIdentityProviderService.SignUp", "a.b.c", "", ".", "x.\x00", "é.é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, o, ok := awsjson.ParseTarget(s)
		if ok && (p == "" || o == "" || strings.Contains(o, ".")) {
			t.Fatalf("ParseTarget(%q) = %q %q", s, p, o)
		}
	})
}

// The decoder, validator and handler never panic on arbitrary bodies, and
// always answer a JSON object.
func FuzzRequestDecoder(f *testing.F) {
	for _, s := range []string{`{}`, `{"UserPoolId":"us-east-1_abc"}`, `{"UserPoolId":null}`, `[]`, `"x"`, `{"UserPoolId":{"a":1}}`, `{"UserPoolId":"` + strings.Repeat("x", 100) + `"}`, "\xff", `{"CreationDate":1.5e400}`} {
		f.Add(s)
	}
	h := &cognitoidp.Handlers{}
	svc := h.Service()
	ops := []string{"CreateUserPool", "AdminCreateUser", "InitiateAuth", "SetRiskConfiguration", "CreateUserPoolClient", "ListUsers"}
	f.Fuzz(func(t *testing.T, body string) {
		for _, name := range ops {
			_, err := svc.Operations[name].Call(context.Background(), []byte(body))
			if err == nil {
				t.Fatalf("%s accepted %q without a handler", name, body)
			}
		}
	})
}
