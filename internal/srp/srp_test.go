package srp

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestPadHex(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{0, "00"}, {1, "01"}, {0x7f, "7f"}, {0x80, "0080"}, {0xff, "00ff"}, {0x100, "0100"},
		{0x7fff, "7fff"}, {0x8000, "008000"}, {0xabc, "0abc"}, {0x0fff, "0fff"},
	} {
		if got := PadHex(big.NewInt(c.in)); got != c.want {
			t.Errorf("PadHex(%#x) = %s, want %s", c.in, got, c.want)
		}
		if got := hex.EncodeToString(padBytes(big.NewInt(c.in))); got != c.want {
			t.Errorf("padBytes(%#x) = %s, want %s", c.in, got, c.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("PadHex(-1) did not panic")
		}
	}()
	PadHex(big.NewInt(-1))
}

func TestHexHash(t *testing.T) {
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	for _, c := range []struct{ in, decoded string }{
		{"", ""},
		{"00ff", "00ff"},
		{"00FF", "00ff"},
		{"abc", "ab"},    // trailing nibble dropped
		{"ab zz", "ab"},  // stops at the first bad pair
		{"abzz12", "ab"}, // and does not resume
		{"0x12", ""},     // no prefix handling
		{"a", ""},        // a single nibble is nothing
		{"1234", "1234"}, // plain
		{"fffe", "fffe"}, // high bit
		{"00a1b2", "00a1b2"},
	} {
		want := sum(mustDecode(t, c.decoded))
		if got := HexHash(c.in); got != want {
			t.Errorf("HexHash(%q) hashed the wrong bytes", c.in)
		}
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKFromFormula(t *testing.T) {
	// k = H(0x00 ‖ N ‖ 0x02): g is not padded to the width of N.
	h := sha256.New()
	h.Write([]byte{0})
	h.Write(nInt.Bytes())
	h.Write([]byte{2})
	if got := hex.EncodeToString(h.Sum(nil)); got != KHex {
		t.Fatalf("k = %s", got)
	}
	if K().Text(16) != KHex || N().Cmp(nInt) != 0 || nInt.BitLen() != 3072 {
		t.Fatal("exported constants")
	}
	if N().Add(N(), big.NewInt(1)); nInt.Text(16) != strings.ToLower(NHex) {
		t.Fatal("N() exposed the shared value")
	}
}

func TestHKDFMatchesHMACConstruction(t *testing.T) {
	S := new(big.Int).Lsh(big.NewInt(0xabcdef), 3000)
	u := big.NewInt(0x8899)
	prk := hmac.New(sha256.New, padBytes(u))
	prk.Write(padBytes(S))
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write([]byte("Caldera Derived Key\x01"))
	want := okm.Sum(nil)[:16]
	if got := sessionKey(S, u); !bytes.Equal(got, want) {
		t.Fatalf("sessionKey = %x, want %x", got, want)
	}
}

func TestPoolName(t *testing.T) {
	for in, want := range map[string]string{
		"us-east-1_AbCdEfGhI": "AbCdEfGhI",
		"eu-west-2_a_b":       "a_b",
		"nounderscore":        "nounderscore",
		"_x":                  "x",
	} {
		if got := PoolName(in); got != want {
			t.Errorf("PoolName(%q) = %q", in, got)
		}
	}
}

func TestSaltCanonicalForm(t *testing.T) {
	for _, c := range []struct{ raw, canon string }{
		{"3a1f5c7e9b2d4f6081a3c5e7092b4d6f", "3a1f5c7e9b2d4f6081a3c5e7092b4d6f"},
		{"c3b2a19f8e7d6c5b4a39281706f5e4d3", "00c3b2a19f8e7d6c5b4a39281706f5e4d3"},
		{"00007f6e5d4c3b2a1908f7e6d5c4b3a2", "7f6e5d4c3b2a1908f7e6d5c4b3a2"},
		{"0000806e5d4c3b2a1908f7e6d5c4b3a2", "00806e5d4c3b2a1908f7e6d5c4b3a2"},
		{"0a9b8c7d6e5f40312233445566778899", "0a9b8c7d6e5f40312233445566778899"},
		{"00000000000000000000000000000000", "00"},
	} {
		raw := mustDecode(t, c.raw)
		if got := SaltHex(raw); got != c.canon {
			t.Errorf("SaltHex(%s) = %s, want %s", c.raw, got, c.canon)
		}
		if got := hex.EncodeToString(canonicalSalt(raw)); got != c.canon {
			t.Errorf("canonicalSalt(%s) = %s", c.raw, got)
		}
		// Raw and canonical bytes are the same salt.
		if Verifier("p", "u", "pw", raw).Cmp(Verifier("p", "u", "pw", mustDecode(t, c.canon))) != 0 {
			t.Errorf("salt %s: raw and canonical verifiers differ", c.raw)
		}
	}
	for range 64 {
		s := NewSalt()
		if SaltHex(s) != hex.EncodeToString(s) {
			t.Fatalf("NewSalt returned non-canonical %x", s)
		}
		if len(s) == 0 || len(s) > SaltSize+1 {
			t.Fatalf("NewSalt length %d", len(s))
		}
	}
}

// exchange runs one full USER_SRP_AUTH exchange: client and server sides as
// the service would wire them, the server state sealed in SECRET_BLOCK.
func exchange(t *testing.T, poolID, userID, serverPassword, clientPassword string) error {
	t.Helper()
	key := bytes.Repeat([]byte{7}, StateKeySize)
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	poolName := PoolName(poolID)
	salt, v := NewVerifier(poolName, userID, serverPassword)

	// InitiateAuth: the client sends SRP_A; the server answers the challenge.
	client := NewClientSession(poolName)
	A, err := ParsePublic(client.PublicHex())
	if err != nil {
		return err
	}
	b, B := NewServerSession(v)
	sealed, err := SealState(key, State{PoolID: poolID, ClientID: "c", Username: userID, A: A, B: B, Secret: b, IssuedAt: now})
	if err != nil {
		return err
	}
	params := map[string]string{
		"SALT": SaltHex(salt), "SRP_B": B.Text(16), "SECRET_BLOCK": base64.StdEncoding.EncodeToString(sealed),
		"USER_ID_FOR_SRP": userID,
	}

	// The client answers.
	resp, err := client.Respond(params["USER_ID_FOR_SRP"], clientPassword, params["SALT"], params["SRP_B"], params["SECRET_BLOCK"], now.Add(2*time.Second))
	if err != nil {
		return err
	}

	// RespondToAuthChallenge: no Session, everything from the block.
	block, err := base64.StdEncoding.DecodeString(resp.SecretBlock)
	if err != nil {
		return err
	}
	st, err := OpenState(key, block, now.Add(3*time.Second), 3*time.Minute)
	if err != nil {
		return err
	}
	if _, err := CheckTimestamp(resp.Timestamp, now.Add(3*time.Second), DefaultTimestampTolerance); err != nil {
		return err
	}
	k, err := ServerKey(st.A, st.B, st.Secret, v)
	if err != nil {
		return err
	}
	if !CheckSignature(k, PoolName(st.PoolID), st.Username, block, resp.Timestamp, resp.Signature) {
		return errors.New("signature mismatch")
	}
	return nil
}

func TestRoundTrip(t *testing.T) {
	if err := exchange(t, "us-east-1_AbCdEfGhI", "5f0b8c1e-3d2a-4b6f-9e7d-1a2b3c4d5e6f", "Passw0rd!", "Passw0rd!"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if err := exchange(t, "us-east-1_AbCdEfGhI", "alice", "pässwörd ✓", "pässwörd ✓"); err != nil {
		t.Fatalf("unicode password: %v", err)
	}
	if err := exchange(t, "us-east-1_AbCdEfGhI", "alice", "Passw0rd!", "Passw0rd?"); err == nil {
		t.Fatal("wrong password accepted")
	}
}

func TestRoundTripDevice(t *testing.T) {
	const group, device = "-ab3XyZ12", "us-east-1_0b8e7c6d-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	secret := NewDeviceSecret(group, device)
	pv, s := secret.Config()
	pvb, _ := base64.StdEncoding.DecodeString(pv)
	sb, _ := base64.StdEncoding.DecodeString(s)
	v, salt, err := ParseDeviceSecretVerifierConfig(pvb, sb)
	if err != nil {
		t.Fatal(err)
	}
	client := NewClientSession(group)
	A, err := ParsePublic(client.PublicHex())
	if err != nil {
		t.Fatal(err)
	}
	b, B := NewServerSession(v)
	blockBytes := []byte("any opaque block")
	block := base64.StdEncoding.EncodeToString(blockBytes)
	now := time.Now()
	resp, err := client.Respond(device, secret.Password, SaltHex(salt), PadHex(B), block, now)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ServerKey(A, B, b, v)
	if err != nil {
		t.Fatal(err)
	}
	if !CheckSignature(k, group, device, blockBytes, resp.Timestamp, resp.Signature) {
		t.Fatal("device signature rejected")
	}
	if CheckSignature(k, group, "other-device", blockBytes, resp.Timestamp, resp.Signature) {
		t.Fatal("signature accepted for another device key")
	}
	if strings.Contains(secret.String(), secret.Password) {
		t.Fatal("DeviceSecret.String shows the password")
	}
}

func TestParsePublic(t *testing.T) {
	nHex := strings.ToLower(NHex)
	twoN := new(big.Int).Lsh(nInt, 1).Text(16)
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"2", true},
		{"abc", true}, // odd length
		{"ABC", true},
		{"0000abc", true},
		{strings.Repeat("f", 767), true},
		{"", false},
		{"0", false},
		{"000", false},
		{nHex, false},                      // N ≡ 0
		{"00" + nHex, false},               // leading zeros do not hide it
		{twoN, false},                      // 2N ≡ 0
		{"-5", false},                      // no sign
		{"+5", false},                      // no sign
		{"0x5", false},                     // no prefix
		{"5 ", false},                      // no spaces
		{"1_0", false},                     // no underscores
		{"g", false},                       // not hex
		{strings.Repeat("1", 1025), false}, // too long
	} {
		_, err := ParsePublic(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParsePublic(%.20q…) err = %v, want ok=%v", c.in, err, c.ok)
		}
	}
}

func TestServerKeyRejects(t *testing.T) {
	_, v := NewVerifier("p", "u", "pw")
	b, B := NewServerSession(v)
	if _, err := ServerKey(big.NewInt(0), B, b, v); !errors.Is(err, ErrBadPublicValue) {
		t.Errorf("A = 0: %v", err)
	}
	if _, err := ServerKey(N(), B, b, v); !errors.Is(err, ErrBadPublicValue) {
		t.Errorf("A = N: %v", err)
	}
	if _, err := ServerKey(new(big.Int).Mul(N(), big.NewInt(3)), B, b, v); !errors.Is(err, ErrBadPublicValue) {
		t.Errorf("A = 3N: %v", err)
	}
	if _, err := ServerKey(big.NewInt(-2), B, b, v); !errors.Is(err, ErrBadPublicValue) {
		t.Errorf("A < 0: %v", err)
	}
	if _, err := ServerKey(nil, B, b, v); !errors.Is(err, ErrBadPublicValue) {
		t.Errorf("A nil: %v", err)
	}
	if _, err := ServerKey(big.NewInt(2), nil, b, v); !errors.Is(err, ErrBadPublicValue) {
		t.Errorf("B nil: %v", err)
	}
	// A = 1 and A = N-1 are group elements; the protocol accepts them (the
	// client still cannot produce a valid signature without the password).
	if _, err := ServerKey(new(big.Int).Sub(N(), big.NewInt(1)), B, b, v); err != nil {
		t.Errorf("A = N-1: %v", err)
	}
}

func TestUZeroIsRefused(t *testing.T) {
	// u = 0 needs a SHA-256 preimage of zero; check the guard by calling the
	// same comparison the code makes on a zero hash.
	if hashInts(big.NewInt(1), big.NewInt(1)).Sign() == 0 {
		t.Fatal("unexpected zero hash")
	}
	if !errors.Is(ErrZeroU, ErrZeroU) || ErrZeroU.Error() == "" {
		t.Fatal("ErrZeroU")
	}
}

func TestNewServerSession(t *testing.T) {
	_, v := NewVerifier("p", "u", "pw")
	b1, B1 := NewServerSession(v)
	b2, B2 := NewServerSession(v)
	if b1.Cmp(b2) == 0 || B1.Cmp(B2) == 0 {
		t.Fatal("two sessions share a secret")
	}
	if b1.BitLen() > 8*ServerSecretSize || B1.Cmp(nInt) >= 0 || B1.Sign() <= 0 {
		t.Fatal("session values out of range")
	}
	if ServerPublic(v, b1).Cmp(B1) != 0 {
		t.Fatal("ServerPublic disagrees with NewServerSession")
	}
}

func TestCheckSignature(t *testing.T) {
	key := bytes.Repeat([]byte{1}, KeySize)
	block := []byte{0, 1, 2, 0xff}
	good := base64.StdEncoding.EncodeToString(Signature(key, "pool", "user", block, "Tue Sep 7 03:04:05 UTC 2021"))
	if !CheckSignature(key, "pool", "user", block, "Tue Sep 7 03:04:05 UTC 2021", good) {
		t.Fatal("good signature rejected")
	}
	for name, f := range map[string]func() bool{
		"timestamp": func() bool { return CheckSignature(key, "pool", "user", block, "Tue Sep 07 03:04:05 UTC 2021", good) },
		"pool":      func() bool { return CheckSignature(key, "pool2", "user", block, "Tue Sep 7 03:04:05 UTC 2021", good) },
		"block": func() bool {
			return CheckSignature(key, "pool", "user", block[:3], "Tue Sep 7 03:04:05 UTC 2021", good)
		},
		"not base64": func() bool { return CheckSignature(key, "pool", "user", block, "Tue Sep 7 03:04:05 UTC 2021", "!!") },
		"truncated": func() bool {
			return CheckSignature(key, "pool", "user", block, "Tue Sep 7 03:04:05 UTC 2021", good[:20])
		},
		"empty claim": func() bool { return CheckSignature(key, "pool", "user", block, "Tue Sep 7 03:04:05 UTC 2021", "") },
	} {
		if f() {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseVerifier(t *testing.T) {
	for _, c := range []struct {
		in []byte
		ok bool
	}{
		{nil, false},
		{[]byte{0}, false},
		{[]byte{1}, false},
		{[]byte{2}, true},
		{append([]byte{0, 0}, nInt.Bytes()...), false},
		{new(big.Int).Sub(nInt, big.NewInt(1)).Bytes(), true},
		{make([]byte, 500), false},
	} {
		_, err := ParseVerifier(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseVerifier(%x…) = %v", c.in[:min(len(c.in), 4)], err)
		}
	}
	if _, _, err := ParseDeviceSecretVerifierConfig([]byte{2}, nil); err == nil {
		t.Error("empty salt accepted")
	}
	if _, _, err := ParseDeviceSecretVerifierConfig([]byte{2}, make([]byte, 129)); err == nil {
		t.Error("long salt accepted")
	}
}

func TestClientKeyRejectsBadChallenge(t *testing.T) {
	c := NewClientSession("pool")
	if _, err := c.Key("u", "p", "zz", "2"); err == nil {
		t.Error("bad SALT accepted")
	}
	if _, err := c.Key("u", "p", "-1", "2"); err == nil {
		t.Error("negative SALT accepted")
	}
	if _, err := c.Key("u", "p", "01", strings.ToLower(NHex)); err == nil {
		t.Error("B = N accepted")
	}
	if _, err := c.Respond("u", "p", "01", "2", "not base64!", time.Now()); err == nil {
		t.Error("bad SECRET_BLOCK accepted")
	}
	if _, err := NewClientSessionWithSecret("p", big.NewInt(0)); err == nil {
		t.Error("a = 0 accepted")
	}
}
