// Package hostedui serves a user pool's managed login pages (Cognito's
// hosted UI): sign-in with a password and the steps that may follow (a new
// password, MFA codes, choosing an MFA type, setting up an authenticator app
// or email codes), sign-up with confirmation, and password reset.
//
// The pages are server-rendered with html/template from embedded templates,
// work without JavaScript, label every field and keep a visible focus. They
// apply the app client's UI customization (its CSS classes and logo) and the
// logo of its managed login branding. Every form carries a CSRF token bound
// to a cookie; the cookies are HttpOnly, SameSite=Lax and Secure over HTTPS.
// Every page takes the authorize request's parameters (as Cognito's login
// endpoint does) and checks them through internal/oauth before anything
// else, so no page redirects anywhere the app client has not registered.
// Sign-ins run through internal/userpool/auth, as the app client; a
// completed one goes back to internal/oauth, which issues the code or the
// tokens.
package hostedui

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/terms"
)

//go:embed templates/*.html
var templateFS embed.FS

// Auth runs managed-login sign-ins (*auth.Service).
type Auth interface {
	HostedSignIn(ctx context.Context, poolID, clientID, username, pw string, metadata map[string]string) (*auth.HostedStep, error)
	HostedRespond(ctx context.Context, poolID, clientID string, challenge cognitoidp.ChallengeNameType, session string, responses map[string]string) (*auth.HostedStep, error)
	HostedSignInConfirmed(ctx context.Context, poolID, clientID, username string) (*auth.HostedStep, error)
}

// Config holds the Service's dependencies. OAuth, Auth, API, Store and
// Sealer are required.
type Config struct {
	OAuth *oauth.Service
	Auth  Auth
	// API is the User Pools operation table: the pages call SignUp,
	// ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
	// ConfirmForgotPassword, AssociateSoftwareToken and VerifySoftwareToken
	// through it, as an app would (a nil operation is not offered).
	API   *cognitoidp.Handlers
	Store storage.ResourceStore
	// Terms returns an app client's terms documents for the sign-up page;
	// nil: none.
	Terms  func(ctx context.Context, poolID, clientID string) (terms.Documents, error)
	Sealer *keys.Sealer
	Clock  clock.Clock
	Logger *slog.Logger
}

// Service serves the pages.
type Service struct {
	oauth   *oauth.Service
	auth    Auth
	api     *cognitoidp.Handlers
	store   storage.ResourceStore
	terms   func(ctx context.Context, poolID, clientID string) (terms.Documents, error)
	clock   clock.Clock
	log     *slog.Logger
	pages   map[string]*template.Template
	csrfKey []byte
	pending *sealer // the sign-up awaiting confirmation in this browser
	origin  *http.CrossOriginProtection
}

// Pages and their content templates.
var pageNames = []string{"login", "mfa-code", "mfa-select", "totp-setup", "email-setup", "new-password", "signup", "confirm", "forgot", "reset", "error"}

// New returns a Service. It panics on a missing dependency or a broken
// template (both wiring mistakes).
func New(cfg Config) *Service {
	if cfg.OAuth == nil || cfg.Auth == nil || cfg.API == nil || cfg.Store == nil || cfg.Sealer == nil {
		panic("hostedui: Config.OAuth, Auth, API, Store and Sealer are required")
	}
	base := template.Must(template.New("pages").ParseFS(templateFS, "templates/pages.html"))
	s := &Service{
		oauth: cfg.OAuth, auth: cfg.Auth, api: cfg.API, store: cfg.Store, terms: cfg.Terms,
		clock: cfg.Clock, log: cfg.Logger, pages: make(map[string]*template.Template, len(pageNames)),
		csrfKey: cfg.Sealer.DeriveKey(purposeCSRF),
		pending: newSealer(cfg.Sealer.DeriveKey(purposePending)),
		origin:  http.NewCrossOriginProtection(),
	}
	for _, name := range pageNames {
		t := template.Must(base.Clone())
		template.Must(t.New("content").Parse(`{{template "` + name + `-content" .}}`))
		s.pages[name] = t
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Key purposes (keys.Sealer.DeriveKey).
const (
	purposeCSRF    = "hostedui-csrf"
	purposePending = "hostedui-pending-signup"
)

// render writes page name with data, status status.
func (s *Service) render(w http.ResponseWriter, status int, name string, data *page) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("hostedui: rendering a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// Forms post here, and a completed sign-in redirects to the app's
	// callback, which form-action must allow (browsers check redirects).
	formAction := "'self'"
	if data.redirectSource != "" {
		formAction += " " + data.redirectSource
	}
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action "+formAction+"; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// CSRF: a random token in an HttpOnly cookie, and in every form an HMAC of
// it under a key derived from the master key. A request from another site
// can neither read the cookie nor compute the form value; http's
// CrossOriginProtection also refuses cross-origin browser POSTs.

const csrfCookie = "cogito-csrf"

// csrfToken returns the form token for the request's CSRF cookie, setting
// a new cookie when there is none.
func (s *Service) csrfToken(w http.ResponseWriter, r *http.Request, site *oauth.Site) string {
	v := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		v = c.Value
	} else {
		var b [32]byte
		_, _ = rand.Read(b[:])
		v = base64.RawURLEncoding.EncodeToString(b[:])
		http.SetCookie(w, &http.Cookie{
			Name: csrfCookie, Value: v, Path: site.CookiePath, HttpOnly: true,
			Secure: site.Secure, SameSite: http.SameSiteLaxMode,
		})
	}
	return s.csrfMAC(v)
}

func (s *Service) csrfMAC(cookie string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF reports whether a POST carries the form token of its cookie and
// is not a cross-origin browser request.
func (s *Service) checkCSRF(r *http.Request) bool {
	if s.origin.Check(r) != nil {
		return false
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	got := r.PostFormValue("_csrf")
	want := s.csrfMAC(c.Value)
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
