package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/crewjam/saml"

	"github.com/cogito-dev/cogito/internal/trigger"
)

// TestFederation signs users in to a user pool through external identity
// providers with a cookie-keeping HTTP client: a second Cogito pool acting
// as the OIDC provider (its hosted sign-in page filled in), and a SAML IdP
// (crewjam/saml's) run in the test, SP- and IdP-initiated. The tokens carry
// the federated user (Provider_sub, EXTERNAL_PROVIDER) and the identities
// claim; AdminLinkProviderForUser makes the identity sign in as a local user
// and AdminDisableProviderForUser undoes it.
func TestFederation(t *testing.T) {
	for _, b := range []backend{sqliteBackend, postgresBackend} {
		t.Run(b.name, func(t *testing.T) { runFederation(t, start(t, b.new(t))) })
	}
}

func runFederation(t *testing.T, c *cogito) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, c *cogito)
	}{
		{"OIDCWithCogitoPool", testFederationOIDC},
		{"LinkAndUnlink", testFederationLink},
		{"SAML", testFederationSAML},
		{"SAMLIdPInitiated", testFederationSAMLIdPInitiated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, c)
		})
	}
}

const (
	fedCallback = "https://app.example.com/fed/callback"
	fedPassword = "Passw0rd!federation"
)

// fedPool is a pool with a domain and an app client.
type fedPool struct {
	id, base, clientID, secret string
}

// fedNewPool makes a pool with a prefix domain; base is its managed login
// selected by path (http://127.0.0.1:PORT/{poolId}).
func fedNewPool(t *testing.T, c *cogito, name string) *fedPool {
	t.Helper()
	return fedNewPoolWith(t, c, name, &idp.CreateUserPoolInput{})
}

// fedNewPoolWith is fedNewPool with the pool's settings.
func fedNewPoolWith(t *testing.T, c *cogito, name string, in *idp.CreateUserPoolInput) *fedPool {
	t.Helper()
	id := aws.ToString(createPool(t, c, name, in).Id)
	prefix := uniq("fed")
	if _, err := c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{UserPoolId: &id, Domain: &prefix}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	t.Cleanup(func() {
		_, _ = c.IDP.DeleteUserPoolDomain(ctx(t), &idp.DeleteUserPoolDomainInput{UserPoolId: &id, Domain: &prefix})
	})
	return &fedPool{id: id, base: c.URL + "/" + id}
}

// client adds an app client for the hosted pages and providers.
func (p *fedPool) client(t *testing.T, c *cogito, secret bool, callbacks []string, providers ...string) {
	t.Helper()
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{
		UserPoolId: &p.id, GenerateSecret: secret,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeCode},
		AllowedOAuthScopes:              []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"},
		CallbackURLs:                    callbacks,
		SupportedIdentityProviders:      providers,
	})
	p.clientID, p.secret = aws.ToString(cl.ClientId), aws.ToString(cl.ClientSecret)
}

// A fedBrowser is the OAuth tests' browser with another redirect rule: it
// follows redirects across hosts (between the two pools, the IdP and back)
// until one leaves for the app (https://app.example.com).
type (
	fedBrowser = browser
	fedPage    = page
)

func newFedBrowser(t *testing.T) *fedBrowser {
	jar, _ := cookiejar.New(nil)
	return &fedBrowser{t: t, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host == "app.example.com" || len(via) > 15 {
				return http.ErrUseLastResponse
			}
			return nil
		}}}
}

var fedReButton = regexp.MustCompile(`<a class="idpButton-customizable" href="([^"]*)">Continue with CogitoIdP</a>`)

// appCallback returns the query of the redirect to the app.
func (b *fedBrowser) appCallback(p *fedPage) url.Values {
	b.t.Helper()
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, fedCallback) {
		b.t.Fatalf("want a redirect to the app, got status %d at %s (Location %q): %.800s", p.status, p.url, p.location, p.body)
	}
	u, _ := url.Parse(p.location)
	return u.Query()
}

// fedAuthorize is the authorize URL of p's client for a provider, with a
// PKCE challenge of verifier.
func fedAuthorize(p *fedPool, provider, verifier string, extra ...string) string {
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {p.clientID}, "response_type": {"code"}, "redirect_uri": {fedCallback},
		"identity_provider": {provider}, "scope": {"openid email profile aws.cognito.signin.user.admin"}, "state": {"st-" + provider},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return p.base + "/oauth2/authorize?" + q.Encode()
}

