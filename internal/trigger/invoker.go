package trigger

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Invoker runs a function with an event and returns its answer: the
// Lambda Invoke API (LambdaInvoker), a plain HTTP handler (HTTPInvoker), or
// a recording fake in tests (triggertest.Recorder).
//
// An Invoke error is a *FunctionError when the function ran and failed (it
// threw), which is never retried; any other error is a failure to invoke
// it, retried while it is Retryable.
type Invoker interface {
	Invoke(ctx context.Context, req *Request) ([]byte, error)
}

// Request is one invocation.
type Request struct {
	// PoolID is the user pool whose trigger this is.
	PoolID string
	// Function is the function's ARN (or name) from the pool's LambdaConfig.
	Function string
	// Trigger is the trigger's name (PreSignUp, CustomMessage, ...) and
	// Source the event's triggerSource.
	Trigger, Source string
	// Payload is the event, JSON.
	Payload []byte
	// Async asks for Lambda's Event invocation type (the custom senders):
	// the answer is not awaited.
	Async bool
}

// FunctionError is a function that ran and failed: Lambda's FunctionError
// (the payload {"errorMessage", "errorType"}), or an HTTP handler's error
// answer (see HTTPInvoker).
type FunctionError struct {
	Message string
	Type    string
}

func (e *FunctionError) Error() string {
	if e.Type != "" {
		return "function error " + e.Type + ": " + e.Message
	}
	return "function error: " + e.Message
}

// InvokeError is a failure to invoke a function.
type InvokeError struct {
	// Reason is what UnexpectedLambdaException says after "due to error":
	// the Lambda API's error code, or a description.
	Reason string
	// Retryable failures (timeouts, unreachable endpoints, throttling, 5xx)
	// are tried again, up to the attempts allowed.
	Retryable bool
	Err       error
}

func (e *InvokeError) Error() string {
	if e.Err != nil {
		return "invoke: " + e.Reason + ": " + e.Err.Error()
	}
	return "invoke: " + e.Reason
}

func (e *InvokeError) Unwrap() error { return e.Err }

// retryable reports whether err is worth another attempt.
func retryable(err error) bool {
	var ie *InvokeError
	if errors.As(err, &ie) {
		return ie.Retryable
	}
	var fe *FunctionError
	return !errors.As(err, &fe)
}

// functionErrorFrom reads a Lambda error payload ({"errorMessage",
// "errorType", "stackTrace"}); a payload of another shape becomes the
// message as it is (trimmed, quotes removed from a JSON string).
func functionErrorFrom(payload []byte) *FunctionError {
	var body struct {
		ErrorMessage *string `json:"errorMessage"`
		ErrorType    string  `json:"errorType"`
	}
	if err := jsonUnmarshal(payload, &body); err == nil && body.ErrorMessage != nil {
		return &FunctionError{Message: *body.ErrorMessage, Type: body.ErrorType}
	}
	var s string
	if err := jsonUnmarshal(payload, &s); err == nil {
		return &FunctionError{Message: s}
	}
	return &FunctionError{Message: strings.TrimSpace(string(payload))}
}

// Router picks the invoker of each function: the first of
// ByFunction[ARN], ByFunction[function name], ByPool[pool id] and Default.
type Router struct {
	ByFunction map[string]Invoker
	ByPool     map[string]Invoker
	Default    Invoker
}

// Invoke hands req to the invoker its function and pool select.
func (r *Router) Invoke(ctx context.Context, req *Request) ([]byte, error) {
	inv := r.pick(req.PoolID, req.Function)
	if inv == nil {
		return nil, &InvokeError{Reason: reasonUnreachable, Err: fmt.Errorf("no invoker for function %s", req.Function)}
	}
	return inv.Invoke(ctx, req)
}

func (r *Router) pick(poolID, function string) Invoker {
	if inv, ok := r.ByFunction[function]; ok {
		return inv
	}
	if inv, ok := r.ByFunction[FunctionName(function)]; ok {
		return inv
	}
	if inv, ok := r.ByPool[poolID]; ok {
		return inv
	}
	return r.Default
}

// FunctionName is the name part of a Lambda function ARN
// (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]), or the string
// itself when it is not one.
func FunctionName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 && parts[0] == "arn" && parts[5] == "function" {
		return parts[6]
	}
	return arn
}

// functionRegion is the region of a Lambda function ARN, "" when it has none.
func functionRegion(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 4 && parts[0] == "arn" {
		return parts[3]
	}
	return ""
}
