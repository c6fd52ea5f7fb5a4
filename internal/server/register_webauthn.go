package server

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/mfa"
	"github.com/cogito-dev/cogito/internal/userpool/webauthn"
)

// registerWebAuthn serves the passkey operations (Start/Complete
// WebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential)
// and returns the passkeys choice-based sign-in verifies WEB_AUTHN answers
// with (auth.Config.Passkeys). It needs s.account (the access-token check),
// so it runs after the account family. The default relying party and the
// extra origins come from the configuration (webauthn section); a pool's own
// WebAuthnConfiguration (relying-party id, user verification, passkey MFA)
// is what SetUserPoolMfaConfig keeps, read through the MFA family.
func (s *Server) registerWebAuthn() auth.Passkeys {
	svc, err := webauthn.New(webauthn.Config{
		Store: s.store, Auth: s.account, Clock: s.clock, Logger: s.log,
		PoolConfig: func(ctx context.Context, poolID string) (*cognitoidp.WebAuthnConfigurationType, error) {
			pc, err := mfa.LoadConfig(ctx, s.store, poolID)
			if err != nil {
				return nil, err
			}
			return pc.WebAuthn, nil
		},
		// A pool with a custom domain and no RelyingPartyId uses the domain.
		Domains:               s.poolDomains,
		DefaultRelyingPartyID: s.cfg.WebAuthnRelyingPartyID(),
		Origins:               s.cfg.WebAuthnOrigins(),
		// A user whose passkey counts as MFA must verify on every sign-in.
		RequireUserVerification: func(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (bool, error) {
			return mfa.PasskeyMFA(ctx, s.store, pool, u)
		},
	})
	if err != nil { // the configuration was validated; this is a bug
		s.log.Error("passkeys are not served", "err", err)
		return nil
	}
	svc.Register(s.idp)
	return svc
}
