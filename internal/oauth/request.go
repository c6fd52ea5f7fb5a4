package oauth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/idps"
)

// AuthorizeParams are the query parameters /oauth2/authorize takes, which
// /login and the other hosted pages carry along (Cognito's login endpoint
// takes the same parameters).
var AuthorizeParams = []string{
	"response_type", "client_id", "redirect_uri", "state", "scope", "nonce",
	"code_challenge", "code_challenge_method", "identity_provider", "idp_identifier",
	"login_hint", "lang", "prompt", "acr_values", "max_age",
}

// AuthorizeQuery keeps the authorize parameters of q (for links between the
// hosted pages), in AuthorizeParams order.
func AuthorizeQuery(q url.Values) string {
	var b strings.Builder
	for _, k := range AuthorizeParams {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// RequestError is a refused authorize request. With Redirect, the
// redirect_uri was checked and the error goes back to the client
// (Fail); without, the user sees an error page and nothing is redirected
// (an unknown client or an unregistered redirect_uri).
type RequestError struct {
	// Code is the OAuth error code ("invalid_request", "unauthorized_client",
	// "invalid_scope", ...) or, for pages, Cognito's page error
	// ("redirect_mismatch", "invalid_client", ...).
	Code        string
	Description string
	Redirect    bool
	// Txn is what was parsed (RedirectURI and State are set when Redirect).
	Txn *Txn
}

func (e *RequestError) Error() string {
	if e.Description == "" {
		return "oauth: " + e.Code
	}
	return "oauth: " + e.Code + ": " + e.Description
}

func pageError(code, desc string) *RequestError { return &RequestError{Code: code, Description: desc} }

// ParseAuthorize checks an authorize request (the query of
// /oauth2/authorize, or of /login and the other hosted pages) for site and
// returns its login transaction. The app client and its redirect_uri are
// checked first: while either is wrong nothing is redirected. Then, with
// errors redirected to the client: response_type and the client's flows,
// PKCE (S256 only, as Cognito), the scopes and the identity provider.
func (s *Service) ParseAuthorize(r *http.Request, site *Site) (*Txn, *clients.Client, error) {
	q := r.URL.Query()
	for _, k := range AuthorizeParams {
		if len(q[k]) > 1 {
			return nil, nil, pageError(errInvalidRequest, fmt.Sprintf(msgRepeatedParam, k))
		}
	}
	clientID := q.Get("client_id")
	if clientID == "" {
		return nil, nil, pageError(errInvalidRequest, msgNoClientID)
	}
	client, err := s.clients.LookupInPool(r.Context(), site.PoolID, clientID)
	if err != nil {
		if isNotFound(err) {
			return nil, nil, pageError(errInvalidClient, msgUnknownClient)
		}
		return nil, nil, err
	}
	txn := &Txn{
		PoolID: site.PoolID, ClientID: client.ID,
		RedirectURI: q.Get("redirect_uri"), ResponseType: q.Get("response_type"),
		State: q.Get("state"), Nonce: q.Get("nonce"),
		CodeChallenge: q.Get("code_challenge"), CodeChallengeMethod: q.Get("code_challenge_method"),
		LoginHint: q.Get("login_hint"), Lang: q.Get("lang"), Prompt: q.Get("prompt"),
		BaseURL: site.BaseURL, Created: s.clock.Now().UTC(),
	}
	if txn.RedirectURI == "" || !slices.Contains(client.Settings.CallbackURLs, txn.RedirectURI) {
		return nil, client, pageError(errRedirectMismatch, msgRedirectMismatch)
	}
	fail := func(code, desc string) (*Txn, *clients.Client, error) {
		return nil, client, &RequestError{Code: code, Description: desc, Redirect: true, Txn: txn}
	}
	set := client.Settings
	switch txn.ResponseType {
	case "":
		return fail(errInvalidRequest, "")
	case "code", "token":
	default:
		return fail(errUnsupportedResponseType, "")
	}
	flow := cognitoidp.OAuthFlowTypeCode
	if txn.ResponseType == "token" {
		flow = cognitoidp.OAuthFlowTypeImplicit
	}
	if !oauthEnabled(client) || !slices.Contains(set.AllowedOAuthFlows, flow) {
		return fail(errUnauthorizedClient, "")
	}
	if txn.ResponseType == "code" {
		switch {
		case txn.CodeChallenge == "" && txn.CodeChallengeMethod == "":
		case txn.CodeChallenge == "" || txn.CodeChallengeMethod == "":
			return fail(errInvalidRequest, "")
		case txn.CodeChallengeMethod != pkceS256:
			return fail(errInvalidRequest, "")
		case !validChallenge(txn.CodeChallenge):
			return fail(errInvalidRequest, "")
		}
	} else {
		txn.CodeChallenge, txn.CodeChallengeMethod = "", ""
	}
	scopes, ok := grantScopes(q.Get("scope"), set.AllowedOAuthScopes)
	if !ok {
		return fail(errInvalidScope, "")
	}
	txn.Scopes = scopes
	if len(txn.State) > maxParamLen || len(txn.Nonce) > maxParamLen || len(txn.LoginHint) > maxParamLen {
		return fail(errInvalidRequest, "")
	}
	switch txn.Prompt {
	case "", PromptNone, PromptLogin, PromptSelectAccount, PromptConsent:
	default:
		return fail(errInvalidRequest, "")
	}
	if v := q.Get("acr_values"); v != "" {
		if txn.ACR = auth.ParseACRValues(site.Pool, v); txn.ACR == "" {
			return fail(errInvalidRequest, msgACRValues)
		}
	}
	if v := q.Get("max_age"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return fail(errInvalidRequest, msgMaxAge)
		}
		txn.MaxAge, txn.HasMaxAge = n, true
	}
	idp, err := s.provider(r, site, client, q.Get("identity_provider"), q.Get("idp_identifier"))
	if err != nil {
		var re *RequestError
		if errors.As(err, &re) {
			return fail(re.Code, re.Description)
		}
		return nil, client, err
	}
	txn.IdentityProvider = idp
	return txn, client, nil
}

// provider resolves identity_provider / idp_identifier to a provider the
// client supports: "COGNITO", an identity provider's name, or "" when the
// request names none.
func (s *Service) provider(r *http.Request, site *Site, client *clients.Client, name, identifier string) (string, error) {
	supported := client.Settings.SupportedIdentityProviders
	if name == "" && identifier != "" {
		p, err := idps.ByIdentifier(r.Context(), s.store, site.PoolID, identifier)
		if errors.Is(err, storage.ErrNotFound) || isNotFound(err) {
			return "", &RequestError{Code: errInvalidRequest, Description: msgUnknownIdentifier}
		}
		if err != nil {
			return "", err
		}
		name = derefStr(p.ProviderName)
	}
	if name == "" {
		return "", nil
	}
	if strings.EqualFold(name, ProviderCognito) {
		if !slices.Contains(supported, ProviderCognito) {
			return "", &RequestError{Code: errUnauthorizedClient, Description: msgProviderNotSupported}
		}
		return ProviderCognito, nil
	}
	if !slices.Contains(supported, name) {
		return "", &RequestError{Code: errUnauthorizedClient, Description: msgProviderNotSupported}
	}
	return name, nil
}

// grantScopes picks the scopes of an authorize request: the requested ones
// (space-separated), each of which the client must allow, or every scope the
// client allows when none are requested. email, phone and profile need
// openid. ok is false for an invalid request (invalid_scope).
func grantScopes(requested string, allowed []string) ([]string, bool) {
	fields := strings.Fields(requested)
	if len(fields) == 0 {
		return slices.Clone(allowed), len(allowed) > 0
	}
	var out []string
	for _, sc := range fields {
		if !validScopeToken(sc) || !slices.Contains(allowed, sc) {
			return nil, false
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if !slices.Contains(out, ScopeOpenID) {
		for _, sc := range []string{ScopeEmail, ScopePhone, ScopeProfile} {
			if slices.Contains(out, sc) {
				return nil, false
			}
		}
	}
	return out, true
}

// validScopeToken applies RFC 6749's scope-token syntax (printable ASCII
// but space, quote and backslash).
func validScopeToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return s != ""
}

// validChallenge applies RFC 7636's code_challenge syntax: 43 to 128
// characters of [A-Za-z0-9-._~] (an S256 challenge is 43).
func validChallenge(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	return unreserved(s)
}

func unreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// oauthEnabled reports a client with AllowedOAuthFlowsUserPoolClient.
func oauthEnabled(c *clients.Client) bool {
	return c.Settings.AllowedOAuthFlowsUserPoolClient != nil && *c.Settings.AllowedOAuthFlowsUserPoolClient
}
