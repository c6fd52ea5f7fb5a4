package password

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
)

func TestNewPolicy(t *testing.T) {
	if got := NewPolicy(nil); got != DefaultPolicy() {
		t.Fatalf("NewPolicy(nil) = %+v", got)
	}
	d := DefaultPolicy()
	if d.MinimumLength != 8 || !d.RequireUppercase || !d.RequireLowercase || !d.RequireNumbers || !d.RequireSymbols ||
		d.HistorySize != 0 || d.TemporaryValidity != 7*24*time.Hour {
		t.Fatalf("DefaultPolicy = %+v", d)
	}
	got := NewPolicy(&cognitoidp.PasswordPolicyType{})
	if got.MinimumLength != 8 || got.RequireUppercase || got.RequireSymbols || got.TemporaryValidity != 7*24*time.Hour {
		t.Fatalf("empty policy = %+v", got)
	}
	got = NewPolicy(&cognitoidp.PasswordPolicyType{
		MinimumLength: api.Ptr(int32(12)), RequireNumbers: true, PasswordHistorySize: api.Ptr(int32(5)),
		TemporaryPasswordValidityDays: 2,
	})
	want := Policy{MinimumLength: 12, RequireNumbers: true, HistorySize: 5, TemporaryValidity: 48 * time.Hour}
	if got != want {
		t.Fatalf("NewPolicy = %+v, want %+v", got, want)
	}
	if got := NewPolicy(&cognitoidp.PasswordPolicyType{PasswordHistorySize: api.Ptr(int32(99))}); got.HistorySize != MaxHistorySize {
		t.Fatalf("history not clamped: %d", got.HistorySize)
	}
}

func wantInvalidPassword(t *testing.T, err error, prefix, reason string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error %v is not an AWS error", err)
	}
	if e.Code != "InvalidPasswordException" || e.Status != 400 || e.Message != prefix+reason {
		t.Fatalf("got %s %d %q, want InvalidPasswordException %q", e.Code, e.Status, e.Message, prefix+reason)
	}
}

func TestCheckMessages(t *testing.T) {
	all := DefaultPolicy()
	for _, c := range []struct {
		pw, reason string
	}{
		{"Ab1!", "Password not long enough"},
		{"", "Password not long enough"},
		{"ab1!", "Password not long enough"}, // length is reported before classes
		{"12341234", "Password must have lowercase characters"},
		{"ABCD1234!", "Password must have lowercase characters"},
		{"abcd1234!", "Password must have uppercase characters"},
		{"TestTest", "Password must have numeric characters"},
		{"TestTest!", "Password must have numeric characters"},
		{"TestTest1", "Password must have symbol characters"},
		{"ÄÖÜäöüß1!", "Password must have lowercase characters"}, // letters must be Basic Latin
		{"abcdÄÖÜ1!", "Password must have uppercase characters"},
		{"Abcdefg١!", "Password must have numeric characters"}, // Arabic-Indic digit
		{"Abcdef12€", "Password must have symbol characters"},  // € is not a symbol
	} {
		wantInvalidPassword(t, Check(all, c.pw), PrefixDidNotConform, c.reason)
		if got := Violation(all, c.pw); got != c.reason {
			t.Errorf("Violation(%q) = %q", c.pw, got)
		}
	}
	for _, ok := range []string{"Passw0rd!", "Abcdef1 ", "pässwörD1!", "Aa1" + strings.Repeat("x", 5) + "~"} {
		if err := Check(all, ok); err != nil {
			t.Errorf("Check(%q) = %v", ok, err)
		}
	}
	wantInvalidPassword(t, CheckPrefixed(all, "short", PrefixDoesNotConform), "Password does not conform to policy: ", "Password not long enough")
}

func TestCheckCountsCharacters(t *testing.T) {
	p := Policy{MinimumLength: 6}
	if err := Check(p, "ääääää"); err != nil { // 6 characters, 12 bytes
		t.Fatalf("6 characters: %v", err)
	}
	if err := Check(p, "äääää"); err == nil { // 5 characters, 10 bytes
		t.Fatal("5 characters accepted")
	}
}

