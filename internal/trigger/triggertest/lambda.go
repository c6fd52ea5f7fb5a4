package triggertest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/cogito-dev/cogito/internal/trigger"
)

// LambdaHandler serves the AWS Lambda Invoke API
// (POST /2015-03-31/functions/{name}/invocations) in front of inv, so a
// LambdaInvoker (or any Lambda client) can be pointed at an httptest
// server: a *trigger.FunctionError answers 200 with X-Amz-Function-Error:
// Unhandled and Lambda's error payload; a *trigger.InvokeError whose Reason
// looks like an API error code answers that error (404 for
// ResourceNotFoundException, 429 for TooManyRequestsException, 403 for
// AccessDeniedException, else 500). Event invocations (X-Amz-Invocation-Type:
// Event) answer 202 with no body.
func LambdaHandler(inv trigger.Invoker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.EscapedPath(), "/2015-03-31/functions/")
		name, ok2 := strings.CutSuffix(name, "/invocations")
		if r.Method != http.MethodPost || !ok || !ok2 {
			apiError(w, http.StatusNotFound, "ResourceNotFoundException", "unknown path "+r.URL.Path)
			return
		}
		fn, err := url.PathUnescape(name)
		if err != nil {
			apiError(w, http.StatusBadRequest, "InvalidRequestContentException", "bad function name")
			return
		}
		body, _ := io.ReadAll(r.Body)
		async := r.Header.Get("X-Amz-Invocation-Type") == "Event"
		var ev struct {
			UserPoolID    string `json:"userPoolId"`
			TriggerSource string `json:"triggerSource"`
		}
		_ = json.Unmarshal(body, &ev)
		out, err := inv.Invoke(r.Context(), &trigger.Request{
			PoolID: ev.UserPoolID, Function: fn, Source: ev.TriggerSource, Payload: body, Async: async,
		})
		var fe *trigger.FunctionError
		var ie *trigger.InvokeError
		switch {
		case errors.As(err, &fe):
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.Header().Set("Content-Type", "application/json")
			b, _ := json.Marshal(map[string]any{"errorType": fe.Type, "errorMessage": fe.Message, "trace": []string{}})
			_, _ = w.Write(b)
		case errors.As(err, &ie):
			status := http.StatusInternalServerError
			switch ie.Reason {
			case "ResourceNotFoundException":
				status = http.StatusNotFound
			case "TooManyRequestsException":
				status = http.StatusTooManyRequests
			case "AccessDeniedException":
				status = http.StatusForbidden
			}
			code := ie.Reason
			if strings.ContainsAny(code, " ") {
				code = "ServiceException"
			}
			apiError(w, status, code, ie.Error())
		case err != nil:
			apiError(w, http.StatusInternalServerError, "ServiceException", err.Error())
		case async:
			w.WriteHeader(http.StatusAccepted)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(out)
		}
	})
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"Type": "User", "message": msg})
	_, _ = w.Write(b)
}

// Func adapts a function to trigger.Invoker.
type Func func(ctx context.Context, req *trigger.Request) ([]byte, error)

// Invoke calls f.
func (f Func) Invoke(ctx context.Context, req *trigger.Request) ([]byte, error) { return f(ctx, req) }
