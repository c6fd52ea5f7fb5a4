package auth

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestLockDuration(t *testing.T) {
	for n, want := range map[int]time.Duration{
		0: 0, 4: 0, 5: time.Second, 6: 2 * time.Second, 7: 4 * time.Second, 14: 512 * time.Second,
		15: 15 * time.Minute, 16: 15 * time.Minute, 40: 15 * time.Minute, 1000: 15 * time.Minute,
	} {
		if got := lockDuration(n); got != want {
			t.Errorf("lockDuration(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestLockoutTimings(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	wrong := func() error { _, err := e.passwordAuth(clientID, "alice", "Wr0ngPass!"); return err }
	right := func() error { _, err := e.passwordAuth(clientID, "alice", goodPassword); return err }
	const incorrectMsg, exceeded = "Incorrect username or password.", "Password attempts exceeded"

	for i := 1; i <= 5; i++ {
		wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg)
	}
	// Five failures: locked for 1 s, even with the right password.
	wantErr(t, right(), "NotAuthorizedException", exceeded)
	e.clk.Advance(999 * time.Millisecond)
	wantErr(t, wrong(), "NotAuthorizedException", exceeded)
	e.clk.Advance(time.Millisecond)
	// The lock is over; the sixth failure locks for 2 s, and attempts
	// during the lock do not extend it.
	wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg)
	e.clk.Advance(1500 * time.Millisecond)
	wantErr(t, wrong(), "NotAuthorizedException", exceeded)
	e.clk.Advance(500 * time.Millisecond)
	wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg) // 7th: 4 s
	e.clk.Advance(3 * time.Second)
	wantErr(t, right(), "NotAuthorizedException", exceeded)
	e.clk.Advance(time.Second)

	// Keep failing: the lock doubles up to 15 minutes.
	for n := 8; n <= 17; n++ {
		wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg)
		d := lockDuration(n)
		e.clk.Advance(d - time.Millisecond)
		wantErr(t, right(), "NotAuthorizedException", exceeded)
		e.clk.Advance(time.Millisecond)
	}
	if lockDuration(17) != 15*time.Minute {
		t.Fatal("cap not reached in the test")
	}
	// A capped lock waited out without any attempt is 15 quiet minutes: the
	// count starts again (the next failure does not lock).
	wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg) // 18th: 15 min
	e.clk.Advance(15 * time.Minute)
	wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg) // counts as the 1st
	if err := right(); err != nil {
		t.Fatalf("after a quiet lock: %v", err)
	}
	for i := 1; i <= 5; i++ {
		wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg)
	}
	e.clk.Advance(time.Second)
	// Right password after the lock: success, and the count starts again.
	if err := right(); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	for i := 1; i <= 4; i++ {
		wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg)
	}
	if err := right(); err != nil {
		t.Fatalf("four failures do not lock: %v", err)
	}
	// Failures separated by 15 quiet minutes never add up.
	for i := 0; i < 8; i++ {
		wantErr(t, wrong(), "NotAuthorizedException", incorrectMsg)
		e.clk.Advance(15 * time.Minute)
	}
	if err := right(); err != nil {
		t.Fatalf("after quiet periods: %v", err)
	}

	// The events say Fail for both kinds of refusal.
	var fails int
	for _, ev := range e.events.all() {
		if ev.Event.Response == cognitoidp.EventResponseTypeFail {
			fails++
		}
	}
	if fails == 0 {
		t.Error("no Fail events recorded")
	}
}

func TestLockoutIsPerUserAndAcrossFlows(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	e.confirmedUser(poolID, "bob", goodPassword)
	for i := 0; i < 5; i++ {
		_, err := e.srpSignIn(poolID, clientID, "alice", "Wr0ngPass!")
		wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	_, err := e.passwordAuth(clientID, "alice", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Password attempts exceeded")
	_, _, err = e.srpStart(poolID, clientID, "alice")
	wantErr(t, err, "NotAuthorizedException", "Password attempts exceeded")
	e.mustSignIn(clientID, "bob", goodPassword)
	e.clk.Advance(time.Second)
	e.mustSignIn(clientID, "alice", goodPassword)
}
