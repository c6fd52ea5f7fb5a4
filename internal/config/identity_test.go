package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIdentityDefaults(t *testing.T) {
	c, err := Load(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Identity.Credentials != "" || c.IdentityIssuer("http://127.0.0.1:9229/") != "http://127.0.0.1:9229/_cogito/identity" {
		t.Errorf("identity defaults: %+v, issuer %s", c.Identity, c.IdentityIssuer("http://127.0.0.1:9229/"))
	}
	if !c.ServeCredentials() {
		t.Error("a loopback listener serves credentials by default")
	}
	c.Listen = "0.0.0.0:9229"
	if c.ServeCredentials() {
		t.Error("a public listener does not serve credentials by default")
	}
	c.TestMode = true
	if !c.ServeCredentials() {
		t.Error("test mode serves credentials")
	}
	c.Identity.CredentialsHTTP = "off"
	if c.ServeCredentials() {
		t.Error("credentials-http off")
	}
	c.Identity.IssuerURL = "aws"
	if c.IdentityIssuer("http://x") != "https://cognito-identity.amazonaws.com" {
		t.Error(c.IdentityIssuer("http://x"))
	}
	c.Identity.IssuerURL = "https://id.example.com/"
	if c.IdentityIssuer("http://x") != "https://id.example.com" {
		t.Error(c.IdentityIssuer("http://x"))
	}
}

func TestIdentityFlagsAndFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cogito.yaml")
	yaml := `identity:
  credentials: sts
  sts:
    endpoint: http://127.0.0.1:4566
  oidc_providers:
    - arn: arn:aws:iam::123456789012:oidc-provider/login.example.com
      issuer: https://login.example.com
      jwks_url: https://login.example.com/keys
      client_ids: [app1, app2]
  saml_providers:
    - arn: arn:aws:iam::123456789012:saml-provider/Corp
      metadata: /etc/idp.xml
  social:
    google_jwks_url: http://127.0.0.1:1/google
`
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load([]string{"--config", file, "--sts-region", "eu-west-1"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	id := c.Identity
	if id.Credentials != "sts" || id.STS.Endpoint != "http://127.0.0.1:4566" || id.STS.Region != "eu-west-1" ||
		len(id.OIDCProviders) != 1 || len(id.OIDCProviders[0].ClientIDs) != 2 || id.SAMLProviders[0].Metadata != "/etc/idp.xml" ||
		id.Social.GoogleJWKSURL != "http://127.0.0.1:1/google" {
		t.Errorf("identity config %+v", id)
	}

	c, err = Load(nil, env(map[string]string{
		"COGITO_OIDC_PROVIDERS": "arn:aws:iam::123456789012:oidc-provider/a.example.com=https://a.example.com,arn:aws:iam::123456789012:oidc-provider/b.example.com/x=https://b.example.com/x",
		"COGITO_SAML_PROVIDERS": "arn:aws:iam::123456789012:saml-provider/Corp=/etc/corp.pem",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Identity.OIDCProviders) != 2 || c.Identity.OIDCProviders[1].Issuer != "https://b.example.com/x" || c.Identity.SAMLProviders[0].Metadata != "/etc/corp.pem" {
		t.Errorf("from the environment: %+v", c.Identity)
	}
}

func TestIdentityValidate(t *testing.T) {
	for args, want := range map[string]string{
		"--identity-credentials=magic":                                       "want mint or sts",
		"--identity-credentials=sts":                                         "needs an STS endpoint",
		"--sts-endpoint=ftp://x":                                             "not an http(s) URL",
		"--sts-access-key-id=AK":                                             "both an access key id and a secret",
		"--credentials-http=maybe":                                           "want auto, on or off",
		"--identity-issuer-url=nope":                                         "not an http(s) URL",
		"--oidc-providers=not-an-arn=https://x":                              "not an IAM OIDC provider ARN",
		"--oidc-providers=arn:aws:iam::123456789012:oidc-provider/x=notaurl": "not an http(s) URL",
		"--saml-providers=arn:aws:iam::123456789012:role/x=/f":               "not an IAM SAML provider ARN",
		"--saml-providers=garbage":                                           "ARN=VALUE",
		"--google-jwks-url=x":                                                "not an http(s) URL",
	} {
		_, err := Load(strings.Fields(args), env(nil), io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v; want %q", args, err, want)
		}
	}
}
