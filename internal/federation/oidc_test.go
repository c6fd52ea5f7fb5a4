package federation

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/trigger"
)

// corp creates an OIDC provider "Corp" at the fake IdP.
func (e *env) corp(f *fakeOIDC, mapping map[string]string, details ...string) *cognitoidp.IdentityProviderType {
	e.t.Helper()
	d := map[string]string{"client_id": f.client, "client_secret": f.secret, "authorize_scopes": "openid email",
		"attributes_request_method": "GET", "oidc_issuer": f.URL()}
	for i := 0; i+1 < len(details); i += 2 {
		d[details[i]] = details[i+1]
	}
	return e.createProvider(&cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("Corp"),
		ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeOidc), ProviderDetails: d, AttributeMapping: mapping})
}

// callback calls /oauth2/idpresponse with q.
func (e *env) callback(q url.Values) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, baseURL+OIDCCallbackPath+"?"+q.Encode(), nil)
	e.svc.OIDCCallback(w, r)
	return w
}

// oidcSignIn starts a sign-in at idp, lets the fake IdP authorize the user
// with claims (ID token) and userinfo, and calls back. It returns the
// authorize redirect's query and the callback's response.
func (e *env) oidcSignIn(idp string, f *fakeOIDC, claims, userinfo map[string]any) (url.Values, *httptest.ResponseRecorder) {
	e.t.Helper()
	q := location(e.t, e.start(idp)).Query()
	code := randomString(9)
	f.grant(code, q.Get("code_challenge"), q.Get("nonce"), claims, userinfo)
	return q, e.callback(url.Values{"code": {code}, "state": {q.Get("state")}})
}

