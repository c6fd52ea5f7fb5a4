package srp

import (
	"errors"
	"time"
)

// timestampLayout is the clients' "ddd MMM D HH:mm:ss UTC YYYY": English
// names, day of month without padding, e.g. "Tue Sep 7 03:04:05 UTC 2021".
// "UTC" is literal text in a Go layout, not a zone directive.
const timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// DefaultTimestampTolerance is how far a client's TIMESTAMP may be from the
// server's clock in either direction when the service has no setting of its
// own. Cognito's tolerance is not documented (unverified); five minutes
// accepts the clock skew of ordinary devices, as SigV4 does.
const DefaultTimestampTolerance = 5 * time.Minute

// Timestamp errors.
var (
	ErrBadTimestamp     = errors.New("srp: TIMESTAMP is not in the format ddd MMM D HH:mm:ss UTC YYYY")
	ErrTimestampSkewed  = errors.New("srp: TIMESTAMP is too far from the server's clock")
	errTimestampTooLong = errors.New("srp: TIMESTAMP too long")
)

// FormatTimestamp formats t (converted to UTC) as the clients do, with the
// day of month not zero-padded.
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format(timestampLayout)
}

// ParseTimestamp parses a client TIMESTAMP. It accepts the day of month with
// or without a leading zero (pycognito strips it; other clients may not),
// English weekday and month abbreviations in any letter case, runs of
// spaces where the format has one (asctime's "Sep  7"), and requires the
// literal "UTC". The weekday must be a valid name but is not checked
// against the date.
func ParseTimestamp(s string) (time.Time, error) {
	if len(s) > 64 {
		return time.Time{}, errors.Join(ErrBadTimestamp, errTimestampTooLong)
	}
	t, err := time.Parse(timestampLayout, s)
	if err != nil {
		return time.Time{}, ErrBadTimestamp
	}
	return t, nil
}

// CheckTimestamp parses s and checks it lies within tolerance of now. The
// signature covers the string verbatim, so callers hash s itself, never a
// re-formatted time.
func CheckTimestamp(s string, now time.Time, tolerance time.Duration) (time.Time, error) {
	t, err := ParseTimestamp(s)
	if err != nil {
		return time.Time{}, err
	}
	d := now.Sub(t)
	if d < 0 {
		d = -d
	}
	if d > tolerance {
		return t, ErrTimestampSkewed
	}
	return t, nil
}
