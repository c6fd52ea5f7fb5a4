package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
)

// Caller is who a token-authorized operation acts for: the verified claims
// of the access token, the user pool and the signed-in user.
type Caller struct {
	Claims *token.AccessClaims
	Pool   *cognitoidp.UserPoolType
	User   *storage.User
}

// Authenticate is the access-token check every token-authorized operation of
// this package starts with, offered to the other families (MFA, devices,
// passkeys) so the rule lives once: the token must verify (signature,
// expiry, token_use, revocation, scope aws.cognito.signin.user.admin), the
// user it names must still exist with the same sub (UserNotFoundException)
// and be enabled (NotAuthorizedException). Errors are Cognito's exceptions
// or internal errors.
func (s *Service) Authenticate(ctx context.Context, accessToken *string) (*Caller, error) {
	c, err := s.begin(ctx, accessToken)
	if err != nil {
		return nil, err
	}
	return &Caller{Claims: c.claims, Pool: c.pool, User: c.user}, nil
}
