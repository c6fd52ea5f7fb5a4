package clients

import (
	"context"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func units(access, id, refresh cognitoidp.TimeUnitsType) *cognitoidp.TokenValidityUnitsType {
	u := &cognitoidp.TokenValidityUnitsType{}
	if access != "" {
		u.AccessToken = &access
	}
	if id != "" {
		u.IdToken = &id
	}
	if refresh != "" {
		u.RefreshToken = &refresh
	}
	return u
}

func TestTokenValidityRanges(t *testing.T) {
	const (
		sec  = cognitoidp.TimeUnitsTypeSeconds
		min  = cognitoidp.TimeUnitsTypeMinutes
		hour = cognitoidp.TimeUnitsTypeHours
		day  = cognitoidp.TimeUnitsTypeDays
	)
	cases := []struct {
		name    string
		in      cognitoidp.CreateUserPoolClientRequest
		ok      bool
		refresh int32 // RefreshTokenValidity shown, when ok
	}{
		{"defaults", cognitoidp.CreateUserPoolClientRequest{}, true, 30},
		{"access 5 minutes", cognitoidp.CreateUserPoolClientRequest{AccessTokenValidity: api.Ptr(int32(5)), TokenValidityUnits: units(min, "", "")}, true, 30},
		{"access 300 seconds", cognitoidp.CreateUserPoolClientRequest{AccessTokenValidity: api.Ptr(int32(300)), TokenValidityUnits: units(sec, "", "")}, true, 30},
		{"access 299 seconds", cognitoidp.CreateUserPoolClientRequest{AccessTokenValidity: api.Ptr(int32(299)), TokenValidityUnits: units(sec, "", "")}, false, 0},
		{"access 4 minutes", cognitoidp.CreateUserPoolClientRequest{AccessTokenValidity: api.Ptr(int32(4)), TokenValidityUnits: units(min, "", "")}, false, 0},
		{"access 24 hours (default unit)", cognitoidp.CreateUserPoolClientRequest{AccessTokenValidity: api.Ptr(int32(24))}, true, 30},
		{"access 25 hours", cognitoidp.CreateUserPoolClientRequest{AccessTokenValidity: api.Ptr(int32(25))}, false, 0},
		{"access 60 read as hours", cognitoidp.CreateUserPoolClientRequest{AccessTokenValidity: api.Ptr(int32(60))}, false, 0},
		{"id 1 day", cognitoidp.CreateUserPoolClientRequest{IdTokenValidity: api.Ptr(int32(1)), TokenValidityUnits: units("", day, "")}, true, 30},
		{"id 2 days", cognitoidp.CreateUserPoolClientRequest{IdTokenValidity: api.Ptr(int32(2)), TokenValidityUnits: units("", day, "")}, false, 0},
		{"refresh 0 means 30 days", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 0}, true, 30},
		{"refresh 0 in hours", cognitoidp.CreateUserPoolClientRequest{TokenValidityUnits: units("", "", hour)}, true, 720},
		{"refresh 3650 days", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 3650}, true, 3650},
		{"refresh 3651 days", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 3651}, false, 0},
		{"refresh 36500 minutes", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 36500, TokenValidityUnits: units("", "", min)}, true, 36500},
		{"refresh 60 minutes", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 60, TokenValidityUnits: units("", "", min)}, true, 60},
		{"refresh 59 minutes", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 59, TokenValidityUnits: units("", "", min)}, false, 0},
		{"access outlives refresh", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 60, AccessTokenValidity: api.Ptr(int32(2)), TokenValidityUnits: units(hour, "", min)}, false, 0},
		{"id outlives refresh", cognitoidp.CreateUserPoolClientRequest{RefreshTokenValidity: 1, IdTokenValidity: api.Ptr(int32(2)), TokenValidityUnits: units("", hour, hour)}, false, 0},
		{"bad unit", cognitoidp.CreateUserPoolClientRequest{TokenValidityUnits: units("weeks", "", "")}, false, 0},
	}
	e := newEnv(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.UserPoolId, in.ClientName = api.Ptr(testPool), api.Ptr("x")
			out, err := e.svc.CreateUserPoolClient(context.Background(), &in)
			if !c.ok {
				wantErr(t, err, "InvalidParameterException", "Invalid range for token validity.")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := out.UserPoolClient.RefreshTokenValidity; got != c.refresh {
				t.Errorf("RefreshTokenValidity = %d, want %d", got, c.refresh)
			}
		})
	}
}

