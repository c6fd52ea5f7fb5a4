// Package trigger runs a user pool's Lambda triggers (the pool's
// LambdaConfig) the way Cognito does: it builds each trigger's event
// (version, triggerSource, region, userPoolId, userName, callerContext,
// request, response), invokes the function through an Invoker — the AWS
// Lambda Invoke API at a configured endpoint (LambdaInvoker), a plain HTTP
// handler (HTTPInvoker), chosen per function and per pool by a Router — with
// Cognito's 5-second timeout and 3 attempts, and reads the answer.
//
// Errors reach clients as Cognito words them: a function that threw is
// UserLambdaValidationException "<Trigger> failed with error <message>.",
// an answer that is not the event is InvalidLambdaResponseException, a
// function that cannot be invoked (unreachable, timed out, refused by the
// Lambda API) UnexpectedLambdaException.
//
// There is one method per trigger (PreSignUp, PostConfirmation,
// CustomMessage, CustomSender, PreTokenGeneration, PreAuthentication,
// PostAuthentication, DefineAuthChallenge, CreateAuthChallenge,
// VerifyAuthChallengeResponse, UserMigration); each answers (nil, nil) when
// the pool has no such trigger. hooks.go adapts them to the hooks the
// sign-up, user, account, message and token packages expose. The custom
// senders' codes are encrypted as Cognito does (the AWS Encryption SDK
// message format, data key wrapped by KMS Encrypt) or, in the documented
// plaintext mode, sent as they are.
//
// Cognito facts the package relies on are in defaults.go.
package trigger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the package reads: pools (their LambdaConfig) and users
// (the attributes events carry).
type Store interface {
	storage.PoolStore
	storage.UserStore
}

// Config holds the Service's dependencies. Invoker and Store are required.
type Config struct {
	Invoker Invoker
	Store   Store
	// Region is the events' region (the server's).
	Region string
	// Timeout bounds one attempt (default DefaultTimeout); Attempts is how
	// many attempts an invocation failure gets (default DefaultAttempts).
	Timeout  time.Duration
	Attempts int
	// Codes encrypts the custom senders' codes. Nil: plaintext mode (the
	// code is sent as it is).
	Codes CodeEncrypter
	Clock clock.Clock
	// Logger gets a line per failed invocation (never the event).
	Logger *slog.Logger
}

// Service invokes a pool's triggers. It is safe for concurrent use.
type Service struct {
	inv      Invoker
	store    Store
	region   string
	timeout  time.Duration
	attempts int
	codes    CodeEncrypter
	clock    clock.Clock
	log      *slog.Logger
}

