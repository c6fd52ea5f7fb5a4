package logins

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"
	jose "github.com/go-jose/go-jose/v4"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/identitypool/openid"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/token"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	userPoolID = "us-east-1_AbCdEfGhI"
	clientID   = "3n4b5urk1ft4fl3mg5e62d9ado"
	upName     = "cognito-idp.us-east-1.amazonaws.com/" + userPoolID
	identPool  = "us-east-1:aaaaaaaa-0000-0000-0000-000000000000"
	oidcARN    = "arn:aws:iam::123456789012:oidc-provider/login.example.com"
	samlARN    = "arn:aws:iam::123456789012:saml-provider/Corp"
	roleArn    = "arn:aws:iam::123456789012:role/SamlRole"
)

// fakeTokens stands in for token.Service: it knows the ID tokens handed to it.
type fakeTokens struct {
	byToken map[string]*token.IDClaims
	expired map[string]bool
	revoked map[string]bool
}

func (f *fakeTokens) VerifyID(_ context.Context, tok string) (*token.IDClaims, map[string]any, error) {
	c, ok := f.byToken[tok]
	if !ok {
		return nil, nil, token.ErrInvalid
	}
	if f.expired[tok] {
		return nil, nil, &token.ExpiredError{Now: t0, ExpiresAt: t0.Add(-time.Minute)}
	}
	return c, map[string]any{"sub": c.Sub, "aud": c.ClientID, "cognito:groups": []any{"admins"}}, nil
}

func (f *fakeTokens) FamilyRevoked(_ context.Context, _, jti string) (bool, error) {
	return f.revoked[jti], nil
}

type fakeUsers map[string]*storage.User

func (f fakeUsers) GetUserBySub(_ context.Context, _, sub string) (*storage.User, error) {
	if u, ok := f[sub]; ok {
		return u, nil
	}
	return nil, storage.ErrNotFound
}

// unsignedJWT builds a JWT-shaped string whose payload the checks pre-read.
func unsignedJWT(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"k"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}

// provider is a fake external provider: JWKS, discovery and token endpoints.
type provider struct {
	srv     *httptest.Server
	key     *rsa.PrivateKey
	fetches atomic.Int32
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		p.fetches.Add(1)
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": p.srv.URL, "jwks_uri": p.srv.URL + "/jwks"})
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("access_token") != "fb-good" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"message":"Invalid OAuth access token."}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"10001","name":"Ana"}`))
	})
	mux.HandleFunc("GET /app", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":"fb-app"}`))
	})
	mux.HandleFunc("GET /tokeninfo", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("access_token") {
		case "amzn-good":
			_, _ = w.Write([]byte(`{"aud":"amzn1.application-oa2-client.x","app_id":"amzn1.application.y","user_id":"amzn1.account.Z","exp":3000}`))
		case "amzn-down":
			w.WriteHeader(http.StatusBadGateway)
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_token"}`))
		}
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	return signWith(t, p.key, "k1", claims)
}

