package oauth

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestAuthorizeACR: acr_values and max_age on /oauth2/authorize and /login:
// the levels reach the grant, bad values are invalid_request, and max_age
// limits silent re-authorization.
func TestAuthorizeACR(t *testing.T) {
	e := newEnv(t)
	code := e.code(t, "acr_values", "urn:example:other urn:cognito:loa:2 urn:cognito:loa:1", "max_age", "600")
	if w, _ := e.exchange(t, code); w.Code != http.StatusOK {
		t.Fatalf("exchange: %d %s", w.Code, w.Body)
	}
	e.auth.mu.Lock()
	g := e.auth.grants[len(e.auth.grants)-1]
	e.auth.mu.Unlock()
	if g.ACR != "21" {
		t.Errorf("grant ACR = %q, want 21", g.ACR)
	}
	for _, kv := range [][]string{{"acr_values", "urn:example:other"}, {"max_age", "soon"}, {"max_age", "-5"}} {
		w := e.do(t, "GET", "/"+e.pool+"/oauth2/authorize?"+e.authorizeQuery(kv...), nil)
		if loc := w.Header().Get("Location"); w.Code != http.StatusFound || !strings.HasPrefix(loc, callback+"?error=invalid_request") {
			t.Errorf("%v: %d %q", kv, w.Code, loc)
		}
	}

	// A hosted session older than max_age is not reused.
	w := e.do(t, "GET", "/"+e.pool+"/login?"+e.authorizeQuery(), nil)
	var cookie *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == SessionCookie {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	e.clock.Advance(2 * time.Minute)
	authorize := func(kv ...string) string {
		return e.do(t, "GET", "/"+e.pool+"/oauth2/authorize?"+e.authorizeQuery(kv...), nil, "Cookie", cookie.Name+"="+cookie.Value).Header().Get("Location")
	}
	if loc := authorize("max_age", "60"); !strings.Contains(loc, "/login?") || !strings.Contains(loc, "max_age=60") {
		t.Errorf("stale session with max_age=60 = %q", loc)
	}
	if loc := authorize("max_age", "600"); !strings.Contains(loc, callback+"?code=") {
		t.Errorf("fresh session with max_age=600 = %q", loc)
	}
	if loc := authorize("max_age", "60", "prompt", "none"); !strings.Contains(loc, "error=login_required") {
		t.Errorf("stale session, prompt=none = %q", loc)
	}
}

// TestFederatedACR: the IdP's acr maps back through AcrMapping (an unmapped
// one is the lowest level), its amr is passed on, and the requested levels
// map forward for the IdP's acr_values.
func TestFederatedACR(t *testing.T) {
	e := newEnv(t)
	p := &cognitoidp.IdentityProviderType{AcrMapping: map[string]string{"Level1": "idp:basic", "Level3": "idp:strong"}}
	if got := IdPACRValues(p, &Txn{ACR: "321"}); got != "idp:strong idp:basic" {
		t.Errorf("IdPACRValues = %q", got)
	}
	if got := IdPACRValues(p, &Txn{}); got != "" {
		t.Errorf("IdPACRValues without levels = %q", got)
	}
	for _, tc := range []struct {
		acr, want string
	}{{"idp:strong", "3"}, {"idp:basic", "1"}, {"idp:unknown", "1"}, {"", "1"}} {
		txn := &Txn{PoolID: e.pool, ClientID: e.public.ID, RedirectURI: callback, ResponseType: "token", ACR: "3"}
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/"+e.pool+"/oauth2/idpresponse", nil)
		claims := map[string]any{"amr": []any{"pwd", "mfa"}}
		if tc.acr != "" {
			claims["acr"] = tc.acr
		}
		e.svc.CompleteFederated(w, r, txn, e.user, e.clock.Now(), p, claims)
		if w.Code != http.StatusFound {
			t.Fatalf("CompleteFederated: %d %s", w.Code, w.Body)
		}
		e.auth.mu.Lock()
		g := e.auth.grants[len(e.auth.grants)-1]
		e.auth.mu.Unlock()
		if g.ACR != "3" || g.IdPLevel != tc.want || !slices.Equal(g.IdPAMR, []string{"pwd", "mfa"}) {
			t.Errorf("acr %q: grant %+v", tc.acr, g)
		}
	}
}
