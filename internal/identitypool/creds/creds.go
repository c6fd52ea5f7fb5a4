// Package creds makes the temporary AWS credentials GetCredentialsForIdentity
// returns, from one of two sources chosen by configuration:
//
//   - Minter makes them itself: an "ASIA…" access key id, a 40-character
//     secret, and a session token that is an opaque sealed blob naming the
//     identity, role, principal tags and expiry. Every set is recorded in the
//     store, so an operator or a service emulating AWS can look up what a key
//     stands for (and verify signatures made with it).
//   - STS calls AssumeRoleWithWebIdentity at a configured STS endpoint (AWS,
//     or any STS-compatible server) with Cogito's own identity OpenID token
//     for the chosen role, and returns what STS gives.
package creds

import (
	"context"
	"crypto/rand"
	"time"
)

// Request is what credentials are asked for.
type Request struct {
	PoolID, IdentityID, RoleARN string
	PrincipalTags               map[string]string
	Authenticated               bool
	// AMR is the identity token's amr (what the identity logged in with).
	AMR []string
	// WebIdentityToken mints the identity's OpenID token for the role (STS
	// mode only calls it).
	WebIdentityToken func(ctx context.Context) (string, error)
}

// Credentials are temporary AWS credentials.
type Credentials struct {
	AccessKeyID, SecretKey, SessionToken string
	Expiration                           time.Time
}

// String never shows the secret or the session token.
func (c *Credentials) String() string {
	return "creds.Credentials{AccessKeyID:" + c.AccessKeyID + " SecretKey:[REDACTED] SessionToken:[REDACTED]}"
}

// Source makes credentials.
type Source interface {
	Credentials(ctx context.Context, r *Request) (*Credentials, error)
}

// randomFrom returns n characters drawn uniformly from alphabet.
func randomFrom(alphabet string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, n*2)
	limit := 256 - 256%len(alphabet)
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out[i] = alphabet[int(b)%len(alphabet)]
			if i++; i == n {
				break
			}
		}
	}
	return string(out)
}
