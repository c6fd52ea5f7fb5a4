package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestOAuthConfig drives the managed-login and OAuth configuration surface
// with aws-sdk-go-v2: domains, resource servers, identity providers and
// provider links, UI customization and managed login branding.
func TestOAuthConfig(t *testing.T) {
	for _, b := range []backend{sqliteBackend, postgresBackend} {
		t.Run(b.name, func(t *testing.T) { runOAuthConfig(t, start(t, b.new(t))) })
	}
}

func runOAuthConfig(t *testing.T, c *cogito) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, c *cogito)
	}{
		{"Domains", testOAuthDomains},
		{"CustomDomain", testOAuthCustomDomain},
		{"ResourceServers", testOAuthResourceServers},
		{"IdentityProviders", testOAuthIdentityProviders},
		{"ProviderLinks", testOAuthProviderLinks},
		{"UICustomization", testOAuthUICustomization},
		{"ManagedLoginBranding", testOAuthManagedLoginBranding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, c)
		})
	}
}

func testOAuthDomains(t *testing.T, c *cogito) {
	id := aws.ToString(createPool(t, c, "domains", nil).Id)
	other := aws.ToString(createPool(t, c, "domains-other", nil).Id)
	prefix := uniq("login")
	out, err := c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &id, Domain: &prefix})
	if err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	if aws.ToInt32(out.ManagedLoginVersion) != 1 || out.CloudFrontDomain != nil {
		t.Errorf("CreateUserPoolDomain = %s", asJSON(t, out))
	}
	d, err := c.IDP.DescribeUserPoolDomain(ctx(t), &idp.DescribeUserPoolDomainInput{Domain: &prefix})
	if err != nil {
		t.Fatalf("DescribeUserPoolDomain: %v", err)
	}
	dd := d.DomainDescription
	if aws.ToString(dd.UserPoolId) != id || aws.ToString(dd.Domain) != prefix || dd.Status != types.DomainStatusTypeActive ||
		!strings.HasSuffix(aws.ToString(dd.CloudFrontDistribution), ".cloudfront.net") || aws.ToString(dd.AWSAccountId) == "" {
		t.Errorf("DescribeUserPoolDomain = %s", asJSON(t, dd))
	}
	if p := describePool(t, c, id); aws.ToString(p.Domain) != prefix || p.CustomDomain != nil {
		t.Errorf("DescribeUserPool Domain = %v, CustomDomain = %v", p.Domain, p.CustomDomain)
	}
	// A domain nobody has describes as empty.
	d, err = c.IDP.DescribeUserPoolDomain(ctx(t), &idp.DescribeUserPoolDomainInput{Domain: aws.String(uniq("free"))})
	if err != nil || d.DomainDescription == nil || d.DomainDescription.UserPoolId != nil {
		t.Errorf("DescribeUserPoolDomain of a free name = %s, %v", asJSON(t, d), err)
	}

	_, err = c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &other, Domain: &prefix})
	wantClientError(t, err, "InvalidParameterException", "Domain already associated with another user pool.")
	_, err = c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &id, Domain: aws.String(uniq("second"))})
	wantClientError(t, err, "InvalidParameterException", "User pool already has a domain configured.")
	_, err = c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &other, Domain: aws.String(uniq("my-aws"))})
	wantClientError(t, err, "InvalidParameterException", "Domain cannot contain reserved word: aws")

	u, err := c.IDP.UpdateUserPoolDomain(ctx(t), &idp.UpdateUserPoolDomainInput{UserPoolId: &id, Domain: &prefix, ManagedLoginVersion: aws.Int32(2)})
	if err != nil || aws.ToInt32(u.ManagedLoginVersion) != 2 {
		t.Errorf("UpdateUserPoolDomain = %v, %v", u, err)
	}

	_, err = c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id})
	wantClientError(t, err, "InvalidParameterException", "User pool cannot be deleted. It has a domain configured that should be deleted first.")
	if _, err := c.IDP.DeleteUserPoolDomain(ctx(t), &idp.DeleteUserPoolDomainInput{UserPoolId: &id, Domain: &prefix}); err != nil {
		t.Fatalf("DeleteUserPoolDomain: %v", err)
	}
	_, err = c.IDP.DeleteUserPoolDomain(ctx(t), &idp.DeleteUserPoolDomainInput{UserPoolId: &id, Domain: &prefix})
	wantClientError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
	if _, err := c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id}); err != nil {
		t.Errorf("DeleteUserPool without a domain: %v", err)
	}
}

