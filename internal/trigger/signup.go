package trigger

import (
	"context"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// Trigger sources of the sign-up side (developer guide, "User pool Lambda
// trigger sources").
const (
	SourcePreSignUpSignUp                  = "PreSignUp_SignUp"
	SourcePreSignUpAdminCreateUser         = "PreSignUp_AdminCreateUser"
	SourcePreSignUpExternalProvider        = "PreSignUp_ExternalProvider"
	SourcePostConfirmationConfirmSignUp    = "PostConfirmation_ConfirmSignUp"
	SourcePostConfirmationForgotPassword   = "PostConfirmation_ConfirmForgotPassword"
	SourceCustomMessageSignUp              = "CustomMessage_SignUp"
	SourceCustomMessageAdminCreateUser     = "CustomMessage_AdminCreateUser"
	SourceCustomMessageResendCode          = "CustomMessage_ResendCode"
	SourceCustomMessageForgotPassword      = "CustomMessage_ForgotPassword"
	SourceCustomMessageUpdateUserAttribute = "CustomMessage_UpdateUserAttribute"
	SourceCustomMessageVerifyUserAttribute = "CustomMessage_VerifyUserAttribute"
	SourceCustomMessageAuthentication      = "CustomMessage_Authentication"
)

// PreSignUpInput is what a pre sign-up event tells: the user as they will
// be created.
type PreSignUpInput struct {
	// Source is PreSignUp_SignUp, PreSignUp_AdminCreateUser or
	// PreSignUp_ExternalProvider ("" is PreSignUp_SignUp).
	Source         string
	Username       string
	UserAttributes map[string]string
	ValidationData map[string]string
	Caller
}

// PreSignUp runs the pool's pre sign-up trigger and returns its answer
// (autoConfirmUser, autoVerifyEmail, autoVerifyPhone); (nil, nil) when the
// pool has none.
func (s *Service) PreSignUp(ctx context.Context, pool *cognitoidp.UserPoolType, in *PreSignUpInput) (*PreSignUpResponse, error) {
	arn := arnOf(lambdaConfig(pool).PreSignUp)
	if arn == "" {
		return nil, nil
	}
	src := in.Source
	if src == "" {
		src = SourcePreSignUpSignUp
	}
	ev := &Event[PreSignUpRequest, PreSignUpResponse]{
		Version: eventVersion1, TriggerSource: src, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: PreSignUpRequest{
			UserAttributes: nonNil(in.UserAttributes),
			ValidationData: in.ValidationData,
			ClientMetadata: in.ClientMetadata,
		},
	}
	out := &PreSignUpResponse{}
	if err := call(ctx, s, namePreSignUp, arn, ev, out); err != nil {
		return nil, err
	}
	return out, nil
}

// PostConfirmationInput is what a post confirmation event tells.
type PostConfirmationInput struct {
	// Source is PostConfirmation_ConfirmSignUp or
	// PostConfirmation_ConfirmForgotPassword.
	Source   string
	Username string
	// UserAttributes are the confirmed user's, with sub and
	// cognito:user_status.
	UserAttributes map[string]string
	Caller
}

// PostConfirmation runs the pool's post confirmation trigger; nil when the
// pool has none or the function succeeded.
func (s *Service) PostConfirmation(ctx context.Context, pool *cognitoidp.UserPoolType, in *PostConfirmationInput) error {
	arn := arnOf(lambdaConfig(pool).PostConfirmation)
	if arn == "" {
		return nil
	}
	src := in.Source
	if src == "" {
		src = SourcePostConfirmationConfirmSignUp
	}
	ev := &Event[PostConfirmationRequest, Empty]{
		Version: eventVersion1, TriggerSource: src, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request:       PostConfirmationRequest{UserAttributes: nonNil(in.UserAttributes), ClientMetadata: in.ClientMetadata},
	}
	return call(ctx, s, namePostConfirmation, arn, ev, &Empty{})
}

// CustomMessageInput is what a custom message event tells.
type CustomMessageInput struct {
	// Source is one of the CustomMessage_* sources.
	Source         string
	Username       string
	UserAttributes map[string]string
	// Medium is the message's (EMAIL or SMS): it decides which answer
	// member must keep the code placeholder.
	Medium cognitoidp.DeliveryMediumType
	// Link marks a CONFIRM_WITH_LINK sign-up email, whose body may show a
	// {##…##} link instead of the code.
	Link bool
	Caller
}

// CustomMessage runs the pool's custom message trigger and returns its
// answer; (nil, nil) when the pool has none. An answer whose text for the
// message's medium lacks the code placeholder ({####}, or a link for a
// link email) is refused as Cognito refuses it (InvalidParameterException).
func (s *Service) CustomMessage(ctx context.Context, pool *cognitoidp.UserPoolType, in *CustomMessageInput) (*CustomMessageResponse, error) {
	arn := arnOf(lambdaConfig(pool).CustomMessage)
	if arn == "" {
		return nil, nil
	}
	req := CustomMessageRequest{
		UserAttributes: nonNil(in.UserAttributes),
		CodeParameter:  codeParameter,
		ClientMetadata: in.ClientMetadata,
	}
	if in.Source == SourceCustomMessageAdminCreateUser {
		req.UsernameParameter = ptr(usernameParameter)
	}
	if in.Link {
		req.LinkParameter = ptr(linkParameter)
	}
	ev := &Event[CustomMessageRequest, CustomMessageResponse]{
		Version: eventVersion1, TriggerSource: in.Source, UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request:       req,
	}
	out := &CustomMessageResponse{}
	if err := call(ctx, s, nameCustomMessage, arn, ev, out); err != nil {
		return nil, err
	}
	body, member := out.EmailMessage, "emailBody"
	if in.Medium == cognitoidp.DeliveryMediumTypeSms {
		body, member = out.SMSMessage, "smsMessage"
	}
	if body != nil && *body != "" && !strings.Contains(*body, codeParameter) && !(in.Link && strings.Contains(*body, "{##")) {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgCodeMissing, member))
	}
	return out, nil
}

// linkParameter is request.linkParameter of a link email (unverified: the
// default link text of Cognito's templates).
const linkParameter = "{##Click Here##}"

func poolID(pool *cognitoidp.UserPoolType) string {
	if pool == nil || pool.Id == nil {
		return ""
	}
	return *pool.Id
}

// nonNil makes a nil map an empty one (events always carry an object).
func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
