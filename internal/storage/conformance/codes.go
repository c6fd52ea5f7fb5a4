package conformance

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

func newCode(poolID, userKey, purpose string) *storage.Code {
	return &storage.Code{
		PoolID:    poolID,
		UserKey:   userKey,
		Purpose:   purpose,
		Hash:      []byte("hash-" + purpose),
		Data:      []byte(`{"attr":"email"}`),
		CreatedAt: at(10),
		ExpiresAt: at(10 + 3600),
	}
}

func storedCode(c *storage.Code) *storage.Code {
	n := *c
	n.CreatedAt, n.ExpiresAt = ms(c.CreatedAt), ms(c.ExpiresAt)
	return &n
}

func mustPutCode(t *testing.T, s storage.Store, c *storage.Code) {
	t.Helper()
	if err := s.PutCode(t.Context(), c); err != nil {
		t.Fatalf("PutCode(%s, %s, %s): %v", c.PoolID, c.UserKey, c.Purpose, err)
	}
}

func mustGetCode(t *testing.T, s storage.Store, poolID, key, purpose string) *storage.Code {
	t.Helper()
	c, err := s.GetCode(t.Context(), poolID, key, purpose)
	if err != nil {
		t.Fatalf("GetCode(%s, %s, %s): %v", poolID, key, purpose, err)
	}
	return c
}

func testCodeCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_codes")
	q := mustCreatePool(t, s, "us-east-1_codes2")
	mustCreateUser(t, s, newUser(p.ID, "gina"))
	mustCreateUser(t, s, newUser(q.ID, "gina"))
	wantErr(t, "PutCode for a missing user", s.PutCode(ctx, newCode(p.ID, "nobody", "signup")), storage.ErrNotFound)
	wantErr(t, "PutCode in a missing pool", s.PutCode(ctx, newCode("us-east-1_none", "gina", "signup")), storage.ErrNotFound)

	c := newCode(p.ID, "gina", "signup")
	c.Attempts = 2
	mustPutCode(t, s, c)
	diff(t, "GetCode", storedCode(c), mustGetCode(t, s, p.ID, "gina", "signup"))
	other := newCode(p.ID, "gina", "forgot")
	other.Data = nil
	mustPutCode(t, s, other)
	diff(t, "another purpose", storedCode(other), mustGetCode(t, s, p.ID, "gina", "forgot"))
	_, err := s.GetCode(ctx, q.ID, "gina", "signup")
	wantErr(t, "the same user key's code in another pool", err, storage.ErrNotFound)
	_, err = s.GetCode(ctx, p.ID, "gina", "missing")
	wantErr(t, "GetCode missing", err, storage.ErrNotFound)

	// Put replaces, attempts included.
	repl := newCode(p.ID, "gina", "signup")
	repl.Hash, repl.CreatedAt, repl.ExpiresAt = []byte("new hash"), at(20), at(20+60)
	mustPutCode(t, s, repl)
	diff(t, "replaced code", storedCode(repl), mustGetCode(t, s, p.ID, "gina", "signup"))
	diff(t, "the other purpose after a replacement", storedCode(other), mustGetCode(t, s, p.ID, "gina", "forgot"))

	for want := 1; want <= 3; want++ {
		n, err := s.BumpCodeAttempts(ctx, p.ID, "gina", "signup")
		if err != nil || n != want {
			t.Fatalf("BumpCodeAttempts = %d, %v; want %d", n, err, want)
		}
	}
	if got := mustGetCode(t, s, p.ID, "gina", "signup"); got.Attempts != 3 {
		t.Fatalf("attempts after 3 bumps = %d", got.Attempts)
	}
	if got := mustGetCode(t, s, p.ID, "gina", "forgot"); got.Attempts != 0 {
		t.Fatalf("bumps reached another purpose: %d", got.Attempts)
	}
	_, err = s.BumpCodeAttempts(ctx, p.ID, "gina", "missing")
	wantErr(t, "BumpCodeAttempts missing", err, storage.ErrNotFound)
	_, err = s.BumpCodeAttempts(ctx, q.ID, "gina", "signup")
	wantErr(t, "BumpCodeAttempts in another pool", err, storage.ErrNotFound)

	if err := s.DeleteCode(ctx, p.ID, "gina", "signup"); err != nil {
		t.Fatalf("DeleteCode: %v", err)
	}
	wantErr(t, "DeleteCode twice", s.DeleteCode(ctx, p.ID, "gina", "signup"), storage.ErrNotFound)
	_, err = s.GetCode(ctx, p.ID, "gina", "signup")
	wantErr(t, "GetCode after delete", err, storage.ErrNotFound)
	wantErr(t, "DeleteCode in another pool", s.DeleteCode(ctx, q.ID, "gina", "forgot"), storage.ErrNotFound)
	mustGetCode(t, s, p.ID, "gina", "forgot")
}

