package federation

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// fakeOIDC is an OpenID Connect provider (or a social provider's endpoints)
// for the tests: discovery, token, JWKS and userinfo endpoints. The
// authorization step is the test's: grant registers a code.
type fakeOIDC struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	now    func() time.Time
	client string
	secret string
	// authMethods is the discovery document's
	// token_endpoint_auth_methods_supported (nil: absent).
	authMethods []string
	// noIDToken answers without an ID token (OAuth 2.0 providers).
	noIDToken bool
	// issuerOverride signs ID tokens with another iss.
	issuerOverride string

	mu       sync.Mutex
	codes    map[string]*grant
	tokens   map[string]*grant // access token → grant
	requests []*http.Request   // token requests, bodies parsed
	infoHits int
}

// grant is one authorization the fake IdP gave.
type grant struct {
	challenge string
	nonce     string
	claims    map[string]any // ID token claims (sub included)
	userinfo  map[string]any // userinfo answer
}

func newFakeOIDC(t *testing.T, now func() time.Time) *fakeOIDC {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeOIDC{t: t, key: key, now: now, client: "idp-client", secret: "idp-secret",
		codes: map[string]*grant{}, tokens: map[string]*grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /token", f.token)
	mux.HandleFunc("GET /jwks", f.jwks)
	mux.HandleFunc("/userinfo", f.userinfo)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOIDC) URL() string { return f.srv.URL }

func (f *fakeOIDC) discovery(w http.ResponseWriter, _ *http.Request) {
	doc := map[string]any{
		"issuer": f.srv.URL, "authorization_endpoint": f.srv.URL + "/authorize", "token_endpoint": f.srv.URL + "/token",
		"userinfo_endpoint": f.srv.URL + "/userinfo", "jwks_uri": f.srv.URL + "/jwks",
	}
	if f.authMethods != nil {
		doc["token_endpoint_auth_methods_supported"] = f.authMethods
	}
	_ = json.NewEncoder(w).Encode(doc)
}

// grant registers an authorization: the code the IdP redirects with.
func (f *fakeOIDC) grant(code, challenge, nonce string, claims, userinfo map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.codes[code] = &grant{challenge: challenge, nonce: nonce, claims: claims, userinfo: userinfo}
}

func (f *fakeOIDC) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r)
	bad := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.Form.Get("client_id"), r.Form.Get("client_secret")
	}
	if id != f.client || (f.secret != "" && secret != f.secret) {
		bad("invalid_client")
		return
	}
	g, ok := f.codes[r.Form.Get("code")]
	if !ok || r.Form.Get("grant_type") != "authorization_code" {
		bad("invalid_grant")
		return
	}
	delete(f.codes, r.Form.Get("code"))
	if g.challenge != "" {
		sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			bad("invalid_grant")
			return
		}
	}
	access := randomString(16)
	f.tokens[access] = g
	out := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600}
	if !f.noIDToken {
		out["id_token"] = f.idToken(g)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (f *fakeOIDC) idToken(g *grant) string {
	now := f.now()
	iss := f.srv.URL
	if f.issuerOverride != "" {
		iss = f.issuerOverride
	}
	claims := map[string]any{"iss": iss, "aud": f.client, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	for k, v := range g.claims {
		claims[k] = v
	}
	return f.sign(claims)
}

func (f *fakeOIDC) sign(claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: f.key},
		(&jose.SignerOptions{}).WithHeader(jose.HeaderKey("kid"), "k1"))
	if err != nil {
		f.t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	obj, err := signer.Sign(b)
	if err != nil {
		f.t.Fatal(err)
	}
	s, _ := obj.CompactSerialize()
	return s
}

func (f *fakeOIDC) jwks(w http.ResponseWriter, _ *http.Request) {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}
	_ = json.NewEncoder(w).Encode(set)
}

func (f *fakeOIDC) userinfo(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.infoHits++
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	g, ok := f.tokens[tok]
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	out := map[string]any{}
	if sub, ok := g.claims["sub"]; ok {
		out["sub"] = sub
	}
	for k, v := range g.userinfo {
		out[k] = v
	}
	out["_method"] = r.Method
	out["_path"] = r.URL.RequestURI()
	_ = json.NewEncoder(w).Encode(out)
}

// lastTokenRequest is the last request to the token endpoint.
func (f *fakeOIDC) lastTokenRequest() *http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		f.t.Fatal("no token request")
	}
	return f.requests[len(f.requests)-1]
}
