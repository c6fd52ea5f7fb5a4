package webauthn

import "testing"

func TestOriginAllowed(t *testing.T) {
	for _, bad := range []string{"ios:bundle-id:x", "android:apk-key-hash:", "localhost:3000", "https://x/p"} {
		if _, err := New(Config{Origins: []string{bad}}); err == nil {
			t.Errorf("origin pattern %q accepted", bad)
		}
	}
	s, err := New(Config{Origins: []string{"http://localhost:*", "http://127.0.0.1:5173", "https://app.example.net:443", "android:apk-key-hash:abc_-1"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		origin, rp string
		want       bool
	}{
		{"https://auth.example.com", "auth.example.com", true},
		{"https://auth.example.com:8443", "auth.example.com", true},
		{"https://AUTH.example.com", "auth.example.com", true},
		{"https://a.b.auth.example.com", "auth.example.com", true},
		{"https://auth.example.com/", "auth.example.com", true},
		{"https://auth.example.com/path", "auth.example.com", false},
		{"http://auth.example.com", "auth.example.com", false},
		{"https://evilauth.example.com", "auth.example.com", false},
		{"https://example.com", "auth.example.com", false},
		{"https://user@auth.example.com", "auth.example.com", false},
		{"auth.example.com", "auth.example.com", false},
		{"", "auth.example.com", false},
		{"http://localhost:3000", "localhost", true},
		{"http://localhost", "localhost", true},
		{"http://localhost:3000", "auth.example.com", true}, // configured: the rp id hash still has to match
		{"http://127.0.0.1:5173", "localhost", true},
		{"http://127.0.0.1:5174", "localhost", false},
		{"https://app.example.net", "x", true},
		{"https://app.example.net:444", "x", false},
		{"http://app.example.net", "x", false},
		{"android:apk-key-hash:abc_-1", "x", true},
		{"android:apk-key-hash:other", "x", false},
		{"android:apk-key-hash:", "x", false},
	}
	for _, c := range cases {
		if got := s.originAllowed(c.origin, c.rp); got != c.want {
			t.Errorf("originAllowed(%q, %q) = %v, want %v", c.origin, c.rp, got, c.want)
		}
	}
	anyApp, err := New(Config{Origins: []string{"android:apk-key-hash:*"}})
	if err != nil {
		t.Fatal(err)
	}
	if !anyApp.originAllowed("android:apk-key-hash:xyz", "x") || anyApp.originAllowed("http://localhost", "localhost") {
		t.Error("android:apk-key-hash:* matches wrongly")
	}
	cases = cases[:0]
	for _, c := range cases {
		if got := s.originAllowed(c.origin, c.rp); got != c.want {
			t.Errorf("originAllowed(%q, %q) = %v, want %v", c.origin, c.rp, got, c.want)
		}
	}
}

func TestFriendlyName(t *testing.T) {
	cases := map[[2]string]string{
		{"fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "platform"}:       "iCloud Keychain",
		{"00000000-0000-0000-0000-000000000000", "cross-platform"}: "Roaming passkey",
		{"00000000-0000-0000-0000-000000000000", "platform"}:       "Platform passkey",
		{"", ""}: "Passkey",
	}
	for in, want := range cases {
		if got := friendlyName(in[0], in[1]); got != want {
			t.Errorf("friendlyName(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}
