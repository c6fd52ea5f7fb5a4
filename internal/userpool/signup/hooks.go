package signup

import (
	"context"
	"net/url"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
)

// Hooks are the Lambda triggers the operations call, supplied by the
// trigger family. A nil member is a trigger the pool does not have. An
// error a hook returns is answered as it is (the trigger family makes it a
// UserLambdaValidationException and the like).
type Hooks struct {
	// PreSignUp runs before SignUp creates the user (trigger source
	// PreSignUp_SignUp). Its answer can confirm the user and verify the
	// email and phone number at once.
	PreSignUp func(ctx context.Context, in *PreSignUpInput) (*PreSignUpOutput, error)
	// PostConfirmation runs after ConfirmSignUp (PostConfirmation_ConfirmSignUp)
	// and ConfirmForgotPassword (PostConfirmation_ConfirmForgotPassword)
	// have changed the user.
	PostConfirmation func(ctx context.Context, in *PostConfirmationInput) error
	// CustomMessage may rewrite a code message before it is sent
	// (CustomMessage_SignUp, _ResendCode, _ForgotPassword).
	CustomMessage func(ctx context.Context, in *CustomMessageInput) (*CustomMessageOutput, error)
}

// Trigger sources these operations use.
const (
	SourcePreSignUp                     = "PreSignUp_SignUp"
	SourcePostConfirmationSignUp        = "PostConfirmation_ConfirmSignUp"
	SourcePostConfirmationResetPassword = "PostConfirmation_ConfirmForgotPassword"
)

// PreSignUpInput is the pre sign-up event: the request's attributes (as
// the user will have them), ValidationData and ClientMetadata.
type PreSignUpInput struct {
	// TriggerSource is PreSignUp_SignUp ("" means it) or, from the users
	// family, PreSignUp_AdminCreateUser.
	TriggerSource  string
	PoolID         string
	ClientID       string
	Username       string // the internal username
	UserAttributes map[string]string
	ValidationData map[string]string
	ClientMetadata map[string]string
}

// PreSignUpOutput is the trigger's answer.
type PreSignUpOutput struct {
	AutoConfirmUser bool
	AutoVerifyEmail bool
	AutoVerifyPhone bool
}

// PostConfirmationInput is the post confirmation event.
type PostConfirmationInput struct {
	PoolID         string
	ClientID       string
	Username       string
	TriggerSource  string
	UserAttributes map[string]string // with sub and cognito:user_status
	ClientMetadata map[string]string
}

// CustomMessageInput is the custom message event: the message as rendered
// from the pool's templates, with the code shown as its placeholder.
type CustomMessageInput struct {
	PoolID         string
	ClientID       string
	Username       string
	TriggerSource  string // message.Kind.TriggerSource()
	Medium         cognitoidp.DeliveryMediumType
	UserAttributes map[string]string
	CodeParameter  string // message.CodePlaceholder
	ClientMetadata map[string]string
	// SubjectTemplate and BodyTemplate are the pool's texts the trigger
	// starts from.
	SubjectTemplate string
	BodyTemplate    string
}

// CustomMessageOutput is the trigger's answer; empty members keep the
// pool's text.
type CustomMessageOutput struct {
	EmailSubject string
	EmailMessage string
	SMSMessage   string
}

// DefaultConfirmLinkURL is the managed login path a CONFIRM_WITH_LINK
// sign-up email links to when no ConfirmLinkURL is configured:
// /confirmUser?client_id=…&user_name=…&confirmation_code=… (the query
// Cognito's own links carry).
func DefaultConfirmLinkURL(clientID, username, code string) string {
	return "/confirmUser?client_id=" + url.QueryEscape(clientID) +
		"&user_name=" + url.QueryEscape(username) +
		"&confirmation_code=" + url.QueryEscape(code)
}

// attributesMap turns the API's name/value list into a map (later names win).
func attributesMap(in []cognitoidp.AttributeType) map[string]string {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]string, len(in))
	for _, a := range in {
		if a.Name != nil {
			out[*a.Name] = deref(a.Value)
		}
	}
	return out
}

// customize lets the custom message hook rewrite m.
func (s *Service) customize(ctx context.Context, c *call, username string, userAttrs map[string]string, meta map[string]string, m *message.Message) error {
	m.ClientID, m.ClientMetadata = c.client.ID, meta // for a custom sender trigger
	if s.hooks.CustomMessage == nil {
		return nil
	}
	out, err := s.hooks.CustomMessage(ctx, &CustomMessageInput{
		PoolID:          c.poolID(),
		ClientID:        c.client.ID,
		Username:        username,
		TriggerSource:   m.Kind.TriggerSource(),
		Medium:          m.Medium,
		UserAttributes:  userAttrs,
		CodeParameter:   message.CodePlaceholder,
		ClientMetadata:  meta,
		SubjectTemplate: m.SubjectTemplate,
		BodyTemplate:    m.BodyTemplate,
	})
	if err != nil || out == nil {
		return err
	}
	m.OverrideFromTrigger(out.EmailSubject, out.EmailMessage, out.SMSMessage)
	return nil
}