func signWith(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type env struct {
	v      *Validator
	pool   *Pool
	prov   *provider
	tokens *fakeTokens
	users  fakeUsers
	ident  *openid.Issuer
	clock  *clock.Fake
	saml   *samlIdP
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clk := clock.NewFake(t0)
	prov := newProvider(t)
	sealer, err := keys.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	ident := openid.New(openid.Config{Store: sqlstoretest.NewSQLite(t), Sealer: sealer, Clock: clk, URL: "http://localhost/_cogito/identity", Region: "us-east-1"})
	idp := newSAMLIdP(t)
	metadata := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(metadata, idp.metadata(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := &env{
		prov: prov, clock: clk, ident: ident, saml: idp,
		tokens: &fakeTokens{byToken: map[string]*token.IDClaims{}, expired: map[string]bool{}, revoked: map[string]bool{}},
		users:  fakeUsers{},
		pool: &Pool{
			ID:               identPool,
			CognitoProviders: []CognitoProvider{{ProviderName: upName, ClientID: clientID}},
			SupportedLoginProviders: map[string]string{
				"accounts.google.com": "google-client, other", "appleid.apple.com": "com.example.app",
				"graph.facebook.com": "fb-app", "www.amazon.com": "amzn1.application.y", "api.twitter.com": "tw",
			},
			OIDCProviderARNs:      []string{oidcARN},
			SAMLProviderARNs:      []string{samlARN},
			DeveloperProviderName: "login.mycompany",
		},
	}
	e.v, err = New(Config{
		Tokens: e.tokens, Users: e.users, Identity: ident, Clock: clk,
		UserPoolIssuer: func(id string) string { return "http://127.0.0.1:9229/" + id },
		Providers: config.IdentityConfig{
			OIDCProviders: []config.OIDCProvider{{ARN: oidcARN, Issuer: prov.srv.URL, ClientIDs: []string{"oidc-client"}}},
			SAMLProviders: []config.SAMLProvider{{ARN: samlARN, Metadata: metadata}},
			Social: config.SocialConfig{
				GoogleJWKSURL: prov.srv.URL + "/jwks", AppleJWKSURL: prov.srv.URL + "/jwks",
				FacebookGraphURL: prov.srv.URL, AmazonTokenInfoURL: prov.srv.URL + "/tokeninfo",
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// idToken registers an ID token of the user pool with the fake token service.
func (e *env) idToken(sub, client, originJTI string) string {
	tok := unsignedJWT(map[string]any{"iss": "http://127.0.0.1:9229/" + userPoolID, "aud": client, "sub": sub, "n": len(e.tokens.byToken)})
	e.tokens.byToken[tok] = &token.IDClaims{PoolID: userPoolID, ClientID: client, Sub: sub, OriginJTI: originJTI,
		Roles: []string{"arn:aws:iam::123456789012:role/A"}, PreferredRole: "arn:aws:iam::123456789012:role/A"}
	return tok
}

func wantRefusal(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok || e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("err = %v; want %s %q", err, code, msg)
	}
}

func TestUserPool(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	tok := e.idToken("sub-1", clientID, "jti-1")
	for _, name := range []string{upName, "127.0.0.1:9229/" + userPoolID} {
		l, err := e.v.Check(ctx, e.pool, name, tok)
		if err != nil {
			t.Fatalf("Check(%s): %v", name, err)
		}
		if l.Kind != KindUserPool || l.Provider != upName || l.Subject != "sub-1" || l.RoleMappingKey != upName+":"+clientID ||
			l.AMR[1] != upName+":CognitoSignIn:sub-1" || l.PreferredRole == "" || l.Claims["aud"] != clientID {
			t.Errorf("Check(%s) = %+v", name, l)
		}
	}

	other := e.idToken("sub-2", "someotherclient", "")
	expired := e.idToken("sub-3", clientID, "")
	e.tokens.expired[expired] = true
	forged := unsignedJWT(map[string]any{"iss": "http://127.0.0.1:9229/" + userPoolID, "aud": clientID, "sub": "x"})
	access := unsignedJWT(map[string]any{"iss": "http://127.0.0.1:9229/" + userPoolID, "client_id": clientID, "token_use": "access"})
	foreign := unsignedJWT(map[string]any{"iss": "http://127.0.0.1:9229/us-east-1_Other", "aud": clientID})
	for name, c := range map[string]struct{ provider, tok, msg string }{
		"garbage":          {upName, "not-a-jwt", msgNotOIDC},
		"access token":     {upName, access, msgMissingAud},
		"other pool's iss": {upName, foreign, msgIssuerMismatch},
		"bad signature":    {upName, forged, msgCouldntVerify},
		"expired":          {upName, expired, "Invalid login token. Token expired: 1740830400 >= 1740830340"},
		"untrusted client": {upName, other, msgUnsupportedProvider},
		"untrusted pool":   {"cognito-idp.us-east-1.amazonaws.com/us-east-1_Other", tok, msgUnsupportedProvider},
		"region mismatch":  {"cognito-idp.eu-west-1.amazonaws.com/" + userPoolID, tok, msgUnsupportedProvider},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.v.Check(ctx, e.pool, c.provider, c.tok)
			wantRefusal(t, err, "NotAuthorizedException", c.msg)
		})
	}
}

func TestServerSideTokenCheck(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.pool.CognitoProviders[0].ServerSideTokenCheck = true
	tok := e.idToken("sub-1", clientID, "jti-1")
	if _, err := e.v.Check(ctx, e.pool, upName, tok); err == nil {
		t.Fatal("a token of a user who does not exist passed the server-side check")
	} else {
		wantRefusal(t, err, "NotAuthorizedException", msgInactive)
	}
	e.users["sub-1"] = &storage.User{Sub: "sub-1", Enabled: true}
	if _, err := e.v.Check(ctx, e.pool, upName, tok); err != nil {
		t.Fatalf("active user: %v", err)
	}
	e.tokens.revoked["jti-1"] = true
	_, err := e.v.Check(ctx, e.pool, upName, tok)
	wantRefusal(t, err, "NotAuthorizedException", msgInactive)
	e.tokens.revoked["jti-1"] = false
	e.users["sub-1"].Enabled = false
	_, err = e.v.Check(ctx, e.pool, upName, tok)
	wantRefusal(t, err, "NotAuthorizedException", msgInactive)
	// Without the check a signed-out user's ID token still works.
	e.pool.CognitoProviders[0].ServerSideTokenCheck = false
	if _, err := e.v.Check(ctx, e.pool, upName, tok); err != nil {
		t.Fatalf("without ServerSideTokenCheck: %v", err)
	}
}

func TestOIDCAndSocialJWTs(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	exp := t0.Add(time.Hour).Unix()
	iss := e.prov.srv.URL
	good := e.prov.sign(t, map[string]any{"iss": iss, "aud": "oidc-client", "sub": "u-1", "exp": exp, "email": "a@example.com"})
	l, err := e.v.Check(ctx, e.pool, "login.example.com", good)
	if err != nil {
		t.Fatalf("OIDC: %v", err)
	}
	if l.Kind != KindOIDC || l.Provider != "login.example.com" || l.Subject != "u-1" || l.Claims["email"] != "a@example.com" {
		t.Errorf("OIDC login = %+v", l)
	}
	google := e.prov.sign(t, map[string]any{"iss": "https://accounts.google.com", "aud": "x", "azp": "other", "sub": "g-1", "exp": exp})
	if l, err := e.v.Check(ctx, e.pool, "accounts.google.com", google); err != nil || l.Subject != "g-1" || l.Kind != KindGoogle {
		t.Errorf("Google (azp among several client ids) = %+v, %v", l, err)
	}
	apple := e.prov.sign(t, map[string]any{"iss": "https://appleid.apple.com", "aud": "com.example.app", "sub": "a-1", "exp": exp})
	if l, err := e.v.Check(ctx, e.pool, "appleid.apple.com", apple); err != nil || l.Subject != "a-1" || l.Kind != KindApple {
		t.Errorf("Apple = %+v, %v", l, err)
	}

	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	for name, c := range map[string]struct{ provider, tok, msg string }{
		"wrong audience":   {"login.example.com", e.prov.sign(t, map[string]any{"iss": iss, "aud": "nope", "sub": "u", "exp": exp}), msgUnsupportedProvider},
		"no audience":      {"login.example.com", e.prov.sign(t, map[string]any{"iss": iss, "sub": "u", "exp": exp}), msgMissingAud},
		"wrong issuer":     {"login.example.com", e.prov.sign(t, map[string]any{"iss": "https://evil", "aud": "oidc-client", "sub": "u", "exp": exp}), msgIssuerMismatch},
		"foreign key":      {"login.example.com", signWith(t, otherKey, "k1", map[string]any{"iss": iss, "aud": "oidc-client", "sub": "u", "exp": exp}), msgCouldntVerify},
		"unknown kid":      {"login.example.com", signWith(t, otherKey, "k9", map[string]any{"iss": iss, "aud": "oidc-client", "sub": "u", "exp": exp}), msgCouldntVerify},
		"expired":          {"login.example.com", e.prov.sign(t, map[string]any{"iss": iss, "aud": "oidc-client", "sub": "u", "exp": t0.Unix() - 5}), "Invalid login token. Token expired: 1740830400 >= 1740830395"},
		"garbage":          {"login.example.com", "garbage", msgNotOIDC},
		"google aud":       {"accounts.google.com", e.prov.sign(t, map[string]any{"iss": "accounts.google.com", "aud": "x", "sub": "g", "exp": exp}), msgUnsupportedProvider},
		"unknown provider": {"login.unknown.com", good, msgUnsupportedProvider},
		"developer":        {"login.mycompany", "user-1", msgDeveloperLogin},
		"twitter":          {"api.twitter.com", "a;b", "Invalid login token. Logins of api.twitter.com are not supported."},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.v.Check(ctx, e.pool, c.provider, c.tok)
			wantRefusal(t, err, "NotAuthorizedException", c.msg)
		})
	}
	// Keys are cached: the unknown kid caused at most one refetch.
	if n := e.prov.fetches.Load(); n > 3 {
		t.Errorf("%d JWKS fetches; keys are not cached", n)
	}
}

func TestProviderUnreachable(t *testing.T) {
	e := newEnv(t)
	tok := e.prov.sign(t, map[string]any{"iss": e.prov.srv.URL, "aud": "oidc-client", "sub": "u-1", "exp": t0.Add(time.Hour).Unix()})
	e.prov.srv.Close()
	_, err := e.v.Check(t.Context(), e.pool, "login.example.com", tok)
	wantRefusal(t, err, "ExternalServiceException", "")
}

func TestFacebookAndAmazon(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	l, err := e.v.Check(ctx, e.pool, "graph.facebook.com", "fb-good")
	if err != nil || l.Subject != "10001" || l.Kind != KindFacebook || l.Claims["name"] != "Ana" {
		t.Fatalf("Facebook = %+v, %v", l, err)
	}
	_, err = e.v.Check(ctx, e.pool, "graph.facebook.com", "fb-bad")
	wantRefusal(t, err, "NotAuthorizedException", "Invalid login token. The token was rejected by graph.facebook.com.")
	e.pool.SupportedLoginProviders["graph.facebook.com"] = "another-app"
	_, err = e.v.Check(ctx, e.pool, "graph.facebook.com", "fb-good")
	wantRefusal(t, err, "NotAuthorizedException", msgUnsupportedProvider)

	l, err = e.v.Check(ctx, e.pool, "www.amazon.com", "amzn-good")
	if err != nil || l.Subject != "amzn1.account.Z" || l.Kind != KindAmazon {
		t.Fatalf("Amazon = %+v, %v", l, err)
	}
	_, err = e.v.Check(ctx, e.pool, "www.amazon.com", "amzn-bad")
	wantRefusal(t, err, "NotAuthorizedException", "Invalid login token. The token was rejected by www.amazon.com.")
	_, err = e.v.Check(ctx, e.pool, "www.amazon.com", "amzn-down")
	wantRefusal(t, err, "ExternalServiceException", "Unable to verify the login token with www.amazon.com.")
}

func TestIdentityToken(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	tok, err := e.ident.Sign(ctx, &openid.Claims{Subject: "us-east-1:1111", Audience: identPool, AMR: []string{"authenticated", "login.mycompany"},
		PrincipalTags: map[string]string{"dept": "x"}, IssuedAt: t0, ExpiresAt: t0.Add(15 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	l, err := e.v.Check(ctx, e.pool, CognitoIdentityProvider, tok)
	if err != nil || l.Kind != KindCognitoIdentity || l.Subject != "us-east-1:1111" || l.Identity.PrincipalTags["dept"] != "x" {
		t.Fatalf("identity token = %+v, %v", l, err)
	}
	other := *e.pool
	other.ID = "us-east-1:bbbbbbbb-0000-0000-0000-000000000000"
	_, err = e.v.Check(ctx, &other, CognitoIdentityProvider, tok)
	wantRefusal(t, err, "NotAuthorizedException", msgUnsupportedProvider)
	_, err = e.v.Check(ctx, e.pool, CognitoIdentityProvider, tok+"x")
	wantRefusal(t, err, "NotAuthorizedException", msgCouldntVerify)
	e.clock.Advance(15 * time.Minute)
	_, err = e.v.Check(ctx, e.pool, CognitoIdentityProvider, tok)
	wantRefusal(t, err, "NotAuthorizedException", "Invalid login token. Token expired: 1740831300 >= 1740831300")
}

// samlIdP signs SAML responses with a self-signed certificate.
type samlIdP struct {
	key  *rsa.PrivateKey
	cert []byte
}

func newSAMLIdP(t *testing.T) *samlIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp"},
		NotBefore: t0.Add(-time.Hour), NotAfter: t0.Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &samlIdP{key: key, cert: der}
}

func (p *samlIdP) metadata() []byte {
	return []byte(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(p.cert) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
</md:IDPSSODescriptor></md:EntityDescriptor>`)
}

// response builds a base64 SAMLResponse; sign says what gets signed
// ("assertion", "response" or "").
func (p *samlIdP) response(t *testing.T, nameID, audience string, notOnOrAfter time.Time, sign string, mutate func(*etree.Element)) string {
	t.Helper()
	doc := etree.NewDocument()
	err := doc.ReadFromString(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp1" Version="2.0" IssueInstant="` + t0.Format(time.RFC3339) + `">
<saml:Issuer>https://idp.example.com</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion ID="_assert1" Version="2.0" IssueInstant="` + t0.Format(time.RFC3339) + `">
<saml:Issuer>https://idp.example.com</saml:Issuer>
<saml:Subject><saml:NameID>` + nameID + `</saml:NameID></saml:Subject>
<saml:Conditions NotBefore="` + t0.Add(-time.Minute).Format(time.RFC3339) + `" NotOnOrAfter="` + notOnOrAfter.Format(time.RFC3339) + `">
<saml:AudienceRestriction><saml:Audience>` + audience + `</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AttributeStatement>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>` + roleArn + `,` + samlARN + `</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="department"><saml:AttributeValue>eng</saml:AttributeValue><saml:AttributeValue>ops</saml:AttributeValue></saml:Attribute>
</saml:AttributeStatement></saml:Assertion></samlp:Response>`)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := dsig.NewSigningContext(p.key, [][]byte{p.cert})
	if err != nil {
		t.Fatal(err)
	}
	ctx.IdAttribute = "ID"
	// Exclusive canonicalization, as IdPs sign assertions.
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	root := doc.Root()
	switch sign {
	case "assertion":
		a := child(root, "Assertion")
		signed, err := ctx.SignEnveloped(detach(a))
		if err != nil {
			t.Fatal(err)
		}
		root.RemoveChild(a)
		root.AddChild(signed)
	case "response":
		signed, err := ctx.SignEnveloped(root)
		if err != nil {
			t.Fatal(err)
		}
		doc.SetRoot(signed)
	}
	if mutate != nil {
		mutate(doc.Root())
	}
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestSAML(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	later := t0.Add(5 * time.Minute)
	for _, how := range []string{"assertion", "response"} {
		l, err := e.v.Check(ctx, e.pool, samlARN, e.saml.response(t, "ana@example.com", DefaultSAMLAudience, later, how, nil))
		if err != nil {
			t.Fatalf("SAML signed %s: %v", how, err)
		}
		if l.Kind != KindSAML || l.Subject != "ana@example.com" || l.Provider != samlARN || l.PreferredRole != roleArn ||
			len(l.Claims["department"].([]any)) != 2 {
			t.Errorf("SAML signed %s = %+v", how, l)
		}
	}
	tamper := func(root *etree.Element) {
		for _, n := range descendants(root, "NameID") {
			n.SetText("admin@example.com")
		}
	}
	for name, c := range map[string]struct {
		tok, msg string
	}{
		"unsigned":       {e.saml.response(t, "ana", DefaultSAMLAudience, later, "", nil), "Invalid login token. Invalid SAML assertion: the signature does not verify"},
		"tampered":       {e.saml.response(t, "ana", DefaultSAMLAudience, later, "assertion", tamper), "Invalid login token. Invalid SAML assertion: the signature does not verify"},
		"wrong audience": {e.saml.response(t, "ana", "urn:other", later, "assertion", nil), msgUnsupportedProvider},
		"expired":        {e.saml.response(t, "ana", DefaultSAMLAudience, t0, "assertion", nil), "Invalid login token. Token expired: 1740830400 >= 1740830400"},
		"not base64":     {"%%%", "Invalid login token. Invalid SAML assertion: not base64"},
		"not SAML":       {base64.StdEncoding.EncodeToString([]byte("<x/>")), "Invalid login token. Invalid SAML assertion: not a SAML response"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.v.Check(ctx, e.pool, samlARN, c.tok)
			wantRefusal(t, err, "NotAuthorizedException", c.msg)
		})
	}
	// A response signed by another IdP's key does not verify.
	other := newSAMLIdP(t)
	_, err := e.v.Check(ctx, e.pool, samlARN, other.response(t, "ana", DefaultSAMLAudience, later, "assertion", nil))
	wantRefusal(t, err, "NotAuthorizedException", "Invalid login token. Invalid SAML assertion: the signature does not verify")
}

func TestSAMLCertificateFiles(t *testing.T) {
	idp := newSAMLIdP(t)
	pemFile := filepath.Join(t.TempDir(), "idp.pem")
	if err := os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: idp.cert}), 0o600); err != nil {
		t.Fatal(err)
	}
	if sp, err := loadSAMLProvider(config.SAMLProvider{ARN: samlARN, Metadata: pemFile}); err != nil || len(sp.certs) != 1 || sp.audience != DefaultSAMLAudience {
		t.Errorf("PEM file: %+v, %v", sp, err)
	}
	if _, err := loadSAMLProvider(config.SAMLProvider{ARN: samlARN, Certificate: "nothing"}); err == nil {
		t.Error("a provider without a certificate loaded")
	}
	if _, err := loadSAMLProvider(config.SAMLProvider{ARN: samlARN, Metadata: "/does/not/exist"}); err == nil || !strings.Contains(err.Error(), samlARN) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := New(Config{}); !errors.Is(err, err) || err == nil {
		t.Error("New without dependencies succeeded")
	}
}
