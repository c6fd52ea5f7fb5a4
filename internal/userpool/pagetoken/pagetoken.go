// Package pagetoken makes the NextToken / PaginationToken strings the list
// operations hand out: the store's page token wrapped with a format tag and
// the scope it lists (a pool id, a user key, a group name...), so a token is
// good only for the listing that issued it and never shows the store's own.
package pagetoken

import (
	"encoding/base64"
	"strings"
)

// sep cannot occur in the scopes (ids, names and keys are printable).
const sep = "\x00"

// Wrap returns the client-visible token for storeToken, issued under format
// tag version by the listing of scope.
func Wrap(version string, scope []string, storeToken string) string {
	parts := make([]string, 0, len(scope)+2)
	parts = append(parts, version)
	parts = append(parts, scope...)
	parts = append(parts, storeToken)
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, sep)))
}

// Unwrap returns the store token inside tok, or false when tok was not
// issued by Wrap with the same version and scope (the caller answers its
// family's InvalidParameterException).
func Unwrap(version string, scope []string, tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	parts := strings.Split(string(b), sep)
	if len(parts) != len(scope)+2 || parts[0] != version || parts[len(parts)-1] == "" {
		return "", false
	}
	for i, want := range scope {
		if parts[i+1] != want {
			return "", false
		}
	}
	return parts[len(parts)-1], true
}
