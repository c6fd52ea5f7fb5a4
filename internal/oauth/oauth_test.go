package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/domains"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const callback = "https://app.example.com/cb"

// fakeAuth records grants and mints opaque tokens.
type fakeAuth struct {
	mu      sync.Mutex
	grants  []auth.OAuthGrant
	refresh map[string]string // refresh token -> client
	fail    error
}

func (f *fakeAuth) IssueOAuth(ctx context.Context, poolID, clientID string, u *storage.User, g auth.OAuthGrant) (*token.Issued, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	f.grants = append(f.grants, g)
	n := len(f.grants)
	out := &token.Issued{IDToken: "id." + u.Username, AccessToken: "access." + u.Username, ExpiresIn: 3600, OriginJTI: "family-" + string(rune('0'+n))}
	if g.WithRefresh {
		out.RefreshToken = "refresh." + u.Username
		f.refresh[out.RefreshToken] = clientID
	}
	return out, nil
}

func (f *fakeAuth) RefreshOAuth(ctx context.Context, clientID, rt string) (*cognitoidp.AuthenticationResultType, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refresh[rt] != clientID {
		return nil, cognitoidp.NewNotAuthorizedException("Invalid Refresh Token.")
	}
	return &cognitoidp.AuthenticationResultType{AccessToken: api.Ptr("access2"), IdToken: api.Ptr("id2"), ExpiresIn: 3600}, nil
}

func (f *fakeAuth) UserInfo(ctx context.Context, poolID, clientID, username string, scopes []string) (map[string]string, error) {
	return map[string]string{"sub": "s-" + username, "username": username}, nil
}

// fakeTokens verifies "access.{user}" tokens.
type fakeTokens struct {
	pool    string
	revoked []string
}

func (f *fakeTokens) IssueClientCredentials(ctx context.Context, poolID, clientID string, scopes []string, v time.Duration) (string, int32, error) {
	return "cc." + strings.Join(scopes, ","), int32(v / time.Second), nil
}

func (f *fakeTokens) VerifyAccess(ctx context.Context, tok string) (*token.AccessClaims, error) {
	if sc, ok := strings.CutPrefix(tok, "cc."); ok { // a client_credentials token
		return &token.AccessClaims{PoolID: f.pool, ClientID: "cc-client", Scopes: strings.Split(sc, ",")}, nil
	}
	u, ok := strings.CutPrefix(tok, "access.")
	if !ok {
		return nil, cognitoidp.NewNotAuthorizedException("Invalid Access Token")
	}
	scopes := []string{"openid"}
	if u == "noopenid" {
		scopes = []string{"aws.cognito.signin.user.admin"}
	}
	return &token.AccessClaims{PoolID: f.pool, Username: u, Scopes: scopes}, nil
}

func (f *fakeTokens) RevokeRefresh(ctx context.Context, tok, clientID string) error {
	switch {
	case token.LooksLikeJWT(tok) || tok == "garbage":
		return cognitoidp.NewUnsupportedTokenTypeException("Unsupported token type")
	case tok == "other-client":
		return cognitoidp.NewUnauthorizedException("Refresh Token has different Client.")
	}
	f.revoked = append(f.revoked, tok)
	return nil
}

type env struct {
	svc     *Service
	store   *sqlstore.Store
	clock   *clock.Fake
	auth    *fakeAuth
	tokens  *fakeTokens
	pool    string
	public  *clients.Client
	secret  *clients.Client
	user    *storage.User
	handler http.Handler
}