func TestOIDCFirstSignInCreatesTheFederatedUser(t *testing.T) {
	e := newEnv(t)
	f := newFakeOIDC(t, e.clock.Now)
	e.corp(f, map[string]string{"email": "email", "email_verified": "email_verified", "custom:tier": "tier", "name": "name"})

	w := e.start("Corp")
	loc := location(t, w)
	q := loc.Query()
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != f.URL()+"/authorize" {
		t.Errorf("authorize endpoint = %s", got)
	}
	for k, want := range map[string]string{"client_id": f.client, "redirect_uri": baseURL + "/oauth2/idpresponse",
		"response_type": "code", "scope": "openid email", "code_challenge_method": "S256"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if q.Get("state") == "" || q.Get("nonce") == "" || len(q.Get("code_challenge")) != 43 {
		t.Errorf("state, nonce and code_challenge missing: %v", q)
	}
	f.grant("c1", q.Get("code_challenge"), q.Get("nonce"),
		map[string]any{"sub": "u-123", "email": "Alice@Corp.example", "email_verified": true},
		map[string]any{"tier": "gold", "name": "Alice Liddell"})
	cw := e.callback(url.Values{"code": {"c1"}, "state": {q.Get("state")}})
	if got := location(t, cw).String(); !strings.HasPrefix(got, callbackURL+"?code=") {
		t.Errorf("callback redirects to %s", got)
	}
	u := e.completed()
	if u.Username != "Corp_u-123" || u.Status != "EXTERNAL_PROVIDER" || !u.Enabled || u.Sub == "" {
		t.Errorf("user = %s %s enabled=%v sub=%q", u.Username, u.Status, u.Enabled, u.Sub)
	}
	for k, want := range map[string]string{"email": "Alice@Corp.example", "email_verified": "true", "custom:tier": "gold", "name": "Alice Liddell"} {
		if u.Attributes[k] != want {
			t.Errorf("attribute %s = %q, want %q", k, u.Attributes[k], want)
		}
	}
	if len(u.Aliases) != 0 {
		t.Errorf("a federated user claims aliases %v", u.Aliases)
	}
	ids := identities(t, u)
	if len(ids) != 1 || ids[0].UserID != "u-123" || ids[0].ProviderName != "Corp" || ids[0].ProviderType != "OIDC" ||
		ids[0].Issuer != nil || !ids[0].Primary || !ids[0].DateCreated.Equal(e.clock.Now().Truncate(time.Millisecond)) {
		t.Errorf("identities = %+v", ids)
	}
	if !strings.Contains(u.Attributes["identities"], `"primary":"true"`) || !strings.Contains(u.Attributes["identities"], `"issuer":null`) {
		t.Errorf("identities attribute = %s", u.Attributes["identities"])
	}
	stored := e.user("Corp_u-123")
	if stored.Sub != u.Sub || stored.Attributes["custom:tier"] != "gold" {
		t.Errorf("stored user differs: %+v", stored)
	}
	want := []string{"PreSignUp_ExternalProvider Corp_u-123", "PostConfirmation_ConfirmSignUp Corp_u-123", "PostAuthentication_Authentication Corp_u-123"}
	if got := e.triggers.Calls(); !slices.Equal(got, want) {
		t.Errorf("triggers = %v, want %v", got, want)
	}
	if a := e.triggers.attrs["PreSignUp_ExternalProvider"]; a["email"] != "Alice@Corp.example" || a["custom:tier"] != "gold" {
		t.Errorf("pre sign-up attributes = %v", a)
	}
	tr := f.lastTokenRequest()
	if tr.Form.Get("client_secret") != f.secret || tr.Form.Get("code_verifier") == "" || tr.Form.Get("redirect_uri") != baseURL+"/oauth2/idpresponse" {
		t.Errorf("token request form = %v", tr.Form)
	}
	if _, _, basic := tr.BasicAuth(); basic {
		t.Error("client_secret_basic used; Cognito posts the secret")
	}
}

func TestOIDCLaterSignInsUpdateMappedAttributes(t *testing.T) {
	e := newEnv(t)
	f := newFakeOIDC(t, e.clock.Now)
	e.corp(f, map[string]string{"email": "email", "custom:tier": "tier", "name": "name"})
	_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "email": "a@corp.example", "name": "A"}, map[string]any{"tier": "gold"})
	location(t, w)
	first := e.completed()
	e.triggers.calls = nil

	// The IdP no longer sends name: it is kept; tier and email change.
	_, w = e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "email": "new@corp.example"}, map[string]any{"tier": "platinum"})
	location(t, w)
	u := e.completed()
	if u.Sub != first.Sub || u.Attributes["custom:tier"] != "platinum" || u.Attributes["email"] != "new@corp.example" || u.Attributes["name"] != "A" {
		t.Errorf("after second sign-in: %v", u.Attributes)
	}
	want := []string{"PreAuthentication_Authentication Corp_u1", "PostAuthentication_Authentication Corp_u1"}
	if got := e.triggers.Calls(); !slices.Equal(got, want) {
		t.Errorf("triggers = %v, want %v", got, want)
	}
	if n, _ := e.store.CountUsers(context.Background(), e.pool); n != 1 {
		t.Errorf("users = %d, want 1", n)
	}
}

func TestOIDCStateProblemsShowTheErrorPage(t *testing.T) {
	e := newEnv(t)
	f := newFakeOIDC(t, e.clock.Now)
	e.corp(f, map[string]string{"email": "email"})

	q, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1"}, nil)
	location(t, w)
	e.completed()
	// The same state again (a replayed callback).
	f.grant("again", q.Get("code_challenge"), q.Get("nonce"), map[string]any{"sub": "u1"}, nil)
	if w := e.callback(url.Values{"code": {"again"}, "state": {q.Get("state")}}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Something went wrong") {
		t.Errorf("replayed state: %d %s", w.Code, w.Body)
	}
	e.nothing()

	q = location(t, e.start("Corp")).Query()
	st := q.Get("state")
	for name, state := range map[string]string{"altered": st[:len(st)-2] + "AA", "missing": "", "garbage": "not-a-state"} {
		if w := e.callback(url.Values{"code": {"x"}, "state": {state}}); w.Code != http.StatusBadRequest {
			t.Errorf("%s state: %d", name, w.Code)
		}
	}
	e.nothing()

	e.clock.Set(e.clock.Now().Add(RoundTripLifetime + time.Second))
	if w := e.callback(url.Values{"code": {"x"}, "state": {st}}); w.Code != http.StatusBadRequest {
		t.Errorf("expired state: %d", w.Code)
	}
	e.nothing()
}

