package auth

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// ChallengeSession is what an open sign-in Session tells the operations that
// take a Session outside RespondToAuthChallenge (AssociateSoftwareToken and
// VerifySoftwareToken during MFA_SETUP).
type ChallengeSession struct {
	PoolID    string
	ClientID  string
	Username  string // the user's internal username (storage.User.Username)
	Challenge cognitoidp.ChallengeNameType
	Data      []byte // the NextStep data the challenge was issued with
}

// OpenChallengeSession authenticates a Session string sealed for challenge
// (of any app client): ours, unexpired (its client's AuthSessionValidity) and
// unused. Errors are Cognito's (NotAuthorizedException for an invalid or
// expired session).
func (s *Service) OpenChallengeSession(ctx context.Context, raw string, challenge cognitoidp.ChallengeNameType) (*ChallengeSession, error) {
	_, sess, err := s.openForeignSession(ctx, raw, challenge)
	if err != nil {
		return nil, err
	}
	return &ChallengeSession{PoolID: sess.PoolID, ClientID: sess.ClientID, Username: sess.Username, Challenge: sess.Challenge, Data: sess.Data}, nil
}

// ReplaceChallengeSession consumes the Session raw (sealed for challenge) and
// returns a new one for the same sign-in and challenge carrying data instead,
// valid for a full AuthSessionValidity again. The old one can no longer be
// used.
func (s *Service) ReplaceChallengeSession(ctx context.Context, raw string, challenge cognitoidp.ChallengeNameType, data []byte) (string, error) {
	c, sess, err := s.openForeignSession(ctx, raw, challenge)
	if err != nil {
		return "", err
	}
	if err := s.consumeSession(ctx, c, raw, sess); err != nil {
		return "", err
	}
	return s.newSession(c, session{
		Username: sess.Username, Challenge: sess.Challenge, Flow: sess.Flow,
		DeviceKey: sess.DeviceKey, Factor: sess.Factor, Data: data, Risk: sess.Risk, ACR: sess.ACR,
	})
}

// openForeignSession opens a Session without a request naming its client:
// the client is the one the sealed session names.
func (s *Service) openForeignSession(ctx context.Context, raw string, challenge cognitoidp.ChallengeNameType) (*call, *session, error) {
	invalid := cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	peek, err := s.peekSession(raw)
	if err != nil {
		return nil, nil, invalid
	}
	client, err := s.clients.LookupInPool(ctx, peek.PoolID, peek.ClientID)
	if err != nil {
		return nil, nil, invalid
	}
	c := &call{client: client}
	sess, err := s.openSession(ctx, c, raw, challenge)
	if err != nil {
		return nil, nil, err
	}
	return c, sess, nil
}
