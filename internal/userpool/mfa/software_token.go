package mfa

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/totp"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Software-token secrets are sealed with AES-256-GCM under a key every
// replica derives from the master key (purposeTOTP), bound to the pool and
// the user, so a sealed secret copied onto another user's record does not
// open.

func (s *Service) totpAEAD() cipher.AEAD {
	block, err := aes.NewCipher(s.totpKey)
	if err != nil {
		panic("mfa: " + err.Error()) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("mfa: " + err.Error())
	}
	return aead
}

func secretAAD(u *storage.User) []byte {
	return []byte("cogito/mfa/totp/v1\x00" + u.PoolID + "\x00" + u.Key)
}

func (s *Service) sealSecret(u *storage.User, secret []byte) []byte {
	return s.totpAEAD().Seal(nil, nil, secret, secretAAD(u))
}

func (s *Service) openSecret(u *storage.User, sealed []byte) ([]byte, error) {
	b, err := s.totpAEAD().Open(nil, nil, sealed, secretAAD(u))
	if err != nil {
		return nil, fmt.Errorf("mfa: the software token of a user of pool %s does not open: %w", u.PoolID, err)
	}
	return b, nil
}

// errCodeMismatch is checkTOTP's answer to a wrong or reused code.
var errCodeMismatch = errors.New("mfa: TOTP code mismatch")

// checkTOTP verifies code against u's software token in a compare-and-swap
// update that records the step it matched, so the same code (or an older
// one) is never accepted again. verify false requires a verified token (a
// sign-in); verify true checks a token being set up and, with enable, also
// turns TOTP on (MFA_SETUP). It returns errCodeMismatch for a wrong code.
func (s *Service) checkTOTP(ctx context.Context, u *storage.User, code string, setup bool, name string, enable bool) (*storage.User, error) {
	now := s.clock.Now()
	return s.updateState(ctx, u, func(fresh *storage.User, st *userState) error {
		t := st.Token
		if t == nil || (!setup && !t.Verified) {
			return cognitoidp.NewSoftwareTokenMFANotFoundException(msgNoSoftwareToken)
		}
		secret, err := s.openSecret(fresh, t.Secret)
		if err != nil {
			return err
		}
		step, ok := totp.Cognito.Verify(secret, code, now, totp.Window)
		if !ok || step <= t.LastStep {
			return errCodeMismatch
		}
		t.LastStep = step
		if setup {
			t.Verified = true
			if name != "" {
				t.Name = name
			}
			if enable {
				st.TOTP = true
				if st.Preferred == "" {
					st.Preferred = FactorTOTP
				}
			}
		}
		return nil
	})
}

// tokenCaller is who AssociateSoftwareToken / VerifySoftwareToken act for:
// by access token or by the Session of an MFA_SETUP challenge.
type tokenCaller struct {
	pool *cognitoidp.UserPoolType
	user *storage.User
	// session is the raw MFA_SETUP Session, "" with an access token.
	session string
	flow    *flowState // the challenge's state, with a Session
}

// caller authenticates the access token or the Session (exactly one).
func (s *Service) caller(ctx context.Context, accessToken, session *string) (*tokenCaller, error) {
	switch {
	case accessToken != nil && session != nil:
		return nil, cognitoidp.NewInvalidParameterException(msgTokenAndSession)
	case accessToken != nil:
		c, err := s.accounts.Authenticate(ctx, accessToken)
		if err != nil {
			return nil, err
		}
		return &tokenCaller{pool: c.Pool, user: c.User}, nil
	case session != nil:
		if s.sessions == nil {
			return nil, errors.New("mfa: no sign-in Sessions wired")
		}
		cs, err := s.sessions.OpenChallengeSession(ctx, *session, cognitoidp.ChallengeNameTypeMfaSetup)
		if err != nil {
			return nil, err
		}
		fs, err := decodeFlow(cs.Data)
		if err != nil {
			return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
		}
		up, err := pools.Load(ctx, s.store, cs.PoolID)
		if err != nil {
			return nil, err
		}
		u, err := s.store.GetUser(ctx, cs.PoolID, userKey(up, cs.Username))
		if errors.Is(err, storage.ErrNotFound) {
			return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("mfa: reading a user of pool %s: %w", cs.PoolID, err)
		}
		return &tokenCaller{pool: up, user: u, session: *session, flow: fs}, nil
	}
	return nil, cognitoidp.NewInvalidParameterException(msgTokenOrSession)
}

