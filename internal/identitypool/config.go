package identitypool

import (
	"fmt"
	"regexp"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/ids"
)

var (
	// userPoolProviderName is "cognito-idp.{region}.amazonaws.com/{userPoolId}".
	userPoolProviderName = regexp.MustCompile(`^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com/(.+)$`)
	oidcProviderARN      = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/(\S+)$`)
	samlProviderARN      = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:saml-provider/[\w+=,.@-]+$`)
	roleARN              = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)
)

// poolConfig is the configuration CreateIdentityPool and UpdateIdentityPool share.
type poolConfig struct {
	allowUnauthenticated bool
	allowClassicFlow     *bool
	loginProviders       map[string]string
	developerProvider    *string
	oidcARNs             []string
	cognitoProviders     []cognitoidentity.CognitoIdentityProvider
	samlARNs             []string
}

// apply checks c beyond the model's constraints and writes it into set,
// replacing the configuration set had (omitted members take their defaults).
// A developer provider name already set cannot change.
func apply(c poolConfig, set *Settings) error {
	for k := range c.loginProviders {
		if !loginProviders[k] {
			return invalid(msgUnsupportedProvider, k)
		}
	}
	if len(c.cognitoProviders) > MaxUserPoolProviders {
		return cognitoidentity.NewLimitExceededException(sprintf(msgTooManyCognito, MaxUserPoolProviders))
	}
	var cognito []CognitoProvider
	seen := map[string]bool{}
	for _, p := range c.cognitoProviders {
		name, client := deref(p.ProviderName), deref(p.ClientId)
		if !validUserPoolProvider(name) {
			return invalid(msgInvalidCognitoProvider, name)
		}
		if client == "" {
			return invalid(msgMissingClientID, name)
		}
		if seen[name+":"+client] {
			return invalid(msgDuplicateCognito, name, client)
		}
		seen[name+":"+client] = true
		cognito = append(cognito, CognitoProvider{ProviderName: name, ClientID: client, ServerSideTokenCheck: deref(p.ServerSideTokenCheck)})
	}
	dup := map[string]bool{}
	for _, a := range c.oidcARNs {
		if !oidcProviderARN.MatchString(a) {
			return invalid(msgInvalidOIDCARN, a)
		}
		if dup[a] {
			return invalid(msgDuplicateARN, a)
		}
		dup[a] = true
	}
	for _, a := range c.samlARNs {
		if !samlProviderARN.MatchString(a) {
			return invalid(msgInvalidSAMLARN, a)
		}
		if dup[a] {
			return invalid(msgDuplicateARN, a)
		}
		dup[a] = true
	}
	dev := set.DeveloperProviderName
	if c.developerProvider != nil {
		if dev != "" && *c.developerProvider != dev {
			return invalid(msgDeveloperProviderChange)
		}
		dev = *c.developerProvider
	}

	set.AllowUnauthenticated = c.allowUnauthenticated
	set.AllowClassicFlow = deref(c.allowClassicFlow)
	set.SupportedLoginProviders = nil
	if len(c.loginProviders) > 0 {
		set.SupportedLoginProviders = cloneMap(c.loginProviders)
	}
	set.DeveloperProviderName = dev
	set.OpenIDConnectProviderARNs = append([]string(nil), c.oidcARNs...)
	set.CognitoProviders = cognito
	set.SAMLProviderARNs = append([]string(nil), c.samlARNs...)
	return nil
}

// validUserPoolProvider reports whether name is
// "cognito-idp.{region}.amazonaws.com/{userPoolId}" with a well-formed pool
// id of that region.
func validUserPoolProvider(name string) bool {
	m := userPoolProviderName.FindStringSubmatch(name)
	if m == nil || !ids.ValidUserPoolID(m[2]) {
		return false
	}
	region, ok := ids.RegionOfPoolID(m[2])
	return ok && region == m[1]
}

// roleMappingProviders are the keys RoleMappings may use: a user pool
// provider with its client id, a login provider, an OIDC provider's name
// (its ARN's path) or a SAML provider's ARN.
func roleMappingProviders(set *Settings) map[string]bool {
	out := map[string]bool{}
	for _, c := range set.CognitoProviders {
		out[c.ProviderName+":"+c.ClientID] = true
	}
	addCommonProviders(set, out)
	return out
}

// principalTagProviders are the provider names a principal-tag map may be set
// for: a user pool provider (without client id), a login provider, an OIDC
// provider's name or a SAML provider's ARN.
func principalTagProviders(set *Settings) map[string]bool {
	out := map[string]bool{}
	for _, c := range set.CognitoProviders {
		out[c.ProviderName] = true
	}
	addCommonProviders(set, out)
	return out
}

func addCommonProviders(set *Settings, out map[string]bool) {
	for k := range set.SupportedLoginProviders {
		out[k] = true
	}
	for _, a := range set.OpenIDConnectProviderARNs {
		if m := oidcProviderARN.FindStringSubmatch(a); m != nil {
			out[m[1]] = true
		}
	}
	for _, a := range set.SAMLProviderARNs {
		out[a] = true
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
