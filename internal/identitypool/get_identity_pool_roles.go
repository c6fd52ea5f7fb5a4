package identitypool

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// GetIdentityPoolRoles shows a pool's roles and role mappings.
func (s *Service) GetIdentityPoolRoles(ctx context.Context, in *cognitoidentity.GetIdentityPoolRolesInput) (*cognitoidentity.GetIdentityPoolRolesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	out := &cognitoidentity.GetIdentityPoolRolesResponse{IdentityPoolId: ptr(p.Record.ID), Roles: cloneMap(p.Settings.Roles)}
	if out.Roles == nil {
		out.Roles = map[string]string{}
	}
	for k, m := range p.Settings.RoleMappings {
		if out.RoleMappings == nil {
			out.RoleMappings = map[string]cognitoidentity.RoleMapping{}
		}
		out.RoleMappings[k] = renderRoleMapping(m)
	}
	return out, nil
}

func renderRoleMapping(m RoleMapping) cognitoidentity.RoleMapping {
	out := cognitoidentity.RoleMapping{Type: ptr(cognitoidentity.RoleMappingType(m.Type))}
	if m.AmbiguousRoleResolution != "" {
		out.AmbiguousRoleResolution = ptr(cognitoidentity.AmbiguousRoleResolutionType(m.AmbiguousRoleResolution))
	}
	if m.Type == string(cognitoidentity.RoleMappingTypeRules) {
		out.RulesConfiguration = &cognitoidentity.RulesConfigurationType{Rules: []cognitoidentity.MappingRule{}}
		for _, r := range m.Rules {
			out.RulesConfiguration.Rules = append(out.RulesConfiguration.Rules, cognitoidentity.MappingRule{
				Claim: ptr(r.Claim), MatchType: ptr(cognitoidentity.MappingRuleMatchType(r.MatchType)),
				Value: ptr(r.Value), RoleARN: ptr(r.RoleARN),
			})
		}
	}
	return out
}