func testOAuthCustomDomain(t *testing.T, c *cogito) {
	id := aws.ToString(createPool(t, c, "custom-domain", nil).Id)
	name := uniq("auth") + ".example.com"
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
	out, err := c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &id, Domain: &name,
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: &cert}})
	if err != nil {
		t.Fatalf("CreateUserPoolDomain(custom): %v", err)
	}
	cf := aws.ToString(out.CloudFrontDomain)
	if !strings.HasSuffix(cf, ".cloudfront.net") {
		t.Errorf("CloudFrontDomain = %q", cf)
	}
	d, err := c.IDP.DescribeUserPoolDomain(ctx(t), &idp.DescribeUserPoolDomainInput{Domain: &name})
	if err != nil || aws.ToString(d.DomainDescription.CustomDomainConfig.CertificateArn) != cert || aws.ToString(d.DomainDescription.CloudFrontDistribution) != cf {
		t.Errorf("DescribeUserPoolDomain(custom) = %s, %v", asJSON(t, d), err)
	}
	if p := describePool(t, c, id); aws.ToString(p.CustomDomain) != name {
		t.Errorf("DescribeUserPool CustomDomain = %v", p.CustomDomain)
	}
	if _, err := c.IDP.DeleteUserPoolDomain(ctx(t), &idp.DeleteUserPoolDomainInput{UserPoolId: &id, Domain: &name}); err != nil {
		t.Errorf("DeleteUserPoolDomain(custom): %v", err)
	}
}

