package clients

import (
	"context"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestRegisterDCR(t *testing.T) {
	deny := func(c *Config) {
		c.ScopeExists = func(context.Context, string, string) (bool, error) { return false, nil }
	}
	e := newEnv(t, deny)
	ctx := context.Background()

	// The registration scope is system-managed: no resource server needed.
	reg := e.create(t, &cognitoidp.CreateUserPoolClientRequest{
		ClientName: api.Ptr("registrar"), GenerateSecret: true,
		AllowedOAuthFlows: []cognitoidp.OAuthFlowType{cognitoidp.OAuthFlowTypeClientCredentials}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{DCRRegisterScope},
	})
	if api.Deref(reg.ClientType) != ClientTypeRegular {
		t.Fatalf("API client type %v", reg.ClientType)
	}

	dcr, err := e.svc.RegisterDCR(ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("agent"),
		AllowedOAuthFlows: []cognitoidp.OAuthFlowType{cognitoidp.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"https://app.example/cb"},
		SupportedIdentityProviders: []string{ProviderCognito},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.describe(t, api.Deref(dcr.ClientId)); api.Deref(got.ClientType) != ClientTypeDCR {
		t.Fatalf("described type %v", got.ClientType)
	}
	list := func(ct cognitoidp.ClientTypeType) []string {
		out, err := e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(testPool), ClientType: api.Ptr(ct)})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range out.UserPoolClients {
			ids = append(ids, api.Deref(c.ClientId))
		}
		return ids
	}
	if ids := list(ClientTypeDCR); len(ids) != 1 || ids[0] != api.Deref(dcr.ClientId) {
		t.Errorf("DCR filter: %v", ids)
	}
	if ids := list(ClientTypeRegular); len(ids) != 1 || ids[0] != api.Deref(reg.ClientId) {
		t.Errorf("REGULAR filter: %v", ids)
	}

	// An update through the API keeps a registered client DCR.
	up, err := e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientId: dcr.ClientId})
	if err != nil || api.Deref(up.UserPoolClient.ClientType) != ClientTypeDCR {
		t.Errorf("update: %v, %v", up, err)
	}

	// The model's constraints apply to registered clients too.
	_, err = e.svc.RegisterDCR(ctx, &cognitoidp.CreateUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("bad\x00name")})
	if err == nil {
		t.Error("a bad name was accepted")
	}
}
