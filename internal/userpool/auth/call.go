package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// call is what every operation works with: the app client, its pool and the
// pool's attribute schema, and who called.
type call struct {
	client   *clients.Client
	pool     *cognitoidp.UserPoolType
	schema   *attrs.Schema
	admin    bool
	metadata map[string]string
	// contextData is AdminInitiateAuth's / AdminRespondToAuthChallenge's
	// ContextData (the end user's IP and headers), nil otherwise.
	contextData *cognitoidp.ContextDataType
	// session is (Admin)InitiateAuth's Session: the one ConfirmSignUp
	// returned, for a USER_AUTH sign-in right after sign-up.
	session string
	// hosted marks a sign-in of the managed login pages (hosted.go): no
	// SECRET_HASH is asked, and a completed sign-in yields the user, not
	// tokens.
	hosted bool
	// initiating marks (Admin)InitiateAuth: its ClientMetadata reaches the
	// triggers only as validationData (triggers.go).
	initiating bool
}

func (c *call) poolID() string { return c.client.PoolID }

// hideExistence reports whether the client hides whether users exist.
func (c *call) hideExistence() bool {
	return c.client.PreventUserExistenceErrors() == cognitoidp.PreventUserExistenceErrorTypesEnabled
}

// result is the answer of every sign-in operation, converted into each
// operation's response type.
type result struct {
	challenge  cognitoidp.ChallengeNameType
	session    string
	parameters map[string]string
	auth       *cognitoidp.AuthenticationResultType
	// available is AvailableChallenges (SELECT_CHALLENGE).
	available []cognitoidp.ChallengeNameType
	// done is a completed hosted sign-in (call.hosted): who signed in,
	// instead of auth.
	done *hostedDone
}

func (r *result) challengeName() *cognitoidp.ChallengeNameType {
	if r.challenge == "" {
		return nil
	}
	return api.Ptr(r.challenge)
}

func (r *result) sessionPtr() *string {
	if r.session == "" {
		return nil
	}
	return api.Ptr(r.session)
}

// params is ChallengeParameters: never nil (an AuthenticationResult comes
// with an empty map, as Cognito sends "ChallengeParameters": {}).
func (r *result) params() map[string]string {
	if r.parameters == nil {
		return map[string]string{}
	}
	return r.parameters
}

// publicCall loads the app client named by clientID (any pool) and its pool.
func (s *Service) publicCall(ctx context.Context, clientID string, metadata map[string]string) (*call, error) {
	client, err := s.clients.Lookup(ctx, clientID)
	if err != nil {
		return nil, err
	}
	return s.newCall(ctx, client, false, metadata)
}

// adminCall loads the app client clientID of pool poolID (both must exist).
func (s *Service) adminCall(ctx context.Context, poolID, clientID string, metadata map[string]string) (*call, error) {
	client, err := s.clients.LookupInPool(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	return s.newCall(ctx, client, true, metadata)
}

func (s *Service) newCall(ctx context.Context, client *clients.Client, admin bool, metadata map[string]string) (*call, error) {
	pool, err := pools.Load(ctx, s.store, client.PoolID)
	if err != nil {
		return nil, err
	}
	return &call{client: client, pool: pool, schema: attrs.FromPool(pool), admin: admin, metadata: metadata}, nil
}

// checkFlow refuses a flow the app client does not enable.
func (c *call) checkFlow(flow cognitoidp.AuthFlowType) error {
	if c.client.AuthFlowAllowed(flow) {
		return nil
	}
	if flow == cognitoidp.AuthFlowTypeUserPasswordAuth {
		return cognitoidp.NewInvalidParameterException(msgPasswordFlowNotEnabled)
	}
	return cognitoidp.NewInvalidParameterException(msgFlowNotEnabled)
}

// required returns params[name], or InvalidParameterException when it is
// missing or empty.
func required(params map[string]string, name string) (string, error) {
	v := params[name]
	if v == "" {
		return "", cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingParameter, name))
	}
	return v, nil
}

// checkSecretHash checks SECRET_HASH of params for username.
func (c *call) checkSecretHash(params map[string]string, username string) error {
	if c.hosted {
		return nil // the managed login pages act for the client itself
	}
	var given *string
	if v, ok := params[pSecretHash]; ok {
		given = &v
	}
	return signup.CheckSecretHash(c.client, username, given)
}

// findUser resolves a sign-in name (username or any alias the pool
// accepts); storage.ErrNotFound when there is none.
func (s *Service) findUser(ctx context.Context, c *call, name string) (*storage.User, error) {
	u, err := c.schema.Lookup(ctx, s.store, name)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("auth: looking up a user of pool %s: %w", c.poolID(), err)
	}
	return u, err
}

// getUser reads the user an earlier step named by its internal username;
// storage.ErrNotFound when it is gone.
func (s *Service) getUser(ctx context.Context, c *call, username string) (*storage.User, error) {
	u, err := s.store.GetUser(ctx, c.poolID(), c.schema.Key(username))
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("auth: reading a user of pool %s: %w", c.poolID(), err)
	}
	return u, err
}

// unknownUser is the answer for a sign-in name that designates nobody.
func (c *call) unknownUser() error {
	if c.hideExistence() {
		return incorrect()
	}
	return cognitoidp.NewUserNotFoundException(msgUserNotFound)
}

func incorrect() error { return cognitoidp.NewNotAuthorizedException(msgIncorrect) }

// stateError is the answer for a user whose state forbids signing in, or
// nil: disabled, unconfirmed, password reset required.
func stateError(u *storage.User) error {
	switch {
	case !u.Enabled:
		return cognitoidp.NewNotAuthorizedException(msgDisabled)
	case u.Status == string(cognitoidp.UserStatusTypeUnconfirmed):
		return cognitoidp.NewUserNotConfirmedException(msgNotConfirmed)
	case u.Status == string(cognitoidp.UserStatusTypeResetRequired):
		return cognitoidp.NewPasswordResetRequiredException(msgResetRequired)
	}
	return nil
}

// credentials decodes the user's password document; nil when the user has
// no password (passwordless, imported or federated users).
func credentials(u *storage.User) (*password.Credentials, error) {
	if len(u.Password) == 0 {
		return nil, nil
	}
	c, err := password.Decode(u.Password)
	if err != nil {
		return nil, fmt.Errorf("auth: reading the credentials of a user of pool %s: %w", u.PoolID, err)
	}
	return c, nil
}

// isCognito reports whether err is a Cognito (client-visible) error.
func isCognito(err error) bool {
	_, ok := awserr.As(err)
	return ok
}