func testOAuthResourceServers(t *testing.T, c *cogito) {
	id := aws.ToString(createPool(t, c, "resource-servers", nil).Id)
	out, err := c.IDP.CreateResourceServer(ctx(t), &idp.CreateResourceServerInput{UserPoolId: &id, Identifier: aws.String("https://api.example.com"),
		Name: aws.String("Example API"), Scopes: []types.ResourceServerScopeType{
			{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read")}, {ScopeName: aws.String("write"), ScopeDescription: aws.String("Write")}}})
	if err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	if len(out.ResourceServer.Scopes) != 2 || aws.ToString(out.ResourceServer.UserPoolId) != id {
		t.Errorf("CreateResourceServer = %s", asJSON(t, out))
	}
	for _, rs := range []string{"billing", "orders"} {
		if _, err := c.IDP.CreateResourceServer(ctx(t), &idp.CreateResourceServerInput{UserPoolId: &id, Identifier: aws.String(rs), Name: aws.String(rs)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.IDP.CreateResourceServer(ctx(t), &idp.CreateResourceServerInput{UserPoolId: &id, Identifier: aws.String("orders"), Name: aws.String("again")})
	wantClientError(t, err, "InvalidParameterException", "already exists")

	var ids []string
	pg := idp.NewListResourceServersPaginator(c.IDP, &idp.ListResourceServersInput{UserPoolId: &id, MaxResults: aws.Int32(2)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListResourceServers: %v", err)
		}
		for _, rs := range page.ResourceServers {
			ids = append(ids, aws.ToString(rs.Identifier))
		}
	}
	if !sameSet(ids, []string{"https://api.example.com", "billing", "orders"}) {
		t.Errorf("ListResourceServers = %v", ids)
	}

	// App clients may allow only scopes a resource server defines.
	createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &id, GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{"https://api.example.com/read"}})
	_, err = c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: &id, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"https://api.example.com/delete"}})
	wantClientError(t, err, "ScopeDoesNotExistException", "Invalid scope requested: https://api.example.com/delete")

	u, err := c.IDP.UpdateResourceServer(ctx(t), &idp.UpdateResourceServerInput{UserPoolId: &id, Identifier: aws.String("https://api.example.com"), Name: aws.String("Renamed"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("admin"), ScopeDescription: aws.String("All")}}})
	if err != nil || aws.ToString(u.ResourceServer.Name) != "Renamed" || len(u.ResourceServer.Scopes) != 1 {
		t.Errorf("UpdateResourceServer = %v, %v", u, err)
	}
	d, err := c.IDP.DescribeResourceServer(ctx(t), &idp.DescribeResourceServerInput{UserPoolId: &id, Identifier: aws.String("https://api.example.com")})
	if err != nil || aws.ToString(d.ResourceServer.Scopes[0].ScopeName) != "admin" {
		t.Errorf("DescribeResourceServer = %v, %v", d, err)
	}
	if _, err := c.IDP.DeleteResourceServer(ctx(t), &idp.DeleteResourceServerInput{UserPoolId: &id, Identifier: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.IDP.DescribeResourceServer(ctx(t), &idp.DescribeResourceServerInput{UserPoolId: &id, Identifier: aws.String("orders")})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testOAuthIdentityProviders(t *testing.T, c *cogito) {
	id := aws.ToString(createPool(t, c, "idps", nil).Id)
	var issuer string
	disc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": issuer, "authorization_endpoint": issuer + "/oauth2/authorize",
			"token_endpoint": issuer + "/oauth2/token", "userinfo_endpoint": issuer + "/oauth2/userInfo", "jwks_uri": issuer + "/jwks.json"})
	}))
	defer disc.Close()
	issuer = disc.URL

	g, err := c.IDP.CreateIdentityProvider(ctx(t), &idp.CreateIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("Google"), ProviderType: types.IdentityProviderTypeTypeGoogle,
		ProviderDetails:  map[string]string{"client_id": "g-client", "client_secret": "g-secret", "authorize_scopes": "openid email profile"},
		AttributeMapping: map[string]string{"email": "email"}, IdpIdentifiers: []string{"gmail.com"}})
	if err != nil {
		t.Fatalf("CreateIdentityProvider(Google): %v", err)
	}
	if g.IdentityProvider.ProviderDetails["authorize_url"] != "https://accounts.google.com/o/oauth2/v2/auth" || g.IdentityProvider.AttributeMapping["username"] != "sub" {
		t.Errorf("Google = %s", asJSON(t, g.IdentityProvider))
	}
	o, err := c.IDP.CreateIdentityProvider(ctx(t), &idp.CreateIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("Corp"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: map[string]string{"client_id": "c", "client_secret": "s", "authorize_scopes": "openid email", "attributes_request_method": "GET", "oidc_issuer": issuer}})
	if err != nil {
		t.Fatalf("CreateIdentityProvider(OIDC): %v", err)
	}
	if o.IdentityProvider.ProviderDetails["jwks_uri"] != issuer+"/jwks.json" || o.IdentityProvider.ProviderDetails["token_url"] != issuer+"/oauth2/token" {
		t.Errorf("OIDC details not discovered: %v", o.IdentityProvider.ProviderDetails)
	}
	_, err = c.IDP.CreateIdentityProvider(ctx(t), &idp.CreateIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("Google"), ProviderType: types.IdentityProviderTypeTypeGoogle,
		ProviderDetails: map[string]string{"client_id": "x", "client_secret": "y", "authorize_scopes": "openid"}})
	wantClientError(t, err, "DuplicateProviderException", "Google already exists in user pool "+id)
	_, err = c.IDP.CreateIdentityProvider(ctx(t), &idp.CreateIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("MyGoogle"), ProviderType: types.IdentityProviderTypeTypeGoogle,
		ProviderDetails: map[string]string{"client_id": "x", "client_secret": "y", "authorize_scopes": "openid"}})
	wantClientError(t, err, "InvalidParameterException", "Provider MyGoogle cannot be of type Google.")

	byID, err := c.IDP.GetIdentityProviderByIdentifier(ctx(t), &idp.GetIdentityProviderByIdentifierInput{UserPoolId: &id, IdpIdentifier: aws.String("gmail.com")})
	if err != nil || aws.ToString(byID.IdentityProvider.ProviderName) != "Google" {
		t.Errorf("GetIdentityProviderByIdentifier = %v, %v", byID, err)
	}
	list, err := c.IDP.ListIdentityProviders(ctx(t), &idp.ListIdentityProvidersInput{UserPoolId: &id})
	if err != nil || len(list.Providers) != 2 {
		t.Errorf("ListIdentityProviders = %v, %v", list, err)
	}
	// The pool's schema now has the identities attribute.
	if schemaAttr(describePool(t, c, id), "identities") == nil {
		t.Error("no identities attribute in the schema")
	}

	// App clients may name the pool's providers, and only those.
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &id, SupportedIdentityProviders: []string{"COGNITO", "Google", "Corp"}})
	if !sameSet(cl.SupportedIdentityProviders, []string{"COGNITO", "Google", "Corp"}) {
		t.Errorf("SupportedIdentityProviders = %v", cl.SupportedIdentityProviders)
	}
	_, err = c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: &id, ClientName: aws.String("fb"), SupportedIdentityProviders: []string{"Facebook"}})
	wantClientError(t, err, "InvalidParameterException", "Facebook")

	u, err := c.IDP.UpdateIdentityProvider(ctx(t), &idp.UpdateIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("Corp"),
		AttributeMapping: map[string]string{"email": "email", "name": "name"}, IdpIdentifiers: []string{"corp.example.com"}})
	if err != nil || u.IdentityProvider.AttributeMapping["name"] != "name" || len(u.IdentityProvider.IdpIdentifiers) != 1 {
		t.Errorf("UpdateIdentityProvider = %v, %v", u, err)
	}
	if _, err := c.IDP.DeleteIdentityProvider(ctx(t), &idp.DeleteIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("Corp")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.IDP.DescribeIdentityProvider(ctx(t), &idp.DescribeIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("Corp")})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testOAuthProviderLinks(t *testing.T, c *cogito) {
	id := aws.ToString(createPool(t, c, "links", nil).Id)
	if _, err := c.IDP.CreateIdentityProvider(ctx(t), &idp.CreateIdentityProviderInput{UserPoolId: &id, ProviderName: aws.String("Facebook"), ProviderType: types.IdentityProviderTypeTypeFacebook,
		ProviderDetails: map[string]string{"client_id": "f", "client_secret": "s", "authorize_scopes": "public_profile, email"}}); err != nil {
		t.Fatal(err)
	}
	adminCreate(t, c, id, "pat", "email", "pat@example.com")
	link := func(user, subject string) error {
		_, err := c.IDP.AdminLinkProviderForUser(ctx(t), &idp.AdminLinkProviderForUserInput{UserPoolId: &id,
			DestinationUser: &types.ProviderUserIdentifierType{ProviderName: aws.String("Cognito"), ProviderAttributeValue: &user},
			SourceUser:      &types.ProviderUserIdentifierType{ProviderName: aws.String("Facebook"), ProviderAttributeName: aws.String("Cognito_Subject"), ProviderAttributeValue: &subject}})
		return err
	}
	if err := link("pat", "10150000000000001"); err != nil {
		t.Fatalf("AdminLinkProviderForUser: %v", err)
	}
	identities := func() string {
		out, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &id, Username: aws.String("pat")})
		if err != nil {
			t.Fatalf("AdminGetUser: %v", err)
		}
		for _, a := range out.UserAttributes {
			if aws.ToString(a.Name) == "identities" {
				return aws.ToString(a.Value)
			}
		}
		return ""
	}
	var ids []map[string]any
	if err := json.Unmarshal([]byte(identities()), &ids); err != nil || len(ids) != 1 || ids[0]["userId"] != "10150000000000001" ||
		ids[0]["providerName"] != "Facebook" || ids[0]["providerType"] != "Facebook" || ids[0]["primary"] != "false" {
		t.Errorf("identities = %v (%v)", ids, err)
	}
	err := link("nobody", "10150000000000002")
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	adminCreate(t, c, id, "quinn")
	err = link("quinn", "10150000000000001")
	wantClientError(t, err, "AliasExistsException")

	if _, err := c.IDP.AdminDisableProviderForUser(ctx(t), &idp.AdminDisableProviderForUserInput{UserPoolId: &id,
		User: &types.ProviderUserIdentifierType{ProviderName: aws.String("Facebook"), ProviderAttributeName: aws.String("Cognito_Subject"), ProviderAttributeValue: aws.String("10150000000000001")}}); err != nil {
		t.Fatalf("AdminDisableProviderForUser: %v", err)
	}
	if got := identities(); got != "" {
		t.Errorf("identities after unlinking = %s", got)
	}
	// A local user: Cognito, Cognito_Subject and the username disable them.
	if _, err := c.IDP.AdminDisableProviderForUser(ctx(t), &idp.AdminDisableProviderForUserInput{UserPoolId: &id,
		User: &types.ProviderUserIdentifierType{ProviderName: aws.String("Cognito"), ProviderAttributeName: aws.String("Cognito_Subject"), ProviderAttributeValue: aws.String("quinn")}}); err != nil {
		t.Fatalf("AdminDisableProviderForUser(Cognito): %v", err)
	}
	out, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &id, Username: aws.String("quinn")})
	if err != nil || out.Enabled {
		t.Errorf("quinn after AdminDisableProviderForUser: %v, %v", out, err)
	}
}

