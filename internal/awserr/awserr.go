// Package awserr is the one error type that crosses from services to the wire:
// an AWS error code (the exception name, e.g. "UserNotFoundException"), the
// client-visible message and the HTTP status the live service answers with.
//
// Generated API packages declare one constructor per modelled exception; the
// protocol layer (internal/awsjson) renders any *Error as
// {"__type": Code, "message": Message} with x-amzn-ErrorType. Anything that is
// not an *Error becomes InternalErrorException with a logged error id.
package awserr

import (
	"errors"
	"fmt"
)

// Error is an AWS-style client or server error.
type Error struct {
	Code    string // exception name, without namespace
	Message string // client-visible message
	Status  int    // HTTP status
	// Fields are extra members written into the error body next to
	// __type and message (e.g. reasonCode of InvalidParameterException).
	Fields map[string]any
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// New returns an error with the given code, status and message.
func New(code string, status int, msg string) *Error {
	return &Error{Code: code, Message: msg, Status: status}
}

// Newf is New with a formatted message.
func Newf(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

// With returns a copy of e with an extra body member.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Fields = make(map[string]any, len(e.Fields)+1)
	for k, v := range e.Fields {
		c.Fields[k] = v
	}
	c.Fields[key] = value
	return &c
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// Is reports whether err carries the given AWS error code.
func Is(err error, code string) bool {
	e, ok := As(err)
	return ok && e.Code == code
}

// Errors shared by every AWS JSON service, not modelled per operation.
const (
	CodeSerialization       = "SerializationException"
	CodeUnknownOperation    = "UnknownOperationException"
	CodeInternalError       = "InternalErrorException"
	CodeInvalidParameter    = "InvalidParameterException"
	CodeMissingAuthToken    = "MissingAuthenticationTokenException"
	CodeUnrecognizedClient  = "UnrecognizedClientException"
	CodeInvalidSignature    = "InvalidSignatureException"
	CodeIncompleteSignature = "IncompleteSignatureException"
	CodeRequestTooLarge     = "RequestEntityTooLargeException"
)

// Serialization is the error for a body that is not valid JSON or has a
// member of the wrong type.
func Serialization(msg string) *Error { return New(CodeSerialization, 400, msg) }

// InvalidParameter is the common validation error.
func InvalidParameter(msg string) *Error { return New(CodeInvalidParameter, 400, msg) }

// Internal is the 500 error shown to clients for unexpected failures.
func Internal(msg string) *Error { return New(CodeInternalError, 500, msg) }
