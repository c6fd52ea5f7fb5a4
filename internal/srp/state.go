package srp

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"math/big"
	"time"
)

// State is the server's memory of one exchange between the challenge
// (InitiateAuth → PASSWORD_VERIFIER, or DEVICE_SRP_AUTH →
// DEVICE_PASSWORD_VERIFIER) and the client's answer. The answer may come
// without a Session (pycognito never sends one), and the answer does not
// repeat SRP_A, so the whole state travels inside SECRET_BLOCK, sealed with
// [SealState]: encrypted (b would let a reader recover the verifier from B)
// and authenticated (nobody may choose their own b or A).
type State struct {
	PoolID    string   // user pool id
	ClientID  string   // app client the challenge was issued to
	Username  string   // USER_ID_FOR_SRP, the internal username
	DeviceKey string   // set for device SRP, empty for user SRP
	A         *big.Int // client's public value (SRP_A), as sent
	B         *big.Int // server's public value (SRP_B)
	Secret    *big.Int // server's secret exponent b
	IssuedAt  time.Time
}

// StateKeySize is the size of the key that seals states (AES-256-GCM).
const StateKeySize = 32

// State errors. Callers answer both with NotAuthorizedException.
var (
	ErrStateInvalid = errors.New("srp: secret block is invalid")
	ErrStateExpired = errors.New("srp: secret block has expired")
)

const stateVersion = 1

// stateAAD binds sealed blocks to their purpose and format version.
var stateAAD = []byte("cogito/srp-state/v1")

// maxStateField bounds each variable-length field on both sides.
const maxStateField = 1024

// futureSkew is how far in the future IssuedAt may lie (clock steps between
// replicas) before a block is refused.
const futureSkew = time.Minute

func stateAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != StateKeySize {
		return nil, errors.New("srp: state key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// SealState encrypts and authenticates st under key (32 bytes) and returns
// the opaque bytes; the caller sends them base64-std encoded as
// SECRET_BLOCK and signs over the same bytes. A block stays valid for the
// maxAge its opener allows; replay within that window is the caller's to
// prevent (for instance by remembering a hash of used blocks).
func SealState(key []byte, st State) ([]byte, error) {
	aead, err := stateAEAD(key)
	if err != nil {
		return nil, err
	}
	if st.A == nil || st.B == nil || st.Secret == nil || st.A.Sign() <= 0 || st.B.Sign() <= 0 || st.Secret.Sign() <= 0 {
		return nil, errors.New("srp: state without A, B and b")
	}
	fields := [][]byte{
		[]byte(st.PoolID), []byte(st.ClientID), []byte(st.Username), []byte(st.DeviceKey),
		st.A.Bytes(), st.B.Bytes(), st.Secret.Bytes(),
	}
	pt := make([]byte, 0, 16+len(fields)*4+900)
	pt = append(pt, stateVersion)
	pt = binary.BigEndian.AppendUint64(pt, uint64(st.IssuedAt.UnixNano()))
	for _, f := range fields {
		if len(f) > maxStateField {
			return nil, errors.New("srp: state field too long")
		}
		pt = binary.AppendUvarint(pt, uint64(len(f)))
		pt = append(pt, f...)
	}
	return aead.Seal(nil, nil, pt, stateAAD), nil
}

// OpenState authenticates and decrypts a block made by SealState with the
// same key and checks its age against now: older than maxAge, or issued more
// than a minute in the future, is ErrStateExpired; anything else wrong is
// ErrStateInvalid.
func OpenState(key, sealed []byte, now time.Time, maxAge time.Duration) (State, error) {
	aead, err := stateAEAD(key)
	if err != nil {
		return State{}, err
	}
	if len(sealed) > 16*maxStateField {
		return State{}, ErrStateInvalid
	}
	pt, err := aead.Open(nil, nil, sealed, stateAAD)
	if err != nil {
		return State{}, ErrStateInvalid
	}
	if len(pt) < 9 || pt[0] != stateVersion {
		return State{}, ErrStateInvalid
	}
	issued := time.Unix(0, int64(binary.BigEndian.Uint64(pt[1:9]))).UTC()
	rest := pt[9:]
	var fields [7][]byte
	for i := range fields {
		n, w := binary.Uvarint(rest)
		if w <= 0 || n > maxStateField || n > uint64(len(rest)-w) {
			return State{}, ErrStateInvalid
		}
		fields[i] = rest[w : w+int(n)]
		rest = rest[w+int(n):]
	}
	if len(rest) != 0 {
		return State{}, ErrStateInvalid
	}
	st := State{
		PoolID:    string(fields[0]),
		ClientID:  string(fields[1]),
		Username:  string(fields[2]),
		DeviceKey: string(fields[3]),
		A:         new(big.Int).SetBytes(fields[4]),
		B:         new(big.Int).SetBytes(fields[5]),
		Secret:    new(big.Int).SetBytes(fields[6]),
		IssuedAt:  issued,
	}
	if st.A.Sign() == 0 || st.B.Sign() == 0 || st.Secret.Sign() == 0 {
		return State{}, ErrStateInvalid
	}
	age := now.Sub(issued)
	if age > maxAge || age < -futureSkew {
		return State{}, ErrStateExpired
	}
	return st, nil
}
