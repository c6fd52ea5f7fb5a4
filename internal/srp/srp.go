// Package srp is the SRP-6a variant that Amazon Cognito and its clients
// (Amplify JS, amazon-cognito-identity-js, pycognito, the mobile SDKs) speak
// for USER_SRP_AUTH and for remembered devices: pure arithmetic on math/big
// with SHA-256, HMAC-SHA256 and HKDF, matching the clients bit for bit
// (testdata/vectors.json is produced by the real client libraries).
//
// # Encoding rules
//
// Every big integer that is hashed goes through [PadHex] first: lowercase
// hex, a leading "0" when the length is odd, then "00" when the first digit
// is 8–f (Java's BigInteger.toByteArray sign byte); "hashing a hex string"
// means hashing the bytes it decodes to. Notably k = H(0x00‖N‖0x02): g is not
// padded to the length of N (unlike RFC 5054).
//
//	poolName = the user pool id after '_'      (device SRP: the DeviceGroupKey)
//	userID   = USER_ID_FOR_SRP, the internal username (device SRP: the DeviceKey)
//	x  = H( PadHex(salt) ‖ H(utf8(poolName ‖ userID ‖ ":" ‖ password)) )
//	v  = g^x mod N
//	B  = (k·v + g^b) mod N
//	u  = H( PadHex(A) ‖ PadHex(B) )
//	S  = (A · v^u)^b mod N                          (client: (B − k·g^x)^(a+u·x))
//	K  = HKDF-SHA256(secret=PadHex(S), salt=PadHex(u), info="Caldera Derived Key")[:16]
//	sig = HMAC-SHA256(K, utf8(poolName) ‖ utf8(userID) ‖ secretBlock ‖ utf8(TIMESTAMP))
//
// # Salts
//
// A salt is stored as bytes but enters the formula as an integer: x hashes
// the bytes of PadHex(int(salt)), and the SALT challenge parameter is that
// same PadHex string ([SaltHex]). The clients parse SALT back into an integer
// and apply padHex again (pycognito applies pad_hex to the string), which
// yields the identical string only because PadHex output is canonical (no
// redundant leading 00). So any byte string works as a salt — 16 random bytes
// whose top bit is set hash as 17 bytes (00 prefix), leading zero bytes are
// dropped — and client and server agree as long as the server always emits
// [SaltHex] of the stored bytes and computes x with [Verifier] on them.
// [NewSalt] returns salts already in canonical form, so the stored bytes are
// exactly the bytes hashed.
package srp

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
)

// NHex is the 3072-bit group prime of RFC 3526 / RFC 5054 that Cognito uses.
const NHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// G is the group generator.
const G = 2

// KHex is the multiplier k = H(PadHex(N) ‖ PadHex(g)) in hex; the package
// computes k from the formula and a test checks it equals this constant.
const KHex = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"

// SaltSize is the number of random bytes in a new salt (before
// canonicalisation), as Cognito's and the clients' 16-byte salts.
const SaltSize = 16

// The group, as read-only values: never hand these out without copying.
var (
	nInt = mustHex(NHex)
	gInt = big.NewInt(G)
	kInt = hashInts(nInt, gInt)
	// nHexLen bounds the hex length of a public value the server accepts.
	nHexLen = len(NHex)
)

func mustHex(s string) *big.Int {
	i, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad constant")
	}
	return i
}

// N returns a copy of the group prime.
func N() *big.Int { return new(big.Int).Set(nInt) }

// K returns a copy of the multiplier k.
func K() *big.Int { return new(big.Int).Set(kInt) }

// PadHex is the clients' padHex: the lowercase hex of i, with a leading "0"
// if its length is odd and then "00" if its first digit is 8–f. It is only
// defined for non-negative i and panics on a negative one (no value in this
// protocol is negative).
func PadHex(i *big.Int) string {
	if i.Sign() < 0 {
		panic("srp: PadHex of a negative integer")
	}
	h := i.Text(16)
	if len(h)%2 == 1 {
		h = "0" + h
	}
	if h[0] >= '8' {
		h = "00" + h
	}
	return h
}

