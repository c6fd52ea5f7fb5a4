package auth

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// SignInSession returns the Session ConfirmSignUp (or SignUp, for a user
// confirmed at once) answers, with which the user signs in through app
// client clientID by InitiateAuth / AdminInitiateAuth USER_AUTH without
// credentials, once and within the client's AuthSessionValidity (Amplify's
// autoSignIn). username is the internal username; factor is how the user
// proved who they are ("EMAIL_OTP" or "SMS_OTP" for the confirmation code,
// "PASSWORD" for a password given at SignUp), which decides whether MFA
// follows. It returns "" when the client does not allow USER_AUTH.
func (s *Service) SignInSession(ctx context.Context, poolID, clientID, username, factor string) (string, error) {
	switch factor {
	case FactorPassword, FactorEmailOTP, FactorSMSOTP:
	default:
		return "", fmt.Errorf("auth: no sign-in session for a first factor %q", factor)
	}
	client, err := s.clients.LookupInPool(ctx, poolID, clientID)
	if err != nil {
		return "", err
	}
	if !client.AuthFlowAllowed(cognitoidp.AuthFlowTypeUserAuth) {
		return "", nil
	}
	return s.newSession(&call{client: client}, session{
		Username: username,
		Flow:     cognitoidp.AuthFlowTypeUserAuth,
		Kind:     kindSignUp,
		Factor:   factor,
	})
}
