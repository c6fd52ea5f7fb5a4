package auth

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminRespondToAuthChallenge answers a challenge of a sign-in
// (IAM-authorized): the pool is named and the client must belong to it;
// sessions and secret blocks of another pool or client are refused.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *cognitoidp.AdminRespondToAuthChallengeRequest) (*cognitoidp.AdminRespondToAuthChallengeResponse, error) {
	c, err := s.adminCall(ctx, api.Deref(in.UserPoolId), api.Deref(in.ClientId), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	c.contextData = in.ContextData
	r, err := s.respond(ctx, c, api.Deref(in.ChallengeName), api.Deref(in.Session), in.ChallengeResponses)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.AdminRespondToAuthChallengeResponse{
		ChallengeName:        r.challengeName(),
		Session:              r.sessionPtr(),
		ChallengeParameters:  r.params(),
		AuthenticationResult: r.auth,
		AvailableChallenges:  r.available,
	}, nil
}
