// Package config is Cogito's configuration: defaults, then an optional YAML
// file, then COGITO_* environment variables, then command-line flags — each
// later source winning over the earlier ones.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/trigger"
)

// Config is everything `cogito serve` can be told.
type Config struct {
	Listen        string `yaml:"listen"`
	DataDir       string `yaml:"data_dir"`
	DatabaseURL   string `yaml:"database_url"`
	Region        string `yaml:"region"`
	AccountID     string `yaml:"account_id"`
	IssuerBaseURL string `yaml:"issuer_base_url"`
	LogLevel      string `yaml:"log_level"`
	LogFormat     string `yaml:"log_format"`
	TestMode      bool   `yaml:"test_mode"`
	// EncryptionKey is the base64 32-byte key sealing private keys and client
	// secrets at rest. Empty: a generated key (a file in the data dir, or kept
	// in the database for PostgreSQL, with a warning).
	EncryptionKey string `yaml:"encryption_key"`
	// IAMCredentials enable SigV4 checks of IAM-authorized operations.
	IAMCredentials []Credential `yaml:"iam_credentials"`
	MaxBodyBytes   int64        `yaml:"max_body_bytes"`
	ShutdownGrace  Duration     `yaml:"shutdown_grace"`
	// Messages configures email (SMTP) and SMS (webhook) delivery; every
	// message is kept in the outbox whatever this says.
	Messages message.Config `yaml:"messages"`
	// OutboxHTTP says whether GET /_cogito/messages serves the outbox (which
	// holds codes): "auto" (default) serves it in test mode or when listening
	// on a loopback address only; "on" and "off" force it.
	OutboxHTTP string `yaml:"outbox_http"`
	// BreachedPasswords is a file of SHA-1 password hashes (one per line,
	// optionally ":count", the format of public breach corpora) that threat
	// protection treats as compromised credentials. Empty: none.
	BreachedPasswords string `yaml:"breached_passwords"`
	// IPLocations is a CSV table "cidr,latitude,longitude[,city[,country]]"
	// placing IP ranges, for threat protection's impossible-travel signal.
	// Empty: the signal is not used.
	IPLocations string `yaml:"ip_locations"`
	// Identity configures identity pools: credentials, issuer, providers.
	Identity IdentityConfig `yaml:"identity"`
	// WebAuthn configures passkeys: the default relying party and extra origins (webauthn.go).
	WebAuthn WebAuthnConfig `yaml:"webauthn"`
	// Triggers configures how Lambda triggers are invoked (triggers.go).
	Triggers trigger.Settings `yaml:"triggers"`
	// RateLimits, LogDelivery and ReplicaRegions: see limits_logs_replicas.go.
	RateLimits     RateLimitsConfig  `yaml:"rate_limits"`
	LogDelivery    LogDeliveryConfig `yaml:"log_delivery"`
	ReplicaRegions []string          `yaml:"replica_regions"`
	// Federation configures sign-in through external identity providers (federation.go).
	Federation FederationConfig `yaml:"federation"`
	// TLS configures the HTTPS listener (tls.go).
	TLS TLSConfig `yaml:"tls"`
}

