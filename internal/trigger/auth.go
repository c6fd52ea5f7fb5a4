package trigger

import (
	"context"
	"slices"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// Trigger sources of sign-in (developer guide, "User pool Lambda trigger
// sources").
const (
	SourcePreAuthentication           = "PreAuthentication_Authentication"
	SourcePostAuthentication          = "PostAuthentication_Authentication"
	SourceDefineAuthChallenge         = "DefineAuthChallenge_Authentication"
	SourceCreateAuthChallenge         = "CreateAuthChallenge_Authentication"
	SourceVerifyAuthChallengeResponse = "VerifyAuthChallengeResponse_Authentication"
	SourceUserMigrationAuthentication = "UserMigration_Authentication"
	SourceUserMigrationForgotPassword = "UserMigration_ForgotPassword"
)

// AuthInput is what the sign-in triggers are told of the user: the name
// the caller signed in with (the username when the user exists), the user's
// attributes (with sub and cognito:user_status; empty when UserNotFound),
// and whether the user exists (UserNotFound: a client that hides user
// existence still runs the trigger for unknown users).
type AuthInput struct {
	Username       string
	UserAttributes map[string]string
	UserNotFound   bool
	Caller
}

// PreAuthentication runs the pool's pre authentication trigger
// (PreAuthentication_Authentication). validationData is the request's
// ValidationData (AdminInitiateAuth's ContextData, InitiateAuth's
// UserContextData have none; callers pass what Cognito passes). nil when
// the pool has none or the function let the user in; a function that threw
// is UserLambdaValidationException "PreAuthentication failed with error X.".
func (s *Service) PreAuthentication(ctx context.Context, pool *cognitoidp.UserPoolType, in *AuthInput, validationData map[string]string) error {
	arn := arnOf(lambdaConfig(pool).PreAuthentication)
	if arn == "" {
		return nil
	}
	ev := &Event[PreAuthenticationRequest, Empty]{
		Version: eventVersion1, TriggerSource: SourcePreAuthentication, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: PreAuthenticationRequest{
			UserAttributes: nonNil(in.UserAttributes), UserNotFound: in.UserNotFound,
			ValidationData: validationData, ClientMetadata: in.ClientMetadata,
		},
	}
	return call(ctx, s, namePreAuthentication, arn, ev, &Empty{})
}

// PostAuthentication runs the pool's post authentication trigger
// (PostAuthentication_Authentication) after a successful sign-in;
// newDeviceUsed tells whether the sign-in used a device not seen before.
func (s *Service) PostAuthentication(ctx context.Context, pool *cognitoidp.UserPoolType, in *AuthInput, newDeviceUsed bool) error {
	arn := arnOf(lambdaConfig(pool).PostAuthentication)
	if arn == "" {
		return nil
	}
	ev := &Event[PostAuthenticationRequest, Empty]{
		Version: eventVersion1, TriggerSource: SourcePostAuthentication, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: PostAuthenticationRequest{
			UserAttributes: nonNil(in.UserAttributes), NewDeviceUsed: newDeviceUsed, ClientMetadata: in.ClientMetadata,
		},
	}
	return call(ctx, s, namePostAuthentication, arn, ev, &Empty{})
}

// HasCustomAuth reports whether the pool has the three custom
// authentication triggers (CUSTOM_AUTH needs them all).
func HasCustomAuth(pool *cognitoidp.UserPoolType) bool {
	lc := lambdaConfig(pool)
	return arnOf(lc.DefineAuthChallenge) != "" && arnOf(lc.CreateAuthChallenge) != "" && arnOf(lc.VerifyAuthChallengeResponse) != ""
}

// DefineAuthChallenge runs the pool's define auth challenge trigger with
// the session so far and returns its decision (challengeName, issueTokens,
// failAuthentication); (nil, nil) when the pool has none.
func (s *Service) DefineAuthChallenge(ctx context.Context, pool *cognitoidp.UserPoolType, in *AuthInput, session []ChallengeResult) (*DefineAuthChallengeResponse, error) {
	arn := arnOf(lambdaConfig(pool).DefineAuthChallenge)
	if arn == "" {
		return nil, nil
	}
	ev := &Event[DefineAuthChallengeRequest, DefineAuthChallengeResponse]{
		Version: eventVersion1, TriggerSource: SourceDefineAuthChallenge, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: DefineAuthChallengeRequest{
			UserAttributes: nonNil(in.UserAttributes), Session: sessionOf(session),
			ClientMetadata: in.ClientMetadata, UserNotFound: in.UserNotFound,
		},
	}
	out := &DefineAuthChallengeResponse{}
	if err := call(ctx, s, nameDefineAuthChallenge, arn, ev, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateAuthChallenge runs the pool's create auth challenge trigger for
// challengeName and returns the challenge (public and private parameters,
// metadata); (nil, nil) when the pool has none.
func (s *Service) CreateAuthChallenge(ctx context.Context, pool *cognitoidp.UserPoolType, in *AuthInput, challengeName string, session []ChallengeResult) (*CreateAuthChallengeResponse, error) {
	arn := arnOf(lambdaConfig(pool).CreateAuthChallenge)
	if arn == "" {
		return nil, nil
	}
	ev := &Event[CreateAuthChallengeRequest, CreateAuthChallengeResponse]{
		Version: eventVersion1, TriggerSource: SourceCreateAuthChallenge, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: CreateAuthChallengeRequest{
			UserAttributes: nonNil(in.UserAttributes), ChallengeName: challengeName, Session: sessionOf(session),
			ClientMetadata: in.ClientMetadata, UserNotFound: in.UserNotFound,
		},
	}
	out := &CreateAuthChallengeResponse{}
	if err := call(ctx, s, nameCreateAuthChallenge, arn, ev, out); err != nil {
		return nil, err
	}
	return out, nil
}

// VerifyAuthChallengeResponse runs the pool's verify auth challenge
// response trigger with the user's answer and the challenge's private
// parameters, and returns answerCorrect; (nil, nil) when the pool has none.
func (s *Service) VerifyAuthChallengeResponse(ctx context.Context, pool *cognitoidp.UserPoolType, in *AuthInput, private map[string]string, answer string) (*VerifyAuthChallengeResponse, error) {
	arn := arnOf(lambdaConfig(pool).VerifyAuthChallengeResponse)
	if arn == "" {
		return nil, nil
	}
	ev := &Event[VerifyAuthChallengeRequest, VerifyAuthChallengeResponse]{
		Version: eventVersion1, TriggerSource: SourceVerifyAuthChallengeResponse, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: VerifyAuthChallengeRequest{
			UserAttributes: nonNil(in.UserAttributes), PrivateChallengeParameters: nonNil(private),
			ChallengeAnswer: answer, ClientMetadata: in.ClientMetadata, UserNotFound: in.UserNotFound,
		},
	}
	out := &VerifyAuthChallengeResponse{}
	if err := call(ctx, s, nameVerifyAuthChallengeResponse, arn, ev, out); err != nil {
		return nil, err
	}
	return out, nil
}

func sessionOf(s []ChallengeResult) []ChallengeResult {
	if s == nil {
		return []ChallengeResult{}
	}
	return s
}

// UserMigrationInput is what a user migration event tells: the name the
// unknown user gave, the password they signed in with (nil for
// UserMigration_ForgotPassword), and the request's ValidationData.
type UserMigrationInput struct {
	// Source is UserMigration_Authentication or UserMigration_ForgotPassword.
	Source         string
	Username       string
	Password       *string
	ValidationData map[string]string
	Caller
}

// Values of the user migration answer Cognito accepts (developer guide,
// "Migrate user Lambda trigger").
var (
	migrationStatuses = []string{string(cognitoidp.UserStatusTypeConfirmed), string(cognitoidp.UserStatusTypeResetRequired)}
	migrationActions  = []string{string(cognitoidp.MessageActionTypeSuppress), string(cognitoidp.MessageActionTypeResend)}
	migrationMediums  = []string{string(cognitoidp.DeliveryMediumTypeSms), string(cognitoidp.DeliveryMediumTypeEmail)}
)

// UserMigration runs the pool's user migration trigger for a user the pool
// does not know, and returns the user to create (userAttributes,
// finalUserStatus, messageAction, desiredDeliveryMediums,
// forceAliasCreation, enableSMSMFA); (nil, nil) when the pool has none.
// A function that answered without userAttributes is taken as "no such
// user": the answer is nil too (unverified: Cognito then reports the user
// as not found). Values outside the documented ones are
// InvalidLambdaResponseException (unverified message).
func (s *Service) UserMigration(ctx context.Context, pool *cognitoidp.UserPoolType, in *UserMigrationInput) (*UserMigrationResponse, error) {
	arn := arnOf(lambdaConfig(pool).UserMigration)
	if arn == "" {
		return nil, nil
	}
	src := in.Source
	if src == "" {
		src = SourceUserMigrationAuthentication
	}
	ev := &Event[UserMigrationRequest, UserMigrationResponse]{
		Version: eventVersion1, TriggerSource: src, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: UserMigrationRequest{
			Password: in.Password, ValidationData: in.ValidationData, ClientMetadata: in.ClientMetadata,
		},
	}
	out := &UserMigrationResponse{}
	if err := call(ctx, s, nameUserMigration, arn, ev, out); err != nil {
		return nil, err
	}
	bad := func() error { return cognitoidp.NewInvalidLambdaResponseException(msgUnrecognizable) }
	if out.FinalUserStatus != nil && !slices.Contains(migrationStatuses, *out.FinalUserStatus) {
		return nil, bad()
	}
	if out.MessageAction != nil && !slices.Contains(migrationActions, *out.MessageAction) {
		return nil, bad()
	}
	for _, m := range out.DesiredDeliveryMediums {
		if !slices.Contains(migrationMediums, m) {
			return nil, bad()
		}
	}
	if len(out.UserAttributes) == 0 {
		return nil, nil
	}
	return out, nil
}
