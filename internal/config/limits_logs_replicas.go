package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// RateLimitsConfig configures the enforcement of Cognito's API rate limits.
type RateLimitsConfig struct {
	// Enforce answers requests beyond their category's rate with
	// TooManyRequestsException. Off by default: the limits can be read and
	// changed (GetProvisionedLimit, UpdateProvisionedLimit) but nothing is
	// throttled.
	Enforce bool `yaml:"enforce"`
}

// LogDeliveryConfig says where the logs a pool's SetLogDeliveryConfiguration
// sends to a CloudWatch log group, S3 bucket or Firehose stream go.
type LogDeliveryConfig struct {
	// Dir holds the files of destinations that Destinations does not map: one
	// JSON-lines file per destination ARN. Empty: {data_dir}/logs.
	Dir string `yaml:"dir"`
	// Destinations maps destination ARNs to where their lines go.
	Destinations []LogDestination `yaml:"destinations"`
}

// LogDestination sends the log lines of one destination ARN to Target:
// "stdout", "stderr", an http(s) URL (each line POSTed as
// application/json), or a file path ("file:" prefix optional).
type LogDestination struct {
	ARN    string `yaml:"arn"`
	Target string `yaml:"target"`
}

// LogDir is the directory of unmapped log destinations.
func (c *Config) LogDir() string {
	if c.LogDelivery.Dir != "" {
		return c.LogDelivery.Dir
	}
	if c.DataDir == "" {
		return ""
	}
	return filepath.Join(c.DataDir, "logs")
}

func (c *Config) validateLimitsLogsReplicas() error {
	for _, d := range c.LogDelivery.Destinations {
		if !strings.HasPrefix(d.ARN, "arn:") {
			return fmt.Errorf("log destination %q is not an ARN", d.ARN)
		}
		if err := checkLogTarget(d.Target); err != nil {
			return fmt.Errorf("log destination %s: %w", d.ARN, err)
		}
	}
	seen := map[string]bool{}
	for _, r := range c.ReplicaRegions {
		if !validRegion(r) {
			return fmt.Errorf("replica region %q is not an AWS region name (like eu-west-1)", r)
		}
		if r == c.Region {
			return fmt.Errorf("replica region %s is the server's own region", r)
		}
		if seen[r] {
			return fmt.Errorf("replica region %s is listed twice", r)
		}
		seen[r] = true
	}
	return nil
}

func checkLogTarget(t string) error {
	switch {
	case t == "":
		return errors.New("no target")
	case t == "stdout" || t == "stderr":
		return nil
	case strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://"):
		if u, err := url.Parse(t); err != nil || u.Host == "" {
			return fmt.Errorf("%q is not a URL", t)
		}
		return nil
	case strings.TrimPrefix(t, "file:") == "":
		return errors.New("empty file path")
	}
	return nil
}

func init() {
	settings = append(settings, []setting{
		{flag: "enforce-rate-limits", env: "COGITO_ENFORCE_RATE_LIMITS", boolean: true, usage: "answer requests beyond their API category's rate (GetProvisionedLimit) with TooManyRequestsException", apply: boolean(func(c *Config) *bool { return &c.RateLimits.Enforce })},
		{flag: "log-delivery-dir", env: "COGITO_LOG_DELIVERY_DIR", usage: "directory of the log files of unmapped SetLogDeliveryConfiguration destinations (default {data-dir}/logs)", apply: str(func(c *Config) *string { return &c.LogDelivery.Dir })},
		{flag: "log-destinations", env: "COGITO_LOG_DESTINATIONS", usage: "ARN=TARGET[,…]: where the logs sent to a log group, bucket or stream ARN go (stdout, stderr, a file path, an http(s) URL)", apply: func(c *Config, v string) error {
			pairs, err := parseProviderMap(v)
			if err != nil {
				return err
			}
			c.LogDelivery.Destinations = nil
			for _, p := range pairs {
				c.LogDelivery.Destinations = append(c.LogDelivery.Destinations, LogDestination{ARN: p[0], Target: p[1]})
			}
			return nil
		}},
		{flag: "replica-regions", env: "COGITO_REPLICA_REGIONS", usage: "regions besides --region where CreateUserPoolReplica may place replicas (comma-separated)", apply: func(c *Config, v string) error {
			c.ReplicaRegions = nil
			for _, r := range strings.Split(v, ",") {
				if r = strings.TrimSpace(r); r != "" {
					c.ReplicaRegions = append(c.ReplicaRegions, r)
				}
			}
			return nil
		}},
	}...)
}