// ServeOutbox reports whether the outbox is readable over HTTP.
func (c *Config) ServeOutbox() bool {
	switch c.OutboxHTTP {
	case "on":
		return true
	case "off":
		return false
	}
	if c.TestMode {
		return true
	}
	host, _, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Credential is one IAM access key Cogito accepts signatures from.
type Credential struct {
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
}

// String hides the secret.
func (c Credential) String() string { return c.AccessKeyID + ":****" }

// Duration is a time.Duration read from YAML as "10s".
type Duration struct{ time.Duration }

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// Defaults returns the built-in configuration.
func Defaults() Config {
	return Config{
		Listen:        "127.0.0.1:9229",
		DataDir:       "./.cogito",
		Region:        "us-east-1",
		AccountID:     "000000000000",
		LogLevel:      "info",
		LogFormat:     "text",
		MaxBodyBytes:  8 << 20,
		ShutdownGrace: Duration{10 * time.Second},
	}
}

// AWSIssuer is the IssuerBaseURL value that selects AWS's issuer form,
// https://cognito-idp.{region}.amazonaws.com/{poolId}.
const AWSIssuer = "aws"

// Issuer returns a pool's token issuer.
func (c *Config) Issuer(poolID string) string {
	return c.IssuerBase() + "/" + poolID
}

// IssuerBase is the issuer without the pool id.
func (c *Config) IssuerBase() string {
	switch c.IssuerBaseURL {
	case "":
		return "http://" + c.Listen
	case AWSIssuer:
		return "https://cognito-idp." + c.Region + ".amazonaws.com"
	}
	return strings.TrimRight(c.IssuerBaseURL, "/")
}

// Credentials returns the IAM credentials as a map.
func (c *Config) Credentials() map[string]string {
	m := make(map[string]string, len(c.IAMCredentials))
	for _, cr := range c.IAMCredentials {
		m[cr.AccessKeyID] = cr.SecretAccessKey
	}
	return m
}

// setting is one configuration value reachable by flag and environment.
type setting struct {
	flag, env, usage string
	boolean          bool
	apply            func(c *Config, v string) error
}

func str(dst func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *dst(c) = v; return nil }
}

func boolean(dst func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		*dst(c) = b
		return nil
	}
}

func integer64(dst func(*Config) *int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return err
		}
		*dst(c) = n
		return nil
	}
}

func integer(dst func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return err
		}
		*dst(c) = n
		return nil
	}
}

