package e2e

import (
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cogito-dev/cogito/internal/config"
)

// With IAM credentials configured, the server checks the SDK's SigV4
// signatures on IAM-authorized operations and leaves the unsigned ones alone.
func TestSigV4(t *testing.T) {
	c := startWith(t, sqliteBackend.new(t), func(cfg *config.Config) {
		cfg.IAMCredentials = []config.Credential{{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}}
	})

	// The right key: signed calls go through, on both services.
	if _, err := c.IDP.ListUserPools(ctx(t), &idp.ListUserPoolsInput{MaxResults: aws.Int32(5)}); err != nil {
		t.Fatalf("ListUserPools signed with the configured key: %v", err)
	}
	pool := createPool(t, c, "sigv4", nil)
	if _, err := c.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: pool.Id}); err != nil {
		t.Errorf("DescribeUserPool signed with the configured key: %v", err)
	}
	_, err := c.Identity.DescribeIdentityPool(ctx(t), &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: aws.String("bad")})
	wantClientError(t, err, "InvalidParameterException") // past the signature check

	// A wrong secret, an unknown key.
	wrongSecret, wrongSecretIdentity := c.clients(testAccessKey, "not-the-secret")
	_, err = wrongSecret.ListUserPools(ctx(t), &idp.ListUserPoolsInput{MaxResults: aws.Int32(5)})
	wantClientError(t, err, "InvalidSignatureException", "signature")
	_, err = wrongSecretIdentity.ListIdentityPools(ctx(t), &cognitoidentity.ListIdentityPoolsInput{MaxResults: aws.Int32(5)})
	wantClientError(t, err, "InvalidSignatureException")
	unknown, _ := c.clients("AKIDUNKNOWN", testSecretKey)
	_, err = unknown.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: pool.Id})
	wantClientError(t, err, "UnrecognizedClientException")

	// Unsigned operations (the SDK sends InitiateAuth and SignUp anonymously)
	// are never refused for want of a signature.
	for name, call := range map[string]func() error{
		"InitiateAuth": func() error {
			_, err := unknown.InitiateAuth(ctx(t), &idp.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: aws.String("someclient"),
				AuthParameters: map[string]string{"USERNAME": "u", "PASSWORD": "p"}})
			return err
		},
		"SignUp": func() error {
			_, err := unknown.SignUp(ctx(t), &idp.SignUpInput{ClientId: aws.String("someclient"), Username: aws.String("u"), Password: aws.String("Passw0rd!")})
			return err
		},
	} {
		err := call()
		var ae smithy.APIError
		if errors.As(err, &ae) {
			switch ae.ErrorCode() {
			case "MissingAuthenticationTokenException", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException":
				t.Errorf("%s, an unsigned operation, was refused for its signature: %v", name, err)
			}
		}
	}
}

// Concurrent writers (an application's start-up creating its resources in
// parallel) all succeed and get distinct ids.
func TestConcurrentCreates(t *testing.T) {
	c := start(t, sqliteBackend.new(t))
	const n = 12
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		pools   = map[string]bool{}
		clients = map[string]bool{}
	)
	for range n {
		wg.Go(func() {
			out, err := c.IDP.CreateUserPool(ctx(t), &idp.CreateUserPoolInput{PoolName: aws.String(uniq("concurrent"))})
			if err != nil {
				t.Errorf("CreateUserPool: %v", err)
				return
			}
			cl, err := c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: out.UserPool.Id, ClientName: aws.String("app"), GenerateSecret: true})
			if err != nil {
				t.Errorf("CreateUserPoolClient: %v", err)
				return
			}
			mu.Lock()
			pools[aws.ToString(out.UserPool.Id)] = true
			clients[aws.ToString(cl.UserPoolClient.ClientId)] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(pools) != n || len(clients) != n {
		t.Errorf("%d distinct pools and %d distinct clients from %d creations", len(pools), len(clients), n)
	}
	out, err := c.IDP.ListUserPools(ctx(t), &idp.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		t.Fatalf("ListUserPools: %v", err)
	}
	if len(out.UserPools) != n {
		t.Errorf("ListUserPools lists %d pools, want %d", len(out.UserPools), n)
	}
}
