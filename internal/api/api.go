// Package api holds the hand-written support the generated API packages
// (internal/api/cognitoidp, internal/api/cognitoidentity) build on: the
// operation table types, the timestamp and document wire types, request
// decoding and the Coral-style validator.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/cogito-dev/cogito/internal/awserr"
)

// Auth is how an operation is authorized.
type Auth int

const (
	// AuthNone: unsigned, public (SignUp, InitiateAuth, GetId…).
	AuthNone Auth = iota
	// AuthToken: unsigned, authorized by an access token (or session) in the body.
	AuthToken
	// AuthSigV4: IAM-authorized, signed with SigV4.
	AuthSigV4
)

func (a Auth) String() string {
	switch a {
	case AuthNone:
		return "unsigned"
	case AuthToken:
		return "token"
	case AuthSigV4:
		return "SigV4"
	}
	return "Auth(" + strconv.Itoa(int(a)) + ")"
}

// Operation is one row of a generated operation table.
type Operation struct {
	Name string
	Auth Auth
	// Implemented reports whether a handler is registered.
	Implemented bool
	// Call decodes the JSON body into the operation's input, validates it and
	// runs the handler. The result is the output to encode (never nil).
	Call func(ctx context.Context, body []byte) (any, error)
}

// Service is a generated API: its target prefix (the part of X-Amz-Target
// before the dot), SigV4 signing name and operations by name.
type Service struct {
	TargetPrefix string
	SigningName  string
	Operations   map[string]*Operation
}

// Empty is the output of operations that have none; it encodes as {}.
type Empty struct{}

// NotImplemented is the error for an operation without a handler: an honest
// failure, never a pretended success. docs/compatibility.md lists them.
func NotImplemented(op string) error {
	return awserr.Newf("NotImplementedException", 501,
		"Cogito does not implement %s yet (see docs/compatibility.md).", op)
}

// Decode unmarshals an AWS JSON request body into in. An empty body is {}.
// Malformed JSON, a non-object body or a member of the wrong type is a
// SerializationException.
func Decode(body []byte, in any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || bytes.Equal(body, []byte("null")) {
		return nil
	}
	if body[0] != '{' {
		return awserr.Serialization("Start of structure or map found where not expected.")
	}
	if err := json.Unmarshal(body, in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field != "" {
				return awserr.Serialization(fmt.Sprintf("Unexpected value type for member %s: expected %s.", te.Field, describeGoType(te.Type.Kind().String())))
			}
			return awserr.Serialization("Unexpected value type in request body.")
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return awserr.Serialization("Malformed request body: invalid JSON.")
		}
		var tse *TimeError
		if errors.As(err, &tse) {
			return awserr.Serialization(tse.Error())
		}
		return awserr.Serialization("Malformed request body.")
	}
	return nil
}

func describeGoType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "int32", "int64", "int", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice":
		return "list"
	case "map", "struct":
		return "structure"
	}
	return kind
}

// Time is a timestamp on the wire: epoch seconds as a JSON number, with
// millisecond precision (e.g. 1715100742.022).
type Time struct{ time.Time }

// NewTime wraps t (nil-safe helpers live in the services).
func NewTime(t time.Time) *Time { return &Time{t.UTC()} }

// MarshalJSON writes epoch seconds.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(nil, ms/1000, 10), nil
	}
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// TimeError is a malformed timestamp.
type TimeError struct{ Value string }

func (e *TimeError) Error() string {
	return "Unable to parse timestamp value: " + e.Value
}

// UnmarshalJSON reads epoch seconds (a number) or, leniently, an RFC 3339 string.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return &TimeError{string(b)}
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			t.Time = fromSeconds(f)
			return nil
		}
		p, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return &TimeError{s}
		}
		t.Time = p.UTC()
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return &TimeError{string(b)}
	}
	t.Time = fromSeconds(f)
	return nil
}

func fromSeconds(f float64) time.Time {
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC()
}

// Document is an untyped JSON value (Smithy document).
type Document = json.RawMessage

// Ptr returns a pointer to v.
func Ptr[T any](v T) *T { return &v }

// Deref returns *p, or the zero value when p is nil.
func Deref[T any](p *T) T {
	if p == nil {
		var z T
		return z
	}
	return *p
}
