package account

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
)

// fakeTokens stands in for the token service: access tokens are random
// strings mapped to their claims; a revoked family refuses its tokens.
type fakeTokens struct {
	mu       sync.Mutex
	access   map[string]*issued // access token -> claims
	refresh  map[string]*issued // refresh token -> claims
	revoked  map[string]bool    // origin_jti -> revoked
	userRevs []string           // "pool/userKey" of each RevokeUser call
}

type issued struct {
	claims  token.AccessClaims
	userKey string
}

func newFakeTokens() *fakeTokens {
	return &fakeTokens{access: map[string]*issued{}, refresh: map[string]*issued{}, revoked: map[string]bool{}}
}

// issue signs a user in on a client: a new token family.
func (f *fakeTokens) issue(poolID, clientID string, u *storage.User) (access, refresh string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	origin := uuid.NewString()
	it := &issued{claims: token.AccessClaims{
		PoolID: poolID, ClientID: clientID, Username: u.Username, Sub: u.Sub,
		OriginJTI: origin, JTI: uuid.NewString(), Scopes: []string{"aws.cognito.signin.user.admin"},
	}, userKey: u.Key}
	access = "access." + uuid.NewString()
	refresh = "refresh." + uuid.NewString()
	f.access[access] = it
	f.refresh[refresh] = it
	return access, refresh
}

func (f *fakeTokens) Authorize(_ context.Context, tok string) (*token.AccessClaims, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	it, ok := f.access[tok]
	if !ok {
		return nil, cognitoidp.NewNotAuthorizedException("Invalid Access Token")
	}
	if f.revoked[it.claims.OriginJTI] {
		return nil, cognitoidp.NewNotAuthorizedException("Access Token has been revoked")
	}
	c := it.claims
	return &c, nil
}

func (f *fakeTokens) RevokeUser(_ context.Context, poolID, userKey string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.userRevs = append(f.userRevs, poolID+"/"+userKey)
	for _, it := range f.access {
		if it.claims.PoolID == poolID && it.userKey == userKey {
			f.revoked[it.claims.OriginJTI] = true
		}
	}
	return nil
}

func (f *fakeTokens) RevokeRefresh(_ context.Context, tok, clientID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	it, ok := f.refresh[tok]
	if !ok {
		return cognitoidp.NewUnsupportedTokenTypeException("fake: not a refresh token")
	}
	if it.claims.ClientID != clientID {
		return cognitoidp.NewUnauthorizedException("fake: another client's token")
	}
	f.revoked[it.claims.OriginJTI] = true
	return nil
}

func (f *fakeTokens) revokedUsers() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.userRevs...)
}

// memCounters is an in-memory storage.CounterStore, for as long as the SQL
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

// memEvents is an in-memory storage.EventStore, for as long as the SQL
// store does not keep auth events. Page tokens are offsets.
type memEvents struct {
	mu sync.Mutex
	m  map[string][]*storage.AuthEvent // pool/user -> events
}

func (m *memEvents) AddAuthEvent(_ context.Context, e *storage.AuthEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string][]*storage.AuthEvent{}
	}
	c := *e
	k := e.PoolID + "\x00" + e.UserKey
	m.m[k] = append(m.m[k], &c)
	return nil
}

func (m *memEvents) ListAuthEvents(_ context.Context, poolID, userKey string, page storage.Page) ([]*storage.AuthEvent, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := append([]*storage.AuthEvent(nil), m.m[poolID+"\x00"+userKey]...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].CreatedAt.After(all[j].CreatedAt) })
	off := 0
	if page.Token != "" {
		n, err := strconv.Atoi(page.Token)
		if err != nil || n < 0 || n > len(all) {
			return nil, "", storage.ErrInvalidPageToken
		}
		off = n
	}
	end := min(off+page.Limit, len(all))
	out := make([]*storage.AuthEvent, 0, end-off)
	for _, e := range all[off:end] {
		c := *e
		out = append(out, &c)
	}
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return out, next, nil
}

func (m *memEvents) UpdateAuthEvent(_ context.Context, poolID, userKey, eventID string, fn func(*storage.AuthEvent) error) (*storage.AuthEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.m[poolID+"\x00"+userKey] {
		if e.EventID == eventID {
			c := *e
			if err := fn(&c); err != nil {
				return nil, err
			}
			*e = c
			return &c, nil
		}
	}
	return nil, storage.ErrNotFound
}