// fedTokens redeems a code at p's token endpoint and returns the ID and
// access tokens' claims.
func fedTokens(t *testing.T, c *cogito, p *fedPool, code, verifier string) (id, access map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {code},
		"redirect_uri": {fedCallback}, "code_verifier": {verifier}}
	resp, err := c.HTTP.PostForm(p.base+"/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		IDToken     string `json:"id_token"`
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
	}
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("token endpoint: %d %s", resp.StatusCode, body)
	}
	return fedClaims(t, out.IDToken), fedClaims(t, out.AccessToken)
}

func fedClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// fedIdentity returns the one entry of an identities claim.
func fedIdentity(t *testing.T, claims map[string]any) map[string]any {
	t.Helper()
	ids, ok := claims["identities"].([]any)
	if !ok || len(ids) != 1 {
		t.Fatalf("identities claim = %#v", claims["identities"])
	}
	return ids[0].(map[string]any)
}

// fedAttr returns a user's attribute.
func fedAttr(u *idp.AdminGetUserOutput, name string) string {
	for _, a := range u.UserAttributes {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

// fedOIDCSetup makes the IdP pool (a Cogito pool whose app client redirects
// to the relying pool's /oauth2/idpresponse) and the relying pool with an
// OIDC provider "CogitoIdP" for it.
func fedOIDCSetup(t *testing.T, c *cogito) (idpPool, rp *fedPool) {
	t.Helper()
	return fedOIDCSetupWith(t, c, &idp.CreateUserPoolInput{})
}

// fedOIDCSetupWith is fedOIDCSetup with the relying pool's settings.
func fedOIDCSetupWith(t *testing.T, c *cogito, rpIn *idp.CreateUserPoolInput) (idpPool, rp *fedPool) {
	t.Helper()
	rp = fedNewPoolWith(t, c, "fed-rp", rpIn)
	idpPool = fedNewPool(t, c, "fed-idp")
	idpPool.client(t, c, true, []string{rp.base + "/oauth2/idpresponse"}, "COGNITO")
	if _, err := c.IDP.CreateIdentityProvider(ctx(t), &idp.CreateIdentityProviderInput{
		UserPoolId: &rp.id, ProviderName: aws.String("CogitoIdP"), ProviderType: types.IdentityProviderTypeTypeOidc,
		ProviderDetails: map[string]string{"client_id": idpPool.clientID, "client_secret": idpPool.secret,
			"authorize_scopes": "openid email profile", "attributes_request_method": "GET", "oidc_issuer": idpPool.base},
		AttributeMapping: map[string]string{"email": "email", "email_verified": "email_verified", "name": "name"},
	}); err != nil {
		t.Fatalf("CreateIdentityProvider: %v", err)
	}
	rp.client(t, c, false, []string{fedCallback}, "COGNITO", "CogitoIdP")
	return idpPool, rp
}

// fedOIDCSignIn signs username in at the IdP pool through the relying
// pool's authorize endpoint and returns the relying pool's tokens.
func fedOIDCSignIn(t *testing.T, c *cogito, rp *fedPool, username string) (id, access map[string]any) {
	t.Helper()
	b := newFedBrowser(t)
	verifier := uniq("verifier-0123456789-0123456789-0123456789")
	login := b.get(fedAuthorize(rp, "CogitoIdP", verifier))
	if login.status != http.StatusOK || !strings.Contains(login.body, `name="password"`) {
		t.Fatalf("IdP sign-in page: %d at %s: %.600s", login.status, login.url, login.body)
	}
	if !strings.Contains(login.url.Path, "/login") {
		t.Errorf("signed in at %s", login.url)
	}
	q := b.appCallback(b.submit(login, "username", username, "password", fedPassword))
	if q.Get("state") != "st-CogitoIdP" || q.Get("code") == "" {
		t.Fatalf("callback = %v", q)
	}
	return fedTokens(t, c, rp, q.Get("code"), verifier)
}

func testFederationOIDC(t *testing.T, c *cogito) {
	idpPool, rp := fedOIDCSetup(t, c)
	alice := adminCreateConfirmed(t, c, idpPool.id, "alice-"+uniq("u"), fedPassword,
		"email", "alice@idp.example", "email_verified", "true", "name", "Alice Federated")
	aliceSub := fedAttrOf(alice.Attributes, "sub")

	id, access := fedOIDCSignIn(t, c, rp, aws.ToString(alice.Username))
	wantUser := "CogitoIdP_" + aliceSub
	if id["cognito:username"] != wantUser || access["username"] != wantUser || id["email"] != "alice@idp.example" ||
		id["email_verified"] != true || id["name"] != "Alice Federated" || id["aud"] != rp.clientID {
		t.Errorf("ID token = %v\naccess token = %v", id, access)
	}
	ident := fedIdentity(t, id)
	if ident["userId"] != aliceSub || ident["providerName"] != "CogitoIdP" || ident["providerType"] != "OIDC" ||
		ident["primary"] != "true" || ident["issuer"] != nil || ident["dateCreated"] == "" {
		t.Errorf("identities = %v", ident)
	}

	u, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &rp.id, Username: aws.String(wantUser)})
	if err != nil {
		t.Fatalf("AdminGetUser: %v", err)
	}
	if u.UserStatus != types.UserStatusTypeExternalProvider || !u.Enabled || fedAttr(u, "email") != "alice@idp.example" ||
		!strings.Contains(fedAttr(u, "identities"), `"providerName":"CogitoIdP"`) {
		t.Errorf("federated user: %s %v", u.UserStatus, u.UserAttributes)
	}

	// A later sign-in updates the mapped attributes from the IdP.
	if _, err := c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{UserPoolId: &idpPool.id, Username: alice.Username,
		UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String("Alice Renamed")}}}); err != nil {
		t.Fatal(err)
	}
	id, _ = fedOIDCSignIn(t, c, rp, aws.ToString(alice.Username))
	if id["cognito:username"] != wantUser || id["name"] != "Alice Renamed" || fedIdentity(t, id)["userId"] != aliceSub {
		t.Errorf("second sign-in: %v", id)
	}
	out, err := c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: &rp.id})
	if err != nil || len(out.Users) != 1 {
		t.Errorf("ListUsers: %v, %d users", err, len(out.Users))
	}

	// The relying pool's sign-in page offers the provider as a button.
	b := newFedBrowser(t)
	verifier := uniq("verifier-button-0123456789-0123456789-0123456789")
	rpLogin := b.get(strings.Replace(fedAuthorize(rp, "CogitoIdP", verifier), "&identity_provider=CogitoIdP", "", 1))
	m := fedReButton.FindStringSubmatch(rpLogin.body)
	if rpLogin.status != http.StatusOK || m == nil {
		t.Fatalf("sign-in page without a CogitoIdP button: %d at %s: %.600s", rpLogin.status, rpLogin.url, rpLogin.body)
	}
	button, _ := url.Parse(html.UnescapeString(m[1]))
	idpLogin := b.get(rpLogin.url.ResolveReference(button).String())
	q := b.appCallback(b.submit(idpLogin, "username", aws.ToString(alice.Username), "password", fedPassword))
	if id, _ := fedTokens(t, c, rp, q.Get("code"), verifier); id["cognito:username"] != wantUser {
		t.Errorf("signed in by the button as %v", id["cognito:username"])
	}
}

