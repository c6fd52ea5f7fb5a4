package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/cogito-dev/cogito/internal/totp"
)

// TestOAuth drives the OAuth 2.0 / OpenID Connect endpoints and the managed
// login pages with golang.org/x/oauth2 and github.com/coreos/go-oidc/v3,
// a cookie-jar HTTP client filling the sign-in forms: the code grant with
// PKCE (public and confidential clients, Basic and post client auth), the
// implicit grant, refresh, client credentials, userInfo by scope,
// revocation, silent re-authorization and prompt, logout, MFA through the
// pages, sign-up and password reset through the pages, and the security
// checks (redirect URIs, reused codes, PKCE verifiers, CSRF, open
// redirects, client credentials for public clients).
func TestOAuth(t *testing.T) {
	c := start(t, sqliteBackend.new(t))
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, c *cogito)
	}{
		{"CodePKCEPublic", testOAuthCodePKCEPublic},
		{"CodeConfidential", testOAuthCodeConfidential},
		{"Implicit", testOAuthImplicit},
		{"RefreshAndRevoke", testOAuthRefreshAndRevoke},
		{"ClientCredentials", testOAuthClientCredentials},
		{"UserInfoScopes", testOAuthUserInfoScopes},
		{"SessionPromptLogout", testOAuthSessionPromptLogout},
		{"Discovery", testOAuthDiscovery},
		{"HostRouting", testOAuthHostRouting},
		{"AuthorizeErrors", testOAuthAuthorizeErrors},
		{"TokenErrors", testOAuthTokenErrors},
		{"ReusedCode", testOAuthReusedCode},
		{"CSRF", testOAuthCSRF},
		{"OpenRedirects", testOAuthOpenRedirects},
		{"PagesMFA", testOAuthPagesMFA},
		{"PagesNewPassword", testOAuthPagesNewPassword},
		{"PagesSignUp", testOAuthPagesSignUp},
		{"PagesSignUpEmailUsername", testOAuthPagesSignUpEmailUsername},
		{"PagesForgotPassword", testOAuthPagesForgotPassword},
		{"PagesLoginErrors", testOAuthPagesLoginErrors},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, c)
		})
	}
}

const (
	oauthCallback = "https://app.example.com/callback"
	oauthSignOut  = "https://app.example.com/signed-out"
	oauthPassword = "Passw0rd!oauth"
)

// oauthPool is a pool with a domain, an app client for the hosted pages and
// a confirmed user.
type oauthPool struct {
	id, domain, clientID, secret string
	base                         string // http://127.0.0.1:PORT/{poolId}
	username                     string
}

// oauthSetup makes a pool with a prefix domain, a resource server
// ("api" with scopes read and write), an app client (with a secret when
// secret) and a confirmed user with an email.
func oauthSetup(t *testing.T, c *cogito, secret bool, pool *idp.CreateUserPoolInput, client func(*idp.CreateUserPoolClientInput)) *oauthPool {
	t.Helper()
	if pool == nil {
		pool = &idp.CreateUserPoolInput{}
	}
	id := aws.ToString(createPool(t, c, "oauth", pool).Id)
	prefix := uniq("auth")
	if _, err := c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &id, Domain: &prefix}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	t.Cleanup(func() {
		_, _ = c.IDP.DeleteUserPoolDomain(ctx(t), &idp.DeleteUserPoolDomainInput{UserPoolId: &id, Domain: &prefix})
	})
	if _, err := c.IDP.CreateResourceServer(ctx(t), &idp.CreateResourceServerInput{
		UserPoolId: &id, Identifier: aws.String("api"), Name: aws.String("API"),
		Scopes: []types.ResourceServerScopeType{
			{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("write")},
		},
	}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	in := &idp.CreateUserPoolClientInput{
		UserPoolId: &id, GenerateSecret: secret,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit},
		AllowedOAuthScopes:              []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin", "api/read"},
		CallbackURLs:                    []string{oauthCallback, "http://localhost:3000/cb"},
		LogoutURLs:                      []string{oauthSignOut},
		SupportedIdentityProviders:      []string{"COGNITO"},
	}
	if client != nil {
		client(in)
	}
	cl := createClient(t, c, in)
	p := &oauthPool{id: id, domain: prefix, clientID: aws.ToString(cl.ClientId), secret: aws.ToString(cl.ClientSecret), base: c.URL + "/" + id}
	p.username = "alice-" + uniq("u")
	email := p.username + "@example.com"
	if len(pool.UsernameAttributes) > 0 {
		p.username = email // the pool's usernames are email addresses
	}
	adminCreateConfirmed(t, c, id, p.username, oauthPassword, "email", email, "email_verified", "true", "name", "Alice")
	return p
}

// oauthConfig is the x/oauth2 configuration of p's client.
func (p *oauthPool) oauthConfig(scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: p.clientID, ClientSecret: p.secret, RedirectURL: oauthCallback, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: p.base + "/oauth2/authorize", TokenURL: p.base + "/oauth2/token"},
	}
}

// browser is a cookie-keeping HTTP client that stops at the app's callback
// (it records where it was sent) and fills the hosted forms.
type browser struct {
	t    *testing.T
	http *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t}
	b.http = &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != via[0].URL.Host {
			return http.ErrUseLastResponse // the app's callback: stop there
		}
		if len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

// page is a fetched response: its status, final URL, Location (for a
// redirect that left the server) and body.
type page struct {
	status   int
	url      *url.URL
	location string
	body     string
}

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &page{status: resp.StatusCode, url: resp.Request.URL, location: resp.Header.Get("Location"), body: string(body)}
}

func (b *browser) get(u string) *page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

