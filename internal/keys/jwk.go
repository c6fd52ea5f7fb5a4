package keys

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// publicJWK is the public half of a signing key as Cognito's JWKS shows it.
// Fields are in alphabetical order, as in Cognito's output.
type publicJWK struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// keyID derives a kid of the shape Cognito uses (standard base64 of a SHA-256:
// 44 characters ending in '='): the digest of the public key's PKIX DER form.
func keyID(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("keys: %w", err)
	}
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

func marshalJWK(kid string, pub *rsa.PublicKey) ([]byte, error) {
	return json.Marshal(publicJWK{
		Alg: Algorithm,
		E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		Kid: kid,
		Kty: "RSA",
		N:   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		Use: "sig",
	})
}

// parseJWK reads a stored public JWK and checks it names kid.
func parseJWK(b []byte, kid string) (*rsa.PublicKey, error) {
	var j publicJWK
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("keys: stored JWK: %w", err)
	}
	if j.Kty != "RSA" {
		return nil, fmt.Errorf("keys: stored JWK has kty %q, want RSA", j.Kty)
	}
	if j.Kid != kid {
		return nil, fmt.Errorf("keys: stored JWK names kid %q, the record %q", j.Kid, kid)
	}
	n, err := base64.RawURLEncoding.DecodeString(j.N)
	if err != nil || len(n) == 0 {
		return nil, errors.New("keys: stored JWK has a bad modulus")
	}
	e, err := base64.RawURLEncoding.DecodeString(j.E)
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, errors.New("keys: stored JWK has a bad exponent")
	}
	exp := new(big.Int).SetBytes(e).Int64()
	if exp < 3 || exp%2 == 0 {
		return nil, errors.New("keys: stored JWK has a bad exponent")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp)}, nil
}
