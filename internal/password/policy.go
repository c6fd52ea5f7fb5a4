// Package password holds what Cogito knows about user passwords: the pool's
// password policy and its exact error messages, temporary-password
// generation, and the credentials document stored for each user (an SRP
// salt and verifier, never the password) with its history and expiry.
package password

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
)

// Cognito's defaults for a pool without a password policy (reference facts
// §5.6; AWS CLI create-user-pool output; unverified for the API) and the
// limits of PasswordPolicyType.
const (
	DefaultMinimumLength                 = 8
	DefaultTemporaryPasswordValidityDays = 7
	MaxHistorySize                       = 24
)

// Policy is a pool's password policy with Cognito's defaults applied.
type Policy struct {
	MinimumLength     int
	RequireUppercase  bool
	RequireLowercase  bool
	RequireNumbers    bool
	RequireSymbols    bool
	HistorySize       int           // PasswordHistorySize, 0–24; 0 = no history check
	TemporaryValidity time.Duration // TemporaryPasswordValidityDays days
}

// DefaultPolicy is the policy of a pool created without one: at least 8
// characters with all four character classes, no history, temporary
// passwords valid for 7 days.
func DefaultPolicy() Policy {
	return Policy{
		MinimumLength:     DefaultMinimumLength,
		RequireUppercase:  true,
		RequireLowercase:  true,
		RequireNumbers:    true,
		RequireSymbols:    true,
		TemporaryValidity: DefaultTemporaryPasswordValidityDays * 24 * time.Hour,
	}
}

// NewPolicy converts a pool's PasswordPolicyType, filling what it leaves
// out: a nil policy is DefaultPolicy; a missing MinimumLength is 8; a
// TemporaryPasswordValidityDays of 0 ("not given") is 7 days; a missing
// PasswordHistorySize is 0. Out-of-range values are clamped (the pools
// service validates them on the way in).
func NewPolicy(pp *cognitoidp.PasswordPolicyType) Policy {
	if pp == nil {
		return DefaultPolicy()
	}
	p := Policy{
		MinimumLength:    DefaultMinimumLength,
		RequireUppercase: pp.RequireUppercase,
		RequireLowercase: pp.RequireLowercase,
		RequireNumbers:   pp.RequireNumbers,
		RequireSymbols:   pp.RequireSymbols,
	}
	if pp.MinimumLength != nil {
		p.MinimumLength = int(*pp.MinimumLength)
	}
	if pp.PasswordHistorySize != nil {
		p.HistorySize = min(max(int(*pp.PasswordHistorySize), 0), MaxHistorySize)
	}
	days := int(pp.TemporaryPasswordValidityDays)
	if days <= 0 {
		days = DefaultTemporaryPasswordValidityDays
	}
	p.TemporaryValidity = time.Duration(days) * 24 * time.Hour
	return p
}

// Message prefixes of InvalidPasswordException. Both are seen in output of
// the live service quoted by client code: "did not conform with policy"
// mostly from SignUp, "does not conform to policy" from ConfirmForgotPassword,
// ChangePassword and the NEW_PASSWORD_REQUIRED answer (unverified which
// operation uses which; reference facts §5.6 gives the first).
const (
	PrefixDidNotConform  = "Password did not conform with policy: "
	PrefixDoesNotConform = "Password does not conform to policy: "
)

// The reasons, exactly as Cognito words them (reference facts §5.6,
// observed).
const (
	ReasonNotLongEnough = "Password not long enough"
	ReasonUppercase     = "Password must have uppercase characters"
	ReasonLowercase     = "Password must have lowercase characters"
	ReasonNumeric       = "Password must have numeric characters"
	ReasonSymbol        = "Password must have symbol characters"
)

// Symbols are the characters that count as symbols: Cognito's documented set
// and the space.
const Symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// Check reports the first rule of p that password breaks, as Cognito's
// InvalidPasswordException "Password did not conform with policy: <reason>",
// or nil.
//
// Order: length, then lowercase, uppercase, numbers, symbols. Cognito
// reports one reason; which one comes first is not documented. Observed
// answers fix part of the order — "12341234" under the default policy is
// refused for lowercase (so lowercase precedes uppercase and symbols),
// "TestTest" for numbers (numbers precede symbols); length first and
// uppercase before numbers are choices (unverified).
//
// Length counts characters (Unicode code points). Only Basic Latin letters
// A–Z and a–z count as upper- and lowercase and only 0–9 as numbers; other
// characters count towards the length only.
func Check(p Policy, password string) error {
	return CheckPrefixed(p, password, PrefixDidNotConform)
}

// CheckPrefixed is Check with the other message prefix (see
// PrefixDoesNotConform) for operations that use it.
func CheckPrefixed(p Policy, password, prefix string) error {
	if r := Violation(p, password); r != "" {
		return cognitoidp.NewInvalidPasswordException(prefix + r)
	}
	return nil
}

// Violation returns the reason Check would report, or "".
func Violation(p Policy, password string) string {
	if utf8.RuneCountInString(password) < p.MinimumLength {
		return ReasonNotLongEnough
	}
	var upper, lower, number, symbol bool
	for _, r := range password {
		switch {
		case 'A' <= r && r <= 'Z':
			upper = true
		case 'a' <= r && r <= 'z':
			lower = true
		case '0' <= r && r <= '9':
			number = true
		case r < utf8.RuneSelf && strings.IndexByte(Symbols, byte(r)) >= 0:
			symbol = true
		}
	}
	switch {
	case p.RequireLowercase && !lower:
		return ReasonLowercase
	case p.RequireUppercase && !upper:
		return ReasonUppercase
	case p.RequireNumbers && !number:
		return ReasonNumeric
	case p.RequireSymbols && !symbol:
		return ReasonSymbol
	}
	return ""
}

// Pattern is the regular expression Cognito reports for passwords with
// leading or trailing whitespace (observed in 2025 from
// ConfirmForgotPassword). The botocore model still says [\S]+, which would
// refuse any space, but the service accepts inner spaces.
const Pattern = `^[\S]+.*[\S]+$`

// CheckPattern applies Pattern with the semantics of Java's regular
// expressions (the service's): the first and last characters must not be
// whitespace (space, \t, \n, \v, \f, \r), no character between them may end
// a line (\n, \r, U+0085, U+2028, U+2029), and there must be at least two
// characters. The failure is the service's request validation error,
// InvalidParameterException "1 validation error detected: Value at
// '<member>' failed to satisfy constraint: Member must satisfy regular
// expression pattern: ^[\S]+.*[\S]+$" (the value is never shown: passwords
// are sensitive). member is the request member in lower camel case
// (password, proposedPassword, temporaryPassword).
func CheckPattern(member, password string) error {
	if matchesPattern(password) {
		return nil
	}
	return awserr.InvalidParameter("1 validation error detected: Value at '" + member +
		"' failed to satisfy constraint: Member must satisfy regular expression pattern: " + Pattern)
}

func matchesPattern(s string) bool {
	first, n1 := utf8.DecodeRuneInString(s)
	last, n2 := utf8.DecodeLastRuneInString(s)
	if n1 == 0 || len(s) < n1+n2 || javaSpace(first) || javaSpace(last) {
		return false
	}
	for _, r := range s[n1 : len(s)-n2] {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			return false
		}
	}
	return true
}

func javaSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}
