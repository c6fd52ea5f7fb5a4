package trigger

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// This file adapts the trigger methods to the hooks other packages expose:
// signup.Hooks (sign-up, confirmation, code messages; also used by the
// users family's admin operations), the account family's CustomMessage, the
// message Sender's custom sender, and the token service's pre token
// generation. Each hook loads the pool and does nothing more when the pool
// has no such trigger.

// SignupHooks returns the hooks of the sign-up operations (and of the users
// family's AdminCreateUser, AdminConfirmSignUp and code messages).
func (s *Service) SignupHooks() signup.Hooks {
	return signup.Hooks{
		PreSignUp:        s.preSignUpHook,
		PostConfirmation: s.postConfirmationHook,
		CustomMessage:    s.CustomMessageHook,
	}
}

func (s *Service) preSignUpHook(ctx context.Context, in *signup.PreSignUpInput) (*signup.PreSignUpOutput, error) {
	pool, err := s.pool(ctx, in.PoolID)
	if err != nil {
		return nil, err
	}
	out, err := s.PreSignUp(ctx, pool, &PreSignUpInput{
		Source:         in.TriggerSource,
		Username:       in.Username,
		UserAttributes: in.UserAttributes,
		ValidationData: in.ValidationData,
		Caller:         Caller{ClientID: in.ClientID, ClientMetadata: in.ClientMetadata},
	})
	if err != nil || out == nil {
		return nil, err
	}
	return &signup.PreSignUpOutput{
		AutoConfirmUser: out.AutoConfirmUser,
		AutoVerifyEmail: out.AutoVerifyEmail,
		AutoVerifyPhone: out.AutoVerifyPhone,
	}, nil
}

func (s *Service) postConfirmationHook(ctx context.Context, in *signup.PostConfirmationInput) error {
	pool, err := s.pool(ctx, in.PoolID)
	if err != nil {
		return err
	}
	return s.PostConfirmation(ctx, pool, &PostConfirmationInput{
		Source:         in.TriggerSource,
		Username:       in.Username,
		UserAttributes: in.UserAttributes,
		Caller:         Caller{ClientID: in.ClientID, ClientMetadata: in.ClientMetadata},
	})
}

// CustomMessageHook is the custom message hook of the sign-up, users and
// account families (account.Config.CustomMessage). A message whose medium
// the pool hands to a custom sender trigger is not customized: the sender
// gets only the code (unverified: Cognito documents custom senders as
// replacing its delivery, and says nothing of the custom message trigger
// then).
func (s *Service) CustomMessageHook(ctx context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error) {
	pool, err := s.pool(ctx, in.PoolID)
	if err != nil {
		return nil, err
	}
	if arnOf(lambdaConfig(pool).CustomMessage) == "" || HasCustomSender(pool, in.Medium) {
		return nil, nil
	}
	out, err := s.CustomMessage(ctx, pool, &CustomMessageInput{
		Source:         in.TriggerSource,
		Username:       in.Username,
		UserAttributes: in.UserAttributes,
		Medium:         in.Medium,
		Link:           in.Medium == cognitoidp.DeliveryMediumTypeEmail && strings.Contains(in.BodyTemplate, "{##"),
		Caller:         Caller{ClientID: in.ClientID, ClientMetadata: in.ClientMetadata},
	})
	if err != nil || out == nil {
		return nil, err
	}
	return &signup.CustomMessageOutput{
		EmailSubject: deref(out.EmailSubject),
		EmailMessage: deref(out.EmailMessage),
		SMSMessage:   deref(out.SMSMessage),
	}, nil
}

// CustomizeMessage lets the pool's custom message trigger rewrite a
// rendered message of user u sent on behalf of app client clientID ("" for
// an administrator operation) — for code senders that do not go through
// signup.Hooks, such as MFA and passwordless sign-in codes
// (CustomMessage_Authentication, message.KindAuthentication). It also
// records clientID and meta on m for a custom sender trigger.
func (s *Service) CustomizeMessage(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, clientID string, meta map[string]string, m *message.Message) error {
	m.ClientID, m.ClientMetadata = clientID, meta
	if arnOf(lambdaConfig(pool).CustomMessage) == "" || HasCustomSender(pool, m.Medium) {
		return nil
	}
	out, err := s.CustomMessage(ctx, pool, &CustomMessageInput{
		Source:         m.Kind.TriggerSource(),
		Username:       u.Username,
		UserAttributes: userAttributes(u),
		Medium:         m.Medium,
		Link:           m.Medium == cognitoidp.DeliveryMediumTypeEmail && strings.Contains(m.BodyTemplate, "{##"),
		Caller:         Caller{ClientID: clientID, ClientMetadata: meta},
	})
	if err != nil || out == nil {
		return err
	}
	m.OverrideFromTrigger(deref(out.EmailSubject), deref(out.EmailMessage), deref(out.SMSMessage))
	return nil
}

