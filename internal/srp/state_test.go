package srp

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
	"time"
)

func testState(now time.Time) State {
	return State{
		PoolID:    "us-east-1_AbCdEfGhI",
		ClientID:  "1example23456789abcdefghij",
		Username:  "5f0b8c1e-3d2a-4b6f-9e7d-1a2b3c4d5e6f",
		DeviceKey: "",
		A:         new(big.Int).Sub(N(), big.NewInt(5)),
		B:         big.NewInt(0x1234567),
		Secret:    new(big.Int).Lsh(big.NewInt(0xdeadbeef), 200),
		IssuedAt:  now,
	}
}

func TestStateRoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{9}, StateKeySize)
	now := time.Date(2025, 1, 2, 3, 4, 5, 678901234, time.UTC)
	st := testState(now)
	st.DeviceKey = "us-east-1_0b8e7c6d-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	sealed, err := SealState(key, st)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(st.Username)) || bytes.Contains(sealed, st.Secret.Bytes()) {
		t.Fatal("sealed block shows its contents")
	}
	got, err := OpenState(key, sealed, now.Add(time.Minute), 3*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got.PoolID != st.PoolID || got.ClientID != st.ClientID || got.Username != st.Username || got.DeviceKey != st.DeviceKey ||
		got.A.Cmp(st.A) != 0 || got.B.Cmp(st.B) != 0 || got.Secret.Cmp(st.Secret) != 0 || !got.IssuedAt.Equal(now) {
		t.Fatalf("OpenState = %+v", got)
	}
	// Two seals of one state differ (random nonce).
	again, _ := SealState(key, st)
	if bytes.Equal(again, sealed) {
		t.Fatal("sealing is deterministic")
	}
}

func TestStateRejects(t *testing.T) {
	key := bytes.Repeat([]byte{9}, StateKeySize)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	sealed, err := SealState(key, testState(now))
	if err != nil {
		t.Fatal(err)
	}
	// Every single-bit flip is caught.
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x10
		if _, err := OpenState(key, bad, now, time.Minute); !errors.Is(err, ErrStateInvalid) {
			t.Fatalf("flip at %d: %v", i, err)
		}
	}
	if _, err := OpenState(key, sealed[:len(sealed)-1], now, time.Minute); !errors.Is(err, ErrStateInvalid) {
		t.Errorf("truncated: %v", err)
	}
	if _, err := OpenState(key, nil, now, time.Minute); !errors.Is(err, ErrStateInvalid) {
		t.Errorf("empty: %v", err)
	}
	other := bytes.Repeat([]byte{8}, StateKeySize)
	if _, err := OpenState(other, sealed, now, time.Minute); !errors.Is(err, ErrStateInvalid) {
		t.Errorf("other key: %v", err)
	}
	if _, err := OpenState(key, sealed, now.Add(3*time.Minute+time.Nanosecond), 3*time.Minute); !errors.Is(err, ErrStateExpired) {
		t.Errorf("expired: %v", err)
	}
	if _, err := OpenState(key, sealed, now.Add(3*time.Minute), 3*time.Minute); err != nil {
		t.Errorf("at exactly maxAge: %v", err)
	}
	if _, err := OpenState(key, sealed, now.Add(-2*time.Minute), 3*time.Minute); !errors.Is(err, ErrStateExpired) {
		t.Errorf("issued in the future: %v", err)
	}
	if _, err := SealState(key[:16], testState(now)); err == nil {
		t.Error("short key accepted")
	}
	if _, err := OpenState(key[:31], sealed, now, time.Minute); err == nil {
		t.Error("short key accepted on open")
	}
	st := testState(now)
	st.Secret = nil
	if _, err := SealState(key, st); err == nil {
		t.Error("state without b sealed")
	}
	st = testState(now)
	st.Username = string(make([]byte, 2000))
	if _, err := SealState(key, st); err == nil {
		t.Error("oversized field sealed")
	}
}
