package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Sign-in lockout (defaults.go): per user, a counter of consecutive failed
// sign-ins kept in the CounterStore (its UpdatedAt is the last failure) and
// a counter of attempts refused during a lock (its UpdatedAt is the last such
// attempt), so that "15 minutes without attempts" counts both.

// failureCounter names a user's failure counter; lockedCounter the counter
// of attempts made while locked.
func failureCounter(userKey string) string { return "signin-failures:" + userKey }
func lockedCounter(userKey string) string  { return "signin-locked:" + userKey }

// lockDuration is how long n consecutive failures lock a user: nothing below
// the threshold, then 2^(n−5) seconds, at most lockoutMax.
func lockDuration(n int) time.Duration {
	if n < lockoutThreshold {
		return 0
	}
	shift := n - lockoutThreshold
	if shift >= 20 { // 2^20 s is far beyond the cap
		return lockoutMax
	}
	return min(time.Duration(1<<shift)*time.Second, lockoutMax)
}

// failures returns the user's current failure counter; stale reports a
// count left from before a quiet period (no failure and no locked attempt
// for lockoutQuiet), which no longer counts.
func (s *Service) failures(ctx context.Context, u *storage.User, now time.Time) (c storage.Counter, stale bool, err error) {
	c, err = s.store.GetCounter(ctx, u.PoolID, failureCounter(u.Key), now)
	if err != nil {
		return c, false, fmt.Errorf("auth: reading the sign-in failures of a user of pool %s: %w", u.PoolID, err)
	}
	if c.Value == 0 || now.Sub(c.UpdatedAt) < lockoutQuiet {
		return c, false, nil
	}
	l, err := s.store.GetCounter(ctx, u.PoolID, lockedCounter(u.Key), now)
	if err != nil {
		return c, false, fmt.Errorf("auth: reading the sign-in attempts of a user of pool %s: %w", u.PoolID, err)
	}
	if l.Value > 0 && now.Sub(l.UpdatedAt) < lockoutQuiet {
		return c, false, nil
	}
	return c, true, nil
}

// checkLockout answers NotAuthorizedException "Password attempts exceeded"
// while the user is locked out, remembering the attempt (it does not count
// as a failure and does not extend the lock). It returns the user's current
// failure count.
func (s *Service) checkLockout(ctx context.Context, u *storage.User) (int, error) {
	now := s.clock.Now()
	c, stale, err := s.failures(ctx, u, now)
	if err != nil || stale {
		return 0, err
	}
	if d := lockDuration(c.Value); d > 0 && now.Before(c.UpdatedAt.Add(d)) {
		if _, err := s.store.IncrementCounter(ctx, u.PoolID, lockedCounter(u.Key), now, now.Add(lockoutCounterLife)); err != nil {
			return c.Value, fmt.Errorf("auth: counting a sign-in attempt of a user of pool %s: %w", u.PoolID, err)
		}
		return c.Value, cognitoidp.NewNotAuthorizedException(msgAttemptsExceeded)
	}
	return c.Value, nil
}

// countFailure adds a failed sign-in to the user's count, starting afresh
// after a quiet period.
func (s *Service) countFailure(ctx context.Context, u *storage.User) error {
	now := s.clock.Now()
	_, stale, err := s.failures(ctx, u, now)
	if err != nil {
		return err
	}
	if stale {
		if err := s.clearFailures(ctx, u); err != nil {
			return err
		}
	}
	if _, err := s.store.IncrementCounter(ctx, u.PoolID, failureCounter(u.Key), now, now.Add(lockoutCounterLife)); err != nil {
		return fmt.Errorf("auth: counting a sign-in failure of a user of pool %s: %w", u.PoolID, err)
	}
	return nil
}

// clearFailures forgets the user's failures (after a successful sign-in or
// a quiet period).
func (s *Service) clearFailures(ctx context.Context, u *storage.User) error {
	for _, name := range []string{failureCounter(u.Key), lockedCounter(u.Key)} {
		if err := s.store.ResetCounter(ctx, u.PoolID, name); err != nil {
			return fmt.Errorf("auth: clearing the sign-in failures of a user of pool %s: %w", u.PoolID, err)
		}
	}
	return nil
}
