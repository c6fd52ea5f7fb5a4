package keys

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"time"
)

// certValidity is how long a signing certificate is valid. The API reference
// says of GetSigningCertificate: "The issued certificate is valid for 10 years
// from the date of issue."
const certValidityYears = 10

// selfSignedCert makes the pool's signing certificate for an active key.
// Everything in it derives from the key record, and RSA PKCS #1 v1.5
// signatures are deterministic, so the same key always gives the same bytes:
//   - serial: the first 16 bytes of SHA-256 of the kid (positive, non-zero);
//   - subject and issuer: CN={poolId} (unverified: the exact subject of
//     Cognito's certificate is not documented);
//   - validity: from the key's creation, truncated to the second, for 10 years.
func selfSignedCert(e *keyEntry) (string, error) {
	if e.priv == nil {
		return "", fmt.Errorf("keys: no private key for %s", e.kid)
	}
	sum := sha256.Sum256([]byte(e.kid))
	serial := new(big.Int).SetBytes(sum[:16])
	if serial.Sign() == 0 {
		serial.SetInt64(1)
	}
	notBefore := e.createdAt.UTC().Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: e.poolID},
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(certValidityYears, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		SignatureAlgorithm:    x509.SHA256WithRSA,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, e.pub, e.priv)
	if err != nil {
		return "", fmt.Errorf("keys: signing certificate for pool %s: %w", e.poolID, err)
	}
	return base64.StdEncoding.EncodeToString(der), nil
}
