package signup

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// target is where a code goes: an attribute and its value.
type target struct {
	Attribute string `json:"attribute"` // attrs.Email or attrs.PhoneNumber
	Value     string `json:"value"`
}

func (t target) medium() cognitoidp.DeliveryMediumType {
	if t.Attribute == attrs.PhoneNumber {
		return message.SMS
	}
	return message.Email
}

// details is the CodeDeliveryDetails naming t, its destination masked.
func (t target) details() *cognitoidp.CodeDeliveryDetailsType {
	m := t.medium()
	return &cognitoidp.CodeDeliveryDetailsType{
		Destination:    api.Ptr(message.MaskDestination(m, t.Value)),
		DeliveryMedium: api.Ptr(m),
		AttributeName:  api.Ptr(t.Attribute),
	}
}

// signUpTarget is where a sign-up code goes: the user's phone number if the
// pool auto-verifies phone numbers, else the email if it auto-verifies
// emails (see defaults.go). ok is false when neither applies.
func signUpTarget(schema *attrs.Schema, values map[string]string) (target, bool) {
	for _, a := range []string{attrs.PhoneNumber, attrs.Email} {
		if schema.AutoVerified[a] && values[a] != "" {
			return target{Attribute: a, Value: values[a]}, true
		}
	}
	return target{}, false
}

// errAdminOnly and errNoContact are the two ways recoveryTarget fails.
var (
	errAdminOnly = errors.New("recovery by administrator only")
	errNoContact = errors.New("no verified contact")
)

// recoveryTarget is where a forgot-password code goes: the first verified
// contact in the order of the pool's AccountRecoverySetting, or, without
// one, a verified phone number before a verified email.
func recoveryTarget(pool *cognitoidp.UserPoolType, values map[string]string) (target, error) {
	order := []cognitoidp.RecoveryOptionNameType{
		cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber,
		cognitoidp.RecoveryOptionNameTypeVerifiedEmail,
	}
	if rs := pool.AccountRecoverySetting; rs != nil && len(rs.RecoveryMechanisms) > 0 {
		mechs := slices.Clone(rs.RecoveryMechanisms)
		slices.SortStableFunc(mechs, func(a, b cognitoidp.RecoveryOptionType) int {
			return cmp.Compare(api.Deref(a.Priority), api.Deref(b.Priority))
		})
		order = order[:0]
		for _, m := range mechs {
			order = append(order, api.Deref(m.Name))
		}
	}
	for _, name := range order {
		var a string
		switch name {
		case cognitoidp.RecoveryOptionNameTypeAdminOnly:
			return target{}, errAdminOnly
		case cognitoidp.RecoveryOptionNameTypeVerifiedEmail:
			a = attrs.Email
		case cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber:
			a = attrs.PhoneNumber
		default:
			continue
		}
		if values[a] != "" && values[a+"_verified"] == "true" {
			return target{Attribute: a, Value: values[a]}, nil
		}
	}
	return target{}, errNoContact
}

// simulatedDetails is the CodeDeliveryDetails answered, with
// PreventUserExistenceErrors, for a user that gets no code: the medium
// follows the name's format (an email or a phone number is masked as
// given), else the pool's preference (preferPhone); the destination of a
// plain username is made up, the same every time for the same pool and name.
func simulatedDetails(poolID, name string, preferPhone bool) *cognitoidp.CodeDeliveryDetailsType {
	switch {
	case attrs.ValidEmail(name):
		return target{Attribute: attrs.Email, Value: name}.details()
	case attrs.ValidPhone(name):
		return target{Attribute: attrs.PhoneNumber, Value: name}.details()
	}
	sum := sha256.Sum256([]byte(poolID + "\x00" + name))
	if preferPhone {
		digits := make([]byte, 10)
		for i := range digits {
			digits[i] = '0' + sum[i]%10
		}
		return target{Attribute: attrs.PhoneNumber, Value: "+1" + string(digits)}.details()
	}
	letter := func(b byte) string { return string(rune('a' + b%26)) }
	return target{Attribute: attrs.Email, Value: letter(sum[0]) + "@" + letter(sum[1]) + ".com"}.details()
}

// codeSend describes one code to make, keep and send.
type codeSend struct {
	user    *storage.User
	kind    message.Kind
	purpose string
	to      target
	meta    map[string]string // ClientMetadata, for the custom message hook
}

