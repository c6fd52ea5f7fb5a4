package server

import (
	"context"
	"time"
)

// janitorInterval is how often expired short-lived rows are collected.
const janitorInterval = time.Minute

// janitor collects expired short-lived rows (codes, and later sessions and
// tokens) until ctx ends. Every replica runs one; deletes are idempotent.
func (s *Server) janitor(ctx context.Context) {
	t := time.NewTicker(janitorInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.collect(ctx)
		}
	}
}

// collect runs one round of clean-up.
func (s *Server) collect(ctx context.Context) {
	now := s.clock.Now()
	for _, c := range []struct {
		what string
		fn   func(context.Context, time.Time) (int, error)
	}{
		{"codes", s.store.DeleteExpiredCodes},
		{"tokens", s.store.DeleteExpiredTokens},
		{"counters", s.store.DeleteExpiredCounters},
	} {
		n, err := c.fn(ctx, now)
		if err != nil {
			s.log.Warn("collecting expired rows", "what", c.what, "err", err)
			continue
		}
		if n > 0 {
			s.log.Debug("collected expired rows", "what", c.what, "count", n)
		}
	}
}
