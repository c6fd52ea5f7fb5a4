package message

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"math/big"
)

// Code purposes: what a stored code (storage.Code.Purpose) confirms. A hash
// made for one purpose never matches another.
const (
	PurposeSignUp         = "SIGN_UP"         // ConfirmSignUp (SignUp, ResendConfirmationCode)
	PurposeForgotPassword = "FORGOT_PASSWORD" // ConfirmForgotPassword
	PurposeAuthentication = "AUTHENTICATION"  // SMS/email MFA and OTP sign-in
)

// PurposeVerifyAttribute is the purpose of a code verifying one attribute
// ("email", "phone_number").
func PurposeVerifyAttribute(attribute string) string { return "VERIFY_ATTRIBUTE:" + attribute }

var codeSpace = big.NewInt(1_000_000) // 10^CodeLength

// NewCode returns a fresh code of CodeLength decimal digits, uniformly drawn
// from crypto/rand.
func NewCode() string {
	n, err := rand.Int(rand.Reader, codeSpace)
	if err != nil { // crypto/rand does not fail; it aborts the program instead
		panic("message: crypto/rand: " + err.Error())
	}
	return fmt.Sprintf("%0*d", CodeLength, n.Int64())
}

// codeHashDomain separates code hashes from every other SHA-256 use.
const codeHashDomain = "cogito/message/code/v1"

// HashCode returns the hash a code is kept as: SHA-256 over a domain tag
// and the length-prefixed pool id, user key, purpose and code, so the same
// code for another user, pool or purpose hashes differently.
//
// It takes no secret key on purpose: several Cogito replicas share one
// database and must agree without sharing anything else, and a key would not
// protect a code of 10^6 possibilities from whoever reads the database
// anyway. What protects codes is their short life (CodeTTL), the attempt
// counter and one-time use; the hash only keeps plaintext codes out of the
// store, its dumps and its logs.
func HashCode(poolID, userKey, purpose, code string) []byte {
	h := sha256.New()
	var n [4]byte
	for _, s := range []string{codeHashDomain, poolID, userKey, purpose, code} {
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	return h.Sum(nil)
}

// CodeMatches reports, in constant time, whether code is the one hash was
// made from for this pool, user and purpose. The code is compared exactly
// as given.
func CodeMatches(hash []byte, poolID, userKey, purpose, code string) bool {
	want := HashCode(poolID, userKey, purpose, code)
	return subtle.ConstantTimeCompare(hash, want) == 1
}