// Concurrent bumps each get their own count; concurrent consumers of one
// code: exactly one succeeds.
func testCodeConcurrency(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_ccodes")
	mustCreateUser(t, s, newUser(p.ID, "hal"))
	mustPutCode(t, s, newCode(p.ID, "hal", "mfa"))
	const workers, each = 8, 10
	var (
		mu   sync.Mutex
		seen []int
	)
	hammer(t, workers, each, func(ctx context.Context) error {
		n, err := s.BumpCodeAttempts(ctx, p.ID, "hal", "mfa")
		mu.Lock()
		seen = append(seen, n)
		mu.Unlock()
		return err
	})
	slices.Sort(seen)
	for i, n := range seen {
		if n != i+1 {
			t.Fatalf("concurrent bumps returned %v; want each of 1..%d once", seen, workers*each)
		}
	}
	if got := mustGetCode(t, s, p.ID, "hal", "mfa"); got.Attempts != workers*each {
		t.Fatalf("attempts = %d after %d bumps", got.Attempts, workers*each)
	}

	for round := range 5 {
		mustPutCode(t, s, newCode(p.ID, "hal", "signup"))
		const n = 16
		var (
			wg   sync.WaitGroup
			errs [n]error
		)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				errs[i] = s.DeleteCode(ctx, p.ID, "hal", "signup")
			})
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, storage.ErrNotFound):
				t.Fatalf("round %d: DeleteCode: %v", round, err)
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d of %d concurrent consumers succeeded, want exactly 1", round, wins, n)
		}
	}
}

func testCodeExpiry(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_expiry")
	q := mustCreatePool(t, s, "us-east-1_expiry2")
	for _, pool := range []string{p.ID, q.ID} {
		mustCreateUser(t, s, newUser(pool, "ida"))
		for i, purpose := range []string{"a", "b", "c"} {
			c := newCode(pool, "ida", purpose)
			c.ExpiresAt = at(100 * (i + 1))
			mustPutCode(t, s, c)
		}
	}
	if n, err := s.DeleteExpiredCodes(ctx, at(0)); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredCodes before any expiry = %d, %v", n, err)
	}
	// Expiring exactly now is not expired before now.
	if n, err := s.DeleteExpiredCodes(ctx, ms(at(100))); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredCodes at the first expiry = %d, %v; want 0", n, err)
	}
	if n, err := s.DeleteExpiredCodes(ctx, at(150)); err != nil || n != 2 {
		t.Fatalf("DeleteExpiredCodes = %d, %v; want 2 (one per pool)", n, err)
	}
	for _, pool := range []string{p.ID, q.ID} {
		_, err := s.GetCode(ctx, pool, "ida", "a")
		wantErr(t, "expired code", err, storage.ErrNotFound)
		mustGetCode(t, s, pool, "ida", "b")
		mustGetCode(t, s, pool, "ida", "c")
	}
	// Zones do not matter: the instant does.
	if n, err := s.DeleteExpiredCodes(ctx, ms(at(250)).In(base.Location())); err != nil || n != 2 {
		t.Fatalf("DeleteExpiredCodes = %d, %v; want 2", n, err)
	}
	if n, err := s.DeleteExpiredCodes(ctx, at(1000)); err != nil || n != 2 {
		t.Fatalf("DeleteExpiredCodes = %d, %v; want 2", n, err)
	}
	if n, err := s.DeleteExpiredCodes(ctx, at(1000)); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredCodes again = %d, %v; want 0", n, err)
	}
	mustGetUser(t, s, p.ID, "ida")
}

func newMessage(poolID, id, username string, created time.Time) *storage.Message {
	return &storage.Message{
		ID:             id,
		PoolID:         poolID,
		Username:       username,
		Destination:    username + "@example.com",
		DeliveryMedium: "EMAIL",
		Kind:           "SIGN_UP",
		Subject:        "Your code",
		Body:           "Your code is 123456 — ünïcode",
		Code:           "123456",
		CreatedAt:      created,
	}
}

func mustAddMessage(t *testing.T, s storage.Store, m *storage.Message) {
	t.Helper()
	if err := s.AddMessage(t.Context(), m); err != nil {
		t.Fatalf("AddMessage(%s): %v", m.ID, err)
	}
}