func newEnv(t testing.TB) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	sealer, err := keys.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ps := pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	out, err := ps.CreateUserPool(ctx, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("p")})
	if err != nil {
		t.Fatal(err)
	}
	pool := *out.UserPool.Id
	ds := domains.New(domains.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	if _, err := ds.CreateUserPoolDomain(ctx, &cognitoidp.CreateUserPoolDomainRequest{UserPoolId: &pool, Domain: api.Ptr("myauth")}); err != nil {
		t.Fatal(err)
	}
	cs := clients.New(clients.Config{Store: st, Sealer: sealer, Clock: clk, Region: "us-east-1", AccountID: "123456789012",
		ScopeExists: func(ctx context.Context, poolID, scope string) (bool, error) { return scope == "api/read", nil }})
	mk := func(secret bool, flows ...cognitoidp.OAuthFlowType) *clients.Client {
		scopes := []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"}
		if flows[0] == cognitoidp.OAuthFlowTypeClientCredentials {
			scopes = []string{"api/read"}
		}
		o, err := cs.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
			UserPoolId: &pool, ClientName: api.Ptr("c"), GenerateSecret: secret,
			AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: flows, AllowedOAuthScopes: scopes,
			CallbackURLs: []string{callback}, LogoutURLs: []string{"https://app.example.com/bye"}, SupportedIdentityProviders: []string{"COGNITO"},
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := cs.LookupInPool(ctx, pool, *o.UserPoolClient.ClientId)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	e := &env{store: st, clock: clk, pool: pool, auth: &fakeAuth{refresh: map[string]string{}}, tokens: &fakeTokens{pool: pool}}
	e.public = mk(false, cognitoidp.OAuthFlowTypeCode, cognitoidp.OAuthFlowTypeImplicit)
	e.secret = mk(true, cognitoidp.OAuthFlowTypeClientCredentials)
	e.user = &storage.User{PoolID: pool, Key: "alice", Username: "alice", Sub: "sub-alice", Status: "CONFIRMED", Enabled: true, CreatedAt: t0, UpdatedAt: t0}
	if err := st.CreateUser(ctx, e.user); err != nil {
		t.Fatal(err)
	}
	e.svc = New(Config{Store: st, Clients: cs, Auth: e.auth, Tokens: e.tokens, Sealer: sealer, Region: "us-east-1", Clock: clk})
	mux := http.NewServeMux()
	for _, prefix := range []string{"", "/{site}"} {
		mux.HandleFunc("GET "+prefix+"/oauth2/authorize", e.svc.Authorize)
		mux.HandleFunc("POST "+prefix+"/oauth2/token", e.svc.Token)
		mux.HandleFunc(prefix+"/oauth2/userInfo", e.svc.UserInfo)
		mux.HandleFunc("POST "+prefix+"/oauth2/revoke", e.svc.Revoke)
		mux.HandleFunc("POST "+prefix+"/oauth2/register", e.svc.Register)
		mux.HandleFunc("GET "+prefix+"/logout", e.svc.Logout)
		// The sign-in page stand-in: completes for alice.
		mux.HandleFunc(prefix+"/login", func(w http.ResponseWriter, r *http.Request) {
			site, err := e.svc.Resolve(r)
			if err != nil {
				e.svc.noSite(w, r, err)
				return
			}
			txn, _, err := e.svc.ParseAuthorize(r, site)
			if err != nil {
				e.svc.RequestFailed(w, r, site, err)
				return
			}
			e.svc.CompleteSignIn(w, r, txn, e.user, SignIn{AuthTime: e.clock.Now(), EventID: "ev"})
		})
	}
	e.handler = mux
	return e
}

func (e *env) do(t *testing.T, method, target string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	return w
}

func (e *env) authorizeQuery(kv ...string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {e.public.ID}, "redirect_uri": {callback}, "state": {"S"}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	return q.Encode()
}

// code signs alice in through the login stand-in and returns the code.
func (e *env) code(t *testing.T, kv ...string) string {
	t.Helper()
	w := e.do(t, "GET", "/"+e.pool+"/login?"+e.authorizeQuery(kv...), nil)
	loc, _ := url.Parse(w.Header().Get("Location"))
	if w.Code != http.StatusFound || loc == nil || loc.Query().Get("code") == "" {
		t.Fatalf("login: %d %q %s", w.Code, w.Header().Get("Location"), w.Body)
	}
	return loc.Query().Get("code")
}

func (e *env) exchange(t *testing.T, code string, kv ...string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {e.public.ID}, "code": {code}, "redirect_uri": {callback}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	w := e.do(t, "POST", "/"+e.pool+"/oauth2/token", form)
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w, body
}

func TestAuthorizeRedirectsAndErrors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name   string
		q      []string
		status int
		err    string // error= at the callback; "" with status 302: to /login
		page   string // page error in the body
	}{
		{"valid", nil, 302, "", ""},
		{"unknown client", []string{"client_id", "nope"}, 400, "", "invalid_client"},
		{"no client", []string{"client_id", ""}, 400, "", "invalid_request"},
		{"unregistered redirect", []string{"redirect_uri", "https://evil.example.com/"}, 400, "", "redirect_mismatch"},
		{"no response_type", []string{"response_type", ""}, 302, "invalid_request", ""},
		{"bad response_type", []string{"response_type", "code id_token"}, 302, "unsupported_response_type", ""},
		{"scope not allowed", []string{"scope", "openid phone"}, 302, "invalid_scope", ""},
		{"email without openid", []string{"scope", "email"}, 302, "invalid_scope", ""},
		{"plain PKCE", []string{"code_challenge", strings.Repeat("a", 43), "code_challenge_method", "plain"}, 302, "invalid_request", ""},
		{"challenge without method", []string{"code_challenge", strings.Repeat("a", 43)}, 302, "invalid_request", ""},
		{"short challenge", []string{"code_challenge", "abc", "code_challenge_method", "S256"}, 302, "invalid_request", ""},
		{"unsupported provider", []string{"identity_provider", "Google"}, 302, "unauthorized_client", ""},
		{"unknown idp_identifier", []string{"idp_identifier", "example.com"}, 302, "invalid_request", ""},
		{"bad prompt", []string{"prompt", "never"}, 302, "invalid_request", ""},
		{"prompt none without session", []string{"prompt", "none"}, 302, "login_required", ""},
		{"client credentials client", []string{"client_id", e.secret.ID}, 302, "unauthorized_client", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(t, "GET", "/"+e.pool+"/oauth2/authorize?"+e.authorizeQuery(tc.q...), nil)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			loc := w.Header().Get("Location")
			switch {
			case tc.page != "":
				if loc != "" || !strings.Contains(w.Body.String(), tc.page) {
					t.Errorf("page error: Location %q body %s", loc, w.Body)
				}
			case tc.err == "":
				if !strings.HasPrefix(loc, "http://example.com/"+e.pool+"/login?") {
					t.Errorf("Location = %q", loc)
				}
			default:
				u, _ := url.Parse(loc)
				if !strings.HasPrefix(loc, callback+"?") || u.Query().Get("error") != tc.err || u.Query().Get("state") != "S" {
					t.Errorf("Location = %q, want error %s", loc, tc.err)
				}
			}
		})
	}
}

