package identitypool

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// SetIdentityPoolRoles replaces a pool's roles ("authenticated",
// "unauthenticated" → IAM role ARN) and role mappings (keyed by a provider the
// pool trusts). A value that is not a role ARN is NotAuthorizedException, as
// Cognito answers when it cannot pass the role.
func (s *Service) SetIdentityPoolRoles(ctx context.Context, in *cognitoidentity.SetIdentityPoolRolesInput) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(in.Roles)) {
		if !roleARN.MatchString(in.Roles[k]) {
			return nil, cognitoidentity.NewNotAuthorizedException(fmt.Sprintf(msgRoleForbidden, in.Roles[k]))
		}
	}
	mappings := map[string]RoleMapping{}
	for _, k := range slices.Sorted(maps.Keys(in.RoleMappings)) {
		m, err := roleMapping(k, in.RoleMappings[k])
		if err != nil {
			return nil, err
		}
		mappings[k] = m
	}
	_, err := s.update(ctx, *in.IdentityPoolId, func(_ *storage.IdentityPool, set *Settings) error {
		known := roleMappingProviders(set)
		for _, k := range slices.Sorted(maps.Keys(mappings)) {
			if !known[k] {
				return invalid(msgRoleMappingProvider, k)
			}
		}
		set.Roles = cloneMap(in.Roles)
		if len(set.Roles) == 0 {
			set.Roles = nil
		}
		set.RoleMappings = nil
		if len(mappings) > 0 {
			set.RoleMappings = mappings
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// roleMapping checks one mapping beyond the model's constraints.
func roleMapping(provider string, in cognitoidentity.RoleMapping) (RoleMapping, error) {
	m := RoleMapping{Type: string(*in.Type)}
	if in.AmbiguousRoleResolution == nil {
		return m, invalid(msgAmbiguousRequired, provider)
	}
	m.AmbiguousRoleResolution = string(*in.AmbiguousRoleResolution)
	switch *in.Type {
	case cognitoidentity.RoleMappingTypeRules:
		if in.RulesConfiguration == nil {
			return m, invalid(msgRulesRequired, provider)
		}
		if len(in.RulesConfiguration.Rules) > MaxRulesPerProvider {
			return m, invalid(msgTooManyRules, MaxRulesPerProvider, provider)
		}
		for _, r := range in.RulesConfiguration.Rules {
			if !roleARN.MatchString(*r.RoleARN) {
				return m, invalid(msgInvalidRuleRole, provider, *r.RoleARN)
			}
			m.Rules = append(m.Rules, MappingRule{Claim: *r.Claim, MatchType: string(*r.MatchType), Value: *r.Value, RoleARN: *r.RoleARN})
		}
	case cognitoidentity.RoleMappingTypeToken:
		if in.RulesConfiguration != nil {
			return m, invalid(msgRulesNotAllowed, provider)
		}
	}
	return m, nil
}
