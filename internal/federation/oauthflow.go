package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/oauth"
)

// endpointSet is an OIDC or social provider's endpoints and settings for one
// sign-in.
type endpointSet struct {
	typ               string
	clientID          string
	details           map[string]string // the provider's details, overrides applied
	scopes            string
	authorizeURL      string
	tokenURL          string
	tokenMethod       string // GET or POST
	basicAuth         bool
	attributesURL     string
	attributesMethod  string // GET or POST
	addAttributes     bool   // append the wanted claim names to attributesURL
	jwksURI           string
	issuer            string
	pkce              bool
	idToken           bool // the token answer carries an ID token to verify
	formPost          bool // Sign in with Apple's response_mode=form_post
	signingAlgorithms []string
	attributeMapping  map[string]string
	subjectClaim      string
	providerName      string
}

// idTokenAlgorithms are the ID-token signature algorithms accepted (Cognito
// documents RSA, ECDSA and HMAC; HMAC needs no JWKS and is not verified by
// key sets, so it is not offered).
var idTokenAlgorithms = []string{oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512, oidc.PS256, oidc.PS384, oidc.PS512}

// resolve works out a provider's endpoints: the stored details, the
// configured overrides of social providers (and the defaults the details do
// not carry), and an OIDC issuer's discovery document.
func (s *Service) resolve(ctx context.Context, p *cognitoidp.IdentityProviderType) (*endpointSet, error) {
	typ := providerType(p)
	d := maps.Clone(p.ProviderDetails)
	if d == nil {
		d = map[string]string{}
	}
	if defaults, ok := socialDefaults[typ]; ok {
		for k, v := range defaults {
			if d[k] == "" {
				d[k] = v
			}
		}
	}
	maps.Copy(d, s.endpoints[typ])
	ep := &endpointSet{
		typ: typ, clientID: d["client_id"], details: d, scopes: d["authorize_scopes"],
		authorizeURL: d["authorize_url"], tokenURL: d["token_url"], tokenMethod: strings.ToUpper(d["token_request_method"]),
		attributesURL: d["attributes_url"], attributesMethod: strings.ToUpper(d["attributes_request_method"]),
		addAttributes: d["attributes_url_add_attributes"] == "true",
		jwksURI:       d["jwks_uri"], issuer: d["oidc_issuer"],
		signingAlgorithms: idTokenAlgorithms, attributeMapping: p.AttributeMapping,
		providerName: api.Deref(p.ProviderName),
	}
	if ep.tokenMethod != http.MethodGet {
		ep.tokenMethod = http.MethodPost
	}
	if ep.attributesMethod != http.MethodPost {
		ep.attributesMethod = http.MethodGet
	}
	ep.subjectClaim = p.AttributeMapping["username"]
	if ep.subjectClaim == "" {
		ep.subjectClaim = subjectClaims[typ]
	}
	switch typ {
	case typeOIDC:
		ep.pkce, ep.idToken = true, true
		if err := s.discover(ctx, ep); err != nil {
			return nil, err
		}
	case typeGoogle:
		ep.pkce, ep.idToken = true, true
	case typeApple:
		ep.idToken, ep.attributesURL = true, ""
		ep.formPost = scopeListed(ep.scopes, "name") || scopeListed(ep.scopes, "email")
	case typeFacebook:
		ep.addAttributes = true
	case typeAmazon:
		ep.addAttributes = false
	default:
		return nil, fail(errInvalidRequest, fmt.Sprintf(msgProviderGone, ep.providerName), nil)
	}
	for _, u := range []string{ep.authorizeURL, ep.tokenURL} {
		if !webURL(u) {
			return nil, fail(errServerError, msgInternal, fmt.Errorf("provider %s has no usable authorize or token URL", ep.providerName))
		}
	}
	if ep.idToken && (!webURL(ep.jwksURI) || ep.issuer == "") {
		return nil, fail(errServerError, msgInternal, fmt.Errorf("provider %s has no usable jwks_uri or issuer", ep.providerName))
	}
	return ep, nil
}

// discover fills an OIDC provider's missing endpoints from its issuer's
// discovery document, and picks Basic client authentication when that is
// all the token endpoint supports.
func (s *Service) discover(ctx context.Context, ep *endpointSet) error {
	doc, err := s.discovery(ctx, ep.issuer)
	if err != nil {
		if ep.authorizeURL != "" && ep.tokenURL != "" && ep.jwksURI != "" {
			return nil // the details name every endpoint
		}
		return fail(errServerError, msgInternal, fmt.Errorf("OIDC discovery of %s: %w", ep.issuer, err))
	}
	str := func(k string) string { v, _ := doc[k].(string); return v }
	fill := func(dst *string, k string) {
		if *dst == "" {
			*dst = str(k)
		}
	}
	fill(&ep.authorizeURL, "authorization_endpoint")
	fill(&ep.tokenURL, "token_endpoint")
	fill(&ep.attributesURL, "userinfo_endpoint")
	fill(&ep.jwksURI, "jwks_uri")
	if iss := str("issuer"); iss != "" {
		ep.issuer = iss
	}
	if methods, ok := doc["token_endpoint_auth_methods_supported"].([]any); ok && len(methods) > 0 {
		var post, basic bool
		for _, m := range methods {
			switch m {
			case "client_secret_post":
				post = true
			case "client_secret_basic":
				basic = true
			}
		}
		ep.basicAuth = basic && !post
	}
	return nil
}