func TestResolve(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		target, host string
		status       int
	}{
		{"/" + e.pool + "/oauth2/authorize", "", 302},
		{"/myauth/oauth2/authorize", "", 302},
		{"/oauth2/authorize", "myauth.auth.us-east-1.amazoncognito.com", 302},
		{"/oauth2/authorize", "MYAUTH.auth.us-east-1.amazoncognito.com:443", 302},
		{"/oauth2/authorize", "other.auth.us-east-1.amazoncognito.com", 404},
		{"/oauth2/authorize", "example.com", 404},
		{"/nosuch/oauth2/authorize", "", 404},
		{"/us-east-1_nosuch/oauth2/authorize", "", 404},
	} {
		hdr := []string{}
		if tc.host != "" {
			hdr = []string{"Host", tc.host}
		}
		if w := e.do(t, "GET", tc.target+"?"+e.authorizeQuery(), nil, hdr...); w.Code != tc.status {
			t.Errorf("%s (Host %s) = %d, want %d", tc.target, tc.host, w.Code, tc.status)
		}
	}
	// By Host, the site's base is the host; by path, host and path.
	req := httptest.NewRequest("GET", "https://myauth.auth.us-east-1.amazoncognito.com/oauth2/authorize", nil)
	site, err := e.svc.Resolve(req)
	if err != nil || site.BaseURL != "https://myauth.auth.us-east-1.amazoncognito.com" || site.CookiePath != "/" || !site.Secure {
		t.Errorf("site by host = %+v, %v", site, err)
	}
}

