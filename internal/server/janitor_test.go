package server

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestJanitorCollectsExpiredCodes(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s, err := New(context.Background(), cfg, nil, Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	now := clk.Now()
	if err := s.store.CreatePool(ctx, &storage.UserPool{ID: "us-east-1_jan", Name: "p", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.store.CreateUser(ctx, &storage.User{PoolID: "us-east-1_jan", Key: "u", Username: "u", Sub: "s", Status: "CONFIRMED", Enabled: true, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.store.PutCode(ctx, &storage.Code{PoolID: "us-east-1_jan", UserKey: "u", Purpose: "p", Hash: []byte{1}, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	s.collect(ctx)
	if _, err := s.store.GetCode(ctx, "us-east-1_jan", "u", "p"); err != nil {
		t.Fatalf("live code collected: %v", err)
	}
	clk.Advance(2 * time.Hour)
	s.collect(ctx)
	if _, err := s.store.GetCode(ctx, "us-east-1_jan", "u", "p"); err != storage.ErrNotFound {
		t.Fatalf("expired code kept: %v", err)
	}
}
