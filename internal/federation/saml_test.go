package federation

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/xml"
	"html"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// fakeSAML is a SAML 2.0 identity provider (crewjam/saml's) for the tests.
type fakeSAML struct {
	t   *testing.T
	srv *httptest.Server
	idp *saml.IdentityProvider

	mu sync.Mutex
	// session is the user the IdP vouches for.
	session *saml.Session
	// sp is the service provider metadata the IdP knows (the pool's).
	sp *saml.EntityDescriptor
	// plain strips the SP's encryption certificate: unencrypted assertions.
	plain bool
}

func newFakeSAML(t *testing.T) *fakeSAML {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test idp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	f := &fakeSAML{t: t}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	md, _ := url.Parse(f.srv.URL + "/metadata")
	sso, _ := url.Parse(f.srv.URL + "/sso")
	f.idp = &saml.IdentityProvider{Key: key, Certificate: cert, MetadataURL: *md, SSOURL: *sso,
		Logger: log.New(io.Discard, "", 0), ServiceProviderProvider: f, SessionProvider: f}
	mux.HandleFunc("/metadata", f.idp.ServeMetadata)
	mux.HandleFunc("/sso", f.idp.ServeSSO)
	f.session = &saml.Session{ID: "s1", CreateTime: time.Now(), ExpireTime: time.Now().Add(time.Hour), Index: "1",
		NameID: "alice@corp.example", UserEmail: "alice@corp.example", UserGivenName: "Alice", UserSurname: "Liddell",
		Groups: []string{"Admins", "Read Only"}}
	return f
}

func (f *fakeSAML) GetSession(_ http.ResponseWriter, _ *http.Request, _ *saml.IdpAuthnRequest) *saml.Session {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.session
}

func (f *fakeSAML) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sp == nil || f.sp.EntityID != id {
		return nil, os.ErrNotExist
	}
	sp := *f.sp
	if f.plain {
		sp.SPSSODescriptors = append([]saml.SPSSODescriptor(nil), sp.SPSSODescriptors...)
		for i := range sp.SPSSODescriptors {
			sp.SPSSODescriptors[i].KeyDescriptors = nil
		}
	}
	return &sp, nil
}

// metadataXML is the IdP's metadata document.
func (f *fakeSAML) metadataXML() string {
	b, err := xml.Marshal(f.idp.Metadata())
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

// trust makes the IdP know the pool's SP, from the served SP metadata.
func (e *env) trust(f *fakeSAML) {
	e.t.Helper()
	w := httptest.NewRecorder()
	e.svc.SPMetadata(w, httptest.NewRequest(http.MethodGet, baseURL+SAMLMetadataPath, nil), e.pool, baseURL)
	if w.Code != http.StatusOK {
		e.t.Fatalf("SP metadata: %d %s", w.Code, w.Body)
	}
	ed := new(saml.EntityDescriptor)
	if err := xml.Unmarshal(w.Body.Bytes(), ed); err != nil {
		e.t.Fatalf("SP metadata: %v\n%s", err, w.Body)
	}
	f.mu.Lock()
	f.sp = ed
	f.mu.Unlock()
}

// okta creates a SAML provider "Okta" at the fake IdP.
func (e *env) okta(f *fakeSAML, mapping map[string]string, details ...string) {
	e.t.Helper()
	d := map[string]string{"MetadataURL": f.srv.URL + "/metadata"}
	for i := 0; i+1 < len(details); i += 2 {
		d[details[i]] = details[i+1]
	}
	if _, ok := d["MetadataFile"]; ok {
		delete(d, "MetadataURL")
	}
	e.createProvider(&cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("Okta"),
		ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeSaml), ProviderDetails: d, AttributeMapping: mapping})
	e.trust(f)
}

var (
	reSAMLResponse = regexp.MustCompile(`name="SAMLResponse" value="([^"]*)"`)
	reRelayState   = regexp.MustCompile(`name="RelayState" value="([^"]*)"`)
	reFormAction   = regexp.MustCompile(`<form method="post" action="([^"]*)"`)
)