func TestCodeGrantPKCEAndReuse(t *testing.T) {
	e := newEnv(t)
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])

	code := e.code(t, "code_challenge", challenge, "code_challenge_method", "S256", "scope", "openid email", "nonce", "N")
	if w, body := e.exchange(t, code, "code_verifier", strings.Repeat("x", 50)); w.Code != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("wrong verifier = %d %v", w.Code, body)
	}
	// The code is spent by the failed attempt.
	if w, body := e.exchange(t, code, "code_verifier", verifier); w.Code != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("spent code = %d %v", w.Code, body)
	}

	code = e.code(t, "code_challenge", challenge, "code_challenge_method", "S256", "scope", "openid email", "nonce", "N")
	w, body := e.exchange(t, code, "code_verifier", verifier)
	if w.Code != 200 || body["id_token"] != "id.alice" || body["refresh_token"] != "refresh.alice" || body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) {
		t.Fatalf("exchange = %d %v", w.Code, body)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", w.Header().Get("Cache-Control"))
	}
	g := e.auth.grants[len(e.auth.grants)-1]
	if g.Nonce != "N" || strings.Join(g.Scopes, " ") != "openid email" || !g.WithRefresh || g.EventID != "ev" || !g.AuthTime.Equal(t0) {
		t.Errorf("grant = %+v", g)
	}
	// Reuse: invalid_grant, and the family it issued is revoked.
	if w, body := e.exchange(t, code, "code_verifier", verifier); w.Code != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("reused code = %d %v", w.Code, body)
	}
	revoked, err := e.store.FamilyRevoked(context.Background(), e.pool, "family-1")
	if err != nil || !revoked {
		t.Errorf("family of a reused code revoked = %v, %v", revoked, err)
	}
}

func TestCodeExpiryAndBinding(t *testing.T) {
	e := newEnv(t)
	code := e.code(t, "scope", "aws.cognito.signin.user.admin")
	e.clock.Advance(CodeLifetime)
	if w, _ := e.exchange(t, code); w.Code != 400 {
		t.Errorf("expired code = %d", w.Code)
	}
	code = e.code(t)
	if w, _ := e.exchange(t, code, "redirect_uri", "https://app.example.com/other"); w.Code != 400 {
		t.Errorf("other redirect_uri = %d", w.Code)
	}
	// Without openid no ID token.
	code = e.code(t, "scope", "aws.cognito.signin.user.admin")
	if w, body := e.exchange(t, code); w.Code != 200 || body["id_token"] != nil {
		t.Errorf("without openid = %d %v", w.Code, body)
	}
	// A code sent with a verifier it was not made with is refused.
	code = e.code(t)
	if w, _ := e.exchange(t, code, "code_verifier", strings.Repeat("v", 50)); w.Code != 400 {
		t.Errorf("verifier without challenge = %d", w.Code)
	}
	// Tampered codes.
	for _, bad := range []string{"", "x", e.pool + ".AAAA", "us-east-1_other." + strings.SplitN(e.code(t), ".", 2)[1]} {
		if w, _ := e.exchange(t, bad); w.Code != 400 {
			t.Errorf("code %q = %d", bad, w.Code)
		}
	}
}

