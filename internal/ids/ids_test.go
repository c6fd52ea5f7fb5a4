package ids

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestFormats(t *testing.T) {
	tests := []struct {
		name string
		gen  func() string
		re   *regexp.Regexp
	}{
		{"UserPoolID", func() string { return UserPoolID("us-east-1") }, regexp.MustCompile(`^us-east-1_[A-Za-z0-9]{9}$`)},
		{"ClientID", ClientID, regexp.MustCompile(`^[a-z0-9]{26}$`)},
		{"ClientSecret", ClientSecret, regexp.MustCompile(`^[a-z0-9]{51}$`)},
		{"Sub", Sub, uuidV4},
		{"RequestID", RequestID, uuidV4},
		{"DeviceKey", func() string { return DeviceKey("eu-west-2") }, regexp.MustCompile(`^eu-west-2_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)},
		{"IdentityPoolID", func() string { return IdentityPoolID("ap-south-1") }, regexp.MustCompile(`^ap-south-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)},
		{"IdentityID", func() string { return IdentityID("ap-south-1") }, regexp.MustCompile(`^ap-south-1:[0-9a-f-]{36}$`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := make(map[string]bool)
			for range 2000 {
				s := tc.gen()
				if !tc.re.MatchString(s) {
					t.Fatalf("%q does not match %v", s, tc.re)
				}
				if seen[s] {
					t.Fatalf("duplicate %q", s)
				}
				seen[s] = true
			}
		})
	}
}

// The model patterns must accept what we generate.
func TestGeneratedIDsValidate(t *testing.T) {
	for _, region := range []string{"us-east-1", "us-gov-west-1", "eu-central-2"} {
		id := UserPoolID(region)
		if !ValidUserPoolID(id) {
			t.Errorf("ValidUserPoolID(%q) = false", id)
		}
		if got, ok := RegionOfPoolID(id); !ok || got != region {
			t.Errorf("RegionOfPoolID(%q) = %q, %v", id, got, ok)
		}
		ip := IdentityPoolID(region)
		if !ValidIdentityPoolID(ip) {
			t.Errorf("ValidIdentityPoolID(%q) = false", ip)
		}
		if got, ok := RegionOfIdentityPoolID(ip); !ok || got != region {
			t.Errorf("RegionOfIdentityPoolID(%q) = %q, %v", ip, got, ok)
		}
		dk := DeviceKey(region)
		if len(dk) > 55 {
			t.Errorf("device key %q longer than the model's 55", dk)
		}
	}
	if s := ClientSecret(); len(s) < 24 || len(s) > 64 {
		t.Errorf("secret length %d outside the model's 24..64", len(s))
	}
}

func TestValidUserPoolID(t *testing.T) {
	tests := []struct {
		in     string
		ok     bool
		region string
	}{
		{"us-east-1_AbCdEfGhI", true, "us-east-1"},
		{"local_abc", true, "local"},
		{"a_b_c", true, "a_b"}, // \w includes '_': the region is everything before the last '_'
		{"x_1", true, "x"},
		{"", false, ""},
		{"us-east-1", false, ""},
		{"us-east-1_", false, ""},
		{"_abc", false, ""},
		{"us-east-1_abc-def", false, ""},
		{"us-east-1_abc!", false, ""},
		{"us east-1_abc", false, ""},
		{"us-east-1_ab\n", false, ""},
		{"us-east-1_" + strings.Repeat("a", 45), true, "us-east-1"}, // 55 characters
		{"us-east-1_" + strings.Repeat("a", 46), false, ""},         // 56 characters
	}
	for _, tc := range tests {
		if got := ValidUserPoolID(tc.in); got != tc.ok {
			t.Errorf("ValidUserPoolID(%q) = %v, want %v", tc.in, got, tc.ok)
		}
		region, ok := RegionOfPoolID(tc.in)
		if ok != tc.ok || region != tc.region {
			t.Errorf("RegionOfPoolID(%q) = %q, %v; want %q, %v", tc.in, region, ok, tc.region, tc.ok)
		}
	}
}

func TestValidIdentityPoolID(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"us-east-1:0e2a1b4c-1d2e-4f3a-8b9c-0123456789ab", true},
		{"us-east-1:abc", true},
		{"us-east-1:ABC", false},
		{"us-east-1", false},
		{":abc", false},
		{"us-east-1:", false},
		{"us-east-1_abc", false},
	}
	for _, tc := range tests {
		if got := ValidIdentityPoolID(tc.in); got != tc.ok {
			t.Errorf("ValidIdentityPoolID(%q) = %v, want %v", tc.in, got, tc.ok)
		}
	}
}

func TestClientSecretID(t *testing.T) {
	created := time.Date(2025, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	if got, want := ClientSecretID("abc123", created), "abc123--1741064767008"; got != want {
		t.Errorf("ClientSecretID = %q, want %q", got, want)
	}
}

// TestRandomStringUniform is a loose check that every symbol turns up about
// equally often (a modulo bias on a 62-symbol alphabet would skew the first
// 8 symbols by ~25%).
func TestRandomStringUniform(t *testing.T) {
	for _, alphabet := range []string{alnum, lowerAlnum} {
		const draws = 200_000
		counts := make(map[byte]int)
		s := randomString(alphabet, draws)
		if len(s) != draws {
			t.Fatalf("len = %d", len(s))
		}
		for i := range len(s) {
			counts[s[i]]++
		}
		if len(counts) != len(alphabet) {
			t.Fatalf("saw %d distinct symbols, want %d", len(counts), len(alphabet))
		}
		want := float64(draws) / float64(len(alphabet))
		for c, n := range counts {
			// The standard deviation is about sqrt(want) (< 75 here); allow 8 of them.
			if d := float64(n) - want; d > 600 || d < -600 {
				t.Errorf("alphabet %q: symbol %q drawn %d times, expected about %.0f", alphabet, c, n, want)
			}
		}
	}
}
