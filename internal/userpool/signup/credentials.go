package signup

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

// policyOf is the pool's password policy with Cognito's defaults.
func policyOf(pool *cognitoidp.UserPoolType) password.Policy {
	if pool.Policies == nil {
		return password.DefaultPolicy()
	}
	return password.NewPolicy(pool.Policies.PasswordPolicy)
}

// checkPassword checks a new password: the service's pattern (no leading
// or trailing whitespace), then the pool's policy, answering
// InvalidPasswordException with the message prefix of the operation.
func checkPassword(pool *cognitoidp.UserPoolType, pw, prefix string) error {
	if err := password.CheckPattern("password", pw); err != nil {
		return err
	}
	return password.CheckPrefixed(policyOf(pool), pw, prefix)
}

// newCredentials is the credentials document of a new user's (permanent)
// password.
func newCredentials(poolID, username, pw string, now time.Time) ([]byte, error) {
	c, err := password.New(poolID, username, pw, false, now, 0)
	if err != nil {
		return nil, fmt.Errorf("signup: making credentials: %w", err)
	}
	b, err := c.Encode()
	if err != nil {
		return nil, fmt.Errorf("signup: encoding credentials: %w", err)
	}
	return b, nil
}

// replaceCredentials is the credentials document of u once pw replaces its
// password (a user without one, signed up passwordless, gets its first). A
// password the pool's history policy forbids is
// PasswordHistoryPolicyViolationException.
func replaceCredentials(pool *cognitoidp.UserPoolType, u *storage.User, pw string, now time.Time) ([]byte, error) {
	if len(bytes.TrimSpace(u.Password)) == 0 {
		return newCredentials(u.PoolID, u.Username, pw, now)
	}
	c, err := password.Decode(u.Password)
	if err != nil {
		return nil, fmt.Errorf("signup: reading credentials of user %q: %w", u.Key, err)
	}
	err = c.Replace(u.PoolID, u.Username, pw, false, now, 0, policyOf(pool).HistorySize)
	if errors.Is(err, password.ErrReused) {
		return nil, cognitoidp.NewPasswordHistoryPolicyViolationException(msgPasswordHistory)
	}
	if err != nil {
		return nil, fmt.Errorf("signup: replacing credentials of user %q: %w", u.Key, err)
	}
	b, err := c.Encode()
	if err != nil {
		return nil, fmt.Errorf("signup: encoding credentials: %w", err)
	}
	return b, nil
}
