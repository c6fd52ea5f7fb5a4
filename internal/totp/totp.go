// Package totp implements time-based one-time passwords (RFC 6238, on HOTP of
// RFC 4226) as Cognito's software-token MFA uses them: HMAC-SHA-1, 6 digits,
// 30-second steps, and a window of one step either side of the server's
// clock. It is pure maths: remembering which step a user last used, so that
// a code is never accepted twice, is the caller's job (Verify returns the
// step that matched for that purpose).
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"
)

// Params are the algorithm's parameters.
type Params struct {
	// Digits is the code's length (6 to 10).
	Digits int
	// Period is the length of a time step.
	Period time.Duration
	// Hash is the HMAC hash (sha1.New, sha256.New, sha512.New).
	Hash func() hash.Hash
}

// Cognito is what Cognito's software-token MFA uses (and what authenticator
// apps assume for an otpauth:// URI without parameters): SHA-1, 6 digits,
// 30-second steps.
var Cognito = Params{Digits: 6, Period: 30 * time.Second, Hash: sha1.New}

// Window is how many steps either side of the current one Verify accepts by
// default: one, so a code typed at the end of its 30 seconds still works.
const Window = 1

// SecretSize is the size of a secret NewSecret makes: 32 bytes (256 bits),
// 52 characters in Base32, as long as the SecretCode Cognito hands out.
const SecretSize = 32

// MinSecretSize is the least a secret may have: 160 bits, RFC 4226's
// recommendation.
const MinSecretSize = 20

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a fresh random secret of SecretSize bytes.
func NewSecret() []byte {
	b := make([]byte, SecretSize)
	if _, err := rand.Read(b); err != nil { // crypto/rand does not fail
		panic("totp: crypto/rand: " + err.Error())
	}
	return b
}

// Encode returns a secret as authenticator apps take it: Base32 (RFC 4648),
// upper case, without padding.
func Encode(secret []byte) string { return encoding.EncodeToString(secret) }

// ErrBadSecret is Decode's answer to a string that is not Base32.
var ErrBadSecret = errors.New("totp: secret is not Base32")

// Decode reads a Base32 secret, accepting lower case, spaces and padding as
// people copy them.
func Decode(s string) ([]byte, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	s = strings.TrimRight(s, "=")
	b, err := encoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadSecret
	}
	return b, nil
}

// Step is the time step t falls in: the number of whole periods since the
// Unix epoch (RFC 6238's T with T0 = 0).
func (p Params) Step(t time.Time) int64 {
	return t.Unix() / int64(p.Period/time.Second)
}

// CodeAt is the code of step (HOTP with the step as counter).
func (p Params) CodeAt(secret []byte, step int64) string {
	mac := hmac.New(p.Hash, secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	// Dynamic truncation (RFC 4226 §5.3).
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint64(1)
	for range p.Digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", p.Digits, uint64(bin)%mod)
}

// Code is the code of the step t falls in.
func (p Params) Code(secret []byte, t time.Time) string {
	return p.CodeAt(secret, p.Step(t))
}

// Verify checks code against the steps from window before to window after
// the one t falls in, comparing every candidate in constant time. It returns
// the step that matched (the latest one, should two match), or ok false.
func (p Params) Verify(secret []byte, code string, t time.Time, window int) (step int64, ok bool) {
	if len(code) != p.Digits {
		return 0, false
	}
	now := p.Step(t)
	for s := now - int64(window); s <= now+int64(window); s++ {
		if subtle.ConstantTimeCompare([]byte(p.CodeAt(secret, s)), []byte(code)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok
}
