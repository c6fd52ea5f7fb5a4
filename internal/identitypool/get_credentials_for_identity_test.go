package identitypool

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestGetCredentialsGuestAndUpgrade(t *testing.T) {
	e := newIdentityEnv(t)
	poolID := e.pool(t, true)
	guest := e.getID(t, poolID, nil)

	out, m := e.credentials(t, guest, nil, "")
	if *out.IdentityId != guest || m.RoleARN != unauthRol || m.Authenticated || m.IdentityID != guest ||
		!out.Credentials.Expiration.Equal(t0.Add(time.Hour)) || *out.Credentials.SecretKey != m.SecretAccessKey {
		t.Errorf("guest credentials %+v recorded as %+v", out, m)
	}
	if len(m.AMR) != 1 || m.AMR[0] != "unauthenticated" {
		t.Errorf("guest amr %v", m.AMR)
	}

	// The guest logs in: the login is linked to it, and it is authenticated from now on.
	alice := map[string]string{userPool: userToken("alice", nil)}
	out, m = e.credentials(t, guest, alice, "")
	if *out.IdentityId != guest || m.RoleARN != authRole || !m.Authenticated {
		t.Errorf("upgraded guest: %s with %+v", *out.IdentityId, m)
	}
	if got := e.getID(t, poolID, alice); got != guest {
		t.Errorf("GetId after the upgrade: %s; want the former guest %s", got, guest)
	}
	err := e.credentialsErr(guest, nil, "")
	wantErr(t, err, "NotAuthorizedException", "Logins don't match. Please include at least one valid login for this identity or identity pool.")
	err = e.credentialsErr(guest, map[string]string{userPool: userToken("mallory", nil)}, "")
	wantErr(t, err, "NotAuthorizedException", "Logins don't match. Please include at least one valid login for this identity or identity pool.")

	// Another guest logs in as alice: it joins alice's identity and is disabled.
	other := e.getID(t, poolID, nil)
	out, _ = e.credentials(t, other, alice, "")
	if *out.IdentityId != guest {
		t.Errorf("a guest logging in as a known user got %s; want %s", *out.IdentityId, guest)
	}
	err = e.credentialsErr(other, nil, "")
	wantErr(t, err, "NotAuthorizedException", "Access to Identity '"+other+"' is forbidden.")
	list, _ := e.svc.ListIdentities(context.Background(), &cognitoidentity.ListIdentitiesInput{IdentityPoolId: ptrTo(poolID), MaxResults: ptrTo(int32(60)), HideDisabled: true})
	for _, i := range list.Identities {
		if *i.IdentityId == other {
			t.Error("HideDisabled listed the merged guest")
		}
	}

	// Guests are refused once the pool stops allowing them.
	g2 := e.getID(t, poolID, nil)
	if _, err := e.svc.UpdateIdentityPool(context.Background(), &cognitoidentity.IdentityPool{
		IdentityPoolId: ptrTo(poolID), IdentityPoolName: ptrTo("Identities"), AllowUnauthenticatedIdentities: false,
		CognitoIdentityProviders: []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID)}},
	}); err != nil {
		t.Fatal(err)
	}
	err = e.credentialsErr(g2, nil, "")
	wantErr(t, err, "NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.")

	err = e.credentialsErr(missingID, nil, "")
	wantErr(t, err, "ResourceNotFoundException", "Identity '"+missingID+"' not found.")
}

