// Package ids generates and checks the identifiers Cognito hands out: user pool
// ids, app client ids and secrets, subs, device keys, identity pool ids and
// request ids. Every random character comes from crypto/rand, drawn without
// modulo bias.
package ids

import (
	"crypto/rand"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// Lengths of the random parts.
const (
	// PoolSuffixLen is the length of the part after "{region}_" in a user pool id.
	// Real pool ids carry 9 alphanumerics (typical; not a documented rule).
	PoolSuffixLen = 9
	// ClientIDLen is the length of an app client id (26 lowercase alphanumerics, as observed).
	ClientIDLen = 26
	// ClientSecretLen is the length of a generated client secret. The model allows 24–64
	// characters of [\w+]; observed Cognito secrets are about 51 lowercase alphanumerics.
	ClientSecretLen = 51
	// MaxUserPoolIDLen is the model's length limit on UserPoolIdType.
	MaxUserPoolIDLen = 55
)

// randomString returns n characters drawn uniformly from alphabet (at most 256
// symbols). Bytes that would bias the draw are rejected and redrawn.
func randomString(alphabet string, n int) string {
	size := len(alphabet)
	// Accept bytes below the largest multiple of size that fits in a byte.
	limit := 256 - 256%size
	out := make([]byte, 0, n)
	// Over-read a little so one rand.Read usually suffices.
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails (it aborts the program instead)
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, alphabet[int(b)%size])
			if len(out) == n {
				break
			}
		}
	}
	return string(out)
}

// UserPoolID returns a new user pool id, "{region}_{9 alphanumerics}", e.g.
// "us-east-1_AbCdEfGhI".
func UserPoolID(region string) string {
	return region + "_" + randomString(alnum, PoolSuffixLen)
}

// ClientID returns a new app client id: 26 characters of [a-z0-9].
func ClientID() string {
	return randomString(lowerAlnum, ClientIDLen)
}

// ClientSecret returns a new app client secret: 51 characters of [a-z0-9]
// (about 263 bits of entropy).
func ClientSecret() string {
	return randomString(lowerAlnum, ClientSecretLen)
}

// ClientSecretID returns the id of a client secret made by
// AddUserPoolClientSecret (or the secret CreateUserPoolClient generates).
// The API reference documents the format "<client-id>--<epoch-create-time>";
// the unit of the epoch time is not documented (unverified: we use
// milliseconds so two secrets made within one second still differ).
func ClientSecretID(clientID string, created time.Time) string {
	return clientID + "--" + strconv.FormatInt(created.UnixMilli(), 10)
}

// newUUID returns a random (version 4) UUID in lowercase canonical form.
func newUUID() string {
	u, err := uuid.NewRandomFromReader(rand.Reader)
	if err != nil {
		// crypto/rand does not fail; keep the contract explicit anyway.
		panic("ids: crypto/rand failed: " + err.Error())
	}
	return u.String()
}

// Sub returns a new user sub: a lowercase RFC 4122 version 4 UUID.
func Sub() string { return newUUID() }

// DeviceKey returns a new device key, "{region}_{uuid}".
func DeviceKey(region string) string { return region + "_" + newUUID() }

// RequestID returns a new request id (a UUID, as in x-amzn-RequestId).
func RequestID() string { return newUUID() }

// IdentityPoolID returns a new identity pool id, "{region}:{uuid}".
func IdentityPoolID(region string) string { return region + ":" + newUUID() }

// IdentityID returns a new identity id of an identity pool, "{region}:{uuid}"
// (the same shape as an identity pool id).
func IdentityID(region string) string { return region + ":" + newUUID() }

// userPoolIDPattern is UserPoolIdType's pattern from the service model, anchored.
var userPoolIDPattern = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

// ValidUserPoolID reports whether s satisfies the model's UserPoolIdType:
// 1–55 characters matching [\w-]+_[0-9a-zA-Z]+.
func ValidUserPoolID(s string) bool {
	return len(s) >= 1 && len(s) <= MaxUserPoolIDLen && userPoolIDPattern.MatchString(s)
}

// RegionOfPoolID returns the region part of a user pool id (everything before
// the last underscore) and whether the id is valid.
func RegionOfPoolID(poolID string) (region string, ok bool) {
	if !ValidUserPoolID(poolID) {
		return "", false
	}
	return poolID[:strings.LastIndexByte(poolID, '_')], true
}

// identityIDPattern is the pattern the model gives IdentityPoolId and IdentityId, anchored.
var identityIDPattern = regexp.MustCompile(`^[\w-]+:[0-9a-f-]+$`)

// ValidIdentityPoolID reports whether s satisfies the model's IdentityPoolId
// (and IdentityId): 1–55 characters matching [\w-]+:[0-9a-f-]+.
func ValidIdentityPoolID(s string) bool {
	return len(s) >= 1 && len(s) <= MaxUserPoolIDLen && identityIDPattern.MatchString(s)
}

// RegionOfIdentityPoolID returns the region part of an identity pool id or an
// identity id ("{region}:{uuid}") and whether the id is valid.
func RegionOfIdentityPoolID(id string) (region string, ok bool) {
	if !ValidIdentityPoolID(id) {
		return "", false
	}
	return id[:strings.IndexByte(id, ':')], true
}
