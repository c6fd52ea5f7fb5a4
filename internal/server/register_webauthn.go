package server

import (
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/webauthn"
)

// registerWebAuthn serves the passkey operations (Start/Complete
// WebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential)
// and returns the passkeys choice-based sign-in verifies WEB_AUTHN answers
// with (auth.Config.Passkeys). It needs s.account (the access-token check),
// so it runs after the account family. The default relying party and the
// extra origins come from the configuration (webauthn section); a pool's own
// WebAuthnConfiguration is read from the MFA family once it offers it.
func (s *Server) registerWebAuthn() auth.Passkeys {
	svc, err := webauthn.New(webauthn.Config{
		Store: s.store, Auth: s.account, Clock: s.clock, Logger: s.log,
		DefaultRelyingPartyID: s.cfg.WebAuthnRelyingPartyID(),
		Origins:               s.cfg.WebAuthnOrigins(),
	})
	if err != nil { // the configuration was validated; this is a bug
		s.log.Error("passkeys are not served", "err", err)
		return nil
	}
	svc.Register(s.idp)
	return svc
}
