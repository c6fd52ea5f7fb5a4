package benchuser

import (
	"strings"
	"testing"
)

func TestScheme(t *testing.T) {
	if got := Name(42); got != "u0000042" {
		t.Errorf("Name(42) = %q", got)
	}
	if got := Email(Max - 1); got != "u9999999@bench.example" {
		t.Errorf("Email(Max-1) = %q", got)
	}
	if got := EmailPrefix(4); got != "u000004" {
		t.Errorf("EmailPrefix(4) = %q", got)
	}
	// a prefix matches exactly its ten users among the first 1000
	for g := uint64(0); g < 100; g += 7 {
		p := EmailPrefix(g)
		n := 0
		for i := uint64(0); i < 1000; i++ {
			if strings.HasPrefix(Email(i), p) {
				n++
				if i/PerPrefix != g {
					t.Fatalf("prefix %q matches user %d", p, i)
				}
			}
		}
		if n != PerPrefix {
			t.Fatalf("prefix %q matches %d users", p, n)
		}
	}
}