func TestExplicitAuthFlows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	legacy := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{"USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}})
	if got := legacy.ExplicitAuthFlows; len(got) != 2 || got[0] != "USER_PASSWORD_AUTH" || got[1] != "ADMIN_NO_SRP_AUTH" {
		t.Errorf("legacy flows = %v, want them as sent", got)
	}
	empty := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{}})
	if len(empty.ExplicitAuthFlows) != 3 {
		t.Errorf("empty list gave %v, want the default set", empty.ExplicitAuthFlows)
	}

	_, err := e.svc.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("x"),
		ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{"USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"},
	})
	wantErr(t, err, "InvalidParameterException", msgMixedAuthFlows)

	_, err = e.svc.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(litePool), ClientName: api.Ptr("x"),
		ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{"ALLOW_USER_AUTH"},
	})
	wantErr(t, err, "FeatureUnavailableInTierException", msgUserAuthTier)

	out, err := e.svc.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("x"),
		ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	})
	if err != nil || len(out.UserPoolClient.ExplicitAuthFlows) != 2 {
		t.Fatalf("ALLOW_USER_AUTH on an Essentials pool: %v", err)
	}
}

func TestAttributePermissions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	create := func(read, write []string) error {
		_, err := e.svc.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
			UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("x"), ReadAttributes: read, WriteAttributes: write,
		})
		return err
	}
	const readMsg = "Invalid read attributes specified while creating a client"
	const writeMsg = "Invalid write attributes specified while creating a client"
	if err := create([]string{"email", "email_verified", "custom:tier", "custom:tenant", "sub"}, []string{"email", "custom:tier", "custom:tenant", "email_verified"}); err != nil {
		t.Fatalf("valid attributes refused: %v", err)
	}
	wantErr(t, create([]string{"email", "favourite_colour"}, nil), "InvalidParameterException", readMsg)
	wantErr(t, create([]string{"custom:nope"}, nil), "InvalidParameterException", readMsg)
	wantErr(t, create([]string{"dev:custom:internal"}, nil), "InvalidParameterException", readMsg)
	wantErr(t, create(nil, []string{"email", "custom:nope"}), "InvalidParameterException", writeMsg)
	wantErr(t, create(nil, []string{"email", "sub"}), "InvalidParameterException", writeMsg)
	wantErr(t, create(nil, []string{"email", "dev:custom:internal"}), "InvalidParameterException", writeMsg)
	// email is required in the test pool: a client that lists write attributes must include it.
	wantErr(t, create(nil, []string{"given_name"}), "InvalidParameterException", writeMsg)

	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{})
	_, err := e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientId: c.ClientId, WriteAttributes: []string{"nickname"},
	})
	wantErr(t, err, "InvalidParameterException", "Invalid write attributes specified while updating a client")
	_, err = e.svc.UpdateUserPoolClient(ctx, &cognitoidp.UpdateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientId: c.ClientId, ReadAttributes: []string{"nope"},
	})
	wantErr(t, err, "InvalidParameterException", "Invalid read attributes specified while updating a client")
}

func TestSupportedIdentityProviders(t *testing.T) {
	known := map[string]bool{"Google": true, "MySAML": true}
	e := newEnv(t, func(c *Config) {
		c.ProviderExists = func(_ context.Context, poolID, name string) (bool, error) {
			return poolID == testPool && known[name], nil
		}
	})
	ctx := context.Background()
	out := e.create(t, &cognitoidp.CreateUserPoolClientRequest{SupportedIdentityProviders: []string{"COGNITO", "Google", "MySAML"}})
	if len(out.SupportedIdentityProviders) != 3 {
		t.Errorf("SupportedIdentityProviders = %v", out.SupportedIdentityProviders)
	}
	_, err := e.svc.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("x"), SupportedIdentityProviders: []string{"COGNITO", "Facebook"},
	})
	wantErr(t, err, "InvalidParameterException", "The provider Facebook does not exist for User Pool us-east-1_TestPool1.")

	// Without the identity-provider family wired in, only COGNITO exists.
	bare := newEnv(t)
	_, err = bare.svc.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("x"), SupportedIdentityProviders: []string{"Google"},
	})
	wantErr(t, err, "InvalidParameterException", "The provider Google does not exist for User Pool us-east-1_TestPool1.")
}

