// Package triggertest provides a recording trigger.Invoker for tests: it
// keeps every invocation with its decoded event and answers with handlers
// registered per function, by default echoing the event (a function that
// changes nothing).
package triggertest

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/cogito-dev/cogito/internal/trigger"
)

// Call is one recorded invocation.
type Call struct {
	Request trigger.Request
	// Event is the decoded payload.
	Event map[string]any
}

// Source is the event's triggerSource.
func (c Call) Source() string { s, _ := c.Event["triggerSource"].(string); return s }

// RequestMap returns the event's request member.
func (c Call) RequestMap() map[string]any { m, _ := c.Event["request"].(map[string]any); return m }

// Handler answers an event: a []byte is sent as it is, any other value is
// marshaled; an error is what the invoker reports (use trigger.FunctionError
// for a function that threw, trigger.InvokeError for one that cannot be
// reached).
type Handler func(event map[string]any) (any, error)

// Recorder is a trigger.Invoker that records calls. The zero value is not
// usable; use New. It is safe for concurrent use.
type Recorder struct {
	mu       sync.Mutex
	calls    []Call
	handlers map[string]Handler
}

// New returns an empty Recorder.
func New() *Recorder { return &Recorder{handlers: map[string]Handler{}} }

// On makes h answer the function (its ARN, or its name: the part after
// "function:"); "*" answers every function without a handler of its own.
func (r *Recorder) On(function string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[function] = h
}

// Respond makes the function answer with the event whose response member is
// response.
func (r *Recorder) Respond(function string, response map[string]any) {
	r.On(function, func(ev map[string]any) (any, error) {
		ev["response"] = response
		return ev, nil
	})
}

// Fail makes the function throw an error with the message.
func (r *Recorder) Fail(function, message string) {
	r.On(function, func(map[string]any) (any, error) {
		return nil, &trigger.FunctionError{Message: message, Type: "Error"}
	})
}

// Unreachable makes invoking the function fail (retryable).
func (r *Recorder) Unreachable(function string) {
	r.On(function, func(map[string]any) (any, error) {
		return nil, &trigger.InvokeError{Reason: "Unable to reach the Lambda function", Retryable: true}
	})
}

// Raw makes the function answer exactly body.
func (r *Recorder) Raw(function string, body []byte) {
	r.On(function, func(map[string]any) (any, error) { return body, nil })
}

// Invoke records the call and answers it.
func (r *Recorder) Invoke(ctx context.Context, req *trigger.Request) ([]byte, error) {
	var ev map[string]any
	_ = json.Unmarshal(req.Payload, &ev)
	r.mu.Lock()
	r.calls = append(r.calls, Call{Request: *req, Event: ev})
	h, ok := r.handlers[req.Function]
	if !ok {
		h, ok = r.handlers[trigger.FunctionName(req.Function)]
	}
	if !ok {
		h = r.handlers["*"]
	}
	r.mu.Unlock()
	if h == nil {
		return req.Payload, nil
	}
	// The handler gets its own copy of the event.
	var mine map[string]any
	_ = json.Unmarshal(req.Payload, &mine)
	out, err := h(mine)
	if err != nil {
		return nil, err
	}
	if b, ok := out.([]byte); ok {
		return b, nil
	}
	return json.Marshal(out)
}

// Calls returns the recorded calls, oldest first.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// CallsTo returns the calls of one function (ARN or name).
func (r *Recorder) CallsTo(function string) []Call {
	var out []Call
	for _, c := range r.Calls() {
		if c.Request.Function == function || trigger.FunctionName(c.Request.Function) == function {
			out = append(out, c)
		}
	}
	return out
}

// Sources lists the triggerSource of every call, in order.
func (r *Recorder) Sources() []string {
	var out []string
	for _, c := range r.Calls() {
		out = append(out, c.Source())
	}
	return out
}

// Reset forgets the recorded calls (handlers stay).
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = nil
}
