package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// FederationConfig configures sign-in through external identity providers
// (internal/federation).
type FederationConfig struct {
	// Endpoints replace the endpoints Cogito calls for the social providers,
	// by provider type (Google, Facebook, LoginWithAmazon, SignInWithApple),
	// with the ProviderDetails keys authorize_url, token_url, attributes_url,
	// jwks_uri and oidc_issuer: point them at a fake provider in tests.
	Endpoints map[string]map[string]string `yaml:"endpoints"`
	// InsecureSkipVerify accepts any TLS certificate from identity
	// providers (self-signed test IdPs); never in production.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
	// Timeout bounds each call to an identity provider (default 10s).
	Timeout Duration `yaml:"timeout"`
}

// Social provider types whose endpoints may be replaced, and the keys.
var (
	federationSocialTypes    = []string{"Google", "Facebook", "LoginWithAmazon", "SignInWithApple"}
	federationEndpointKeys   = []string{"authorize_url", "token_url", "attributes_url", "jwks_uri", "oidc_issuer"}
	defaultFederationTimeout = 10 * time.Second
)

// FederationTimeout is the timeout in effect.
func (c *Config) FederationTimeout() time.Duration {
	if c.Federation.Timeout.Duration > 0 {
		return c.Federation.Timeout.Duration
	}
	return defaultFederationTimeout
}

func (f *FederationConfig) validate() error {
	for typ, m := range f.Endpoints {
		if !slices.Contains(federationSocialTypes, typ) {
			return fmt.Errorf("endpoints: %q is not a social provider type (%s)", typ, strings.Join(federationSocialTypes, ", "))
		}
		for k, v := range m {
			if !slices.Contains(federationEndpointKeys, k) {
				return fmt.Errorf("endpoints: %s.%s: want one of %s", typ, k, strings.Join(federationEndpointKeys, ", "))
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("endpoints: %s.%s: %q is not an http(s) URL", typ, k, v)
			}
		}
	}
	if f.Timeout.Duration < 0 {
		return fmt.Errorf("timeout %s is negative", f.Timeout.Duration)
	}
	return nil
}

// parseFederationEndpoints reads "Type.key=URL[,…]".
func parseFederationEndpoints(v string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, u, ok := strings.Cut(item, "=")
		typ, key, ok2 := strings.Cut(k, ".")
		if !ok || !ok2 || typ == "" || key == "" || u == "" {
			return nil, fmt.Errorf("%q: want Type.key=URL", item)
		}
		if out[typ] == nil {
			out[typ] = map[string]string{}
		}
		out[typ][key] = u
	}
	return out, nil
}

// Flags and environment variables of federation (docs/configuration.md).
func init() {
	settings = append(settings, []setting{
		{flag: "federation-endpoints", env: "COGITO_FEDERATION_ENDPOINTS", usage: "Type.key=URL[,…] replacing social providers' endpoints, e.g. Google.token_url=http://127.0.0.1:8080/token (keys: authorize_url, token_url, attributes_url, jwks_uri, oidc_issuer)", apply: func(c *Config, v string) error {
			m, err := parseFederationEndpoints(v)
			c.Federation.Endpoints = m
			return err
		}},
		{flag: "federation-insecure-skip-verify", env: "COGITO_FEDERATION_INSECURE_SKIP_VERIFY", boolean: true, usage: "accept any TLS certificate from external identity providers (self-signed test IdPs)", apply: boolean(func(c *Config) *bool { return &c.Federation.InsecureSkipVerify })},
		{flag: "federation-timeout", env: "COGITO_FEDERATION_TIMEOUT", usage: "time limit of one call to an external identity provider (default 10s)", apply: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			c.Federation.Timeout.Duration = d
			return err
		}},
	}...)
}
