package auth

import (
	"context"
	"maps"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// Triggers runs a pool's sign-in Lambda triggers (*trigger.Service): pre
// and post authentication, the three custom authentication triggers and
// user migration. Each method answers (nil, nil) or nil when the pool has
// no such trigger; errors are Cognito's (UserLambdaValidationException,
// InvalidLambdaResponseException, UnexpectedLambdaException).
type Triggers interface {
	PreAuthentication(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.AuthInput, validationData map[string]string) error
	PostAuthentication(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.AuthInput, newDeviceUsed bool) error
	DefineAuthChallenge(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.AuthInput, session []trigger.ChallengeResult) (*trigger.DefineAuthChallengeResponse, error)
	CreateAuthChallenge(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.AuthInput, challengeName string, session []trigger.ChallengeResult) (*trigger.CreateAuthChallengeResponse, error)
	VerifyAuthChallengeResponse(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.AuthInput, private map[string]string, answer string) (*trigger.VerifyAuthChallengeResponse, error)
	UserMigration(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.UserMigrationInput) (*trigger.UserMigrationResponse, error)
}

// Pre token generation trigger sources of the tokens sign-in issues
// (developer guide, "Pre token generation Lambda trigger sources"): a
// sign-in (the token service's default), a sign-in whose tokens answer
// NEW_PASSWORD_REQUIRED, and one whose tokens answer the device's
// DEVICE_PASSWORD_VERIFIER.
const (
	sourceAuthentication       = "TokenGeneration_Authentication"
	sourceNewPasswordChallenge = "TokenGeneration_NewPasswordChallenge"
	sourceAuthenticateDevice   = "TokenGeneration_AuthenticateDevice"
)

// triggerMetadata is the clientMetadata the sign-in triggers get: the
// request's ClientMetadata on (Admin)RespondToAuthChallenge and
// GetTokensFromRefreshToken, none on (Admin)InitiateAuth, where
// ClientMetadata reaches only the pre authentication and user migration
// triggers, as their validationData (API reference of InitiateAuth and
// AdminInitiateAuth, ClientMetadata).
func (c *call) triggerMetadata() map[string]string {
	if c.initiating {
		return nil
	}
	return c.metadata
}

// validationData is what the pre authentication and user migration
// triggers get as validationData: (Admin)InitiateAuth's ClientMetadata.
func (c *call) validationData() map[string]string {
	if c.initiating {
		return c.metadata
	}
	return nil
}

// authInput is what the sign-in triggers are told of user u (nil: a name
// that designates nobody, when the client hides user existence).
func (c *call) authInput(u *storage.User, name string) *trigger.AuthInput {
	in := &trigger.AuthInput{
		Username: name,
		Caller:   trigger.Caller{ClientID: c.client.ID, ClientMetadata: c.triggerMetadata()},
	}
	if u == nil {
		in.UserNotFound = true
		in.UserAttributes = map[string]string{}
		return in
	}
	in.Username = u.Username
	in.UserAttributes = eventAttributes(u)
	return in
}

// eventAttributes are u's attributes as triggers see them: every attribute,
// sub and cognito:user_status.
func eventAttributes(u *storage.User) map[string]string {
	m := maps.Clone(u.Attributes)
	if m == nil {
		m = map[string]string{}
	}
	m[attrs.Sub] = u.Sub
	m["cognito:user_status"] = u.Status
	return m
}

// preAuthentication runs the pool's pre authentication trigger before the
// first factor of a sign-in of u is checked (u nil: an unknown name the
// client hides, userNotFound). A function that throws refuses the sign-in
// with UserLambdaValidationException "PreAuthentication failed with error
// …." (reference facts §9.4), recorded as a failed sign-in.
func (s *Service) preAuthentication(ctx context.Context, c *call, u *storage.User, name string) error {
	if s.triggers == nil {
		return nil
	}
	err := s.triggers.PreAuthentication(ctx, c.pool, c.authInput(u, name), c.validationData())
	if err != nil && u != nil && isCognito(err) {
		return s.failSignIn(ctx, c, u, err)
	}
	return err
}

// postAuthentication runs the pool's post authentication trigger once a
// sign-in succeeded, before its tokens are issued; newDeviceUsed tells
// whether the sign-in remembered a new device. A function that throws
// refuses the tokens (UserLambdaValidationException).
func (s *Service) postAuthentication(ctx context.Context, c *call, u *storage.User, newDeviceUsed bool) error {
	if s.triggers == nil {
		return nil
	}
	return s.triggers.PostAuthentication(ctx, c.pool, c.authInput(u, u.Username), newDeviceUsed)
}

// issueSignIn mints a new token family for the completed sign-in a, as
// issue does, with the pre token generation trigger told the source (a's,
// TokenGeneration_Authentication by default) and the request's
// ClientMetadata where Cognito passes it.
func (s *Service) issueSignIn(ctx context.Context, c *call, a *Attempt, deviceKey, eventID string) (*cognitoidp.AuthenticationResultType, error) {
	sub, err := s.subject(ctx, c, a.User, deviceKey)
	if err != nil {
		return nil, err
	}
	sub.AuthTime = s.clock.Now()
	sub.EventID = eventID
	sub.TriggerSource = a.source
	if sub.TriggerSource == "" {
		sub.TriggerSource = sourceAuthentication
	}
	sub.ClientMetadata = c.triggerMetadata()
	sub.ACR, sub.AMR = a.acrClaim, a.amrClaim
	out, err := s.tokens.Issue(ctx, sub, c.validity(), true)
	if err != nil {
		return nil, err
	}
	return authResult(out), nil
}
