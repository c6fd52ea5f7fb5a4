package srp

import (
	"bytes"
	"math/big"
	"strings"
	"testing"
	"time"
)

// FuzzServerInputs feeds client-controlled inputs — SRP_A, the salt and
// SRP_B a client parses, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE, a
// PASSWORD_CLAIM_SECRET_BLOCK — through every function that sees them. None
// may panic; accepted values must be consistent.
func FuzzServerInputs(f *testing.F) {
	f.Add("abc", "00c3b2a1", "Tue Sep 7 03:04:05 UTC 2021", "vSAt9TNObmJiMqCjvcGZIS4kavgt+TAizwORO+s7j3Q=", []byte{1, 2, 3})
	f.Add("", "", "", "", []byte(nil))
	f.Add("0", "-1", "Tue Sep 07 03:04:05 UTC 2021", "!!", []byte{0})
	f.Add(strings.ToLower(NHex), strings.ToLower(NHex), "Sun Dec 25 23:59:59 UTC 2022", "====", bytes.Repeat([]byte{0xff}, 64))
	f.Add("00"+NHex, "+5", "Tue Sep 31 03:04:05 UTC 2021", "a", []byte("cogito"))
	f.Add(strings.Repeat("f", 767), "0x10", "tue sep 7 3:4:5 UTC 2021", "AAAA", []byte{})
	f.Add("1", "1_0", "Tue Sep  7 03:04:05 UTC 2021", "AA==", []byte{0x80})

	key := bytes.Repeat([]byte{3}, StateKeySize)
	_, v := NewVerifier("pool", "user", "pw")
	b, B := NewServerSession(v)
	client := NewClientSession("pool")

	f.Fuzz(func(t *testing.T, aHex, saltHex, ts, claim string, block []byte) {
		_ = HexHash(aHex)
		_ = HexHash(saltHex)
		A, err := ParsePublic(aHex)
		if err == nil {
			if A.Sign() <= 0 || new(big.Int).Mod(A, nInt).Sign() == 0 {
				t.Fatalf("ParsePublic accepted %q", aHex)
			}
			k, err := ServerKey(A, B, b, v)
			if err == nil {
				if len(k) != KeySize {
					t.Fatal("key size")
				}
				_ = CheckSignature(k, "pool", "user", block, ts, claim)
			}
			_ = PadHex(A)
		}
		// The client side parses the server's SALT and SRP_B.
		_, _ = client.Key("user", "pw", saltHex, aHex)
		_, _ = ParseTimestamp(ts)
		_, _ = CheckTimestamp(ts, time.Unix(1630983845, 0), time.Minute)
		_, _ = OpenState(key, block, time.Unix(1630983845, 0), time.Minute)
		_, _ = ParseVerifier(block)
		_, _, _ = ParseDeviceSecretVerifierConfig(block, []byte(saltHex))
		_ = SaltHex(block)
		_ = CheckSignature(block, "pool", "user", block, ts, claim)
	})
}
