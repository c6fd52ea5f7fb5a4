package clients

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

var (
	clientIDRe     = regexp.MustCompile(`^[a-z0-9]{26}$`)
	clientSecretRe = regexp.MustCompile(`^[a-z0-9]{51}$`)
)

func TestCreateMinimalClientDefaults(t *testing.T) {
	e := newEnv(t)
	created := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ClientName: api.Ptr("web")})
	id := api.Deref(created.ClientId)
	if !clientIDRe.MatchString(id) {
		t.Fatalf("ClientId %q is not 26 lowercase alphanumerics", id)
	}
	if created.ClientSecret != nil {
		t.Fatalf("public client has a secret")
	}
	golden(t, "create_minimal.json", &cognitoidp.CreateUserPoolClientResponse{UserPoolClient: created}, map[string]string{id: "CLIENT_ID"})
	golden(t, "describe_minimal.json", &cognitoidp.DescribeUserPoolClientResponse{UserPoolClient: e.describe(t, id)}, map[string]string{id: "CLIENT_ID"})
}

func TestCreateGeneratedSecret(t *testing.T) {
	e := newEnv(t)
	created := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ClientName: api.Ptr("server"), GenerateSecret: true})
	id, secret := api.Deref(created.ClientId), api.Deref(created.ClientSecret)
	if !clientSecretRe.MatchString(secret) {
		t.Fatalf("ClientSecret %q does not look like a Cognito secret", secret)
	}
	d := e.describe(t, id)
	if api.Deref(d.ClientSecret) != secret {
		t.Fatalf("Describe shows secret %q, want the created one", api.Deref(d.ClientSecret))
	}
	golden(t, "describe_secret.json", &cognitoidp.DescribeUserPoolClientResponse{UserPoolClient: d}, map[string]string{id: "CLIENT_ID", secret: "CLIENT_SECRET"})
}

func TestCreateCustomSecret(t *testing.T) {
	e := newEnv(t)
	const mine = "my_own_client_secret_0123456789"
	created := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ClientSecret: api.Ptr(mine)})
	if got := api.Deref(created.ClientSecret); got != mine {
		t.Fatalf("ClientSecret = %q, want %q", got, mine)
	}
	_, err := e.svc.CreateUserPoolClient(context.Background(), &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("x"), GenerateSecret: true, ClientSecret: api.Ptr(mine),
	})
	wantErr(t, err, "InvalidParameterException", msgSecretAndGenerate)
}

func TestCreateUnknownPool(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.CreateUserPoolClient(context.Background(), &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr("us-east-1_Nope12345"), ClientName: api.Ptr("x"),
	})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Nope12345 does not exist.")
}

func TestCreateEchoesSettings(t *testing.T) {
	e := newEnv(t)
	in := &cognitoidp.CreateUserPoolClientRequest{
		GenerateSecret:       true,
		RefreshTokenValidity: 10,
		AccessTokenValidity:  api.Ptr(int32(60)),
		IdTokenValidity:      api.Ptr(int32(60)),
		TokenValidityUnits: &cognitoidp.TokenValidityUnitsType{
			AccessToken: api.Ptr(cognitoidp.TimeUnitsTypeMinutes), IdToken: api.Ptr(cognitoidp.TimeUnitsTypeMinutes), RefreshToken: api.Ptr(cognitoidp.TimeUnitsTypeDays),
		},
		ReadAttributes:                  []string{"email", "phone_number", "email_verified", "phone_number_verified"},
		WriteAttributes:                 []string{"email", "phone_number"},
		ExplicitAuthFlows:               []cognitoidp.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		SupportedIdentityProviders:      []string{"COGNITO"},
		CallbackURLs:                    []string{"https://www.amazon.com", "https://example.com", "http://localhost:8001", "myapp://example"},
		LogoutURLs:                      []string{"https://example.com/bye"},
		DefaultRedirectURI:              api.Ptr("https://example.com"),
		AllowedOAuthFlows:               []cognitoidp.OAuthFlowType{"code", "implicit"},
		AllowedOAuthScopes:              []string{"openid", "profile", "aws.cognito.signin.user.admin", "solar-system-data/asteroids.add"},
		AllowedOAuthFlowsUserPoolClient: true,
		AnalyticsConfiguration: &cognitoidp.AnalyticsConfigurationType{
			ApplicationArn: api.Ptr("arn:aws:mobiletargeting:us-west-2:767671399759:apps/example"), UserDataShared: true,
		},
		PreventUserExistenceErrors:               api.Ptr(cognitoidp.PreventUserExistenceErrorTypesEnabled),
		EnableTokenRevocation:                    api.Ptr(true),
		EnablePropagateAdditionalUserContextData: api.Ptr(true),
		AuthSessionValidity:                      api.Ptr(int32(4)),
		RefreshTokenRotation:                     &cognitoidp.RefreshTokenRotationType{Feature: api.Ptr(cognitoidp.FeatureTypeEnabled), RetryGracePeriodSeconds: api.Ptr(int32(10))},
	}
	created := e.create(t, in)
	id, secret := api.Deref(created.ClientId), api.Deref(created.ClientSecret)
	golden(t, "describe_full.json", &cognitoidp.DescribeUserPoolClientResponse{UserPoolClient: e.describe(t, id)}, map[string]string{id: "CLIENT_ID", secret: "CLIENT_SECRET"})
}

func TestCreateLimitPerPool(t *testing.T) {
	if testing.Short() {
		t.Skip("creates many clients")
	}
	e := newEnv(t)
	// Fill the pool to the quota directly through the store, then one more.
	for i := 0; i < MaxClientsPerPool; i++ {
		rec := &storage.Client{PoolID: testPool, ID: fmt.Sprintf("c%025d", i), Name: "x", Settings: []byte("{}"), CreatedAt: t0, UpdatedAt: t0}
		if err := e.store.CreateClient(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.svc.CreateUserPoolClient(context.Background(), &cognitoidp.CreateUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("one too many")})
	wantErr(t, err, "LimitExceededException", "")
}
