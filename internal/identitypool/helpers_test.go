package identitypool

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	region    = "us-east-1"
	account   = "123456789012"
	userPool  = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
	clientID  = "3n4b5urk1ft4fl3mg5e62d9ado"
	authRole  = "arn:aws:iam::123456789012:role/Cognito_Auth"
	unauthRol = "arn:aws:iam::123456789012:role/Cognito_Unauth"
	oidcARN   = "arn:aws:iam::123456789012:oidc-provider/login.example.com"
	samlARN   = "arn:aws:iam::123456789012:saml-provider/Corp"
	missingID = "us-east-1:00000000-0000-0000-0000-000000000000"
)

type env struct {
	svc   *Service
	store *sqlstore.Store
	clock *clock.Fake
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	return &env{svc: New(Config{Store: st, Clock: clk, Region: region, AccountID: account}), store: st, clock: clk}
}

func ptrTo[T any](v T) *T { return &v }

// create makes a pool with a user pool provider and returns its id.
func (e *env) create(t *testing.T, in *cognitoidentity.CreateIdentityPoolInput) *cognitoidentity.IdentityPool {
	t.Helper()
	if in == nil {
		in = &cognitoidentity.CreateIdentityPoolInput{
			IdentityPoolName: ptrTo("MyIdentityPool"),
			CognitoIdentityProviders: []cognitoidentity.CognitoIdentityProvider{
				{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID)},
			},
		}
	}
	out, err := e.svc.CreateIdentityPool(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateIdentityPool: %v", err)
	}
	return out
}

func (e *env) describe(t *testing.T, id string) *cognitoidentity.IdentityPool {
	t.Helper()
	out, err := e.svc.DescribeIdentityPool(context.Background(), &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: ptrTo(id)})
	if err != nil {
		t.Fatalf("DescribeIdentityPool: %v", err)
	}
	return out
}

// wantErr checks err is the AWS error code with exactly msg ("" skips the message).
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

func notFoundMsg(id string) string { return "IdentityPool '" + id + "' not found." }

// The server hands the service its storage.Store.
var _ Store = storage.Store(nil)
