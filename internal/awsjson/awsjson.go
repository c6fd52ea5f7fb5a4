// Package awsjson is the AWS JSON 1.1 protocol as Cognito speaks it: the
// X-Amz-Target header names the operation, the body is a JSON object, errors
// are {"__type": ..., "message": ...} with x-amzn-ErrorType, and every
// response carries x-amzn-RequestId.
package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/awserr"
)

// ContentType is the media type of requests and responses.
const ContentType = "application/x-amz-json-1.1"

// DefaultMaxBody is the default cap on request bodies.
const DefaultMaxBody = 8 << 20

// ParseTarget splits an X-Amz-Target value ("Prefix.Operation").
func ParseTarget(v string) (prefix, op string, ok bool) {
	v = strings.TrimSpace(v)
	i := strings.LastIndexByte(v, '.')
	if i <= 0 || i == len(v)-1 {
		return "", "", false
	}
	prefix, op = v[:i], v[i+1:]
	for _, r := range op {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return "", "", false
		}
	}
	return prefix, op, true
}

// Verifier checks SigV4 signatures of IAM-authorized calls.
type Verifier interface {
	Enabled() bool
	Verify(r *http.Request, body []byte, service string) error
}

// RequestInfo describes the HTTP request behind an operation call; services
// read it from the context (source IP, user agent, request id).
type RequestInfo struct {
	RequestID string
	RemoteIP  string
	UserAgent string
	Header    http.Header
	Operation string
}

type infoKey struct{}

// WithInfo returns ctx carrying info.
func WithInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// Info returns the request info in ctx, or an empty one.
func Info(ctx context.Context) *RequestInfo {
	if i, ok := ctx.Value(infoKey{}).(*RequestInfo); ok {
		return i
	}
	return &RequestInfo{}
}

// Guard runs after the signature check and before an operation's handler,
// with the request, the service's signing name ("cognito-idp",
// "cognito-identity"), the operation's name and the raw body. An error answers
// the request instead of the handler (throttling, a replica region's
// restrictions).
type Guard func(r *http.Request, service, operation string, body []byte) error

// Handler serves the API operations of one or more services.
type Handler struct {
	services map[string]*api.Service
	verifier Verifier
	maxBody  int64
	log      *slog.Logger
	guard    Guard
}

// SetGuard installs the check run before every operation (nil: none). Call it
// before serving.
func (h *Handler) SetGuard(g Guard) { h.guard = g }

// NewHandler serves the given services. verifier may be nil (no checks).
func NewHandler(services []*api.Service, verifier Verifier, maxBody int64, log *slog.Logger) *Handler {
	m := make(map[string]*api.Service, len(services))
	for _, s := range services {
		m[s.TargetPrefix] = s
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	return &Handler{services: m, verifier: verifier, maxBody: maxBody, log: log}
}

// Lookup finds the operation a target names.
func (h *Handler) Lookup(target string) (*api.Service, *api.Operation, bool) {
	prefix, name, ok := ParseTarget(target)
	if !ok {
		return nil, nil, false
	}
	svc, ok := h.services[prefix]
	if !ok {
		return nil, nil, false
	}
	op, ok := svc.Operations[name]
	return svc, op, ok
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ServeHTTP runs one operation. The request id header must already be set
// (see RequestID in the server); info may be in the context.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	info := Info(ctx)
	target := r.Header.Get("X-Amz-Target")
	svc, op, ok := h.Lookup(target)
	if !ok {
		h.WriteError(w, r, awserr.New(awserr.CodeUnknownOperation, 400, "The requested operation is not recognized by the service: "+sanitize(target)))
		return
	}
	info.Operation = op.Name
	if r.Method != http.MethodPost {
		h.WriteError(w, r, awserr.New(awserr.CodeUnknownOperation, 400, "Only POST is supported for "+op.Name+"."))
		return
	}
	body, err := readBody(w, r, h.maxBody)
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	if op.Auth == api.AuthSigV4 && h.verifier != nil && h.verifier.Enabled() {
		if err := h.verifier.Verify(r, body, svc.SigningName); err != nil {
			h.WriteError(w, r, err)
			return
		}
	}
	if h.guard != nil {
		if err := h.guard(r, svc.SigningName, op.Name, body); err != nil {
			h.WriteError(w, r, err)
			return
		}
	}
	out, err := op.Call(ctx, body)
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	h.WriteResult(w, r, out)
}

func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	if r.ContentLength > max {
		return nil, tooLarge(max)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(max)
		}
		return nil, awserr.Serialization("Could not read the request body.")
	}
	return bytes.Clone(buf.Bytes()), nil
}

func tooLarge(max int64) error {
	return awserr.New(awserr.CodeRequestTooLarge, http.StatusRequestEntityTooLarge,
		"Request body is larger than the maximum of "+strconv.FormatInt(max, 10)+" bytes.")
}

func contentType(r *http.Request) string {
	if strings.Contains(r.Header.Get("Content-Type"), "x-amz-json-1.0") {
		return "application/x-amz-json-1.0"
	}
	return ContentType
}

// WriteResult writes a 200 with the JSON of out.
func (h *Handler) WriteResult(w http.ResponseWriter, r *http.Request, out any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		h.WriteError(w, r, err)
		return
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	hd := w.Header()
	hd.Set("Content-Type", contentType(r))
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// WriteError writes err as an AWS JSON error. Errors that are not
// *awserr.Error become InternalErrorException; the cause is logged with an
// error id and never shown to the client.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	WriteError(w, r, err, h.log)
}

// WriteError is Handler.WriteError without a handler.
func WriteError(w http.ResponseWriter, r *http.Request, err error, log *slog.Logger) {
	e, ok := awserr.As(err)
	if !ok {
		id := w.Header().Get("x-amzn-RequestId")
		if log != nil {
			log.Error("internal error", "request_id", id, "op", Info(r.Context()).Operation, "err", err)
		}
		e = awserr.Internal("An internal error occurred. Error id: " + id + ".")
	}
	body := make(map[string]any, 2+len(e.Fields))
	for k, v := range e.Fields {
		body[k] = v
	}
	body["__type"] = e.Code
	body["message"] = e.Message
	b, mErr := json.Marshal(body)
	if mErr != nil {
		b = []byte(`{"__type":"InternalErrorException","message":"An internal error occurred."}`)
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType(r))
	hd.Set("x-amzn-ErrorType", e.Code+":")
	if e.Message != "" {
		hd.Set("x-amzn-ErrorMessage", sanitize(e.Message))
	}
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	status := e.Status
	if status == 0 {
		status = 400
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// sanitize makes s safe for a header value.
func sanitize(s string) string {
	if len(s) > 512 {
		s = s[:512]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return ' '
		}
		return r
	}, s)
}

// Discard drains and closes a body so the connection can be reused.
func Discard(r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<16))
	_ = r.Body.Close()
}
