package webauthn

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// originPattern is one configured extra origin: scheme and host exact
// (case-insensitive), port exact or any; or an Android app's origin.
type originPattern struct {
	scheme, host, port string // port "" = the scheme's default, "*" = any
	// android is the key hash of an "android:apk-key-hash:" origin (the
	// origin Android's Credential Manager reports for an app), "*" for any.
	android string
}

// androidPrefix starts the origin of a passkey ceremony made by an Android
// app.
const androidPrefix = "android:apk-key-hash:"

// parseOriginPattern reads "scheme://host[:port]" with port "*" for any, or
// "android:apk-key-hash:{hash}" with hash "*" for any app.
func parseOriginPattern(s string) (originPattern, error) {
	s = strings.TrimSpace(s)
	if h, ok := strings.CutPrefix(s, androidPrefix); ok && h != "" && !strings.ContainsAny(h, "/:?#@ ") {
		return originPattern{android: h}, nil
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || scheme == "" || rest == "" || strings.ContainsAny(rest, "/?#@") {
		return originPattern{}, fmt.Errorf("webauthn: origin %q: want scheme://host[:port] (port may be *) or %s{hash|*}", s, androidPrefix)
	}
	p := originPattern{scheme: strings.ToLower(scheme), host: strings.ToLower(rest)}
	if h, port, err := net.SplitHostPort(rest); err == nil {
		p.host, p.port = strings.ToLower(h), port
	}
	if p.host == "" {
		return originPattern{}, fmt.Errorf("webauthn: origin %q has no host", s)
	}
	if p.port == defaultPort(p.scheme) {
		p.port = ""
	}
	return p, nil
}

func defaultPort(scheme string) string {
	switch scheme {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// parsedOrigin splits a clientDataJSON origin into scheme, host and port
// ("" for the scheme's default); ok is false when it is no tuple origin.
func parsedOrigin(origin string) (scheme, host, port string, ok bool) {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", "", "", false
	}
	scheme = strings.ToLower(u.Scheme)
	host = strings.ToLower(u.Hostname())
	port = u.Port()
	if port == defaultPort(scheme) {
		port = ""
	}
	return scheme, host, port, host != ""
}

// originAllowed reports whether a ceremony at origin may use relying party
// rpID: https on rpID or a subdomain of it (any port), or a configured
// pattern (an Android app's origin only when configured).
func (s *Service) originAllowed(origin, rpID string) bool {
	if h, ok := strings.CutPrefix(origin, androidPrefix); ok {
		for _, p := range s.origins {
			if p.android != "" && (p.android == "*" || p.android == h) {
				return h != ""
			}
		}
		return false
	}
	scheme, host, port, ok := parsedOrigin(origin)
	if !ok {
		return false
	}
	rpID = strings.ToLower(rpID)
	if scheme == "https" && (host == rpID || strings.HasSuffix(host, "."+rpID)) {
		return true
	}
	for _, p := range s.origins {
		if p.android == "" && p.scheme == scheme && p.host == host && (p.port == "*" || p.port == port) {
			return true
		}
	}
	return false
}
