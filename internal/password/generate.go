package password

import (
	"crypto/rand"
	"math/big"
)

// Character sets for generated passwords. They leave out look-alikes
// (0/O/o, 1/l/I) and the symbols that are awkward in an email or SMS
// template (quotes, backslash, angle brackets, ampersand, space, brackets):
// every symbol used is in Cognito's set.
const (
	genUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	genLower  = "abcdefghijkmnpqrstuvwxyz"
	genDigits = "23456789"
	genSymbol = "!#$%*+-.:=?@^_~"
	genAll    = genUpper + genLower + genDigits + genSymbol
)

// GeneratedMinimumLength is the shortest temporary password generated.
const GeneratedMinimumLength = 12

// GenerateTemporary returns a random password (crypto/rand) that satisfies
// p and Pattern: max(p.MinimumLength, 12) characters with at least one of
// each character class, whatever the policy requires.
func GenerateTemporary(p Policy) string {
	n := max(p.MinimumLength, GeneratedMinimumLength)
	out := make([]byte, 0, n)
	for _, set := range []string{genUpper, genLower, genDigits, genSymbol} {
		out = append(out, set[randIndex(len(set))])
	}
	for len(out) < n {
		out = append(out, genAll[randIndex(len(genAll))])
	}
	// Fisher–Yates, so the mandatory characters are anywhere.
	for i := len(out) - 1; i > 0; i-- {
		j := randIndex(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func randIndex(n int) int {
	i, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("password: crypto/rand: " + err.Error()) // rand.Reader never fails (Go 1.24+)
	}
	return int(i.Int64())
}
