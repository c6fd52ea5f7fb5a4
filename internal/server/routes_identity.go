package server

import (
	"errors"
	"net/http"

	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/identitypool/creds"
	"github.com/cogito-dev/cogito/internal/identitypool/openid"
)

// identityRoutes serves the identity issuer's discovery document and keys
// (what an STS fetches to accept identity OpenID tokens) under
// config.IdentityIssuerPath, and, when allowed, the look-up of minted
// credentials at GET /_cogito/credentials/{accessKeyId}.
func (s *Server) identityRoutes(mux *http.ServeMux) {
	ip := s.identityPools
	if ip.issuer == nil {
		return
	}
	mux.HandleFunc("GET "+config.IdentityIssuerPath+openid.DiscoveryPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		writeJSON(w, http.StatusOK, ip.issuer.Discovery())
	})
	mux.HandleFunc("GET "+config.IdentityIssuerPath+openid.JWKSPath, func(w http.ResponseWriter, r *http.Request) {
		b, err := ip.issuer.JWKS(r.Context())
		if err != nil {
			s.log.Error("identity jwks", "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal error."})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(b)
	})
	if s.cfg.ServeCredentials() {
		mux.HandleFunc("GET /_cogito/credentials/{accessKeyId}", func(w http.ResponseWriter, r *http.Request) {
			m, err := ip.minter.Lookup(r.Context(), r.PathValue("accessKeyId"))
			if errors.Is(err, creds.ErrUnknownKey) {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "No credentials with that access key id."})
				return
			}
			if err != nil {
				s.log.Error("credentials lookup", "err", err)
				writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal error."})
				return
			}
			w.Header().Set("Cache-Control", "no-store")
			writeJSON(w, http.StatusOK, m)
		})
	}
}
