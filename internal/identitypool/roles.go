package identitypool

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/identitypool/logins"
)

// Role keys of SetIdentityPoolRoles.
const (
	roleAuthenticated   = "authenticated"
	roleUnauthenticated = "unauthenticated"
)

// chooseRole picks the IAM role of a credentials request: the
// unauthenticated role for guests; for logged-in identities the role
// mapping of the first login (by provider) that has one, else the default
// authenticated role (see defaults.go for the details chosen).
func chooseRole(set *Settings, authenticated bool, ls []*logins.Login, custom string) (string, error) {
	if !authenticated {
		return defaultRole(set, roleUnauthenticated)
	}
	for _, l := range ls {
		m, ok := set.RoleMappings[l.RoleMappingKey]
		if !ok {
			continue
		}
		role, err := mappedRole(m, l, custom)
		if err != nil || role != "" {
			return role, err
		}
		if m.AmbiguousRoleResolution == string(cognitoidentity.AmbiguousRoleResolutionTypeDeny) {
			return "", cognitoidentity.NewNotAuthorizedException(msgAmbiguousDenied)
		}
		return defaultRole(set, roleAuthenticated)
	}
	if custom != "" {
		for _, l := range ls {
			if slices.Contains(l.Roles, custom) {
				return custom, nil
			}
		}
	}
	return defaultRole(set, roleAuthenticated)
}

func defaultRole(set *Settings, kind string) (string, error) {
	if r := set.Roles[kind]; r != "" {
		return r, nil
	}
	return "", cognitoidentity.NewInvalidIdentityPoolConfigurationException(msgRoles)
}

// mappedRole applies one role mapping: the role, "" when it is ambiguous, or
// a refusal of CustomRoleArn.
func mappedRole(m RoleMapping, l *logins.Login, custom string) (string, error) {
	switch m.Type {
	case string(cognitoidentity.RoleMappingTypeToken):
		roles := l.Roles
		if len(roles) == 0 {
			roles = claimList(l.Claims["cognito:roles"])
		}
		preferred := l.PreferredRole
		if preferred == "" {
			preferred, _ = l.Claims["cognito:preferred_role"].(string)
		}
		if custom != "" {
			if slices.Contains(roles, custom) || custom == preferred {
				return custom, nil
			}
			return "", cognitoidentity.NewNotAuthorizedException(fmt.Sprintf(msgCustomRoleDenied, custom))
		}
		return preferred, nil
	case string(cognitoidentity.RoleMappingTypeRules):
		first := ""
		for _, r := range m.Rules {
			if !ruleMatches(r, l.Claims) {
				continue
			}
			if custom == "" || r.RoleARN == custom {
				return r.RoleARN, nil
			}
			if first == "" {
				first = r.RoleARN
			}
		}
		if custom != "" && first != "" {
			return "", cognitoidentity.NewNotAuthorizedException(fmt.Sprintf(msgCustomRoleDenied, custom))
		}
	}
	return "", nil
}

// ruleMatches applies a rule to the login's claims; a missing claim matches
// nothing (NotEqual included).
func ruleMatches(r MappingRule, claims map[string]any) bool {
	v, ok := claims[r.Claim]
	if !ok || v == nil {
		return false
	}
	if list, isList := v.([]any); isList {
		vals := make([]string, 0, len(list))
		for _, e := range list {
			vals = append(vals, claimString(e))
		}
		switch cognitoidentity.MappingRuleMatchType(r.MatchType) {
		case cognitoidentity.MappingRuleMatchTypeEquals:
			return len(vals) == 1 && vals[0] == r.Value
		case cognitoidentity.MappingRuleMatchTypeContains:
			return slices.Contains(vals, r.Value)
		case cognitoidentity.MappingRuleMatchTypeStartsWith:
			return slices.ContainsFunc(vals, func(s string) bool { return strings.HasPrefix(s, r.Value) })
		case cognitoidentity.MappingRuleMatchTypeNotEqual:
			return !slices.Contains(vals, r.Value)
		}
		return false
	}
	s := claimString(v)
	switch cognitoidentity.MappingRuleMatchType(r.MatchType) {
	case cognitoidentity.MappingRuleMatchTypeEquals:
		return s == r.Value
	case cognitoidentity.MappingRuleMatchTypeContains:
		return strings.Contains(s, r.Value)
	case cognitoidentity.MappingRuleMatchTypeStartsWith:
		return strings.HasPrefix(s, r.Value)
	case cognitoidentity.MappingRuleMatchTypeNotEqual:
		return s != r.Value
	}
	return false
}

// principalTags maps the logins' claims to session tags with the pool's
// principal-tag maps (keyed by provider name; UseDefaults maps are stored
// with the default tags).
func principalTags(set *Settings, ls []*logins.Login) map[string]string {
	var out map[string]string
	for _, l := range ls {
		m, ok := set.PrincipalTags[l.Provider]
		if !ok {
			continue
		}
		tags := m.Tags
		if len(tags) == 0 && m.UseDefaults {
			tags = defaultPrincipalTags
		}
		for tag, claim := range tags {
			if _, done := out[tag]; done {
				continue
			}
			v, ok := l.Claims[claim]
			if !ok || v == nil {
				continue
			}
			if s := claimString(v); s != "" {
				if out == nil {
					out = map[string]string{}
				}
				out[tag] = s
			}
		}
	}
	return out
}

// amrOf is an identity token's amr for a call's logins.
func amrOf(authenticated bool, ls []*logins.Login) []string {
	if !authenticated {
		return []string{"unauthenticated"}
	}
	out := []string{"authenticated"}
	for _, l := range ls {
		out = append(out, l.AMR...)
	}
	return out
}

// claimList reads a list claim (a JSON list, or a comma-separated string).
func claimList(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, claimString(e))
		}
		return out
	case []string:
		return x
	case string:
		var out []string
		for _, p := range strings.Split(x, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	return nil
}

// claimString renders a scalar claim as text.
func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
