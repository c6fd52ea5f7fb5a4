package auth

import (
	"context"
	"maps"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

// The steps every password sign-in shares, whichever way the password was
// proven (USER_PASSWORD_AUTH or the SRP exchange).

// precheck runs before the password is checked: with LEGACY the user's state
// (disabled, unconfirmed, reset required), then the lockout. It returns the
// user's current failure count.
func (s *Service) precheck(ctx context.Context, c *call, u *storage.User) (int, error) {
	if !c.hideExistence() {
		if err := stateError(u); err != nil {
			return 0, s.failSignIn(ctx, c, u, err)
		}
	}
	n, err := s.checkLockout(ctx, u)
	if err != nil {
		if isCognito(err) {
			return n, s.failSignIn(ctx, c, u, err)
		}
		return n, err
	}
	return n, nil
}

// wrongPassword counts a failed sign-in and answers it.
func (s *Service) wrongPassword(ctx context.Context, c *call, u *storage.User) error {
	if err := s.countFailure(ctx, u); err != nil {
		return err
	}
	s.log.Debug("sign-in failed: wrong password", "pool", u.PoolID, "client", c.client.ID)
	return s.failSignIn(ctx, c, u, incorrect(), passwordChallenge(false))
}

// passwordVerified continues a sign-in whose password is proven: it clears
// the failure count, applies the state checks ENABLED defers until now and
// the temporary password's expiry, lets threat protection assess the
// sign-in (pw is the plaintext password, "" for SRP), then asks a
// FORCE_CHANGE_PASSWORD user for a new password or goes on to the next step.
func (s *Service) passwordVerified(ctx context.Context, c *call, a *Attempt, creds *password.Credentials, failures int, pw string) (*result, error) {
	u := a.User
	if failures > 0 {
		if err := s.clearFailures(ctx, u); err != nil {
			return nil, err
		}
	}
	if c.hideExistence() {
		if err := stateError(u); err != nil {
			return nil, s.failSignIn(ctx, c, u, err, passwordChallenge(true))
		}
	}
	if creds.Expired(s.clock.Now()) {
		return nil, s.failSignIn(ctx, c, u, cognitoidp.NewNotAuthorizedException(msgTemporaryExpired), passwordChallenge(true))
	}
	if err := s.assess(ctx, c, a, pw); err != nil {
		return nil, err
	}
	if u.Status == string(cognitoidp.UserStatusTypeForceChangePassword) {
		return s.newPasswordChallenge(ctx, c, a)
	}
	return s.proceed(ctx, c, a)
}

// proceed asks the NextStep hook what follows a verified password (tokens
// without one).
func (s *Service) proceed(ctx context.Context, c *call, a *Attempt) (*result, error) {
	if s.next == nil {
		return s.finish(ctx, c, a, nil)
	}
	step, err := s.next.Next(ctx, a)
	if err != nil {
		if a.RiskMFA != "" && isCognito(err) {
			// Threat protection demanded MFA the user cannot answer.
			return nil, s.riskRefused(ctx, c, a, err)
		}
		return nil, err
	}
	return s.finish(ctx, c, a, step)
}

// finish carries out a step: the next challenge with its session, or the
// tokens (recording the successful sign-in).
func (s *Service) finish(ctx context.Context, c *call, a *Attempt, step *Step) (*result, error) {
	u := a.User
	if step != nil && step.Challenge != "" {
		sess, err := s.newSession(c, session{
			Username: u.Username, Challenge: step.Challenge, Flow: a.Flow,
			DeviceKey: a.DeviceKey, Factor: a.FirstFactor, Data: step.Data, Risk: a.risk, ACR: a.acr,
		})
		if err != nil {
			return nil, err
		}
		params := maps.Clone(step.Parameters)
		if params == nil {
			params = map[string]string{}
		}
		if params[pUsername] == "" {
			params[pUsername] = u.Username
		}
		return &result{challenge: step.Challenge, session: sess, parameters: params}, nil
	}
	challenges := []cognitoidp.ChallengeResponseType{factorChallenge(a.FirstFactor, true)}
	deviceKey := ""
	if step != nil {
		challenges = append(challenges, step.Challenges...)
		deviceKey = step.DeviceKey
	}
	if err := s.postAuthentication(ctx, c, u, step != nil && step.NewDeviceMetadata != nil); err != nil {
		if isCognito(err) {
			return nil, s.failSignIn(ctx, c, u, err, challenges...)
		}
		return nil, err
	}
	eventID, err := s.recordSignInRisk(ctx, c, u, true, a.risk.eventRisk(), challenges...)
	if err != nil {
		return nil, err
	}
	s.notify(ctx, c, a, eventID)
	if a.acr != "" {
		if err := s.resolveACR(ctx, c, a, step); err != nil {
			return nil, err
		}
	}
	if c.hosted {
		s.log.Debug("signed in on the managed login pages", "pool", u.PoolID, "client", c.client.ID)
		done := &hostedDone{user: u, eventID: eventID, deviceKey: deviceKey, at: s.clock.Now(), first: a.FirstFactor}
		if step != nil {
			done.mfa = step.MFAFactor
		}
		return &result{done: done}, nil
	}
	auth, err := s.issueSignIn(ctx, c, a, deviceKey, eventID)
	if err != nil {
		return nil, err
	}
	if step != nil {
		auth.NewDeviceMetadata = step.NewDeviceMetadata
	}
	s.log.Debug("signed in", "pool", u.PoolID, "client", c.client.ID, "flow", string(a.Flow))
	return &result{auth: auth}, nil
}

// attempt starts the Attempt of a sign-in of u.
func (c *call) attempt(u *storage.User, flow cognitoidp.AuthFlowType, params map[string]string) *Attempt {
	return &Attempt{
		Pool:           c.pool,
		Client:         c.client,
		User:           u,
		Flow:           flow,
		Admin:          c.admin,
		DeviceKey:      params[pDeviceKey],
		ClientMetadata: c.metadata,
		FirstFactor:    FactorPassword,
	}
}
