package oauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// tokenError is an RFC 6749 §5.2 error answer.
type tokenError struct {
	status      int
	code        string
	description string
	// basic adds WWW-Authenticate (invalid_client after Basic auth).
	basic bool
}

func (e *tokenError) Error() string { return "oauth: " + e.code + ": " + e.description }

func tokErr(code, desc string) *tokenError {
	return &tokenError{status: http.StatusBadRequest, code: code, description: desc}
}

// writeTokenError writes e as JSON.
func writeTokenError(w http.ResponseWriter, e *tokenError) {
	h := w.Header()
	if e.basic {
		h.Set("WWW-Authenticate", `Basic realm="cognito", error="`+e.code+`"`)
	}
	body := map[string]string{"error": e.code}
	if e.description != "" {
		body["error_description"] = e.description
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// tokenResponse is the token endpoint's answer, in Cognito's member order.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int32  `json:"expires_in"`
}

// Token serves POST /oauth2/token: the authorization_code, refresh_token and
// client_credentials grants.
func (s *Service) Token(w http.ResponseWriter, r *http.Request) {
	site, err := s.Resolve(r)
	if err != nil {
		s.noSite(w, r, err)
		return
	}
	resp, terr := s.token(r, site)
	if terr != nil {
		writeTokenError(w, terr)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Service) token(r *http.Request, site *Site) (*tokenResponse, *tokenError) {
	if r.Method != http.MethodPost {
		return nil, tokErr(errInvalidRequest, msgBadMethod)
	}
	form, terr := readForm(r)
	if terr != nil {
		return nil, terr
	}
	client, basic, terr := s.authenticateClient(r, site, form)
	if terr != nil {
		return nil, terr
	}
	ctx := r.Context()
	switch gt := form.Get("grant_type"); gt {
	case "authorization_code":
		return s.codeGrant(ctx, client, form)
	case "refresh_token":
		return s.refreshGrant(ctx, client, form)
	case "client_credentials":
		return s.clientCredentialsGrant(ctx, client, basic, form)
	case "":
		return nil, tokErr(errInvalidRequest, fmt.Sprintf(msgMissingParameter, "grant_type"))
	default:
		return nil, tokErr(errUnsupportedGrantType, "")
	}
}

// readForm parses an application/x-www-form-urlencoded body (only that
// type, as Cognito requires), refusing repeated parameters.
func readForm(r *http.Request) (url.Values, *tokenError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, tokErr(errInvalidRequest, msgBadContentType)
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, tokErr(errInvalidRequest, "")
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, tokErr(errInvalidRequest, fmt.Sprintf(msgRepeatedParam, k))
		}
	}
	return r.PostForm, nil
}

// maxFormBytes bounds a token or revocation request body.
const maxFormBytes = 64 << 10

// authenticateClient finds and authenticates the app client of a token or
// revocation request: client_secret_basic (Authorization: Basic), or
// client_secret_post (client_id and client_secret in the body), or, for a
// client without a secret, client_id alone. The client must belong to the
// site's pool. basic reports the Basic scheme.
func (s *Service) authenticateClient(r *http.Request, site *Site, form url.Values) (*clients.Client, bool, *tokenError) {
	id, secret, basic, ok := basicAuth(r)
	if r.Header.Get("Authorization") != "" && !ok {
		return nil, false, &tokenError{status: http.StatusUnauthorized, code: errInvalidClient, basic: true}
	}
	invalid := func() (*clients.Client, bool, *tokenError) {
		return nil, basic, &tokenError{status: http.StatusUnauthorized, code: errInvalidClient, basic: basic}
	}
	if basic {
		if fid := form.Get("client_id"); fid != "" && fid != id {
			return nil, basic, &tokenError{status: http.StatusBadRequest, code: errInvalidRequest, description: msgClientMismatch}
		}
		if form.Has("client_secret") {
			return nil, basic, tokErr(errInvalidRequest, "") // one method only (RFC 6749 §2.3)
		}
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
		if id == "" {
			return invalid()
		}
	}
	client, err := s.clients.LookupInPool(r.Context(), site.PoolID, id)
	if err != nil {
		if !isNotFound(err) {
			s.log.Error("oauth: reading an app client", "pool", site.PoolID, "err", err)
			return nil, basic, &tokenError{status: http.StatusInternalServerError, code: errServerError}
		}
		// Spend the time a secret check would take.
		subtle.ConstantTimeCompare([]byte(secret), []byte(secret))
		return invalid()
	}
	if client.HasSecret() {
		if secret == "" || !client.SecretMatches(secret) {
			return invalid()
		}
	} else if secret != "" {
		return invalid()
	}
	return client, basic, nil
}

