package hostedui

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/userpool/branding"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// flow is one page request: the pool's site, the authorize request the
// page carries (checked) and its app client.
type flow struct {
	site   *oauth.Site
	txn    *oauth.Txn
	client *clients.Client
	// query is the authorize request's parameters, carried by every link
	// and form between the pages.
	query string
}

// url is the site's URL of a page, with the authorize parameters.
func (f *flow) url(path string) string { return f.site.URL(path) + "?" + f.query }

// begin checks a page request: the pool (by Host or path), the authorize
// parameters (errors go to the app or to an error page, through oauth),
// and for a POST the form's CSRF token. false when it has answered.
func (s *Service) begin(w http.ResponseWriter, r *http.Request) (*flow, bool) {
	site, err := s.oauth.Resolve(r)
	if err != nil {
		if errors.Is(err, oauth.ErrNoSite) {
			s.Error(w, r, nil, http.StatusNotFound, "not_found", msgNoSite)
		} else {
			s.log.Error("hostedui: resolving the pool of a request", "host", r.Host, "err", err)
			s.Error(w, r, nil, http.StatusInternalServerError, "server_error", msgServerError)
		}
		return nil, false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		s.Error(w, r, site, http.StatusMethodNotAllowed, "invalid_request", msgMethod)
		return nil, false
	}
	txn, client, err := s.oauth.ParseAuthorize(r, site)
	if err != nil {
		s.oauth.RequestFailed(w, r, site, err)
		return nil, false
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil || !s.checkCSRF(r) {
			s.Error(w, r, site, http.StatusForbidden, "invalid_request", msgCSRF)
			return nil, false
		}
	}
	return &flow{site: site, txn: txn, client: client, query: oauth.AuthorizeQuery(r.URL.Query())}, true
}

// maxFormBytes bounds a page's form.
const maxFormBytes = 64 << 10

// page is what the templates show.
type page struct {
	Lang, Title, ClientName string
	CSS                     template.CSS
	LogoURL                 template.URL
	Error, Info             string
	Action, CSRF            string
	Links                   links

	Username, UsernameLabel, UsernameType, UsernameAutocomplete string

	Cognito   bool
	Providers []provider

	Description, CodeLabel, Step string
	Challenge, Session           string
	Options                      []option

	Secret, SecretGroups, OTPAuthURI string

	PasswordHint string
	Fields       []field

	TermsURL, PrivacyURL string
	Detail               string

	// redirectSource is the CSP source of the app's callback (its origin, or
	// its scheme for custom schemes), where a completed form may redirect.
	redirectSource string
}

// cspSource is the Content-Security-Policy source expression that allows
// redirect URI u: its origin for http(s), its scheme otherwise.
func cspSource(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme == "" || strings.ContainsAny(u, " ;,'\"") {
		return ""
	}
	if p.Scheme == "http" || p.Scheme == "https" {
		if p.Host == "" {
			return ""
		}
		return p.Scheme + "://" + p.Host
	}
	return p.Scheme + ":"
}

type links struct{ Login, SignUp, Forgot string }

type provider struct{ Name, URL string }

type option struct{ Value, Label string }

type field struct{ Name, Label, Type, Value, Autocomplete string }

// newPage starts a page of flow f: language, client name, branding, the
// CSRF token and links.
func (s *Service) newPage(w http.ResponseWriter, r *http.Request, f *flow, title, path string) *page {
	p := &page{
		Lang: lang(f.txn.Lang), Title: title, ClientName: f.client.Name,
		Action: f.url(path), CSRF: s.csrfToken(w, r, f.site),
		Links:          links{Login: f.url("/login"), Forgot: f.url("/forgotPassword")},
		redirectSource: cspSource(f.txn.RedirectURI),
	}
	if s.selfSignUp(f) {
		p.Links.SignUp = f.url("/signup")
	}
	p.UsernameLabel = usernameLabel(f.site.Pool)
	s.brand(r.Context(), f, p)
	return p
}

// selfSignUp reports whether the pool lets users sign up themselves.
func (s *Service) selfSignUp(f *flow) bool {
	if s.api.SignUp == nil {
		return false
	}
	c := f.site.Pool.AdminCreateUserConfig
	return c == nil || !c.AllowAdminCreateUserOnly
}