// postForm reads the auto-submitted form an IdP answers with.
func postForm(t *testing.T, body string) (action, samlResponse, relayState string) {
	t.Helper()
	m := reSAMLResponse.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no SAMLResponse in %s", body)
	}
	samlResponse = html.UnescapeString(m[1])
	if m := reRelayState.FindStringSubmatch(body); m != nil {
		relayState = html.UnescapeString(m[1])
	}
	if m := reFormAction.FindStringSubmatch(body); m != nil {
		action = html.UnescapeString(m[1])
	}
	return action, samlResponse, relayState
}

// idpAnswer follows Start's redirect to the IdP and returns the form the
// IdP answers with.
func (e *env) idpAnswer(loc *url.URL) (action, samlResponse, relayState string) {
	e.t.Helper()
	resp, err := http.Get(loc.String())
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("IdP answered %d: %s", resp.StatusCode, b)
	}
	return postForm(e.t, string(b))
}

// acs posts a SAML response to /saml2/idpresponse.
func (e *env) acs(samlResponse, relayState string) *httptest.ResponseRecorder {
	form := url.Values{"SAMLResponse": {samlResponse}}
	if relayState != "" {
		form.Set("RelayState", relayState)
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, baseURL+SAMLACSPath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.svc.SAMLResponse(w, r)
	return w
}

const (
	oidMail      = "urn:oid:0.9.2342.19200300.100.1.3"
	oidGivenName = "urn:oid:2.5.4.42"
	oidSurname   = "urn:oid:2.5.4.4"
	// oidAffiliation is eduPersonAffiliation, which crewjam's IdP fills
	// with the session's groups.
	oidAffiliation = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"
)

func TestSAMLSPInitiatedSignIn(t *testing.T) {
	for _, tc := range []struct {
		name      string
		plain     bool
		signed    bool
		byFile    bool
		wantEncry bool
	}{
		{name: "encrypted assertion, metadata URL", wantEncry: true},
		{name: "plain assertion, metadata file, signed requests", plain: true, signed: true, byFile: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			f := newFakeSAML(t)
			f.plain = tc.plain
			var details []string
			if tc.signed {
				details = append(details, "RequestSigningAlgorithm", "rsa-sha256")
			}
			if tc.byFile {
				details = append(details, "MetadataFile", f.metadataXML())
			}
			e.okta(f, map[string]string{"email": oidMail, "given_name": oidGivenName, "family_name": oidSurname, "custom:groups": oidAffiliation}, details...)

			loc := location(t, e.start("Okta"))
			if got := loc.Scheme + "://" + loc.Host + loc.Path; got != f.srv.URL+"/sso" {
				t.Errorf("SSO endpoint = %s", got)
			}
			q := loc.Query()
			if q.Get("SAMLRequest") == "" || q.Get("RelayState") == "" {
				t.Fatalf("redirect lacks SAMLRequest or RelayState: %s", loc)
			}
			if tc.signed != (q.Get("Signature") != "" && q.Get("SigAlg") == sigAlgRSASHA256) {
				t.Errorf("signed request: SigAlg=%q Signature=%q", q.Get("SigAlg"), q.Get("Signature"))
			}
			req := inflate(t, q.Get("SAMLRequest"))
			for _, want := range []string{`AssertionConsumerServiceURL="` + baseURL + `/saml2/idpresponse"`, "urn:amazon:cognito:sp:" + e.pool, `ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"`} {
				if !strings.Contains(req, want) {
					t.Errorf("AuthnRequest lacks %s:\n%s", want, req)
				}
			}

			action, resp, relay := e.idpAnswer(loc)
			if action != baseURL+SAMLACSPath || relay != q.Get("RelayState") {
				t.Errorf("IdP posts to %s with RelayState %q", action, relay)
			}
			if doc := decodeB64(t, resp); strings.Contains(doc, "EncryptedAssertion") != tc.wantEncry {
				t.Errorf("encrypted = %v, want %v", !tc.wantEncry, tc.wantEncry)
			}
			w := e.acs(resp, relay)
			if got := location(t, w).String(); !strings.HasPrefix(got, callbackURL+"?code=") {
				t.Errorf("ACS redirects to %s", got)
			}
			u := e.completed()
			if u.Username != "Okta_alice@corp.example" || u.Status != "EXTERNAL_PROVIDER" {
				t.Errorf("user = %s %s", u.Username, u.Status)
			}
			for k, want := range map[string]string{"email": "alice@corp.example", "given_name": "Alice", "family_name": "Liddell", "custom:groups": "[Admins, Read+Only]"} {
				if u.Attributes[k] != want {
					t.Errorf("%s = %q, want %q", k, u.Attributes[k], want)
				}
			}
			ids := identities(t, u)
			if len(ids) != 1 || ids[0].ProviderType != "SAML" || ids[0].UserID != "alice@corp.example" || ids[0].Issuer == nil || *ids[0].Issuer != f.srv.URL+"/metadata" {
				t.Errorf("identities = %+v", ids)
			}

			// The same response again: the state is used up.
			if w := e.acs(resp, relay); w.Code != http.StatusBadRequest {
				t.Errorf("replayed response: %d", w.Code)
			}
			e.nothing()
		})
	}
}

