package identitypool

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestIdentityPoolRoles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := *e.create(t, &cognitoidentity.CreateIdentityPoolInput{
		IdentityPoolName:          ptrTo("roles"),
		SupportedLoginProviders:   map[string]string{"accounts.google.com": "g"},
		OpenIdConnectProviderARNs: []string{oidcARN},
		SamlProviderARNs:          []string{samlARN},
		CognitoIdentityProviders:  []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID)}},
	}).IdentityPoolId
	get := func() *cognitoidentity.GetIdentityPoolRolesResponse {
		t.Helper()
		out, err := e.svc.GetIdentityPoolRoles(ctx, &cognitoidentity.GetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if d := cmp.Diff(&cognitoidentity.GetIdentityPoolRolesResponse{IdentityPoolId: ptrTo(id), Roles: map[string]string{}}, get()); d != "" {
		t.Errorf("roles of a new pool (-want +got):\n%s", d)
	}

	rules := &cognitoidentity.RulesConfigurationType{Rules: []cognitoidentity.MappingRule{
		{Claim: ptrTo("custom:tier"), MatchType: ptrTo(cognitoidentity.MappingRuleMatchTypeEquals), Value: ptrTo("paid"), RoleARN: ptrTo(authRole)},
		{Claim: ptrTo("email"), MatchType: ptrTo(cognitoidentity.MappingRuleMatchTypeNotEqual), Value: ptrTo("x"), RoleARN: ptrTo(unauthRol)},
	}}
	mappings := map[string]cognitoidentity.RoleMapping{
		userPool + ":" + clientID: {Type: ptrTo(cognitoidentity.RoleMappingTypeToken),
			AmbiguousRoleResolution: ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeAuthenticatedRole)},
		"accounts.google.com": {Type: ptrTo(cognitoidentity.RoleMappingTypeRules),
			AmbiguousRoleResolution: ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeDeny), RulesConfiguration: rules},
		"login.example.com": {Type: ptrTo(cognitoidentity.RoleMappingTypeToken), AmbiguousRoleResolution: ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeDeny)},
		samlARN:             {Type: ptrTo(cognitoidentity.RoleMappingTypeToken), AmbiguousRoleResolution: ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeDeny)},
	}
	roles := map[string]string{"authenticated": authRole, "unauthenticated": unauthRol}
	if _, err := e.svc.SetIdentityPoolRoles(ctx, &cognitoidentity.SetIdentityPoolRolesInput{
		IdentityPoolId: ptrTo(id), Roles: roles, RoleMappings: mappings}); err != nil {
		t.Fatal(err)
	}
	want := &cognitoidentity.GetIdentityPoolRolesResponse{IdentityPoolId: ptrTo(id), Roles: roles, RoleMappings: mappings}
	if d := cmp.Diff(want, get()); d != "" {
		t.Errorf("roles (-want +got):\n%s", d)
	}

	// A second call replaces both: omitted mappings are cleared.
	if _, err := e.svc.SetIdentityPoolRoles(ctx, &cognitoidentity.SetIdentityPoolRolesInput{
		IdentityPoolId: ptrTo(id), Roles: map[string]string{"unauthenticated": unauthRol}}); err != nil {
		t.Fatal(err)
	}
	want = &cognitoidentity.GetIdentityPoolRolesResponse{IdentityPoolId: ptrTo(id), Roles: map[string]string{"unauthenticated": unauthRol}}
	if d := cmp.Diff(want, get()); d != "" {
		t.Errorf("roles after replacing (-want +got):\n%s", d)
	}

	many := &cognitoidentity.RulesConfigurationType{}
	for i := range MaxRulesPerProvider + 1 {
		many.Rules = append(many.Rules, cognitoidentity.MappingRule{Claim: ptrTo(fmt.Sprint("c", i)),
			MatchType: ptrTo(cognitoidentity.MappingRuleMatchTypeContains), Value: ptrTo("v"), RoleARN: ptrTo(authRole)})
	}
	token := ptrTo(cognitoidentity.RoleMappingTypeToken)
	rulesType := ptrTo(cognitoidentity.RoleMappingTypeRules)
	deny := ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeDeny)
	for _, tc := range []struct {
		name      string
		in        *cognitoidentity.SetIdentityPoolRolesInput
		code, msg string
	}{
		{"missing pool", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(missingID), Roles: roles},
			"ResourceNotFoundException", notFoundMsg(missingID)},
		{"no roles", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id)}, "InvalidParameterException",
			"1 validation error detected: Value null at 'roles' failed to satisfy constraint: Member must not be null"},
		{"bad role key", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: map[string]string{"admin": authRole}},
			"InvalidParameterException", ""},
		{"role name, not ARN", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id),
			Roles: map[string]string{"authenticated": "my-stack-SomeRole-KBKHTR8P6UC2"}},
			"NotAuthorizedException", "Access to Role 'my-stack-SomeRole-KBKHTR8P6UC2' is forbidden."},
		{"unconfigured provider", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{userPool: {Type: token, AmbiguousRoleResolution: deny}}},
			"InvalidParameterException", userPool + " is not a valid RoleMapping ProviderName or is not a configured provider."},
		{"no ambiguous resolution", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{"accounts.google.com": {Type: token}}},
			"InvalidParameterException", "AmbiguousRoleResolution must be specified for RoleMapping of accounts.google.com."},
		{"rules without configuration", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{"accounts.google.com": {Type: rulesType, AmbiguousRoleResolution: deny}}},
			"InvalidParameterException", "RulesConfiguration must be specified for RoleMapping of type Rules for accounts.google.com."},
		{"token with rules", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{"accounts.google.com": {Type: token, AmbiguousRoleResolution: deny, RulesConfiguration: rules}}},
			"InvalidParameterException", "RulesConfiguration is only valid for RoleMapping of type Rules for accounts.google.com."},
		{"too many rules", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{"accounts.google.com": {Type: rulesType, AmbiguousRoleResolution: deny, RulesConfiguration: many}}},
			"InvalidParameterException", "Exceeded the maximum number of rules (25) for accounts.google.com."},
		{"empty rules", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{"accounts.google.com": {Type: rulesType, AmbiguousRoleResolution: deny,
				RulesConfiguration: &cognitoidentity.RulesConfigurationType{Rules: []cognitoidentity.MappingRule{}}}}},
			"InvalidParameterException", ""},
		{"bad rule role", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{"accounts.google.com": {Type: rulesType, AmbiguousRoleResolution: deny,
				RulesConfiguration: &cognitoidentity.RulesConfigurationType{Rules: []cognitoidentity.MappingRule{{Claim: ptrTo("c"),
					MatchType: ptrTo(cognitoidentity.MappingRuleMatchTypeEquals), Value: ptrTo("v"), RoleARN: ptrTo("arn:aws:iam::123456789012:user/Bob")}}}}}},
			"InvalidParameterException", "Invalid RoleARN in rule for accounts.google.com: arn:aws:iam::123456789012:user/Bob"},
		{"bad match type", &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id), Roles: roles,
			RoleMappings: map[string]cognitoidentity.RoleMapping{"accounts.google.com": {Type: rulesType, AmbiguousRoleResolution: deny,
				RulesConfiguration: &cognitoidentity.RulesConfigurationType{Rules: []cognitoidentity.MappingRule{{Claim: ptrTo("c"),
					MatchType: ptrTo(cognitoidentity.MappingRuleMatchType("Like")), Value: ptrTo("v"), RoleARN: ptrTo(authRole)}}}}}},
			"InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.SetIdentityPoolRoles(ctx, tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	// Refused calls changed nothing.
	if d := cmp.Diff(want, get()); d != "" {
		t.Errorf("roles after refused calls (-want +got):\n%s", d)
	}
	_, err := e.svc.GetIdentityPoolRoles(ctx, &cognitoidentity.GetIdentityPoolRolesInput{IdentityPoolId: ptrTo(missingID)})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(missingID))
}
