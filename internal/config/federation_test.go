package config

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFederationSettings(t *testing.T) {
	env := map[string]string{"COGITO_FEDERATION_INSECURE_SKIP_VERIFY": "true"}
	cfg, err := Load([]string{
		"--federation-endpoints", "Google.token_url=http://127.0.0.1:8080/token, Google.jwks_uri=http://127.0.0.1:8080/keys,SignInWithApple.authorize_url=https://apple.test/auth",
		"--federation-timeout", "3s",
	}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Federation
	if !f.InsecureSkipVerify || cfg.FederationTimeout() != 3*time.Second || f.Endpoints["Google"]["token_url"] != "http://127.0.0.1:8080/token" ||
		f.Endpoints["Google"]["jwks_uri"] != "http://127.0.0.1:8080/keys" || f.Endpoints["SignInWithApple"]["authorize_url"] != "https://apple.test/auth" {
		t.Errorf("federation = %+v", f)
	}
	if d := Defaults(); d.FederationTimeout() != 10*time.Second {
		t.Errorf("default timeout = %s", d.FederationTimeout())
	}

	path := filepath.Join(t.TempDir(), "cogito.yaml")
	yaml := "federation:\n  timeout: 2s\n  endpoints:\n    Facebook:\n      token_url: http://localhost:9000/fb/token\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = Load([]string{"--config", path}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Federation.Endpoints["Facebook"]["token_url"] != "http://localhost:9000/fb/token" || cfg.FederationTimeout() != 2*time.Second {
		t.Errorf("from YAML: %+v", cfg.Federation)
	}

	for _, args := range [][]string{
		{"--federation-endpoints", "Google=http://x"},
		{"--federation-endpoints", "Twitter.token_url=http://x"},
		{"--federation-endpoints", "Google.client_secret=http://x"},
		{"--federation-endpoints", "Google.token_url=ftp://x"},
		{"--federation-timeout", "soon"},
		{"--federation-timeout", "-1s"},
	} {
		if _, err := Load(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
