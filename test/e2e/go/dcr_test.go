package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// TestDCR drives dynamic client registration (RFC 7591) at
// /oauth2/register: open registration, then the registered client's
// authorization-code flow with PKCE through the managed login pages;
// authenticated registration with an initial access token from
// client_credentials (the system-managed aws.cognito/dcr/register scope),
// then the registered client's client_credentials; ClientType DCR through
// the API; the discovery document's registration_endpoint; and refusals.
func TestDCR(t *testing.T) {
	c := start(t, sqliteBackend.new(t))
	t.Run("OpenRegistrationCodeFlow", func(t *testing.T) { t.Parallel(); testDCROpen(t, c) })
	t.Run("AuthenticatedClientCredentials", func(t *testing.T) { t.Parallel(); testDCRAuthenticated(t, c) })
	t.Run("Refusals", func(t *testing.T) { t.Parallel(); testDCRRefusals(t, c) })
}

// setDCR sets a pool's DcrConfiguration (raw JSON: the SDK may predate it).
func setDCR(t *testing.T, c *cogito, poolID, dcr string) {
	t.Helper()
	c.mustRaw(t, "UpdateUserPool", `{"UserPoolId":"`+poolID+`","UserPoolTier":"ESSENTIALS","DcrConfiguration":`+dcr+`}`)
}

// register posts client metadata, with an initial access token when tok
// is set.
func register(t *testing.T, base, body, tok string) (*response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/oauth2/register", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	r := rawDo(t, req)
	var m map[string]any
	_ = json.Unmarshal([]byte(r.body), &m)
	return r, m
}

func testDCROpen(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)

	// Off: no registration endpoint, in discovery or at the path.
	var doc map[string]any
	if r := bearerGet(t, p.base+"/.well-known/openid-configuration", ""); r.status != 200 || json.Unmarshal([]byte(r.body), &doc) != nil || doc["registration_endpoint"] != nil {
		t.Fatalf("discovery while off: %d %s", r.status, r.body)
	}
	if r, _ := register(t, p.base, `{"redirect_uris":["`+oauthCallback+`"]}`, ""); r.status != http.StatusNotFound {
		t.Errorf("register while off: %d %s", r.status, r.body)
	}

	setDCR(t, c, p.id, `{"EnableStatus":"Enabled","OpenDcrEnabled":true,"AllowedScopes":["api/read"]}`)
	provider, err := oidc.NewProvider(ctx(t), p.base)
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		Registration string `json:"registration_endpoint"`
	}
	if err := provider.Claims(&claims); err != nil || claims.Registration != p.base+"/oauth2/register" {
		t.Fatalf("registration_endpoint = %q, %v", claims.Registration, err)
	}

	r, m := register(t, strings.TrimSuffix(claims.Registration, "/oauth2/register"), `{"client_name":"Agent 1","redirect_uris":["`+oauthCallback+`"],"token_endpoint_auth_method":"none","scope":"openid email api/read"}`, "")
	if r.status != http.StatusCreated {
		t.Fatalf("open registration: %d %s", r.status, r.body)
	}
	id, _ := m["client_id"].(string)
	if id == "" || m["client_secret"] != nil || m["client_id_issued_at"] == nil || m["token_endpoint_auth_method"] != "none" || m["scope"] != "openid email api/read" {
		t.Fatalf("registration response: %v", m)
	}

	// The API shows the client as DCR and filters on it.
	d := c.mustRaw(t, "DescribeUserPoolClient", `{"UserPoolId":"`+p.id+`","ClientId":"`+id+`"}`)
	var cl map[string]any
	member(t, d, &cl, "UserPoolClient")
	if cl["ClientType"] != "DCR" || cl["ClientName"] != "Agent 1" {
		t.Errorf("DescribeUserPoolClient: %v", cl)
	}
	var list []map[string]any
	member(t, c.mustRaw(t, "ListUserPoolClients", `{"UserPoolId":"`+p.id+`","MaxResults":60,"ClientType":"DCR"}`), &list, "UserPoolClients")
	if len(list) != 1 || list[0]["ClientId"] != id {
		t.Errorf("ListUserPoolClients DCR: %v", list)
	}
	member(t, c.mustRaw(t, "ListUserPoolClients", `{"UserPoolId":"`+p.id+`","MaxResults":60,"ClientType":"REGULAR"}`), &list, "UserPoolClients")
	if len(list) != 1 || list[0]["ClientId"] != p.clientID {
		t.Errorf("ListUserPoolClients REGULAR: %v", list)
	}

	// The registered public client signs a user in with PKCE.
	conf := &oauth2.Config{ClientID: id, RedirectURL: oauthCallback, Scopes: []string{"openid", "email"}, Endpoint: provider.Endpoint()}
	verifier := oauth2.GenerateVerifier()
	q := newBrowser(t).signIn(conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)), p.username, oauthPassword)
	tok, err := conf.Exchange(ctx(t), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if _, err := provider.Verifier(&oidc.Config{ClientID: id}).Verify(ctx(t), rawID); err != nil {
		t.Errorf("ID token of the registered client: %v", err)
	}
	if a := jwtClaims(t, tok.AccessToken); a["client_id"] != id || a["username"] != p.username {
		t.Errorf("access token: %v", a)
	}
}

