package auth

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/account"
)

// memCounters is an in-memory storage.CounterStore, used while the SQL
// store does not keep counters.
type memCounters struct {
	mu sync.Mutex
	m  map[string]storage.Counter
}

func (m *memCounters) IncrementCounter(_ context.Context, poolID, name string, now, expiresAt time.Time) (storage.Counter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]storage.Counter{}
	}
	k := poolID + "\x00" + name
	c, ok := m.m[k]
	if !ok || !now.Before(c.ExpiresAt) {
		c = storage.Counter{ExpiresAt: expiresAt}
	}
	c.Value++
	c.UpdatedAt = now
	m.m[k] = c
	return c, nil
}

func (m *memCounters) GetCounter(_ context.Context, poolID, name string, now time.Time) (storage.Counter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.m[poolID+"\x00"+name]
	if !ok || !now.Before(c.ExpiresAt) {
		return storage.Counter{}, nil
	}
	return c, nil
}

func (m *memCounters) ResetCounter(_ context.Context, poolID, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, poolID+"\x00"+name)
	return nil
}

func (m *memCounters) DeleteExpiredCounters(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for k, c := range m.m {
		if !now.Before(c.ExpiresAt) {
			delete(m.m, k)
			n++
		}
	}
	return n, nil
}

// memTokens is an in-memory storage.TokenStore, used while the SQL store
// does not keep refresh tokens.
type memTokens struct {
	mu      sync.Mutex
	tokens  map[string]*storage.RefreshToken
	revoked map[string]time.Time // pool/origin -> until
}

func cloneToken(t *storage.RefreshToken) *storage.RefreshToken {
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	return &c
}

func (m *memTokens) CreateRefreshToken(_ context.Context, t *storage.RefreshToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tokens == nil {
		m.tokens = map[string]*storage.RefreshToken{}
	}
	if _, ok := m.tokens[t.ID]; ok {
		return storage.ErrAlreadyExists
	}
	c := cloneToken(t)
	c.Version = 1
	m.tokens[t.ID] = c
	return nil
}

func (m *memTokens) GetRefreshToken(_ context.Context, id string) (*storage.RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return nil, storage.ErrNotFound
	}
	return cloneToken(t), nil
}

func (m *memTokens) UpdateRefreshToken(_ context.Context, id string, fn func(*storage.RefreshToken) error) (*storage.RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return nil, storage.ErrNotFound
	}
	c := cloneToken(t)
	if err := fn(c); err != nil {
		if err == storage.ErrSkip {
			return cloneToken(t), nil
		}
		return nil, err
	}
	c.Version = t.Version + 1
	m.tokens[id] = c
	return cloneToken(c), nil
}

func (m *memTokens) RevokeFamily(_ context.Context, poolID, originJTI string, at, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.revoked == nil {
		m.revoked = map[string]time.Time{}
	}
	m.revoked[poolID+"\x00"+originJTI] = expiresAt
	for _, t := range m.tokens {
		if t.PoolID == poolID && t.OriginJTI == originJTI && t.RevokedAt == nil {
			a := at
			t.RevokedAt = &a
		}
	}
	return nil
}

func (m *memTokens) RevokeUserTokens(_ context.Context, poolID, userKey string, at time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.revoked == nil {
		m.revoked = map[string]time.Time{}
	}
	families := map[string]bool{}
	for _, t := range m.tokens {
		if t.PoolID == poolID && t.UserKey == userKey && t.RevokedAt == nil {
			a := at
			t.RevokedAt = &a
			families[t.OriginJTI] = true
			m.revoked[poolID+"\x00"+t.OriginJTI] = t.ExpiresAt
		}
	}
	return len(families), nil
}

func (m *memTokens) FamilyRevoked(_ context.Context, poolID, originJTI string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.revoked[poolID+"\x00"+originJTI]
	return ok, nil
}

func (m *memTokens) DeleteExpiredTokens(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, t := range m.tokens {
		if !now.Before(t.ExpiresAt) {
			delete(m.tokens, id)
			n++
		}
	}
	return n, nil
}

// recEvents records the events the service reports.
type recEvents struct {
	mu     sync.Mutex
	events []recorded
}

type recorded struct {
	UserKey string
	ID      string
	Event   account.Event
}

func (r *recEvents) RecordEvent(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User, e account.Event) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := uuid.NewString()
	r.events = append(r.events, recorded{UserKey: u.Key, ID: id, Event: e})
	return id, nil
}

func (r *recEvents) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

func (r *recEvents) last() (recorded, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return recorded{}, false
	}
	return r.events[len(r.events)-1], true
}
