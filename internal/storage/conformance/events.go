package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

func newEvent(poolID, userKey, id string, created time.Time) *storage.AuthEvent {
	return &storage.AuthEvent{
		PoolID:        poolID,
		UserKey:       userKey,
		EventID:       id,
		EventType:     "SignIn",
		EventResponse: "Pass",
		CreatedAt:     created,
		Data:          []byte(`{"risk":{"RiskDecision":"NoRisk"},"id":"` + id + `"}`),
	}
}

func storedEvent(e *storage.AuthEvent) *storage.AuthEvent {
	n := *e
	n.CreatedAt = ms(e.CreatedAt)
	if e.FeedbackAt != nil {
		n.FeedbackAt = msp(*e.FeedbackAt)
	}
	return &n
}

func mustAddEvent(t *testing.T, s storage.Store, e *storage.AuthEvent) *storage.AuthEvent {
	t.Helper()
	if err := s.AddAuthEvent(t.Context(), e); err != nil {
		t.Fatalf("AddAuthEvent(%s, %s, %s): %v", e.PoolID, e.UserKey, e.EventID, err)
	}
	return e
}

// listEvents pages through a user's events with the given page size and
// returns them in order.
func listEvents(t *testing.T, s storage.Store, poolID, userKey string, limit int) []*storage.AuthEvent {
	t.Helper()
	out := []*storage.AuthEvent{}
	token := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("ListAuthEvents: paging does not end")
		}
		events, next, err := s.ListAuthEvents(t.Context(), poolID, userKey, storage.Page{Token: token, Limit: limit})
		if err != nil {
			t.Fatalf("ListAuthEvents(%s, %s): %v", poolID, userKey, err)
		}
		if limit > 0 && len(events) > limit {
			t.Fatalf("ListAuthEvents: page of %d, limit %d", len(events), limit)
		}
		out = append(out, events...)
		if next == "" {
			return out
		}
		if len(events) == 0 {
			t.Fatal("ListAuthEvents: empty page with a next token")
		}
		token = next
	}
}

func eventIDs(events []*storage.AuthEvent) []string {
	ids := []string{}
	for _, e := range events {
		ids = append(ids, e.EventID)
	}
	return ids
}

