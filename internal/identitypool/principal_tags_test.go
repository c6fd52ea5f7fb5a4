package identitypool

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestPrincipalTagAttributeMap(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := *e.create(t, &cognitoidentity.CreateIdentityPoolInput{
		IdentityPoolName:         ptrTo("tags"),
		SupportedLoginProviders:  map[string]string{"www.amazon.com": "a"},
		CognitoIdentityProviders: []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID)}},
	}).IdentityPoolId
	get := func(provider string) *cognitoidentity.GetPrincipalTagAttributeMapResponse {
		t.Helper()
		out, err := e.svc.GetPrincipalTagAttributeMap(ctx, &cognitoidentity.GetPrincipalTagAttributeMapInput{
			IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo(provider)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if d := cmp.Diff(&cognitoidentity.GetPrincipalTagAttributeMapResponse{
		IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo(userPool), UseDefaults: ptrTo(false)}, get(userPool)); d != "" {
		t.Errorf("unset map (-want +got):\n%s", d)
	}

	set, err := e.svc.SetPrincipalTagAttributeMap(ctx, &cognitoidentity.SetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo(userPool), PrincipalTags: map[string]string{"dept": "custom:dept"}})
	if err != nil {
		t.Fatal(err)
	}
	want := &cognitoidentity.GetPrincipalTagAttributeMapResponse{IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo(userPool),
		UseDefaults: ptrTo(false), PrincipalTags: map[string]string{"dept": "custom:dept"}}
	if d := cmp.Diff(want, (*cognitoidentity.GetPrincipalTagAttributeMapResponse)(set)); d != "" {
		t.Errorf("Set response (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, get(userPool)); d != "" {
		t.Errorf("Get (-want +got):\n%s", d)
	}

	// UseDefaults without tags is the default map.
	if _, err := e.svc.SetPrincipalTagAttributeMap(ctx, &cognitoidentity.SetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo("www.amazon.com"), UseDefaults: ptrTo(true)}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&cognitoidentity.GetPrincipalTagAttributeMapResponse{IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo("www.amazon.com"),
		UseDefaults: ptrTo(true), PrincipalTags: map[string]string{"username": "sub", "client": "aud"}}, get("www.amazon.com")); d != "" {
		t.Errorf("defaults (-want +got):\n%s", d)
	}
	// The other provider's map is untouched.
	if d := cmp.Diff(want, get(userPool)); d != "" {
		t.Errorf("Get after another provider's set (-want +got):\n%s", d)
	}

	_, err = e.svc.SetPrincipalTagAttributeMap(ctx, &cognitoidentity.SetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo("graph.facebook.com")})
	wantErr(t, err, "InvalidParameterException", "graph.facebook.com is not a configured provider of this identity pool.")
	_, err = e.svc.GetPrincipalTagAttributeMap(ctx, &cognitoidentity.GetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo("graph.facebook.com")})
	wantErr(t, err, "InvalidParameterException", "graph.facebook.com is not a configured provider of this identity pool.")
	_, err = e.svc.SetPrincipalTagAttributeMap(ctx, &cognitoidentity.SetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(missingID), IdentityProviderName: ptrTo(userPool)})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(missingID))
	_, err = e.svc.GetPrincipalTagAttributeMap(ctx, &cognitoidentity.GetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(missingID), IdentityProviderName: ptrTo(userPool)})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(missingID))
	_, err = e.svc.SetPrincipalTagAttributeMap(ctx, &cognitoidentity.SetPrincipalTagAttributeMapInput{
		IdentityPoolId: ptrTo(id), IdentityProviderName: ptrTo(userPool), PrincipalTags: map[string]string{"k": ""}})
	wantErr(t, err, "InvalidParameterException",
		"1 validation error detected: Value '' at 'principalTags.k.member' failed to satisfy constraint: Member must have length greater than or equal to 1")
}
