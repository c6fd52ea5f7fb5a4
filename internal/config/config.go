// Package config is Cogito's configuration: defaults, then an optional YAML
// file, then COGITO_* environment variables, then command-line flags — each
// later source winning over the earlier ones.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
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

// Load builds the configuration for `cogito serve` from args and the
// environment (getenv), reading the YAML file named by --config or
// COGITO_CONFIG.
func Load(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	cfg := Defaults()
	fs := flag.NewFlagSet("cogito serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f Config
	var creds, grace string
	configPath := fs.String("config", "", "YAML configuration file (env COGITO_CONFIG)")
	fs.StringVar(&f.Listen, "listen", "", "address to listen on (env COGITO_LISTEN; default 127.0.0.1:9229)")
	fs.StringVar(&f.DataDir, "data-dir", "", "directory of the embedded SQLite database (env COGITO_DATA_DIR; default ./.cogito)")
	fs.StringVar(&f.DatabaseURL, "database-url", "", "postgres:// URL selects PostgreSQL (env COGITO_DATABASE_URL)")
	fs.StringVar(&f.Region, "region", "", "AWS region in ids and ARNs (env COGITO_REGION; default us-east-1)")
	fs.StringVar(&f.AccountID, "account-id", "", "AWS account id in ARNs (env COGITO_ACCOUNT_ID; default 000000000000)")
	fs.StringVar(&f.IssuerBaseURL, "issuer-base-url", "", "token issuer base URL, or 'aws' for https://cognito-idp.{region}.amazonaws.com (env COGITO_ISSUER_BASE_URL; default http://{listen})")
	fs.StringVar(&f.LogLevel, "log-level", "", "debug, info, warn or error (env COGITO_LOG_LEVEL; default info)")
	fs.StringVar(&f.LogFormat, "log-format", "", "text or json (env COGITO_LOG_FORMAT; default text)")
	fs.BoolVar(&f.TestMode, "test-mode", false, "enable test-only endpoints such as POST /_cogito/reset (env COGITO_TEST_MODE=1)")
	fs.StringVar(&f.EncryptionKey, "encryption-key", "", "base64 32-byte key sealing secrets at rest (env COGITO_ENCRYPTION_KEY)")
	fs.StringVar(&creds, "iam-credentials", "", "AKID:SECRET[,AKID:SECRET] enabling SigV4 checks (env COGITO_IAM_CREDENTIALS; default none: any signature accepted)")
	fs.Int64Var(&f.MaxBodyBytes, "max-body-bytes", 0, "largest accepted request body (env COGITO_MAX_BODY_BYTES; default 8 MiB)")
	fs.StringVar(&grace, "shutdown-grace", "", "time to finish requests on SIGINT/SIGTERM (env COGITO_SHUTDOWN_GRACE; default 10s)")
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
	// Environment.
	envStr := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	envStr("COGITO_LISTEN", &cfg.Listen)
	envStr("COGITO_DATA_DIR", &cfg.DataDir)
	envStr("COGITO_DATABASE_URL", &cfg.DatabaseURL)
	envStr("COGITO_REGION", &cfg.Region)
	envStr("COGITO_ACCOUNT_ID", &cfg.AccountID)
	envStr("COGITO_ISSUER_BASE_URL", &cfg.IssuerBaseURL)
	envStr("COGITO_LOG_LEVEL", &cfg.LogLevel)
	envStr("COGITO_LOG_FORMAT", &cfg.LogFormat)
	envStr("COGITO_ENCRYPTION_KEY", &cfg.EncryptionKey)
	if v := getenv("COGITO_TEST_MODE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("COGITO_TEST_MODE: %w", err)
		}
		cfg.TestMode = b
	}
	if v := getenv("COGITO_IAM_CREDENTIALS"); v != "" {
		c, err := parseCredentials(v)
		if err != nil {
			return cfg, fmt.Errorf("COGITO_IAM_CREDENTIALS: %w", err)
		}
		cfg.IAMCredentials = c
	}
	if v := getenv("COGITO_MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return cfg, fmt.Errorf("COGITO_MAX_BODY_BYTES: %w", err)
		}
		cfg.MaxBodyBytes = n
	}
	if v := getenv("COGITO_SHUTDOWN_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return cfg, fmt.Errorf("COGITO_SHUTDOWN_GRACE: %w", err)
		}
		cfg.ShutdownGrace.Duration = d
	}
	// Flags given explicitly win.
	var ferr error
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "listen":
			cfg.Listen = f.Listen
		case "data-dir":
			cfg.DataDir = f.DataDir
		case "database-url":
			cfg.DatabaseURL = f.DatabaseURL
		case "region":
			cfg.Region = f.Region
		case "account-id":
			cfg.AccountID = f.AccountID
		case "issuer-base-url":
			cfg.IssuerBaseURL = f.IssuerBaseURL
		case "log-level":
			cfg.LogLevel = f.LogLevel
		case "log-format":
			cfg.LogFormat = f.LogFormat
		case "test-mode":
			cfg.TestMode = f.TestMode
		case "encryption-key":
			cfg.EncryptionKey = f.EncryptionKey
		case "max-body-bytes":
			cfg.MaxBodyBytes = f.MaxBodyBytes
		case "iam-credentials":
			c, err := parseCredentials(creds)
			if err != nil {
				ferr = fmt.Errorf("--iam-credentials: %w", err)
			}
			cfg.IAMCredentials = c
		case "shutdown-grace":
			d, err := time.ParseDuration(grace)
			if err != nil {
				ferr = fmt.Errorf("--shutdown-grace: %w", err)
			}
			cfg.ShutdownGrace.Duration = d
		}
	})
	if ferr != nil {
		return cfg, ferr
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
