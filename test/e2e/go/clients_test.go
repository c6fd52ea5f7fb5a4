package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func createClient(t *testing.T, c *cogito, in *idp.CreateUserPoolClientInput) *types.UserPoolClientType {
	t.Helper()
	needs(t, "CreateUserPoolClient")
	if in.ClientName == nil {
		in.ClientName = aws.String(uniq("app"))
	}
	out, err := c.IDP.CreateUserPoolClient(ctx(t), in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	if out.UserPoolClient == nil || out.UserPoolClient.ClientId == nil {
		t.Fatalf("CreateUserPoolClient returned no ClientId: %s", asJSON(t, out))
	}
	return out.UserPoolClient
}

func describeClient(t *testing.T, c *cogito, poolID, clientID string) *types.UserPoolClientType {
	t.Helper()
	out, err := c.IDP.DescribeUserPoolClient(ctx(t), &idp.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: &clientID})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient: %v", err)
	}
	if out.UserPoolClient == nil {
		t.Fatal("DescribeUserPoolClient returned no UserPoolClient")
	}
	return out.UserPoolClient
}

// checkClientDefaults checks what Cognito documents for a client created
// without token settings.
func checkClientDefaults(t *testing.T, cl *types.UserPoolClientType) {
	t.Helper()
	if id := aws.ToString(cl.ClientId); !clientIDPattern.MatchString(id) || len(id) > 128 {
		t.Errorf("ClientId %q does not match %s", id, clientIDPattern)
	}
	if !near(cl.CreationDate, 5*time.Minute) || !near(cl.LastModifiedDate, 5*time.Minute) {
		t.Errorf("CreationDate %v / LastModifiedDate %v not near now", cl.CreationDate, cl.LastModifiedDate)
	}
	if cl.RefreshTokenValidity != 30 {
		t.Errorf("RefreshTokenValidity = %d, want 30 (days)", cl.RefreshTokenValidity)
	}
	if aws.ToInt32(cl.AuthSessionValidity) != 3 {
		t.Errorf("AuthSessionValidity = %v, want 3 (minutes)", cl.AuthSessionValidity)
	}
	if !aws.ToBool(cl.EnableTokenRevocation) {
		t.Errorf("EnableTokenRevocation = %v, want true", cl.EnableTokenRevocation)
	}
	if aws.ToBool(cl.AllowedOAuthFlowsUserPoolClient) {
		t.Errorf("AllowedOAuthFlowsUserPoolClient = true, want false")
	}
}

func testAppClientPublic(t *testing.T, c *cogito) {
	needs(t, "DescribeUserPoolClient", "DeleteUserPoolClient")
	pool := aws.ToString(createPool(t, c, "clients", nil).Id)
	name := uniq("web")
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: &name})
	if aws.ToString(cl.UserPoolId) != pool || aws.ToString(cl.ClientName) != name {
		t.Errorf("client = %s", asJSON(t, cl))
	}
	if cl.ClientSecret != nil {
		t.Errorf("a client created without GenerateSecret has a secret")
	}
	checkClientDefaults(t, cl)

	d := describeClient(t, c, pool, aws.ToString(cl.ClientId))
	if got, want := asJSON(t, d), asJSON(t, cl); got != want {
		t.Errorf("DescribeUserPoolClient differs from the CreateUserPoolClient response:\ndescribe: %s\ncreate: %s", got, want)
	}

	if _, err := c.IDP.DeleteUserPoolClient(ctx(t), &idp.DeleteUserPoolClientInput{UserPoolId: &pool, ClientId: cl.ClientId}); err != nil {
		t.Fatalf("DeleteUserPoolClient: %v", err)
	}
	_, err := c.IDP.DescribeUserPoolClient(ctx(t), &idp.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: cl.ClientId})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.DeleteUserPoolClient(ctx(t), &idp.DeleteUserPoolClientInput{UserPoolId: &pool, ClientId: cl.ClientId})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testAppClientWithSecret(t *testing.T, c *cogito) {
	needs(t, "DescribeUserPoolClient", "UpdateUserPoolClient")
	pool := aws.ToString(createPool(t, c, "secret", nil).Id)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool, GenerateSecret: true})
	secret := aws.ToString(cl.ClientSecret)
	if len(secret) < 24 || len(secret) > 64 || !clientIDPattern.MatchString(secret) {
		t.Errorf("generated ClientSecret %q: want 24-64 characters of [\\w+]", secret)
	}
	checkClientDefaults(t, cl)
	d := describeClient(t, c, pool, aws.ToString(cl.ClientId))
	if aws.ToString(d.ClientSecret) != secret {
		t.Errorf("DescribeUserPoolClient ClientSecret = %q, want the generated %q", aws.ToString(d.ClientSecret), secret)
	}
	// An update keeps the secret.
	if _, err := c.IDP.UpdateUserPoolClient(ctx(t), &idp.UpdateUserPoolClientInput{UserPoolId: &pool, ClientId: cl.ClientId, ClientName: aws.String("renamed")}); err != nil {
		t.Fatalf("UpdateUserPoolClient: %v", err)
	}
	if d := describeClient(t, c, pool, aws.ToString(cl.ClientId)); aws.ToString(d.ClientSecret) != secret || aws.ToString(d.ClientName) != "renamed" {
		t.Errorf("after update: name %q secret %q, want renamed and the original secret", aws.ToString(d.ClientName), aws.ToString(d.ClientSecret))
	}

	// A secret of the caller's choosing.
	custom := "CustomSecretValue1234567890abcdefXYZ"
	cl2 := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool, ClientSecret: &custom})
	if got := aws.ToString(describeClient(t, c, pool, aws.ToString(cl2.ClientId)).ClientSecret); got != custom {
		t.Errorf("client created with ClientSecret has secret %q, want %q", got, custom)
	}
	// Two clients never share an id.
	if aws.ToString(cl2.ClientId) == aws.ToString(cl.ClientId) {
		t.Errorf("two clients got the same id %s", aws.ToString(cl.ClientId))
	}
}