func TestOAuthValidation(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.ScopeExists = func(_ context.Context, _ string, scope string) (bool, error) {
			return scope == "https://api.example.com/read" || scope == "orders/write", nil
		}
	})
	ctx := context.Background()
	type req = cognitoidp.CreateUserPoolClientRequest
	flows := func(f ...cognitoidp.OAuthFlowType) []cognitoidp.OAuthFlowType { return f }
	cases := []struct {
		name      string
		in        req
		code, msg string // "" = accepted
	}{
		{"code flow", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{"https://app.example.com/cb"}}, "", ""},
		{"no flows", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"https://a.example/cb"}},
			"InvalidParameterException", msgOAuthFlowsAndScopesRequired},
		{"no scopes", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), CallbackURLs: []string{"https://a.example/cb"}},
			"InvalidParameterException", msgOAuthFlowsAndScopesRequired},
		{"no callback", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("implicit"), AllowedOAuthScopes: []string{"openid"}},
			"InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected"},
		{"client_credentials without secret", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("client_credentials"), AllowedOAuthScopes: []string{"orders/write"}},
			"InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret."},
		{"client_credentials", req{GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("client_credentials"), AllowedOAuthScopes: []string{"orders/write", "https://api.example.com/read"}}, "", ""},
		{"client_credentials with code", req{GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("client_credentials", "code"), AllowedOAuthScopes: []string{"orders/write"}, CallbackURLs: []string{"https://a.example/cb"}},
			"InvalidOAuthFlowException", msgClientCredentialsMixed},
		{"client_credentials with openid", req{GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("client_credentials"), AllowedOAuthScopes: []string{"orders/write", "openid"}},
			"InvalidOAuthFlowException", "openid is not supported with client_credentials flow"},
		{"unknown system-looking scope", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"Cognito"}, CallbackURLs: []string{"https://a.example/cb"}},
			"ScopeDoesNotExistException", "Invalid scope requested: Cognito"},
		{"undefined custom scope", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"orders/read"}, CallbackURLs: []string{"https://a.example/cb"}},
			"ScopeDoesNotExistException", "Invalid scope requested: orders/read"},
		{"http callback", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"http://localhost.com/"}},
			"InvalidParameterException", "http://localhost.com/ cannot use the HTTP protocol."},
		{"http loopback callbacks", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"openid"},
			CallbackURLs: []string{"http://localhost", "http://localhost:3000/cb", "http://127.0.0.1:8080/x", "http://[::1]:9/y", "myapp://example", "com.example.app:/oauth"}}, "", ""},
		{"http logout", req{LogoutURLs: []string{"http://example.com/bye"}}, "InvalidParameterException", "http://example.com/bye cannot use the HTTP protocol."},
		{"fragment", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"https://a.example/cb#frag"}},
			"InvalidParameterException", "https://a.example/cb#frag must not contain a fragment."},
		{"relative", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"/cb"}},
			"InvalidParameterException", "/cb is not a valid absolute URL."},
		{"default redirect listed", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"https://a.example/cb", "https://b.example/cb"}, DefaultRedirectURI: api.Ptr("https://b.example/cb")}, "", ""},
		{"default redirect not listed", req{AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows("code"), AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{"https://a.example/cb"}, DefaultRedirectURI: api.Ptr("https://b.example/cb")},
			"InvalidParameterException", msgDefaultRedirectNotInCallbacks},
		{"context data without secret", req{EnablePropagateAdditionalUserContextData: api.Ptr(true)}, "InvalidParameterException", msgContextDataNeedsSecret},
		{"context data with secret", req{GenerateSecret: true, EnablePropagateAdditionalUserContextData: api.Ptr(true)}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.UserPoolId, in.ClientName = api.Ptr(testPool), api.Ptr("x")
			_, err := e.svc.CreateUserPoolClient(ctx, &in)
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantErr(t, err, c.code, c.msg)
		})
	}
}

func TestScopesWithoutResourceServerHook(t *testing.T) {
	e := newEnv(t)
	out := e.create(t, &cognitoidp.CreateUserPoolClientRequest{
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []cognitoidp.OAuthFlowType{"code"},
		AllowedOAuthScopes: []string{"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin", "any-server/any.scope"},
		CallbackURLs:       []string{"https://a.example/cb"},
	})
	if len(out.AllowedOAuthScopes) != 6 {
		t.Errorf("AllowedOAuthScopes = %v", out.AllowedOAuthScopes)
	}
	for _, bad := range []string{"noslash", "/x", "x/"} {
		_, err := e.svc.CreateUserPoolClient(context.Background(), &cognitoidp.CreateUserPoolClientRequest{
			UserPoolId: api.Ptr(testPool), ClientName: api.Ptr("x"), AllowedOAuthScopes: []string{bad},
		})
		wantErr(t, err, "ScopeDoesNotExistException", "Invalid scope requested: "+bad)
	}
}