// brand applies the client's look: managed login branding's form logo on a
// managed-login (version 2) domain, else the hosted UI customization (CSS
// classes and logo).
func (s *Service) brand(ctx context.Context, f *flow, p *page) {
	if f.site.Domain != nil && f.site.Domain.ManagedLoginVersion == 2 {
		style, err := branding.StyleForClient(ctx, s.store, f.site.PoolID, f.client.ID, false)
		if err == nil {
			for _, a := range style.Assets {
				if a.Category == nil || *a.Category != cognitoidp.AssetCategoryTypeFormLogo || len(a.Bytes) == 0 {
					continue
				}
				if mt := assetType(a.Extension); mt != "" {
					p.LogoURL = template.URL("data:" + mt + ";base64," + base64.StdEncoding.EncodeToString(a.Bytes))
					return
				}
			}
		}
	}
	ui, err := branding.Effective(ctx, s.store, f.site.PoolID, f.client.ID)
	if err != nil || ui == nil {
		return
	}
	p.CSS = template.CSS(ui.HostedCSS)
	if ui.LogoPath != "" {
		p.LogoURL = template.URL(ui.LogoPath)
	}
}

func assetType(ext *cognitoidp.AssetExtensionType) string {
	if ext == nil {
		return ""
	}
	switch *ext {
	case cognitoidp.AssetExtensionTypePng:
		return "image/png"
	case cognitoidp.AssetExtensionTypeJpeg:
		return "image/jpeg"
	case cognitoidp.AssetExtensionTypeSvg:
		return "image/svg+xml"
	case cognitoidp.AssetExtensionTypeWebp:
		return "image/webp"
	}
	return ""
}

// lang is the page's language tag: the request's lang when it looks like
// one, else English (the pages are written in English only).
func lang(l string) string {
	if l == "" || len(l) > 16 {
		return "en"
	}
	for _, c := range l {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return "en"
		}
	}
	return l
}

// usernameLabel names the sign-in field after what the pool accepts.
func usernameLabel(pool *cognitoidp.UserPoolType) string {
	ua := pool.UsernameAttributes
	switch {
	case slices.Contains(ua, cognitoidp.UsernameAttributeTypeEmail) && slices.Contains(ua, cognitoidp.UsernameAttributeTypePhoneNumber):
		return "Email or phone number"
	case slices.Contains(ua, cognitoidp.UsernameAttributeTypeEmail):
		return "Email address"
	case slices.Contains(ua, cognitoidp.UsernameAttributeTypePhoneNumber):
		return "Phone number"
	}
	return "Username"
}

// message is what a person reads for an error of the sign-in, sign-up or
// reset operations: Cognito's message (as its hosted UI shows it), or a
// general sentence for anything unexpected (logged).
func (s *Service) message(f *flow, err error) string {
	if e, ok := awserr.As(err); ok && e.Status < 500 && e.Message != "" {
		return e.Message
	}
	s.log.Error("hostedui: an operation failed", "pool", f.site.PoolID, "client", f.client.ID, "err", err)
	return msgServerError
}

// errorCode is Cognito's exception name of err, or "".
func errorCode(err error) string {
	if e, ok := awserr.As(err); ok {
		return e.Code
	}
	return ""
}

// providerURL is the authorize URL that signs in through an identity
// provider.
func (f *flow) providerURL(name string) string {
	q, _ := url.ParseQuery(f.query)
	q.Del("idp_identifier")
	q.Set("identity_provider", name)
	return f.site.URL("/oauth2/authorize") + "?" + oauth.AuthorizeQuery(q)
}

// providers are the buttons of the client's external identity providers,
// and whether it signs in with Cognito's own users.
func (f *flow) providers() ([]provider, bool) {
	var out []provider
	cognito := false
	for _, name := range f.client.Settings.SupportedIdentityProviders {
		if strings.EqualFold(name, oauth.ProviderCognito) {
			cognito = true
			continue
		}
		out = append(out, provider{Name: name, URL: f.providerURL(name)})
	}
	return out, cognito
}

// sealer seals small cookies (the pending sign-up).
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) *sealer {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic("hostedui: " + err.Error())
	}
	a, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("hostedui: " + err.Error())
	}
	return &sealer{aead: a}
}

func (s *sealer) seal(v any, ad string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nil, nil, b, []byte(ad))), nil
}

func (s *sealer) open(raw, ad string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return false
	}
	plain, err := s.aead.Open(nil, nil, b, []byte(ad))
	return err == nil && json.Unmarshal(plain, v) == nil
}