// startOAuth redirects to the provider's authorization endpoint.
func (s *Service) startOAuth(w http.ResponseWriter, r *http.Request, p *cognitoidp.IdentityProviderType, txn *oauth.Txn, rt *roundTrip) error {
	ep, err := s.resolve(r.Context(), p)
	if err != nil {
		return err
	}
	q := url.Values{}
	q.Set("client_id", ep.clientID)
	q.Set("redirect_uri", txn.BaseURL+OIDCCallbackPath)
	q.Set("response_type", "code")
	if ep.scopes != "" {
		q.Set("scope", ep.scopes)
	}
	if ep.pkce {
		rt.Verifier = randomString(48)
		q.Set("code_challenge", pkceChallenge(rt.Verifier))
		q.Set("code_challenge_method", "S256")
	}
	if ep.idToken {
		rt.Nonce = randomString(18)
		q.Set("nonce", rt.Nonce)
	}
	if ep.formPost {
		q.Set("response_mode", "form_post")
	}
	if txn.LoginHint != "" && (ep.typ == typeOIDC || ep.typ == typeGoogle) {
		q.Set("login_hint", txn.LoginHint)
	}
	if v := oauth.IdPACRValues(p, txn); v != "" && ep.typ == typeOIDC {
		q.Set("acr_values", v) // the requested levels through the IdP's AcrMapping
	}
	state, err := s.sealState(rt)
	if err != nil {
		return err
	}
	q.Set("state", state)
	http.Redirect(w, r, withQuery(ep.authorizeURL, q), http.StatusFound)
	return nil
}

// withQuery appends q to u's query.
func withQuery(u string, q url.Values) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + q.Encode()
}

// OIDCCallback serves /oauth2/idpresponse: an OIDC or social provider's
// answer (GET, or POST for Apple's form_post).
func (s *Service) OIDCCallback(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, msgPageError)
		return
	}
	rt, txn, ok := s.openRoundTrip(w, r, r.Form.Get("state"))
	if !ok {
		return
	}
	ctx := r.Context()
	if e := r.Form.Get("error"); e != "" {
		code := errInvalidRequest
		if e == errAccessDenied {
			code = errAccessDenied
		}
		desc := e
		if d := r.Form.Get("error_description"); d != "" {
			desc = e + ": " + d
		}
		s.completer.Fail(w, r, txn, code, fmt.Sprintf(msgIdPError, desc))
		return
	}
	code := r.Form.Get("code")
	if code == "" {
		s.completer.Fail(w, r, txn, errInvalidRequest, msgNoCode)
		return
	}
	p, err := s.provider(ctx, txn.PoolID, rt.Provider)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	ep, err := s.resolve(ctx, p)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	ext, err := s.oauthIdentity(ctx, ep, rt, code, txn.BaseURL+OIDCCallbackPath, r.Form)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	s.finish(w, r, txn, p, ext)
}

