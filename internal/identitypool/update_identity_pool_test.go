package identitypool

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestUpdateIdentityPool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	created := e.create(t, &cognitoidentity.CreateIdentityPoolInput{
		IdentityPoolName: ptrTo("before"), AllowUnauthenticatedIdentities: true, AllowClassicFlow: ptrTo(true),
		SupportedLoginProviders:  map[string]string{"graph.facebook.com": "123"},
		DeveloperProviderName:    ptrTo("login.dev"),
		CognitoIdentityProviders: []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID)}},
		SamlProviderARNs:         []string{samlARN},
		IdentityPoolTags:         map[string]string{"keep": "1"},
	})
	id := *created.IdentityPoolId
	if _, err := e.svc.SetIdentityPoolRoles(ctx, &cognitoidentity.SetIdentityPoolRolesInput{
		IdentityPoolId: ptrTo(id), Roles: map[string]string{"authenticated": authRole}}); err != nil {
		t.Fatal(err)
	}

	// Omitted members take their defaults; the developer provider and tags stay.
	out, err := e.svc.UpdateIdentityPool(ctx, &cognitoidentity.IdentityPool{
		IdentityPoolId: ptrTo(id), IdentityPoolName: ptrTo("after"),
		OpenIdConnectProviderARNs: []string{oidcARN},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &cognitoidentity.IdentityPool{
		IdentityPoolId: ptrTo(id), IdentityPoolName: ptrTo("after"), AllowClassicFlow: ptrTo(false),
		DeveloperProviderName: ptrTo("login.dev"), OpenIdConnectProviderARNs: []string{oidcARN},
		IdentityPoolTags: map[string]string{"keep": "1"},
	}
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("UpdateIdentityPool (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, e.describe(t, id)); d != "" {
		t.Errorf("DescribeIdentityPool (-want +got):\n%s", d)
	}
	// Roles are not part of the pool's configuration.
	roles, err := e.svc.GetIdentityPoolRoles(ctx, &cognitoidentity.GetIdentityPoolRolesInput{IdentityPoolId: ptrTo(id)})
	if err != nil || roles.Roles["authenticated"] != authRole {
		t.Errorf("roles after update = %+v, %v", roles, err)
	}

	// Tags given replace the pool's tags.
	out, err = e.svc.UpdateIdentityPool(ctx, &cognitoidentity.IdentityPool{
		IdentityPoolId: ptrTo(id), IdentityPoolName: ptrTo("after"), AllowUnauthenticatedIdentities: true,
		DeveloperProviderName: ptrTo("login.dev"), IdentityPoolTags: map[string]string{"new": "2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"new": "2"}, out.IdentityPoolTags); d != "" || !out.AllowUnauthenticatedIdentities {
		t.Errorf("tags (-want +got):\n%s; pool %+v", d, out)
	}

	// The developer provider name cannot change.
	_, err = e.svc.UpdateIdentityPool(ctx, &cognitoidentity.IdentityPool{
		IdentityPoolId: ptrTo(id), IdentityPoolName: ptrTo("after"), DeveloperProviderName: ptrTo("other.dev")})
	wantErr(t, err, "InvalidParameterException", "Developer provider name cannot be changed once set.")
	if got := e.describe(t, id); *got.DeveloperProviderName != "login.dev" || *got.IdentityPoolName != "after" {
		t.Errorf("a refused update changed the pool: %+v", got)
	}
	// ... but may be set on a pool that has none.
	other := e.create(t, nil)
	out, err = e.svc.UpdateIdentityPool(ctx, &cognitoidentity.IdentityPool{
		IdentityPoolId: other.IdentityPoolId, IdentityPoolName: ptrTo("x"), DeveloperProviderName: ptrTo("set.later")})
	if err != nil || *out.DeveloperProviderName != "set.later" || out.CognitoIdentityProviders != nil {
		t.Errorf("UpdateIdentityPool setting a developer provider = %+v, %v", out, err)
	}

	for _, tc := range []struct {
		name      string
		in        *cognitoidentity.IdentityPool
		code, msg string
	}{
		{"missing pool", &cognitoidentity.IdentityPool{IdentityPoolId: ptrTo(missingID), IdentityPoolName: ptrTo("x")},
			"ResourceNotFoundException", notFoundMsg(missingID)},
		{"no name", &cognitoidentity.IdentityPool{IdentityPoolId: ptrTo(id)}, "InvalidParameterException",
			"1 validation error detected: Value null at 'identityPoolName' failed to satisfy constraint: Member must not be null"},
		{"no id", &cognitoidentity.IdentityPool{IdentityPoolName: ptrTo("x")}, "InvalidParameterException",
			"1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null"},
		{"bad provider", &cognitoidentity.IdentityPool{IdentityPoolId: ptrTo(id), IdentityPoolName: ptrTo("x"),
			SupportedLoginProviders: map[string]string{"example.com": "1"}}, "InvalidParameterException", "Invalid login provider: example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.UpdateIdentityPool(ctx, tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
}
