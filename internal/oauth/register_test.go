package oauth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// setDCR sets the pool's DcrConfiguration (and tier) through UpdateUserPool.
func (e *env) setDCR(t *testing.T, tier cognitoidp.UserPoolTierType, dc *cognitoidp.DcrConfigurationType) {
	t.Helper()
	ps := pools.New(pools.Config{Store: e.store, Clock: e.clock, Region: "us-east-1", AccountID: "123456789012"})
	if _, err := ps.UpdateUserPool(context.Background(), &cognitoidp.UpdateUserPoolRequest{
		UserPoolId: api.Ptr(e.pool), UserPoolTier: api.Ptr(tier), DcrConfiguration: dc,
	}); err != nil {
		t.Fatal(err)
	}
}

// register posts metadata (a JSON string) with optional headers.
func (e *env) register(t *testing.T, body string, hdr ...string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", "/"+e.pool+"/oauth2/register", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	var m map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &m)
	return w, m
}

func dcrOpen() *cognitoidp.DcrConfigurationType {
	return &cognitoidp.DcrConfigurationType{
		EnableStatus: api.Ptr(cognitoidp.StatusTypeEnabled), OpenDcrEnabled: api.Ptr(true),
		AllowedScopes: []string{"api/read", pools.DCRRegisterScope},
	}
}