func TestSAMLResponsesThatFailValidation(t *testing.T) {
	e := newEnv(t)
	f := newFakeSAML(t)
	f.plain = true
	e.okta(f, map[string]string{"email": oidMail})

	// A response from another IdP (another key) with the same entity id.
	other := newFakeSAML(t)
	other.plain = true
	other.idp.MetadataURL = f.idp.MetadataURL
	other.sp = f.sp
	loc := location(t, e.start("Okta"))
	otherLoc := *loc
	otherLoc.Host = strings.TrimPrefix(other.srv.URL, "http://")
	other.idp.SSOURL = f.idp.SSOURL // the request's Destination
	_, resp, relay := e.idpAnswer(&otherLoc)
	location(t, e.acs(resp, relay))
	if got := e.failure(); !strings.HasPrefix(got, "invalid_request: Invalid SAML response received:") || !strings.Contains(got, "signature") {
		t.Errorf("forged signature: %q", got)
	}

	// A response for another request (InResponseTo of a request Cogito did
	// not make for this state).
	loc1 := location(t, e.start("Okta"))
	loc2 := location(t, e.start("Okta"))
	_, resp1, _ := e.idpAnswer(loc1)
	location(t, e.acs(resp1, loc2.Query().Get("RelayState")))
	if got := e.failure(); !strings.HasPrefix(got, "invalid_request: Invalid SAML response received:") || !strings.Contains(got, "InResponseTo") {
		t.Errorf("InResponseTo of another request: %q", got)
	}

	// An unsolicited response for a provider without IDPInit.
	_, resp, _ = e.idpAnswer(location(t, e.start("Okta")))
	w := e.acs(resp, "client_id="+e.client.ID+"&redirect_uri="+url.QueryEscape(callbackURL)+"&response_type=code&identity_provider=Okta")
	location(t, w)
	if got := e.failure(); got != "invalid_request: IdP-initiated sign-in is not enabled for the identity provider Okta." {
		t.Errorf("IdP-initiated without IDPInit: %q", got)
	}

	// No or garbage relay state; a response too large.
	for name, form := range map[string][2]string{"no relay state": {resp, ""}, "garbage relay state": {resp, "xyz"}, "huge": {strings.Repeat("A", maxSAMLResponse+4), "x=y"}} {
		if w := e.acs(form[0], form[1]); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", name, w.Code)
		}
	}
	e.nothing()
}