// settings lists every flag and environment variable of `cogito serve`.
var settings = []setting{
	{flag: "listen", env: "COGITO_LISTEN", usage: "address to listen on (default 127.0.0.1:9229)", apply: str(func(c *Config) *string { return &c.Listen })},
	{flag: "data-dir", env: "COGITO_DATA_DIR", usage: "directory of the embedded SQLite database (default ./.cogito)", apply: str(func(c *Config) *string { return &c.DataDir })},
	{flag: "database-url", env: "COGITO_DATABASE_URL", usage: "postgres:// URL selects PostgreSQL", apply: str(func(c *Config) *string { return &c.DatabaseURL })},
	{flag: "region", env: "COGITO_REGION", usage: "AWS region in ids and ARNs (default us-east-1)", apply: str(func(c *Config) *string { return &c.Region })},
	{flag: "account-id", env: "COGITO_ACCOUNT_ID", usage: "AWS account id in ARNs (default 000000000000)", apply: str(func(c *Config) *string { return &c.AccountID })},
	{flag: "issuer-base-url", env: "COGITO_ISSUER_BASE_URL", usage: "token issuer base URL, or 'aws' for https://cognito-idp.{region}.amazonaws.com (default http://{listen})", apply: str(func(c *Config) *string { return &c.IssuerBaseURL })},
	{flag: "log-level", env: "COGITO_LOG_LEVEL", usage: "debug, info, warn or error (default info)", apply: str(func(c *Config) *string { return &c.LogLevel })},
	{flag: "log-format", env: "COGITO_LOG_FORMAT", usage: "text or json (default text)", apply: str(func(c *Config) *string { return &c.LogFormat })},
	{flag: "test-mode", env: "COGITO_TEST_MODE", boolean: true, usage: "enable test-only endpoints such as POST /_cogito/reset", apply: boolean(func(c *Config) *bool { return &c.TestMode })},
	{flag: "encryption-key", env: "COGITO_ENCRYPTION_KEY", usage: "base64 32-byte key sealing secrets at rest", apply: str(func(c *Config) *string { return &c.EncryptionKey })},
	{flag: "iam-credentials", env: "COGITO_IAM_CREDENTIALS", usage: "AKID:SECRET[,AKID:SECRET] enabling SigV4 checks (default none: any signature accepted)", apply: func(c *Config, v string) error {
		creds, err := parseCredentials(v)
		c.IAMCredentials = creds
		return err
	}},
	{flag: "max-body-bytes", env: "COGITO_MAX_BODY_BYTES", usage: "largest accepted request body (default 8 MiB)", apply: integer64(func(c *Config) *int64 { return &c.MaxBodyBytes })},
	{flag: "shutdown-grace", env: "COGITO_SHUTDOWN_GRACE", usage: "time to finish requests on SIGINT/SIGTERM (default 10s)", apply: func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.ShutdownGrace.Duration = d
		return err
	}},
	{flag: "smtp-host", env: "COGITO_SMTP_HOST", usage: "SMTP server for email delivery (empty: emails stay in the outbox)", apply: str(func(c *Config) *string { return &c.Messages.SMTP.Host })},
	{flag: "smtp-port", env: "COGITO_SMTP_PORT", usage: "SMTP port (default 587, 465 with --smtp-tls tls, 25 with none)", apply: integer(func(c *Config) *int { return &c.Messages.SMTP.Port })},
	{flag: "smtp-username", env: "COGITO_SMTP_USERNAME", usage: "SMTP user name", apply: str(func(c *Config) *string { return &c.Messages.SMTP.Username })},
	{flag: "smtp-password", env: "COGITO_SMTP_PASSWORD", usage: "SMTP password", apply: str(func(c *Config) *string { return &c.Messages.SMTP.Password })},
	{flag: "smtp-from", env: "COGITO_SMTP_FROM", usage: "sender address unless the pool names one", apply: str(func(c *Config) *string { return &c.Messages.SMTP.From })},
	{flag: "smtp-tls", env: "COGITO_SMTP_TLS", usage: "starttls (default), tls or none", apply: str(func(c *Config) *string { return &c.Messages.SMTP.TLS })},
	{flag: "smtp-insecure-skip-verify", env: "COGITO_SMTP_INSECURE_SKIP_VERIFY", boolean: true, usage: "accept any SMTP server certificate", apply: boolean(func(c *Config) *bool { return &c.Messages.SMTP.InsecureSkipVerify })},
	{flag: "sms-webhook-url", env: "COGITO_SMS_WEBHOOK_URL", usage: "URL receiving every SMS as a JSON POST (empty: SMS stay in the outbox)", apply: str(func(c *Config) *string { return &c.Messages.SMSWebhookURL })},
	{flag: "outbox-http", env: "COGITO_OUTBOX_HTTP", usage: "serve the message outbox at GET /_cogito/messages: auto (test mode or loopback listener), on, off", apply: str(func(c *Config) *string { return &c.OutboxHTTP })},
	{flag: "breached-passwords", env: "COGITO_BREACHED_PASSWORDS", usage: "file of SHA-1 hashes of breached passwords (HIBP format) for threat protection's compromised-credentials check", apply: str(func(c *Config) *string { return &c.BreachedPasswords })},
	{flag: "webauthn-rp-id", env: "COGITO_WEBAUTHN_RP_ID", usage: "passkey relying-party id of pools that set none (default: the issuer base URL's host name, else localhost)", apply: str(func(c *Config) *string { return &c.WebAuthn.RelyingPartyID })},
	{flag: "webauthn-origins", env: "COGITO_WEBAUTHN_ORIGINS", usage: "comma-separated origins accepted for passkeys besides https://{rp id} and its subdomains; port may be * (default http://localhost:*)", apply: func(c *Config, v string) error { c.WebAuthn.Origins = webauthnList(v); return nil }},
	{flag: "ip-locations", env: "COGITO_IP_LOCATIONS", usage: "CSV cidr,latitude,longitude[,city[,country]] for threat protection's impossible-travel signal", apply: str(func(c *Config) *string { return &c.IPLocations })},
	{flag: "debug-codes", env: "COGITO_DEBUG_CODES", boolean: true, usage: "write codes and temporary passwords into the message log lines (never in production)", apply: boolean(func(c *Config) *bool { return &c.Messages.DebugCodes })},
}

