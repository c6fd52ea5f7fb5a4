package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// One-time passwords of choice-based sign-in (EMAIL_OTP, SMS_OTP): an
// otpLength-digit code goes to the user's verified email or phone number;
// the challenge's Session holds only its hash (sealed, so nobody can read or
// alter it), wrong answers are counted per session in the store, and the
// code dies with the session.

// otpState is what an EMAIL_OTP / SMS_OTP session carries.
type otpState struct {
	Hash []byte `json:"h,omitempty"` // message.HashCode of the code; none for a ghost
}

// otpSpace is 10^otpLength.
var otpSpace = new(big.Int).Exp(big.NewInt(10), big.NewInt(otpLength), nil)

// newOTP draws a code of otpLength digits from crypto/rand.
func newOTP() string {
	n, err := rand.Int(rand.Reader, otpSpace)
	if err != nil { // crypto/rand does not fail; it aborts the program instead
		panic("auth: crypto/rand: " + err.Error())
	}
	return fmt.Sprintf("%0*d", otpLength, n)
}

// otpPurpose separates the hashes of sign-in codes from every other code's.
func otpPurpose(factor cognitoidp.ChallengeNameType) string { return "SIGN_IN_OTP:" + string(factor) }

// otpTarget is where a factor's code goes: the medium and the attribute.
func otpTarget(factor cognitoidp.ChallengeNameType) (cognitoidp.DeliveryMediumType, string) {
	if factor == cognitoidp.ChallengeNameTypeSmsOtp {
		return message.SMS, attrs.PhoneNumber
	}
	return message.Email, attrs.Email
}

// otpCounter names the counter of wrong answers to a session.
func otpCounter(raw string) string { return "auth-otp:" + digest(raw) }

// startOTP sends a one-time password and answers its challenge. A ghost,
// and with ENABLED a user whose state forbids signing in, gets the same
// answer with nothing sent (a code that never matches).
func (s *Service) startOTP(ctx context.Context, c *call, ch *choice, factor cognitoidp.ChallengeNameType) (*result, error) {
	medium, attr := otpTarget(factor)
	silent := ch.ghost || c.hideExistence() && stateError(ch.user) != nil
	var dest string
	if ch.ghost {
		dest = ghostDestination(c.poolID(), ch.name, medium)
	} else {
		dest = ch.user.Attributes[attr]
	}
	code := newOTP()
	var st otpState
	if !silent {
		st.Hash = message.HashCode(c.poolID(), ch.user.Key, otpPurpose(factor), code)
	}
	data, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("auth: encoding a session: %w", err)
	}
	sealed, err := s.newSession(c, session{
		Username:  s.choiceUsername(c, ch),
		Challenge: factor,
		Flow:      cognitoidp.AuthFlowTypeUserAuth,
		DeviceKey: ch.deviceKey,
		Kind:      kindChoice,
		Factor:    string(factor),
		Ghost:     silent,
		Data:      data,
		ACR:       ch.acr,
	})
	if err != nil {
		return nil, err
	}
	if err := ch.finishStep(); err != nil {
		return nil, err
	}
	if !silent {
		if err := s.sendOTP(ctx, c, ch.user, medium, dest, code); err != nil {
			return nil, err
		}
	}
	return &result{
		challenge: factor,
		session:   sealed,
		parameters: map[string]string{
			pDeliveryMedium: string(medium),
			pDeliveryDest:   message.MaskDestination(medium, dest),
			pUsername:       s.choiceUsername(c, ch),
		},
	}, nil
}