var (
	reForm   = regexp.MustCompile(`(?s)<form method="post" action="([^"]*)"`)
	reHidden = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// submit posts the page's first form with its hidden fields and fields.
func (b *browser) submit(p *page, fields ...string) *page {
	b.t.Helper()
	m := reForm.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("no form on the page at %s (status %d): %s", p.url, p.status, snippet(p.body))
	}
	action, _ := url.Parse(html.UnescapeString(m[1]))
	form := url.Values{}
	for _, h := range reHidden.FindAllStringSubmatch(p.body, -1) {
		form.Set(h[1], html.UnescapeString(h[2]))
	}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Set(fields[i], fields[i+1])
	}
	req, _ := http.NewRequest(http.MethodPost, p.url.ResolveReference(action).String(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var reAlert = regexp.MustCompile(`(?s)role="alert"[^>]*>(.*?)</p>`)

// snippet is what a failure shows of a page: its error message, else its
// start.
func snippet(s string) string {
	if m := reAlert.FindStringSubmatch(s); m != nil {
		return "error shown: " + m[1]
	}
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// callback returns the query (or fragment) of the redirect to the app.
func (b *browser) callback(p *page) url.Values {
	b.t.Helper()
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, "https://app.example.com/") && !strings.HasPrefix(p.location, "http://localhost:3000/") {
		b.t.Fatalf("want a redirect to the app, got status %d at %s (Location %q): %s", p.status, p.url, p.location, snippet(p.body))
	}
	u, _ := url.Parse(p.location)
	if u.Fragment != "" {
		q, _ := url.ParseQuery(u.Fragment)
		return q
	}
	return u.Query()
}

// signIn opens authURL, fills the sign-in form and returns the callback's
// parameters.
func (b *browser) signIn(authURL, username, password string) url.Values {
	b.t.Helper()
	login := b.get(authURL)
	if login.status != http.StatusOK || !strings.Contains(login.body, `name="password"`) {
		b.t.Fatalf("sign-in page: status %d at %s: %s", login.status, login.url, snippet(login.body))
	}
	return b.callback(b.submit(login, "username", username, "password", password))
}

func pkceChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func testOAuthCodePKCEPublic(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid", "email", "profile", "aws.cognito.signin.user.admin")
	provider, err := oidc.NewProvider(ctx(t), c.URL+"/"+p.id)
	if err != nil {
		t.Fatalf("oidc.NewProvider: %v", err)
	}
	if provider.Endpoint().AuthURL != conf.Endpoint.AuthURL || provider.Endpoint().TokenURL != conf.Endpoint.TokenURL {
		t.Errorf("discovered endpoints = %+v", provider.Endpoint())
	}
	verifier, nonce, state := oauth2.GenerateVerifier(), uniq("nonce"), uniq("state")
	b := newBrowser(t)
	q := b.signIn(conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), p.username, oauthPassword)
	if q.Get("state") != state || q.Get("code") == "" {
		t.Fatalf("callback = %v", q)
	}
	tok, err := conf.Exchange(ctx(t), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if tok.RefreshToken == "" || tok.TokenType != "Bearer" || tok.Expiry.Before(time.Now().Add(50*time.Minute)) {
		t.Errorf("token = %+v", tok)
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: p.clientID}).Verify(ctx(t), rawID)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	if idt.Nonce != nonce || idt.AccessTokenHash == "" {
		t.Errorf("ID token nonce %q at_hash %q", idt.Nonce, idt.AccessTokenHash)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	var claims map[string]any
	_ = idt.Claims(&claims)
	if claims["cognito:username"] != p.username || claims["email"] != p.username+"@example.com" || claims["name"] != "Alice" ||
		claims["token_use"] != "id" || claims["auth_time"] == nil {
		t.Errorf("ID token claims = %v", claims)
	}
	access := jwtClaims(t, tok.AccessToken)
	if access["scope"] != "openid email profile aws.cognito.signin.user.admin" || access["version"] != float64(2) ||
		access["username"] != p.username || access["client_id"] != p.clientID || access["token_use"] != "access" {
		t.Errorf("access token claims = %v", access)
	}
	// The access token works with the user-pool API (admin scope granted).
	if _, err := c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: &tok.AccessToken}); err != nil {
		t.Errorf("GetUser with the OAuth access token: %v", err)
	}
	// userInfo through go-oidc.
	ui, err := provider.UserInfo(ctx(t), oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("UserInfo: %v", err)
	}
	if ui.Subject != idt.Subject || ui.Email != p.username+"@example.com" || !ui.EmailVerified {
		t.Errorf("UserInfo = %+v", ui)
	}
}

// jwtClaims decodes a JWT's payload (verified elsewhere).
func jwtClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return m
}

func testOAuthCodeConfidential(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, true, nil, nil)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		conf := p.oauthConfig("openid")
		conf.Endpoint.AuthStyle = style
		b := newBrowser(t)
		q := b.signIn(conf.AuthCodeURL("s1"), p.username, oauthPassword)
		tok, err := conf.Exchange(ctx(t), q.Get("code"))
		if err != nil {
			t.Fatalf("Exchange (style %d): %v", style, err)
		}
		if tok.Extra("id_token") == nil || tok.RefreshToken == "" {
			t.Errorf("token (style %d) = %+v", style, tok)
		}
		// Only openid: the ID token keeps every readable attribute.
		id := jwtClaims(t, tok.Extra("id_token").(string))
		if id["email"] == nil || id["name"] != "Alice" {
			t.Errorf("ID token with openid only = %v", id)
		}
		// An access token without the admin scope is refused by the API.
		_, err = c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: &tok.AccessToken})
		wantClientError(t, err, "NotAuthorizedException")
	}
	// A wrong secret is invalid_client (401).
	conf := p.oauthConfig("openid")
	conf.ClientSecret = "wrong-secret-value-000000"
	b := newBrowser(t)
	q := b.signIn(p.oauthConfig("openid").AuthCodeURL("s2"), p.username, oauthPassword)
	_, err := conf.Exchange(ctx(t), q.Get("code"))
	wantOAuthError(t, err, http.StatusUnauthorized, "invalid_client")
}

