package idps

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// SAML bindings of the metadata endpoints Cognito shows.
const bindingRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

// details checks a request's ProviderDetails for a provider type and returns
// the stored details: the request's, with the members Cognito computes
// (endpoints of social providers, OIDC discovery, SAML metadata endpoints).
// previous holds the stored details on update (Apple's private_key is kept
// from them when the request omits it).
func (s *Service) details(ctx context.Context, typ cognitoidp.IdentityProviderTypeType, in, previous map[string]string) (map[string]string, error) {
	d := maps.Clone(in)
	if d == nil {
		d = map[string]string{}
	}
	if typ == cognitoidp.IdentityProviderTypeTypeSigninwithapple && d["private_key"] == "" && previous["private_key"] != "" {
		d["private_key"] = previous["private_key"]
	}
	for _, k := range requiredDetails[typ] {
		if strings.TrimSpace(d[k]) == "" {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingDetail, k, typ))
		}
	}
	switch typ {
	case cognitoidp.IdentityProviderTypeTypeOidc:
		return s.oidcDetails(ctx, d)
	case cognitoidp.IdentityProviderTypeTypeSaml:
		return s.samlDetails(ctx, d)
	case cognitoidp.IdentityProviderTypeTypeFacebook:
		maps.Copy(d, facebookEndpoints(d["api_version"]))
	}
	maps.Copy(d, socialEndpoints[typ])
	return d, nil
}

// oidcDetails checks an OIDC provider's details and fills the endpoints the
// request does not give from the issuer's discovery document, when it can be
// read.
func (s *Service) oidcDetails(ctx context.Context, d map[string]string) (map[string]string, error) {
	if m := d["attributes_request_method"]; m != "GET" && m != "POST" {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadDetail, "attributes_request_method", m))
	}
	for _, k := range []string{"oidc_issuer", "authorize_url", "token_url", "attributes_url", "jwks_uri"} {
		if v, ok := d[k]; ok && !webURL(v) {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadDetail, k, v))
		}
	}
	d["attributes_url_add_attributes"] = "false"
	endpoints := map[string]string{"authorize_url": "authorization_endpoint", "token_url": "token_endpoint",
		"attributes_url": "userinfo_endpoint", "jwks_uri": "jwks_uri"}
	missing := false
	for k := range endpoints {
		if d[k] == "" {
			missing = true
		}
	}
	if !missing {
		return d, nil
	}
	disc, err := s.discover(ctx, d["oidc_issuer"])
	if err != nil {
		s.log.WarnContext(ctx, "OIDC discovery failed; the provider is stored without the discovered endpoints",
			"issuer", d["oidc_issuer"], "err", err)
		return d, nil
	}
	for k, dk := range endpoints {
		if d[k] == "" && webURL(disc[dk]) {
			d[k] = disc[dk]
		}
	}
	return d, nil
}

// Discover reads an OpenID Connect issuer's discovery document and returns its
// string members (authorization_endpoint, token_endpoint, userinfo_endpoint,
// jwks_uri, issuer, ...).
func Discover(ctx context.Context, client *http.Client, issuer string) (map[string]string, error) {
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	b, err := fetch(ctx, client, u)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("idps: discovery document of %s: %w", issuer, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out, nil
}

func (s *Service) discover(ctx context.Context, issuer string) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, discoveryTimeout)
	defer cancel()
	return Discover(ctx, s.http, issuer)
}

// fetch GETs a document of at most maxFetchBytes.
func fetch(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("idps: GET %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFetchBytes {
		return nil, fmt.Errorf("idps: GET %s: document larger than %d bytes", u, maxFetchBytes)
	}
	return b, nil
}

