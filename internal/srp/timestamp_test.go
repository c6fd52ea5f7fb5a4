package srp

import (
	"errors"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	sep7 := time.Date(2021, 9, 7, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"Tue Sep 7 03:04:05 UTC 2021", sep7},
		{"Tue Sep 07 03:04:05 UTC 2021", sep7}, // zero-padded day
		{"tue sep 7 03:04:05 UTC 2021", sep7},  // letter case of names
		{"Tue Sep  7 03:04:05 UTC 2021", sep7}, // asctime's space padding
		{"Fri Sep 17 13:14:15 UTC 2021", time.Date(2021, 9, 17, 13, 14, 15, 0, time.UTC)},
		{"Thu Feb 29 00:00:00 UTC 2024", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := ParseTimestamp(c.in)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v", c.in, got, err)
		}
	}
	for _, bad := range []string{
		"",
		"Tue Sep 7 03:04:05 GMT 2021",
		"Tue Sep 7 03:04:05 2021",
		"Tue Sep 7 03:04:05 UTC 2021 ",
		"Tuesday Sep 7 03:04:05 UTC 2021",
		"Tue Sept 7 03:04:05 UTC 2021",
		"Tue Sep 31 03:04:05 UTC 2021",
		"Tue Feb 29 03:04:05 UTC 2021",
		"Tue Sep 7 24:04:05 UTC 2021",
		"Tue Sep 7 03:04:05 UTC 21",
		"2021-09-07T03:04:05Z",
		"Xyz Sep 7 03:04:05 UTC 2021",
	} {
		if _, err := ParseTimestamp(bad); !errors.Is(err, ErrBadTimestamp) {
			t.Errorf("ParseTimestamp(%q) err = %v", bad, err)
		}
	}
}

func TestFormatTimestamp(t *testing.T) {
	loc := time.FixedZone("X", 5*3600)
	got := FormatTimestamp(time.Date(2021, 9, 7, 8, 4, 5, 999, loc))
	if got != "Tue Sep 7 03:04:05 UTC 2021" {
		t.Fatalf("FormatTimestamp = %q", got)
	}
}

func TestCheckTimestamp(t *testing.T) {
	now := time.Date(2021, 9, 7, 3, 4, 5, 0, time.UTC)
	ts := "Tue Sep 7 03:04:05 UTC 2021"
	if _, err := CheckTimestamp(ts, now.Add(5*time.Minute), 5*time.Minute); err != nil {
		t.Errorf("at the tolerance: %v", err)
	}
	if _, err := CheckTimestamp(ts, now.Add(-5*time.Minute), 5*time.Minute); err != nil {
		t.Errorf("at the tolerance, client ahead: %v", err)
	}
	if _, err := CheckTimestamp(ts, now.Add(5*time.Minute+time.Second), 5*time.Minute); !errors.Is(err, ErrTimestampSkewed) {
		t.Errorf("late: %v", err)
	}
	if _, err := CheckTimestamp(ts, now.Add(-6*time.Minute), 5*time.Minute); !errors.Is(err, ErrTimestampSkewed) {
		t.Errorf("early: %v", err)
	}
	if _, err := CheckTimestamp("nonsense", now, time.Hour); !errors.Is(err, ErrBadTimestamp) {
		t.Errorf("nonsense: %v", err)
	}
}
