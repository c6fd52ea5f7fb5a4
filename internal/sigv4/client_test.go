package sigv4

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
)

// TestRealClients sends requests from the generated SDK clients users run
// to a server that verifies them, over real HTTP, and checks that a refusal
// reaches the client with AWS's code. The server here is a stand-in for
// internal/server: it only verifies and answers.
func TestRealClients(t *testing.T) {
	now := time.Now().UTC() // the SDK signs with the wall clock
	v := New(map[string]string{testKey: testSecret}, clock.NewFake(now))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		service := "cognito-idp"
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityService.") {
			service = "cognito-identity"
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if err := v.Verify(r, body, service); err != nil {
			e, _ := awserr.As(err)
			w.Header().Set("X-Amzn-ErrorType", e.Code)
			w.WriteHeader(e.Status)
			_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()

	cfg := func(key, secret string) aws.Config {
		return aws.Config{
			Region:       "eu-central-1",
			Credentials:  aws.NewCredentialsCache(staticCreds{key, secret}),
			BaseEndpoint: aws.String(srv.URL),
			HTTPClient:   srv.Client(),
		}
	}
	ctx := context.Background()

	idpClient := cognitoidentityprovider.NewFromConfig(cfg(testKey, testSecret))
	if _, err := idpClient.ListUserPools(ctx, &cognitoidentityprovider.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("cognito-idp ListUserPools: %v", err)
	}
	idClient := cognitoidentity.NewFromConfig(cfg(testKey, testSecret))
	if _, err := idClient.ListIdentityPools(ctx, &cognitoidentity.ListIdentityPoolsInput{MaxResults: aws.Int32(5)}); err != nil {
		t.Fatalf("cognito-identity ListIdentityPools: %v", err)
	}

	for _, c := range []struct {
		key, secret, code string
	}{
		{testKey, "wrong secret", "InvalidSignatureException"},
		{"AKIANOTCONFIGURED", testSecret, "UnrecognizedClientException"},
	} {
		bad := cognitoidentityprovider.NewFromConfig(cfg(c.key, c.secret), func(o *cognitoidentityprovider.Options) {
			o.RetryMaxAttempts = 1
		})
		_, err := bad.ListUserPools(ctx, &cognitoidentityprovider.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode() != c.code {
			t.Fatalf("key %s: error = %v, want %s", c.key, err, c.code)
		}
	}
}

type staticCreds struct{ key, secret string }

func (s staticCreds) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: s.key, SecretAccessKey: s.secret, Source: "test"}, nil
}
