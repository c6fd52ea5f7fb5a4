package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// NEW_PASSWORD_REQUIRED: a FORCE_CHANGE_PASSWORD user who proved the
// temporary password must choose a new one (and supply the pool's required
// attributes it lacks) before getting tokens.

// newPasswordChallenge answers NEW_PASSWORD_REQUIRED for a.User.
func (s *Service) newPasswordChallenge(ctx context.Context, c *call, a *Attempt) (*result, error) {
	u := a.User
	current := map[string]string{}
	read := readSet(c)
	for name, v := range u.Attributes {
		if name != attrs.Sub && c.schema.Readable(name, read) {
			current[name] = v
		}
	}
	missing := []string{}
	for _, name := range c.schema.Required() {
		if u.Attributes[name] == "" {
			missing = append(missing, attrPrefix+name)
		}
	}
	userAttrs, err := jsonString(current)
	if err != nil {
		return nil, err
	}
	requiredAttrs, err := jsonString(missing)
	if err != nil {
		return nil, err
	}
	sess, err := s.newSession(c, session{
		Username: u.Username, Challenge: cognitoidp.ChallengeNameTypeNewPasswordRequired,
		Flow: a.Flow, DeviceKey: a.DeviceKey, Factor: a.FirstFactor, Risk: a.risk, ACR: a.acr,
	})
	if err != nil {
		return nil, err
	}
	return &result{
		challenge: cognitoidp.ChallengeNameTypeNewPasswordRequired,
		session:   sess,
		parameters: map[string]string{
			pUserIDForSRP:   u.Username,
			pRequiredAttrs:  requiredAttrs,
			pUserAttributes: userAttrs,
		},
	}, nil
}

// respondNewPassword takes the answer: NEW_PASSWORD and userAttributes.*.
func (s *Service) respondNewPassword(ctx context.Context, c *call, rawSession string, responses map[string]string) (*result, error) {
	sess, err := s.openSession(ctx, c, rawSession, cognitoidp.ChallengeNameTypeNewPasswordRequired)
	if err != nil {
		return nil, err
	}
	name, err := required(responses, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(responses, name); err != nil {
		return nil, err
	}
	newPassword, err := required(responses, pNewPassword)
	if err != nil {
		return nil, err
	}
	u, err := s.getUser(ctx, c, sess.Username)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, c.unknownUser()
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, s.failSignIn(ctx, c, u, cognitoidp.NewNotAuthorizedException(msgDisabled), passwordChallenge(true))
	}
	if u.Status != string(cognitoidp.UserStatusTypeForceChangePassword) {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}

	// Attributes, as the app client writes them.
	var in []cognitoidp.AttributeType
	for _, k := range slices.Sorted(maps.Keys(responses)) {
		if attr, ok := strings.CutPrefix(k, attrPrefix); ok {
			in = append(in, cognitoidp.AttributeType{Name: api.Ptr(attr), Value: api.Ptr(responses[k])})
		}
	}
	values, err := c.schema.CheckWrite(in, attrs.OpUpdate, attrs.ClientCaller(c.client.Settings.WriteAttributes), u.Attributes)
	if err != nil {
		return nil, err
	}
	merged := applyAttributes(u.Attributes, values)
	for _, req := range c.schema.Required() {
		if merged[req] == "" {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgRequiredMissing, req))
		}
	}
	policy := policyOf(c.pool)
	if err := password.CheckPrefixed(policy, newPassword, password.PrefixDoesNotConform); err != nil {
		return nil, err
	}
	if s.risk != nil {
		// A new password is a password change for compromised credentials
		// (defaults.go).
		if _, err := s.risk.CheckPassword(ctx, c.pool, c.client.ID, cognitoidp.EventFilterTypePasswordChange, newPassword); err != nil {
			return nil, err
		}
	}

	now := s.clock.Now()
	updated, err := s.store.UpdateUser(ctx, c.poolID(), u.Key, func(x *storage.User) error {
		if x.Status != string(cognitoidp.UserStatusTypeForceChangePassword) {
			return cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
		}
		doc, err := replacePassword(x, newPassword, policy, now)
		if err != nil {
			return err
		}
		x.Password = doc
		x.Status = string(cognitoidp.UserStatusTypeConfirmed)
		x.Attributes = applyAttributes(x.Attributes, values)
		x.Aliases = c.schema.Aliases(x.Attributes)
		x.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, s.updateError(c, err)
	}
	if err := s.consumeSession(ctx, c, rawSession, sess); err != nil {
		return nil, err
	}
	a := &Attempt{
		Pool:           c.pool,
		Client:         c.client,
		User:           updated,
		Flow:           sess.Flow,
		Admin:          c.admin,
		DeviceKey:      sess.DeviceKey,
		ClientMetadata: c.metadata,
		FirstFactor:    sess.firstFactor(),
		source:         sourceNewPasswordChallenge,
		acr:            sess.ACR,
	}
	sess.restoreRisk(a)
	if dk := responses[pDeviceKey]; dk != "" {
		a.DeviceKey = dk
	}
	return s.proceed(ctx, c, a)
}

