package srp

import (
	"errors"
	"math/big"
	"time"
)

// Device SRP, the server half of DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER.
// The maths is the user exchange's with two substitutions: the "pool name"
// is the DeviceGroupKey and USER_ID_FOR_SRP is the DeviceKey; the verifier
// and salt are the ones the client registered with ConfirmDevice
// (ParseDeviceSecretVerifierConfig). As for users, the whole server state
// (A, B, b, whose device) is sealed into SECRET_BLOCK, so the answer is
// checked against nothing but the block and the stored verifier.

// ErrBadProof is VerifyDeviceAuth's answer to a PASSWORD_CLAIM_SIGNATURE
// that does not prove the device secret (or a block issued for another
// device).
var ErrBadProof = errors.New("srp: device proof does not verify")

// DeviceChallenge is the server's DEVICE_PASSWORD_VERIFIER challenge.
type DeviceChallenge struct {
	// Salt is the SALT parameter: SaltHex of the registered salt.
	Salt string
	// B is SRP_B (send B.Text(16)).
	B *big.Int
	// SecretBlock is the sealed state; send it base64-std encoded as
	// SECRET_BLOCK. The client signs over these bytes.
	SecretBlock []byte
}

// StartDeviceAuth answers DEVICE_SRP_AUTH for the device st.DeviceKey whose
// registered verifier is v and salt salt: it parses the client's SRP_A (see
// [ParsePublic]; ErrBadPublicValue), draws the server's secret, and seals
// st completed with A, B, b and IssuedAt = now under key (32 bytes, as
// [SealState]). st must name the device (DeviceKey) and should name the
// pool and user it belongs to, so the block is good for nothing else.
func StartDeviceAuth(key []byte, st State, srpA string, v *big.Int, salt []byte, now time.Time) (*DeviceChallenge, error) {
	if st.DeviceKey == "" {
		return nil, errors.New("srp: a device exchange needs the device key")
	}
	if v == nil || v.Sign() <= 0 || len(salt) == 0 {
		return nil, ErrBadVerifier
	}
	A, err := ParsePublic(srpA)
	if err != nil {
		return nil, err
	}
	b, B := NewServerSession(v)
	st.A, st.B, st.Secret, st.IssuedAt = A, B, b, now
	sealed, err := SealState(key, st)
	if err != nil {
		return nil, err
	}
	return &DeviceChallenge{Salt: SaltHex(salt), B: B, SecretBlock: sealed}, nil
}

// VerifyDeviceAuth checks a DEVICE_PASSWORD_VERIFIER answer: block is the
// decoded PASSWORD_CLAIM_SECRET_BLOCK, timestamp the TIMESTAMP verbatim and
// claim the base64 PASSWORD_CLAIM_SIGNATURE. The block must be one
// StartDeviceAuth sealed under key no longer than maxAge ago
// (ErrStateInvalid, ErrStateExpired) for deviceKey (ErrBadProof), and the
// claim must be the signature, keyed by the session key of v, over
// deviceGroupKey ‖ deviceKey ‖ block ‖ timestamp (ErrBadProof). It returns
// the opened state so the caller can check whose device it was. The
// timestamp's skew is the caller's to check ([CheckTimestamp]).
func VerifyDeviceAuth(key, block []byte, now time.Time, maxAge time.Duration, deviceGroupKey, deviceKey string, v *big.Int, timestamp, claim string) (State, error) {
	st, err := OpenState(key, block, now, maxAge)
	if err != nil {
		return State{}, err
	}
	if st.DeviceKey == "" || st.DeviceKey != deviceKey {
		return State{}, ErrBadProof
	}
	if !deviceProof(st, v, deviceGroupKey, block, timestamp, claim) {
		return State{}, ErrBadProof
	}
	return st, nil
}

// deviceProof reports whether claim proves knowledge of the device secret
// behind v for the exchange st (A, B, b) and the SECRET_BLOCK bytes block.
func deviceProof(st State, v *big.Int, deviceGroupKey string, block []byte, timestamp, claim string) bool {
	if v == nil || v.Sign() <= 0 {
		return false
	}
	k, err := ServerKey(st.A, st.B, st.Secret, v)
	if err != nil {
		return false
	}
	return CheckSignature(k, deviceGroupKey, st.DeviceKey, block, timestamp, claim)
}