// sendOTP renders the pool's authentication message with code, lets the
// custom message hook rewrite it, and sends it. A message that reached the
// outbox but could not be delivered is CodeDeliveryFailureException.
func (s *Service) sendOTP(ctx context.Context, c *call, u *storage.User, medium cognitoidp.DeliveryMediumType, dest, code string) error {
	p := message.Params{
		Kind:        message.KindAuthentication,
		Medium:      medium,
		Destination: dest,
		Username:    u.Username,
		Code:        code,
	}
	if medium == message.Email && s.emailTmpl != nil {
		t, err := s.emailTmpl(ctx, c.pool)
		if err != nil {
			return fmt.Errorf("auth: reading the email template of pool %s: %w", c.poolID(), err)
		}
		p.EmailMFA = t
	}
	m, err := message.Render(c.pool, p)
	if err != nil {
		return fmt.Errorf("auth: rendering a sign-in code message: %w", err)
	}
	if s.customMsg != nil {
		userAttrs := maps.Clone(u.Attributes)
		if userAttrs == nil {
			userAttrs = map[string]string{}
		}
		userAttrs[attrs.Sub] = u.Sub
		userAttrs["cognito:user_status"] = u.Status
		out, err := s.customMsg(ctx, &signup.CustomMessageInput{
			PoolID:          c.poolID(),
			ClientID:        c.client.ID,
			Username:        u.Username,
			TriggerSource:   m.Kind.TriggerSource(),
			Medium:          m.Medium,
			UserAttributes:  userAttrs,
			CodeParameter:   message.CodePlaceholder,
			ClientMetadata:  c.metadata,
			SubjectTemplate: m.SubjectTemplate,
			BodyTemplate:    m.BodyTemplate,
		})
		if err != nil {
			return err
		}
		if out != nil {
			m.OverrideFromTrigger(out.EmailSubject, out.EmailMessage, out.SMSMessage)
		}
	}
	if err := s.sender.Send(ctx, c.pool, m); err != nil {
		if !onlyDeliveryFailed(err) {
			return fmt.Errorf("auth: sending a sign-in code: %w", err)
		}
		s.log.WarnContext(ctx, "sign-in code delivery failed", "pool", c.poolID(), "err", err)
		if medium == message.SMS {
			return cognitoidp.NewCodeDeliveryFailureException(msgSMSDeliveryFailed)
		}
		return cognitoidp.NewCodeDeliveryFailureException(msgEmailDeliveryFailed)
	}
	return nil
}

// onlyDeliveryFailed reports whether every error joined in err is a
// delivery failure (the message is in the outbox).
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

// ghostDestination is where a ghost's code "went": the name itself when it
// is an email address or phone number of the medium, else one made up from
// the pool and name, the same every time.
func ghostDestination(poolID, name string, medium cognitoidp.DeliveryMediumType) string {
	if medium == message.Email && attrs.ValidEmail(name) || medium == message.SMS && attrs.ValidPhone(name) {
		return name
	}
	sum := sha256.Sum256([]byte(poolID + "\x00" + name))
	if medium == message.SMS {
		digits := make([]byte, 10)
		for i := range digits {
			digits[i] = '0' + sum[i]%10
		}
		return "+1" + string(digits)
	}
	letter := func(b byte) string { return string(rune('a' + b%26)) }
	return letter(sum[0]) + "@" + letter(sum[1]) + ".com"
}

// verifyOTP checks the answer to EMAIL_OTP / SMS_OTP.
func (s *Service) verifyOTP(ctx context.Context, c *call, ch *choice, sess *session, raw string, factor cognitoidp.ChallengeNameType, responses map[string]string) (*result, error) {
	param := pEmailOTPCode
	if factor == cognitoidp.ChallengeNameTypeSmsOtp {
		param = pSMSOTPCode
	}
	code, err := required(responses, param)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	expires := sess.IssuedAt.Add(c.client.AuthSessionValidity())
	tries, err := s.store.GetCounter(ctx, c.poolID(), otpCounter(raw), now)
	if err != nil {
		return nil, fmt.Errorf("auth: reading the code attempts of a session of pool %s: %w", c.poolID(), err)
	}
	if tries.Value >= otpMaxAttempts {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	var st otpState
	if err := json.Unmarshal(sess.Data, &st); err != nil {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	ok := !ch.ghost && len(st.Hash) > 0 &&
		subtle.ConstantTimeCompare(st.Hash, message.HashCode(c.poolID(), ch.user.Key, otpPurpose(factor), code)) == 1
	if !ok {
		if _, err := s.store.IncrementCounter(ctx, c.poolID(), otpCounter(raw), now, expires); err != nil {
			return nil, fmt.Errorf("auth: counting a wrong code of pool %s: %w", c.poolID(), err)
		}
		mismatch := cognitoidp.NewCodeMismatchException(msgCodeMismatch)
		if ch.ghost {
			return nil, mismatch
		}
		if err := s.countFailure(ctx, ch.user); err != nil {
			return nil, err
		}
		s.log.Debug("sign-in failed: wrong one-time password", "pool", c.poolID(), "client", c.client.ID)
		return nil, s.failSignIn(ctx, c, ch.user, mismatch, factorChallenge(string(factor), false))
	}
	if err := ch.finishStep(); err != nil {
		return nil, err
	}
	return s.factorVerified(ctx, c, s.choiceAttempt(c, ch, responses, string(factor)), ch.failures)
}