// A 1x1 PNG.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func testOAuthUICustomization(t *testing.T, c *cogito) {
	id := aws.ToString(createPool(t, c, "ui", nil).Id)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &id})
	css := ".submitButton-customizable { background-color: #0a7; }"
	_, err := c.IDP.SetUICustomization(ctx(t), &idp.SetUICustomizationInput{UserPoolId: &id, ClientId: aws.String("ALL"), CSS: &css})
	wantClientError(t, err, "InvalidParameterException", "domain")
	if _, err := c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &id, Domain: aws.String(uniq("ui"))}); err != nil {
		t.Fatal(err)
	}
	set, err := c.IDP.SetUICustomization(ctx(t), &idp.SetUICustomizationInput{UserPoolId: &id, ClientId: aws.String("ALL"), CSS: &css, ImageFile: tinyPNG})
	if err != nil {
		t.Fatalf("SetUICustomization: %v", err)
	}
	ui := set.UICustomization
	if aws.ToString(ui.ClientId) != "ALL" || aws.ToString(ui.CSS) != css || aws.ToString(ui.CSSVersion) == "" || ui.ImageUrl == nil {
		t.Errorf("SetUICustomization = %s", asJSON(t, ui))
	}
	got, err := c.IDP.GetUICustomization(ctx(t), &idp.GetUICustomizationInput{UserPoolId: &id, ClientId: cl.ClientId})
	if err != nil || aws.ToString(got.UICustomization.ClientId) != "ALL" || aws.ToString(got.UICustomization.ImageUrl) != aws.ToString(ui.ImageUrl) {
		t.Errorf("GetUICustomization(client) = %s, %v", asJSON(t, got), err)
	}
	// The logo is served where ImageUrl points (on this server).
	logo := aws.ToString(ui.ImageUrl)
	path := logo[strings.Index(logo, "/_cogito/"):]
	resp, err := c.HTTP.Get(c.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, tinyPNG) {
		t.Errorf("GET %s = %d %s (%d bytes)", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	_, err = c.IDP.SetUICustomization(ctx(t), &idp.SetUICustomizationInput{UserPoolId: &id, ClientId: cl.ClientId, CSS: aws.String("@import url(evil.css);")})
	wantClientError(t, err, "InvalidParameterException", "@import")
}

func testOAuthManagedLoginBranding(t *testing.T, c *cogito) {
	id := aws.ToString(createPool(t, c, "branding", nil).Id)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &id})
	settings := map[string]any{"components": map[string]any{"form": map[string]any{"borderRadius": 4}}}
	out, err := c.IDP.CreateManagedLoginBranding(ctx(t), &idp.CreateManagedLoginBrandingInput{UserPoolId: &id, ClientId: cl.ClientId,
		Settings: document.NewLazyDocument(settings),
		Assets:   []types.AssetType{{Category: types.AssetCategoryTypeFormLogo, ColorMode: types.ColorSchemeModeTypeLight, Extension: types.AssetExtensionTypePng, Bytes: tinyPNG}}})
	if err != nil {
		t.Fatalf("CreateManagedLoginBranding: %v", err)
	}
	brandingID := aws.ToString(out.ManagedLoginBranding.ManagedLoginBrandingId)
	if len(brandingID) != 36 || len(out.ManagedLoginBranding.Assets) != 1 {
		t.Errorf("CreateManagedLoginBranding = %s", asJSON(t, out))
	}
	_, err = c.IDP.CreateManagedLoginBranding(ctx(t), &idp.CreateManagedLoginBrandingInput{UserPoolId: &id, ClientId: cl.ClientId, UseCognitoProvidedValues: true})
	wantClientError(t, err, "ManagedLoginBrandingExistsException")

	if _, err := c.IDP.UpdateManagedLoginBranding(ctx(t), &idp.UpdateManagedLoginBrandingInput{UserPoolId: &id, ManagedLoginBrandingId: &brandingID,
		Settings: document.NewLazyDocument(map[string]any{"components": map[string]any{"pageBackground": map[string]any{"image": map[string]any{"enabled": false}}}})}); err != nil {
		t.Fatalf("UpdateManagedLoginBranding: %v", err)
	}
	d, err := c.IDP.DescribeManagedLoginBrandingByClient(ctx(t), &idp.DescribeManagedLoginBrandingByClientInput{UserPoolId: &id, ClientId: cl.ClientId})
	if err != nil {
		t.Fatalf("DescribeManagedLoginBrandingByClient: %v", err)
	}
	var got map[string]any
	if err := d.ManagedLoginBranding.Settings.UnmarshalSmithyDocument(&got); err != nil {
		t.Fatal(err)
	}
	comps, _ := got["components"].(map[string]any)
	if comps["form"] == nil || comps["pageBackground"] == nil {
		t.Errorf("settings after update = %v", got)
	}
	m, err := c.IDP.DescribeManagedLoginBranding(ctx(t), &idp.DescribeManagedLoginBrandingInput{UserPoolId: &id, ManagedLoginBrandingId: &brandingID, ReturnMergedResources: true})
	if err != nil {
		t.Fatal(err)
	}
	var merged map[string]any
	if err := m.ManagedLoginBranding.Settings.UnmarshalSmithyDocument(&merged); err != nil || merged["categories"] == nil {
		t.Errorf("merged settings = %v, %v", merged, err)
	}
	if _, err := c.IDP.DeleteManagedLoginBranding(ctx(t), &idp.DeleteManagedLoginBrandingInput{UserPoolId: &id, ManagedLoginBrandingId: &brandingID}); err != nil {
		t.Fatalf("DeleteManagedLoginBranding: %v", err)
	}
	_, err = c.IDP.DescribeManagedLoginBrandingByClient(ctx(t), &idp.DescribeManagedLoginBrandingByClientInput{UserPoolId: &id, ClientId: cl.ClientId})
	wantClientError(t, err, "ResourceNotFoundException")
}