// padBytes returns the bytes PadHex(i) decodes to: the big-endian magnitude
// (at least one byte), with a 0x00 prefix when its top bit is set.
func padBytes(i *big.Int) []byte {
	b := i.Bytes()
	if len(b) == 0 {
		return []byte{0}
	}
	if b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// HexHash returns the lowercase hex SHA-256 of the bytes h decodes to. It
// decodes the way the JavaScript clients do (Node's Buffer.from(h, "hex")):
// decoding stops at the first pair that is not hex, and a trailing odd
// nibble is dropped. Hex produced by PadHex is always decoded in full.
func HexHash(h string) string {
	sum := sha256.Sum256(lenientHex(h))
	return hex.EncodeToString(sum[:])
}

func lenientHex(h string) []byte {
	out := make([]byte, 0, len(h)/2)
	for i := 0; i+1 < len(h); i += 2 {
		hi, ok1 := unhex(h[i])
		lo, ok2 := unhex(h[i+1])
		if !ok1 || !ok2 {
			break
		}
		out = append(out, hi<<4|lo)
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// hashInts returns int(H(PadHex(a) ‖ PadHex(b))), the shape of k and u.
func hashInts(a, b *big.Int) *big.Int {
	h := sha256.New()
	h.Write(padBytes(a))
	h.Write(padBytes(b))
	return new(big.Int).SetBytes(h.Sum(nil))
}

// PoolName returns the part of a user pool id after the first '_' (the
// "pool name" the SRP formulas use), or the whole id if it has none.
func PoolName(userPoolID string) string {
	if _, after, ok := strings.Cut(userPoolID, "_"); ok {
		return after
	}
	return userPoolID
}

// canonicalSalt returns the bytes x is computed over for a stored salt.
func canonicalSalt(salt []byte) []byte {
	return padBytes(new(big.Int).SetBytes(salt))
}

// SaltHex returns the SALT challenge parameter for a stored salt:
// PadHex(int(salt)). See the package documentation for why this and not the
// plain hex of the bytes.
func SaltHex(salt []byte) string {
	return PadHex(new(big.Int).SetBytes(salt))
}

// NewSalt returns SaltSize random bytes in canonical form: the bytes of
// PadHex of their integer value (so 17 bytes when the top bit is set, fewer
// when leading bytes are zero). Storing these means the stored bytes are
// exactly the bytes hashed into x and hex-encoded into SALT.
func NewSalt() []byte {
	b := make([]byte, SaltSize)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	return canonicalSalt(b)
}

// privateKey computes x for poolName, userID and password under salt.
func privateKey(poolName, userID, password string, salt []byte) *big.Int {
	inner := sha256.New()
	inner.Write([]byte(poolName))
	inner.Write([]byte(userID))
	inner.Write([]byte{':'})
	inner.Write([]byte(password))
	outer := sha256.New()
	outer.Write(canonicalSalt(salt))
	outer.Write(inner.Sum(nil))
	return new(big.Int).SetBytes(outer.Sum(nil))
}

// Verifier returns v = g^x mod N for the password of userID in the pool
// whose pool name (see [PoolName]) is poolName, under salt. userID is
// USER_ID_FOR_SRP, the internal username. It costs one 3072-bit modular
// exponentiation with a 256-bit exponent (about a millisecond).
func Verifier(poolName, userID, password string, salt []byte) *big.Int {
	x := privateKey(poolName, userID, password, salt)
	return new(big.Int).Exp(gInt, x, nInt)
}

// NewVerifier returns a fresh canonical salt and the verifier of password
// under it.
func NewVerifier(poolName, userID, password string) (salt []byte, v *big.Int) {
	salt = NewSalt()
	return salt, Verifier(poolName, userID, password, salt)
}

// DeviceVerifier is Verifier with the device roles of the formulas:
// poolName is the DeviceGroupKey, userID the DeviceKey and password the
// device's random password (base64 of 40 random bytes in Amplify).
func DeviceVerifier(deviceGroupKey, deviceKey, devicePassword string, salt []byte) *big.Int {
	return Verifier(deviceGroupKey, deviceKey, devicePassword, salt)
}

// VerifierBytes returns the bytes of PadHex(v), the form clients send a
// device verifier in (ConfirmDevice's PasswordVerifier, base64 of these
// bytes) and a convenient storage form.
func VerifierBytes(v *big.Int) []byte { return padBytes(v) }

// ErrBadVerifier is returned for a verifier that is not an integer in
// [2, N-1] or a salt that is empty or too long.
var ErrBadVerifier = errors.New("srp: invalid verifier or salt")

// maxSaltLen bounds a client-supplied device salt (Amplify sends 16 or 17
// bytes).
const maxSaltLen = 128

// ParseVerifier reads a verifier from its big-endian bytes (any number of
// leading zero bytes) and checks that it is an element of the group other
// than 0 and 1.
func ParseVerifier(b []byte) (*big.Int, error) {
	if len(b) == 0 || len(b) > len(NHex)/2+8 {
		return nil, ErrBadVerifier
	}
	v := new(big.Int).SetBytes(b)
	if v.Cmp(big.NewInt(1)) <= 0 || v.Cmp(nInt) >= 0 {
		return nil, ErrBadVerifier
	}
	return v, nil
}

// ParseDeviceSecretVerifierConfig checks ConfirmDevice's
// DeviceSecretVerifierConfig after base64 decoding: Salt must be 1 to 128
// bytes and PasswordVerifier a group element (see [ParseVerifier]). The salt
// is returned as given; emit it as SALT with [SaltHex].
func ParseDeviceSecretVerifierConfig(passwordVerifier, salt []byte) (*big.Int, []byte, error) {
	if len(salt) == 0 || len(salt) > maxSaltLen {
		return nil, nil, ErrBadVerifier
	}
	v, err := ParseVerifier(passwordVerifier)
	if err != nil {
		return nil, nil, err
	}
	return v, append([]byte(nil), salt...), nil
}
