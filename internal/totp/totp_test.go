package totp

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B: the seeds are the ASCII digits "1234567890" repeated
// to the hash's size (20, 32 and 64 bytes), T0 = 0, X = 30 s, 8 digits.
var (
	seed1   = []byte("12345678901234567890")
	seed256 = []byte("12345678901234567890123456789012")
	seed512 = []byte("1234567890123456789012345678901234567890123456789012345678901234")
)

var rfcVectors = []struct {
	unix                 int64
	step                 int64
	sha1, sha256, sha512 string
}{
	{59, 0x1, "94287082", "46119246", "90693936"},
	{1111111109, 0x23523EC, "07081804", "68084774", "25091201"},
	{1111111111, 0x23523ED, "14050471", "67062674", "99943326"},
	{1234567890, 0x273EF07, "89005924", "91819424", "93441116"},
	{2000000000, 0x3F940AA, "69279037", "90698825", "38618901"},
	{20000000000, 0x27BC86AA, "65353130", "77737706", "47863826"},
}

func TestRFC6238Vectors(t *testing.T) {
	for _, v := range rfcVectors {
		at := time.Unix(v.unix, 0).UTC()
		for _, c := range []struct {
			name   string
			p      Params
			secret []byte
			want   string
		}{
			{"SHA1", Params{Digits: 8, Period: 30 * time.Second, Hash: sha1.New}, seed1, v.sha1},
			{"SHA256", Params{Digits: 8, Period: 30 * time.Second, Hash: sha256.New}, seed256, v.sha256},
			{"SHA512", Params{Digits: 8, Period: 30 * time.Second, Hash: sha512.New}, seed512, v.sha512},
		} {
			if got := c.p.Step(at); got != v.step {
				t.Errorf("%s T=%d: step %#x, want %#x", c.name, v.unix, got, v.step)
			}
			if got := c.p.Code(c.secret, at); got != c.want {
				t.Errorf("%s T=%d: code %s, want %s", c.name, v.unix, got, c.want)
			}
		}
	}
}

// Six digits (what Cognito uses) are the same truncated value modulo 10^6:
// the last six digits of the RFC's eight-digit SHA-1 vectors.
func TestSixDigitVectors(t *testing.T) {
	for _, v := range rfcVectors {
		at := time.Unix(v.unix, 0).UTC()
		want := v.sha1[2:]
		if got := Cognito.Code(seed1, at); got != want {
			t.Errorf("T=%d: code %s, want %s", v.unix, got, want)
		}
	}
}

func TestVerifyWindow(t *testing.T) {
	at := time.Unix(1111111111, 0).UTC()
	now := Cognito.Step(at)
	for _, c := range []struct {
		name   string
		offset int64
		ok     bool
	}{
		{"current", 0, true}, {"previous", -1, true}, {"next", 1, true},
		{"two back", -2, false}, {"two ahead", 2, false},
	} {
		code := Cognito.CodeAt(seed1, now+c.offset)
		step, ok := Cognito.Verify(seed1, code, at, Window)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", c.name, ok, c.ok)
		}
		if ok && step != now+c.offset {
			t.Errorf("%s: matched step %d, want %d", c.name, step, now+c.offset)
		}
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef", "050471 "} {
		if _, ok := Cognito.Verify(seed1, bad, at, Window); ok {
			t.Errorf("Verify(%q) accepted", bad)
		}
	}
}

func TestSecretEncoding(t *testing.T) {
	s := NewSecret()
	if len(s) != SecretSize || SecretSize*8 < 160 {
		t.Fatalf("secret of %d bytes", len(s))
	}
	enc := Encode(s)
	if len(enc) != 52 || strings.ContainsAny(enc, "=abcdefghijklmnopqrstuvwxyz") {
		t.Fatalf("Encode = %q: want 52 upper-case Base32 characters without padding", enc)
	}
	for _, in := range []string{enc, strings.ToLower(enc), enc[:4] + " " + enc[4:] + "===="} {
		back, err := Decode(in)
		if err != nil || string(back) != string(s) {
			t.Errorf("Decode(%q) = %x, %v", in, back, err)
		}
	}
	if _, err := Decode("not base32!"); err == nil {
		t.Error("Decode accepted junk")
	}
	if a, b := Encode(NewSecret()), Encode(NewSecret()); a == b {
		t.Error("two secrets are equal")
	}
	// RFC 4648 test vector.
	if got := Encode([]byte("foobar")); got != "MZXW6YTBOI" {
		t.Errorf("Encode(foobar) = %s", got)
	}
}
