package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// IdentityConfig configures the identity pools side: where temporary AWS
// credentials come from, the identity issuer, and how logins of external
// providers are verified.
type IdentityConfig struct {
	// IssuerURL is the iss of identity OpenID tokens. Empty: the server's
	// public base URL + IdentityIssuerPath; "aws": AWS's issuer,
	// https://cognito-identity.amazonaws.com.
	IssuerURL string `yaml:"issuer_url"`
	// Credentials is "mint" (default: Cogito makes the credentials itself and
	// records them) or "sts" (AssumeRoleWithWebIdentity at STS.Endpoint).
	Credentials string    `yaml:"credentials"`
	STS         STSConfig `yaml:"sts"`
	// CredentialsHTTP says whether GET /_cogito/credentials/{accessKeyId}
	// serves minted credentials (with their secret): "auto" (default: test
	// mode or a loopback listener), "on", "off".
	CredentialsHTTP string `yaml:"credentials_http"`
	// OIDCProviders maps the IAM OIDC provider ARNs pools name in
	// OpenIdConnectProviderARNs to their issuer, keys and client ids.
	OIDCProviders []OIDCProvider `yaml:"oidc_providers"`
	// SAMLProviders maps IAM SAML provider ARNs to the IdP's signing
	// certificate.
	SAMLProviders []SAMLProvider `yaml:"saml_providers"`
	// Social overrides where the public providers' keys and token checks are.
	Social SocialConfig `yaml:"social"`
}

// IdentityIssuerPath is where, below the server's base URL, the identity
// issuer (its discovery document and keys) is served.
const IdentityIssuerPath = "/_cogito/identity"

// Credential sources.
const (
	CredentialsMint = "mint"
	CredentialsSTS  = "sts"
)

// STSConfig is the STS that AssumeRoleWithWebIdentity is called at in "sts"
// mode.
type STSConfig struct {
	Endpoint string `yaml:"endpoint"`
	// Region signs the calls (default: the server's region).
	Region string `yaml:"region"`
	// AccessKeyID and SecretAccessKey sign the calls when set;
	// AssumeRoleWithWebIdentity itself needs no signature.
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
}

// OIDCProvider is one IAM OpenID Connect provider.
type OIDCProvider struct {
	// ARN is arn:aws:iam::{account}:oidc-provider/{host/path}.
	ARN string `yaml:"arn"`
	// Issuer is the tokens' iss; default https://{host/path} from the ARN.
	Issuer string `yaml:"issuer"`
	// JWKSURL is where the keys are; default: the issuer's discovery
	// document's jwks_uri.
	JWKSURL string `yaml:"jwks_url"`
	// ClientIDs are the accepted aud (or azp) values, IAM's "audiences";
	// empty accepts any.
	ClientIDs []string `yaml:"client_ids"`
}

// SAMLProvider is one IAM SAML provider.
type SAMLProvider struct {
	// ARN is arn:aws:iam::{account}:saml-provider/{name}.
	ARN string `yaml:"arn"`
	// Metadata is a file holding the IdP's SAML metadata (its signing
	// certificates) or a PEM certificate.
	Metadata string `yaml:"metadata"`
	// Certificate is a PEM certificate given inline instead.
	Certificate string `yaml:"certificate"`
	// Audience the assertion must be restricted to when it names one;
	// default urn:amazon:webservices.
	Audience string `yaml:"audience"`
}

// SocialConfig overrides the public providers' endpoints (tests, proxies).
type SocialConfig struct {
	GoogleJWKSURL      string `yaml:"google_jwks_url"`
	AppleJWKSURL       string `yaml:"apple_jwks_url"`
	FacebookGraphURL   string `yaml:"facebook_graph_url"`
	AmazonTokenInfoURL string `yaml:"amazon_tokeninfo_url"`
}

// IdentityIssuer returns the identity issuer URL for a server reached at
// base.
func (c *Config) IdentityIssuer(base string) string {
	switch c.Identity.IssuerURL {
	case "":
		return strings.TrimRight(base, "/") + IdentityIssuerPath
	case AWSIssuer:
		return "https://cognito-identity.amazonaws.com"
	}
	return strings.TrimRight(c.Identity.IssuerURL, "/")
}

