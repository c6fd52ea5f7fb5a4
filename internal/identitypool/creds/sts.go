package creds

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// RoleSessionName is the session name Cognito gives its AssumeRoleWithWebIdentity calls.
const RoleSessionName = "CognitoIdentityCredentials"

// STSConfig configures the STS source; Endpoint and Region are required.
type STSConfig struct {
	Endpoint, Region string
	// AccessKeyID and SecretAccessKey sign the calls when set (the call
	// itself needs no signature).
	AccessKeyID, SecretAccessKey string
	HTTPClient                   *http.Client
	Logger                       *slog.Logger
}

// STS gets credentials from an STS endpoint.
type STS struct {
	client *sts.Client
	log    *slog.Logger
}

// NewSTS returns the STS source.
func NewSTS(cfg STSConfig) *STS {
	opts := sts.Options{
		Region:           cfg.Region,
		BaseEndpoint:     aws.String(cfg.Endpoint),
		RetryMaxAttempts: 2,
		Credentials:      aws.AnonymousCredentials{},
	}
	if cfg.AccessKeyID != "" {
		opts.Credentials = credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, "")
	}
	if cfg.HTTPClient != nil {
		opts.HTTPClient = cfg.HTTPClient
	} else {
		opts.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	s := &STS{client: sts.New(opts), log: cfg.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Messages of refusals of the STS source.
const (
	// msgRoles is Cognito's answer when the role cannot be assumed (observed).
	msgRoles = "Invalid identity pool configuration. Check assigned IAM roles for this pool."
	// msgSTSUnreachable (unverified).
	msgSTSUnreachable = "Unable to reach the Security Token Service."
)

// Credentials assumes r.RoleARN with the identity's OpenID token.
func (s *STS) Credentials(ctx context.Context, r *Request) (*Credentials, error) {
	tok, err := r.WebIdentityToken(ctx)
	if err != nil {
		return nil, err
	}
	out, err := s.client.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(r.RoleARN),
		RoleSessionName:  aws.String(RoleSessionName),
		WebIdentityToken: aws.String(tok),
		DurationSeconds:  aws.Int32(int32(Validity / time.Second)),
	})
	if err != nil {
		var api smithy.APIError
		if errors.As(err, &api) {
			// The STS refused the role or the token: what Cognito reports as a
			// role misconfiguration (a trust policy that does not accept it).
			s.log.WarnContext(ctx, "STS refused AssumeRoleWithWebIdentity", "role", r.RoleARN, "code", api.ErrorCode(), "message", api.ErrorMessage())
			return nil, cognitoidentity.NewInvalidIdentityPoolConfigurationException(msgRoles)
		}
		s.log.ErrorContext(ctx, "calling STS", "err", err)
		return nil, cognitoidentity.NewExternalServiceException(msgSTSUnreachable)
	}
	c := out.Credentials
	if c == nil || c.AccessKeyId == nil || c.SecretAccessKey == nil {
		s.log.ErrorContext(ctx, "STS answered without credentials")
		return nil, cognitoidentity.NewExternalServiceException(msgSTSUnreachable)
	}
	res := &Credentials{AccessKeyID: *c.AccessKeyId, SecretKey: *c.SecretAccessKey, SessionToken: aws.ToString(c.SessionToken)}
	if c.Expiration != nil {
		res.Expiration = *c.Expiration
	}
	return res, nil
}