// basicAuth reads Authorization: Basic base64(client_id:client_secret),
// each part form-urlencoded (RFC 6749 §2.3.1). ok is false for a malformed
// header; basic is true when the header uses the Basic scheme.
func basicAuth(r *http.Request) (id, secret string, basic, ok bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", "", false, false
	}
	scheme, rest, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false, false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	if err != nil {
		return "", "", true, false
	}
	u, p, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", true, false
	}
	if v, err := url.QueryUnescape(u); err == nil {
		u = v
	}
	if v, err := url.QueryUnescape(p); err == nil {
		p = v
	}
	return u, p, true, u != ""
}

// codeGrant is grant_type=authorization_code.
func (s *Service) codeGrant(ctx context.Context, client *clients.Client, form url.Values) (*tokenResponse, *tokenError) {
	code := form.Get("code")
	if code == "" {
		return nil, tokErr(errInvalidRequest, fmt.Sprintf(msgMissingParameter, "code"))
	}
	if !oauthEnabled(client) || !slices.Contains(client.Settings.AllowedOAuthFlows, cognitoidp.OAuthFlowTypeCode) {
		return nil, tokErr(errUnauthorizedClient, "")
	}
	h, g, err := s.redeemCode(ctx, code)
	if errors.Is(err, errCodeInvalid) {
		return nil, tokErr(errInvalidGrant, "")
	}
	if err != nil {
		s.log.Error("oauth: redeeming a code", "pool", client.PoolID, "err", err)
		return nil, &tokenError{status: http.StatusInternalServerError, code: errServerError}
	}
	if h.PoolID != client.PoolID || g.ClientID != client.ID || form.Get("redirect_uri") != g.RedirectURI {
		return nil, tokErr(errInvalidGrant, "")
	}
	if !pkceMatches(g.CodeChallenge, g.CodeChallengeMethod, form.Get("code_verifier")) {
		return nil, tokErr(errInvalidGrant, "")
	}
	u, err := s.store.GetUser(ctx, h.PoolID, h.UserKey)
	if errors.Is(err, storage.ErrNotFound) || err == nil && !u.Enabled {
		return nil, tokErr(errInvalidGrant, "")
	}
	if err != nil {
		s.log.Error("oauth: reading the user of a code", "pool", client.PoolID, "err", err)
		return nil, &tokenError{status: http.StatusInternalServerError, code: errServerError}
	}
	issued, err := s.auth.IssueOAuth(ctx, h.PoolID, client.ID, u, auth.OAuthGrant{
		Scopes: g.Scopes, Nonce: g.Nonce, AuthTime: g.AuthTime, EventID: g.EventID, DeviceKey: g.DeviceKey, WithRefresh: true,
		ACR: g.ACR, FirstFactor: g.FirstFactor, MFAFactor: g.MFAFactor, IdPLevel: g.IdPLevel, IdPAMR: g.IdPAMR,
	})
	if err != nil {
		return nil, s.issueError(client, err)
	}
	s.markRedeemed(ctx, code, h, g, issued.OriginJTI)
	resp := &tokenResponse{AccessToken: issued.AccessToken, RefreshToken: issued.RefreshToken, TokenType: "Bearer", ExpiresIn: issued.ExpiresIn}
	if slices.Contains(g.Scopes, ScopeOpenID) {
		resp.IDToken = issued.IDToken
	}
	return resp, nil
}

