package token

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// memTokens is an in-memory storage.TokenStore keeping the contract's
// semantics (compare-and-swap updates, ErrSkip, family revocation records).
// The tests use it until the SQL store implements TokenStore.
type memTokens struct {
	mu       sync.Mutex
	tokens   map[string]*storage.RefreshToken
	families map[[2]string]time.Time // (pool, origin_jti) -> record expiry
}

var _ storage.TokenStore = (*memTokens)(nil)

func newMemTokens() *memTokens {
	return &memTokens{tokens: map[string]*storage.RefreshToken{}, families: map[[2]string]time.Time{}}
}

func copyToken(t *storage.RefreshToken) *storage.RefreshToken {
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	if t.RevokedAt != nil {
		v := *t.RevokedAt
		c.RevokedAt = &v
	}
	if t.RotatedAt != nil {
		v := *t.RotatedAt
		c.RotatedAt = &v
	}
	return &c
}

func (m *memTokens) CreateRefreshToken(_ context.Context, t *storage.RefreshToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tokens[t.ID]; ok {
		return storage.ErrAlreadyExists
	}
	c := copyToken(t)
	c.Version = 1
	m.tokens[t.ID] = c
	t.Version = 1
	return nil
}

func (m *memTokens) GetRefreshToken(_ context.Context, id string) (*storage.RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return nil, storage.ErrNotFound
	}
	return copyToken(t), nil
}

func (m *memTokens) UpdateRefreshToken(_ context.Context, id string, fn func(*storage.RefreshToken) error) (*storage.RefreshToken, error) {
	m.mu.Lock()
	t, ok := m.tokens[id]
	if !ok {
		m.mu.Unlock()
		return nil, storage.ErrNotFound
	}
	c := copyToken(t)
	m.mu.Unlock()
	for range storage.MaxCASRetries {
		err := fn(c)
		if errors.Is(err, storage.ErrSkip) {
			return m.GetRefreshToken(context.Background(), id)
		}
		if err != nil {
			return nil, err
		}
		m.mu.Lock()
		cur := m.tokens[id]
		if cur == nil {
			m.mu.Unlock()
			return nil, storage.ErrNotFound
		}
		if cur.Version == c.Version {
			c.Version++
			m.tokens[id] = copyToken(c)
			m.mu.Unlock()
			return copyToken(c), nil
		}
		c = copyToken(cur)
		m.mu.Unlock()
	}
	return nil, &storage.ConflictError{Entity: "refresh token", Key: id}
}

func (m *memTokens) RevokeFamily(_ context.Context, poolID, originJTI string, at, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.tokens {
		if t.PoolID == poolID && t.OriginJTI == originJTI && t.RevokedAt == nil {
			at := at
			t.RevokedAt = &at
			t.Version++
		}
	}
	key := [2]string{poolID, originJTI}
	if expiresAt.After(m.families[key]) {
		m.families[key] = expiresAt
	}
	return nil
}

func (m *memTokens) RevokeUserTokens(_ context.Context, poolID, userKey string, at time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	families := map[string]time.Time{}
	for _, t := range m.tokens {
		if t.PoolID != poolID || t.UserKey != userKey || t.RevokedAt != nil || !at.Before(t.ExpiresAt) {
			continue
		}
		at := at
		t.RevokedAt = &at
		t.Version++
		if until := t.ExpiresAt.Add(familyRecordSlack); until.After(families[t.OriginJTI]) {
			families[t.OriginJTI] = until
		}
	}
	for f, until := range families {
		key := [2]string{poolID, f}
		if until.After(m.families[key]) {
			m.families[key] = until
		}
	}
	return len(families), nil
}

func (m *memTokens) FamilyRevoked(_ context.Context, poolID, originJTI string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.families[[2]string{poolID, originJTI}]
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
	for k, until := range m.families {
		if !now.Before(until) {
			delete(m.families, k)
			n++
		}
	}
	return n, nil
}
