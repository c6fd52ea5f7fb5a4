package server

import (
	"net/http"

	"github.com/cogito-dev/cogito/internal/oauth"
)

// oauthRoutes serves every pool's OAuth 2.0 / OIDC endpoints and managed
// login pages, twice: by the request's Host (a pool's prefix or custom
// domain: https://{prefix}.auth.{region}.amazoncognito.com/oauth2/authorize)
// and by a path prefix naming the pool by its id or a domain
// (http://localhost:9229/us-east-1_abc/oauth2/authorize), as docs/oauth.md
// describes.
func (s *Server) oauthRoutes(mux *http.ServeMux) {
	e, p := s.oauth.endpoints, s.oauth.pages
	for _, prefix := range []string{"", "/{" + oauth.SiteParam + "}"} {
		mux.HandleFunc("GET "+prefix+"/oauth2/authorize", e.Authorize)
		mux.HandleFunc("POST "+prefix+"/oauth2/token", e.Token)
		mux.HandleFunc("GET "+prefix+"/oauth2/userInfo", e.UserInfo)
		mux.HandleFunc("POST "+prefix+"/oauth2/userInfo", e.UserInfo)
		mux.HandleFunc("POST "+prefix+"/oauth2/revoke", e.Revoke)
		mux.HandleFunc("POST "+prefix+"/oauth2/register", e.Register)
		mux.HandleFunc("GET "+prefix+"/logout", e.Logout)
		mux.HandleFunc(prefix+"/login", p.Login)
		mux.HandleFunc(prefix+"/mfa", p.MFA)
		mux.HandleFunc(prefix+"/newpassword", p.NewPassword)
		mux.HandleFunc(prefix+"/signup", p.SignUp)
		mux.HandleFunc(prefix+"/confirm", p.Confirm)
		mux.HandleFunc(prefix+"/forgotPassword", p.ForgotPassword)
		mux.HandleFunc(prefix+"/resetpassword", p.ResetPassword)
		mux.HandleFunc("GET "+prefix+"/error", p.ErrorPage)
	}
}

// discoveryEndpoints adds the managed login endpoints to a pool's discovery
// document: on its domain (by Host, or by path on this server) when it has
// one, else Cognito's domain-less form under the issuer (which Cognito
// lists, unreachable; unverified for userInfo).
func (s *Server) discoveryEndpoints(r *http.Request, poolID, issuer string, doc map[string]any) {
	base, err := s.oauth.endpoints.DiscoveryBase(r, poolID)
	if err != nil {
		s.log.Warn("discovery: reading the pool's domains", "pool", poolID, "err", err)
	}
	if base == "" {
		doc["authorization_endpoint"] = issuer + "/authorize"
		doc["token_endpoint"] = issuer + "/token"
		doc["userinfo_endpoint"] = issuer + "/userInfo"
		return
	}
	doc["authorization_endpoint"] = base + "/oauth2/authorize"
	doc["token_endpoint"] = base + "/oauth2/token"
	doc["userinfo_endpoint"] = base + "/oauth2/userInfo"
	if reg := s.oauth.endpoints.RegistrationEndpoint(r.Context(), poolID, base); reg != "" {
		doc["registration_endpoint"] = reg
	}
}
