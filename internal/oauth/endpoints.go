package oauth

import (
	"errors"
	"html"
	"net/http"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/token"
)

// Pages renders the pages a person sees when a request cannot go back to
// the app (internal/hostedui implements it).
type Pages interface {
	// Error shows an error page: code is an OAuth or Cognito page error
	// ("redirect_mismatch", "invalid_client", "not_found", ...), description
	// plain words. site is nil when the request names no pool.
	Error(w http.ResponseWriter, r *http.Request, site *Site, status int, code, description string)
}

// SetPages sets the error-page renderer (without one, errors are plain
// text).
func (s *Service) SetPages(p Pages) {
	s.mu.Lock()
	s.pages = p
	s.mu.Unlock()
}

func (s *Service) errorPage(w http.ResponseWriter, r *http.Request, site *Site, status int, code, desc string) {
	s.mu.RLock()
	p := s.pages
	s.mu.RUnlock()
	if p != nil {
		p.Error(w, r, site, status, code, desc)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("<!doctype html><title>Error</title><h1>" + html.EscapeString(code) + "</h1><p>" + html.EscapeString(desc) + "</p>"))
}

// noSite answers a request that names no pool with a domain (404), or an
// internal failure to find it (500).
func (s *Service) noSite(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrNoSite) {
		s.errorPage(w, r, nil, http.StatusNotFound, "not_found", msgNoSite)
		return
	}
	s.log.Error("oauth: resolving the pool of a request", "host", r.Host, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, nil, http.StatusInternalServerError, errServerError, msgServerError)
}

// RequestFailed answers a refused authorize request (ParseAuthorize's
// error): back to the client when its redirect_uri was checked, else an
// error page.
func (s *Service) RequestFailed(w http.ResponseWriter, r *http.Request, site *Site, err error) {
	var re *RequestError
	if !errors.As(err, &re) {
		s.log.Error("oauth: checking an authorize request", "pool", site.PoolID, "err", err)
		s.errorPage(w, r, site, http.StatusInternalServerError, errServerError, msgServerError)
		return
	}
	if re.Redirect {
		s.Fail(w, r, re.Txn, re.Code, re.Description)
		return
	}
	s.errorPage(w, r, site, http.StatusBadRequest, re.Code, re.Description)
}

// Authorize serves GET /oauth2/authorize: it checks the request, then
// completes it at once for a user with a hosted session (silent
// re-authorization), starts federation when it names an external identity
// provider, or sends the browser to the sign-in page.
func (s *Service) Authorize(w http.ResponseWriter, r *http.Request) {
	site, err := s.Resolve(r)
	if err != nil {
		s.noSite(w, r, err)
		return
	}
	txn, client, err := s.ParseAuthorize(r, site)
	if err != nil {
		s.RequestFailed(w, r, site, err)
		return
	}
	if txn.Prompt != PromptLogin && txn.Prompt != PromptSelectAccount {
		if u, at := s.SessionUser(r.Context(), r, site); u != nil && txn.Fresh(at, s.clock.Now()) {
			s.respond(w, r, txn, u, SignIn{AuthTime: at})
			return
		}
	}
	if txn.Prompt == PromptNone {
		s.Fail(w, r, txn, errLoginRequired, "")
		return
	}
	if txn.IdentityProvider != "" && txn.IdentityProvider != ProviderCognito {
		fed := s.federation()
		if fed == nil {
			s.Fail(w, r, txn, errInvalidRequest, msgNoFederation)
			return
		}
		fed.Start(w, r, site.Pool, client, txn.IdentityProvider, txn)
		return
	}
	redirect(w, r, site.URL("/login?"+AuthorizeQuery(r.URL.Query())))
}

