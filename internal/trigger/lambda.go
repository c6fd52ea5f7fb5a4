package trigger

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
)

// LambdaConfig says where and how the Lambda Invoke API is called.
type LambdaConfig struct {
	// Endpoint is the Lambda API's base URL (LocalStack's
	// http://localhost:4566, SAM local's http://127.0.0.1:3001,
	// serverless-offline's http://localhost:3002). Empty: AWS's endpoint for
	// the function's region.
	Endpoint string
	// Region signs the calls and, without an Endpoint, picks AWS's
	// endpoint. Empty: the region in the function's ARN, else Fallback.
	Region, FallbackRegion string
	// AccessKeyID, SecretAccessKey and SessionToken sign the calls. Empty:
	// placeholder credentials, which local emulators accept.
	AccessKeyID, SecretAccessKey, SessionToken string
	// HTTPClient makes the calls; default http.DefaultClient's transport
	// (each call is bounded by the Service's timeout).
	HTTPClient *http.Client
}

// placeholderKey signs calls when no credentials are configured.
const placeholderKey = "cogito"

// LambdaInvoker invokes functions with the AWS Lambda Invoke API
// (POST /2015-03-31/functions/{name}/invocations), request-response (or
// Event for asynchronous triggers), SigV4-signed with the configured
// credentials, through aws-sdk-go-v2's Lambda client.
type LambdaInvoker struct {
	cfg     LambdaConfig
	mu      sync.Mutex
	clients map[string]*lambda.Client // by region
}

// NewLambdaInvoker returns an invoker for cfg.
func NewLambdaInvoker(cfg LambdaConfig) *LambdaInvoker {
	return &LambdaInvoker{cfg: cfg, clients: map[string]*lambda.Client{}}
}

func (l *LambdaInvoker) client(region string) *lambda.Client {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.clients[region]; ok {
		return c
	}
	key, secret := l.cfg.AccessKeyID, l.cfg.SecretAccessKey
	if key == "" {
		key, secret = placeholderKey, placeholderKey
	}
	awsCfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, l.cfg.SessionToken),
		// The Service retries as Cognito does; the SDK must not add its own.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
	if l.cfg.HTTPClient != nil {
		awsCfg.HTTPClient = l.cfg.HTTPClient
	}
	c := lambda.NewFromConfig(awsCfg, func(o *lambda.Options) {
		if l.cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(l.cfg.Endpoint)
		}
	})
	l.clients[region] = c
	return c
}

// Invoke calls the function. A FunctionError in the answer is a
// *FunctionError; an API error (ResourceNotFoundException,
// AccessDeniedException, throttling, ...) or a transport failure is an
// *InvokeError.
func (l *LambdaInvoker) Invoke(ctx context.Context, req *Request) ([]byte, error) {
	region := l.cfg.Region
	if region == "" {
		region = functionRegion(req.Function)
	}
	if region == "" {
		region = l.cfg.FallbackRegion
	}
	in := &lambda.InvokeInput{
		FunctionName:   aws.String(req.Function),
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        req.Payload,
	}
	if req.Async {
		in.InvocationType = types.InvocationTypeEvent
	}
	out, err := l.client(region).Invoke(ctx, in)
	if err != nil {
		return nil, lambdaError(ctx, err)
	}
	if out.FunctionError != nil {
		return nil, functionErrorFrom(out.Payload)
	}
	return out.Payload, nil
}

// lambdaError classifies an Invoke failure.
func lambdaError(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		return &InvokeError{Reason: reasonTimeout, Retryable: true, Err: err}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		retry := false
		switch ae.ErrorCode() {
		case "TooManyRequestsException", "ServiceException", "EC2ThrottledException",
			"ResourceNotReadyException", "ResourceConflictException":
			retry = true
		}
		if ae.ErrorFault() == smithy.FaultServer {
			retry = true
		}
		return &InvokeError{Reason: ae.ErrorCode(), Retryable: retry, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &InvokeError{Reason: reasonTimeout, Retryable: true, Err: err}
	}
	return &InvokeError{Reason: reasonUnreachable, Retryable: true, Err: err}
}
