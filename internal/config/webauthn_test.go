package config

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWebAuthnSettings(t *testing.T) {
	c, err := Load(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.WebAuthnRelyingPartyID() != "localhost" || !slices.Equal(c.WebAuthnOrigins(), []string{"http://localhost:*"}) {
		t.Errorf("defaults: rp %q origins %v", c.WebAuthnRelyingPartyID(), c.WebAuthnOrigins())
	}
	c, _ = Load([]string{"--issuer-base-url", "https://Auth.Example.com:8443/base"}, env(nil), io.Discard)
	if c.WebAuthnRelyingPartyID() != "auth.example.com" {
		t.Errorf("rp from the issuer host = %q", c.WebAuthnRelyingPartyID())
	}
	c, _ = Load([]string{"--issuer-base-url", "http://10.0.0.1:9229"}, env(nil), io.Discard)
	if c.WebAuthnRelyingPartyID() != "localhost" {
		t.Errorf("rp for an IP issuer = %q", c.WebAuthnRelyingPartyID())
	}
	c, err = Load([]string{"--webauthn-rp-id", "example.org"}, env(map[string]string{
		"COGITO_WEBAUTHN_ORIGINS": "https://app.example.net, http://127.0.0.1:*",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.WebAuthnRelyingPartyID() != "example.org" || !slices.Equal(c.WebAuthnOrigins(), []string{"https://app.example.net", "http://127.0.0.1:*"}) {
		t.Errorf("flag/env: rp %q origins %v", c.WebAuthnRelyingPartyID(), c.WebAuthnOrigins())
	}

	file := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(file, []byte("webauthn:\n  relying_party_id: login.example.com\n  origins: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load([]string{"--config", file}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.WebAuthnRelyingPartyID() != "login.example.com" || len(c.WebAuthnOrigins()) != 0 {
		t.Errorf("file: rp %q origins %v", c.WebAuthnRelyingPartyID(), c.WebAuthnOrigins())
	}

	for _, bad := range [][]string{{"--webauthn-origins", "localhost:3000"}, {"--webauthn-origins", "https://x/path"}, {"--webauthn-rp-id", "https://x"}} {
		if _, err := Load(bad, env(nil), io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