func TestClientAuthentication(t *testing.T) {
	e := newEnv(t)
	secret := e.secret.Secrets[0].Value
	basic := func(id, sec string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+sec)) }
	cc := url.Values{"grant_type": {"client_credentials"}}
	for _, tc := range []struct {
		name    string
		form    url.Values
		auth    string
		status  int
		err     string
		wwwAuth bool
	}{
		{"basic", cc, basic(e.secret.ID, secret), 200, "", false},
		{"post", url.Values{"grant_type": {"client_credentials"}, "client_id": {e.secret.ID}, "client_secret": {secret}}, "", 200, "", false},
		{"wrong secret basic", cc, basic(e.secret.ID, "wrong"), 401, "invalid_client", true},
		{"wrong secret post", url.Values{"grant_type": {"client_credentials"}, "client_id": {e.secret.ID}, "client_secret": {"wrong"}}, "", 401, "invalid_client", false},
		{"no secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {e.secret.ID}}, "", 401, "invalid_client", false},
		{"unknown client", cc, basic("nosuch", "x"), 401, "invalid_client", true},
		{"nobody", cc, "", 401, "invalid_client", false},
		{"both methods", url.Values{"grant_type": {"client_credentials"}, "client_secret": {secret}}, basic(e.secret.ID, secret), 400, "invalid_request", false},
		{"mismatched ids", url.Values{"grant_type": {"client_credentials"}, "client_id": {e.public.ID}}, basic(e.secret.ID, secret), 400, "invalid_request", false},
		{"malformed basic", cc, "Basic !!!", 401, "invalid_client", true},
		{"public with secret", url.Values{"grant_type": {"refresh_token"}, "client_id": {e.public.ID}, "client_secret": {"x"}, "refresh_token": {"r"}}, "", 401, "invalid_client", false},
		{"public client_credentials", url.Values{"grant_type": {"client_credentials"}, "client_id": {e.public.ID}}, "", 400, "unauthorized_client", false},
		{"scope not allowed", url.Values{"grant_type": {"client_credentials"}, "scope": {"api/write"}}, basic(e.secret.ID, secret), 400, "invalid_scope", false},
		{"code grant for a client_credentials client", url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}, basic(e.secret.ID, secret), 400, "unauthorized_client", false},
		{"unknown grant", url.Values{"grant_type": {"password"}}, basic(e.secret.ID, secret), 400, "unsupported_grant_type", false},
		{"repeated parameter", url.Values{"grant_type": {"client_credentials", "client_credentials"}}, basic(e.secret.ID, secret), 400, "invalid_request", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := []string{}
			if tc.auth != "" {
				hdr = []string{"Authorization", tc.auth}
			}
			w := e.do(t, "POST", "/"+e.pool+"/oauth2/token", tc.form, hdr...)
			var body map[string]any
			_ = json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != tc.status || (tc.err != "" && body["error"] != tc.err) {
				t.Fatalf("= %d %s, want %d %s", w.Code, w.Body, tc.status, tc.err)
			}
			if (w.Header().Get("WWW-Authenticate") != "") != tc.wwwAuth {
				t.Errorf("WWW-Authenticate = %q", w.Header().Get("WWW-Authenticate"))
			}
			if tc.status == 200 && (body["access_token"] != "cc.api/read" || body["refresh_token"] != nil || body["id_token"] != nil) {
				t.Errorf("body = %v", body)
			}
		})
	}
	// Only form bodies.
	req := httptest.NewRequest("POST", "/"+e.pool+"/oauth2/token", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "invalid_request") {
		t.Errorf("JSON body = %d %s", w.Code, w.Body)
	}
}

