package federation

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// appleClientSecret is Sign in with Apple's client_secret: a JWT signed
// (ES256) with the developer's key (private_key, key_id), issued by the team
// (team_id) for the client (client_id), as Apple's documentation describes.
func appleClientSecret(d map[string]string, now time.Time) (string, error) {
	key, err := applePrivateKey(d["private_key"])
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithHeader(jose.HeaderKey("kid"), d["key_id"]))
	if err != nil {
		return "", fmt.Errorf("federation: Apple client secret: %w", err)
	}
	payload, _ := json.Marshal(map[string]any{
		"iss": d["team_id"], "iat": now.Unix(), "exp": now.Add(appleSecretLifetime).Unix(),
		"aud": appleAudience, "sub": d["client_id"],
	})
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("federation: Apple client secret: %w", err)
	}
	return obj.CompactSerialize()
}

// applePrivateKey reads a .p8 key: PEM, or its base64 body alone.
func applePrivateKey(s string) (*ecdsa.PrivateKey, error) {
	var der []byte
	if block, _ := pem.Decode([]byte(s)); block != nil {
		der = block.Bytes
	} else {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, errors.New("federation: Apple private_key is neither PEM nor base64")
		}
		der = b
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("federation: Apple private_key: %w", err)
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("federation: Apple private_key is not an EC key")
	}
	return ec, nil
}

// appleUser adds the name Apple posts (the user form field, sent at a user's
// first authorization only) to the claims: firstName, lastName and name.
func appleUser(claims map[string]any, user string) {
	if user == "" {
		return
	}
	var u struct {
		Name struct {
			FirstName string `json:"firstName"`
			LastName  string `json:"lastName"`
		} `json:"name"`
		Email string `json:"email"`
	}
	if json.Unmarshal([]byte(user), &u) != nil {
		return
	}
	set := func(k, v string) {
		if _, ok := claims[k]; !ok && v != "" {
			claims[k] = v
		}
	}
	set("firstName", u.Name.FirstName)
	set("lastName", u.Name.LastName)
	set("name", strings.TrimSpace(u.Name.FirstName+" "+u.Name.LastName))
	set("email", u.Email)
}
