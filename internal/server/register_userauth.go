package server

import "context"

// signInSession is signup's SignInSession hook: the Session ConfirmSignUp
// (and SignUp, for a user confirmed at once) returns, with which Amplify's
// autoSignIn signs the user in by USER_AUTH. Signup is registered before the
// sign-in service exists, so the hook looks it up when called.
func (s *Server) signInSession(ctx context.Context, poolID, clientID, username, factor string) (string, error) {
	if s.auth == nil {
		return "", nil
	}
	return s.auth.SignInSession(ctx, poolID, clientID, username, factor)
}
