package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// session is what a Session string seals: which sign-in of which user it
// continues, and the challenge it answers. Sessions are AES-256-GCM sealed
// under a key every replica derives from the master key, so any replica
// opens any replica's sessions and nobody else can make or alter one.
type session struct {
	PoolID    string                       `json:"p"`
	ClientID  string                       `json:"c"`
	Username  string                       `json:"u"` // internal username
	Challenge cognitoidp.ChallengeNameType `json:"ch"`
	Flow      cognitoidp.AuthFlowType      `json:"f,omitempty"`
	DeviceKey string                       `json:"d,omitempty"`
	IssuedAt  time.Time                    `json:"t"`
	Data      []byte                       `json:"x,omitempty"` // NextStep's, or the choice-based step's
	// Kind says which part of the package answers the session: kindStep
	// (NextStep and NEW_PASSWORD_REQUIRED), kindChoice (the steps of
	// choice-based sign-in), kindSignUp (sign-in after sign-up) or
	// kindCustom (custom authentication).
	Kind string `json:"k,omitempty"`
	// Factor is the sign-in's first factor (Attempt.FirstFactor); "" for
	// sessions sealed before it was recorded, which were all password
	// sign-ins.
	Factor string `json:"ff,omitempty"`
	// Ghost marks a choice-based sign-in of nobody (an unknown user, hidden
	// by PreventUserExistenceErrors): every answer fails.
	Ghost bool `json:"g,omitempty"`
	// Risk is threat protection's decision about the sign-in (risk.go).
	Risk *riskNote `json:"rk,omitempty"`
	// ACR is the authentication levels the sign-in asked for (acr.go).
	ACR string `json:"acr,omitempty"`
}

// Session kinds.
const (
	kindStep   = ""
	kindChoice = "choice"
	kindSignUp = "signup"
	// kindCustom: the steps of custom authentication (custom_auth.go).
	kindCustom = "custom"
)

// firstFactor is the session's first factor.
func (sess *session) firstFactor() string {
	if sess.Factor == "" {
		return FactorPassword
	}
	return sess.Factor
}

// sessionAAD binds sealed sessions to their purpose and format version.
var sessionAAD = []byte("cogito/auth-session/v1")

// Bounds of the Session member (model: 20–2048 characters).
const maxSessionLen = 2048

var sessionEncoding = base64.RawURLEncoding

func (s *Service) sessionAEAD() cipher.AEAD {
	block, err := aes.NewCipher(s.sessionKey)
	if err != nil {
		panic("auth: " + err.Error()) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("auth: " + err.Error())
	}
	return aead
}

// sealSession returns the Session string for sess.
func (s *Service) sealSession(sess *session) (string, error) {
	pt, err := json.Marshal(sess)
	if err != nil {
		return "", fmt.Errorf("auth: encoding a session: %w", err)
	}
	out := sessionEncoding.EncodeToString(s.sessionAEAD().Seal(nil, nil, pt, sessionAAD))
	if len(out) > maxSessionLen {
		return "", fmt.Errorf("%w: a %s session would be %d characters long", errSessionTooLong, sess.Challenge, len(out))
	}
	return out, nil
}

// openSession authenticates a Session string of call c for challenge:
// it must be ours, of c's client and pool, for that challenge, not expired
// (the client's AuthSessionValidity) and not used. It does not consume it
// (consumeSession does, once the step succeeded).
func (s *Service) openSession(ctx context.Context, c *call, raw string, challenge cognitoidp.ChallengeNameType) (*session, error) {
	return s.openSessionOf(ctx, c, raw, kindStep, challenge)
}

// openSessionOf is openSession for a session of the kind sealed for one of
// challenges.
func (s *Service) openSessionOf(ctx context.Context, c *call, raw string, kind string, challenges ...cognitoidp.ChallengeNameType) (*session, error) {
	invalid := cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	sess, err := s.peekSession(raw)
	if err != nil {
		return nil, invalid
	}
	if sess.PoolID != c.poolID() || sess.ClientID != c.client.ID || sess.Kind != kind ||
		!slices.Contains(challenges, sess.Challenge) || sess.Username == "" {
		return nil, invalid
	}
	now := s.clock.Now()
	if !now.Before(sess.IssuedAt.Add(c.client.AuthSessionValidity())) {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionExpired)
	}
	used, err := s.store.GetCounter(ctx, c.poolID(), sessionCounter(raw), now)
	if err != nil {
		return nil, fmt.Errorf("auth: checking a session of pool %s: %w", c.poolID(), err)
	}
	if used.Value > 0 {
		return nil, invalid
	}
	return sess, nil
}

// errBadSession is peekSession's answer to anything but a session we sealed.
var errBadSession = errors.New("auth: not a session")

// errSessionTooLong is sealSession's answer when the sealed session would
// exceed maxSessionLen (too much step data).
var errSessionTooLong = errors.New("auth: session data too large")

// peekSession unseals a Session string without checking what it is for,
// its age or its use (openSession does).
func (s *Service) peekSession(raw string) (*session, error) {
	if raw == "" || len(raw) > maxSessionLen {
		return nil, errBadSession
	}
	ct, err := sessionEncoding.DecodeString(raw)
	if err != nil {
		return nil, errBadSession
	}
	pt, err := s.sessionAEAD().Open(nil, nil, ct, sessionAAD)
	if err != nil {
		return nil, errBadSession
	}
	var sess session
	if err := json.Unmarshal(pt, &sess); err != nil {
		return nil, errBadSession
	}
	return &sess, nil
}

// consumeSession marks a session used; a session some other request used
// first is NotAuthorizedException.
func (s *Service) consumeSession(ctx context.Context, c *call, raw string, sess *session) error {
	return s.consume(ctx, c, sessionCounter(raw), sess.IssuedAt.Add(c.client.AuthSessionValidity()),
		cognitoidp.NewNotAuthorizedException(msgSessionInvalid))
}

// consume counts one use of a single-use token (a Session or SECRET_BLOCK)
// in the store, so replicas agree; the second use gets reused.
func (s *Service) consume(ctx context.Context, c *call, name string, expiresAt time.Time, reused error) error {
	now := s.clock.Now()
	if !expiresAt.After(now) {
		expiresAt = now.Add(time.Second)
	}
	n, err := s.store.IncrementCounter(ctx, c.poolID(), name, now, expiresAt)
	if err != nil {
		return fmt.Errorf("auth: consuming a single-use token of pool %s: %w", c.poolID(), err)
	}
	if n.Value != 1 {
		return reused
	}
	return nil
}

// sessionCounter names the use counter of a Session string.
func sessionCounter(raw string) string { return "auth-session:" + digest(raw) }

// digest is a short, fixed-length name for a secret string.
func digest(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}

// newSession seals sess (Username, Challenge and what else the step needs)
// as a session of call c issued now.
func (s *Service) newSession(c *call, sess session) (string, error) {
	if sess.Username == "" {
		return "", errors.New("auth: a session needs a user")
	}
	sess.PoolID = c.poolID()
	sess.ClientID = c.client.ID
	sess.IssuedAt = s.clock.Now()
	return s.sealSession(&sess)
}
