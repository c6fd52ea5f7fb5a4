package message

import (
	"bytes"
	"regexp"
	"testing"
)

func TestNewCode(t *testing.T) {
	six := regexp.MustCompile(`^[0-9]{6}$`)
	seen := map[string]bool{}
	var firstDigits [10]int
	for range 2000 {
		c := NewCode()
		if !six.MatchString(c) {
			t.Fatalf("code %q is not 6 digits", c)
		}
		seen[c] = true
		firstDigits[c[0]-'0']++
	}
	if len(seen) < 1990 {
		t.Errorf("only %d distinct codes in 2000", len(seen))
	}
	for d, n := range firstDigits {
		if n == 0 {
			t.Errorf("no code starts with %d (leading zeros lost?)", d)
		}
	}
}

func TestHashCode(t *testing.T) {
	h := HashCode("pool", "jane", PurposeSignUp, "123456")
	if len(h) != 32 {
		t.Fatalf("hash length %d", len(h))
	}
	if !bytes.Equal(h, HashCode("pool", "jane", PurposeSignUp, "123456")) {
		t.Error("hash is not deterministic")
	}
	if bytes.Contains(h, []byte("123456")) {
		t.Error("hash contains the code")
	}
	if !CodeMatches(h, "pool", "jane", PurposeSignUp, "123456") {
		t.Error("the right code does not match")
	}
	for name, args := range map[string][4]string{
		"code":       {"pool", "jane", PurposeSignUp, "123457"},
		"purpose":    {"pool", "jane", PurposeForgotPassword, "123456"},
		"attribute":  {"pool", "jane", PurposeVerifyAttribute("email"), "123456"},
		"user":       {"pool", "jan", PurposeSignUp, "123456"},
		"pool":       {"pool2", "jane", PurposeSignUp, "123456"},
		"boundary":   {"poolj", "ane", PurposeSignUp, "123456"},
		"whitespace": {"pool", "jane", PurposeSignUp, " 123456"},
	} {
		if CodeMatches(h, args[0], args[1], args[2], args[3]) {
			t.Errorf("%s: a different %s matched", name, name)
		}
	}
	if PurposeVerifyAttribute("email") == PurposeVerifyAttribute("phone_number") {
		t.Error("attribute purposes collide")
	}
	if CodeMatches(nil, "pool", "jane", PurposeSignUp, "123456") || CodeMatches(h[:31], "pool", "jane", PurposeSignUp, "123456") {
		t.Error("a truncated hash matched")
	}
}