// pkceMatches checks a code_verifier against the code's challenge (RFC
// 7636 §4.6): with a challenge, the verifier (43–128 unreserved characters)
// must hash to it; without one, no verifier may be sent.
func pkceMatches(challenge, method, verifier string) bool {
	if challenge == "" {
		return verifier == ""
	}
	if len(verifier) < 43 || len(verifier) > 128 || !unreserved(verifier) || method != pkceS256 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(b64.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// refreshGrant is grant_type=refresh_token.
func (s *Service) refreshGrant(ctx context.Context, client *clients.Client, form url.Values) (*tokenResponse, *tokenError) {
	rt := form.Get("refresh_token")
	if rt == "" {
		return nil, tokErr(errInvalidRequest, fmt.Sprintf(msgMissingParameter, "refresh_token"))
	}
	res, err := s.auth.RefreshOAuth(ctx, client.ID, rt)
	if err != nil {
		if e, ok := awserr.As(err); ok && e.Status < 500 {
			return nil, tokErr(errInvalidGrant, "")
		}
		return nil, s.issueError(client, err)
	}
	resp := &tokenResponse{TokenType: "Bearer", ExpiresIn: res.ExpiresIn}
	resp.AccessToken = derefStr(res.AccessToken)
	resp.IDToken = derefStr(res.IdToken)
	resp.RefreshToken = derefStr(res.RefreshToken)
	return resp, nil
}

// issueError answers a failure to mint tokens: a trigger's refusal as
// invalid_request with its message, anything else server_error.
func (s *Service) issueError(client *clients.Client, err error) *tokenError {
	if code, msg, ok := cognitoError(err); ok {
		return tokErr(errInvalidRequest, cognitoDescription(code, msg))
	}
	s.log.Error("oauth: issuing tokens", "pool", client.PoolID, "client", client.ID, "err", err)
	return &tokenError{status: http.StatusInternalServerError, code: errServerError}
}

// clientCredentialsGrant is grant_type=client_credentials: an access token
// for the client itself with custom scopes of the pool's resource servers.
func (s *Service) clientCredentialsGrant(ctx context.Context, client *clients.Client, basic bool, form url.Values) (*tokenResponse, *tokenError) {
	set := client.Settings
	if !client.HasSecret() || !oauthEnabled(client) || !slices.Contains(set.AllowedOAuthFlows, cognitoidp.OAuthFlowTypeClientCredentials) {
		return nil, tokErr(errUnauthorizedClient, "")
	}
	var custom []string
	for _, sc := range set.AllowedOAuthScopes {
		if strings.Contains(sc, "/") {
			custom = append(custom, sc)
		}
	}
	scopes := custom
	if req := strings.Fields(form.Get("scope")); len(req) > 0 {
		scopes = nil
		for _, sc := range req {
			if !slices.Contains(custom, sc) {
				return nil, tokErr(errInvalidScope, "")
			}
			if !slices.Contains(scopes, sc) {
				scopes = append(scopes, sc)
			}
		}
	}
	if len(scopes) == 0 {
		return nil, tokErr(errInvalidScope, "")
	}
	tok, exp, err := s.tokens.IssueClientCredentials(ctx, client.PoolID, client.ID, scopes, client.AccessTokenValidity())
	if err != nil {
		return nil, s.issueError(client, err)
	}
	return &tokenResponse{AccessToken: tok, TokenType: "Bearer", ExpiresIn: exp}, nil
}

// cognitoError reports a Cognito client error (a trigger's refusal,
// UserLambdaValidationException, ...), with its code and message.
func cognitoError(err error) (code, msg string, ok bool) {
	e, ok := awserr.As(err)
	if !ok || e.Status >= 500 {
		return "", "", false
	}
	return e.Code, e.Message, true
}

// cognitoDescription is the error_description of a Cognito error: its
// message (Cognito's hosted UI passes a trigger's "PreTokenGeneration
// failed with error …." on as it is).
func cognitoDescription(code, msg string) string {
	if msg == "" {
		return code
	}
	return msg
}

// isNotFound reports Cognito's not-found errors (ResourceNotFoundException
// and friends).
func isNotFound(err error) bool {
	e, ok := awserr.As(err)
	return ok && (e.Code == cognitoidp.CodeResourceNotFoundException || e.Code == cognitoidp.CodeUserNotFoundException)
}
