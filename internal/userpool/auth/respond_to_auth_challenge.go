package auth

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// RespondToAuthChallenge answers a challenge of a sign-in (unsigned).
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *cognitoidp.RespondToAuthChallengeRequest) (*cognitoidp.RespondToAuthChallengeResponse, error) {
	c, err := s.publicCall(ctx, api.Deref(in.ClientId), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	r, err := s.respond(ctx, c, api.Deref(in.ChallengeName), api.Deref(in.Session), in.ChallengeResponses)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.RespondToAuthChallengeResponse{
		ChallengeName:        r.challengeName(),
		Session:              r.sessionPtr(),
		ChallengeParameters:  r.params(),
		AuthenticationResult: r.auth,
		AvailableChallenges:  r.available,
	}, nil
}

// respond dispatches an answer by challenge.
func (s *Service) respond(ctx context.Context, c *call, challenge cognitoidp.ChallengeNameType, rawSession string, responses map[string]string) (*result, error) {
	if responses == nil {
		responses = map[string]string{}
	}
	switch challenge {
	case cognitoidp.ChallengeNameTypePasswordVerifier:
		// SECRET_BLOCK holds the state; a Session only marks USER_AUTH.
		return s.verifySRP(ctx, c, rawSession, responses)
	case cognitoidp.ChallengeNameTypeNewPasswordRequired:
		return s.respondNewPassword(ctx, c, rawSession, responses)
	case cognitoidp.ChallengeNameTypeCustomChallenge:
		return s.respondCustom(ctx, c, rawSession, responses)
	case cognitoidp.ChallengeNameTypeSelectChallenge, cognitoidp.ChallengeNameTypePassword,
		cognitoidp.ChallengeNameTypePasswordSrp, cognitoidp.ChallengeNameTypeWebAuthn,
		cognitoidp.ChallengeNameTypeEmailOtp, cognitoidp.ChallengeNameTypeSmsOtp:
		// EMAIL_OTP is also an MFA challenge of the NextStep hook: the
		// session says whose it is.
		if s.isChoiceSession(rawSession) {
			return s.respondChoice(ctx, c, challenge, rawSession, responses)
		}
	}
	return s.respondNext(ctx, c, challenge, rawSession, responses)
}

// respondNext hands the answer to a NextStep challenge to the hook. Only a
// session this package sealed for that very challenge gets there, so without
// a hook every such answer is an invalid session.
func (s *Service) respondNext(ctx context.Context, c *call, challenge cognitoidp.ChallengeNameType, rawSession string, responses map[string]string) (*result, error) {
	sess, err := s.openSession(ctx, c, rawSession, challenge)
	if err != nil {
		return nil, err
	}
	if s.next == nil {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	name, err := required(responses, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(responses, name); err != nil {
		return nil, err
	}
	u, err := s.getUser(ctx, c, sess.Username)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, c.unknownUser()
	}
	if err != nil {
		return nil, err
	}
	if err := stateError(u); err != nil {
		return nil, s.failSignIn(ctx, c, u, err, passwordChallenge(true))
	}
	a := &Attempt{
		Pool:           c.pool,
		Client:         c.client,
		User:           u,
		Flow:           sess.Flow,
		Admin:          c.admin,
		DeviceKey:      sess.DeviceKey,
		ClientMetadata: c.metadata,
		FirstFactor:    sess.firstFactor(),
		acr:            sess.ACR,
	}
	sess.restoreRisk(a)
	step, err := s.next.Respond(ctx, a, challenge, responses, sess.Data)
	if err != nil {
		if isCognito(err) {
			return nil, s.failSignIn(ctx, c, u, err, passwordChallenge(true))
		}
		return nil, err
	}
	if err := s.consumeSession(ctx, c, rawSession, sess); err != nil {
		return nil, err
	}
	if challenge == cognitoidp.ChallengeNameTypeDevicePasswordVerifier && step != nil && step.Challenge == "" {
		a.source = sourceAuthenticateDevice // tokens for the device's proof
	}
	return s.finish(ctx, c, a, step)
}
