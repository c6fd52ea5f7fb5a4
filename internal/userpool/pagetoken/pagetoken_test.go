package pagetoken

import "testing"

func TestRoundTripAndScope(t *testing.T) {
	tok := Wrap("v1", []string{"us-east-1_a", "alice"}, "store-7")
	if got, ok := Unwrap("v1", []string{"us-east-1_a", "alice"}, tok); !ok || got != "store-7" {
		t.Fatalf("Unwrap = %q, %v", got, ok)
	}
	for _, tc := range []struct {
		version string
		scope   []string
		tok     string
	}{
		{"v2", []string{"us-east-1_a", "alice"}, tok},
		{"v1", []string{"us-east-1_a", "bob"}, tok},
		{"v1", []string{"us-east-1_a"}, tok},
		{"v1", []string{"us-east-1_a", "alice"}, "!!"},
		{"v1", []string{"us-east-1_a", "alice"}, Wrap("v1", []string{"us-east-1_a", "alice"}, "")},
	} {
		if _, ok := Unwrap(tc.version, tc.scope, tc.tok); ok {
			t.Errorf("Unwrap(%q, %v, %q) accepted", tc.version, tc.scope, tc.tok)
		}
	}
}