// SendCustom is the message Sender's custom sender hook
// (message.Sender.UseCustomSender): a message of a pool with a custom
// sender trigger for its medium goes to that trigger, with the user's
// current attributes.
func (s *Service) SendCustom(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) (bool, error) {
	if pool == nil || !HasCustomSender(pool, m.Medium) {
		return false, nil
	}
	attrsOf := map[string]string{}
	if m.Username != "" {
		u, err := s.store.GetUser(ctx, poolID(pool), attrs.FromPool(pool).Key(m.Username))
		switch {
		case err == nil:
			attrsOf = userAttributes(u)
		case !errors.Is(err, storage.ErrNotFound):
			return true, fmt.Errorf("trigger: reading the user of a %s message: %w", m.Kind, err)
		}
	}
	source := m.Kind.TriggerSource()
	if m.Kind == kindTakeoverNotification {
		// Threat protection's notice: CustomEmailSender_AccountTakeOverNotification,
		// without a code. (Cognito adds the event's details to userAttributes —
		// EVENT_ID, IP_ADDRESS, ONE_CLICK_LINK_VALID, ...; Cogito does not yet.)
		source = "CustomMessage_AccountTakeOverNotification"
	}
	return s.CustomSender(ctx, pool, &CustomSenderInput{
		Source:         source,
		Medium:         m.Medium,
		Username:       m.Username,
		UserAttributes: attrsOf,
		Code:           m.Code,
		Caller:         Caller{ClientID: m.ClientID, ClientMetadata: m.ClientMetadata},
	})
}

// kindTakeoverNotification is the outbox kind of threat protection's
// account-takeover notices (risk.KindTakeoverNotification).
const kindTakeoverNotification message.Kind = "ACCOUNT_TAKE_OVER_NOTIFICATION"

// PreTokenGenerationHook is the token service's pre token generation hook
// (token.Config.PreTokenGeneration): it runs the pool's trigger for the
// subject and applies the answer (claims, group claims, scopes).
func (s *Service) PreTokenGenerationHook(ctx context.Context, sub *token.Subject, source string) error {
	pool, err := s.pool(ctx, sub.PoolID)
	if err != nil {
		return err
	}
	if arn, _ := PreTokenFunction(pool); arn == "" {
		return nil
	}
	in := &PreTokenInput{
		Source:        source,
		Username:      sub.Username,
		Groups:        sub.Groups,
		Roles:         sub.Roles,
		PreferredRole: sub.PreferredRole,
		Scopes:        sub.Scopes,
		Caller:        Caller{ClientID: sub.ClientID, ClientMetadata: sub.ClientMetadata},
	}
	if in.Scopes == nil {
		in.Scopes = []string{token.AdminScope}
	}
	if source != SourceTokenClientCredentials {
		key := sub.UserKey
		if key == "" {
			key = attrs.FromPool(pool).Key(sub.Username)
		}
		u, err := s.store.GetUser(ctx, sub.PoolID, key)
		switch {
		case err == nil:
			in.UserAttributes = userAttributes(u)
		case errors.Is(err, storage.ErrNotFound):
			in.UserAttributes = map[string]string{"sub": sub.Sub}
		default:
			return fmt.Errorf("trigger: reading the user of a token: %w", err)
		}
	}
	r, err := s.PreTokenGeneration(ctx, pool, in)
	if err != nil || r == nil {
		return err
	}
	sub.IDOverride = merge(sub.IDOverride, r.ID)
	sub.AccessOverride = merge(sub.AccessOverride, r.Access)
	if g := r.Groups; g != nil {
		sub.Groups, sub.Roles, sub.PreferredRole = g.GroupsToOverride, g.IAMRolesToOverride, deref(g.PreferredRole)
	}
	if r.ScopesChanged {
		sub.Scopes = r.Scopes
	}
	return nil
}

// merge adds b's changes after a's.
func merge(a, b token.Override) token.Override {
	if len(b.Add) > 0 {
		if a.Add == nil {
			a.Add = map[string]any{}
		}
		for k, v := range b.Add {
			a.Add[k] = v
		}
	}
	a.Suppress = append(a.Suppress, b.Suppress...)
	return a
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