// replacePassword returns u's credentials document once pw replaces the
// temporary password (permanent, checked against the history policy).
func replacePassword(u *storage.User, pw string, policy password.Policy, now time.Time) ([]byte, error) {
	var creds *password.Credentials
	var err error
	if len(bytes.TrimSpace(u.Password)) == 0 {
		creds, err = password.New(u.PoolID, u.Username, pw, false, now, 0)
	} else if creds, err = password.Decode(u.Password); err == nil {
		err = creds.Replace(u.PoolID, u.Username, pw, false, now, 0, policy.HistorySize)
	}
	if errors.Is(err, password.ErrReused) {
		return nil, cognitoidp.NewPasswordHistoryPolicyViolationException(msgPasswordHistory)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: replacing the password of a user of pool %s: %w", u.PoolID, err)
	}
	doc, err := creds.Encode()
	if err != nil {
		return nil, fmt.Errorf("auth: encoding credentials: %w", err)
	}
	return doc, nil
}

// updateError maps the store's answers to a user update.
func (s *Service) updateError(c *call, err error) error {
	var conflict *storage.ConflictError
	var unique *storage.UniqueError
	switch {
	case isCognito(err):
		return err
	case errors.As(err, &unique):
		return c.schema.AliasClash(err)
	case errors.As(err, &conflict):
		return cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
	case errors.Is(err, storage.ErrNotFound):
		return c.unknownUser()
	}
	return fmt.Errorf("auth: updating a user of pool %s: %w", c.poolID(), err)
}

// applyAttributes returns cur with the written values applied (an empty
// value deletes). A changed email or phone number is no longer verified
// unless the write set its flag too.
func applyAttributes(cur map[string]string, values map[string]string) map[string]string {
	out := maps.Clone(cur)
	if out == nil {
		out = map[string]string{}
	}
	for name, v := range values {
		old, had := out[name]
		if v == "" {
			delete(out, name)
		} else {
			out[name] = v
		}
		if name != attrs.Email && name != attrs.PhoneNumber {
			continue
		}
		flag := name + "_verified"
		if _, set := values[flag]; set || (had && old == v) {
			continue
		}
		if v == "" {
			delete(out, flag)
		} else if _, has := out[flag]; has {
			out[flag] = "false"
		}
	}
	return out
}

// policyOf is the pool's password policy with Cognito's defaults.
func policyOf(pool *cognitoidp.UserPoolType) password.Policy {
	if pool.Policies == nil {
		return password.DefaultPolicy()
	}
	return password.NewPolicy(pool.Policies.PasswordPolicy)
}

// readSet is the client's ReadAttributes as a set (nil: every attribute).
func readSet(c *call) map[string]bool {
	ra := c.client.Settings.ReadAttributes
	if len(ra) == 0 {
		return nil
	}
	m := make(map[string]bool, len(ra))
	for _, a := range ra {
		m[a] = true
	}
	return m
}

// jsonString renders v as the JSON string a challenge parameter carries,
// without HTML escaping.
func jsonString(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("auth: encoding a challenge parameter: %w", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