func messageIDs(t *testing.T, s storage.Store, f storage.MessageFilter) []string {
	t.Helper()
	msgs, err := s.ListMessages(t.Context(), f)
	if err != nil {
		t.Fatalf("ListMessages(%+v): %v", f, err)
	}
	ids := []string{}
	for _, m := range msgs {
		ids = append(ids, m.ID)
	}
	return ids
}

func testMessages(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_outbox")
	q := mustCreatePool(t, s, "us-east-1_outbox2")
	diff(t, "empty outbox", []string{}, messageIDs(t, s, storage.MessageFilter{}))
	add := func(pool, id, user string, sec int) *storage.Message {
		m := newMessage(pool, id, user, at(sec))
		mustAddMessage(t, s, m)
		return m
	}
	first := add(p.ID, "m1", "jan", 10)
	add(q.ID, "m2", "jan", 20)
	add(p.ID, "m3", "kim", 20) // same instant as m2: insertion order
	add(p.ID, "m0", "jan", 5)  // older, added later: listed first
	sms := add(p.ID, "m4", "kim", 30)
	sms.DeliveryMedium, sms.Destination = "SMS", "+15550100"
	sms.ID = "m5"
	sms.CreatedAt = at(30)
	mustAddMessage(t, s, sms)

	diff(t, "all messages", []string{"m0", "m1", "m2", "m3", "m4", "m5"}, messageIDs(t, s, storage.MessageFilter{}))
	diff(t, "pool p", []string{"m0", "m1", "m3", "m4", "m5"}, messageIDs(t, s, storage.MessageFilter{PoolID: p.ID}))
	diff(t, "user jan", []string{"m0", "m1", "m2"}, messageIDs(t, s, storage.MessageFilter{Username: "jan"}))
	diff(t, "pool p, user jan", []string{"m0", "m1"}, messageIDs(t, s, storage.MessageFilter{PoolID: p.ID, Username: "jan"}))
	diff(t, "destination", []string{"m3", "m4"}, messageIDs(t, s, storage.MessageFilter{Destination: "kim@example.com"}))
	diff(t, "SMS destination", []string{"m5"}, messageIDs(t, s, storage.MessageFilter{PoolID: p.ID, Destination: "+15550100"}))
	diff(t, "no match", []string{}, messageIDs(t, s, storage.MessageFilter{PoolID: q.ID, Username: "kim"}))
	diff(t, "newest 2", []string{"m4", "m5"}, messageIDs(t, s, storage.MessageFilter{Limit: 2}))
	diff(t, "newest 2 of jan", []string{"m1", "m2"}, messageIDs(t, s, storage.MessageFilter{Username: "jan", Limit: 2}))
	diff(t, "newest 100", []string{"m0", "m1", "m2", "m3", "m4", "m5"}, messageIDs(t, s, storage.MessageFilter{Limit: 100}))

	msgs, err := s.ListMessages(ctx, storage.MessageFilter{PoolID: p.ID, Limit: 5})
	if err != nil || len(msgs) != 5 {
		t.Fatalf("ListMessages = %d, %v", len(msgs), err)
	}
	want := *first
	want.CreatedAt = ms(first.CreatedAt)
	diff(t, "stored message", &want, msgs[1])
	if msgs[1].CreatedAt.Location() != time.UTC {
		t.Errorf("message CreatedAt in %v, want UTC", msgs[1].CreatedAt.Location())
	}

	// IDs: the store makes one up when there is none; duplicates are refused.
	gen := newMessage(p.ID, "", "lee", at(40))
	mustAddMessage(t, s, gen)
	gen2 := newMessage(p.ID, "", "lee", at(40))
	mustAddMessage(t, s, gen2)
	if gen.ID == "" || gen2.ID == "" || gen.ID == gen2.ID {
		t.Fatalf("generated message ids %q and %q: want two different, non-empty ids", gen.ID, gen2.ID)
	}
	if ids := messageIDs(t, s, storage.MessageFilter{Username: "lee"}); !slices.Contains(ids, gen.ID) || !slices.Contains(ids, gen2.ID) {
		t.Fatalf("messages with generated ids listed as %v", ids)
	}
	wantErr(t, "AddMessage duplicate id", s.AddMessage(ctx, newMessage(q.ID, "m1", "x", at(40))), storage.ErrAlreadyExists)
	wantErr(t, "AddMessage in a missing pool", s.AddMessage(ctx, newMessage("us-east-1_none", "mx", "x", at(40))), storage.ErrNotFound)
	if n := len(messageIDs(t, s, storage.MessageFilter{})); n != 8 {
		t.Fatalf("%d messages after refused adds, want 8", n)
	}
}
