package limits

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

// t0 is the fake clock's start, in the middle of a second.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 400_000_000, time.UTC)

type env struct {
	svc   *Service
	store *sqlstore.Store
	clock *clock.Fake
}

func newEnv(t *testing.T, enforce bool) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	return &env{svc: New(Config{Store: st, Clock: clk, Enforce: enforce}), store: st, clock: clk}
}

// createPool stores a bare pool record (the per-pool counters need one).
func (e *env) createPool(t *testing.T, id string) {
	t.Helper()
	now := e.clock.Now()
	if err := e.store.CreatePool(context.Background(), &storage.UserPool{ID: id, Name: id, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
}

// wantCode checks err is the Cognito error code with message msg ("" for any).
func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error %v; want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error %s %q; want %s %q", e.Code, e.Message, code, msg)
	}
	if e.Status != 400 {
		t.Errorf("%s status %d; want 400", code, e.Status)
	}
}

// failingStore fails every call.
type failingStore struct{ Store }

var errBroken = errors.New("database is down")

func (failingStore) GetMeta(context.Context, string) ([]byte, error) { return nil, errBroken }
func (failingStore) UpdateMeta(context.Context, string, func([]byte) ([]byte, error)) ([]byte, error) {
	return nil, errBroken
}
func (failingStore) IncrementCounter(context.Context, string, string, time.Time, time.Time) (storage.Counter, error) {
	return storage.Counter{}, errBroken
}