func TestSAMLIdPInitiatedSignIn(t *testing.T) {
	e := newEnv(t)
	f := newFakeSAML(t)
	e.okta(f, map[string]string{"email": oidMail}, "IDPInit", "true")
	e.client.Settings.SupportedIdentityProviders = []string{"Okta"}
	e.trust(f)

	relay := url.Values{"client_id": {e.client.ID}, "redirect_uri": {callbackURL}, "response_type": {"code"},
		"identity_provider": {"Okta"}, "scope": {"openid email phone"}, "state": {"portal"}}.Encode()
	unsolicited := func() (string, string) {
		w := httptest.NewRecorder()
		f.idp.ServeIDPInitiated(w, httptest.NewRequest(http.MethodGet, f.srv.URL+"/start", nil), "urn:amazon:cognito:sp:"+e.pool, relay)
		_, resp, rs := postForm(t, w.Body.String())
		return resp, rs
	}
	resp, rs := unsolicited()
	if rs != relay {
		t.Fatalf("relay state = %q", rs)
	}
	loc := location(t, e.acs(resp, rs))
	if loc.Query().Get("state") != "portal" || loc.Query().Get("code") == "" {
		t.Errorf("redirect = %s", loc)
	}
	u := e.completed()
	if u.Username != "Okta_alice@corp.example" || u.Attributes["email"] != "alice@corp.example" {
		t.Errorf("user = %s %v", u.Username, u.Attributes)
	}
	// The same assertion again is refused.
	location(t, e.acs(resp, rs))
	if got := e.failure(); got != "invalid_request: "+msgSAMLReplay {
		t.Errorf("replayed assertion: %q", got)
	}

	// The parameters are checked as an authorize request's.
	for name, tc := range map[string]struct {
		relay string
		page  bool
		want  string
	}{
		"unknown client":       {relay: "client_id=nope&redirect_uri=x&response_type=code&identity_provider=Okta", page: true},
		"foreign redirect_uri": {relay: "client_id=" + e.client.ID + "&redirect_uri=https://evil.example/&response_type=code&identity_provider=Okta", page: true},
		"bad response_type":    {relay: "client_id=" + e.client.ID + "&redirect_uri=" + url.QueryEscape(callbackURL) + "&response_type=id_token&identity_provider=Okta", want: "invalid_request: "},
		"no provider":          {relay: "client_id=" + e.client.ID + "&redirect_uri=" + url.QueryEscape(callbackURL) + "&response_type=code", want: "invalid_request: "},
		"unsupported provider": {relay: "client_id=" + e.client.ID + "&redirect_uri=" + url.QueryEscape(callbackURL) + "&response_type=code&identity_provider=Other", want: "unauthorized_client: "},
		"no allowed scope":     {relay: "client_id=" + e.client.ID + "&redirect_uri=" + url.QueryEscape(callbackURL) + "&response_type=code&identity_provider=Okta&scope=phone", want: "invalid_scope: "},
	} {
		resp, _ := unsolicited()
		w := e.acs(resp, tc.relay)
		if tc.page {
			if w.Code != http.StatusBadRequest {
				t.Errorf("%s: %d, want the error page", name, w.Code)
			}
			continue
		}
		location(t, w)
		if got := e.failure(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: %q, want %s…", name, got, tc.want)
		}
	}
	e.nothing()
}

func TestSAMLStatusOtherThanSuccess(t *testing.T) {
	e := newEnv(t)
	f := newFakeSAML(t)
	f.plain = true
	e.okta(f, map[string]string{"email": oidMail})
	loc := location(t, e.start("Okta"))
	_, resp, relay := e.idpAnswer(loc)
	doc := decodeB64(t, resp)
	doc = strings.Replace(doc, "urn:oasis:names:tc:SAML:2.0:status:Success", "urn:oasis:names:tc:SAML:2.0:status:Requester", 1)
	location(t, e.acs(base64.StdEncoding.EncodeToString([]byte(doc)), relay))
	if got := e.failure(); !strings.HasPrefix(got, "invalid_request: Error in SAML response processing") && !strings.HasPrefix(got, "invalid_request: Invalid SAML response") {
		t.Errorf("failure = %q", got)
	}
}

