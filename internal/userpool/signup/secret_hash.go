package signup

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// SecretHash is the SECRET_HASH a client with a secret sends:
// base64(HMAC-SHA256(key = clientSecret, message = username + clientID))
// (reference facts §3.5).
func SecretHash(clientID, clientSecret, username string) string {
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(username))
	mac.Write([]byte(clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// CheckSecretHash checks the SecretHash (or SECRET_HASH) a request sent for
// username against every current secret of the client, in constant time
// per secret. A client without a secret needs none (and one sent is
// ignored); a client with one answers NotAuthorizedException when the hash
// is missing or matches none of its secrets.
func CheckSecretHash(client *clients.Client, username string, given *string) error {
	if !client.HasSecret() {
		return nil
	}
	if given == nil || *given == "" {
		return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgSecretNotReceived, client.ID))
	}
	got := []byte(*given)
	match := 0
	for _, sec := range client.Secrets {
		want := []byte(SecretHash(client.ID, sec.Value, username))
		match |= subtle.ConstantTimeCompare(want, got)
	}
	if match != 1 {
		return cognitoidp.NewNotAuthorizedException(fmt.Sprintf(msgSecretMismatch, client.ID))
	}
	return nil
}