func TestRegisterOpen(t *testing.T) {
	e := newEnv(t)
	e.setDCR(t, cognitoidp.UserPoolTierTypeEssentials, dcrOpen())
	w, m := e.register(t, `{"redirect_uris":["`+callback+`"],"client_name":"My agent","scope":"openid email","unknown_member":{"x":1}}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Error("no Cache-Control: no-store")
	}
	id, _ := m["client_id"].(string)
	secret, _ := m["client_secret"].(string)
	if id == "" || secret == "" || m["client_secret_expires_at"] != float64(0) || m["client_id_issued_at"] != float64(t0.Unix()) {
		t.Fatalf("credentials: %v", m)
	}
	if m["token_endpoint_auth_method"] != "client_secret_basic" || m["scope"] != "openid email" || m["client_name"] != "My agent" {
		t.Errorf("metadata: %v", m)
	}
	if gt, _ := m["grant_types"].([]any); len(gt) != 1 || gt[0] != "authorization_code" {
		t.Errorf("grant_types: %v", m["grant_types"])
	}
	c, err := e.svc.Clients().LookupInPool(context.Background(), e.pool, id)
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(c.Settings.ClientType) != clients.ClientTypeDCR || !c.SecretMatches(secret) ||
		len(c.Settings.CallbackURLs) != 1 || c.Settings.AllowedOAuthFlows[0] != cognitoidp.OAuthFlowTypeCode {
		t.Errorf("stored client: %+v", c.Settings)
	}

	// The registered client runs the code flow.
	e.public = c
	code := e.code(t, "scope", "openid")
	tw := e.do(t, "POST", "/"+e.pool+"/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback},
		"client_id": {id}, "client_secret": {secret}})
	if tw.Code != http.StatusOK {
		t.Errorf("token: %d %s", tw.Code, tw.Body)
	}

	// A public client; default name; the default scope is every allowed one.
	w, m = e.register(t, `{"redirect_uris":["http://localhost:8080/cb"],"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"]}`)
	if w.Code != http.StatusCreated || m["client_secret"] != nil || m["client_secret_expires_at"] != nil {
		t.Fatalf("public: %d %v", w.Code, m)
	}
	if m["client_name"] != DCRDefaultClientName || m["scope"] != "openid email phone profile api/read" {
		t.Errorf("public metadata: %v", m)
	}

	// Open registration allows only the code grant by default.
	w, m = e.register(t, `{"grant_types":["client_credentials"],"scope":"api/read"}`)
	if w.Code != http.StatusBadRequest || m["error"] != "invalid_client_metadata" {
		t.Errorf("open client_credentials: %d %v", w.Code, m)
	}
}

func TestRegisterAuthenticated(t *testing.T) {
	e := newEnv(t)
	dc := dcrOpen()
	dc.OpenDcrEnabled = api.Ptr(false)
	e.setDCR(t, cognitoidp.UserPoolTierTypePlus, dc)

	// No token: 401 with a Bearer challenge.
	w, m := e.register(t, `{"redirect_uris":["`+callback+`"]}`)
	if w.Code != http.StatusUnauthorized || m["error"] != "invalid_token" || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("no token: %d %v %q", w.Code, m, w.Header().Get("WWW-Authenticate"))
	}
	// A bad token; a user's token; a client token without the scope.
	for tok, status := range map[string]int{"junk": 401, "access.alice": 403, "cc.api/read": 403} {
		w, _ := e.register(t, `{"redirect_uris":["`+callback+`"]}`, "Authorization", "Bearer "+tok)
		if w.Code != status || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("token %s: %d, want %d", tok, w.Code, status)
		}
	}

	// The registrar client gets an initial access token at the token endpoint.
	ctx := context.Background()
	o, err := e.svc.Clients().CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: &e.pool, ClientName: api.Ptr("registrar"), GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: []cognitoidp.OAuthFlowType{cognitoidp.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{pools.DCRRegisterScope},
	})
	if err != nil {
		t.Fatal(err)
	}
	tw := e.do(t, "POST", "/"+e.pool+"/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {api.Deref(o.UserPoolClient.ClientId)},
		"client_secret": {api.Deref(o.UserPoolClient.ClientSecret)}, "scope": {pools.DCRRegisterScope}})
	var tr map[string]any
	_ = json.Unmarshal(tw.Body.Bytes(), &tr)
	iat, _ := tr["access_token"].(string)
	if tw.Code != http.StatusOK || iat == "" {
		t.Fatalf("initial access token: %d %s", tw.Code, tw.Body)
	}

	// Authenticated registration of a client_credentials client.
	w, m = e.register(t, `{"grant_types":["client_credentials"],"token_endpoint_auth_method":"client_secret_post","scope":"api/read"}`, "Authorization", "Bearer "+iat)
	if w.Code != http.StatusCreated || m["client_secret"] == nil {
		t.Fatalf("authenticated: %d %s", w.Code, w.Body)
	}
	if rt, _ := m["response_types"].([]any); len(rt) != 0 {
		t.Errorf("response_types: %v", m["response_types"])
	}
	cw := e.do(t, "POST", "/"+e.pool+"/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {m["client_id"].(string)},
		"client_secret": {m["client_secret"].(string)}})
	if cw.Code != http.StatusOK || !strings.Contains(cw.Body.String(), "cc.api/read") {
		t.Errorf("registered client's client_credentials: %d %s", cw.Code, cw.Body)
	}
}

func TestRegisterRefusals(t *testing.T) {
	e := newEnv(t)
	// Off: no DcrConfiguration.
	if w, _ := e.register(t, `{"redirect_uris":["`+callback+`"]}`); w.Code != http.StatusNotFound {
		t.Errorf("off: %d", w.Code)
	}
	if got := e.svc.RegistrationEndpoint(context.Background(), e.pool, "https://x"); got != "" {
		t.Errorf("discovery while off: %q", got)
	}
	e.setDCR(t, cognitoidp.UserPoolTierTypeEssentials, dcrOpen())
	if got := e.svc.RegistrationEndpoint(context.Background(), e.pool, "https://x"); got != "https://x/oauth2/register" {
		t.Errorf("discovery: %q", got)
	}
	if got := e.svc.RegistrationEndpoint(context.Background(), e.pool, ""); got != "" {
		t.Errorf("discovery without a domain: %q", got)
	}
	for _, c := range []struct{ name, body, code string }{
		{"no redirect", `{}`, "invalid_redirect_uri"},
		{"http redirect", `{"redirect_uris":["http://app.example.com/cb"]}`, "invalid_redirect_uri"},
		{"fragment", `{"redirect_uris":["https://app.example.com/cb#x"]}`, "invalid_redirect_uri"},
		{"relative", `{"redirect_uris":["/cb"]}`, "invalid_redirect_uri"},
		{"redirect type", `{"redirect_uris":"https://app.example.com/cb"}`, "invalid_client_metadata"},
		{"not json", `redirect_uris`, "invalid_client_metadata"},
		{"implicit", `{"redirect_uris":["` + callback + `"],"grant_types":["implicit"],"response_types":["token"]}`, "invalid_client_metadata"},
		{"token response", `{"redirect_uris":["` + callback + `"],"response_types":["token"]}`, "invalid_client_metadata"},
		{"refresh alone", `{"redirect_uris":["` + callback + `"],"grant_types":["refresh_token"]}`, "invalid_client_metadata"},
		{"jwt auth", `{"redirect_uris":["` + callback + `"],"token_endpoint_auth_method":"private_key_jwt"}`, "invalid_client_metadata"},
		{"admin scope", `{"redirect_uris":["` + callback + `"],"scope":"openid aws.cognito.signin.user.admin"}`, "invalid_client_metadata"},
		{"register scope", `{"redirect_uris":["` + callback + `"],"scope":"aws.cognito/dcr/register"}`, "invalid_client_metadata"},
		{"unknown scope", `{"redirect_uris":["` + callback + `"],"scope":"api/write"}`, "invalid_client_metadata"},
		{"bad name", `{"redirect_uris":["` + callback + `"],"client_name":"<script>"}`, "invalid_client_metadata"},
		{"empty scope", `{"redirect_uris":["` + callback + `"],"scope":""}`, "invalid_client_metadata"},
	} {
		w, m := e.register(t, c.body)
		if w.Code != http.StatusBadRequest || m["error"] != c.code || m["error_description"] == nil {
			t.Errorf("%s: %d %v, want %s", c.name, w.Code, m, c.code)
		}
	}
	// The wrong content type.
	req := httptest.NewRequest("POST", "/"+e.pool+"/oauth2/register", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	if w.Code != http.StatusBadRequest {
		t.Errorf("form body: %d", w.Code)
	}
	// An empty open grant list refuses open registration's grants.
	dc := dcrOpen()
	dc.OpenDcrGrantTypes = []cognitoidp.OAuthFlowType{}
	e.setDCR(t, cognitoidp.UserPoolTierTypeEssentials, dc)
	if w, m := e.register(t, `{"redirect_uris":["`+callback+`"]}`); w.Code != http.StatusBadRequest || m["error"] != "invalid_client_metadata" {
		t.Errorf("empty open grants: %d %v", w.Code, m)
	}
	// Disabled.
	dc.EnableStatus = api.Ptr(cognitoidp.StatusTypeDisabled)
	e.setDCR(t, cognitoidp.UserPoolTierTypeEssentials, dc)
	if w, _ := e.register(t, `{"redirect_uris":["`+callback+`"]}`); w.Code != http.StatusNotFound {
		t.Errorf("disabled: %d", w.Code)
	}
}
