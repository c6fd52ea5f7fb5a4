package federation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// withEndpoints points a social provider type at the fake IdP.
func withEndpoints(typ string, f func() *fakeOIDC, m func(base string) map[string]string) envOption {
	return func(_ *cognitoidp.CreateUserPoolRequest, cfg *Config) {
		if cfg.Endpoints == nil {
			cfg.Endpoints = map[string]map[string]string{}
		}
		cfg.Endpoints[typ] = m(f().URL())
	}
}

func (e *env) social(typ string, details, mapping map[string]string) {
	e.t.Helper()
	e.createProvider(&cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr(typ),
		ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeType(typ)), ProviderDetails: details, AttributeMapping: mapping})
}

func TestSocialProviders(t *testing.T) {
	for _, tc := range []struct {
		typ       string
		details   map[string]string
		mapping   map[string]string
		endpoints func(base string) map[string]string
		idToken   map[string]any // nil: an OAuth 2.0 provider without ID tokens
		userinfo  map[string]any
		username  string
		attrs     map[string]string
		check     func(t *testing.T, q url.Values, f *fakeOIDC)
	}{{
		typ:     "Facebook",
		details: map[string]string{"client_id": "idp-client", "client_secret": "idp-secret", "authorize_scopes": "public_profile,email", "api_version": "v17.0"},
		mapping: map[string]string{"email": "email", "name": "name"},
		endpoints: func(base string) map[string]string {
			return map[string]string{"authorize_url": base + "/authorize", "token_url": base + "/token", "attributes_url": base + "/userinfo?fields="}
		},
		userinfo: map[string]any{"id": "1020304", "email": "fb@example.com", "name": "F B"},
		username: "Facebook_1020304",
		attrs:    map[string]string{"email": "fb@example.com", "name": "F B"},
		check: func(t *testing.T, q url.Values, f *fakeOIDC) {
			if q.Get("code_challenge") != "" || q.Get("nonce") != "" || q.Get("scope") != "public_profile,email" {
				t.Errorf("authorize query = %v", q)
			}
			if tr := f.lastTokenRequest(); tr.Method != http.MethodGet || tr.URL.Query().Get("client_secret") != "idp-secret" {
				t.Errorf("token request %s %s", tr.Method, tr.URL)
			}
		},
	}, {
		typ:     "LoginWithAmazon",
		details: map[string]string{"client_id": "idp-client", "client_secret": "idp-secret", "authorize_scopes": "profile postal_code"},
		mapping: map[string]string{"email": "email", "custom:tier": "postal_code"},
		endpoints: func(base string) map[string]string {
			return map[string]string{"authorize_url": base + "/authorize", "token_url": base + "/token", "attributes_url": base + "/userinfo"}
		},
		userinfo: map[string]any{"user_id": "amzn1.account.ABC", "email": "lwa@example.com", "postal_code": "98101"},
		username: "LoginWithAmazon_amzn1.account.ABC",
		attrs:    map[string]string{"email": "lwa@example.com", "custom:tier": "98101"},
		check: func(t *testing.T, _ url.Values, f *fakeOIDC) {
			if tr := f.lastTokenRequest(); tr.Method != http.MethodPost || tr.PostForm.Get("client_secret") != "idp-secret" {
				t.Errorf("token request %s %v", tr.Method, tr.PostForm)
			}
		},
	}, {
		typ:     "Google",
		details: map[string]string{"client_id": "idp-client", "client_secret": "idp-secret", "authorize_scopes": "openid email profile"},
		mapping: map[string]string{"email": "email", "email_verified": "email_verified", "custom:tier": "genders"},
		endpoints: func(base string) map[string]string {
			return map[string]string{"authorize_url": base + "/authorize", "token_url": base + "/token", "attributes_url": base + "/userinfo?personFields=",
				"jwks_uri": base + "/jwks", "oidc_issuer": base}
		},
		idToken:  map[string]any{"sub": "1122334455", "email": "g@gmail.com", "email_verified": true},
		userinfo: map[string]any{"genders": "n/a"},
		username: "Google_1122334455",
		attrs:    map[string]string{"email": "g@gmail.com", "email_verified": "true", "custom:tier": "n/a"},
		check: func(t *testing.T, q url.Values, f *fakeOIDC) {
			if q.Get("code_challenge") == "" || q.Get("nonce") == "" {
				t.Errorf("authorize query = %v", q)
			}
		},
	}} {
		t.Run(tc.typ, func(t *testing.T) {
			var f *fakeOIDC
			e := newEnv(t, withEndpoints(tc.typ, func() *fakeOIDC {
				if f == nil {
					f = newFakeOIDC(t, time.Now)
				}
				return f
			}, tc.endpoints))
			f.now = e.clock.Now
			f.noIDToken = tc.idToken == nil
			e.social(tc.typ, tc.details, tc.mapping)
			q, w := e.oidcSignIn(tc.typ, f, tc.idToken, tc.userinfo)
			if got := location(t, e.start(tc.typ)); !strings.HasPrefix(got.String(), f.URL()+"/authorize?") {
				t.Errorf("authorize URL = %s", got)
			}
			location(t, w)
			u := e.completed()
			if u.Username != tc.username || u.Status != "EXTERNAL_PROVIDER" {
				t.Errorf("user = %s %s", u.Username, u.Status)
			}
			for k, want := range tc.attrs {
				if u.Attributes[k] != want {
					t.Errorf("%s = %q, want %q", k, u.Attributes[k], want)
				}
			}
			if ids := identities(t, u); len(ids) != 1 || ids[0].ProviderType != tc.typ || ids[0].ProviderName != tc.typ {
				t.Errorf("identities = %+v", ids)
			}
			tc.check(t, q, f)
		})
	}
}