func TestEveryRequirementAlone(t *testing.T) {
	base := Policy{MinimumLength: 1}
	for _, c := range []struct {
		set    func(*Policy)
		reason string
		fix    string
	}{
		{func(p *Policy) { p.RequireUppercase = true }, ReasonUppercase, "A"},
		{func(p *Policy) { p.RequireLowercase = true }, ReasonLowercase, "a"},
		{func(p *Policy) { p.RequireNumbers = true }, ReasonNumeric, "7"},
		{func(p *Policy) { p.RequireSymbols = true }, ReasonSymbol, "#"},
	} {
		p := base
		c.set(&p)
		wantInvalidPassword(t, Check(p, "€€€€"), PrefixDidNotConform, c.reason)
		if err := Check(p, "€€"+c.fix); err != nil {
			t.Errorf("%s: %v", c.reason, err)
		}
	}
}

func TestSymbols(t *testing.T) {
	p := Policy{RequireSymbols: true}
	for _, r := range Symbols {
		if err := Check(p, "x"+string(r)+"x"); err != nil {
			t.Errorf("%q is not taken as a symbol", r)
		}
	}
	if len(Symbols) != 33 {
		t.Errorf("len(Symbols) = %d: the documented 32 and space", len(Symbols))
	}
	for _, r := range "€§°±×÷¡¿«»\t\n" {
		if err := Check(p, "x"+string(r)+"x"); err == nil {
			t.Errorf("%q taken as a symbol", r)
		}
	}
}

func TestCheckPattern(t *testing.T) {
	for _, ok := range []string{"ab", "a b", "Passw0rd!", "a\u00a0b", "a\tb", "ä ö", "x\u00a0"} {
		if err := CheckPattern("password", ok); err != nil {
			t.Errorf("CheckPattern(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a", " ab", "ab ", "\tab", "ab\n", "a\nb", "a\rb", "a\u2028b", "a\u0085b", "ab\v", "\fab"} {
		err := CheckPattern("proposedPassword", bad)
		e, ok := awserr.As(err)
		if !ok || e.Code != "InvalidParameterException" || e.Status != 400 {
			t.Errorf("CheckPattern(%q) = %v", bad, err)
			continue
		}
		want := `1 validation error detected: Value at 'proposedPassword' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\S]+.*[\S]+$`
		if e.Message != want {
			t.Errorf("message %q", e.Message)
		}
	}
	if err := CheckPattern("password", " Secret-Value"); err == nil || strings.Contains(err.Error(), "Secret-Value") {
		t.Errorf("message shows the password: %v", err)
	}
}

// TestGenerateTemporary: over random policies, generated passwords always
// pass the policy and the pattern, have the promised length and every
// character class, and do not repeat.
func TestGenerateTemporary(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := range 2000 {
		p := Policy{
			MinimumLength:    6 + rng.IntN(94), // 6–99
			RequireUppercase: rng.IntN(2) == 0,
			RequireLowercase: rng.IntN(2) == 0,
			RequireNumbers:   rng.IntN(2) == 0,
			RequireSymbols:   rng.IntN(2) == 0,
		}
		if i == 0 {
			p = DefaultPolicy()
		}
		pw := GenerateTemporary(p)
		if err := Check(p, pw); err != nil {
			t.Fatalf("policy %+v: %q: %v", p, pw, err)
		}
		if err := Check(Policy{MinimumLength: len(pw), RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}, pw); err != nil {
			t.Fatalf("%q lacks a class: %v", pw, err)
		}
		if err := CheckPattern("temporaryPassword", pw); err != nil {
			t.Fatalf("%q: %v", pw, err)
		}
		if n := utf8.RuneCountInString(pw); n != max(p.MinimumLength, GeneratedMinimumLength) || n < 8 {
			t.Fatalf("length %d for minimum %d", n, p.MinimumLength)
		}
		if seen[pw] {
			t.Fatalf("%q generated twice", pw)
		}
		seen[pw] = true
	}
}
