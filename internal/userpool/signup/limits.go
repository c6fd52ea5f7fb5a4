package signup

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Operations counted by the per-user hourly limits.
const (
	limitOpConfirmSignUp         = "ConfirmSignUp"
	limitOpResendCode            = "ResendConfirmationCode"
	limitOpConfirmForgotPassword = "ConfirmForgotPassword"
)

// limitPurposePrefix starts the purpose of the CodeStore rows that count
// calls: "LIMIT:<operation>:<window index>". They carry no hash and expire
// one window after theirs ends, so the store's clean-up collects them.
const limitPurposePrefix = "LIMIT:"

// checkLimit counts one call of op for the user and answers
// LimitExceededException when the user made more than limit calls in the
// current window. The count lives in the store (BumpCodeAttempts, one
// statement) so replicas share it. Two replicas opening the same window at
// once may each start it at 1 and lose one count; the window is then at
// most one call more lenient.
func (s *Service) checkLimit(ctx context.Context, poolID, userKey, op string, limit int) error {
	now := s.clock.Now()
	window := now.Truncate(limitWindow)
	purpose := limitPurpose(op, now)
	n, err := s.store.BumpCodeAttempts(ctx, poolID, userKey, purpose)
	if errors.Is(err, storage.ErrNotFound) {
		n = 1
		err = s.store.PutCode(ctx, &storage.Code{
			PoolID:    poolID,
			UserKey:   userKey,
			Purpose:   purpose,
			Attempts:  n,
			CreatedAt: now,
			ExpiresAt: window.Add(2 * limitWindow),
		})
		if errors.Is(err, storage.ErrNotFound) {
			return nil // the user is gone; the caller finds out next
		}
	}
	if err != nil {
		return fmt.Errorf("signup: counting %s calls of user %q: %w", op, userKey, err)
	}
	if n > limit {
		return cognitoidp.NewLimitExceededException(msgLimitExceeded)
	}
	return nil
}

// limitPurpose is the purpose of the row counting op's calls in the window
// holding t.
func limitPurpose(op string, t time.Time) string {
	return limitPurposePrefix + op + ":" + strconv.FormatInt(t.Unix()/int64(limitWindow/time.Second), 10)
}
