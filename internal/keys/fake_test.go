package keys

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/cogito-dev/cogito/internal/storage"
)

// fakeStore is an in-memory KeyStore and MetaStore that keeps the contract's
// compare-and-swap semantics. Records are copied in and out.
type fakeStore struct {
	mu   sync.Mutex
	keys map[string][]*storage.SigningKey // by pool, oldest first
	meta map[string][]byte

	lists atomic.Int64 // ListSigningKeys calls

	// rotateGate, when set, is called by RotateSigningKey before it takes the
	// lock (tests use it to line concurrent rotations up).
	rotateGate func()
}

var _ storage.KeyStore = (*fakeStore)(nil)
var _ storage.MetaStore = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	return &fakeStore{keys: make(map[string][]*storage.SigningKey), meta: make(map[string][]byte)}
}

func copyKey(k *storage.SigningKey) *storage.SigningKey {
	c := *k
	c.PrivateKey = append([]byte(nil), k.PrivateKey...)
	c.PublicKey = append([]byte(nil), k.PublicKey...)
	if k.RetiredAt != nil {
		t := *k.RetiredAt
		c.RetiredAt = &t
	}
	return &c
}

func (f *fakeStore) AddSigningKey(_ context.Context, k *storage.SigningKey) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.keys[k.PoolID] {
		if e.KeyID == k.KeyID || (k.Active && e.Active && e.Use == k.Use) {
			return storage.ErrAlreadyExists
		}
	}
	f.keys[k.PoolID] = append(f.keys[k.PoolID], copyKey(k))
	return nil
}

func (f *fakeStore) ListSigningKeys(_ context.Context, poolID string) ([]*storage.SigningKey, error) {
	f.lists.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*storage.SigningKey, 0, len(f.keys[poolID]))
	for _, k := range f.keys[poolID] {
		out = append(out, copyKey(k))
	}
	return out, nil
}

func (f *fakeStore) RotateSigningKey(_ context.Context, next *storage.SigningKey, expectActiveKeyID string) error {
	if f.rotateGate != nil {
		f.rotateGate()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var cur *storage.SigningKey
	for _, e := range f.keys[next.PoolID] {
		if e.Active && e.Use == next.Use {
			cur = e
		}
		if e.KeyID == next.KeyID {
			return storage.ErrAlreadyExists
		}
	}
	if cur == nil || cur.KeyID != expectActiveKeyID {
		return &storage.ConflictError{Entity: "signing key", Key: next.PoolID + "/" + next.Use}
	}
	retired := next.CreatedAt
	cur.Active = false
	cur.RetiredAt = &retired
	n := copyKey(next)
	n.Active = true
	f.keys[next.PoolID] = append(f.keys[next.PoolID], n)
	return nil
}

func (f *fakeStore) DeleteSigningKey(_ context.Context, poolID, keyID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	ks := f.keys[poolID]
	for i, e := range ks {
		if e.KeyID == keyID {
			if e.Active {
				return errors.New("fake: cannot delete an active key")
			}
			f.keys[poolID] = append(ks[:i:i], ks[i+1:]...)
			return nil
		}
	}
	return storage.ErrNotFound
}

func (f *fakeStore) GetOrPutMeta(_ context.Context, key string, value []byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.meta[key]; ok {
		return append([]byte(nil), v...), nil
	}
	f.meta[key] = append([]byte(nil), value...)
	return append([]byte(nil), value...), nil
}

// record returns a copy of one stored key, or nil.
func (f *fakeStore) record(poolID, kid string) *storage.SigningKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.keys[poolID] {
		if e.KeyID == kid {
			return copyKey(e)
		}
	}
	return nil
}
