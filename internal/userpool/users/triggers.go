package users

import (
	"context"
	"maps"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// The Lambda triggers of the admin operations run through Config.Hooks (the
// trigger family supplies them). Administrator calls have no app client:
// ClientID is "" (events show CLIENT_ID_NOT_APPLICABLE).

// preSignUp runs the pre sign-up hook for AdminCreateUser
// (PreSignUp_AdminCreateUser) on the attributes the user will have, and
// applies its autoVerifyEmail and autoVerifyPhone. autoConfirmUser changes
// nothing: an administrator's user starts in FORCE_CHANGE_PASSWORD
// (unverified).
func (s *Service) preSignUp(ctx context.Context, poolID, username string, vals attrs.Values, in *cognitoidp.AdminCreateUserRequest) error {
	if s.hooks.PreSignUp == nil {
		return nil
	}
	out, err := s.hooks.PreSignUp(ctx, &signup.PreSignUpInput{
		TriggerSource:  signupSourceAdminCreateUser,
		PoolID:         poolID,
		Username:       username,
		UserAttributes: maps.Clone(vals),
		ValidationData: attributeMap(in.ValidationData),
		ClientMetadata: in.ClientMetadata,
	})
	if err != nil || out == nil {
		return err
	}
	if out.AutoVerifyEmail && vals[attrs.Email] != "" {
		vals[attrs.EmailVerified] = "true"
	}
	if out.AutoVerifyPhone && vals[attrs.PhoneNumber] != "" {
		vals[attrs.PhoneNumberVerified] = "true"
	}
	return nil
}

// signupSourceAdminCreateUser is the pre sign-up trigger source of AdminCreateUser.
const signupSourceAdminCreateUser = "PreSignUp_AdminCreateUser"

// postConfirmation runs the post confirmation hook after AdminConfirmSignUp
// (PostConfirmation_ConfirmSignUp (unverified: facts §9.2)).
func (s *Service) postConfirmation(ctx context.Context, u *storage.User, meta map[string]string) error {
	if s.hooks.PostConfirmation == nil {
		return nil
	}
	return s.hooks.PostConfirmation(ctx, &signup.PostConfirmationInput{
		PoolID:         u.PoolID,
		Username:       u.Username,
		TriggerSource:  signup.SourcePostConfirmationSignUp,
		UserAttributes: eventAttributes(u),
		ClientMetadata: meta,
	})
}

// customize lets the custom message hook rewrite m (CustomMessage_AdminCreateUser,
// _ForgotPassword, _UpdateUserAttribute), and records the request's
// ClientMetadata on it for a custom sender trigger.
func (s *Service) customize(ctx context.Context, u *storage.User, meta map[string]string, m *message.Message) error {
	m.ClientMetadata = meta
	if s.hooks.CustomMessage == nil {
		return nil
	}
	out, err := s.hooks.CustomMessage(ctx, &signup.CustomMessageInput{
		PoolID:          u.PoolID,
		Username:        u.Username,
		TriggerSource:   m.Kind.TriggerSource(),
		Medium:          m.Medium,
		UserAttributes:  eventAttributes(u),
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

// eventAttributes is a user's attributes as triggers see them: every
// attribute plus sub and cognito:user_status.
func eventAttributes(u *storage.User) map[string]string {
	m := maps.Clone(u.Attributes)
	if m == nil {
		m = map[string]string{}
	}
	m[attrs.Sub] = u.Sub
	m["cognito:user_status"] = u.Status
	return m
}

// attributeMap turns the API's name/value list into a map (nil for none).
func attributeMap(in []cognitoidp.AttributeType) map[string]string {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]string, len(in))
	for _, a := range in {
		if a.Name != nil {
			v := ""
			if a.Value != nil {
				v = *a.Value
			}
			out[*a.Name] = v
		}
	}
	return out
}