func TestRoles(t *testing.T) {
	e := newIdentityEnv(t)
	poolID := e.pool(t, true)
	key := userPool + ":" + clientID
	token := func(sub string, claims map[string]any) map[string]string {
		return map[string]string{userPool: userToken(sub, claims)}
	}
	rules := func(ambiguous cognitoidentity.AmbiguousRoleResolutionType, rs ...cognitoidentity.MappingRule) map[string]cognitoidentity.RoleMapping {
		return map[string]cognitoidentity.RoleMapping{key: {
			Type: ptrTo(cognitoidentity.RoleMappingTypeRules), AmbiguousRoleResolution: ptrTo(ambiguous),
			RulesConfiguration: &cognitoidentity.RulesConfigurationType{Rules: rs},
		}}
	}
	rule := func(claim string, mt cognitoidentity.MappingRuleMatchType, value, role string) cognitoidentity.MappingRule {
		return cognitoidentity.MappingRule{Claim: ptrTo(claim), MatchType: ptrTo(mt), Value: ptrTo(value), RoleARN: ptrTo(role)}
	}
	defaults := map[string]string{"authenticated": authRole, "unauthenticated": unauthRol}

	type call struct {
		sub    string
		claims map[string]any
		custom string
		role   string // "" with code: refused
		code   string
	}
	for _, tc := range []struct {
		name     string
		mappings map[string]cognitoidentity.RoleMapping
		calls    []call
	}{
		{"default role", nil, []call{{sub: "u1", role: authRole}}},
		{"token: preferred role", map[string]cognitoidentity.RoleMapping{key: {
			Type: ptrTo(cognitoidentity.RoleMappingTypeToken), AmbiguousRoleResolution: ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeAuthenticatedRole)}},
			[]call{
				{sub: "u1", claims: map[string]any{"cognito:roles": []any{roleAdmin, roleReader}, "cognito:preferred_role": roleReader}, role: roleReader},
				{sub: "u1", claims: map[string]any{"cognito:roles": []any{roleAdmin, roleReader}, "cognito:preferred_role": roleReader}, custom: roleAdmin, role: roleAdmin},
				{sub: "u1", claims: map[string]any{"cognito:roles": []any{roleAdmin, roleReader}}, role: authRole},
				{sub: "u1", claims: map[string]any{"cognito:roles": []any{roleReader}}, custom: roleAdmin, code: "NotAuthorizedException"},
			}},
		{"token: deny when ambiguous", map[string]cognitoidentity.RoleMapping{key: {
			Type: ptrTo(cognitoidentity.RoleMappingTypeToken), AmbiguousRoleResolution: ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeDeny)}},
			[]call{{sub: "u1", claims: map[string]any{"cognito:roles": []any{roleAdmin, roleReader}}, code: "NotAuthorizedException"}}},
		{"rules: first match wins", rules(cognitoidentity.AmbiguousRoleResolutionTypeDeny,
			rule("cognito:groups", cognitoidentity.MappingRuleMatchTypeContains, "admins", roleAdmin),
			rule("email", cognitoidentity.MappingRuleMatchTypeStartsWith, "reader", roleReader),
			rule("custom:tier", cognitoidentity.MappingRuleMatchTypeEquals, "gold", roleAdmin),
			rule("custom:dept", cognitoidentity.MappingRuleMatchTypeNotEqual, "sales", roleReader),
		), []call{
			{sub: "u1", claims: map[string]any{"cognito:groups": []any{"users", "admins"}, "email": "reader@example.com"}, role: roleAdmin},
			{sub: "u1", claims: map[string]any{"cognito:groups": []any{"users"}, "email": "reader@example.com"}, role: roleReader},
			{sub: "u1", claims: map[string]any{"custom:tier": "gold"}, role: roleAdmin},
			{sub: "u1", claims: map[string]any{"custom:tier": "golden"}, code: "NotAuthorizedException"},
			{sub: "u1", claims: map[string]any{"custom:dept": "eng"}, role: roleReader},
			{sub: "u1", claims: map[string]any{"custom:dept": "sales"}, code: "NotAuthorizedException"},
			// A missing claim matches no rule, NotEqual included.
			{sub: "u1", claims: nil, code: "NotAuthorizedException"},
			// CustomRoleArn picks among the matching rules' roles.
			{sub: "u1", claims: map[string]any{"cognito:groups": []any{"admins"}, "email": "reader@x"}, custom: roleReader, role: roleReader},
			{sub: "u1", claims: map[string]any{"cognito:groups": []any{"admins"}}, custom: roleReader, code: "NotAuthorizedException"},
		}},
		{"rules: authenticated role when ambiguous", rules(cognitoidentity.AmbiguousRoleResolutionTypeAuthenticatedRole,
			rule("cognito:groups", cognitoidentity.MappingRuleMatchTypeEquals, "admins", roleAdmin)),
			[]call{
				{sub: "u1", claims: map[string]any{"cognito:groups": []any{"admins"}}, role: roleAdmin},
				{sub: "u1", claims: map[string]any{"cognito:groups": []any{"admins", "users"}}, role: authRole},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.setRoles(t, poolID, defaults, tc.mappings)
			for n, c := range tc.calls {
				id := e.getID(t, poolID, token(c.sub, c.claims))
				if c.code != "" {
					err := e.credentialsErr(id, token(c.sub, c.claims), c.custom)
					wantErr(t, err, c.code, "")
					continue
				}
				_, m := e.credentials(t, id, token(c.sub, c.claims), c.custom)
				if m.RoleARN != c.role {
					t.Errorf("call %d: role %s; want %s", n, m.RoleARN, c.role)
				}
			}
		})
	}

	t.Run("deny message", func(t *testing.T) {
		e.setRoles(t, poolID, defaults, rules(cognitoidentity.AmbiguousRoleResolutionTypeDeny,
			rule("custom:x", cognitoidentity.MappingRuleMatchTypeEquals, "y", roleAdmin)))
		id := e.getID(t, poolID, token("u2", nil))
		wantErr(t, e.credentialsErr(id, token("u2", nil), ""), "NotAuthorizedException", "The ambiguous role mapping rules denied this request.")
	})
	t.Run("no roles", func(t *testing.T) {
		e.setRoles(t, poolID, map[string]string{}, nil)
		id := e.getID(t, poolID, token("u3", nil))
		wantErr(t, e.credentialsErr(id, token("u3", nil), ""), "InvalidIdentityPoolConfigurationException",
			"Invalid identity pool configuration. Check assigned IAM roles for this pool.")
		guest := e.getID(t, poolID, nil)
		wantErr(t, e.credentialsErr(guest, nil, ""), "InvalidIdentityPoolConfigurationException", "")
	})
	t.Run("SAML roles and CustomRoleArn without a mapping", func(t *testing.T) {
		e.setRoles(t, poolID, defaults, nil)
		saml := map[string]string{samlARN: `{"sub":"ana","roles":["` + roleAdmin + `","` + roleReader + `"]}`}
		id := e.getID(t, poolID, saml)
		if _, m := e.credentials(t, id, saml, roleReader); m.RoleARN != roleReader {
			t.Errorf("SAML CustomRoleArn: %s", m.RoleARN)
		}
		if _, m := e.credentials(t, id, saml, "arn:aws:iam::123456789012:role/Other"); m.RoleARN != authRole {
			t.Errorf("a role the login does not offer: %s; want the default", m.RoleARN)
		}
	})
}