func TestRefreshGrant(t *testing.T) {
	e := newEnv(t)
	code := e.code(t, "scope", "openid")
	_, body := e.exchange(t, code)
	rt, _ := body["refresh_token"].(string)
	w := e.do(t, "POST", "/"+e.pool+"/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {e.public.ID}, "refresh_token": {rt}})
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"id_token":"id2"`) || strings.Contains(w.Body.String(), "refresh_token") {
		t.Errorf("refresh = %d %s", w.Code, w.Body)
	}
	w = e.do(t, "POST", "/"+e.pool+"/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {e.public.ID}, "refresh_token": {"bad"}})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "invalid_grant") {
		t.Errorf("bad refresh = %d %s", w.Code, w.Body)
	}
	w = e.do(t, "POST", "/"+e.pool+"/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {e.public.ID}})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "invalid_request") {
		t.Errorf("no refresh token = %d %s", w.Code, w.Body)
	}
}

func TestSessionSilentReauthAndExpiry(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "GET", "/"+e.pool+"/login?"+e.authorizeQuery(), nil)
	var cookie *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/"+e.pool+"/" || cookie.MaxAge != 3600 || cookie.Secure {
		t.Fatalf("session cookie = %+v", cookie)
	}
	authorize := func(kv ...string) *httptest.ResponseRecorder {
		return e.do(t, "GET", "/"+e.pool+"/oauth2/authorize?"+e.authorizeQuery(kv...), nil, "Cookie", cookie.Name+"="+cookie.Value)
	}
	if w := authorize(); w.Code != 302 || !strings.Contains(w.Header().Get("Location"), callback+"?code=") {
		t.Errorf("silent re-authorization = %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := authorize("prompt", "none"); !strings.Contains(w.Header().Get("Location"), "code=") {
		t.Errorf("prompt=none with a session = %q", w.Header().Get("Location"))
	}
	if w := authorize("prompt", "login"); !strings.Contains(w.Header().Get("Location"), "/login?") {
		t.Errorf("prompt=login = %q", w.Header().Get("Location"))
	}
	// Another pool's cookie path/AD: a forged value is ignored.
	forged := e.do(t, "GET", "/"+e.pool+"/oauth2/authorize?"+e.authorizeQuery(), nil, "Cookie", SessionCookie+"=AAAA"+cookie.Value[4:])
	if !strings.Contains(forged.Header().Get("Location"), "/login?") {
		t.Errorf("forged session = %q", forged.Header().Get("Location"))
	}
	// A disabled user's session ends.
	if _, err := e.store.UpdateUser(context.Background(), e.pool, "alice", func(u *storage.User) error { u.Enabled = false; return nil }); err != nil {
		t.Fatal(err)
	}
	if w := authorize(); !strings.Contains(w.Header().Get("Location"), "/login?") {
		t.Errorf("disabled user's session = %q", w.Header().Get("Location"))
	}
	if _, err := e.store.UpdateUser(context.Background(), e.pool, "alice", func(u *storage.User) error { u.Enabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	// After an hour the session is over.
	e.clock.Advance(SessionLifetime)
	if w := authorize(); !strings.Contains(w.Header().Get("Location"), "/login?") {
		t.Errorf("expired session = %q", w.Header().Get("Location"))
	}
}

func TestImplicit(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "GET", "/"+e.pool+"/login?"+e.authorizeQuery("response_type", "token", "scope", "openid profile"), nil)
	loc := w.Header().Get("Location")
	u, _ := url.Parse(loc)
	frag, _ := url.ParseQuery(u.Fragment)
	if u.RawQuery != "" || frag.Get("id_token") != "id.alice" || frag.Get("access_token") != "access.alice" || frag.Get("state") != "S" || frag.Get("expires_in") != "3600" || frag.Has("refresh_token") {
		t.Errorf("implicit = %q", loc)
	}
	if g := e.auth.grants[len(e.auth.grants)-1]; g.WithRefresh {
		t.Errorf("implicit grant asked a refresh token")
	}
	// A trigger's refusal goes to the app.
	e.auth.fail = cognitoidp.NewUserLambdaValidationException("PreTokenGeneration failed with error nope.")
	w = e.do(t, "GET", "/"+e.pool+"/login?"+e.authorizeQuery("response_type", "token"), nil)
	u, _ = url.Parse(w.Header().Get("Location"))
	if u.Query().Get("error") != "invalid_request" || u.Query().Get("error_description") != "PreTokenGeneration failed with error nope." {
		t.Errorf("trigger refusal = %q", w.Header().Get("Location"))
	}
}

func TestUserInfoRevokeLogout(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "GET", "/"+e.pool+"/oauth2/userInfo", nil, "Authorization", "Bearer access.alice")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"username":"alice"`) {
		t.Errorf("userInfo = %d %s", w.Code, w.Body)
	}
	for _, tc := range []struct {
		auth   string
		status int
		err    string
	}{
		{"", 400, "invalid_request"},
		{"Basic abc", 400, "invalid_request"},
		{"Bearer nope", 401, "invalid_token"},
		{"Bearer access.noopenid", 401, "invalid_token"},
	} {
		hdr := []string{}
		if tc.auth != "" {
			hdr = []string{"Authorization", tc.auth}
		}
		w := e.do(t, "GET", "/"+e.pool+"/oauth2/userInfo", nil, hdr...)
		if w.Code != tc.status || !strings.Contains(w.Header().Get("WWW-Authenticate"), `error="`+tc.err+`"`) {
			t.Errorf("userInfo %q = %d %q", tc.auth, w.Code, w.Header().Get("WWW-Authenticate"))
		}
	}

	revoke := func(tok string) *httptest.ResponseRecorder {
		return e.do(t, "POST", "/"+e.pool+"/oauth2/revoke", url.Values{"token": {tok}, "client_id": {e.public.ID}})
	}
	if w := revoke("refresh.alice"); w.Code != 200 || w.Body.Len() != 0 || len(e.tokens.revoked) != 1 {
		t.Errorf("revoke = %d %s", w.Code, w.Body)
	}
	if w := revoke("garbage"); w.Code != 200 {
		t.Errorf("revoke garbage = %d", w.Code)
	}
	if w := revoke("a.b.c"); w.Code != 400 || !strings.Contains(w.Body.String(), "unsupported_token_type") {
		t.Errorf("revoke a JWT = %d %s", w.Code, w.Body)
	}
	if w := revoke("other-client"); w.Code != 400 {
		t.Errorf("revoke another client's = %d", w.Code)
	}
	if w := revoke(""); w.Code != 400 || !strings.Contains(w.Body.String(), "invalid_request") {
		t.Errorf("revoke nothing = %d %s", w.Code, w.Body)
	}

	logout := func(q url.Values) *httptest.ResponseRecorder {
		return e.do(t, "GET", "/"+e.pool+"/logout?"+q.Encode(), nil)
	}
	w = logout(url.Values{"client_id": {e.public.ID}, "logout_uri": {"https://app.example.com/bye"}})
	if w.Code != 302 || w.Header().Get("Location") != "https://app.example.com/bye" || !strings.Contains(w.Header().Get("Set-Cookie"), SessionCookie+"=;") {
		t.Errorf("logout = %d %q %q", w.Code, w.Header().Get("Location"), w.Header().Get("Set-Cookie"))
	}
	for _, q := range []url.Values{
		{"client_id": {e.public.ID}, "logout_uri": {"https://evil.example.com/"}},
		{"client_id": {e.public.ID}, "logout_uri": {"https://app.example.com/bye/../x"}},
		{"logout_uri": {"https://app.example.com/bye"}},
		{"client_id": {"nosuch"}, "logout_uri": {"https://app.example.com/bye"}},
		{"client_id": {e.public.ID}},
		{"client_id": {e.public.ID}, "redirect_uri": {"https://evil.example.com/"}, "response_type": {"code"}},
	} {
		if w := logout(q); w.Code == 302 {
			t.Errorf("logout %v redirected to %q", q, w.Header().Get("Location"))
		}
	}
	w = logout(url.Values{"client_id": {e.public.ID}, "redirect_uri": {callback}, "response_type": {"code"}})
	if w.Code != 302 || !strings.HasPrefix(w.Header().Get("Location"), "http://example.com/"+e.pool+"/login?") {
		t.Errorf("logout to sign in again = %d %q", w.Code, w.Header().Get("Location"))
	}
}

