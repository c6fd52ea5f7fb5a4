package server

import (
	"context"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// issuer is a pool's token issuer (iss), for signing, verifying and
// discovery alike. It is Cogito's own URL, or with --issuer-base-url aws the
// form AWS would use: https://cognito-idp.{region}.amazonaws.com/{poolId},
// or https://issuer-cognito-idp.{region}.amazonaws.com/{poolId} for a pool
// whose IssuerConfiguration.Type is UPDATED (AWS API reference,
// IssuerConfigurationType). Cogito's own URL serves the pool's keys whatever
// the type, so there it does not change.
func (s *Server) issuer(poolID string) string {
	if s.cfg.IssuerBaseURL != config.AWSIssuer {
		return s.cfg.Issuer(poolID)
	}
	up, err := pools.Load(context.Background(), s.store, poolID)
	if err == nil && up.IssuerConfiguration != nil &&
		api.Deref(up.IssuerConfiguration.Type) == cognitoidp.IssuerTypeUpdated {
		return strings.Replace(s.cfg.Issuer(poolID), "https://cognito-idp.", "https://issuer-cognito-idp.", 1)
	}
	return s.cfg.Issuer(poolID)
}
