package mfa

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// MFA codes: message.CodeLength digits from message.NewCode, rendered from
// the pool's authentication templates (kind AUTHENTICATION), offered to the
// custom message hook, and sent. Only their hash is kept, in the sign-in
// Session, bound to the pool, the user and the challenge's nonce.

// codePurpose binds a code's hash to one challenge.
func codePurpose(nonce string) string { return message.PurposeAuthentication + ":" + nonce }

// codeMatches compares code with the hash, in constant time.
func codeMatches(hash []byte, u *storage.User, nonce, code string) bool {
	return message.CodeMatches(hash, u.PoolID, u.Key, codePurpose(nonce), code)
}

// sendCode sends a new code to dest by medium and returns the challenge's
// CODE_DELIVERY_* parameters and the code's hash.
func (s *Service) sendCode(ctx context.Context, a *auth.Attempt, pc *PoolConfig, medium cognitoidp.DeliveryMediumType, dest, nonce string) (map[string]string, []byte, error) {
	u := a.User
	code := message.NewCode()
	m, err := message.Render(a.Pool, message.Params{
		Kind:        message.KindAuthentication,
		Medium:      medium,
		Destination: dest,
		Username:    u.Username,
		Code:        code,
		EmailMFA:    pc.EmailMessage,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("mfa: rendering an authentication message for pool %s: %w", u.PoolID, err)
	}
	if err := s.customize(ctx, a, m); err != nil {
		return nil, nil, err
	}
	if err := s.deliver(ctx, a.Pool, m); err != nil {
		return nil, nil, err
	}
	params := map[string]string{
		pDeliveryMedium: string(medium),
		pDestination:    message.MaskDestination(medium, dest),
	}
	return params, message.HashCode(u.PoolID, u.Key, codePurpose(nonce), code), nil
}

// customize lets the custom message hook rewrite m.
func (s *Service) customize(ctx context.Context, a *auth.Attempt, m *message.Message) error {
	if s.customMessage == nil {
		return nil
	}
	u := a.User
	ua := maps.Clone(u.Attributes)
	if ua == nil {
		ua = map[string]string{}
	}
	ua[attrs.Sub] = u.Sub
	ua["cognito:user_status"] = u.Status
	out, err := s.customMessage(ctx, &signup.CustomMessageInput{
		PoolID:          u.PoolID,
		ClientID:        a.Client.ID,
		Username:        u.Username,
		TriggerSource:   m.Kind.TriggerSource(),
		Medium:          m.Medium,
		UserAttributes:  ua,
		CodeParameter:   message.CodePlaceholder,
		ClientMetadata:  a.ClientMetadata,
		SubjectTemplate: m.SubjectTemplate,
		BodyTemplate:    m.BodyTemplate,
	})
	if err != nil || out == nil {
		return err
	}
	m.OverrideFromTrigger(out.EmailSubject, out.EmailMessage, out.SMSMessage)
	return nil
}

// deliver hands a message to the sender. A message the outbox recorded but
// SMTP or the SMS webhook refused is CodeDeliveryFailureException.
func (s *Service) deliver(ctx context.Context, up *cognitoidp.UserPoolType, m *message.Message) error {
	err := s.sender.Send(ctx, up, m)
	if err == nil {
		return nil
	}
	if !onlyDeliveryFailed(err) {
		return fmt.Errorf("mfa: sending an authentication message for pool %s: %w", m.PoolID, err)
	}
	s.log.WarnContext(ctx, "MFA code delivery failed", "pool", m.PoolID, "medium", string(m.Medium), "err", err)
	if m.Medium == message.SMS {
		return cognitoidp.NewCodeDeliveryFailureException(msgSMSDeliveryFailed)
	}
	return cognitoidp.NewCodeDeliveryFailureException(msgEmailDeliveryFailed)
}

// onlyDeliveryFailed reports whether every error joined in err is a
// delivery failure (message.ErrDeliveryFailed).
func onlyDeliveryFailed(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !onlyDeliveryFailed(e) {
				return false
			}
		}
		return true
	}
	return errors.Is(err, message.ErrDeliveryFailed)
}

// schemaOf is the pool's attribute schema.
func schemaOf(up *cognitoidp.UserPoolType) *attrs.Schema { return attrs.FromPool(up) }
