package config

import (
	"errors"
	"net"
)

// TLSConfig makes Cogito serve HTTPS besides HTTP: Amplify (and browsers'
// secure cookies) reach the managed login pages only over https://{domain}.
type TLSConfig struct {
	// Listen is the address of the HTTPS listener ("" for none). It serves
	// the same endpoints as the HTTP listener.
	Listen string `yaml:"listen"`
	// CertFile and KeyFile are a PEM certificate (chain) and its private key.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// SelfSigned, without CertFile/KeyFile, makes (once) and keeps a
	// self-signed certificate for localhost, 127.0.0.1 and ::1 in
	// {data-dir}/tls/.
	SelfSigned bool `yaml:"self_signed"`
}

// validate checks the TLS settings.
func (t *TLSConfig) validate() error {
	if t.Listen == "" {
		if t.CertFile != "" || t.KeyFile != "" || t.SelfSigned {
			return errors.New("a certificate or self-signed is set but no listen-tls address")
		}
		return nil
	}
	if _, _, err := net.SplitHostPort(t.Listen); err != nil {
		return errors.New("listen-tls " + t.Listen + " is not host:port")
	}
	switch {
	case (t.CertFile == "") != (t.KeyFile == ""):
		return errors.New("tls-cert and tls-key go together")
	case t.CertFile == "" && !t.SelfSigned:
		return errors.New("listen-tls needs tls-cert and tls-key, or tls-self-signed")
	case t.CertFile != "" && t.SelfSigned:
		return errors.New("tls-self-signed and tls-cert exclude each other")
	}
	return nil
}

// Flags and environment variables of HTTPS serving (docs/configuration.md).
func init() {
	settings = append(settings, []setting{
		{flag: "listen-tls", env: "COGITO_LISTEN_TLS", usage: "address of an HTTPS listener serving the same endpoints (default none), e.g. 127.0.0.1:9443", apply: str(func(c *Config) *string { return &c.TLS.Listen })},
		{flag: "tls-cert", env: "COGITO_TLS_CERT", usage: "PEM certificate (chain) of the HTTPS listener", apply: str(func(c *Config) *string { return &c.TLS.CertFile })},
		{flag: "tls-key", env: "COGITO_TLS_KEY", usage: "PEM private key of --tls-cert", apply: str(func(c *Config) *string { return &c.TLS.KeyFile })},
		{flag: "tls-self-signed", env: "COGITO_TLS_SELF_SIGNED", boolean: true, usage: "make and keep a self-signed certificate for localhost in {data-dir}/tls (local use only)", apply: boolean(func(c *Config) *bool { return &c.TLS.SelfSigned })},
	}...)
}
