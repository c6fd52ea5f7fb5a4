package auth

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// InitiateAuth starts a sign-in for an app client (unsigned).
func (s *Service) InitiateAuth(ctx context.Context, in *cognitoidp.InitiateAuthRequest) (*cognitoidp.InitiateAuthResponse, error) {
	flow := api.Deref(in.AuthFlow)
	switch flow {
	case cognitoidp.AuthFlowTypeAdminUserPasswordAuth, cognitoidp.AuthFlowTypeAdminNoSrpAuth:
		return nil, cognitoidp.NewInvalidParameterException(msgMethodNotSupported)
	}
	c, err := s.publicCall(ctx, api.Deref(in.ClientId), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	c.session = api.Deref(in.Session)
	c.initiating = true
	r, err := s.initiate(ctx, c, flow, in.AuthParameters)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.InitiateAuthResponse{
		ChallengeName:        r.challengeName(),
		Session:              r.sessionPtr(),
		ChallengeParameters:  r.params(),
		AuthenticationResult: r.auth,
		AvailableChallenges:  r.available,
	}, nil
}

// initiate runs a flow the operation takes for call c.
func (s *Service) initiate(ctx context.Context, c *call, flow cognitoidp.AuthFlowType, params map[string]string) (*result, error) {
	if err := c.checkFlow(flow); err != nil {
		return nil, err
	}
	if params == nil {
		params = map[string]string{}
	}
	switch flow {
	case cognitoidp.AuthFlowTypeUserSrpAuth:
		return s.startSRP(ctx, c, params)
	case cognitoidp.AuthFlowTypeUserPasswordAuth, cognitoidp.AuthFlowTypeAdminUserPasswordAuth, cognitoidp.AuthFlowTypeAdminNoSrpAuth:
		return s.passwordAuth(ctx, c, flow, params)
	case cognitoidp.AuthFlowTypeRefreshTokenAuth, cognitoidp.AuthFlowTypeRefreshToken:
		return s.refreshAuth(ctx, c, params)
	case cognitoidp.AuthFlowTypeCustomAuth:
		return s.customAuth(ctx, c, params)
	case cognitoidp.AuthFlowTypeUserAuth:
		return s.userAuth(ctx, c, params)
	}
	// The validator admits only the model's values, all handled above.
	return nil, cognitoidp.NewInvalidParameterException(msgMethodNotSupported)
}
