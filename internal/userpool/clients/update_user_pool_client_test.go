package clients

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestUpdateResetsOmittedSettings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{
		ClientName:                      api.Ptr("before"),
		GenerateSecret:                  true,
		RefreshTokenValidity:            7,
		AccessTokenValidity:             api.Ptr(int32(2)),
		ReadAttributes:                  []string{"email"},
		WriteAttributes:                 []string{"email", "nickname"},
		ExplicitAuthFlows:               []cognitoidp.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		SupportedIdentityProviders:      []string{"COGNITO"},
		CallbackURLs:                    []string{"https://a.example/cb"},
		AllowedOAuthFlows:               []cognitoidp.OAuthFlowType{"code"},
		AllowedOAuthScopes:              []string{"openid"},
		AllowedOAuthFlowsUserPoolClient: true,
		PreventUserExistenceErrors:      api.Ptr(cognitoidp.PreventUserExistenceErrorTypesEnabled),
		EnableTokenRevocation:           api.Ptr(false),
		AuthSessionValidity:             api.Ptr(int32(10)),
		RefreshTokenRotation:            &cognitoidp.RefreshTokenRotationType{Feature: api.Ptr(cognitoidp.FeatureTypeEnabled)},
	})
	id, secret := api.Deref(c.ClientId), api.Deref(c.ClientSecret)

	e.clock.Advance(90 * time.Second)
	out, err := e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientId: api.Ptr(id), ClientName: api.Ptr("after"),
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "update_reset.json", out, map[string]string{id: "CLIENT_ID", secret: "CLIENT_SECRET"})
	if got := e.describe(t, id); api.Deref(got.ClientName) != "after" || got.LastModifiedDate.Sub(got.CreationDate.Time) != 90*time.Second {
		t.Errorf("after update: name %q, modified %v created %v", api.Deref(got.ClientName), got.LastModifiedDate, got.CreationDate)
	}

	// Leaving ClientName out keeps the name.
	out, err = e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientId: api.Ptr(id), RefreshTokenValidity: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.UserPoolClient.ClientName) != "after" || out.UserPoolClient.RefreshTokenValidity != 5 {
		t.Errorf("name %q refresh %d", api.Deref(out.UserPoolClient.ClientName), out.UserPoolClient.RefreshTokenValidity)
	}
}

func TestUpdateSecretDependentRules(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	public := e.create(t, &cognitoidp.CreateUserPoolClientRequest{})
	confidential := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	cc := func(id *string) error {
		_, err := e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{
			UserPoolId: api.Ptr(testPool), ClientId: id,
			AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []cognitoidp.OAuthFlowType{"client_credentials"}, AllowedOAuthScopes: []string{"api/read"},
		})
		return err
	}
	wantErr(t, cc(public.ClientId), "InvalidOAuthFlowException", msgClientCredentialsNeedsSecret)
	if err := cc(confidential.ClientId); err != nil {
		t.Fatalf("client_credentials on a confidential client: %v", err)
	}
}

func TestUpdateNotFound(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{})
	_, err := e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{UserPoolId: api.Ptr("us-east-1_Missing99"), ClientId: c.ClientId})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Missing99 does not exist.")
	_, err = e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientId: api.Ptr("nosuchclient")})
	wantErr(t, err, "ResourceNotFoundException", "User pool client nosuchclient does not exist.")
	// A client is found only in its own pool.
	_, err = e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{UserPoolId: api.Ptr(otherPool), ClientId: c.ClientId})
	wantErr(t, err, "ResourceNotFoundException", "User pool client "+api.Deref(c.ClientId)+" does not exist.")
}

func TestConcurrentUpdatesAndSecretAdds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{
				UserPoolId: api.Ptr(testPool), ClientId: c.ClientId, AuthSessionValidity: api.Ptr(int32(3 + i)),
			})
			errs <- err
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := e.svc.AddUserPoolClientSecret(ctx, &cognitoidp.AddUserPoolClientSecretRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId})
		errs <- err
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// No update lost the added secret.
	list, err := e.svc.ListUserPoolClientSecrets(ctx, &cognitoidp.ListUserPoolClientSecretsRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.ClientSecrets) != 2 {
		t.Errorf("%d secrets after concurrent updates, want 2", len(list.ClientSecrets))
	}
}
