package users

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// mediumOf is the delivery medium of a contact attribute.
func mediumOf(attr string) cognitoidp.DeliveryMediumType {
	if attr == attrs.PhoneNumber {
		return message.SMS
	}
	return message.Email
}

// sendCode makes a code, keeps its hash for the user under purpose (with
// data as context, replacing an earlier code of that purpose), and sends it
// as a message of kind to dest by the medium of the contact attribute attr,
// after the custom message hook (with the request's ClientMetadata, meta).
// It returns what CodeDeliveryDetails shows.
func (s *Service) sendCode(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, kind message.Kind, purpose, attr, dest string, data []byte, meta map[string]string) (*cognitoidp.CodeDeliveryDetailsType, error) {
	code := message.NewCode()
	now := s.clk.Now()
	err := s.store.PutCode(ctx, &storage.Code{
		PoolID:    u.PoolID,
		UserKey:   u.Key,
		Purpose:   purpose,
		Hash:      message.HashCode(u.PoolID, u.Key, purpose, code),
		Data:      data,
		CreatedAt: now,
		ExpiresAt: now.Add(message.CodeTTL(kind)),
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, userNotFound() // deleted meanwhile
	}
	if err != nil {
		return nil, fmt.Errorf("users: storing a code for a user of pool %s: %w", u.PoolID, err)
	}
	medium := mediumOf(attr)
	m, err := message.Render(up, message.Params{
		Kind:        kind,
		Medium:      medium,
		Destination: dest,
		Username:    u.Username,
		Code:        code,
	})
	if err != nil {
		return nil, fmt.Errorf("users: rendering a %s message for pool %s: %w", kind, u.PoolID, err)
	}
	if err := s.customize(ctx, u, meta, m); err != nil {
		return nil, err
	}
	if err := s.deliver(ctx, up, m); err != nil {
		return nil, err
	}
	return &cognitoidp.CodeDeliveryDetailsType{
		Destination:    api.Ptr(message.MaskDestination(medium, dest)),
		DeliveryMedium: api.Ptr(medium),
		AttributeName:  api.Ptr(attr),
	}, nil
}

// deliver hands a rendered message to the sender. A message the outbox
// recorded but SMTP or the SMS webhook refused is Cognito's
// CodeDeliveryFailureException; anything else is unexpected.
func (s *Service) deliver(ctx context.Context, up *cognitoidp.UserPoolType, m *message.Message) error {
	err := s.sender.Send(ctx, up, m)
	if err == nil {
		return nil
	}
	var others []error
	delivery := false
	for _, e := range flatten(err) {
		if errors.Is(e, message.ErrDeliveryFailed) {
			delivery = true
			continue
		}
		others = append(others, e)
	}
	if len(others) > 0 {
		return fmt.Errorf("users: sending a %s message for pool %s: %w", m.Kind, m.PoolID, errors.Join(others...))
	}
	if delivery {
		s.log.WarnContext(ctx, "message delivery failed", "pool", m.PoolID, "kind", string(m.Kind), "err", err)
		if m.Medium == message.SMS {
			return cognitoidp.NewCodeDeliveryFailureException(msgSMSDeliveryFailed)
		}
		return cognitoidp.NewCodeDeliveryFailureException(msgEmailDeliveryFailed)
	}
	return nil
}

// flatten lists the errors an errors.Join holds (or err alone).
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
