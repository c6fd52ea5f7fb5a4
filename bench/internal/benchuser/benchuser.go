// Package benchuser is the naming scheme of the users the benchmarks put in a pool, shared by the load
// generator (which prefills pools over the API and then addresses users by index) and the harness (which
// prefills large pools directly in the store), so that a pool filled by one is measured by the other.
//
// User i (0 <= i < Max) is Name(i) = "u" + i on 7 digits, with email Email(i) = Name(i) + "@" + Domain,
// verified. Because the width is fixed, the email prefix EmailPrefix(g) = "u" + g on 6 digits matches
// exactly the ten users 10g .. 10g+9, whatever the pool's size (as long as it holds them).
package benchuser

import "strconv"

const (
	// Domain is the email domain of every benchmark user.
	Domain = "bench.example"
	// Max is the number of users the scheme can name.
	Max = 10_000_000
	// PerPrefix is how many users an EmailPrefix matches.
	PerPrefix = 10
	digits    = 7
)

// AppendName appends user i's username.
func AppendName(b []byte, i uint64) []byte {
	b = append(b, 'u')
	return appendPadded(b, i, digits)
}

// AppendEmail appends user i's email address.
func AppendEmail(b []byte, i uint64) []byte {
	b = AppendName(b, i)
	b = append(b, '@')
	return append(b, Domain...)
}

// AppendEmailPrefix appends the email prefix shared by users 10g .. 10g+9.
func AppendEmailPrefix(b []byte, g uint64) []byte {
	b = append(b, 'u')
	return appendPadded(b, g, digits-1)
}

// Name is user i's username.
func Name(i uint64) string { return string(AppendName(nil, i)) }

// Email is user i's email address.
func Email(i uint64) string { return string(AppendEmail(nil, i)) }

// EmailPrefix is the email prefix shared by users 10g .. 10g+9.
func EmailPrefix(g uint64) string { return string(AppendEmailPrefix(nil, g)) }

func appendPadded(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], v, 10)
	for n := len(s); n < width; n++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
