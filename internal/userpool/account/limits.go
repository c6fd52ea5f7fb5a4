package account

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// Operations counted by the per-user hourly limits.
const (
	limitOpChangePassword      = "ChangePassword"
	limitOpGetVerification     = "GetUserAttributeVerificationCode"
	limitOpVerifyUserAttribute = "VerifyUserAttribute"
)

// checkLimit counts one call of op by the user and answers
// LimitExceededException when the user made more than limit calls in the
// current clock hour. The counter lives in the store, so replicas share it,
// and expires with its window.
func (s *Service) checkLimit(ctx context.Context, poolID, userKey, op string, limit int) error {
	now := s.clk.Now()
	end := now.Truncate(limitWindow).Add(limitWindow)
	c, err := s.store.IncrementCounter(ctx, poolID, limitCounter(op, userKey), now, end)
	if err != nil {
		return fmt.Errorf("account: counting %s calls of a user of pool %s: %w", op, poolID, err)
	}
	if c.Value > limit {
		return cognitoidp.NewLimitExceededException(msgLimitExceeded)
	}
	return nil
}

// limitCounter names the counter of op's calls by a user.
func limitCounter(op, userKey string) string { return "limit:" + op + ":" + userKey }
