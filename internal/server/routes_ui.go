package server

import (
	"net/http"

	"github.com/cogito-dev/cogito/internal/userpool/branding"
)

// uiRoutes serves the logos of hosted UI customizations, the ImageUrl
// GetUICustomization shows: GET /_cogito/ui/{poolId}/{clientId|ALL}/logo.
func (s *Server) uiRoutes(mux *http.ServeMux) {
	mux.Handle(branding.LogoPattern, branding.LogoHandler(s.store, s.log))
}