// ServeCredentials reports whether minted credentials can be read over HTTP.
func (c *Config) ServeCredentials() bool {
	switch c.Identity.CredentialsHTTP {
	case "on":
		return true
	case "off":
		return false
	}
	return c.loopbackOrTest()
}

// loopbackOrTest is the "auto" rule of the operator endpoints that reveal
// secrets: test mode, or a listener only this machine reaches.
func (c *Config) loopbackOrTest() bool {
	o := *c
	o.OutboxHTTP = "auto"
	return o.ServeOutbox()
}

var (
	oidcARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/\S+$`)
	samlARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:saml-provider/[\w+=,.@-]+$`)
)

// validate checks the identity settings.
func (ic *IdentityConfig) validate() error {
	switch ic.Credentials {
	case "", CredentialsMint:
	case CredentialsSTS:
		if ic.STS.Endpoint == "" {
			return errors.New("identity credentials sts needs an STS endpoint (--sts-endpoint)")
		}
	default:
		return fmt.Errorf("identity credentials %q: want mint or sts", ic.Credentials)
	}
	if ic.STS.Endpoint != "" {
		if err := checkURL(ic.STS.Endpoint); err != nil {
			return fmt.Errorf("sts endpoint: %w", err)
		}
	}
	if (ic.STS.AccessKeyID == "") != (ic.STS.SecretAccessKey == "") {
		return errors.New("sts credentials need both an access key id and a secret")
	}
	switch ic.CredentialsHTTP {
	case "", "auto", "on", "off":
	default:
		return fmt.Errorf("credentials-http %q: want auto, on or off", ic.CredentialsHTTP)
	}
	if ic.IssuerURL != "" && ic.IssuerURL != AWSIssuer {
		if err := checkURL(ic.IssuerURL); err != nil {
			return fmt.Errorf("identity issuer url: %w", err)
		}
	}
	seen := map[string]bool{}
	for _, p := range ic.OIDCProviders {
		if !oidcARNPattern.MatchString(p.ARN) {
			return fmt.Errorf("oidc provider %q: not an IAM OIDC provider ARN", p.ARN)
		}
		if seen[p.ARN] {
			return fmt.Errorf("oidc provider %q listed twice", p.ARN)
		}
		seen[p.ARN] = true
		for _, u := range []string{p.Issuer, p.JWKSURL} {
			if u == "" {
				continue
			}
			if err := checkURL(u); err != nil {
				return fmt.Errorf("oidc provider %s: %w", p.ARN, err)
			}
		}
	}
	for _, p := range ic.SAMLProviders {
		if !samlARNPattern.MatchString(p.ARN) {
			return fmt.Errorf("saml provider %q: not an IAM SAML provider ARN", p.ARN)
		}
		if seen[p.ARN] {
			return fmt.Errorf("saml provider %q listed twice", p.ARN)
		}
		seen[p.ARN] = true
		if p.Metadata == "" && p.Certificate == "" {
			return fmt.Errorf("saml provider %s: needs metadata (a file) or a certificate", p.ARN)
		}
	}
	for _, u := range []string{ic.Social.GoogleJWKSURL, ic.Social.AppleJWKSURL, ic.Social.FacebookGraphURL, ic.Social.AmazonTokenInfoURL} {
		if u == "" {
			continue
		}
		if err := checkURL(u); err != nil {
			return fmt.Errorf("social provider endpoint: %w", err)
		}
	}
	return nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// parseProviderMap reads "KEY=VALUE[,KEY=VALUE]" (ARNs hold neither '=' nor
// ',').
func parseProviderMap(s string) ([][2]string, error) {
	var out [][2]string
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" || v == "" {
			return nil, errors.New("want ARN=VALUE pairs separated by commas")
		}
		out = append(out, [2]string{k, v})
	}
	return out, nil
}