func TestTxnSealing(t *testing.T) {
	e := newEnv(t)
	txn := &Txn{PoolID: e.pool, ClientID: e.public.ID, RedirectURI: callback, ResponseType: "code", Scopes: []string{"openid"}, State: "s", Created: e.clock.Now()}
	sealed, err := e.svc.SealTxn(txn)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.OpenTxn(sealed)
	if err != nil || got.ClientID != txn.ClientID || got.State != "s" || got.Scopes[0] != "openid" {
		t.Fatalf("OpenTxn = %+v, %v", got, err)
	}
	if _, err := e.svc.OpenTxn(sealed[:len(sealed)-2] + "AA"); !errors.Is(err, ErrBadTxn) {
		t.Errorf("tampered txn: %v", err)
	}
	e.clock.Advance(TxnLifetime)
	if _, err := e.svc.OpenTxn(sealed); !errors.Is(err, ErrBadTxn) {
		t.Errorf("expired txn: %v", err)
	}
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct {
		req     string
		allowed []string
		want    string
		ok      bool
	}{
		{"", []string{"openid", "email"}, "openid email", true},
		{"openid", []string{"openid", "email"}, "openid", true},
		{"openid  openid email", []string{"openid", "email"}, "openid email", true},
		{"profile", []string{"openid", "profile"}, "", false},
		{"openid phone", []string{"openid", "email"}, "", false},
		{"api/read", []string{"api/read"}, "api/read", true},
		{"a\"b", []string{"a\"b"}, "", false},
		{"", nil, "", false},
	} {
		got, ok := grantScopes(tc.req, tc.allowed)
		if ok != tc.ok || strings.Join(got, " ") != tc.want {
			t.Errorf("grantScopes(%q, %v) = %v %v", tc.req, tc.allowed, got, ok)
		}
	}
	v := strings.Repeat("A", 43)
	sum := sha256.Sum256([]byte(v))
	ch := base64.RawURLEncoding.EncodeToString(sum[:])
	for _, tc := range []struct {
		challenge, method, verifier string
		ok                          bool
	}{
		{"", "", "", true},
		{"", "", v, false},
		{ch, "S256", v, true},
		{ch, "S256", v + "B", false},
		{ch, "S256", "", false},
		{ch, "plain", v, false},
		{ch, "S256", strings.Repeat("A", 42), false},
		{ch, "S256", strings.Repeat("A", 43) + "!", false},
	} {
		if got := pkceMatches(tc.challenge, tc.method, tc.verifier); got != tc.ok {
			t.Errorf("pkceMatches(%q,%q,%q) = %v", tc.challenge, tc.method, tc.verifier, got)
		}
	}
	if withQuery("https://a/cb?x=1", url.Values{"code": {"c"}}) != "https://a/cb?x=1&code=c" {
		t.Errorf("withQuery keeps the callback's query")
	}
	if q := AuthorizeQuery(url.Values{"client_id": {"c"}, "evil": {"x"}, "state": {"a b"}}); q != "client_id=c&state=a+b" {
		t.Errorf("AuthorizeQuery = %q", q)
	}
}

// FuzzParseAuthorize feeds arbitrary authorize queries: never a panic, and
// never a redirect to anything but the registered callback.
func FuzzParseAuthorize(f *testing.F) {
	e := newEnv(f)
	f.Add("response_type=code&client_id=" + e.public.ID + "&redirect_uri=" + url.QueryEscape(callback))
	f.Add("response_type=token&scope=openid%20email&client_id=" + e.public.ID + "&redirect_uri=" + url.QueryEscape(callback) + "&code_challenge=abc")
	f.Add("client_id=" + e.public.ID + "&redirect_uri=https%3A%2F%2Fevil&identity_provider=COGNITO&prompt=none")
	f.Add("%zz&&=;client_id=")
	f.Fuzz(func(t *testing.T, q string) {
		req := httptest.NewRequest("GET", "/"+e.pool+"/oauth2/authorize", nil)
		req.URL.RawQuery = q
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, req)
		if loc := w.Header().Get("Location"); loc != "" && !strings.HasPrefix(loc, callback) && !strings.HasPrefix(loc, "http://example.com/"+e.pool+"/login?") {
			t.Fatalf("query %q redirected to %q", q, loc)
		}
	})
}