func TestFacebookAsksForTheMappedFields(t *testing.T) {
	var f *fakeOIDC
	e := newEnv(t, withEndpoints("Facebook", func() *fakeOIDC {
		f = newFakeOIDC(t, time.Now)
		return f
	}, func(base string) map[string]string {
		return map[string]string{"authorize_url": base + "/authorize", "token_url": base + "/token", "attributes_url": base + "/userinfo?fields="}
	}))
	f.noIDToken = true
	e.social("Facebook", map[string]string{"client_id": "idp-client", "client_secret": "idp-secret", "authorize_scopes": "email"},
		map[string]string{"email": "email", "custom:tier": "_path"})
	_, w := e.oidcSignIn("Facebook", f, nil, map[string]any{"id": "42", "email": "x@y.example"})
	location(t, w)
	if u := e.completed(); u.Attributes["custom:tier"] != "/userinfo?fields=_path,email,id" {
		t.Errorf("attributes URL = %q", u.Attributes["custom:tier"])
	}
}

func TestSignInWithApple(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	p8 := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	var f *fakeOIDC
	e := newEnv(t, withEndpoints("SignInWithApple", func() *fakeOIDC {
		f = newFakeOIDC(t, time.Now)
		return f
	}, func(base string) map[string]string {
		return map[string]string{"authorize_url": base + "/authorize", "token_url": base + "/token", "jwks_uri": base + "/jwks", "oidc_issuer": base}
	}))
	f.now = e.clock.Now
	f.secret = "" // checked below instead
	e.social("SignInWithApple", map[string]string{"client_id": "idp-client", "team_id": "TEAM123", "key_id": "KEY456",
		"private_key": p8, "authorize_scopes": "email name"},
		map[string]string{"email": "email", "given_name": "firstName", "family_name": "lastName", "name": "name"})

	q := location(t, e.start("SignInWithApple")).Query()
	if q.Get("response_mode") != "form_post" || q.Get("nonce") == "" || q.Get("code_challenge") != "" {
		t.Errorf("authorize query = %v", q)
	}
	f.grant("c", "", q.Get("nonce"), map[string]any{"sub": "000123.abc", "email": "relay@privaterelay.appleid.com", "email_verified": "true"}, nil)
	form := url.Values{"code": {"c"}, "state": {q.Get("state")},
		"user": {`{"name":{"firstName":"Ada","lastName":"Lovelace"},"email":"relay@privaterelay.appleid.com"}`}}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, baseURL+OIDCCallbackPath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.svc.OIDCCallback(w, r)
	location(t, w)
	u := e.completed()
	if u.Username != "SignInWithApple_000123.abc" || u.Attributes["given_name"] != "Ada" || u.Attributes["family_name"] != "Lovelace" ||
		u.Attributes["name"] != "Ada Lovelace" || u.Attributes["email"] != "relay@privaterelay.appleid.com" {
		t.Errorf("user = %s %v", u.Username, u.Attributes)
	}

	secret := f.lastTokenRequest().PostForm.Get("client_secret")
	jws, err := jose.ParseSigned(secret, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("client_secret %q: %v", secret, err)
	}
	payload, err := jws.Verify(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	_ = json.Unmarshal(payload, &claims)
	if claims["iss"] != "TEAM123" || claims["sub"] != "idp-client" || claims["aud"] != "https://appleid.apple.com" || jws.Signatures[0].Header.KeyID != "KEY456" {
		t.Errorf("client_secret claims %v kid %s", claims, jws.Signatures[0].Header.KeyID)
	}
}

func TestClaimValues(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
		ok   bool
	}{
		{in: "plain", want: "plain", ok: true},
		{in: true, want: "true", ok: true},
		{in: 42.0, want: "42", ok: true},
		{in: 1.5, want: "1.5", ok: true},
		{in: json.Number("12345678901234567890"), want: "12345678901234567890", ok: true},
		{in: []string{"only"}, want: "only", ok: true},
		{in: []string{"a", "b c", "d@e", "f.g-h*i_j"}, want: "[a, b+c, d%40e, f.g-h*i_j]", ok: true},
		{in: []any{"x", 2.0, false}, want: "[x, 2, false]", ok: true},
		{in: map[string]any{"k": "v"}, want: `{"k":"v"}`, ok: true},
		{in: nil, ok: false},
		{in: []string{}, ok: false},
	} {
		got, ok := claimString(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("claimString(%#v) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAppleKeyFormats(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	p8 := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	body := strings.Join(strings.Split(strings.TrimSpace(p8), "\n")[1:len(strings.Split(strings.TrimSpace(p8), "\n"))-1], "\n")
	for name, v := range map[string]string{"PEM": p8, "base64 body": body} {
		if _, err := applePrivateKey(v); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, v := range map[string]string{"garbage": "nope!", "RSA key": "MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA"} {
		if _, err := applePrivateKey(v); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := appleClientSecret(map[string]string{"private_key": "bad"}, time.Now()); err == nil {
		t.Error("a bad key signs")
	}
}