func testAppClientOptionsAndUpdate(t *testing.T, c *cogito) {
	needs(t, "DescribeUserPoolClient", "UpdateUserPoolClient")
	pool := aws.ToString(createPool(t, c, "options", nil).Id)
	in := &idp.CreateUserPoolClientInput{
		UserPoolId: &pool,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
		AccessTokenValidity:  aws.Int32(2),
		IdTokenValidity:      aws.Int32(90),
		RefreshTokenValidity: 10,
		TokenValidityUnits: &types.TokenValidityUnitsType{
			AccessToken: types.TimeUnitsTypeHours, IdToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeDays,
		},
		AuthSessionValidity:             aws.Int32(10),
		CallbackURLs:                    []string{"https://app.example.com/callback", "http://localhost:3000/cb"},
		LogoutURLs:                      []string{"https://app.example.com/bye"},
		DefaultRedirectURI:              aws.String("https://app.example.com/callback"),
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeCode},
		AllowedOAuthScopes:              []string{"openid", "email"},
		AllowedOAuthFlowsUserPoolClient: true,
		SupportedIdentityProviders:      []string{"COGNITO"},
		PreventUserExistenceErrors:      types.PreventUserExistenceErrorTypesEnabled,
		ReadAttributes:                  []string{"email", "name"},
		WriteAttributes:                 []string{"name"},
		EnableTokenRevocation:           aws.Bool(false),
	}
	cl := createClient(t, c, in)
	check := func(what string, cl *types.UserPoolClientType) {
		t.Helper()
		if !slices.Equal(cl.ExplicitAuthFlows, in.ExplicitAuthFlows) {
			t.Errorf("%s: ExplicitAuthFlows = %v", what, cl.ExplicitAuthFlows)
		}
		if aws.ToInt32(cl.AccessTokenValidity) != 2 || aws.ToInt32(cl.IdTokenValidity) != 90 || cl.RefreshTokenValidity != 10 {
			t.Errorf("%s: validities %v/%v/%d, want 2/90/10", what, cl.AccessTokenValidity, cl.IdTokenValidity, cl.RefreshTokenValidity)
		}
		if u := cl.TokenValidityUnits; u == nil || u.AccessToken != types.TimeUnitsTypeHours || u.IdToken != types.TimeUnitsTypeMinutes || u.RefreshToken != types.TimeUnitsTypeDays {
			t.Errorf("%s: TokenValidityUnits = %s", what, asJSON(t, u))
		}
		if aws.ToInt32(cl.AuthSessionValidity) != 10 {
			t.Errorf("%s: AuthSessionValidity = %v", what, cl.AuthSessionValidity)
		}
		if !slices.Equal(cl.CallbackURLs, in.CallbackURLs) || !slices.Equal(cl.LogoutURLs, in.LogoutURLs) ||
			aws.ToString(cl.DefaultRedirectURI) != "https://app.example.com/callback" {
			t.Errorf("%s: CallbackURLs %v LogoutURLs %v DefaultRedirectURI %v", what, cl.CallbackURLs, cl.LogoutURLs, aws.ToString(cl.DefaultRedirectURI))
		}
		if !slices.Equal(cl.AllowedOAuthFlows, in.AllowedOAuthFlows) || !slices.Equal(cl.AllowedOAuthScopes, in.AllowedOAuthScopes) ||
			!aws.ToBool(cl.AllowedOAuthFlowsUserPoolClient) || !slices.Equal(cl.SupportedIdentityProviders, in.SupportedIdentityProviders) {
			t.Errorf("%s: OAuth settings = %s", what, asJSON(t, cl))
		}
		if cl.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesEnabled {
			t.Errorf("%s: PreventUserExistenceErrors = %q", what, cl.PreventUserExistenceErrors)
		}
		if !slices.Contains(cl.ReadAttributes, "email") || !slices.Contains(cl.ReadAttributes, "name") || !slices.Equal(cl.WriteAttributes, in.WriteAttributes) {
			t.Errorf("%s: ReadAttributes %v WriteAttributes %v", what, cl.ReadAttributes, cl.WriteAttributes)
		}
		if aws.ToBool(cl.EnableTokenRevocation) {
			t.Errorf("%s: EnableTokenRevocation = true, want false", what)
		}
	}
	check("CreateUserPoolClient", cl)
	check("DescribeUserPoolClient", describeClient(t, c, pool, aws.ToString(cl.ClientId)))

	time.Sleep(1100 * time.Millisecond) // so LastModifiedDate can move on a clock with second resolution
	upd, err := c.IDP.UpdateUserPoolClient(ctx(t), &idp.UpdateUserPoolClientInput{
		UserPoolId: &pool, ClientId: cl.ClientId,
		ClientName: aws.String("mobile"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
		AccessTokenValidity: aws.Int32(30),
		TokenValidityUnits:  &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes},
	})
	if err != nil {
		t.Fatalf("UpdateUserPoolClient: %v", err)
	}
	if upd.UserPoolClient == nil || aws.ToString(upd.UserPoolClient.ClientName) != "mobile" {
		t.Errorf("UpdateUserPoolClient response = %s", asJSON(t, upd))
	}
	d := describeClient(t, c, pool, aws.ToString(cl.ClientId))
	if aws.ToString(d.ClientName) != "mobile" {
		t.Errorf("ClientName = %q, want mobile", aws.ToString(d.ClientName))
	}
	if want := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}; !slices.Equal(d.ExplicitAuthFlows, want) {
		t.Errorf("ExplicitAuthFlows = %v, want %v", d.ExplicitAuthFlows, want)
	}
	if aws.ToInt32(d.AccessTokenValidity) != 30 || d.TokenValidityUnits == nil || d.TokenValidityUnits.AccessToken != types.TimeUnitsTypeMinutes {
		t.Errorf("AccessTokenValidity %v units %s, want 30 minutes", d.AccessTokenValidity, asJSON(t, d.TokenValidityUnits))
	}
	// Settings the update omitted are back to their defaults.
	if len(d.CallbackURLs) != 0 || aws.ToBool(d.AllowedOAuthFlowsUserPoolClient) || d.RefreshTokenValidity != 30 {
		t.Errorf("after an update omitting them: CallbackURLs %v, AllowedOAuthFlowsUserPoolClient %v, RefreshTokenValidity %d; want none, false, 30",
			d.CallbackURLs, aws.ToBool(d.AllowedOAuthFlowsUserPoolClient), d.RefreshTokenValidity)
	}
	if !aws.ToTime(d.CreationDate).Equal(aws.ToTime(cl.CreationDate)) || !aws.ToTime(d.LastModifiedDate).After(aws.ToTime(cl.LastModifiedDate)) {
		t.Errorf("dates after update: created %v -> %v, modified %v -> %v", cl.CreationDate, d.CreationDate, cl.LastModifiedDate, d.LastModifiedDate)
	}
}