// samlDetails checks a SAML provider's details and fills the SSO and SLO
// redirect-binding URIs from its metadata (the file, or the URL when it can
// be read).
func (s *Service) samlDetails(ctx context.Context, d map[string]string) (map[string]string, error) {
	file, urlStr := d["MetadataFile"], d["MetadataURL"]
	if (file == "") == (urlStr == "") {
		return nil, cognitoidp.NewInvalidParameterException(msgSAMLMetadata)
	}
	for _, k := range []string{"IDPSignout", "IDPInit", "EncryptedResponses"} {
		if v, ok := d[k]; ok && v != "true" && v != "false" {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadDetail, k, v))
		}
	}
	if v, ok := d["RequestSigningAlgorithm"]; ok && v != "rsa-sha256" {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadDetail, "RequestSigningAlgorithm", v))
	}
	delete(d, "SSORedirectBindingURI")
	delete(d, "SLORedirectBindingURI")
	var md []byte
	if file != "" {
		md = []byte(file)
	} else {
		if !webURL(urlStr) {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadDetail, "MetadataURL", urlStr))
		}
		fctx, cancel := context.WithTimeout(ctx, discoveryTimeout)
		defer cancel()
		b, err := fetch(fctx, s.http, urlStr)
		if err != nil {
			s.log.WarnContext(ctx, "SAML metadata fetch failed; the provider is stored without its endpoints", "url", urlStr, "err", err)
			return d, nil
		}
		md = b
	}
	m, err := ParseSAMLMetadata(md)
	if err != nil {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgSAMLMetadataInvalid, err))
	}
	if m.SSORedirect != "" {
		d["SSORedirectBindingURI"] = m.SSORedirect
	}
	if m.SLORedirect != "" {
		d["SLORedirectBindingURI"] = m.SLORedirect
	}
	return d, nil
}

// SAMLMetadata is what Cogito reads of an IdP's SAML 2.0 metadata.
type SAMLMetadata struct {
	EntityID    string
	SSORedirect string // SingleSignOnService, HTTP-Redirect binding
	SSOPost     string // SingleSignOnService, HTTP-POST binding
	SLORedirect string // SingleLogoutService, HTTP-Redirect binding
}

type samlEndpoint struct {
	Binding  string `xml:"Binding,attr"`
	Location string `xml:"Location,attr"`
}

type samlEntity struct {
	XMLName  xml.Name `xml:"EntityDescriptor"`
	EntityID string   `xml:"entityID,attr"`
	IDP      []struct {
		SSO []samlEndpoint `xml:"SingleSignOnService"`
		SLO []samlEndpoint `xml:"SingleLogoutService"`
	} `xml:"IDPSSODescriptor"`
}

// ParseSAMLMetadata reads an EntityDescriptor (or the first one of an
// EntitiesDescriptor) with an IDPSSODescriptor.
func ParseSAMLMetadata(b []byte) (*SAMLMetadata, error) {
	var e samlEntity
	err := xml.Unmarshal(b, &e)
	if err != nil {
		var list struct {
			XMLName  xml.Name     `xml:"EntitiesDescriptor"`
			Entities []samlEntity `xml:"EntityDescriptor"`
		}
		if xml.Unmarshal(b, &list) != nil || len(list.Entities) == 0 {
			return nil, errors.New("not a SAML 2.0 EntityDescriptor")
		}
		e = list.Entities[0]
	}
	if len(e.IDP) == 0 {
		return nil, errors.New("no IDPSSODescriptor")
	}
	m := &SAMLMetadata{EntityID: e.EntityID}
	for _, ep := range e.IDP[0].SSO {
		switch {
		case strings.HasSuffix(ep.Binding, ":HTTP-Redirect") && m.SSORedirect == "":
			m.SSORedirect = ep.Location
		case strings.HasSuffix(ep.Binding, ":HTTP-POST") && m.SSOPost == "":
			m.SSOPost = ep.Location
		}
	}
	for _, ep := range e.IDP[0].SLO {
		if ep.Binding == bindingRedirect && m.SLORedirect == "" {
			m.SLORedirect = ep.Location
		}
	}
	if m.SSORedirect == "" && m.SSOPost == "" {
		return nil, errors.New("no SingleSignOnService")
	}
	return m, nil
}

// webURL reports whether v is an absolute http(s) URL with a host.
func webURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// checkMapping accepts AttributeMapping keys that are attributes of the pool
// (or "username"), and adds the type's default "username" mapping.
func checkMapping(typ cognitoidp.IdentityProviderTypeType, in map[string]string, known func(string) bool) (map[string]string, error) {
	out := maps.Clone(in)
	for k := range in {
		if k == "username" {
			continue
		}
		if k == "sub" || k == "identities" || !known(k) {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadMapping, k))
		}
	}
	if claim, ok := subjectClaims[typ]; ok && out["username"] == "" {
		if out == nil {
			out = map[string]string{}
		}
		out["username"] = claim
	}
	return out, nil
}