// UserInfo serves GET and POST /oauth2/userInfo: the claims of the user of
// a Bearer access token with the openid scope, by its scopes.
func (s *Service) UserInfo(w http.ResponseWriter, r *http.Request) {
	site, err := s.Resolve(r)
	if err != nil {
		s.noSite(w, r, err)
		return
	}
	tok, ok := bearer(r)
	if !ok {
		bearerError(w, http.StatusBadRequest, errInvalidRequest, msgUserInfoBadRequest)
		return
	}
	ctx := r.Context()
	claims, err := s.tokens.VerifyAccess(ctx, tok)
	if err != nil {
		if _, isCognito := awserr.As(err); !isCognito {
			s.log.Error("oauth: verifying an access token", "pool", site.PoolID, "err", err)
			bearerError(w, http.StatusInternalServerError, errServerError, "")
			return
		}
		bearerError(w, http.StatusUnauthorized, errInvalidToken, msgUserInfoInvalidToken)
		return
	}
	if claims.PoolID != site.PoolID || !claims.HasScope(ScopeOpenID) || claims.Username == "" {
		bearerError(w, http.StatusUnauthorized, errInvalidToken, msgUserInfoInvalidToken)
		return
	}
	info, err := s.auth.UserInfo(ctx, claims.PoolID, claims.ClientID, claims.Username, claims.Scopes)
	if err != nil {
		if _, isCognito := awserr.As(err); isCognito {
			bearerError(w, http.StatusUnauthorized, errInvalidToken, msgUserInfoInvalidToken)
			return
		}
		s.log.Error("oauth: reading a user for userInfo", "pool", site.PoolID, "err", err)
		bearerError(w, http.StatusInternalServerError, errServerError, "")
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// bearer reads Authorization: Bearer <token>.
func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	return tok, true
}

// bearerError is an RFC 6750 error: WWW-Authenticate and no body, as
// Cognito answers.
func bearerError(w http.ResponseWriter, status int, code, desc string) {
	v := `error="` + code + `"`
	if desc != "" {
		v += `, error_description="` + desc + `"`
	}
	w.Header().Set("WWW-Authenticate", v)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

// Revoke serves POST /oauth2/revoke (RFC 7009): it revokes a refresh token
// and every token of its family.
func (s *Service) Revoke(w http.ResponseWriter, r *http.Request) {
	site, err := s.Resolve(r)
	if err != nil {
		s.noSite(w, r, err)
		return
	}
	if r.Method != http.MethodPost {
		writeTokenError(w, tokErr(errInvalidRequest, ""))
		return
	}
	form, terr := readForm(r)
	if terr != nil {
		writeTokenError(w, terr)
		return
	}
	client, _, terr := s.authenticateClient(r, site, form)
	if terr != nil {
		writeTokenError(w, terr)
		return
	}
	tok := form.Get("token")
	if tok == "" || !client.TokenRevocationEnabled() {
		writeTokenError(w, tokErr(errInvalidRequest, ""))
		return
	}
	if hint := form.Get("token_type_hint"); hint != "" && hint != "refresh_token" {
		writeTokenError(w, tokErr(errUnsupportedTokenType, ""))
		return
	}
	err = s.tokens.RevokeRefresh(r.Context(), tok, client.ID)
	if e, ok := awserr.As(err); ok {
		switch {
		case e.Code == cognitoidp.CodeUnsupportedTokenTypeException && token.LooksLikeJWT(tok):
			writeTokenError(w, tokErr(errUnsupportedTokenType, ""))
			return
		case e.Code == cognitoidp.CodeUnsupportedTokenTypeException:
			err = nil // not a token at all: nothing to revoke (RFC 7009 §2.2)
		default:
			writeTokenError(w, tokErr(errInvalidRequest, e.Message))
			return
		}
	}
	if err != nil {
		s.log.Error("oauth: revoking a token", "pool", site.PoolID, "err", err)
		writeTokenError(w, &tokenError{status: http.StatusInternalServerError, code: errServerError})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// Logout serves GET /logout: it ends the hosted session and redirects to the
// client's sign-out URL (client_id + logout_uri), or, with redirect_uri and
// response_type instead, to the sign-in page for a new sign-in.
func (s *Service) Logout(w http.ResponseWriter, r *http.Request) {
	site, err := s.Resolve(r)
	if err != nil {
		s.noSite(w, r, err)
		return
	}
	q := r.URL.Query()
	clientID := q.Get("client_id")
	if clientID == "" {
		s.errorPage(w, r, site, http.StatusBadRequest, errInvalidRequest, msgNoClientID)
		return
	}
	client, err := s.clients.LookupInPool(r.Context(), site.PoolID, clientID)
	if err != nil {
		if isNotFound(err) {
			s.errorPage(w, r, site, http.StatusBadRequest, errInvalidClient, msgUnknownClient)
			return
		}
		s.log.Error("oauth: reading an app client", "pool", site.PoolID, "err", err)
		s.errorPage(w, r, site, http.StatusInternalServerError, errServerError, msgServerError)
		return
	}
	if lu := q.Get("logout_uri"); lu != "" {
		if !slices.Contains(client.Settings.LogoutURLs, lu) {
			s.errorPage(w, r, site, http.StatusBadRequest, errRedirectMismatch, msgLogoutMismatch)
			return
		}
		s.ClearSession(w, r, site)
		redirect(w, r, lu)
		return
	}
	if q.Get("redirect_uri") == "" {
		s.errorPage(w, r, site, http.StatusBadRequest, errInvalidRequest, msgLogoutNoTarget)
		return
	}
	if _, _, err := s.ParseAuthorize(r, site); err != nil {
		s.RequestFailed(w, r, site, err)
		return
	}
	s.ClearSession(w, r, site)
	redirect(w, r, site.URL("/login?"+AuthorizeQuery(q)))
}