func testListUserPoolClientsPaging(t *testing.T, c *cogito) {
	needs(t, "ListUserPoolClients")
	pool := aws.ToString(createPool(t, c, "listclients", nil).Id)
	want := map[string]string{}
	for range 5 {
		cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool})
		want[aws.ToString(cl.ClientId)] = aws.ToString(cl.ClientName)
	}
	// A client of another pool never shows up.
	other := aws.ToString(createPool(t, c, "listclients-other", nil).Id)
	createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &other})

	seen := map[string]int{}
	pages := 0
	p := idp.NewListUserPoolClientsPaginator(c.IDP, &idp.ListUserPoolClientsInput{UserPoolId: &pool, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListUserPoolClients: %v", err)
		}
		pages++
		if len(page.UserPoolClients) > 2 {
			t.Errorf("page of %d clients, MaxResults is 2", len(page.UserPoolClients))
		}
		for _, d := range page.UserPoolClients {
			id := aws.ToString(d.ClientId)
			seen[id]++
			if aws.ToString(d.UserPoolId) != pool || aws.ToString(d.ClientName) != want[id] {
				t.Errorf("entry %s", asJSON(t, d))
			}
		}
		if pages > 100 {
			t.Fatal("ListUserPoolClients paging does not end")
		}
	}
	if len(seen) != len(want) {
		t.Errorf("listed %d clients, want %d: %v", len(seen), len(want), seen)
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("client %s listed %d times", id, seen[id])
		}
	}
	// Without MaxResults all five come in one call (the default page is large enough).
	out, err := c.IDP.ListUserPoolClients(ctx(t), &idp.ListUserPoolClientsInput{UserPoolId: &pool})
	if err != nil {
		t.Fatalf("ListUserPoolClients: %v", err)
	}
	if len(out.UserPoolClients) != 5 || out.NextToken != nil {
		t.Errorf("ListUserPoolClients without MaxResults: %d clients, NextToken %v", len(out.UserPoolClients), out.NextToken)
	}
}

