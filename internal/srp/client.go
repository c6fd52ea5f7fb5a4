package srp

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"math/big"
	"time"
)

// ClientSecretSize is the size of the client's secret a: Amplify and
// amazon-cognito-identity-js draw 128 random bytes.
const ClientSecretSize = 128

// ClientSession is the client half of one exchange, computed as Amplify JS
// and amazon-cognito-identity-js compute it. Cogito uses it in its own tests
// and end-to-end checks; the server never needs it.
type ClientSession struct {
	poolName string
	a, A     *big.Int
}

// NewClientSession starts an exchange for the pool whose pool name is
// poolName (for device SRP: the DeviceGroupKey) with a fresh random a.
func NewClientSession(poolName string) *ClientSession {
	buf := make([]byte, ClientSecretSize)
	for {
		rand.Read(buf) // never returns an error (crypto/rand, Go 1.24+)
		c, err := NewClientSessionWithSecret(poolName, new(big.Int).SetBytes(buf))
		if err == nil {
			return c
		}
	}
}

// NewClientSessionWithSecret starts an exchange with a given secret a (for
// test vectors). It fails if a is not positive or A = g^a is 0 mod N.
func NewClientSessionWithSecret(poolName string, a *big.Int) (*ClientSession, error) {
	if a == nil || a.Sign() <= 0 {
		return nil, ErrBadPublicValue
	}
	A := new(big.Int).Exp(gInt, a, nInt)
	if A.Sign() == 0 {
		return nil, ErrBadPublicValue
	}
	return &ClientSession{poolName: poolName, a: new(big.Int).Set(a), A: A}, nil
}

// Public returns a copy of A.
func (c *ClientSession) Public() *big.Int { return new(big.Int).Set(c.A) }

// PublicHex returns SRP_A as the clients send it: plain lowercase hex of A,
// which may have odd length.
func (c *ClientSession) PublicHex() string { return c.A.Text(16) }

// Key derives K from the server's challenge: userID is USER_ID_FOR_SRP (for
// devices: the DeviceKey), saltHex and srpB the SALT and SRP_B challenge
// parameters, parsed into integers as Amplify parses them.
func (c *ClientSession) Key(userID, password, saltHex, srpB string) ([]byte, error) {
	salt, ok := new(big.Int).SetString(saltHex, 16)
	if !ok || salt.Sign() < 0 || saltHex == "" || saltHex[0] == '-' || saltHex[0] == '+' {
		return nil, errors.New("srp: SALT is not hex")
	}
	B, err := ParsePublic(srpB)
	if err != nil {
		return nil, err
	}
	u := hashInts(c.A, B)
	if u.Sign() == 0 {
		return nil, ErrZeroU
	}
	x := privateKey(c.poolName, userID, password, padBytes(salt))
	S := c.secret(B, x, u)
	return sessionKey(S, u), nil
}

// secret returns S = (B − k·g^x)^(a + u·x) mod N.
func (c *ClientSession) secret(B, x, u *big.Int) *big.Int {
	gx := new(big.Int).Exp(gInt, x, nInt)
	base := new(big.Int).Mul(kInt, gx)
	base.Sub(B, base)
	base.Mod(base, nInt) // Euclidean: never negative
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, c.a)
	return base.Exp(base, exp, nInt)
}

// ClaimResponse is what a client sends back for PASSWORD_VERIFIER or
// DEVICE_PASSWORD_VERIFIER, besides USERNAME and DEVICE_KEY.
type ClaimResponse struct {
	SecretBlock string // PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK echoed
	Timestamp   string // TIMESTAMP
	Signature   string // PASSWORD_CLAIM_SIGNATURE (base64)
}

// Respond answers a PASSWORD_VERIFIER challenge the way Amplify does: key
// from SALT and SRP_B, TIMESTAMP from now, signature over the decoded
// SECRET_BLOCK. userID is USER_ID_FOR_SRP (devices: the DeviceKey).
func (c *ClientSession) Respond(userID, password, saltHex, srpB, secretBlock string, now time.Time) (ClaimResponse, error) {
	key, err := c.Key(userID, password, saltHex, srpB)
	if err != nil {
		return ClaimResponse{}, err
	}
	block, err := base64.StdEncoding.DecodeString(secretBlock)
	if err != nil {
		return ClaimResponse{}, errors.New("srp: SECRET_BLOCK is not base64")
	}
	ts := FormatTimestamp(now)
	sig := Signature(key, c.poolName, userID, block, ts)
	return ClaimResponse{
		SecretBlock: secretBlock,
		Timestamp:   ts,
		Signature:   base64.StdEncoding.EncodeToString(sig),
	}, nil
}

// DeviceSecret is what a client creates for a new device before
// ConfirmDevice: a random password that never leaves the device, and the
// salt and verifier it registers.
type DeviceSecret struct {
	Password string   // base64 of 40 random bytes
	Salt     []byte   // canonical salt bytes
	Verifier *big.Int // g^x for DeviceGroupKey, DeviceKey, Password
}

// NewDeviceSecret creates a device secret as Amplify does for the device
// deviceKey in group deviceGroupKey.
func NewDeviceSecret(deviceGroupKey, deviceKey string) DeviceSecret {
	raw := make([]byte, 40)
	rand.Read(raw) // never returns an error (crypto/rand, Go 1.24+)
	pw := base64.StdEncoding.EncodeToString(raw)
	salt := NewSalt()
	return DeviceSecret{Password: pw, Salt: salt, Verifier: DeviceVerifier(deviceGroupKey, deviceKey, pw, salt)}
}

// Config returns ConfirmDevice's DeviceSecretVerifierConfig members:
// PasswordVerifier (base64 of PadHex(v) bytes) and Salt (base64 of the salt
// bytes).
func (d DeviceSecret) Config() (passwordVerifier, salt string) {
	return base64.StdEncoding.EncodeToString(VerifierBytes(d.Verifier)),
		base64.StdEncoding.EncodeToString(d.Salt)
}

// String hides the device password.
func (d DeviceSecret) String() string { return "srp.DeviceSecret{REDACTED}" }
