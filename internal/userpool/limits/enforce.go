package limits

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Counting. A category's requests are counted in whole seconds of the server
// clock: the account-wide count is the shared meta document rateKey(scope)
// holding {"s": second, "n": count}, restarted at 1 when the second changes;
// the per-pool count of an operation is the pool's counter perPoolCounter(op),
// expiring at the end of the second. Every request of a counted operation is
// counted, refused or not.

// rateWindow is a count in one second.
type rateWindow struct {
	Second int64 `json:"s"`
	N      int64 `json:"n"`
}

// rateKey is the meta key of an account-wide count.
func rateKey(scope string) string { return "cogito/limits/rate/" + scope }

// challengeScope counts RespondToAuthChallenge and
// AdminRespondToAuthChallenge against their own allowance.
const challengeScope = string(UserAuthentication) + ".challenges"

// perPoolCounter names the pool counter of an operation's requests.
func perPoolCounter(operation string) string { return "rate:" + operation }

// Check is run before every User Pools operation: with enforcement on, it
// counts the request against its category (and, for the pool resource and
// client categories, against the operation's rate in the pool poolID, when
// the request names one) and answers TooManyRequestsException when a rate is
// exceeded. Exempt and unknown operations always pass. A store failure lets
// the request through (logged): throttling must not turn a database hiccup
// into refusals.
func (s *Service) Check(ctx context.Context, operation, poolID string) error {
	if !s.enforce {
		return nil
	}
	c, ok := operationCategories[operation]
	if !ok {
		return nil
	}
	err := s.count(ctx, c, operation, poolID)
	if err != nil && !errors.Is(err, errThrottled) {
		s.log.Warn("rate limit check failed; request let through", "op", operation, "err", err)
		return nil
	}
	if err != nil {
		return throttled()
	}
	return nil
}

// Allow counts one request of category c outside the API (the hosted UI's
// sign-ins count as UserAuthentication, client_credentials token requests as
// ClientAuthentication, federated sign-ins as UserFederation) and answers
// TooManyRequestsException when the category's rate is exceeded. poolID is
// informational here (no per-pool rule applies to those categories).
func (s *Service) Allow(ctx context.Context, c Category, poolID string) error {
	if !s.enforce {
		return nil
	}
	if _, ok := categories[c]; !ok {
		return fmt.Errorf("limits: unknown category %q", c)
	}
	err := s.count(ctx, c, "", poolID)
	if err != nil && !errors.Is(err, errThrottled) {
		s.log.Warn("rate limit check failed; request let through", "category", string(c), "err", err)
		return nil
	}
	if err != nil {
		return throttled()
	}
	return nil
}

// errThrottled reports a request over a rate.
var errThrottled = errors.New("limits: rate exceeded")

// count counts one request and reports errThrottled when it is over a rate.
func (s *Service) count(ctx context.Context, c Category, operation, poolID string) error {
	p, err := s.provisioned(ctx)
	if err != nil {
		return err
	}
	limit := int64(p.value(c))
	now := s.clk.Now()

	countCategory := true
	if challengeOperations[operation] {
		n, err := s.countAccount(ctx, challengeScope, now)
		if err != nil {
			return err
		}
		// Within the challenge allowance the request does not count against
		// the category.
		countCategory = n > ChallengeAllowanceFactor*limit
	}
	if countCategory {
		n, err := s.countAccount(ctx, string(c), now)
		if err != nil {
			return err
		}
		if n > limit {
			return errThrottled
		}
	}
	if categories[c].PerPool && poolID != "" && operation != "" {
		end := now.Truncate(time.Second).Add(time.Second)
		cnt, err := s.store.IncrementCounter(ctx, poolID, perPoolCounter(operation), now, end)
		if errors.Is(err, storage.ErrNotFound) {
			return nil // no such pool: the handler answers that
		}
		if err != nil {
			return fmt.Errorf("limits: counting %s in %s: %w", operation, poolID, err)
		}
		if cnt.Value > PerPoolOperationLimit {
			return errThrottled
		}
	}
	return nil
}

// countAccount adds one to the account-wide count of scope in the current
// second and returns the new count.
func (s *Service) countAccount(ctx context.Context, scope string, now time.Time) (int64, error) {
	sec := now.Unix()
	var n int64
	_, err := s.store.UpdateMeta(ctx, rateKey(scope), func(cur []byte) ([]byte, error) {
		var w rateWindow
		if cur != nil {
			if err := json.Unmarshal(cur, &w); err != nil {
				return nil, fmt.Errorf("decoding a rate count: %w", err)
			}
		}
		if w.Second != sec {
			w = rateWindow{Second: sec}
		}
		w.N++
		n = w.N
		return json.Marshal(w)
	})
	if err != nil {
		return 0, fmt.Errorf("limits: counting %s: %w", scope, err)
	}
	return n, nil
}