// sendCode makes a code, stores its hash (replacing the user's previous
// code for the purpose; the target rides along in Data), renders the
// message from the pool's templates, lets the custom message hook rewrite
// it and sends it. It returns the CodeDeliveryDetails to answer.
//
// A message that reached the outbox but could not be delivered by SMTP or
// the SMS webhook is CodeDeliveryFailureException; the code stays valid
// and readable in the outbox (and a SignUp's user stays created), as
// Cognito keeps the user when it cannot deliver.
func (s *Service) sendCode(ctx context.Context, c *call, cs codeSend) (*cognitoidp.CodeDeliveryDetailsType, error) {
	code := message.NewCode()
	now := s.clock.Now()
	data, err := json.Marshal(cs.to)
	if err != nil {
		return nil, fmt.Errorf("signup: encoding code target: %w", err)
	}
	err = s.store.PutCode(ctx, &storage.Code{
		PoolID:    c.poolID(),
		UserKey:   cs.user.Key,
		Purpose:   cs.purpose,
		Hash:      message.HashCode(c.poolID(), cs.user.Key, cs.purpose, code),
		Data:      data,
		CreatedAt: now,
		ExpiresAt: now.Add(message.CodeTTL(cs.kind)),
	})
	if err != nil {
		return nil, fmt.Errorf("signup: storing %s code of user %q: %w", cs.purpose, cs.user.Key, err)
	}
	params := message.Params{
		Kind:        cs.kind,
		Medium:      cs.to.medium(),
		Destination: cs.to.Value,
		Username:    cs.user.Username,
		Code:        code,
	}
	if cs.kind == message.KindSignUp || cs.kind == message.KindResendCode {
		params.LinkURL = s.linkURL(ctx, c.poolID(), c.client.ID, cs.user.Username, code)
	}
	m, err := message.Render(c.pool, params)
	if err != nil {
		return nil, fmt.Errorf("signup: rendering %s message: %w", cs.kind, err)
	}
	if err := s.customize(ctx, c, cs.user.Username, eventAttributes(cs.user), cs.meta, m); err != nil {
		return nil, err
	}
	if err := s.sender.Send(ctx, c.pool, m); err != nil {
		if !onlyDeliveryFailed(err) {
			return nil, fmt.Errorf("signup: sending %s message: %w", cs.kind, err)
		}
		s.log.WarnContext(ctx, "code delivery failed", "pool", c.poolID(), "kind", string(cs.kind), "err", err)
		if m.Medium == message.SMS {
			return nil, cognitoidp.NewCodeDeliveryFailureException(msgSMSDeliveryFailed)
		}
		return nil, cognitoidp.NewCodeDeliveryFailureException(msgEmailDeliveryFailed)
	}
	return cs.to.details(), nil
}

// onlyDeliveryFailed reports whether every error joined in err is a
// delivery failure: the message is in the outbox, SMTP or the SMS webhook
// refused it.
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

// checkCode checks a code the user sent for purpose: ExpiredCodeException
// when there is none or it expired, CodeMismatchException when it is wrong
// (counting the attempt). It returns the stored code, still in place; the
// caller consumes it with consumeCode once the operation can succeed.
func (s *Service) checkCode(ctx context.Context, c *call, u *storage.User, purpose, given string) (*storage.Code, error) {
	code, err := s.store.GetCode(ctx, c.poolID(), u.Key, purpose)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewExpiredCodeException(msgExpiredCode)
	}
	if err != nil {
		return nil, fmt.Errorf("signup: reading %s code of user %q: %w", purpose, u.Key, err)
	}
	if !s.clock.Now().Before(code.ExpiresAt) {
		return nil, cognitoidp.NewExpiredCodeException(msgExpiredCode)
	}
	if !message.CodeMatches(code.Hash, c.poolID(), u.Key, purpose, given) {
		if _, err := s.store.BumpCodeAttempts(ctx, c.poolID(), u.Key, purpose); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, fmt.Errorf("signup: counting a wrong %s code of user %q: %w", purpose, u.Key, err)
		}
		return nil, cognitoidp.NewCodeMismatchException(msgCodeMismatch)
	}
	return code, nil
}

// consumeCode deletes a checked code; a code another call consumed first
// is ExpiredCodeException, so each code works once.
func (s *Service) consumeCode(ctx context.Context, c *call, u *storage.User, purpose string) error {
	err := s.store.DeleteCode(ctx, c.poolID(), u.Key, purpose)
	if errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewExpiredCodeException(msgExpiredCode)
	}
	if err != nil {
		return fmt.Errorf("signup: consuming %s code of user %q: %w", purpose, u.Key, err)
	}
	return nil
}

// codeTarget decodes where a stored code was sent (zero when unknown).
func codeTarget(code *storage.Code) target {
	var t target
	if len(code.Data) > 0 {
		_ = json.Unmarshal(code.Data, &t)
	}
	return t
}