// AssociateSoftwareToken gives the user a new TOTP secret, by access token
// or during MFA_SETUP by Session (unsigned).
func (s *Service) AssociateSoftwareToken(ctx context.Context, in *cognitoidp.AssociateSoftwareTokenRequest) (*cognitoidp.AssociateSoftwareTokenResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.caller(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	if c.session != "" && !c.flow.offers(FactorTOTP) {
		return nil, cognitoidp.NewSoftwareTokenMFANotFoundException(msgTOTPNotEnabled)
	}
	if c.session == "" {
		pc, err := configFor(ctx, s.store, c.pool)
		if err != nil {
			return nil, err
		}
		if !pc.SoftwareToken {
			return nil, cognitoidp.NewSoftwareTokenMFANotFoundException(msgTOTPNotEnabled)
		}
	}
	secret := totp.NewSecret()
	now := s.clock.Now()
	if _, err := s.updateState(ctx, c.user, func(fresh *storage.User, st *userState) error {
		st.Token = &softwareToken{Secret: s.sealSecret(fresh, secret), Created: now}
		return nil
	}); err != nil {
		return nil, err
	}
	out := &cognitoidp.AssociateSoftwareTokenResponse{SecretCode: api.Ptr(totp.Encode(secret))}
	if c.session != "" {
		data, err := c.flow.encode()
		if err != nil {
			return nil, err
		}
		next, err := s.sessions.ReplaceChallengeSession(ctx, c.session, cognitoidp.ChallengeNameTypeMfaSetup, data)
		if err != nil {
			return nil, err
		}
		out.Session = api.Ptr(next)
	}
	s.log.DebugContext(ctx, "software token associated", "pool", c.user.PoolID, "by_session", c.session != "")
	return out, nil
}

// VerifySoftwareToken checks a code of the user's new TOTP secret and
// registers it, by access token or during MFA_SETUP by Session (unsigned).
func (s *Service) VerifySoftwareToken(ctx context.Context, in *cognitoidp.VerifySoftwareTokenRequest) (*cognitoidp.VerifySoftwareTokenResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.caller(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	if c.session != "" && !c.flow.offers(FactorTOTP) {
		return nil, cognitoidp.NewSoftwareTokenMFANotFoundException(msgTOTPNotEnabled)
	}
	st, err := loadState(c.user)
	if err != nil {
		return nil, err
	}
	if st.Token == nil {
		return nil, cognitoidp.NewSoftwareTokenMFANotFoundException(msgNoSoftwareToken)
	}
	now := s.clock.Now()
	failures := verifyFailureCounter(c.user)
	n, err := s.store.GetCounter(ctx, c.user.PoolID, failures, now)
	if err != nil {
		return nil, fmt.Errorf("mfa: reading a counter of pool %s: %w", c.user.PoolID, err)
	}
	if n.Value >= verifyFailureLimit {
		return nil, cognitoidp.NewTooManyRequestsException(msgTooManyAttempts)
	}
	_, err = s.checkTOTP(ctx, c.user, *in.UserCode, true, api.Deref(in.FriendlyDeviceName), c.session != "")
	if errors.Is(err, errCodeMismatch) {
		if _, err := s.store.IncrementCounter(ctx, c.user.PoolID, failures, now, now.Add(verifyFailureWindow)); err != nil {
			return nil, fmt.Errorf("mfa: counting a failure in pool %s: %w", c.user.PoolID, err)
		}
		return nil, cognitoidp.NewEnableSoftwareTokenMFAException(msgVerifyMismatch)
	}
	if err != nil {
		return nil, err
	}
	if err := s.store.ResetCounter(ctx, c.user.PoolID, failures); err != nil {
		s.log.WarnContext(ctx, "resetting a failure counter", "pool", c.user.PoolID, "err", err)
	}
	out := &cognitoidp.VerifySoftwareTokenResponse{Status: api.Ptr(cognitoidp.VerifySoftwareTokenResponseTypeSuccess)}
	if c.session != "" {
		c.flow.Setup = FactorTOTP
		data, err := c.flow.encode()
		if err != nil {
			return nil, err
		}
		next, err := s.sessions.ReplaceChallengeSession(ctx, c.session, cognitoidp.ChallengeNameTypeMfaSetup, data)
		if err != nil {
			return nil, err
		}
		out.Session = api.Ptr(next)
	}
	s.log.DebugContext(ctx, "software token verified", "pool", c.user.PoolID, "by_session", c.session != "")
	return out, nil
}

// verifyFailureCounter names the counter of a user's failed verifications.
func verifyFailureCounter(u *storage.User) string { return "mfa-verify-failures:" + u.Key }

// isCognito reports whether err is a Cognito (client-visible) error.
func isCognito(err error) bool {
	_, ok := awserr.As(err)
	return ok
}

// userKey is the store key of an internal username in pool up.
func userKey(up *cognitoidp.UserPoolType, username string) string {
	return schemaOf(up).Key(username)
}