func TestOIDCFailuresGoToTheAppClient(t *testing.T) {
	cases := []struct {
		name   string
		opts   []envOption
		setup  func(e *env, f *fakeOIDC)
		run    func(e *env, f *fakeOIDC) *httptest.ResponseRecorder
		want   string
		noUser bool
	}{{
		name: "IdP refused",
		run: func(e *env, _ *fakeOIDC) *httptest.ResponseRecorder {
			q := location(e.t, e.start("Corp")).Query()
			return e.callback(url.Values{"error": {"access_denied"}, "error_description": {"user said no"}, "state": {q.Get("state")}})
		},
		want: "access_denied: Error from the identity provider: access_denied: user said no", noUser: true,
	}, {
		name: "no code",
		run: func(e *env, _ *fakeOIDC) *httptest.ResponseRecorder {
			q := location(e.t, e.start("Corp")).Query()
			return e.callback(url.Values{"state": {q.Get("state")}})
		},
		want: "invalid_request: " + msgNoCode, noUser: true,
	}, {
		name: "unknown code",
		run: func(e *env, _ *fakeOIDC) *httptest.ResponseRecorder {
			q := location(e.t, e.start("Corp")).Query()
			return e.callback(url.Values{"code": {"forged"}, "state": {q.Get("state")}})
		},
		want: "invalid_request: " + msgTokenExchange, noUser: true,
	}, {
		name: "wrong nonce",
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			q := location(e.t, e.start("Corp")).Query()
			f.grant("c", q.Get("code_challenge"), "other-nonce", map[string]any{"sub": "u1"}, nil)
			return e.callback(url.Values{"code": {"c"}, "state": {q.Get("state")}})
		},
		want: "invalid_request: " + msgBadIDToken, noUser: true,
	}, {
		name:  "wrong issuer",
		setup: func(_ *env, f *fakeOIDC) { f.issuerOverride = "https://evil.example" },
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1"}, nil)
			return w
		},
		want: "invalid_request: " + msgBadIDToken, noUser: true,
	}, {
		name: "wrong PKCE challenge",
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			q := location(e.t, e.start("Corp")).Query()
			f.grant("c", pkceChallenge("another verifier"), q.Get("nonce"), map[string]any{"sub": "u1"}, nil)
			return e.callback(url.Values{"code": {"c"}, "state": {q.Get("state")}})
		},
		want: "invalid_request: " + msgTokenExchange, noUser: true,
	}, {
		name: "required attribute not mapped",
		opts: []envOption{requireEmail},
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1"}, map[string]any{"tier": "x"})
			return w
		},
		want: "invalid_request: attributes required: [email]", noUser: true,
	}, {
		name: "pre sign-up refuses",
		setup: func(e *env, _ *fakeOIDC) {
			e.triggers.fail = map[string]error{"PreSignUp": lambdaError("PreSignUp", "no outsiders")}
		},
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "email": "a@b.example"}, nil)
			return w
		},
		want: "invalid_request: PreSignUp failed with error no outsiders.", noUser: true,
	}, {
		name: "value too long",
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "email": "a@b.example"}, map[string]any{"tier": strings.Repeat("x", 3000)})
			return w
		},
		want: "invalid_request: Invalid user attributes: ", noUser: true,
	}, {
		name: "client may not write a mapped attribute",
		setup: func(e *env, _ *fakeOIDC) {
			e.client.Settings.WriteAttributes = []string{"email"}
		},
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "email": "a@b.example"}, map[string]any{"tier": "gold"})
			return w
		},
		want: "invalid_request: Invalid user attributes: ", noUser: true,
	}, {
		name: "provider deleted meanwhile",
		run: func(e *env, f *fakeOIDC) *httptest.ResponseRecorder {
			q := location(e.t, e.start("Corp")).Query()
			if _, err := e.idps.DeleteIdentityProvider(context.Background(), &cognitoidp.DeleteIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Corp")}); err != nil {
				e.t.Fatal(err)
			}
			f.grant("c", q.Get("code_challenge"), q.Get("nonce"), map[string]any{"sub": "u1"}, nil)
			return e.callback(url.Values{"code": {"c"}, "state": {q.Get("state")}})
		},
		want: "invalid_request: The identity provider Corp does not exist.", noUser: true,
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts...)
			f := newFakeOIDC(t, e.clock.Now)
			e.corp(f, map[string]string{"email": "email", "custom:tier": "tier"})
			if tc.setup != nil {
				tc.setup(e, f)
			}
			w := tc.run(e, f)
			loc := location(t, w)
			if !strings.HasPrefix(loc.String(), callbackURL+"?") || loc.Query().Get("state") != "app-state" {
				t.Errorf("redirect = %s", loc)
			}
			if got := e.failure(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("failure = %q, want prefix %q", got, tc.want)
			}
			if n, _ := e.store.CountUsers(context.Background(), e.pool); tc.noUser && n != 0 {
				t.Errorf("users = %d, want 0", n)
			}
		})
	}
}