func init() {
	settings = append(settings, []setting{
		{flag: "identity-issuer-url", env: "COGITO_IDENTITY_ISSUER_URL", usage: "iss of identity OpenID tokens, or 'aws' for https://cognito-identity.amazonaws.com (default {issuer base}" + IdentityIssuerPath + ")", apply: str(func(c *Config) *string { return &c.Identity.IssuerURL })},
		{flag: "identity-credentials", env: "COGITO_IDENTITY_CREDENTIALS", usage: "where identity pool credentials come from: mint (default) or sts", apply: str(func(c *Config) *string { return &c.Identity.Credentials })},
		{flag: "sts-endpoint", env: "COGITO_STS_ENDPOINT", usage: "STS endpoint URL for --identity-credentials sts", apply: str(func(c *Config) *string { return &c.Identity.STS.Endpoint })},
		{flag: "sts-region", env: "COGITO_STS_REGION", usage: "region of the STS calls (default --region)", apply: str(func(c *Config) *string { return &c.Identity.STS.Region })},
		{flag: "sts-access-key-id", env: "COGITO_STS_ACCESS_KEY_ID", usage: "access key signing STS calls (optional)", apply: str(func(c *Config) *string { return &c.Identity.STS.AccessKeyID })},
		{flag: "sts-secret-access-key", env: "COGITO_STS_SECRET_ACCESS_KEY", usage: "secret key signing STS calls (optional)", apply: str(func(c *Config) *string { return &c.Identity.STS.SecretAccessKey })},
		{flag: "credentials-http", env: "COGITO_CREDENTIALS_HTTP", usage: "serve minted credentials at GET /_cogito/credentials/{accessKeyId}: auto (test mode or loopback listener), on, off", apply: str(func(c *Config) *string { return &c.Identity.CredentialsHTTP })},
		{flag: "oidc-providers", env: "COGITO_OIDC_PROVIDERS", usage: "ARN=ISSUER_URL[,…] of IAM OIDC providers (more settings in the YAML file)", apply: func(c *Config, v string) error {
			pairs, err := parseProviderMap(v)
			if err != nil {
				return err
			}
			c.Identity.OIDCProviders = nil
			for _, p := range pairs {
				c.Identity.OIDCProviders = append(c.Identity.OIDCProviders, OIDCProvider{ARN: p[0], Issuer: p[1]})
			}
			return nil
		}},
		{flag: "saml-providers", env: "COGITO_SAML_PROVIDERS", usage: "ARN=METADATA_FILE[,…] of IAM SAML providers (IdP metadata or a PEM certificate)", apply: func(c *Config, v string) error {
			pairs, err := parseProviderMap(v)
			if err != nil {
				return err
			}
			c.Identity.SAMLProviders = nil
			for _, p := range pairs {
				c.Identity.SAMLProviders = append(c.Identity.SAMLProviders, SAMLProvider{ARN: p[0], Metadata: p[1]})
			}
			return nil
		}},
		{flag: "google-jwks-url", env: "COGITO_GOOGLE_JWKS_URL", usage: "keys of Google id_tokens (default Google's)", apply: str(func(c *Config) *string { return &c.Identity.Social.GoogleJWKSURL })},
		{flag: "apple-jwks-url", env: "COGITO_APPLE_JWKS_URL", usage: "keys of Sign in with Apple id_tokens (default Apple's)", apply: str(func(c *Config) *string { return &c.Identity.Social.AppleJWKSURL })},
		{flag: "facebook-graph-url", env: "COGITO_FACEBOOK_GRAPH_URL", usage: "Facebook Graph API base checking access tokens (default https://graph.facebook.com)", apply: str(func(c *Config) *string { return &c.Identity.Social.FacebookGraphURL })},
		{flag: "amazon-tokeninfo-url", env: "COGITO_AMAZON_TOKENINFO_URL", usage: "Login with Amazon token-info endpoint (default https://api.amazon.com/auth/o2/tokeninfo)", apply: str(func(c *Config) *string { return &c.Identity.Social.AmazonTokenInfoURL })},
	}...)
}