func TestPrincipalTags(t *testing.T) {
	e := newIdentityEnv(t)
	ctx := context.Background()
	poolID := e.pool(t, false)
	alice := map[string]string{userPool: userToken("alice", map[string]any{"custom:dept": "eng", "email": "a@example.com"})}
	id := e.getID(t, poolID, alice)
	if _, m := e.credentials(t, id, alice, ""); len(m.PrincipalTags) != 0 {
		t.Errorf("tags without a map: %v", m.PrincipalTags)
	}
	if _, err := e.svc.SetPrincipalTagAttributeMap(ctx, &cognitoidentity.SetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(poolID), IdentityProviderName: ptrTo(userPool), UseDefaults: ptrTo(true)}); err != nil {
		t.Fatal(err)
	}
	if _, m := e.credentials(t, id, alice, ""); m.PrincipalTags["username"] != "alice" || m.PrincipalTags["client"] != clientID {
		t.Errorf("default tags: %v", m.PrincipalTags)
	}
	if _, err := e.svc.SetPrincipalTagAttributeMap(ctx, &cognitoidentity.SetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(poolID), IdentityProviderName: ptrTo(userPool), UseDefaults: ptrTo(false),
		PrincipalTags: map[string]string{"department": "custom:dept", "mail": "email", "none": "missing"}}); err != nil {
		t.Fatal(err)
	}
	_, m := e.credentials(t, id, alice, "")
	if len(m.PrincipalTags) != 2 || m.PrincipalTags["department"] != "eng" || m.PrincipalTags["mail"] != "a@example.com" {
		t.Errorf("mapped tags: %v", m.PrincipalTags)
	}
	// The OpenID token carries them too (basic flow).
	tok, err := e.svc.GetOpenIdToken(ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: ptrTo(id), Logins: alice})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.issuer.Verify(ctx, *tok.Token)
	if err != nil || c.PrincipalTags["department"] != "eng" {
		t.Errorf("token tags %+v, %v", c, err)
	}
}