func testEventCRUD(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_events")
	q := mustCreatePool(t, s, "us-east-1_events2")
	mustCreateUser(t, s, newUser(p.ID, "dan"))
	mustCreateUser(t, s, newUser(p.ID, "dot"))
	mustCreateUser(t, s, newUser(q.ID, "dan"))

	e := mustAddEvent(t, s, newEvent(p.ID, "dan", "ev-1", at(10)))
	fb := at(12)
	withFeedback := newEvent(p.ID, "dan", "ev-2", at(20))
	withFeedback.EventType, withFeedback.EventResponse = "ForgotPassword", "Fail"
	withFeedback.FeedbackValue, withFeedback.FeedbackProvider, withFeedback.FeedbackAt = "Valid", "Admin", &fb
	mustAddEvent(t, s, withFeedback)
	bare := newEvent(p.ID, "dan", "ev-3", at(30))
	bare.Data = nil
	mustAddEvent(t, s, bare)
	mustAddEvent(t, s, newEvent(p.ID, "dot", "ev-1", at(10))) // ids are per user
	mustAddEvent(t, s, newEvent(q.ID, "dan", "ev-q", at(10)))

	got := listEvents(t, s, p.ID, "dan", 0)
	diff(t, "events", []*storage.AuthEvent{storedEvent(bare), storedEvent(withFeedback), storedEvent(e)}, got)
	if got[2].CreatedAt.Location() != time.UTC || got[1].FeedbackAt.Location() != time.UTC {
		t.Errorf("event times in %v and %v, want UTC", got[2].CreatedAt.Location(), got[1].FeedbackAt.Location())
	}
	if got[0].Data != nil {
		t.Errorf("event without data read back as %q, want nil", got[0].Data)
	}
	diff(t, "another user's events", []string{"ev-1"}, eventIDs(listEvents(t, s, p.ID, "dot", 10)))
	diff(t, "the same user key in another pool", []string{"ev-q"}, eventIDs(listEvents(t, s, q.ID, "dan", 10)))
	diff(t, "events of a user without any", []string{}, eventIDs(listEvents(t, s, p.ID, "nobody", 10)))

	wantErr(t, "AddAuthEvent duplicate id", s.AddAuthEvent(ctx, newEvent(p.ID, "dan", "ev-1", at(40))), storage.ErrAlreadyExists)
	wantErr(t, "AddAuthEvent for a missing user", s.AddAuthEvent(ctx, newEvent(p.ID, "nobody", "ev-9", at(40))), storage.ErrNotFound)
	wantErr(t, "AddAuthEvent in a missing pool", s.AddAuthEvent(ctx, newEvent("us-east-1_none", "dan", "ev-9", at(40))), storage.ErrNotFound)
	if n := len(listEvents(t, s, p.ID, "dan", 10)); n != 3 {
		t.Fatalf("%d events after refused adds, want 3", n)
	}

	// Updates: feedback on an event; keys and CreatedAt stay.
	when := at(50)
	upd, err := s.UpdateAuthEvent(ctx, p.ID, "dan", "ev-1", func(n *storage.AuthEvent) error {
		n.FeedbackValue, n.FeedbackProvider, n.FeedbackAt = "Invalid", "Admin", &when
		n.PoolID, n.UserKey, n.EventID, n.CreatedAt = "x", "y", "z", at(99)
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateAuthEvent: %v", err)
	}
	want := storedEvent(e)
	want.FeedbackValue, want.FeedbackProvider, want.FeedbackAt = "Invalid", "Admin", msp(when)
	diff(t, "updated event", want, upd)
	diff(t, "events after the update", []string{"ev-3", "ev-2", "ev-1"}, eventIDs(listEvents(t, s, p.ID, "dan", 10)))
	diff(t, "updated event read back", want, listEvents(t, s, p.ID, "dan", 10)[2])
	if other := listEvents(t, s, p.ID, "dot", 10)[0]; other.FeedbackValue != "" {
		t.Fatal("the update reached another user's event of the same id")
	}

	upd, err = s.UpdateAuthEvent(ctx, p.ID, "dan", "ev-1", func(n *storage.AuthEvent) error {
		n.FeedbackValue = "Valid"
		return storage.ErrSkip
	})
	if err != nil {
		t.Fatalf("UpdateAuthEvent with ErrSkip: %v", err)
	}
	diff(t, "event after a skipped update", want, upd)
	boom := errors.New("boom")
	_, err = s.UpdateAuthEvent(ctx, p.ID, "dan", "ev-1", func(n *storage.AuthEvent) error {
		n.FeedbackValue = "Valid"
		return boom
	})
	wantErr(t, "UpdateAuthEvent aborted", err, boom)
	diff(t, "event after an aborted update", want, listEvents(t, s, p.ID, "dan", 10)[2])

	_, err = s.UpdateAuthEvent(ctx, p.ID, "dan", "missing", func(*storage.AuthEvent) error { return nil })
	wantErr(t, "UpdateAuthEvent missing", err, storage.ErrNotFound)
	_, err = s.UpdateAuthEvent(ctx, q.ID, "dan", "ev-1", func(*storage.AuthEvent) error { return nil })
	wantErr(t, "UpdateAuthEvent of another pool's user", err, storage.ErrNotFound)
}

func testEventList(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_evlist")
	mustCreateUser(t, s, newUser(p.ID, "eli"))
	// Added out of order; ev-b1..b3 share a millisecond (newest added listed first).
	var want []string
	for _, e := range []struct {
		id  string
		sec int
	}{{"ev-a", 10}, {"ev-c", 30}, {"ev-b1", 20}, {"ev-b2", 20}, {"ev-b3", 20}, {"ev-d", 40}, {"ev-0", 0}} {
		mustAddEvent(t, s, newEvent(p.ID, "eli", e.id, at(e.sec)))
	}
	want = []string{"ev-d", "ev-c", "ev-b3", "ev-b2", "ev-b1", "ev-a", "ev-0"}
	for _, limit := range []int{1, 2, 3, 7, 100} {
		diff(t, fmt.Sprintf("events, pages of %d", limit), want, eventIDs(listEvents(t, s, p.ID, "eli", limit)))
	}
	events, next, err := s.ListAuthEvents(ctx, p.ID, "eli", storage.Page{Limit: 7})
	if err != nil || len(events) != 7 || next != "" {
		t.Fatalf("ListAuthEvents of exactly one page = %d events, next %q, %v", len(events), next, err)
	}
	for _, tok := range []string{"!!!", "AA", "x"} {
		_, _, err := s.ListAuthEvents(ctx, p.ID, "eli", storage.Page{Token: tok, Limit: 2})
		wantErr(t, fmt.Sprintf("ListAuthEvents with token %q", tok), err, storage.ErrInvalidPageToken)
	}
}

// Paging newest first while events are added: every event that existed when
// paging began is listed once, in order; events newer than the cursor are not.
func testEventListStable(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_evstable")
	mustCreateUser(t, s, newUser(p.ID, "fay"))
	var initial []string
	for i := range 20 {
		id := fmt.Sprintf("ev-%02d", i)
		mustAddEvent(t, s, newEvent(p.ID, "fay", id, at(100+i/2))) // pairs share a second
		initial = append(initial, id)
	}
	var (
		seen  []*storage.AuthEvent
		token string
		added int
	)
	for page := 0; ; page++ {
		if page > 100 {
			t.Fatal("paging does not end")
		}
		events, next, err := s.ListAuthEvents(ctx, p.ID, "fay", storage.Page{Token: token, Limit: 3})
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		seen = append(seen, events...)
		if next == "" {
			break
		}
		last := events[len(events)-1]
		add := func(id string, created time.Time) {
			mustAddEvent(t, s, newEvent(p.ID, "fay", id, created))
			added++
		}
		add(fmt.Sprintf("new-%02d", page), at(1000))       // newer than everything: not listed
		add(fmt.Sprintf("tie-%02d", page), last.CreatedAt) // same time as the cursor, added later: not listed
		add(fmt.Sprintf("old-%02d", page), at(-page-1))    // older than everything: listed at the end
		token = next
	}
	var ids []string
	for i, e := range seen {
		ids = append(ids, e.EventID)
		if i > 0 && e.CreatedAt.After(seen[i-1].CreatedAt) {
			t.Fatalf("event %s listed after the older %s", e.EventID, seen[i-1].EventID)
		}
	}
	var wantInitial []string
	for i := len(initial) - 1; i >= 0; i-- {
		wantInitial = append(wantInitial, initial[i])
	}
	var gotInitial []string
	for _, id := range ids {
		if slices.Contains(initial, id) {
			gotInitial = append(gotInitial, id)
		}
		if id[:4] == "new-" || id[:4] == "tie-" {
			t.Errorf("event %s, added before the cursor, was listed", id)
		}
	}
	diff(t, "events that existed when paging began", wantInitial, gotInitial)
	if added == 0 {
		t.Fatal("paging ended on the first page")
	}
}

// Concurrent updates of one event are applied one after the other.
func testEventNoLostUpdates(t *testing.T, s storage.Store) {
	p := mustCreatePool(t, s, "us-east-1_evcount")
	mustCreateUser(t, s, newUser(p.ID, "gus"))
	e := newEvent(p.ID, "gus", "ev", at(0))
	e.Data = []byte("0")
	mustAddEvent(t, s, e)
	const workers, each = 8, 10
	hammer(t, workers, each, func(ctx context.Context) error {
		_, err := s.UpdateAuthEvent(ctx, p.ID, "gus", "ev", func(n *storage.AuthEvent) error {
			n.Data = []byte(strconv.Itoa(counter(t, n.Data) + 1))
			return nil
		})
		return err
	})
	if n := counter(t, listEvents(t, s, p.ID, "gus", 10)[0].Data); n != workers*each {
		t.Fatalf("counter = %d after %d increments: updates were lost", n, workers*each)
	}
}

// A user's events go with the user, and a pool's with the pool.
func testEventDeleteCascades(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_evcascade")
	q := mustCreatePool(t, s, "us-east-1_evcascade2")
	for _, pool := range []string{p.ID, q.ID} {
		mustCreateUser(t, s, newUser(pool, "hed"))
		mustAddEvent(t, s, newEvent(pool, "hed", "ev-1", at(0)))
		mustAddEvent(t, s, newEvent(pool, "hed", "ev-2", at(1)))
	}
	mustCreateUser(t, s, newUser(p.ID, "ivy"))
	mustAddEvent(t, s, newEvent(p.ID, "ivy", "ev-1", at(0)))

	if err := s.DeleteUser(ctx, p.ID, "hed"); err != nil {
		t.Fatal(err)
	}
	diff(t, "events of a deleted user", []string{}, eventIDs(listEvents(t, s, p.ID, "hed", 10)))
	mustCreateUser(t, s, newUser(p.ID, "hed"))
	diff(t, "events of a re-created user", []string{}, eventIDs(listEvents(t, s, p.ID, "hed", 10)))
	mustAddEvent(t, s, newEvent(p.ID, "hed", "ev-1", at(5))) // the id is free again
	diff(t, "another user's events", []string{"ev-1"}, eventIDs(listEvents(t, s, p.ID, "ivy", 10)))

	if err := s.DeletePool(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	diff(t, "events of a deleted pool", []string{}, eventIDs(listEvents(t, s, p.ID, "ivy", 10)))
	diff(t, "other pool's events", []string{"ev-2", "ev-1"}, eventIDs(listEvents(t, s, q.ID, "hed", 10)))
}