// tokenAnswer is a token endpoint's answer.
type tokenAnswer struct {
	AccessToken      string `json:"access_token"`
	IDToken          string `json:"id_token"`
	TokenType        string `json:"token_type"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// oauthIdentity redeems the code and reads the user's identity: the verified
// ID token's claims, the userinfo (attributes) endpoint's, Apple's user form.
func (s *Service) oauthIdentity(ctx context.Context, ep *endpointSet, rt *roundTrip, code, redirectURI string, form url.Values) (*external, error) {
	tok, err := s.exchange(ctx, ep, code, redirectURI, rt.Verifier)
	if err != nil {
		return nil, err
	}
	claims := map[string]any{}
	if ep.idToken {
		if tok.IDToken == "" {
			return nil, fail(errInvalidRequest, msgBadIDToken, fmt.Errorf("no id_token from %s", ep.providerName))
		}
		c, err := s.verifyIDToken(ctx, ep, tok.IDToken, rt.Nonce)
		if err != nil {
			return nil, err
		}
		maps.Copy(claims, c)
	}
	if ep.typ == typeApple {
		appleUser(claims, form.Get("user"))
	}
	if want := s.wantedFromAttributes(ep, claims); ep.attributesURL != "" && tok.AccessToken != "" && want != nil {
		info, err := s.userInfo(ctx, ep, tok.AccessToken, want)
		if err != nil {
			return nil, err
		}
		if sub, ok := claims["sub"]; ok && ep.idToken {
			if isub, ok := info["sub"]; ok && fmt.Sprint(isub) != fmt.Sprint(sub) {
				return nil, fail(errInvalidRequest, msgUserInfo, fmt.Errorf("userinfo sub differs from the ID token's"))
			}
		}
		for k, v := range info {
			if _, had := claims[k]; !had || k != "sub" {
				claims[k] = v
			}
		}
	}
	subject, ok := claimString(claims[ep.subjectClaim])
	if !ok || subject == "" {
		return nil, fail(errInvalidRequest, fmt.Sprintf(msgNoSubject, ep.subjectClaim), nil)
	}
	return &external{subject: subject, claims: claims}, nil
}

// wantedFromAttributes says whether (and for which claims) the attributes
// endpoint is read: OIDC providers always (their userinfo), Login with
// Amazon always (its profile), Facebook for the mapped fields and its id,
// Google only for mapped claims its ID token lacks. nil: not read.
func (s *Service) wantedFromAttributes(ep *endpointSet, claims map[string]any) []string {
	var mapped []string
	for attr, claim := range ep.attributeMapping {
		if attr != "username" || ep.typ == typeFacebook {
			mapped = append(mapped, claim)
		}
	}
	if ep.typ == typeFacebook {
		mapped = append(mapped, "id")
	}
	sort.Strings(mapped)
	mapped = slices.Compact(mapped)
	switch ep.typ {
	case typeOIDC, typeAmazon, typeFacebook:
		if mapped == nil {
			mapped = []string{}
		}
		return mapped
	case typeGoogle:
		var missing []string
		for _, c := range mapped {
			if _, ok := claims[c]; !ok {
				missing = append(missing, c)
			}
		}
		return missing
	}
	return nil
}

// exchange redeems an authorization code at the token endpoint.
func (s *Service) exchange(ctx context.Context, ep *endpointSet, code, redirectURI, verifier string) (*tokenAnswer, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	form.Set("redirect_uri", redirectURI)
	form.Set("client_id", ep.clientID)
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	secret := ep.details["client_secret"]
	if ep.typ == typeApple {
		var err error
		if secret, err = appleClientSecret(ep.details, s.clock.Now()); err != nil {
			return nil, fail(errServerError, msgInternal, err)
		}
	}
	if secret != "" && !ep.basicAuth {
		form.Set("client_secret", secret)
	}
	var req *http.Request
	var err error
	if ep.tokenMethod == http.MethodGet {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, withQuery(ep.tokenURL, form), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, ep.tokenURL, strings.NewReader(form.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return nil, fail(errServerError, msgInternal, err)
	}
	req.Header.Set("Accept", "application/json")
	if ep.basicAuth {
		req.SetBasicAuth(url.QueryEscape(ep.clientID), url.QueryEscape(secret))
	}
	body, err := s.do(req)
	tok := new(tokenAnswer)
	if jerr := json.Unmarshal(body, tok); jerr != nil {
		// Older OAuth servers answer form-encoded.
		if q, qerr := url.ParseQuery(string(body)); qerr == nil && err == nil {
			tok.AccessToken, tok.IDToken, tok.TokenType = q.Get("access_token"), q.Get("id_token"), q.Get("token_type")
		} else if err == nil {
			err = jerr
		}
	}
	if err != nil || tok.Error != "" || (tok.AccessToken == "" && tok.IDToken == "") {
		if err == nil {
			err = fmt.Errorf("token endpoint of %s answered error %q %q", ep.providerName, tok.Error, tok.ErrorDescription)
		}
		return nil, fail(errInvalidRequest, msgTokenExchange, err)
	}
	return tok, nil
}

// verifyIDToken checks an ID token's signature (the provider's JWKS),
// issuer, audience, expiry and nonce, and returns its claims.
func (s *Service) verifyIDToken(ctx context.Context, ep *endpointSet, raw, nonce string) (map[string]any, error) {
	v := oidc.NewVerifier(ep.issuer, s.keySet(ep.jwksURI), &oidc.Config{
		ClientID: ep.clientID, Now: s.clock.Now, SupportedSigningAlgs: ep.signingAlgorithms,
	})
	idt, err := v.Verify(oidc.ClientContext(ctx, s.http), raw)
	if err != nil {
		return nil, fail(errInvalidRequest, msgBadIDToken, err)
	}
	if nonce != "" && idt.Nonce != nonce {
		return nil, fail(errInvalidRequest, msgBadIDToken, fmt.Errorf("nonce mismatch"))
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fail(errInvalidRequest, msgBadIDToken, err)
	}
	return claims, nil
}

// userInfo reads the attributes endpoint with the access token.
func (s *Service) userInfo(ctx context.Context, ep *endpointSet, accessToken string, want []string) (map[string]any, error) {
	u := ep.attributesURL
	if ep.addAttributes {
		u += strings.Join(want, ",")
	}
	var req *http.Request
	var err error
	if ep.attributesMethod == http.MethodPost {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	}
	if err != nil {
		return nil, fail(errServerError, msgInternal, err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	body, err := s.do(req)
	if err != nil {
		return nil, fail(errInvalidRequest, msgUserInfo, err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var info map[string]any
	if err := dec.Decode(&info); err != nil {
		return nil, fail(errInvalidRequest, msgUserInfo, err)
	}
	return info, nil
}

// scopeListed reports whether a space- or comma-separated scope list names scope.
func scopeListed(list, scope string) bool {
	return slices.Contains(strings.FieldsFunc(list, func(r rune) bool { return r == ' ' || r == ',' }), scope)
}

// webURL reports whether v is an absolute http(s) URL with a host.
func webURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