func fedAttrOf(as []types.AttributeType, name string) string {
	for _, a := range as {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

func testFederationLink(t *testing.T, c *cogito) {
	idpPool, rp := fedOIDCSetup(t, c)
	carol := adminCreateConfirmed(t, c, idpPool.id, "carol-"+uniq("u"), fedPassword, "email", "carol@idp.example", "email_verified", "true")
	carolSub := fedAttrOf(carol.Attributes, "sub")
	bob := adminCreateConfirmed(t, c, rp.id, "bob-"+uniq("u"), fedPassword, "email", "bob@rp.example", "email_verified", "true")

	if _, err := c.IDP.AdminLinkProviderForUser(ctx(t), &idp.AdminLinkProviderForUserInput{UserPoolId: &rp.id,
		DestinationUser: &types.ProviderUserIdentifierType{ProviderName: aws.String("Cognito"), ProviderAttributeValue: bob.Username},
		SourceUser: &types.ProviderUserIdentifierType{ProviderName: aws.String("CogitoIdP"), ProviderAttributeName: aws.String("Cognito_Subject"),
			ProviderAttributeValue: aws.String(carolSub)}}); err != nil {
		t.Fatalf("AdminLinkProviderForUser: %v", err)
	}
	id, _ := fedOIDCSignIn(t, c, rp, aws.ToString(carol.Username))
	if id["cognito:username"] != aws.ToString(bob.Username) || id["sub"] != fedAttrOf(bob.Attributes, "sub") || id["email"] != "carol@idp.example" {
		t.Errorf("linked sign-in: %v", id)
	}
	if ident := fedIdentity(t, id); ident["userId"] != carolSub || ident["providerName"] != "CogitoIdP" {
		t.Errorf("identities of the linked user = %v", ident)
	}
	if _, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &rp.id, Username: aws.String("CogitoIdP_" + carolSub)}); err == nil {
		t.Error("a federated user was created for a linked identity")
	}

	if _, err := c.IDP.AdminDisableProviderForUser(ctx(t), &idp.AdminDisableProviderForUserInput{UserPoolId: &rp.id,
		User: &types.ProviderUserIdentifierType{ProviderName: aws.String("CogitoIdP"), ProviderAttributeName: aws.String("Cognito_Subject"),
			ProviderAttributeValue: aws.String(carolSub)}}); err != nil {
		t.Fatalf("AdminDisableProviderForUser: %v", err)
	}
	id, _ = fedOIDCSignIn(t, c, rp, aws.ToString(carol.Username))
	if id["cognito:username"] != "CogitoIdP_"+carolSub {
		t.Errorf("after unlinking, signed in as %v", id["cognito:username"])
	}
	u, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &rp.id, Username: bob.Username})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(fedAttr(u, "identities"), carolSub) {
		t.Errorf("bob keeps the unlinked identity: %s", fedAttr(u, "identities"))
	}
}