func testAppClientErrors(t *testing.T, c *cogito) {
	needs(t, "DescribeUserPoolClient", "UpdateUserPoolClient", "ListUserPoolClients")
	pool := aws.ToString(createPool(t, c, "clienterrs", nil).Id)
	missingPool := "us-east-1_NoSuchPool3"
	_, err := c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: &missingPool, ClientName: aws.String("x")})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.ListUserPoolClients(ctx(t), &idp.ListUserPoolClientsInput{UserPoolId: &missingPool})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.DescribeUserPoolClient(ctx(t), &idp.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: aws.String("nosuchclient0123456789abcd")})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.UpdateUserPoolClient(ctx(t), &idp.UpdateUserPoolClientInput{UserPoolId: &pool, ClientId: aws.String("nosuchclient0123456789abcd")})
	wantClientError(t, err, "ResourceNotFoundException")
	// A client belongs to its pool only.
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool})
	other := aws.ToString(createPool(t, c, "clienterrs-other", nil).Id)
	_, err = c.IDP.DescribeUserPoolClient(ctx(t), &idp.DescribeUserPoolClientInput{UserPoolId: &other, ClientId: cl.ClientId})
	wantClientError(t, err, "ResourceNotFoundException")
	// GenerateSecret and ClientSecret exclude each other.
	_, err = c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{
		UserPoolId: &pool, ClientName: aws.String("both"), GenerateSecret: true, ClientSecret: aws.String("CustomSecretValue1234567890abcdefXYZ"),
	})
	wantClientError(t, err, "InvalidParameterException")
	// Server-side validation the SDK leaves to the service: a too-short custom secret.
	_, err = c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("short"), ClientSecret: aws.String("short")})
	wantClientError(t, err, "InvalidParameterException", "1 validation error detected", "clientSecret")
	// Deleting a pool deletes its clients.
	if _, err := c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &pool}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	_, err = c.IDP.DescribeUserPoolClient(ctx(t), &idp.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: cl.ClientId})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testClientSecrets(t *testing.T, c *cogito) {
	needs(t, "AddUserPoolClientSecret", "DeleteUserPoolClientSecret", "ListUserPoolClientSecrets")
	pool := aws.ToString(createPool(t, c, "secrets", nil).Id)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool, GenerateSecret: true})
	clientID := aws.ToString(cl.ClientId)
	list := func() []types.ClientSecretDescriptorType {
		t.Helper()
		out, err := c.IDP.ListUserPoolClientSecrets(ctx(t), &idp.ListUserPoolClientSecretsInput{UserPoolId: &pool, ClientId: &clientID})
		if err != nil {
			t.Fatalf("ListUserPoolClientSecrets: %v", err)
		}
		for _, s := range out.ClientSecrets {
			if s.ClientSecretValue != nil {
				t.Errorf("ListUserPoolClientSecrets reveals a secret value (%s)", aws.ToString(s.ClientSecretId))
			}
			if !strings.HasPrefix(aws.ToString(s.ClientSecretId), clientID+"--") || !near(s.ClientSecretCreateDate, 5*time.Minute) {
				t.Errorf("secret descriptor %s: want id %s--<epoch> and a creation date", asJSON(t, s), clientID)
			}
		}
		return out.ClientSecrets
	}
	first := list()
	if len(first) != 1 {
		t.Fatalf("a client created with GenerateSecret lists %d secrets, want 1", len(first))
	}

	// A second, generated secret: its value is returned once.
	time.Sleep(1100 * time.Millisecond) // secret ids carry the epoch second of creation
	added, err := c.IDP.AddUserPoolClientSecret(ctx(t), &idp.AddUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &clientID})
	if err != nil {
		t.Fatalf("AddUserPoolClientSecret: %v", err)
	}
	desc := added.ClientSecretDescriptor
	if desc == nil || len(aws.ToString(desc.ClientSecretValue)) < 24 || !strings.HasPrefix(aws.ToString(desc.ClientSecretId), clientID+"--") {
		t.Fatalf("AddUserPoolClientSecret descriptor = %s", asJSON(t, desc))
	}
	if aws.ToString(desc.ClientSecretValue) == aws.ToString(cl.ClientSecret) {
		t.Errorf("the added secret equals the first one")
	}
	if got := list(); len(got) != 2 {
		t.Fatalf("after adding: %d secrets, want 2", len(got))
	}
	// At most two secrets.
	_, err = c.IDP.AddUserPoolClientSecret(ctx(t), &idp.AddUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &clientID})
	if err == nil || httpStatus(err) != 400 {
		t.Errorf("a third secret: got %v, want a client error (at most 2 secrets per client)", err)
	}

	// Delete the first; a custom secret takes its place and its value is not echoed.
	if _, err := c.IDP.DeleteUserPoolClientSecret(ctx(t), &idp.DeleteUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &clientID, ClientSecretId: first[0].ClientSecretId}); err != nil {
		t.Fatalf("DeleteUserPoolClientSecret: %v", err)
	}
	if got := list(); len(got) != 1 || aws.ToString(got[0].ClientSecretId) != aws.ToString(desc.ClientSecretId) {
		t.Fatalf("after deleting the first: %s", asJSON(t, got))
	}
	time.Sleep(1100 * time.Millisecond)
	custom := "RotatedCustomSecret0123456789abcdefABC"
	added2, err := c.IDP.AddUserPoolClientSecret(ctx(t), &idp.AddUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &clientID, ClientSecret: &custom})
	if err != nil {
		t.Fatalf("AddUserPoolClientSecret(custom): %v", err)
	}
	if added2.ClientSecretDescriptor == nil || added2.ClientSecretDescriptor.ClientSecretValue != nil {
		t.Errorf("AddUserPoolClientSecret with a custom value: descriptor %s, want no ClientSecretValue", asJSON(t, added2.ClientSecretDescriptor))
	}
	if got := list(); len(got) != 2 {
		t.Errorf("after adding a custom secret: %d secrets, want 2", len(got))
	}

	// The last secret cannot be deleted.
	if _, err := c.IDP.DeleteUserPoolClientSecret(ctx(t), &idp.DeleteUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &clientID, ClientSecretId: desc.ClientSecretId}); err != nil {
		t.Fatalf("DeleteUserPoolClientSecret: %v", err)
	}
	rest := list()
	if len(rest) != 1 {
		t.Fatalf("after deleting: %d secrets, want 1", len(rest))
	}
	_, err = c.IDP.DeleteUserPoolClientSecret(ctx(t), &idp.DeleteUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &clientID, ClientSecretId: rest[0].ClientSecretId})
	if err == nil || httpStatus(err) != 400 {
		t.Errorf("deleting the last secret: got %v, want a client error", err)
	}
	// Unknown secret id, unknown client.
	_, err = c.IDP.DeleteUserPoolClientSecret(ctx(t), &idp.DeleteUserPoolClientSecretInput{UserPoolId: &pool, ClientId: &clientID, ClientSecretId: aws.String(clientID + "--1")})
	if err == nil || httpStatus(err) != 400 {
		t.Errorf("deleting an unknown secret: got %v, want a client error", err)
	}
	_, err = c.IDP.ListUserPoolClientSecrets(ctx(t), &idp.ListUserPoolClientSecretsInput{UserPoolId: &pool, ClientId: aws.String("nosuchclient0123456789abcd")})
	wantClientError(t, err, "ResourceNotFoundException")
}
