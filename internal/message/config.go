package message

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// Config says where messages go besides the outbox. The zero value keeps
// them in the outbox only. Meant to be embedded in the server's
// configuration under `messages:`.
type Config struct {
	SMTP SMTPConfig `yaml:"smtp"`
	// SMSWebhookURL receives every SMS as a JSON POST (see SMSWebhookPayload);
	// empty: SMS stay in the outbox.
	SMSWebhookURL string `yaml:"sms_webhook_url"`
	// DebugCodes writes codes and temporary passwords into the log line of
	// each message. Never on in production.
	DebugCodes bool `yaml:"debug_codes"`
}

// TLS modes of SMTPConfig.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded by STARTTLS, which must be offered
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS)
	TLSNone     = "none"     // no encryption (local mail catchers)
)

// SMTPConfig is the SMTP server emails are delivered to. Host empty: no
// SMTP delivery.
type SMTPConfig struct {
	Host string `yaml:"host"`
	// Port defaults by TLS mode: 587 (starttls), 465 (tls), 25 (none).
	Port int `yaml:"port"`
	// Username and Password, when set, authenticate (PLAIN or LOGIN over
	// TLS; CRAM-MD5, SCRAM or, failing those, PLAIN in the clear with TLS none).
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// From is the sender unless the pool's EmailConfiguration names one;
	// default DefaultFrom. An address, or "Name <address>".
	From string `yaml:"from"`
	// TLS is "starttls" (default), "tls" or "none".
	TLS string `yaml:"tls"`
	// InsecureSkipVerify accepts any server certificate (self-signed local servers).
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// Enabled reports whether emails are delivered by SMTP.
func (c SMTPConfig) Enabled() bool { return c.Host != "" }

// Mode is the TLS mode with the default applied.
func (c SMTPConfig) Mode() string {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return strings.ToLower(c.TLS)
}

// EffectivePort is the port with the default of the TLS mode applied.
func (c SMTPConfig) EffectivePort() int {
	if c.Port != 0 {
		return c.Port
	}
	switch c.Mode() {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	}
	return 587
}

// Validate checks the configuration.
func (c Config) Validate() error {
	s := c.SMTP
	switch s.Mode() {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("smtp tls %q: want starttls, tls or none", s.TLS)
	}
	if s.Port < 0 || s.Port > 65535 {
		return fmt.Errorf("smtp port %d out of range", s.Port)
	}
	if s.Password != "" && s.Username == "" {
		return errors.New("smtp password given without a username")
	}
	if (s.Username != "" || s.From != "" || s.Port != 0) && s.Host == "" {
		return errors.New("smtp settings given without a host")
	}
	if s.From != "" {
		if _, err := mail.ParseAddress(s.From); err != nil {
			return fmt.Errorf("smtp from %q: %v", s.From, err)
		}
	}
	if c.SMSWebhookURL != "" {
		u, err := url.Parse(c.SMSWebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("sms webhook URL must be an absolute http or https URL")
		}
	}
	return nil
}

const redacted = "****"

// String shows the configuration with the SMTP password and the webhook's
// credentials and query hidden.
func (c Config) String() string {
	return fmt.Sprintf("{smtp:%s sms_webhook_url:%s debug_codes:%t}", c.SMTP, redactURL(c.SMSWebhookURL), c.DebugCodes)
}

// GoString is String, so %#v hides secrets too.
func (c Config) GoString() string { return c.String() }

// LogValue is the redacted configuration for log/slog.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("smtp", c.SMTP),
		slog.String("sms_webhook_url", redactURL(c.SMSWebhookURL)),
		slog.Bool("debug_codes", c.DebugCodes),
	)
}

// String shows the SMTP settings with the password hidden.
func (c SMTPConfig) String() string {
	if !c.Enabled() {
		return "{off}"
	}
	pw := ""
	if c.Password != "" {
		pw = redacted
	}
	return fmt.Sprintf("{host:%s port:%d tls:%s username:%s password:%s from:%s insecure_skip_verify:%t}",
		c.Host, c.EffectivePort(), c.Mode(), c.Username, pw, c.From, c.InsecureSkipVerify)
}

// GoString is String, so %#v hides the password too.
func (c SMTPConfig) GoString() string { return c.String() }

// LogValue is the redacted SMTP settings for log/slog.
func (c SMTPConfig) LogValue() slog.Value {
	if !c.Enabled() {
		return slog.StringValue("off")
	}
	pw := ""
	if c.Password != "" {
		pw = redacted
	}
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.String("port", strconv.Itoa(c.EffectivePort())),
		slog.String("tls", c.Mode()),
		slog.String("username", c.Username),
		slog.String("password", pw),
		slog.String("from", c.From),
	)
}

// redactURL hides user info and the query of a URL, which may carry tokens.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		u.RawQuery = redacted
	}
	u.Fragment = ""
	return u.String()
}