// fedSAMLIdP is crewjam/saml's identity provider in an httptest server; it
// reads the pools' SP metadata from Cogito.
type fedSAMLIdP struct {
	srv     *httptest.Server
	idp     *saml.IdentityProvider
	spURLs  map[string]string // entity id → SP metadata URL
	session *saml.Session
}

func newFedSAMLIdP(t *testing.T, c *cogito) *fedSAMLIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "e2e idp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	f := &fedSAMLIdP{spURLs: map[string]string{}, session: &saml.Session{ID: "e2e", CreateTime: time.Now(), ExpireTime: time.Now().Add(time.Hour),
		Index: "1", NameID: "dana@corp.example", UserEmail: "dana@corp.example", UserGivenName: "Dana"}}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	md, _ := url.Parse(f.srv.URL + "/metadata")
	sso, _ := url.Parse(f.srv.URL + "/sso")
	f.idp = &saml.IdentityProvider{Key: key, Certificate: cert, MetadataURL: *md, SSOURL: *sso,
		Logger: log.New(io.Discard, "", 0), SessionProvider: f,
		ServiceProviderProvider: fedSPFetcher{f: f, http: c.HTTP}}
	mux.HandleFunc("/metadata", f.idp.ServeMetadata)
	mux.HandleFunc("/sso", f.idp.ServeSSO)
	return f
}

func (f *fedSAMLIdP) GetSession(http.ResponseWriter, *http.Request, *saml.IdpAuthnRequest) *saml.Session {
	return f.session
}

// fedSPFetcher reads SP metadata from Cogito's /saml2/metadata.
type fedSPFetcher struct {
	f    *fedSAMLIdP
	http *http.Client
}

func (s fedSPFetcher) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	u, ok := s.f.spURLs[id]
	if !ok {
		return nil, os.ErrNotExist
	}
	resp, err := s.http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New("SP metadata: " + resp.Status)
	}
	b, _ := io.ReadAll(resp.Body)
	ed := new(saml.EntityDescriptor)
	return ed, xml.Unmarshal(b, ed)
}

