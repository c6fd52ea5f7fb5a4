package message

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestConfigYAML(t *testing.T) {
	doc := `
smtp:
  host: mail.example.com
  port: 2525
  username: mailer
  password: hunter2
  from: "Cogito <noreply@example.com>"
  tls: none
  insecure_skip_verify: true
sms_webhook_url: https://hooks.example.com/sms?token=abc
debug_codes: true
`
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	want := Config{
		SMTP: SMTPConfig{Host: "mail.example.com", Port: 2525, Username: "mailer", Password: "hunter2",
			From: "Cogito <noreply@example.com>", TLS: "none", InsecureSkipVerify: true},
		SMSWebhookURL: "https://hooks.example.com/sms?token=abc",
		DebugCodes:    true,
	}
	if c != want {
		t.Errorf("decoded %+v", c.SMTP)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func TestConfigValidate(t *testing.T) {
	for name, c := range map[string]Config{
		"tls mode":         {SMTP: SMTPConfig{Host: "h", TLS: "ssl"}},
		"port":             {SMTP: SMTPConfig{Host: "h", Port: 70000}},
		"password alone":   {SMTP: SMTPConfig{Host: "h", Password: "p"}},
		"no host":          {SMTP: SMTPConfig{Username: "u"}},
		"from":             {SMTP: SMTPConfig{Host: "h", From: "not an address"}},
		"webhook scheme":   {SMSWebhookURL: "ftp://x/y"},
		"webhook relative": {SMSWebhookURL: "/sms"},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, c := range map[string]Config{
		"zero":     {},
		"starttls": {SMTP: SMTPConfig{Host: "h", TLS: "STARTTLS"}},
		"webhook":  {SMSWebhookURL: "http://127.0.0.1:8080/sms"},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	for mode, port := range map[string]int{"": 587, "starttls": 587, "tls": 465, "none": 25} {
		c := SMTPConfig{Host: "h", TLS: mode}
		if c.EffectivePort() != port {
			t.Errorf("%q: port %d", mode, c.EffectivePort())
		}
	}
	if (SMTPConfig{}).Mode() != TLSStartTLS || (SMTPConfig{}).Enabled() {
		t.Error("zero SMTP config")
	}
}

func TestConfigRedacted(t *testing.T) {
	c := Config{
		SMTP:          SMTPConfig{Host: "mail.example.com", Username: "mailer", Password: "hunter2"},
		SMSWebhookURL: "https://user:pw@hooks.example.com/sms?token=abc",
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "messages", c, "smtp", c.SMTP)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "messages", c)
	outputs := []string{
		c.String(), fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c),
		fmt.Sprintf("%v %+v %#v", c.SMTP, c.SMTP, c.SMTP), logs.String(),
	}
	for _, out := range outputs {
		for _, secret := range []string{"hunter2", "token=abc", "pw@"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q leaks %q", out, secret)
			}
		}
	}
	if !strings.Contains(c.String(), "mail.example.com") || !strings.Contains(logs.String(), "hooks.example.com/sms") {
		t.Errorf("redaction hid too much: %s / %s", c, logs.String())
	}
}
