package config

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9229" || c.DataDir != "./.cogito" || c.Region != "us-east-1" || c.AccountID != "000000000000" || c.TestMode || len(c.IAMCredentials) != 0 {
		t.Fatalf("%+v", c)
	}
	if c.Issuer("us-east-1_abc") != "http://127.0.0.1:9229/us-east-1_abc" {
		t.Fatal(c.Issuer("us-east-1_abc"))
	}
}

// Flags win over the environment, which wins over the file.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "cogito.yaml")
	if err := os.WriteFile(file, []byte("listen: 127.0.0.1:1111\nregion: eu-west-1\naccount_id: \"111111111111\"\nlog_format: json\nshutdown_grace: 3s\niam_credentials:\n  - access_key_id: AKFILE\n    secret_access_key: s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load([]string{"--config", file, "--listen", "127.0.0.1:3333"}, env(map[string]string{
		"COGITO_LISTEN": "127.0.0.1:2222", "COGITO_REGION": "ap-southeast-2", "COGITO_TEST_MODE": "1",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:3333" {
		t.Errorf("listen %s: flag should win", c.Listen)
	}
	if c.Region != "ap-southeast-2" {
		t.Errorf("region %s: env should win over file", c.Region)
	}
	if c.AccountID != "111111111111" || c.LogFormat != "json" || c.ShutdownGrace.Duration != 3*time.Second {
		t.Errorf("file values lost: %+v", c)
	}
	if !c.TestMode {
		t.Error("COGITO_TEST_MODE=1 ignored")
	}
	if c.Credentials()["AKFILE"] != "s" {
		t.Errorf("credentials %v", c.IAMCredentials)
	}
	c, err = Load([]string{"--iam-credentials", "A:x,B:y", "--issuer-base-url", "aws"}, env(map[string]string{"COGITO_CONFIG": file}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.IAMCredentials) != 2 || c.Issuer("eu-west-1_x") != "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x" {
		t.Errorf("%+v %s", c.IAMCredentials, c.Issuer("eu-west-1_x"))
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"--region", "mars"}, nil},
		{[]string{"--account-id", "12"}, nil},
		{[]string{"--log-format", "xml"}, nil},
		{[]string{"--iam-credentials", "nosecret"}, nil},
		{nil, map[string]string{"COGITO_TEST_MODE": "maybe"}},
		{[]string{"--no-such-flag"}, nil},
		{[]string{"--config", "/does/not/exist.yaml"}, nil},
	} {
		if _, err := Load(tc.args, env(tc.env), io.Discard); err == nil {
			t.Errorf("%v %v: no error", tc.args, tc.env)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(file, []byte("lisen: typo\n"), 0o600)
	if _, err := Load([]string{"--config", file}, env(nil), io.Discard); err == nil {
		t.Error("unknown YAML key accepted")
	}
}

func TestCredentialStringHidesSecret(t *testing.T) {
	if s := (Credential{AccessKeyID: "AK", SecretAccessKey: "topsecret"}).String(); s != "AK:****" {
		t.Fatal(s)
	}
}

func TestServeOutbox(t *testing.T) {
	for _, tc := range []struct {
		listen, mode string
		test, want   bool
	}{
		{"127.0.0.1:9229", "", false, true},
		{"localhost:9229", "auto", false, true},
		{"[::1]:9229", "", false, true},
		{"0.0.0.0:9229", "", false, false},
		{"0.0.0.0:9229", "", true, true},
		{"0.0.0.0:9229", "on", false, true},
		{"127.0.0.1:9229", "off", true, false},
	} {
		c := Config{Listen: tc.listen, OutboxHTTP: tc.mode, TestMode: tc.test}
		if got := c.ServeOutbox(); got != tc.want {
			t.Errorf("%+v: %v", tc, got)
		}
	}
}