// Load builds the configuration for `cogito serve` from args and the
// environment (getenv), reading the YAML file named by --config or
// COGITO_CONFIG.
func Load(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	cfg := Defaults()
	fs := flag.NewFlagSet("cogito serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "YAML configuration file (env COGITO_CONFIG)")
	given := map[string]string{}
	for _, st := range settings {
		usage := st.usage + " (env " + st.env + ")"
		if st.boolean {
			fs.BoolFunc(st.flag, usage, func(v string) error { given[st.flag] = v; return nil })
		} else {
			fs.Func(st.flag, usage, func(v string) error { given[st.flag] = v; return nil })
		}
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	path := *configPath
	if path == "" {
		path = getenv("COGITO_CONFIG")
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("config file: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			return cfg, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	for _, st := range settings {
		if v := getenv(st.env); v != "" {
			if err := st.apply(&cfg, v); err != nil {
				return cfg, fmt.Errorf("%s: %w", st.env, err)
			}
		}
	}
	for _, st := range settings {
		if v, ok := given[st.flag]; ok {
			if err := st.apply(&cfg, v); err != nil {
				return cfg, fmt.Errorf("--%s: %w", st.flag, err)
			}
		}
	}
	return cfg, cfg.Validate()
}

// Validate checks the configuration is usable.
func (c *Config) Validate() error {
	if c.Listen == "" {
		return errors.New("listen address is empty")
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		return errors.New("either a data dir or a database URL is required")
	}
	if !validRegion(c.Region) {
		return fmt.Errorf("region %q is not an AWS region name (like us-east-1)", c.Region)
	}
	if len(c.AccountID) != 12 || strings.Trim(c.AccountID, "0123456789") != "" {
		return fmt.Errorf("account id %q must be 12 digits", c.AccountID)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("log format %q: want text or json", c.LogFormat)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log level %q: want debug, info, warn or error", c.LogLevel)
	}
	for _, cr := range c.IAMCredentials {
		if cr.AccessKeyID == "" || cr.SecretAccessKey == "" {
			return errors.New("IAM credentials need both an access key id and a secret")
		}
	}
	switch c.OutboxHTTP {
	case "", "auto", "on", "off":
	default:
		return fmt.Errorf("outbox-http %q: want auto, on or off", c.OutboxHTTP)
	}
	if err := c.Messages.Validate(); err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	if err := c.Triggers.Validate(); err != nil {
		return fmt.Errorf("triggers: %w", err)
	}
	if err := c.WebAuthn.validate(); err != nil {
		return fmt.Errorf("webauthn: %w", err)
	}
	if err := c.Identity.validate(); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if err := c.validateLimitsLogsReplicas(); err != nil {
		return err
	}
	if err := c.Federation.validate(); err != nil {
		return fmt.Errorf("federation: %w", err)
	}
	if err := c.TLS.validate(); err != nil {
		return fmt.Errorf("tls: %w", err)
	}
	return nil
}

func validRegion(r string) bool {
	// like us-east-1, us-gov-west-1, ap-southeast-2
	parts := strings.Split(r, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	last := parts[len(parts)-1]
	if _, err := strconv.Atoi(last); err != nil {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz") != "" {
			return false
		}
	}
	return true
}

func parseCredentials(s string) ([]Credential, error) {
	var out []Credential
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		id, secret, ok := strings.Cut(pair, ":")
		if !ok || id == "" || secret == "" {
			return nil, errors.New("want AKID:SECRET pairs separated by commas")
		}
		out = append(out, Credential{AccessKeyID: id, SecretAccessKey: secret})
	}
	return out, nil
}