func TestSPMetadata(t *testing.T) {
	e := newEnv(t)
	w := httptest.NewRecorder()
	e.svc.SPMetadata(w, httptest.NewRequest(http.MethodGet, baseURL+SAMLMetadataPath, nil), e.pool, baseURL)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/samlmetadata+xml") {
		t.Fatalf("%d %s", w.Code, w.Header())
	}
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(w.Body.Bytes(), &ed); err != nil {
		t.Fatal(err)
	}
	if ed.EntityID != "urn:amazon:cognito:sp:"+e.pool || len(ed.SPSSODescriptors) != 1 {
		t.Fatalf("entity = %+v", ed)
	}
	sp := ed.SPSSODescriptors[0]
	if len(sp.AssertionConsumerServices) != 1 || sp.AssertionConsumerServices[0].Location != baseURL+"/saml2/idpresponse" || sp.AssertionConsumerServices[0].Binding != saml.HTTPPostBinding {
		t.Errorf("ACS = %+v", sp.AssertionConsumerServices)
	}
	cert, err := e.keys.SigningCertificate(context.Background(), e.pool)
	if err != nil {
		t.Fatal(err)
	}
	uses := map[string]bool{}
	for _, kd := range sp.KeyDescriptors {
		if len(kd.KeyInfo.X509Data.X509Certificates) != 1 || kd.KeyInfo.X509Data.X509Certificates[0].Data != cert {
			t.Errorf("key descriptor %s has another certificate", kd.Use)
		}
		uses[kd.Use] = true
	}
	if !uses["signing"] || !uses["encryption"] {
		t.Errorf("key uses = %v", uses)
	}
}

// inflate decodes a redirect-binding SAMLRequest.
func inflate(t *testing.T, v string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		t.Fatal(err)
	}
	r := flate.NewReader(bytes.NewReader(b))
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func decodeB64(t *testing.T, v string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSAMLPostBindingOnlyIdP(t *testing.T) {
	e := newEnv(t)
	f := newFakeSAML(t)
	md := f.metadataXML()
	re := regexp.MustCompile(`<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"[^>]*>(</SingleSignOnService>)?`)
	if !re.MatchString(md) {
		t.Fatalf("no redirect binding in %s", md)
	}
	e.okta(f, map[string]string{"email": oidMail}, "MetadataFile", re.ReplaceAllString(md, ""))
	w := e.start("Okta")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `action="`+f.srv.URL+`/sso"`) || !strings.Contains(w.Body.String(), `name="SAMLRequest"`) {
		t.Fatalf("POST binding: %d %s", w.Code, w.Body)
	}
	e.nothing()
}

func TestStartWithAnUnknownProvider(t *testing.T) {
	e := newEnv(t)
	location(t, e.start("Nope"))
	if got := e.failure(); got != "invalid_request: The identity provider Nope does not exist." {
		t.Errorf("failure = %q", got)
	}
}

func TestSAMLIdPInitiatedByIdentifier(t *testing.T) {
	e := newEnv(t)
	f := newFakeSAML(t)
	f.plain = true
	d := map[string]string{"MetadataURL": f.srv.URL + "/metadata", "IDPInit": "true"}
	e.createProvider(&cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("Okta"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeSaml),
		ProviderDetails: d, AttributeMapping: map[string]string{"email": oidMail}, IdpIdentifiers: []string{"corp.example"}})
	e.trust(f)
	relay := url.Values{"client_id": {e.client.ID}, "redirect_uri": {callbackURL}, "response_type": {"token"}, "idp_identifier": {"corp.example"}}.Encode()
	w := httptest.NewRecorder()
	f.idp.ServeIDPInitiated(w, httptest.NewRequest(http.MethodGet, f.srv.URL+"/start", nil), "urn:amazon:cognito:sp:"+e.pool, relay)
	_, resp, rs := postForm(t, w.Body.String())
	location(t, e.acs(resp, rs))
	if u := e.completed(); u.Username != "Okta_alice@corp.example" {
		t.Errorf("user = %s", u.Username)
	}
}