func TestGetOpenIdToken(t *testing.T) {
	e := newIdentityEnv(t)
	ctx := context.Background()
	poolID := e.pool(t, true)
	alice := map[string]string{userPool: userToken("alice", nil)}
	id := e.getID(t, poolID, alice)
	out, err := e.svc.GetOpenIdToken(ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: ptrTo(id), Logins: alice})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.issuer.Verify(ctx, *out.Token)
	if err != nil {
		t.Fatal(err)
	}
	wantAMR := []string{"authenticated", userPool, userPool + ":CognitoSignIn:alice"}
	if *out.IdentityId != id || c.Subject != id || c.Audience != poolID || !c.ExpiresAt.Equal(t0.Add(10*time.Minute)) ||
		len(c.AMR) != 3 || c.AMR[0] != wantAMR[0] || c.AMR[1] != wantAMR[1] || c.AMR[2] != wantAMR[2] ||
		c.PoolARN != "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/"+poolID {
		t.Errorf("token claims %+v", c)
	}
	guest := e.getID(t, poolID, nil)
	out, err = e.svc.GetOpenIdToken(ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: ptrTo(guest)})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := e.issuer.Verify(ctx, *out.Token); c == nil || len(c.AMR) != 1 || c.AMR[0] != "unauthenticated" {
		t.Errorf("guest token %+v", c)
	}
	// The token is itself a login of the identity.
	_, m := e.credentials(t, id, map[string]string{"cognito-identity.amazonaws.com": mustToken(t, e, id, alice)}, "")
	if m.RoleARN != authRole || !m.Authenticated {
		t.Errorf("credentials by identity token: %+v", m)
	}
	err = e.credentialsErr(guest, map[string]string{"cognito-identity.amazonaws.com": mustToken(t, e, id, alice)}, "")
	wantErr(t, err, "NotAuthorizedException", "Logins don't match. Please include at least one valid login for this identity or identity pool.")

	e.setRoles(t, poolID, map[string]string{"authenticated": authRole}, map[string]cognitoidentity.RoleMapping{userPool + ":" + clientID: {
		Type: ptrTo(cognitoidentity.RoleMappingTypeToken), AmbiguousRoleResolution: ptrTo(cognitoidentity.AmbiguousRoleResolutionTypeDeny)}})
	_, err = e.svc.GetOpenIdToken(ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: ptrTo(id), Logins: alice})
	wantErr(t, err, "InvalidParameterException", "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.")
	if _, err := e.svc.UpdateIdentityPool(ctx, &cognitoidentity.IdentityPool{IdentityPoolId: ptrTo(poolID), IdentityPoolName: ptrTo("x"),
		AllowUnauthenticatedIdentities: true}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.GetOpenIdToken(ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: ptrTo(guest)})
	wantErr(t, err, "InvalidParameterException", "Basic (classic) flow is not enabled, please use enhanced flow.")
}

func mustToken(t *testing.T, e *idEnv, id string, ls map[string]string) string {
	t.Helper()
	out, err := e.svc.GetOpenIdToken(context.Background(), &cognitoidentity.GetOpenIdTokenInput{IdentityId: ptrTo(id), Logins: ls})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Token
}
