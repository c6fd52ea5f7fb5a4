package message

import (
	"context"
	"errors"
	"sort"
	"sync"

	"github.com/cogito-dev/cogito/internal/storage"
)

// memStore is an in-memory storage.MessageStore with the interface's
// semantics: oldest first, Limit keeps the newest.
type memStore struct {
	mu   sync.Mutex
	msgs []*storage.Message
}

func (s *memStore) AddMessage(_ context.Context, m *storage.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *m
	s.msgs = append(s.msgs, &c)
	return nil
}

func (s *memStore) ListMessages(_ context.Context, f storage.MessageFilter) ([]*storage.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*storage.Message
	for _, m := range s.msgs {
		if (f.PoolID == "" || m.PoolID == f.PoolID) && (f.Username == "" || m.Username == f.Username) &&
			(f.Destination == "" || m.Destination == f.Destination) {
			c := *m
			out = append(out, &c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[len(out)-f.Limit:]
	}
	return out, nil
}

func (s *memStore) all() []*storage.Message {
	l, _ := s.ListMessages(context.Background(), storage.MessageFilter{})
	return l
}

var errStoreDown = errors.New("store down")

// brokenStore fails every call.
type brokenStore struct{}

func (brokenStore) AddMessage(context.Context, *storage.Message) error { return errStoreDown }
func (brokenStore) ListMessages(context.Context, storage.MessageFilter) ([]*storage.Message, error) {
	return nil, errStoreDown
}
