package server

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/mfa"
)

// registerMFA serves the MFA operations (Set/GetUserPoolMfaConfig, the
// user's MFA preferences and legacy settings, AssociateSoftwareToken,
// VerifySoftwareToken) and returns the step sign-in asks after a first
// factor (auth.Config.NextStep): MFA challenges and, through s.devices, the
// remembered-device steps. It needs s.account (the access-token check) and
// s.devices, so it runs after both; the sign-in Sessions it takes during
// MFA_SETUP are s.auth's, looked up when used because s.auth is built with
// what this returns. The users, account and sign-in families show a user's
// MFA settings through mfa.Info.
func (s *Server) registerMFA() auth.NextStep {
	svc := mfa.New(mfa.Config{
		Store: s.store, Sender: s.sender, Sealer: s.sealer, Accounts: s.account,
		Sessions: authSessions{s}, Devices: s.devices,
		CustomMessage: s.triggers.CustomMessageHook,
		Clock:         s.clock, Logger: s.log,
	})
	svc.Register(s.idp)
	return svc
}

// mfaEmailTemplate is the pool's email MFA template for the one-time
// passwords of choice-based sign-in (auth.Config.EmailTemplate).
func (s *Server) mfaEmailTemplate(ctx context.Context, pool *cognitoidp.UserPoolType) (*cognitoidp.EmailMfaConfigType, error) {
	if pool == nil || pool.Id == nil {
		return nil, nil
	}
	pc, err := mfa.LoadConfig(ctx, s.store, *pool.Id)
	if err != nil {
		return nil, err
	}
	return pc.EmailMessage, nil
}

// authSessions gives the MFA family the sign-in Sessions of s.auth, which
// exists by the time a request arrives.
type authSessions struct{ s *Server }

func (a authSessions) OpenChallengeSession(ctx context.Context, raw string, challenge cognitoidp.ChallengeNameType) (*auth.ChallengeSession, error) {
	return a.s.auth.OpenChallengeSession(ctx, raw, challenge)
}

func (a authSessions) ReplaceChallengeSession(ctx context.Context, raw string, challenge cognitoidp.ChallengeNameType, data []byte) (string, error) {
	return a.s.auth.ReplaceChallengeSession(ctx, raw, challenge, data)
}