// wantOAuthError asserts an x/oauth2 token error with status and code.
func wantOAuthError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want an OAuth error %s", err, code)
	}
	if re.Response.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("OAuth error = %d %q (%s), want %d %q", re.Response.StatusCode, re.ErrorCode, re.Body, status, code)
	}
}

func testOAuthImplicit(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	b := newBrowser(t)
	q := b.signIn(p.base+"/oauth2/authorize?"+url.Values{
		"response_type": {"token"}, "client_id": {p.clientID}, "redirect_uri": {oauthCallback},
		"scope": {"openid profile"}, "state": {"st"}, "nonce": {"n-1"},
	}.Encode(), p.username, oauthPassword)
	if q.Get("access_token") == "" || q.Get("id_token") == "" || q.Get("state") != "st" || q.Get("expires_in") != "3600" ||
		!strings.EqualFold(q.Get("token_type"), "bearer") || q.Get("refresh_token") != "" {
		t.Fatalf("implicit fragment = %v", q)
	}
	if id := jwtClaims(t, q.Get("id_token")); id["nonce"] != "n-1" || id["at_hash"] == nil {
		t.Errorf("implicit ID token = %v", id)
	}
	// Without openid no ID token.
	b = newBrowser(t)
	q = b.signIn(p.base+"/oauth2/authorize?"+url.Values{
		"response_type": {"token"}, "client_id": {p.clientID}, "redirect_uri": {oauthCallback}, "scope": {"aws.cognito.signin.user.admin"},
	}.Encode(), p.username, oauthPassword)
	if q.Get("access_token") == "" || q.Has("id_token") {
		t.Errorf("implicit without openid = %v", q)
	}
}

func testOAuthRefreshAndRevoke(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid", "email")
	verifier := oauth2.GenerateVerifier()
	b := newBrowser(t)
	q := b.signIn(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), p.username, oauthPassword)
	tok, err := conf.Exchange(ctx(t), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	// With openid email the ID token carries email and email_verified only.
	if id := jwtClaims(t, tok.Extra("id_token").(string)); id["email"] == nil || id["name"] != nil {
		t.Errorf("ID token (openid email) = %v", id)
	}
	old := *tok
	old.Expiry = time.Now().Add(-time.Minute)
	fresh, err := conf.TokenSource(ctx(t), &old).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.AccessToken == tok.AccessToken || fresh.Extra("id_token") == nil {
		t.Errorf("refreshed = %+v", fresh)
	}
	if id := jwtClaims(t, fresh.Extra("id_token").(string)); id["name"] != nil || id["email"] == nil {
		t.Errorf("refreshed ID token keeps the scopes' claims: %v", id)
	}
	if a := jwtClaims(t, fresh.AccessToken); a["scope"] != "openid email" {
		t.Errorf("refreshed access token scope = %v", a["scope"])
	}
	// Revoke the refresh token (RFC 7009): 200, then it no longer refreshes
	// and the family's access tokens are refused by userInfo.
	resp := postForm(t, p.base+"/oauth2/revoke", url.Values{"token": {tok.RefreshToken}, "client_id": {p.clientID}}, "")
	if resp.status != http.StatusOK {
		t.Fatalf("revoke: %d %s", resp.status, resp.body)
	}
	_, err = conf.TokenSource(ctx(t), &old).Token()
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_grant")
	ui := bearerGet(t, p.base+"/oauth2/userInfo", fresh.AccessToken)
	if ui.status != http.StatusUnauthorized || !strings.Contains(ui.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("userInfo after revoke = %d %q", ui.status, ui.header.Get("WWW-Authenticate"))
	}
	// Revoking again, or a garbage token, is 200; an access token is
	// unsupported_token_type; a missing token invalid_request.
	if r := postForm(t, p.base+"/oauth2/revoke", url.Values{"token": {tok.RefreshToken}, "client_id": {p.clientID}}, ""); r.status != http.StatusOK {
		t.Errorf("revoke again = %d %s", r.status, r.body)
	}
	if r := postForm(t, p.base+"/oauth2/revoke", url.Values{"token": {"garbage"}, "client_id": {p.clientID}}, ""); r.status != http.StatusOK {
		t.Errorf("revoke garbage = %d %s", r.status, r.body)
	}
	if r := postForm(t, p.base+"/oauth2/revoke", url.Values{"token": {tok.AccessToken}, "client_id": {p.clientID}}, ""); r.status != http.StatusBadRequest || !strings.Contains(r.body, "unsupported_token_type") {
		t.Errorf("revoke an access token = %d %s", r.status, r.body)
	}
	if r := postForm(t, p.base+"/oauth2/revoke", url.Values{"client_id": {p.clientID}}, ""); r.status != http.StatusBadRequest || !strings.Contains(r.body, "invalid_request") {
		t.Errorf("revoke nothing = %d %s", r.status, r.body)
	}
}

// response is a raw HTTP answer.
type response struct {
	status int
	header http.Header
	body   string
}

func postForm(t *testing.T, u string, form url.Values, basic string) *response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != "" {
		req.Header.Set("Authorization", "Basic "+basic)
	}
	return rawDo(t, req)
}

func bearerGet(t *testing.T, u, tok string) *response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return rawDo(t, req)
}