func TestOIDCClientAuthenticationAndAttributesMethod(t *testing.T) {
	e := newEnv(t)
	f := newFakeOIDC(t, e.clock.Now)
	f.authMethods = []string{"client_secret_basic"}
	e.corp(f, map[string]string{"custom:tier": "tier"}, "attributes_request_method", "POST")
	_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1"}, map[string]any{"tier": "t"})
	location(t, w)
	u := e.completed()
	tr := f.lastTokenRequest()
	if id, secret, ok := tr.BasicAuth(); !ok || id != f.client || secret != f.secret || tr.Form.Get("client_secret") != "" {
		t.Errorf("token request: basic=%v form=%v", ok, tr.Form)
	}
	if u.Attributes["custom:tier"] != "t" {
		t.Errorf("attributes = %v", u.Attributes)
	}
	// The userinfo answer records the method it was read with.
	e.corpMethod(t, f, u)
}

// corpMethod checks the userinfo endpoint was read with POST by mapping the
// fake's _method field.
func (e *env) corpMethod(t *testing.T, f *fakeOIDC, _ *storage.User) {
	t.Helper()
	if _, err := e.idps.UpdateIdentityProvider(context.Background(), &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool),
		ProviderName: api.Ptr("Corp"), AttributeMapping: map[string]string{"custom:tier": "_method"}}); err != nil {
		t.Fatal(err)
	}
	_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1"}, nil)
	location(t, w)
	if u := e.completed(); u.Attributes["custom:tier"] != http.MethodPost {
		t.Errorf("userinfo method = %q, want POST", u.Attributes["custom:tier"])
	}
}

func TestOIDCDisabledUserCannotSignIn(t *testing.T) {
	e := newEnv(t)
	f := newFakeOIDC(t, e.clock.Now)
	e.corp(f, map[string]string{"email": "email"})
	_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1"}, nil)
	location(t, w)
	e.completed()
	if _, err := e.idps.AdminDisableProviderForUser(context.Background(), &cognitoidp.AdminDisableProviderForUserRequest{UserPoolId: api.Ptr(e.pool),
		User: &cognitoidp.ProviderUserIdentifierType{ProviderName: api.Ptr("Corp"), ProviderAttributeName: api.Ptr("Cognito_Subject"), ProviderAttributeValue: api.Ptr("u1")}}); err != nil {
		t.Fatal(err)
	}
	_, w = e.oidcSignIn("Corp", f, map[string]any{"sub": "u1"}, nil)
	location(t, w)
	if got := e.failure(); got != "invalid_request: "+msgUserDisabled {
		t.Errorf("failure = %q", got)
	}
}

func TestOIDCPreSignUpAutoVerifiesEmail(t *testing.T) {
	e := newEnv(t)
	e.triggers.preSignUp = &trigger.PreSignUpResponse{AutoVerifyEmail: true}
	f := newFakeOIDC(t, e.clock.Now)
	e.corp(f, map[string]string{"email": "email"})
	_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "email": "a@b.example"}, nil)
	location(t, w)
	if u := e.completed(); u.Attributes["email_verified"] != "true" {
		t.Errorf("email_verified = %q", u.Attributes["email_verified"])
	}
}