// fedSAMLPool makes a pool with a SAML provider at the IdP and a client.
func fedSAMLPool(t *testing.T, c *cogito, f *fedSAMLIdP, provider string, details map[string]string) *fedPool {
	t.Helper()
	p := fedNewPool(t, c, "fed-saml")
	d := map[string]string{"MetadataURL": f.srv.URL + "/metadata"}
	for k, v := range details {
		d[k] = v
	}
	if _, err := c.IDP.CreateIdentityProvider(ctx(t), &idp.CreateIdentityProviderInput{
		UserPoolId: &p.id, ProviderName: aws.String(provider), ProviderType: types.IdentityProviderTypeTypeSaml,
		ProviderDetails:  d,
		AttributeMapping: map[string]string{"email": "urn:oid:0.9.2342.19200300.100.1.3", "given_name": "urn:oid:2.5.4.42"},
	}); err != nil {
		t.Fatalf("CreateIdentityProvider: %v", err)
	}
	f.spURLs["urn:amazon:cognito:sp:"+p.id] = p.base + "/saml2/metadata"
	return p
}

func testFederationSAML(t *testing.T, c *cogito) {
	f := newFedSAMLIdP(t, c)
	p := fedSAMLPool(t, c, f, "Corp", map[string]string{"RequestSigningAlgorithm": "rsa-sha256"})
	p.client(t, c, false, []string{fedCallback}, "COGNITO", "Corp")

	b := newFedBrowser(t)
	verifier := uniq("verifier-saml-0123456789-0123456789-0123456789")
	form := b.get(fedAuthorize(p, "Corp", verifier))
	if form.status != http.StatusOK || !strings.Contains(form.body, "SAMLResponse") || form.url.Host != strings.TrimPrefix(f.srv.URL, "http://") {
		t.Fatalf("IdP answer: %d at %s: %.600s", form.status, form.url, form.body)
	}
	if sig := form.url.Query().Get("Signature"); sig == "" {
		t.Error("the AuthnRequest is not signed")
	}
	q := b.appCallback(b.submit(form))
	if q.Get("state") != "st-Corp" {
		t.Errorf("callback = %v", q)
	}
	id, _ := fedTokens(t, c, p, q.Get("code"), verifier)
	if id["cognito:username"] != "Corp_dana@corp.example" || id["email"] != "dana@corp.example" || id["given_name"] != "Dana" {
		t.Errorf("ID token = %v", id)
	}
	ident := fedIdentity(t, id)
	if ident["providerType"] != "SAML" || ident["userId"] != "dana@corp.example" || ident["providerName"] != "Corp" {
		t.Errorf("identities = %v", ident)
	}
	u, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &p.id, Username: aws.String("Corp_dana@corp.example")})
	if err != nil || u.UserStatus != types.UserStatusTypeExternalProvider {
		t.Errorf("AdminGetUser: %v %v", err, u)
	}

	// Posting the same response again is refused.
	again := b.submit(form)
	if again.status != http.StatusBadRequest {
		t.Errorf("replayed response: %d %s", again.status, again.location)
	}
}

func testFederationSAMLIdPInitiated(t *testing.T, c *cogito) {
	f := newFedSAMLIdP(t, c)
	p := fedSAMLPool(t, c, f, "CorpPortal", map[string]string{"IDPInit": "true"})
	p.client(t, c, false, []string{fedCallback}, "CorpPortal")

	relay := url.Values{"client_id": {p.clientID}, "redirect_uri": {fedCallback}, "response_type": {"code"},
		"identity_provider": {"CorpPortal"}, "scope": {"openid email"}, "state": {"from-portal"}}.Encode()
	w := httptest.NewRecorder()
	f.idp.ServeIDPInitiated(w, httptest.NewRequest(http.MethodGet, f.srv.URL+"/portal", nil), "urn:amazon:cognito:sp:"+p.id, relay)
	if w.Code != http.StatusOK {
		t.Fatalf("IdP-initiated: %d %s", w.Code, w.Body)
	}
	b := newFedBrowser(t)
	portal := &fedPage{status: http.StatusOK, url: &url.URL{Scheme: "http", Host: strings.TrimPrefix(f.srv.URL, "http://"), Path: "/portal"}, body: w.Body.String()}
	q := b.appCallback(b.submit(portal))
	if q.Get("state") != "from-portal" || q.Get("code") == "" {
		t.Fatalf("callback = %v", q)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {p.clientID}, "code": {q.Get("code")}, "redirect_uri": {fedCallback}}
	resp, err := c.HTTP.PostForm(p.base+"/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		IDToken string `json:"id_token"`
		Scope   string `json:"scope"`
	}
	body, _ := io.ReadAll(resp.Body)
	if json.Unmarshal(body, &out) != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("token: %d %s", resp.StatusCode, body)
	}
	if id := fedClaims(t, out.IDToken); id["cognito:username"] != "CorpPortal_dana@corp.example" {
		t.Errorf("ID token = %v", id)
	}
}