// New returns a Service; it panics without an Invoker or a Store (a wiring
// mistake).
func New(cfg Config) *Service {
	if cfg.Invoker == nil || cfg.Store == nil {
		panic("trigger: Config.Invoker and Store are required")
	}
	s := &Service{
		inv: cfg.Invoker, store: cfg.Store, region: cfg.Region,
		timeout: cfg.Timeout, attempts: cfg.Attempts, codes: cfg.Codes,
		clock: cfg.Clock, log: cfg.Logger,
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.attempts <= 0 {
		s.attempts = DefaultAttempts
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Caller is who raised an event: the app client ("" for an administrator
// operation, which events show as CLIENT_ID_NOT_APPLICABLE) and the
// request's ClientMetadata.
type Caller struct {
	ClientID       string
	ClientMetadata map[string]string
}

// callerContext is the event's callerContext for c in ctx's request.
func callerContext(ctx context.Context, c Caller) CallerContext {
	id := c.ClientID
	if id == "" {
		id = clientIDNotApplicable
	}
	return CallerContext{AWSSDKVersion: sdkVersion(awsjson.Info(ctx).UserAgent), ClientID: id}
}

// sdkProduct finds an AWS SDK's product token in a User-Agent:
// aws-sdk-js/3.1169.0, aws-sdk-go-v2/1.47.7, aws-sdk-java/2.x, Boto3/1.34.
var sdkProduct = regexp.MustCompile(`(?i)\b(aws-sdk-[a-z0-9-]+|boto3|botocore|aws-cli)/([0-9][0-9A-Za-z.\-]*)`)

// sdkVersion is callerContext.awsSdkVersion for a User-Agent:
// "aws-sdk-{name}-{version}".
func sdkVersion(ua string) string {
	m := sdkProduct.FindStringSubmatch(ua)
	if m == nil {
		return unknownSDKVersion
	}
	name := m[1]
	switch {
	case len(name) > 8 && name[:8] == "aws-sdk-":
		name = name[8:]
	}
	return "aws-sdk-" + lower(name) + "-" + m[2]
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// pool loads a pool's settings (ResourceNotFoundException when it is gone).
func (s *Service) pool(ctx context.Context, poolID string) (*cognitoidp.UserPoolType, error) {
	return pools.Load(ctx, s.store, poolID)
}

// lambdaConfig is a pool's LambdaConfig, never nil.
func lambdaConfig(pool *cognitoidp.UserPoolType) *cognitoidp.LambdaConfigType {
	if pool == nil || pool.LambdaConfig == nil {
		return &cognitoidp.LambdaConfigType{}
	}
	return pool.LambdaConfig
}

// arnOf returns a trigger's function ARN, "" when unset.
func arnOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// call invokes one trigger with ev and decodes the function's answer into
// out (the event with the response filled in). The errors are Cognito's
// (see the package doc).
func call[Req, Resp any](ctx context.Context, s *Service, name, arn string, ev *Event[Req, Resp], out *Resp) error {
	ev.Region = s.region
	payload, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("trigger: encoding a %s event: %w", name, err)
	}
	answer, err := s.invoke(ctx, &Request{
		PoolID: ev.UserPoolID, Function: arn, Trigger: name, Source: ev.TriggerSource, Payload: payload,
	})
	if err != nil {
		return s.mapError(ctx, name, arn, err)
	}
	return decodeAnswer(answer, out)
}

// invoke runs req with the timeout and retries of the Service.
func (s *Service) invoke(ctx context.Context, req *Request) ([]byte, error) {
	var err error
	for attempt := 1; attempt <= s.attempts; attempt++ {
		actx, cancel := context.WithTimeout(ctx, s.timeout)
		var answer []byte
		answer, err = s.inv.Invoke(actx, req)
		cancel()
		if err == nil {
			return answer, nil
		}
		if !retryable(err) || ctx.Err() != nil {
			return nil, err
		}
	}
	return nil, err
}

// mapError turns an invocation error into the client's exception.
func (s *Service) mapError(ctx context.Context, name, arn string, err error) error {
	var fe *FunctionError
	if errors.As(err, &fe) {
		return cognitoidp.NewUserLambdaValidationException(fmt.Sprintf(msgFunctionError, name, fe.Message))
	}
	s.log.WarnContext(ctx, "trigger invocation failed", "trigger", name, "function", arn, "err", err)
	reason := reasonUnreachable
	var ie *InvokeError
	if errors.As(err, &ie) && ie.Reason != "" {
		reason = ie.Reason
	}
	return cognitoidp.NewUnexpectedLambdaException(fmt.Sprintf(msgInvocationFailed, name, reason))
}

// decodeAnswer reads a function's answer: JSON, an object, whose response
// member (absent or null: the empty response) has the trigger's shape.
func decodeAnswer[Resp any](answer []byte, out *Resp) error {
	var raw any
	if err := jsonUnmarshal(answer, &raw); err != nil {
		return cognitoidp.NewInvalidLambdaResponseException(msgInvalidJSON)
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return cognitoidp.NewInvalidLambdaResponseException(msgUnrecognizable)
	}
	resp, ok := obj["response"]
	if !ok || resp == nil {
		return nil
	}
	if _, ok := resp.(map[string]any); !ok {
		return cognitoidp.NewInvalidLambdaResponseException(msgUnrecognizable)
	}
	var env struct {
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal(answer, &env); err != nil {
		return cognitoidp.NewInvalidLambdaResponseException(msgUnrecognizable)
	}
	if err := json.Unmarshal(env.Response, out); err != nil {
		return cognitoidp.NewInvalidLambdaResponseException(msgUnrecognizable)
	}
	return nil
}

// userAttributes is a user's attributes as events show them: every
// attribute, sub, and cognito:user_status.
func userAttributes(u *storage.User) Attributes {
	m := make(Attributes, len(u.Attributes)+2)
	for k, v := range u.Attributes {
		m[k] = v
	}
	m["sub"] = u.Sub
	m["cognito:user_status"] = u.Status
	return m
}

func ptr[T any](v T) *T { return &v }
