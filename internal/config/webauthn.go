package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// WebAuthnConfig configures passkeys (the webauthn family).
type WebAuthnConfig struct {
	// RelyingPartyID is the passkey relying-party id of pools whose
	// WebAuthnConfiguration names none and that have no custom domain
	// (Cognito would use the pool's prefix domain, which Cogito serves on its
	// own host). Empty: the host of the issuer base URL when it is a DNS
	// name, else "localhost".
	RelyingPartyID string `yaml:"relying_party_id"`
	// Origins are origins accepted for passkey ceremonies besides
	// https://{relying party id} and its subdomains: "scheme://host" or
	// "scheme://host:port", the port may be "*"; or an Android app's origin,
	// "android:apk-key-hash:{hash}" ("*" for any app). Unset:
	// DefaultWebAuthnOrigins (an empty list in the file: none).
	Origins []string `yaml:"origins"`
}

// DefaultWebAuthnOrigins lets pages served from http://localhost on any port
// (a secure context for browsers) use passkeys during development.
var DefaultWebAuthnOrigins = []string{"http://localhost:*"}

// WebAuthnRelyingPartyID is the default relying-party id in effect.
func (c *Config) WebAuthnRelyingPartyID() string {
	if c.WebAuthn.RelyingPartyID != "" {
		return c.WebAuthn.RelyingPartyID
	}
	if c.IssuerBaseURL != "" && c.IssuerBaseURL != AWSIssuer {
		if u, err := url.Parse(c.IssuerBaseURL); err == nil {
			if h := u.Hostname(); h != "" && net.ParseIP(h) == nil {
				return strings.ToLower(h)
			}
		}
	}
	return "localhost"
}

// WebAuthnOrigins are the extra origins in effect.
func (c *Config) WebAuthnOrigins() []string {
	if c.WebAuthn.Origins == nil {
		return DefaultWebAuthnOrigins
	}
	return c.WebAuthn.Origins
}

func (w *WebAuthnConfig) validate() error {
	if id := w.RelyingPartyID; id != "" && (strings.ContainsAny(id, "/:@ ") || len(id) > 127) {
		return fmt.Errorf("relying party id %q: want a host name", id)
	}
	for _, o := range w.Origins {
		if h, ok := strings.CutPrefix(o, "android:apk-key-hash:"); ok && h != "" {
			continue
		}
		scheme, rest, ok := strings.Cut(o, "://")
		if !ok || scheme == "" || rest == "" || strings.ContainsAny(rest, "/?#@") {
			return fmt.Errorf("origin %q: want scheme://host[:port] (port may be *) or android:apk-key-hash:{hash|*}", o)
		}
	}
	return nil
}

// webauthnList splits a comma-separated list, dropping empty items.
func webauthnList(s string) []string {
	out := []string{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