// TestFederationTriggers checks the Lambda triggers of federated sign-in
// with functions behind a Lambda Invoke API: PreSignUp_ExternalProvider,
// post confirmation and post authentication at the first sign-in, pre and
// post authentication at the next, and a pre sign-up refusal sent to the app.
func TestFederationTriggers(t *testing.T) {
	e := newLambdaEnv(t)
	c := e.c
	pre, post, preAuth, postAuth := "fedpre-"+uniq("f"), "fedpost-"+uniq("f"), "fedpreauth-"+uniq("f"), "fedpostauth-"+uniq("f")
	idpPool, rp := fedOIDCSetupWith(t, c, &idp.CreateUserPoolInput{LambdaConfig: &types.LambdaConfigType{
		PreSignUp: arn(pre), PostConfirmation: arn(post), PreAuthentication: arn(preAuth), PostAuthentication: arn(postAuth)}})
	e.rec.On(pre, func(ev map[string]any) (any, error) {
		if email, _ := path(ev, "request", "userAttributes", "email").(string); strings.HasSuffix(email, "@outsider.example") {
			return nil, &trigger.FunctionError{Message: "No outsiders", Type: "Error"}
		}
		return ev, nil
	})
	erin := adminCreateConfirmed(t, c, idpPool.id, "erin-"+uniq("u"), fedPassword, "email", "erin@idp.example", "email_verified", "true")
	username := "CogitoIdP_" + fedAttrOf(erin.Attributes, "sub")

	fedOIDCSignIn(t, c, rp, aws.ToString(erin.Username))
	sources := func() []string {
		var out []string
		for _, fn := range []string{pre, post, preAuth, postAuth} {
			for _, call := range e.rec.CallsTo(fn) {
				out = append(out, call.Source())
			}
		}
		return out
	}
	if got, want := strings.Join(sources(), " "), "PreSignUp_ExternalProvider PostConfirmation_ConfirmSignUp PostAuthentication_Authentication"; got != want {
		t.Errorf("first sign-in triggers: %s, want %s", got, want)
	}
	ev := e.events(pre)[0]
	if ev["userName"] != username || ev["userPoolId"] != rp.id || path(ev, "request", "userAttributes", "email") != "erin@idp.example" ||
		path(ev, "callerContext", "clientId") != rp.clientID {
		t.Errorf("pre sign-up event = %s", asJSON(t, ev))
	}
	if ev := e.events(post)[0]; path(ev, "request", "userAttributes", "cognito:user_status") != "EXTERNAL_PROVIDER" {
		t.Errorf("post confirmation event = %s", asJSON(t, ev))
	}

	e.rec.Reset()
	fedOIDCSignIn(t, c, rp, aws.ToString(erin.Username))
	if got, want := strings.Join(sources(), " "), "PreAuthentication_Authentication PostAuthentication_Authentication"; got != want {
		t.Errorf("second sign-in triggers: %s, want %s", got, want)
	}

	// A refusal of the pre sign-up function goes to the app.
	outsider := adminCreateConfirmed(t, c, idpPool.id, "olga-"+uniq("u"), fedPassword, "email", "olga@outsider.example", "email_verified", "true")
	b := newFedBrowser(t)
	login := b.get(fedAuthorize(rp, "CogitoIdP", "v"))
	q := b.appCallback(b.submit(login, "username", aws.ToString(outsider.Username), "password", fedPassword))
	if q.Get("error") != "invalid_request" || q.Get("error_description") != "PreSignUp failed with error No outsiders." || q.Get("state") != "st-CogitoIdP" {
		t.Errorf("refused sign-in redirect = %v", q)
	}
	if _, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &rp.id,
		Username: aws.String("CogitoIdP_" + fedAttrOf(outsider.Attributes, "sub"))}); err == nil {
		t.Error("the refused user was created")
	}
}
