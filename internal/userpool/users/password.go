package users

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
)

// policyOf is the pool's password policy.
func policyOf(up *cognitoidp.UserPoolType) password.Policy {
	if up.Policies == nil {
		return password.NewPolicy(nil)
	}
	return password.NewPolicy(up.Policies.PasswordPolicy)
}

// temporaryPassword returns the temporary password of an AdminCreateUser:
// the one given, which must meet the pool's policy, or a generated one.
func (s *Service) temporaryPassword(up *cognitoidp.UserPoolType, given *string) (string, error) {
	p := policyOf(up)
	if given == nil || *given == "" {
		return password.GenerateTemporary(p), nil
	}
	if err := password.CheckPrefixed(p, *given, prefixCreateUser); err != nil {
		return "", err
	}
	return *given, nil
}

// newCredentials returns the stored credentials of a new temporary password,
// valid for the pool's temporary password validity.
func newCredentials(up *cognitoidp.UserPoolType, username, pw string, now time.Time) ([]byte, error) {
	c, err := password.New(api.Deref(up.Id), username, pw, true, now, temporaryPasswordValidity(up))
	if err != nil {
		return nil, fmt.Errorf("users: making credentials: %w", err)
	}
	b, err := c.Encode()
	if err != nil {
		return nil, fmt.Errorf("users: encoding credentials: %w", err)
	}
	return b, nil
}

// checkNewPassword checks a password an administrator sets against the
// pool's policy (the request validator has checked its pattern).
func checkNewPassword(up *cognitoidp.UserPoolType, pw string) error {
	return password.CheckPrefixed(policyOf(up), pw, prefixSetUserPassword)
}

// replaceCredentials returns the credentials document cur (nil for a user
// without a password) becomes when pw replaces the password: permanent, or
// temporary with the pool's validity. A password the history policy forbids
// is PasswordHistoryPolicyViolationException.
func replaceCredentials(up *cognitoidp.UserPoolType, cur []byte, username, pw string, permanent bool, now time.Time) ([]byte, error) {
	poolID := api.Deref(up.Id)
	validity := time.Duration(0)
	if !permanent {
		validity = temporaryPasswordValidity(up)
	}
	var c *password.Credentials
	if len(bytes.TrimSpace(cur)) == 0 {
		var err error
		if c, err = password.New(poolID, username, pw, !permanent, now, validity); err != nil {
			return nil, fmt.Errorf("users: making credentials: %w", err)
		}
	} else {
		var err error
		if c, err = password.Decode(cur); err != nil {
			return nil, fmt.Errorf("users: reading credentials of a user of pool %s: %w", poolID, err)
		}
		err = c.Replace(poolID, username, pw, !permanent, now, validity, policyOf(up).HistorySize)
		if errors.Is(err, password.ErrReused) {
			return nil, cognitoidp.NewPasswordHistoryPolicyViolationException(msgPasswordHistory)
		}
		if err != nil {
			return nil, fmt.Errorf("users: replacing credentials: %w", err)
		}
	}
	b, err := c.Encode()
	if err != nil {
		return nil, fmt.Errorf("users: encoding credentials: %w", err)
	}
	return b, nil
}
