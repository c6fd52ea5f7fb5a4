package federation

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/idps"
)

// idpInitiated handles an unsolicited SAML response: its RelayState holds
// the parameters an authorize request would have (response_type, client_id,
// redirect_uri, identity_provider or idp_identifier, scope, state), checked
// here as the authorize endpoint checks them; the provider must allow
// IdP-initiated sign-in (IDPInit) and the response must answer no request.
func (s *Service) idpInitiated(w http.ResponseWriter, r *http.Request, raw, relay string) {
	ctx := r.Context()
	q, err := url.ParseQuery(relay)
	if err != nil || !strings.Contains(relay, "=") {
		// Most likely an expired or altered state of an SP-initiated sign-in.
		s.errorPage(w, r, http.StatusBadRequest, msgPageExpired)
		return
	}
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	if clientID == "" || redirectURI == "" {
		s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf(msgIDPInitParams, "client_id and redirect_uri are required"))
		return
	}
	client, err := s.clients.Lookup(ctx, clientID)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf(msgIDPInitParams, "unknown client_id"))
		return
	}
	cs := client.Settings
	if !slices.Contains(cs.CallbackURLs, redirectURI) {
		s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf(msgIDPInitParams, "redirect_uri is not a callback URL of the client"))
		return
	}
	txn := &oauth.Txn{
		PoolID: client.PoolID, ClientID: client.ID, RedirectURI: redirectURI,
		ResponseType: q.Get("response_type"), State: q.Get("state"),
		BaseURL: requestBase(r, SAMLACSPath), Created: s.clock.Now(),
	}
	idpName := q.Get("identity_provider")
	if idpName == "" && q.Get("idp_identifier") != "" {
		p, err := idps.ByIdentifier(ctx, s.store, client.PoolID, q.Get("idp_identifier"))
		switch {
		case errors.Is(err, storage.ErrNotFound):
			s.completer.Fail(w, r, txn, errInvalidRequest, fmt.Sprintf(msgIDPInitParams, "unknown idp_identifier"))
			return
		case err != nil:
			s.internal(w, r, txn, err)
			return
		}
		idpName = api.Deref(p.ProviderName)
	}
	txn.IdentityProvider = idpName
	flow := map[string]cognitoidp.OAuthFlowType{"code": cognitoidp.OAuthFlowTypeCode, "token": cognitoidp.OAuthFlowTypeImplicit}[txn.ResponseType]
	switch {
	case flow == "":
		s.completer.Fail(w, r, txn, errInvalidRequest, fmt.Sprintf(msgIDPInitParams, "response_type must be code or token"))
		return
	case !api.Deref(cs.AllowedOAuthFlowsUserPoolClient) || !slices.Contains(cs.AllowedOAuthFlows, flow):
		s.completer.Fail(w, r, txn, errUnauthorized, fmt.Sprintf(msgIDPInitParams, "the client may not use response_type "+txn.ResponseType))
		return
	case idpName == "":
		s.completer.Fail(w, r, txn, errInvalidRequest, fmt.Sprintf(msgIDPInitParams, "identity_provider or idp_identifier is required"))
		return
	case !slices.Contains(cs.SupportedIdentityProviders, idpName):
		s.completer.Fail(w, r, txn, errUnauthorized, fmt.Sprintf(msgIDPInitParams, "the client does not support identity provider "+idpName))
		return
	}
	scopes, ok := grantScopes(q.Get("scope"), cs.AllowedOAuthScopes)
	if !ok {
		s.completer.Fail(w, r, txn, errInvalidScope, fmt.Sprintf(msgIDPInitParams, "none of the scopes is allowed for the client"))
		return
	}
	txn.Scopes = scopes
	p, err := s.provider(ctx, client.PoolID, idpName)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	if providerType(p) != typeSAML || p.ProviderDetails["IDPInit"] != "true" {
		s.completer.Fail(w, r, txn, errInvalidRequest, fmt.Sprintf(msgSAMLNoIDPInit, idpName))
		return
	}
	ext, err := s.assertion(ctx, txn, p, raw, nil, true)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	s.finish(w, r, txn, p, ext)
}

// grantScopes returns the requested scopes the client allows, or all it
// allows when none was requested; false when scopes were requested and none
// is allowed.
func grantScopes(requested string, allowed []string) ([]string, bool) {
	if strings.TrimSpace(requested) == "" {
		return slices.Clone(allowed), true
	}
	var out []string
	for _, sc := range strings.Fields(requested) {
		if slices.Contains(allowed, sc) && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out, len(out) > 0
}

// requestBase is where a request was sent, without the endpoint path: the
// scheme (TLS, or X-Forwarded-Proto from a proxy), the Host, and the path
// before suffix (a domain selected by path prefix keeps its prefix).
func requestBase(r *http.Request, suffix string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0])); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host + strings.TrimSuffix(r.URL.Path, suffix)
}

// RequestBase is requestBase for the server's routes: the base URL of a
// request to one of this package's endpoints.
func RequestBase(r *http.Request, endpointPath string) string { return requestBase(r, endpointPath) }
