package config

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestLimitsLogsReplicasDefaults(t *testing.T) {
	c, err := Load(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimits.Enforce || len(c.LogDelivery.Destinations) != 0 || len(c.ReplicaRegions) != 0 {
		t.Errorf("defaults %+v %+v %v", c.RateLimits, c.LogDelivery, c.ReplicaRegions)
	}
	if c.LogDir() != filepath.Join(".cogito", "logs") {
		t.Errorf("LogDir %q", c.LogDir())
	}
}

func TestLimitsLogsReplicasSettings(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cogito.yaml")
	yaml := `rate_limits:
  enforce: true
log_delivery:
  dir: /var/log/cogito
  destinations:
    - arn: arn:aws:logs:us-east-1:123456789012:log-group:app
      target: stdout
    - arn: arn:aws:s3:::audit
      target: https://logs.example.com/in
replica_regions: [eu-west-1, ap-southeast-2]
`
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load([]string{"--config", file}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.RateLimits.Enforce || c.LogDir() != "/var/log/cogito" || len(c.LogDelivery.Destinations) != 2 ||
		c.LogDelivery.Destinations[1].Target != "https://logs.example.com/in" || len(c.ReplicaRegions) != 2 {
		t.Errorf("from file: %+v %+v %v", c.RateLimits, c.LogDelivery, c.ReplicaRegions)
	}
	c, err = Load([]string{"--replica-regions", "eu-central-1, us-west-2"}, env(map[string]string{
		"COGITO_ENFORCE_RATE_LIMITS": "true",
		"COGITO_LOG_DESTINATIONS":    "arn:aws:logs:us-east-1:1:log-group:a=file:/tmp/a.log,arn:aws:firehose:us-east-1:1:deliverystream/b=http://127.0.0.1:9/x",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.RateLimits.Enforce || len(c.ReplicaRegions) != 2 || c.ReplicaRegions[1] != "us-west-2" ||
		len(c.LogDelivery.Destinations) != 2 || c.LogDelivery.Destinations[0].Target != "file:/tmp/a.log" {
		t.Errorf("from env and flags: %+v %+v %v", c.RateLimits, c.LogDelivery, c.ReplicaRegions)
	}
}

func TestLimitsLogsReplicasInvalid(t *testing.T) {
	for _, args := range [][]string{
		{"--replica-regions", "mars"},
		{"--replica-regions", "us-east-1"},
		{"--replica-regions", "eu-west-1,eu-west-1"},
		{"--log-destinations", "notanarn=stdout"},
		{"--log-destinations", "arn:aws:s3:::b=http://"},
		{"--log-destinations", "arn:aws:s3:::b=file:"},
	} {
		if _, err := Load(args, env(nil), io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
