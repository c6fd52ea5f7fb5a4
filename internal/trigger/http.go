package trigger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxAnswerBytes bounds a function's answer (Lambda's synchronous payload
// limit is 6 MB).
const maxAnswerBytes = 6 << 20

// HTTPInvoker POSTs the event JSON to a URL and reads the answer: for people
// who run their trigger functions as plain web handlers.
//
// The URL may hold "{function}", replaced by the function's name (the last
// part of its ARN), so one handler server can serve every trigger; without
// it every event goes to the URL as it is (a handler can tell them apart by
// triggerSource, or by the X-Cogito-Function header, which carries the ARN).
//
// Answers:
//   - 2xx: the body is the function's answer (the event with its response
//     filled in), unless the header X-Amz-Function-Error is set, which makes
//     the body a function error as Lambda reports them;
//   - any status with a JSON body {"errorMessage": "...", "errorType": "..."}
//     (Lambda's error shape): the function failed, and the client sees
//     UserLambdaValidationException "<Trigger> failed with error <errorMessage>.";
//   - 429 and 5xx otherwise: an invocation failure, retried;
//   - other statuses: an invocation failure, not retried.
type HTTPInvoker struct {
	URL    string
	Client *http.Client // default: http.DefaultClient (each call is bounded by the Service's timeout)
}

// Headers the HTTP invoker sends besides Content-Type.
const (
	HeaderFunction       = "X-Cogito-Function"
	HeaderTrigger        = "X-Cogito-Trigger"
	HeaderInvocationType = "X-Amz-Invocation-Type"
	HeaderFunctionError  = "X-Amz-Function-Error"
)

// Invoke POSTs req's payload.
func (h *HTTPInvoker) Invoke(ctx context.Context, req *Request) ([]byte, error) {
	target := strings.ReplaceAll(h.URL, "{function}", url.PathEscape(FunctionName(req.Function)))
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(req.Payload))
	if err != nil {
		return nil, &InvokeError{Reason: reasonUnreachable, Err: err}
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set(HeaderFunction, req.Function)
	hr.Header.Set(HeaderTrigger, req.Trigger)
	if req.Async {
		hr.Header.Set(HeaderInvocationType, "Event")
	} else {
		hr.Header.Set(HeaderInvocationType, "RequestResponse")
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(hr)
	if err != nil {
		var ne net.Error
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return nil, &InvokeError{Reason: reasonTimeout, Retryable: true, Err: err}
		}
		return nil, &InvokeError{Reason: reasonUnreachable, Retryable: true, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, &InvokeError{Reason: reasonTimeout, Retryable: true, Err: err}
		}
		return nil, &InvokeError{Reason: reasonUnreachable, Retryable: true, Err: err}
	}
	if len(body) > maxAnswerBytes {
		return nil, &InvokeError{Reason: "RequestTooLargeException", Err: errors.New("answer larger than 6 MB")}
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && resp.Header.Get(HeaderFunctionError) != "" {
		return nil, functionErrorFrom(body)
	}
	if ok {
		return body, nil
	}
	var shape struct {
		ErrorMessage *string `json:"errorMessage"`
		ErrorType    string  `json:"errorType"`
	}
	if jsonUnmarshal(body, &shape) == nil && shape.ErrorMessage != nil {
		return nil, &FunctionError{Message: *shape.ErrorMessage, Type: shape.ErrorType}
	}
	retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return nil, &InvokeError{
		Reason:    fmt.Sprintf("HTTP %d", resp.StatusCode),
		Retryable: retry,
		Err:       fmt.Errorf("POST %s: status %d", redactURL(target), resp.StatusCode),
	}
}

// redactURL drops a URL's user info and query, which may hold secrets.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	u.RawQuery = ""
	return u.String()
}
