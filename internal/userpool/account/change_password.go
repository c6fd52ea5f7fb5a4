package account

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ChangePassword changes the signed-in user's password. PreviousPassword
// must be the current password (when the user has one); ProposedPassword
// must meet the pool's policy and, with a PasswordHistorySize, differ from
// the recent passwords. At most LimitChangePassword calls an hour. Other
// sessions stay signed in. In pools with threat protection a PasswordChange
// auth event records the outcome.
func (s *Service) ChangePassword(ctx context.Context, in *cognitoidp.ChangePasswordRequest) (*cognitoidp.ChangePasswordResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	proposed := api.Deref(in.ProposedPassword)
	if err := password.CheckPattern("proposedPassword", proposed); err != nil {
		return nil, err
	}
	c, err := s.begin(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	u := c.user
	if u.Status == string(cognitoidp.UserStatusTypeResetRequired) {
		return nil, cognitoidp.NewPasswordResetRequiredException(msgPasswordResetRequired)
	}
	if err := s.checkLimit(ctx, c.poolID(), u.Key, limitOpChangePassword, LimitChangePassword); err != nil {
		return nil, err
	}
	var cur *password.Credentials
	if len(bytes.TrimSpace(u.Password)) > 0 {
		if cur, err = password.Decode(u.Password); err != nil {
			return nil, fmt.Errorf("account: reading the credentials of a user of pool %s: %w", c.poolID(), err)
		}
		if in.PreviousPassword == nil || !cur.Matches(c.poolID(), u.Username, *in.PreviousPassword) {
			if err := s.passwordChangeEvent(ctx, c, cognitoidp.ChallengeResponseFailure); err != nil {
				return nil, err
			}
			return nil, cognitoidp.NewNotAuthorizedException(msgIncorrectPassword)
		}
	}
	policy := policyOf(c.pool)
	if err := password.CheckPrefixed(policy, proposed, prefixChangePassword); err != nil {
		return nil, err
	}
	if err := s.checkCompromised(ctx, c, proposed); err != nil {
		return nil, err
	}
	now := s.clk.Now()
	// The verifier (a modular exponentiation) is computed outside the
	// store's transaction, again only if the credentials changed meanwhile.
	base := u.Password
	next, err := replaceCredentials(c.poolID(), u.Username, base, proposed, policy.HistorySize, now)
	if err != nil {
		return nil, err
	}
	_, err = s.updateUser(ctx, c, func(x *storage.User) error {
		if !bytes.Equal(x.Password, base) {
			return errCredentialsChanged
		}
		x.Password = next
		x.UpdatedAt = now
		return nil
	})
	if errors.Is(err, errCredentialsChanged) {
		// Another change won the race: the previous password given may no
		// longer be current, so this one is refused as a wrong password.
		return nil, cognitoidp.NewNotAuthorizedException(msgIncorrectPassword)
	}
	if err != nil {
		return nil, err
	}
	if err := s.passwordChangeEvent(ctx, c, cognitoidp.ChallengeResponseSuccess); err != nil {
		return nil, err
	}
	return &cognitoidp.ChangePasswordResponse{}, nil
}

// errCredentialsChanged aborts a password change whose credentials changed
// after they were checked.
var errCredentialsChanged = errors.New("account: credentials changed concurrently")

// policyOf is the pool's password policy with Cognito's defaults.
func policyOf(up *cognitoidp.UserPoolType) password.Policy {
	if up.Policies == nil {
		return password.DefaultPolicy()
	}
	return password.NewPolicy(up.Policies.PasswordPolicy)
}

// replaceCredentials returns the credentials document cur (empty for a user
// without a password) becomes when pw replaces the password, permanently. A
// password the history policy forbids is
// PasswordHistoryPolicyViolationException.
func replaceCredentials(poolID, username string, cur []byte, pw string, historySize int, now time.Time) ([]byte, error) {
	var c *password.Credentials
	var err error
	if len(bytes.TrimSpace(cur)) == 0 {
		if c, err = password.New(poolID, username, pw, false, now, 0); err != nil {
			return nil, fmt.Errorf("account: making credentials: %w", err)
		}
	} else {
		if c, err = password.Decode(cur); err != nil {
			return nil, fmt.Errorf("account: reading credentials of a user of pool %s: %w", poolID, err)
		}
		err = c.Replace(poolID, username, pw, false, now, 0, historySize)
		if errors.Is(err, password.ErrReused) {
			return nil, cognitoidp.NewPasswordHistoryPolicyViolationException(msgPasswordHistory)
		}
		if err != nil {
			return nil, fmt.Errorf("account: replacing credentials: %w", err)
		}
	}
	b, err := c.Encode()
	if err != nil {
		return nil, fmt.Errorf("account: encoding credentials: %w", err)
	}
	return b, nil
}

// passwordChangeEvent records a PasswordChange auth event (pools with threat
// protection only).
func (s *Service) passwordChangeEvent(ctx context.Context, c *session, outcome cognitoidp.ChallengeResponse) error {
	resp := cognitoidp.EventResponseTypePass
	if outcome == cognitoidp.ChallengeResponseFailure {
		resp = cognitoidp.EventResponseTypeFail
	}
	_, err := s.RecordEvent(ctx, c.pool, c.user, Event{
		Type:     cognitoidp.EventTypePasswordchange,
		Response: resp,
		Challenges: []cognitoidp.ChallengeResponseType{{
			ChallengeName:     api.Ptr(cognitoidp.ChallengeNamePassword),
			ChallengeResponse: api.Ptr(outcome),
		}},
	})
	return err
}

// checkCompromised runs Config.CheckPassword, if any, on the password a
// ChangePassword proposes; a refused password is recorded as a failed
// PasswordChange event whose risk shows the compromised credentials.
func (s *Service) checkCompromised(ctx context.Context, c *session, pw string) error {
	if s.checkPw == nil {
		return nil
	}
	compromised, err := s.checkPw(ctx, c.pool, c.claims.ClientID, cognitoidp.EventFilterTypePasswordChange, pw)
	if err == nil {
		return nil
	}
	if compromised {
		if _, rerr := s.RecordEvent(ctx, c.pool, c.user, Event{
			Type:     cognitoidp.EventTypePasswordchange,
			Response: cognitoidp.EventResponseTypeFail,
			Risk: &cognitoidp.EventRiskType{
				RiskDecision:                   api.Ptr(cognitoidp.RiskDecisionTypeBlock),
				CompromisedCredentialsDetected: api.Ptr(true),
			},
		}); rerr != nil {
			return rerr
		}
	}
	return err
}
