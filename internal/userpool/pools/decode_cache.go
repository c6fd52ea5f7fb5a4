package pools

import (
	"sync"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// decoded memoizes the JSON decoding of pool settings, the largest cost of
// every operation that reads a pool (DescribeUserPool, and every user
// operation through Load). It is keyed by the record's id, version and
// modification time, so a row changed by any replica is decoded afresh: the
// store is still read on every call, only the decoding is saved. Entries are
// handed out as deep copies (Clone), so callers may change what they get.
//
// It is package state on purpose: a bounded memo of a pure function, shared
// by every caller of Decode, with no effect on behaviour.
var decoded = &decodeCache{entries: map[string]decodeEntry{}, max: 2048}

type decodeCache struct {
	mu      sync.Mutex
	entries map[string]decodeEntry
	max     int
}

type decodeEntry struct {
	version int64
	updated time.Time
	up      *cognitoidp.UserPoolType
}

func (c *decodeCache) get(id string, version int64, updated time.Time) (*cognitoidp.UserPoolType, bool) {
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if !ok || e.version != version || !e.updated.Equal(updated) {
		return nil, false
	}
	return cloneSettings(e.up), true
}

// cloneSettings deep-copies a pool's settings (the generated Clone keeps an
// empty list empty: DcrConfiguration's grant-type lists tell [] from missing).
func cloneSettings(up *cognitoidp.UserPoolType) *cognitoidp.UserPoolType { return up.Clone() }

func (c *decodeCache) put(id string, version int64, updated time.Time, up *cognitoidp.UserPoolType) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k := range c.entries { // evict an arbitrary entry
			delete(c.entries, k)
			break
		}
	}
	c.entries[id] = decodeEntry{version: version, updated: updated, up: cloneSettings(up)}
}

func (c *decodeCache) forget(id string) {
	c.mu.Lock()
	delete(c.entries, id)
	c.mu.Unlock()
}