func testDCRAuthenticated(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, true, nil, func(in *idp.CreateUserPoolClientInput) {
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}
		in.AllowedOAuthScopes = []string{"aws.cognito/dcr/register"} // system-managed: no resource server
		in.CallbackURLs, in.LogoutURLs = nil, nil
	})
	setDCR(t, c, p.id, `{"EnableStatus":"Enabled","OpenDcrEnabled":false,"AllowedScopes":["api/read","api/write"]}`)

	// Without a token, open registration is off.
	r, m := register(t, p.base, `{"grant_types":["client_credentials"],"scope":"api/read"}`, "")
	if r.status != http.StatusUnauthorized || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") || m["error"] != "invalid_token" {
		t.Errorf("no token: %d %v %s", r.status, r.header, r.body)
	}

	cc := clientcredentials.Config{ClientID: p.clientID, ClientSecret: p.secret, TokenURL: p.base + "/oauth2/token"}
	iat, err := cc.Token(ctx(t))
	if err != nil {
		t.Fatalf("initial access token: %v", err)
	}
	if s := jwtClaims(t, iat.AccessToken)["scope"]; s != "aws.cognito/dcr/register" {
		t.Errorf("initial access token scope %v", s)
	}
	r, m = register(t, p.base, `{"client_name":"worker","grant_types":["client_credentials"],"token_endpoint_auth_method":"client_secret_post","scope":"api/read"}`, iat.AccessToken)
	if r.status != http.StatusCreated {
		t.Fatalf("authenticated registration: %d %s", r.status, r.body)
	}
	id, _ := m["client_id"].(string)
	secret, _ := m["client_secret"].(string)
	if id == "" || secret == "" || m["client_secret_expires_at"] != float64(0) {
		t.Fatalf("credentials: %v", m)
	}
	reg := clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: p.base + "/oauth2/token", AuthStyle: oauth2.AuthStyleInParams}
	tok, err := reg.Token(ctx(t))
	if err != nil {
		t.Fatalf("registered client's client_credentials: %v", err)
	}
	if a := jwtClaims(t, tok.AccessToken); a["scope"] != "api/read" || a["client_id"] != id {
		t.Errorf("registered client's token: %v", a)
	}
	// The registered client's token cannot register further clients.
	if r, _ := register(t, p.base, `{"grant_types":["client_credentials"],"scope":"api/read"}`, tok.AccessToken); r.status != http.StatusForbidden {
		t.Errorf("registration with a token lacking the scope: %d %s", r.status, r.body)
	}
	// Nor can a tampered initial access token.
	if r, _ := register(t, p.base, `{"grant_types":["client_credentials"],"scope":"api/read"}`, iat.AccessToken+"x"); r.status != http.StatusUnauthorized {
		t.Errorf("tampered token: %d %s", r.status, r.body)
	}
	// Registered clients count toward the app-client quota as any client;
	// the new one is listed with ClientType DCR.
	out, err := c.IDP.DescribeUserPoolClient(ctx(t), &idp.DescribeUserPoolClientInput{UserPoolId: &p.id, ClientId: aws.String(id)})
	if err != nil || aws.ToString(out.UserPoolClient.ClientName) != "worker" {
		t.Errorf("DescribeUserPoolClient: %v", err)
	}
}

func testDCRRefusals(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	setDCR(t, c, p.id, `{"EnableStatus":"Enabled","OpenDcrEnabled":true,"AllowedScopes":["api/read"]}`)
	for _, tc := range []struct{ name, body, code string }{
		{"no redirect", `{}`, "invalid_redirect_uri"},
		{"http redirect", `{"redirect_uris":["http://app.example.com/cb"]}`, "invalid_redirect_uri"},
		{"implicit", `{"redirect_uris":["` + oauthCallback + `"],"grant_types":["implicit"],"response_types":["token"]}`, "invalid_client_metadata"},
		{"client_credentials not open", `{"grant_types":["client_credentials"],"scope":"api/read"}`, "invalid_client_metadata"},
		{"scope", `{"redirect_uris":["` + oauthCallback + `"],"scope":"api/write"}`, "invalid_client_metadata"},
		{"register scope", `{"redirect_uris":["` + oauthCallback + `"],"scope":"aws.cognito/dcr/register"}`, "invalid_client_metadata"},
		{"auth method", `{"redirect_uris":["` + oauthCallback + `"],"token_endpoint_auth_method":"private_key_jwt"}`, "invalid_client_metadata"},
		{"wrong type", `{"redirect_uris":"` + oauthCallback + `"}`, "invalid_client_metadata"},
	} {
		r, m := register(t, p.base, tc.body, "")
		if r.status != http.StatusBadRequest || m["error"] != tc.code {
			t.Errorf("%s: %d %s, want %s", tc.name, r.status, r.body, tc.code)
		}
	}
	// Disabled again: gone from discovery.
	setDCR(t, c, p.id, `{"EnableStatus":"Disabled"}`)
	r := bearerGet(t, p.base+"/.well-known/openid-configuration", "")
	if strings.Contains(r.body, "registration_endpoint") {
		t.Errorf("discovery while disabled lists registration_endpoint")
	}
	if r, _ := register(t, p.base, `{"redirect_uris":["`+oauthCallback+`"]}`, ""); r.status != http.StatusNotFound {
		t.Errorf("register while disabled: %d", r.status)
	}
}
