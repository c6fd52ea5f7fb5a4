package auth

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminInitiateAuth starts a sign-in for a server-side app (IAM-authorized):
// the pool is named and the client must belong to it.
func (s *Service) AdminInitiateAuth(ctx context.Context, in *cognitoidp.AdminInitiateAuthRequest) (*cognitoidp.AdminInitiateAuthResponse, error) {
	flow := api.Deref(in.AuthFlow)
	if flow == cognitoidp.AuthFlowTypeUserPasswordAuth {
		return nil, cognitoidp.NewInvalidParameterException(msgMethodNotSupported)
	}
	c, err := s.adminCall(ctx, api.Deref(in.UserPoolId), api.Deref(in.ClientId), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	c.contextData = in.ContextData
	c.session = api.Deref(in.Session)
	c.initiating = true
	r, err := s.initiate(ctx, c, flow, in.AuthParameters)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.AdminInitiateAuthResponse{
		ChallengeName:        r.challengeName(),
		Session:              r.sessionPtr(),
		ChallengeParameters:  r.params(),
		AuthenticationResult: r.auth,
		AvailableChallenges:  r.available,
	}, nil
}