func TestOIDCLinkedIdentitySignsInAsTheLocalUser(t *testing.T) {
	e := newEnv(t)
	f := newFakeOIDC(t, e.clock.Now)
	e.corp(f, map[string]string{"email": "email", "custom:tier": "tier"})
	alice := e.createLocalUser("alice", "email", "alice@corp.example", "email_verified", "true")
	bob := e.createLocalUser("bob", "email", "bob@corp.example")
	e.link("alice", "Corp", "Cognito_Subject", "sub-alice")
	e.link("bob", "Corp", "email", "bob@corp.example")

	_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "sub-alice", "email": "alice@corp.example"}, map[string]any{"tier": "gold"})
	location(t, w)
	u := e.completed()
	if u.Key != alice.Key || u.Status != "CONFIRMED" || u.Attributes["custom:tier"] != "gold" || u.Attributes["email_verified"] != "true" {
		t.Errorf("signed in as %s (%s) %v", u.Username, u.Status, u.Attributes)
	}
	if ids := identities(t, u); len(ids) != 1 || ids[0].UserID != "sub-alice" || ids[0].Primary {
		t.Errorf("identities of the linked user = %+v", ids)
	}

	_, w = e.oidcSignIn("Corp", f, map[string]any{"sub": "sub-bob", "email": "bob@corp.example"}, nil)
	location(t, w)
	if u := e.completed(); u.Key != bob.Key {
		t.Errorf("signed in as %s, want bob", u.Username)
	}
	if n, _ := e.store.CountUsers(context.Background(), e.pool); n != 2 {
		t.Errorf("users = %d, want 2 (no federated user created)", n)
	}
	if got := e.triggers.Calls(); slices.ContainsFunc(got, func(c string) bool { return strings.HasPrefix(c, "PreSignUp") }) {
		t.Errorf("pre sign-up ran for a linked identity: %v", got)
	}

	// An email change of a linked user unverifies it.
	_, w = e.oidcSignIn("Corp", f, map[string]any{"sub": "sub-alice", "email": "alice2@corp.example"}, nil)
	location(t, w)
	if u := e.completed(); u.Attributes["email"] != "alice2@corp.example" || u.Attributes["email_verified"] != "false" {
		t.Errorf("after email change: %v", u.Attributes)
	}
}

func TestOIDCImmutableMappedAttributeCannotChange(t *testing.T) {
	e := newEnv(t)
	f := newFakeOIDC(t, e.clock.Now)
	e.corp(f, map[string]string{"custom:badge": "badge"})
	_, w := e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "badge": "b1"}, nil)
	location(t, w)
	if u := e.completed(); u.Attributes["custom:badge"] != "b1" {
		t.Fatalf("badge = %q", u.Attributes["custom:badge"])
	}
	_, w = e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "badge": "b1"}, nil)
	location(t, w)
	e.completed() // unchanged: fine
	_, w = e.oidcSignIn("Corp", f, map[string]any{"sub": "u1", "badge": "b2"}, nil)
	location(t, w)
	if got := e.failure(); !strings.HasPrefix(got, "invalid_request: Invalid user attributes:") {
		t.Errorf("failure = %q", got)
	}
}

// fakePages records the error pages shown.
type fakePages struct{ shown []string }

func (p *fakePages) Error(w http.ResponseWriter, _ *http.Request, site *oauth.Site, status int, code, description string) {
	p.shown = append(p.shown, fmt.Sprintf("%d %s %s site=%v", status, code, description, site != nil))
	w.WriteHeader(status)
}

func TestErrorPagesAreTheManagedLogins(t *testing.T) {
	pages := &fakePages{}
	e := newEnv(t, func(_ *cognitoidp.CreateUserPoolRequest, cfg *Config) { cfg.Pages = pages })
	if w := e.callback(url.Values{"code": {"x"}, "state": {"forged"}}); w.Code != http.StatusBadRequest {
		t.Errorf("status = %d", w.Code)
	}
	if want := "400 invalid_request " + msgPageExpired + " site=false"; len(pages.shown) != 1 || pages.shown[0] != want {
		t.Errorf("pages = %q, want %q", pages.shown, want)
	}
}
