package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math/big"
)

// Errors of the key exchange. The service answers all of them with
// NotAuthorizedException (Cognito does not say which check failed).
var (
	// ErrBadPublicValue: SRP_A (or SRP_B on the client) is not hex, is too
	// long, or is 0 mod N.
	ErrBadPublicValue = errors.New("srp: invalid public value")
	// ErrZeroU: the scrambling parameter u hashed to zero.
	ErrZeroU = errors.New("srp: u is zero")
)

// ServerSecretSize is the size in bytes of the server's secret exponent b.
// 256 bits keep the modular exponentiations short (about a millisecond each)
// while leaving the discrete logarithm of B as hard as the group allows at
// this security level.
const ServerSecretSize = 32

// maxPublicHexLen bounds SRP_A: the hex of a value below N is at most 768
// digits; leading zeros beyond a few bytes are refused rather than parsed.
const maxPublicHexLen = 1024

// ParsePublic parses a public value as the clients send it (SRP_A, SRP_B):
// hex digits only (either case, no sign or prefix, odd length allowed) of at
// most 1024 digits, whose value mod N is not 0. The value is returned as
// sent, not reduced mod N: u is computed over the client's own A.
func ParsePublic(s string) (*big.Int, error) {
	if s == "" || len(s) > maxPublicHexLen {
		return nil, ErrBadPublicValue
	}
	for i := 0; i < len(s); i++ {
		if _, ok := unhex(s[i]); !ok {
			return nil, ErrBadPublicValue
		}
	}
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return nil, ErrBadPublicValue
	}
	if !validPublic(v) {
		return nil, ErrBadPublicValue
	}
	return v, nil
}

func validPublic(v *big.Int) bool {
	if v == nil || v.Sign() <= 0 || v.BitLen() > 4*maxPublicHexLen {
		return false
	}
	return new(big.Int).Mod(v, nInt).Sign() != 0
}

// NewServerSession draws the server's secret b for a user (or device) with
// verifier v and returns it with the public value B = (k·v + g^b) mod N to
// send as SRP_B (hex: B.Text(16) or PadHex(B); clients parse either).
func NewServerSession(v *big.Int) (b, B *big.Int) {
	buf := make([]byte, ServerSecretSize)
	for {
		rand.Read(buf) // never returns an error (crypto/rand, Go 1.24+)
		b = new(big.Int).SetBytes(buf)
		if b.Sign() == 0 {
			continue
		}
		B = ServerPublic(v, b)
		if B.Sign() != 0 {
			return b, B
		}
	}
}

// ServerPublic returns B = (k·v + g^b) mod N for a given secret b (the
// deterministic half of NewServerSession, for tests and vectors).
func ServerPublic(v, b *big.Int) *big.Int {
	B := new(big.Int).Exp(gInt, b, nInt)
	kv := new(big.Int).Mul(kInt, v)
	B.Add(B, kv)
	return B.Mod(B, nInt)
}

// ServerKey derives the 16-byte session key K from the client's A, the
// server's B and b, and the verifier v. It refuses A ≡ 0 (mod N) and u = 0,
// the two checks SRP-6a requires of the server.
func ServerKey(A, B, b, v *big.Int) ([]byte, error) {
	if !validPublic(A) {
		return nil, ErrBadPublicValue
	}
	if B == nil || B.Sign() <= 0 || b == nil || b.Sign() <= 0 || v == nil || v.Sign() <= 0 {
		return nil, ErrBadPublicValue
	}
	u := hashInts(A, B)
	if u.Sign() == 0 {
		return nil, ErrZeroU
	}
	S := serverSecret(A, B, b, v, u)
	return sessionKey(S, u), nil
}

// serverSecret returns S = (A · v^u)^b mod N.
func serverSecret(A, B, b, v, u *big.Int) *big.Int {
	S := new(big.Int).Exp(v, u, nInt)
	S.Mul(S, A)
	S.Mod(S, nInt)
	return S.Exp(S, b, nInt)
}

// hkdfInfo is the HKDF info string of every Cognito client.
const hkdfInfo = "Caldera Derived Key"

// KeySize is the length of the derived session key K.
const KeySize = 16

// sessionKey is HKDF-SHA256 with PadHex(S) as the secret and PadHex(u) as
// the salt, one block, truncated to 16 bytes: PRK = HMAC(u, S);
// K = HMAC(PRK, info ‖ 0x01)[:16].
func sessionKey(S, u *big.Int) []byte {
	k, err := hkdf.Key(sha256.New, padBytes(S), padBytes(u), hkdfInfo, KeySize)
	if err != nil {
		panic("srp: hkdf: " + err.Error()) // only for lengths beyond 255 blocks
	}
	return k
}

// Signature returns the raw PASSWORD_CLAIM_SIGNATURE (before base64):
// HMAC-SHA256 keyed with K over poolName ‖ userID ‖ secretBlock ‖ timestamp.
// secretBlock is the decoded SECRET_BLOCK; timestamp is the client's
// TIMESTAMP string, verbatim. For devices poolName is the DeviceGroupKey and
// userID the DeviceKey. The parts are concatenated without separators, as the
// clients do ("poo"+"luser" signs like "pool"+"user"), so the server must take
// poolName and userID from its own state, never from the request.
func Signature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// CheckSignature reports whether claim, the client's base64
// PASSWORD_CLAIM_SIGNATURE, is the signature for these inputs. The
// comparison takes the same time wherever the first difference lies; a
// claim that is not standard base64 simply fails.
func CheckSignature(key []byte, poolName, userID string, secretBlock []byte, timestamp, claim string) bool {
	got, err := base64.StdEncoding.DecodeString(claim)
	if err != nil {
		return false
	}
	want := Signature(key, poolName, userID, secretBlock, timestamp)
	return hmac.Equal(got, want)
}
