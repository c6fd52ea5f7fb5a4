package server

import (
	"net/http"

	"github.com/cogito-dev/cogito/internal/federation"
	"github.com/cogito-dev/cogito/internal/oauth"
)

// federationRoutes serves the endpoints external identity providers answer
// at, by Host and by the /{poolId|domain}/ path prefix as the other OAuth
// endpoints (routes_oauth.go): /oauth2/idpresponse (OIDC and social
// providers: GET, or POST for Apple's form_post), /saml2/idpresponse (the
// SAML assertion consumer, POST binding), and /saml2/metadata (the pool's
// SAML service provider metadata). The two idpresponse endpoints find the
// pool in the state they are given, so they need no domain lookup; browsers
// post to them from the IdP's origin, so they take no CSRF token.
func (s *Server) federationRoutes(mux *http.ServeMux) {
	f := s.federation
	for _, prefix := range []string{"", "/{" + oauth.SiteParam + "}"} {
		mux.HandleFunc("GET "+prefix+federation.OIDCCallbackPath, f.OIDCCallback)
		mux.HandleFunc("POST "+prefix+federation.OIDCCallbackPath, f.OIDCCallback)
		mux.HandleFunc("POST "+prefix+federation.SAMLACSPath, f.SAMLResponse)
		mux.HandleFunc("GET "+prefix+federation.SAMLMetadataPath, s.samlMetadata)
	}
}

// samlMetadata serves the SP metadata of the pool the request names.
func (s *Server) samlMetadata(w http.ResponseWriter, r *http.Request) {
	site, err := s.oauth.endpoints.Resolve(r)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	s.federation.SPMetadata(w, r, site.PoolID, site.BaseURL)
}
