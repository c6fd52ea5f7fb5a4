package hostedui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

type noAuth struct{}

func (noAuth) HostedSignIn(context.Context, string, string, string, string, map[string]string) (*auth.HostedStep, error) {
	return nil, nil
}
func (noAuth) HostedRespond(context.Context, string, string, cognitoidp.ChallengeNameType, string, map[string]string) (*auth.HostedStep, error) {
	return nil, nil
}
func (noAuth) HostedSignInConfirmed(context.Context, string, string, string) (*auth.HostedStep, error) {
	return nil, nil
}

type noStore struct{ storage.ResourceStore }

func newService(t *testing.T) *Service {
	t.Helper()
	sealer, err := keys.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{OAuth: &oauth.Service{}, Auth: noAuth{}, API: &cognitoidp.Handlers{}, Store: noStore{}, Sealer: sealer})
}

// Every page renders, every input has a label, no page needs JavaScript.
func TestPagesRender(t *testing.T) {
	s := newService(t)
	p := &page{
		Lang: "en", Title: "T", ClientName: "App", Error: "bad <b>", Info: "info", Action: "/login?client_id=c&x=<y>", CSRF: "tok",
		Links: links{Login: "/login", SignUp: "/signup", Forgot: "/forgotPassword"}, Username: "u", UsernameLabel: "Username",
		UsernameType: "text", UsernameAutocomplete: "username", Cognito: true, Providers: []provider{{Name: "Okta", URL: "/oauth2/authorize?identity_provider=Okta"}},
		Description: "d", CodeLabel: "Code", Step: "select", Challenge: "SOFTWARE_TOKEN_MFA", Session: "sess", Options: []option{{"SMS_MFA", "SMS"}, {"SOFTWARE_TOKEN_MFA", "App"}},
		Secret: "ABCDEFGH", SecretGroups: "ABCD EFGH", OTPAuthURI: "otpauth://totp/x", PasswordHint: "hint",
		Fields: []field{{Name: "email", Label: "Email address", Type: "email"}}, TermsURL: "https://t", PrivacyURL: "https://p", Detail: "code",
		redirectSource: "https://app.example.com",
	}
	reInput := regexp.MustCompile(`<input class="inputField-customizable" id="([^"]+)"`)
	for _, name := range pageNames {
		w := httptest.NewRecorder()
		s.render(w, http.StatusOK, name, p)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, "<html lang=\"en\">") {
			t.Fatalf("%s: %d %s", name, w.Code, body)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "bad <b>") {
			t.Errorf("%s: script or unescaped text", name)
		}
		for _, m := range reInput.FindAllStringSubmatch(body, -1) {
			if !strings.Contains(body, `for="`+m[1]+`"`) {
				t.Errorf("%s: input %s has no label", name, m[1])
			}
		}
		if name != "error" && strings.Contains(body, "<form") && !strings.Contains(body, `name="_csrf" value="tok"`) {
			t.Errorf("%s: form without the CSRF token", name)
		}
		csp := w.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action 'self' https://app.example.com") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", name, csp)
		}
		if w.Header().Get("X-Frame-Options") != "DENY" || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v", name, w.Header())
		}
	}
}

func TestCSRF(t *testing.T) {
	s := newService(t)
	site := &oauth.Site{CookiePath: "/p/", Secure: true}
	w := httptest.NewRecorder()
	tok := s.csrfToken(w, httptest.NewRequest("GET", "/p/login", nil), site)
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || !cookies[0].Secure || cookies[0].SameSite != http.SameSiteLaxMode || cookies[0].Path != "/p/" {
		t.Fatalf("CSRF cookie = %+v", cookies)
	}
	post := func(form url.Values, cookie string, hdr ...string) bool {
		r := httptest.NewRequest("POST", "https://auth.example.com/p/login", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: csrfCookie, Value: cookie})
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		_ = r.ParseForm()
		return s.checkCSRF(r)
	}
	good := url.Values{"_csrf": {tok}}
	if !post(good, cookies[0].Value) {
		t.Errorf("valid token refused")
	}
	if !post(good, cookies[0].Value, "Sec-Fetch-Site", "same-origin") {
		t.Errorf("same-origin browser POST refused")
	}
	for name, ok := range map[string]bool{
		"no cookie":       post(good, ""),
		"no token":        post(url.Values{}, cookies[0].Value),
		"other cookie":    post(good, strings.Repeat("A", 43)),
		"cross-site":      post(good, cookies[0].Value, "Sec-Fetch-Site", "cross-site"),
		"token as cookie": post(url.Values{"_csrf": {cookies[0].Value}}, cookies[0].Value),
	} {
		if ok {
			t.Errorf("%s accepted", name)
		}
	}
	// The same cookie keeps its token across pages.
	r := httptest.NewRequest("GET", "/p/signup", nil)
	r.AddCookie(cookies[0])
	w = httptest.NewRecorder()
	if s.csrfToken(w, r, site) != tok || len(w.Result().Cookies()) != 0 {
		t.Errorf("token changed with the same cookie")
	}
}

func TestHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"https://app.example.com/cb?x=1": "https://app.example.com",
		"http://localhost:3000/":         "http://localhost:3000",
		"myapp://callback":               "myapp:",
		"https:///nohost":                "",
		"not a url":                      "",
		"https://a.example.com/';x":      "",
	} {
		if got := cspSource(in); got != want {
			t.Errorf("cspSource(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"": "en", "fr": "fr", "pt-BR": "pt-BR", `"><script>`: "en", strings.Repeat("a", 20): "en"} {
		if got := lang(in); got != want {
			t.Errorf("lang(%q) = %q", in, got)
		}
	}
	if groupSecret("ABCDEFGHIJ") != "ABCD EFGH IJ" {
		t.Errorf("groupSecret = %q", groupSecret("ABCDEFGHIJ"))
	}
	if got := passwordHint(&cognitoidp.UserPoolType{}); got != "Use at least 8 characters." {
		t.Errorf("passwordHint = %q", got)
	}
	if got := mfaOptions(`["SMS_MFA","SOFTWARE_TOKEN_MFA"]`); len(got) != 2 || got[1].Label != "Authenticator app" {
		t.Errorf("mfaOptions = %v", got)
	}
	if text, known := errorText("redirect_mismatch"); !known || !strings.Contains(text, "return address") {
		t.Errorf("errorText = %q", text)
	}
}
