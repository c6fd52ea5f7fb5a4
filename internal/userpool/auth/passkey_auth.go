package auth

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// The WEB_AUTHN factor of choice-based sign-in: the Passkeys family makes
// the assertion options (CREDENTIAL_REQUEST_OPTIONS) and the state that
// travels in the Session, and verifies the CREDENTIAL answer against it.

// startPasskey answers the WEB_AUTHN challenge.
func (s *Service) startPasskey(ctx context.Context, c *call, ch *choice) (*result, error) {
	if ch.ghost || s.passkeys == nil { // never offered to either
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgChallengeNotAvailable, cognitoidp.ChallengeNameTypeWebAuthn))
	}
	options, state, err := s.passkeys.BeginLogin(ctx, c.pool, ch.user)
	if err != nil {
		return nil, err
	}
	sess, err := s.choiceSession(c, ch, cognitoidp.ChallengeNameTypeWebAuthn, FactorWebAuthn, state)
	if err != nil {
		return nil, err
	}
	if err := ch.finishStep(); err != nil {
		return nil, err
	}
	return &result{
		challenge: cognitoidp.ChallengeNameTypeWebAuthn,
		session:   sess,
		parameters: map[string]string{
			pRequestOptions: options,
			pUsername:       ch.user.Username,
		},
	}, nil
}

// verifyPasskey checks the CREDENTIAL answer to WEB_AUTHN (given as such,
// or inline in a SELECT_CHALLENGE answer to the WEB_AUTHN session).
func (s *Service) verifyPasskey(ctx context.Context, c *call, ch *choice, sess *session, responses map[string]string) (*result, error) {
	cred, err := required(responses, pCredential)
	if err != nil {
		return nil, err
	}
	if ch.ghost || s.passkeys == nil {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	if err := s.passkeys.FinishLogin(ctx, c.pool, ch.user, sess.Data, cred); err != nil {
		if !isCognito(err) {
			return nil, err
		}
		if err := s.countFailure(ctx, ch.user); err != nil {
			return nil, err
		}
		return nil, s.failSignIn(ctx, c, ch.user, err, factorChallenge(FactorWebAuthn, false))
	}
	if err := ch.finishStep(); err != nil {
		return nil, err
	}
	return s.factorVerified(ctx, c, s.choiceAttempt(c, ch, responses, FactorWebAuthn), ch.failures)
}