func rawDo(t *testing.T, req *http.Request) *response {
	t.Helper()
	cl := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func testOAuthClientCredentials(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, true, nil, func(in *idp.CreateUserPoolClientInput) {
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}
		in.AllowedOAuthScopes = []string{"api/read", "api/write"}
	})
	cc := clientcredentials.Config{ClientID: p.clientID, ClientSecret: p.secret, TokenURL: p.base + "/oauth2/token"}
	tok, err := cc.Token(ctx(t))
	if err != nil {
		t.Fatalf("client_credentials: %v", err)
	}
	if tok.RefreshToken != "" || tok.Extra("id_token") != nil {
		t.Errorf("token = %+v", tok)
	}
	a := jwtClaims(t, tok.AccessToken)
	if a["sub"] != p.clientID || a["client_id"] != p.clientID || a["scope"] != "api/read api/write" || a["token_use"] != "access" {
		t.Errorf("client_credentials claims = %v", a)
	}
	cc.Scopes = []string{"api/write"}
	cc.AuthStyle = oauth2.AuthStyleInParams
	if tok, err = cc.Token(ctx(t)); err != nil || jwtClaims(t, tok.AccessToken)["scope"] != "api/write" {
		t.Errorf("client_credentials with scope (post auth): %v", err)
	}
	cc.Scopes = []string{"api/delete"}
	_, err = cc.Token(ctx(t))
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_scope")

	// A public client cannot use client_credentials.
	pub := createClient(t, c, &idp.CreateUserPoolClientInput{
		UserPoolId: &p.id, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"api/read"},
		CallbackURLs: []string{oauthCallback}, SupportedIdentityProviders: []string{"COGNITO"},
	})
	r := postForm(t, p.base+"/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {aws.ToString(pub.ClientId)}}, "")
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"unauthorized_client"`) {
		t.Errorf("client_credentials for a public client = %d %s", r.status, r.body)
	}
}

func testOAuthUserInfoScopes(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	for _, tc := range []struct {
		scopes []string
		want   []string
		absent []string
	}{
		{[]string{"openid"}, []string{"sub", "username", "email", "email_verified", "name"}, nil},
		{[]string{"openid", "email"}, []string{"sub", "username", "email", "email_verified"}, []string{"name"}},
		{[]string{"openid", "profile"}, []string{"sub", "email", "name"}, nil},
	} {
		conf := p.oauthConfig(tc.scopes...)
		b := newBrowser(t)
		q := b.signIn(conf.AuthCodeURL("s"), p.username, oauthPassword)
		tok, err := conf.Exchange(ctx(t), q.Get("code"))
		if err != nil {
			t.Fatalf("Exchange: %v", err)
		}
		r := bearerGet(t, p.base+"/oauth2/userInfo", tok.AccessToken)
		var info map[string]any
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &info) != nil {
			t.Fatalf("userInfo %v = %d %s", tc.scopes, r.status, r.body)
		}
		for _, k := range tc.want {
			if _, ok := info[k]; !ok {
				t.Errorf("userInfo %v lacks %s: %v", tc.scopes, k, info)
			}
		}
		for _, k := range tc.absent {
			if _, ok := info[k]; ok {
				t.Errorf("userInfo %v has %s: %v", tc.scopes, k, info)
			}
		}
		if info["email_verified"] != "true" || info["username"] != p.username {
			t.Errorf("userInfo values = %v", info)
		}
	}
	// Without a token: 400 invalid_request; an API-issued token (no
	// openid): 401 invalid_token.
	if r := bearerGet(t, p.base+"/oauth2/userInfo", ""); r.status != http.StatusBadRequest || !strings.Contains(r.header.Get("WWW-Authenticate"), "invalid_request") {
		t.Errorf("userInfo without a token = %d %v", r.status, r.header)
	}
	apiClient := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &p.id, ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	out, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: apiClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": p.username, "PASSWORD": oauthPassword}})
	if err != nil {
		t.Fatalf("InitiateAuth: %v", err)
	}
	if r := bearerGet(t, p.base+"/oauth2/userInfo", aws.ToString(out.AuthenticationResult.AccessToken)); r.status != http.StatusUnauthorized {
		t.Errorf("userInfo with an API token = %d", r.status)
	}
}

func testOAuthSessionPromptLogout(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid")
	b := newBrowser(t)
	b.signIn(conf.AuthCodeURL("first"), p.username, oauthPassword)
	// The hosted session signs the browser in again without the form.
	q := b.callback(b.get(conf.AuthCodeURL("again")))
	if q.Get("code") == "" || q.Get("state") != "again" {
		t.Fatalf("silent re-authorization = %v", q)
	}
	tok, err := conf.Exchange(ctx(t), q.Get("code"))
	if err != nil {
		t.Fatalf("Exchange after silent re-authorization: %v", err)
	}
	if jwtClaims(t, tok.Extra("id_token").(string))["cognito:username"] != p.username {
		t.Errorf("silent re-authorization user")
	}
	// prompt=login shows the form anyway; prompt=none without a session is
	// login_required.
	if pg := b.get(conf.AuthCodeURL("x", oauth2.SetAuthURLParam("prompt", "login"))); pg.status != http.StatusOK || !strings.Contains(pg.body, `name="password"`) {
		t.Errorf("prompt=login = %d at %s", pg.status, pg.url)
	}
	if q := newBrowser(t).callback(newBrowser(t).get(conf.AuthCodeURL("n", oauth2.SetAuthURLParam("prompt", "none")))); q.Get("error") != "login_required" || q.Get("state") != "n" {
		t.Errorf("prompt=none without a session = %v", q)
	}
	if q := b.callback(b.get(conf.AuthCodeURL("n2", oauth2.SetAuthURLParam("prompt", "none")))); q.Get("code") == "" {
		t.Errorf("prompt=none with a session = %v", q)
	}
	// Logout to a registered sign-out URL ends the session.
	out := b.get(p.base + "/logout?" + url.Values{"client_id": {p.clientID}, "logout_uri": {oauthSignOut}}.Encode())
	if out.status != http.StatusFound || out.location != oauthSignOut {
		t.Fatalf("logout = %d %q", out.status, out.location)
	}
	if pg := b.get(conf.AuthCodeURL("after")); pg.status != http.StatusOK || !strings.Contains(pg.body, `name="password"`) {
		t.Errorf("after logout the form shows again: %d at %s", pg.status, pg.url)
	}
	// Logout with redirect_uri + response_type goes to the sign-in page.
	b.signIn(conf.AuthCodeURL("s3"), p.username, oauthPassword)
	lp := b.get(p.base + "/logout?" + url.Values{"client_id": {p.clientID}, "redirect_uri": {oauthCallback}, "response_type": {"code"}, "scope": {"openid"}}.Encode())
	if lp.status != http.StatusOK || !strings.Contains(lp.body, `name="password"`) || !strings.HasSuffix(lp.url.Path, "/login") {
		t.Errorf("logout to sign in again = %d at %s", lp.status, lp.url)
	}
}

func testOAuthDiscovery(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	var doc map[string]any
	r := bearerGet(t, c.URL+"/"+p.id+"/.well-known/openid-configuration", "")
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatalf("discovery: %v", err)
	}
	if doc["authorization_endpoint"] != p.base+"/oauth2/authorize" || doc["token_endpoint"] != p.base+"/oauth2/token" ||
		doc["userinfo_endpoint"] != p.base+"/oauth2/userInfo" {
		t.Errorf("discovery = %v", doc)
	}
	// A pool without a domain lists Cognito's domain-less endpoints.
	bare := aws.ToString(createPool(t, c, "nodomain", nil).Id)
	r = bearerGet(t, c.URL+"/"+bare+"/.well-known/openid-configuration", "")
	_ = json.Unmarshal([]byte(r.body), &doc)
	if doc["authorization_endpoint"] != c.URL+"/"+bare+"/authorize" {
		t.Errorf("discovery without a domain = %v", doc)
	}
	// Its endpoints are not served (no domain).
	if r := bearerGet(t, c.URL+"/"+bare+"/oauth2/authorize?client_id=x", ""); r.status != http.StatusNotFound {
		t.Errorf("authorize of a pool without a domain = %d", r.status)
	}
}

func testOAuthHostRouting(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid")
	// By the domain prefix in the path.
	conf.Endpoint.AuthURL = c.URL + "/" + p.domain + "/oauth2/authorize"
	conf.Endpoint.TokenURL = c.URL + "/" + p.domain + "/oauth2/token"
	b := newBrowser(t)
	q := b.signIn(conf.AuthCodeURL("d"), p.username, oauthPassword)
	if _, err := conf.Exchange(ctx(t), q.Get("code")); err != nil {
		t.Fatalf("Exchange by domain path: %v", err)
	}
	// By the Host header of the prefix domain.
	host := p.domain + ".auth.us-east-1.amazoncognito.com"
	req, _ := http.NewRequest(http.MethodGet, c.URL+"/oauth2/authorize?"+url.Values{
		"response_type": {"code"}, "client_id": {p.clientID}, "redirect_uri": {oauthCallback},
	}.Encode(), nil)
	req.Host = host
	r := rawDo(t, req)
	if r.status != http.StatusFound || r.header.Get("Location") != "http://"+host+"/login?response_type=code&client_id="+p.clientID+"&redirect_uri="+url.QueryEscape(oauthCallback) {
		t.Errorf("authorize by Host = %d %q", r.status, r.header.Get("Location"))
	}
	// An unknown host has no pool.
	req.Host = "nobody.auth.us-east-1.amazoncognito.com"
	if r := rawDo(t, req); r.status != http.StatusNotFound {
		t.Errorf("authorize on an unknown host = %d", r.status)
	}
}

func testOAuthAuthorizeErrors(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, func(in *idp.CreateUserPoolClientInput) {
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode}
		in.AllowedOAuthScopes = []string{"openid", "email"}
	})
	authorize := func(kv ...string) *response {
		q := url.Values{"client_id": {p.clientID}, "redirect_uri": {oauthCallback}, "response_type": {"code"}, "state": {"S"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				q.Del(kv[i])
			} else {
				q.Set(kv[i], kv[i+1])
			}
		}
		req, _ := http.NewRequest(http.MethodGet, p.base+"/oauth2/authorize?"+q.Encode(), nil)
		return rawDo(t, req)
	}
	redirected := func(r *response, code string) {
		t.Helper()
		loc, _ := url.Parse(r.header.Get("Location"))
		if r.status != http.StatusFound || loc == nil || !strings.HasPrefix(loc.String(), oauthCallback+"?") ||
			loc.Query().Get("error") != code || loc.Query().Get("state") != "S" {
			t.Errorf("want error=%s at the callback, got %d %q", code, r.status, r.header.Get("Location"))
		}
	}
	page := func(r *response, code string) {
		t.Helper()
		if r.status != http.StatusBadRequest || r.header.Get("Location") != "" || !strings.Contains(r.body, code) {
			t.Errorf("want an error page %s, got %d %q %s", code, r.status, r.header.Get("Location"), snippet(r.body))
		}
	}
	page(authorize("redirect_uri", "https://evil.example.com/callback"), "redirect_mismatch")
	page(authorize("redirect_uri", ""), "redirect_mismatch")
	page(authorize("client_id", "nosuchclient0000000000000"), "invalid_client")
	redirected(authorize("response_type", ""), "invalid_request")
	redirected(authorize("response_type", "id_token"), "unsupported_response_type")
	redirected(authorize("response_type", "token"), "unauthorized_client")
	redirected(authorize("scope", "openid profile"), "invalid_scope")
	redirected(authorize("scope", "email"), "invalid_scope")
	redirected(authorize("code_challenge", pkceChallenge(oauth2.GenerateVerifier())), "invalid_request")
	redirected(authorize("code_challenge", pkceChallenge(oauth2.GenerateVerifier()), "code_challenge_method", "plain"), "invalid_request")
	redirected(authorize("identity_provider", "Google"), "unauthorized_client")
	redirected(authorize("prompt", "bogus"), "invalid_request")
	// A valid request goes to the sign-in page with the same parameters.
	if r := authorize("scope", "openid email"); r.status != http.StatusFound || !strings.HasPrefix(r.header.Get("Location"), p.base+"/login?") {
		t.Errorf("valid authorize = %d %q", r.status, r.header.Get("Location"))
	}
}

func testOAuthTokenErrors(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid")
	verifier := oauth2.GenerateVerifier()
	code := func() string {
		return newBrowser(t).signIn(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), p.username, oauthPassword).Get("code")
	}
	// A wrong PKCE verifier, or none, is invalid_grant (and spends the code).
	cd := code()
	_, err := conf.Exchange(ctx(t), cd, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_grant")
	_, err = conf.Exchange(ctx(t), cd, oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_grant")
	_, err = conf.Exchange(ctx(t), code())
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_grant")
	// A redirect_uri other than the authorize one is invalid_grant.
	other := *conf
	other.RedirectURL = "http://localhost:3000/cb"
	_, err = other.Exchange(ctx(t), code(), oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_grant")
	// Garbage codes, unknown grant types, other content types.
	for _, tc := range []struct {
		form   url.Values
		status int
		code   string
	}{
		{url.Values{"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {"nope"}, "redirect_uri": {oauthCallback}}, 400, "invalid_grant"},
		{url.Values{"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "redirect_uri": {oauthCallback}}, 400, "invalid_request"},
		{url.Values{"grant_type": {"password"}, "client_id": {p.clientID}}, 400, "unsupported_grant_type"},
		{url.Values{"client_id": {p.clientID}}, 400, "invalid_request"},
		{url.Values{"grant_type": {"refresh_token"}, "client_id": {p.clientID}, "refresh_token": {"x.y.z.w.v"}}, 400, "invalid_grant"},
		{url.Values{"grant_type": {"refresh_token"}, "client_id": {"nosuchclient0000000000000"}, "refresh_token": {"x"}}, 401, "invalid_client"},
		{url.Values{"grant_type": {"refresh_token"}, "client_id": {p.clientID}, "client_secret": {"not-a-secret"}, "refresh_token": {"x"}}, 401, "invalid_client"},
	} {
		r := postForm(t, p.base+"/oauth2/token", tc.form, "")
		var body map[string]string
		_ = json.Unmarshal([]byte(r.body), &body)
		if r.status != tc.status || body["error"] != tc.code {
			t.Errorf("token %v = %d %s, want %d %s", tc.form, r.status, r.body, tc.status, tc.code)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, p.base+"/oauth2/token", strings.NewReader(`{"grant_type":"authorization_code"}`))
	req.Header.Set("Content-Type", "application/json")
	if r := rawDo(t, req); r.status != http.StatusBadRequest || !strings.Contains(r.body, "invalid_request") {
		t.Errorf("JSON token request = %d %s", r.status, r.body)
	}
	// Basic auth with an unknown client: 401 with WWW-Authenticate.
	r := postForm(t, p.base+"/oauth2/token", url.Values{"grant_type": {"client_credentials"}},
		base64.StdEncoding.EncodeToString([]byte("nosuchclient0000000000000:secret")))
	if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" || !strings.Contains(r.body, "invalid_client") {
		t.Errorf("Basic with an unknown client = %d %v %s", r.status, r.header, r.body)
	}
}

func testOAuthReusedCode(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid", "aws.cognito.signin.user.admin")
	q := newBrowser(t).signIn(conf.AuthCodeURL("s"), p.username, oauthPassword)
	tok, err := conf.Exchange(ctx(t), q.Get("code"))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if _, err := c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: &tok.AccessToken}); err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	_, err = conf.Exchange(ctx(t), q.Get("code"))
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_grant")
	// The tokens the code issued are revoked.
	_, err = c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: &tok.AccessToken})
	wantClientError(t, err, "NotAuthorizedException")
	old := *tok
	old.Expiry = time.Now().Add(-time.Minute)
	_, err = conf.TokenSource(ctx(t), &old).Token()
	wantOAuthError(t, err, http.StatusBadRequest, "invalid_grant")
}

func testOAuthCSRF(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	b := newBrowser(t)
	login := b.get(p.oauthConfig("openid").AuthCodeURL("s"))
	m := reForm.FindStringSubmatch(login.body)
	if m == nil {
		t.Fatalf("no form")
	}
	action, _ := url.Parse(html.UnescapeString(m[1]))
	target := login.url.ResolveReference(action).String()
	post := func(form url.Values, hdr ...string) *page {
		req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		return b.do(req)
	}
	creds := url.Values{"username": {p.username}, "password": {oauthPassword}}
	// No token, a wrong token: 403, nobody signed in.
	if r := post(creds); r.status != http.StatusForbidden {
		t.Errorf("POST without a CSRF token = %d", r.status)
	}
	bad := url.Values{"username": {p.username}, "password": {oauthPassword}, "_csrf": {"forged"}}
	if r := post(bad); r.status != http.StatusForbidden {
		t.Errorf("POST with a forged CSRF token = %d", r.status)
	}
	// The right token from another site (a browser's Sec-Fetch-Site): 403.
	token := ""
	for _, h := range reHidden.FindAllStringSubmatch(login.body, -1) {
		if h[1] == "_csrf" {
			token = h[2]
		}
	}
	good := url.Values{"username": {p.username}, "password": {oauthPassword}, "_csrf": {token}}
	if r := post(good, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example.com"); r.status != http.StatusForbidden {
		t.Errorf("cross-site POST = %d", r.status)
	}
	// The right token from a fresh browser (another cookie): 403.
	other := newBrowser(t)
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(good.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := other.do(req); r.status != http.StatusForbidden {
		t.Errorf("token with another cookie = %d", r.status)
	}
	if r := post(good); r.status != http.StatusFound {
		t.Errorf("POST with the token = %d %s", r.status, snippet(r.body))
	}
}

func testOAuthOpenRedirects(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	for _, ru := range []string{
		"https://evil.example.com/callback",
		oauthCallback + "/../evil",
		oauthCallback + "?x=1",
		oauthCallback + "#frag",
		"HTTPS://APP.EXAMPLE.COM/callback",
		"https://app.example.com.evil.com/callback",
		"//evil.example.com",
		"javascript:alert(1)",
	} {
		q := url.Values{"client_id": {p.clientID}, "redirect_uri": {ru}, "response_type": {"code"}}
		for _, path := range []string{"/oauth2/authorize", "/login", "/signup", "/forgotPassword"} {
			r := bearerGet(t, p.base+path+"?"+q.Encode(), "")
			if r.status == http.StatusFound || r.header.Get("Location") != "" {
				t.Errorf("%s with redirect_uri %q redirected to %q", path, ru, r.header.Get("Location"))
			}
		}
	}
	// logout_uri must be a registered sign-out URL.
	for _, lu := range []string{"https://evil.example.com/", oauthSignOut + "/x", oauthCallback} {
		r := bearerGet(t, p.base+"/logout?"+url.Values{"client_id": {p.clientID}, "logout_uri": {lu}}.Encode(), "")
		if r.status == http.StatusFound {
			t.Errorf("logout_uri %q redirected to %q", lu, r.header.Get("Location"))
		}
	}
}

// pagesPool is a pool whose hosted pages tests drive: MFA options via
// configure.
func testOAuthPagesMFA(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	if _, err := c.IDP.SetUserPoolMfaConfig(ctx(t), &idp.SetUserPoolMfaConfigInput{
		UserPoolId: &p.id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	}); err != nil {
		t.Skipf("SetUserPoolMfaConfig: %v", err)
	}
	conf := p.oauthConfig("openid")
	b := newBrowser(t)
	login := b.get(conf.AuthCodeURL("m"))
	setup := b.submit(login, "username", p.username, "password", oauthPassword)
	if setup.status != http.StatusOK || !strings.Contains(setup.body, `id="secret"`) {
		t.Fatalf("MFA setup page = %d: %s", setup.status, snippet(setup.body))
	}
	secretText := regexp.MustCompile(`name="secret" value="([A-Z2-7=]+)"`).FindStringSubmatch(setup.body)
	if secretText == nil {
		t.Fatalf("no secret on the setup page")
	}
	secret, err := totp.Decode(secretText[1])
	if err != nil {
		t.Fatalf("secret: %v", err)
	}
	step := totp.Cognito.Step(time.Now())
	// A wrong code shows the page again with an error.
	again := b.submit(setup, "code", wrongCode(secret))
	if again.status != http.StatusBadRequest || !strings.Contains(again.body, `role="alert"`) {
		t.Fatalf("wrong setup code = %d: %s", again.status, snippet(again.body))
	}
	q := b.callback(b.submit(again, "code", totp.Cognito.CodeAt(secret, step), "device", "phone"))
	if _, err := conf.Exchange(ctx(t), q.Get("code")); err != nil {
		t.Fatalf("Exchange after MFA setup: %v", err)
	}
	// The next sign-in (a new browser) asks the authenticator's code.
	b = newBrowser(t)
	codePage := b.submit(b.get(conf.AuthCodeURL("m2")), "username", p.username, "password", oauthPassword)
	if codePage.status != http.StatusOK || !strings.Contains(codePage.body, "authenticator") {
		t.Fatalf("TOTP page = %d: %s", codePage.status, snippet(codePage.body))
	}
	wrong := b.submit(codePage, "code", wrongCode(secret))
	if wrong.status != http.StatusBadRequest || !strings.Contains(wrong.body, `role="alert"`) {
		t.Fatalf("wrong TOTP code = %d: %s", wrong.status, snippet(wrong.body))
	}
	q = b.callback(b.submit(wrong, "code", totp.Cognito.CodeAt(secret, step+1)))
	tok, err := conf.Exchange(ctx(t), q.Get("code"))
	if err != nil {
		t.Fatalf("Exchange after TOTP: %v", err)
	}
	if jwtClaims(t, tok.Extra("id_token").(string))["cognito:username"] != p.username {
		t.Errorf("signed-in user")
	}
}

func testOAuthPagesNewPassword(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	adminCreate(t, c, p.id, "temp-user", "email", "temp@example.com")
	setPassword(t, c, p.id, "temp-user", "Temp0rary!pw", false)
	conf := p.oauthConfig("openid")
	b := newBrowser(t)
	np := b.submit(b.get(conf.AuthCodeURL("np")), "username", "temp-user", "password", "Temp0rary!pw")
	if np.status != http.StatusOK || !strings.Contains(np.body, "new-password") {
		t.Fatalf("new password page = %d: %s", np.status, snippet(np.body))
	}
	weak := b.submit(np, "password", "short")
	if weak.status != http.StatusBadRequest || !strings.Contains(weak.body, `role="alert"`) {
		t.Fatalf("weak new password = %d: %s", weak.status, snippet(weak.body))
	}
	q := b.callback(b.submit(weak, "password", "Brand-New-Passw0rd"))
	if _, err := conf.Exchange(ctx(t), q.Get("code")); err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	wantStatus(t, c, p.id, "temp-user", types.UserStatusTypeConfirmed)
}

func testOAuthPagesSignUp(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, true, &idp.CreateUserPoolInput{
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema:                 []types.SchemaAttributeType{{Name: aws.String("email"), Required: aws.Bool(true), Mutable: aws.Bool(true)}},
	}, nil)
	conf := p.oauthConfig("openid", "email")
	b := newBrowser(t)
	login := b.get(conf.AuthCodeURL("su"))
	m := regexp.MustCompile(`href="([^"]*/signup\?[^"]*)"`).FindStringSubmatch(login.body)
	if m == nil {
		t.Fatalf("no sign-up link: %s", snippet(login.body))
	}
	form := b.get(html.UnescapeString(m[1]))
	if form.status != http.StatusOK || !strings.Contains(form.body, `name="attr:email"`) {
		t.Fatalf("sign-up page = %d: %s", form.status, snippet(form.body))
	}
	name := uniq("bob")
	confirm := b.submit(form, "username", name, "attr:email", name+"@example.com", "password", "Sign-Up-Passw0rd")
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, `name="code"`) {
		t.Fatalf("confirm page = %d: %s", confirm.status, snippet(confirm.body))
	}
	wrong := b.submit(confirm, "code", "000000", "action", "confirm")
	if wrong.status != http.StatusBadRequest {
		t.Fatalf("wrong confirmation code = %d", wrong.status)
	}
	code := lastMessage(t, c, p.id, name, "SIGN_UP", 1).Code
	q := b.callback(b.submit(wrong, "code", code, "action", "confirm"))
	tok, err := conf.Exchange(ctx(t), q.Get("code"))
	if err != nil {
		t.Fatalf("Exchange after sign-up: %v", err)
	}
	if id := jwtClaims(t, tok.Extra("id_token").(string)); id["cognito:username"] != name || id["email_verified"] != true {
		t.Errorf("ID token after sign-up = %v", id)
	}
	// Confirming with a code alone (another browser) does not sign in.
	other := uniq("carol")
	b2 := newBrowser(t)
	form = b2.get(html.UnescapeString(m[1]))
	b2.submit(form, "username", other, "attr:email", other+"@example.com", "password", "Sign-Up-Passw0rd")
	b3 := newBrowser(t)
	cpage := b3.get(p.base + "/confirm?" + url.Values{"client_id": {p.clientID}, "redirect_uri": {oauthCallback}, "response_type": {"code"}, "username": {other}}.Encode())
	done := b3.submit(cpage, "code", lastMessage(t, c, p.id, other, "SIGN_UP", 1).Code, "action", "confirm")
	if done.status != http.StatusOK || !strings.Contains(done.body, `name="password"`) {
		t.Errorf("confirm in another browser = %d: %s", done.status, snippet(done.body))
	}
	wantStatus(t, c, p.id, other, types.UserStatusTypeConfirmed)
}

// In a pool whose usernames are email addresses the sign-up form asks the
// email as the username and signs the user in after confirmation.
func testOAuthPagesSignUpEmailUsername(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, &idp.CreateUserPoolInput{
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	}, nil)
	conf := p.oauthConfig("openid", "email")
	b := newBrowser(t)
	form := b.get(p.base + "/signup?" + url.Values{"client_id": {p.clientID}, "redirect_uri": {oauthCallback}, "response_type": {"code"}, "scope": {"openid email"}}.Encode())
	if form.status != http.StatusOK || !strings.Contains(form.body, `type="email" value="" autocomplete="email"`) || strings.Contains(form.body, `name="attr:email"`) {
		t.Fatalf("sign-up page = %d: %s", form.status, snippet(form.body))
	}
	email := uniq("dora") + "@example.com"
	confirm := b.submit(form, "username", email, "password", "Sign-Up-Passw0rd")
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, `name="code"`) {
		t.Fatalf("confirm page = %d: %s", confirm.status, snippet(confirm.body))
	}
	sub := aws.ToString(getUser(t, c, p.id, email).Username)
	q := b.callback(b.submit(confirm, "code", lastMessage(t, c, p.id, sub, "SIGN_UP", 1).Code, "action", "confirm"))
	tok, err := conf.Exchange(ctx(t), q.Get("code"))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if id := jwtClaims(t, tok.Extra("id_token").(string)); id["email"] != email || id["cognito:username"] != sub {
		t.Errorf("ID token = %v", id)
	}
	// Signing in with the email works too.
	if q := newBrowser(t).signIn(conf.AuthCodeURL("again"), email, "Sign-Up-Passw0rd"); q.Get("code") == "" {
		t.Errorf("sign-in by email = %v", q)
	}
}

func testOAuthPagesForgotPassword(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	conf := p.oauthConfig("openid")
	b := newBrowser(t)
	login := b.get(conf.AuthCodeURL("fp"))
	m := regexp.MustCompile(`href="([^"]*/forgotPassword\?[^"]*)"`).FindStringSubmatch(login.body)
	if m == nil {
		t.Fatalf("no forgot-password link")
	}
	reset := b.submit(b.get(html.UnescapeString(m[1])), "username", p.username)
	if reset.status != http.StatusOK || !strings.Contains(reset.body, `name="code"`) {
		t.Fatalf("reset page = %d: %s", reset.status, snippet(reset.body))
	}
	code := lastMessage(t, c, p.id, p.username, "FORGOT_PASSWORD", 1).Code
	back := b.submit(reset, "code", code, "password", "Reset-Passw0rd!")
	if back.status != http.StatusOK || !strings.Contains(back.body, `name="password"`) {
		t.Fatalf("after reset = %d: %s", back.status, snippet(back.body))
	}
	q := b.callback(b.submit(back, "username", p.username, "password", "Reset-Passw0rd!"))
	if q.Get("code") == "" {
		t.Errorf("sign-in with the new password = %v", q)
	}
}

func testOAuthPagesLoginErrors(t *testing.T, c *cogito) {
	p := oauthSetup(t, c, false, nil, nil)
	b := newBrowser(t)
	login := b.get(p.oauthConfig("openid").AuthCodeURL("e"))
	bad := b.submit(login, "username", p.username, "password", "wrong-password")
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "Incorrect username or password.") {
		t.Errorf("wrong password = %d: %s", bad.status, snippet(bad.body))
	}
	// Disabled users cannot sign in.
	if _, err := c.IDP.AdminDisableUser(ctx(t), &idp.AdminDisableUserInput{UserPoolId: &p.id, Username: &p.username}); err != nil {
		t.Fatalf("AdminDisableUser: %v", err)
	}
	dis := b.submit(bad, "username", p.username, "password", oauthPassword)
	if dis.status != http.StatusBadRequest || !strings.Contains(dis.body, "User is disabled.") {
		t.Errorf("disabled user = %d: %s", dis.status, snippet(dis.body))
	}
	// Pages work without JavaScript: no script tags anywhere.
	if strings.Contains(login.body, "<script") || !slices.Contains([]string{"en"}, regexp.MustCompile(`<html lang="([^"]+)"`).FindStringSubmatch(login.body)[1]) {
		t.Errorf("login page has scripts or no lang")
	}
}
