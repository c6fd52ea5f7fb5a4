package account

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// Attribute verification codes are kept as the users family keeps those of
// UpdateUserAttributes: purpose message.PurposeVerifyAttribute(attr), Data
// the value the code was sent to, so either kind of code verifies the value
// it went to.

// verifiable reports whether an attribute can be verified with a code.
func verifiable(attr string) bool { return attr == attrs.Email || attr == attrs.PhoneNumber }

// mediumOf is the delivery medium of a contact attribute.
func mediumOf(attr string) cognitoidp.DeliveryMediumType {
	if attr == attrs.PhoneNumber {
		return message.SMS
	}
	return message.Email
}

// sendCode makes a code verifying value of attr for the session's user, keeps
// its hash (replacing the user's previous code for attr), renders the message
// of kind VERIFY_ATTRIBUTE from the pool's templates, lets the custom message
// hook rewrite it and sends it. It returns the CodeDeliveryDetails to answer.
func (s *Service) sendCode(ctx context.Context, c *session, attr, value string, meta map[string]string) (*cognitoidp.CodeDeliveryDetailsType, error) {
	u := c.user
	purpose := message.PurposeVerifyAttribute(attr)
	code := message.NewCode()
	now := s.clk.Now()
	err := s.store.PutCode(ctx, &storage.Code{
		PoolID:    u.PoolID,
		UserKey:   u.Key,
		Purpose:   purpose,
		Hash:      message.HashCode(u.PoolID, u.Key, purpose, code),
		Data:      []byte(value),
		CreatedAt: now,
		ExpiresAt: now.Add(message.CodeTTL(message.KindVerifyAttribute)),
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound) // deleted meanwhile
	}
	if err != nil {
		return nil, fmt.Errorf("account: storing a code for a user of pool %s: %w", u.PoolID, err)
	}
	medium := mediumOf(attr)
	m, err := message.Render(c.pool, message.Params{
		Kind:        message.KindVerifyAttribute,
		Medium:      medium,
		Destination: value,
		Username:    u.Username,
		Code:        code,
	})
	if err != nil {
		return nil, fmt.Errorf("account: rendering a verification message for pool %s: %w", u.PoolID, err)
	}
	if err := s.customize(ctx, c, meta, m); err != nil {
		return nil, err
	}
	if err := s.deliver(ctx, c.pool, m); err != nil {
		return nil, err
	}
	return &cognitoidp.CodeDeliveryDetailsType{
		Destination:    api.Ptr(message.MaskDestination(medium, value)),
		DeliveryMedium: api.Ptr(medium),
		AttributeName:  api.Ptr(attr),
	}, nil
}

// customize lets the custom message hook rewrite m.
func (s *Service) customize(ctx context.Context, c *session, meta map[string]string, m *message.Message) error {
	m.ClientID, m.ClientMetadata = c.claims.ClientID, meta // for a custom sender trigger
	if s.customMessage == nil {
		return nil
	}
	ua := maps.Clone(c.user.Attributes)
	if ua == nil {
		ua = map[string]string{}
	}
	ua[attrs.Sub] = c.user.Sub
	ua["cognito:user_status"] = c.user.Status
	out, err := s.customMessage(ctx, &signup.CustomMessageInput{
		PoolID:          c.poolID(),
		ClientID:        c.claims.ClientID,
		Username:        c.user.Username,
		TriggerSource:   m.Kind.TriggerSource(),
		Medium:          m.Medium,
		UserAttributes:  ua,
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

// deliver hands a rendered message to the sender. A message the outbox
// recorded but SMTP or the SMS webhook refused is Cognito's
// CodeDeliveryFailureException; anything else is unexpected.
func (s *Service) deliver(ctx context.Context, up *cognitoidp.UserPoolType, m *message.Message) error {
	err := s.sender.Send(ctx, up, m)
	if err == nil {
		return nil
	}
	if !onlyDeliveryFailed(err) {
		return fmt.Errorf("account: sending a %s message for pool %s: %w", m.Kind, m.PoolID, err)
	}
	s.log.WarnContext(ctx, "code delivery failed", "pool", m.PoolID, "kind", string(m.Kind), "err", err)
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

// checkCode checks a code given for purpose: a missing (never sent, used or
// collected) or expired code is ExpiredCodeException, a wrong one
// CodeMismatchException (counted on the code).
func (s *Service) checkCode(ctx context.Context, u *storage.User, purpose, given string) (*storage.Code, error) {
	code, err := s.store.GetCode(ctx, u.PoolID, u.Key, purpose)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewExpiredCodeException(msgExpiredCode)
	}
	if err != nil {
		return nil, fmt.Errorf("account: reading a code of a user of pool %s: %w", u.PoolID, err)
	}
	if !s.clk.Now().Before(code.ExpiresAt) {
		return nil, cognitoidp.NewExpiredCodeException(msgExpiredCode)
	}
	if !message.CodeMatches(code.Hash, u.PoolID, u.Key, purpose, given) {
		if _, err := s.store.BumpCodeAttempts(ctx, u.PoolID, u.Key, purpose); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, fmt.Errorf("account: counting a wrong code of a user of pool %s: %w", u.PoolID, err)
		}
		return nil, cognitoidp.NewCodeMismatchException(msgCodeMismatch)
	}
	return code, nil
}
