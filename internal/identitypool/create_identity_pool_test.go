package identitypool

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/ids"
)

func TestCreateIdentityPool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	t.Run("minimal", func(t *testing.T) {
		out := e.create(t, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("Plain pool"), AllowUnauthenticatedIdentities: true})
		if !regexp.MustCompile(`^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(*out.IdentityPoolId) ||
			!ids.ValidIdentityPoolID(*out.IdentityPoolId) {
			t.Errorf("IdentityPoolId %q", *out.IdentityPoolId)
		}
		want := &cognitoidentity.IdentityPool{
			IdentityPoolId: out.IdentityPoolId, IdentityPoolName: ptrTo("Plain pool"),
			AllowUnauthenticatedIdentities: true, AllowClassicFlow: ptrTo(false), IdentityPoolTags: map[string]string{},
		}
		if d := cmp.Diff(want, out); d != "" {
			t.Errorf("CreateIdentityPool (-want +got):\n%s", d)
		}
		if d := cmp.Diff(want, e.describe(t, *out.IdentityPoolId)); d != "" {
			t.Errorf("DescribeIdentityPool (-want +got):\n%s", d)
		}
	})

	t.Run("every member", func(t *testing.T) {
		in := &cognitoidentity.CreateIdentityPoolInput{
			IdentityPoolName: ptrTo("Full_pool+=,.@-"), AllowClassicFlow: ptrTo(true),
			SupportedLoginProviders: map[string]string{"graph.facebook.com": "7346241598935552", "accounts.google.com": "123.apps.googleusercontent.com",
				"www.amazon.com": "amzn1.application.abc", "appleid.apple.com": "com.example.app", "api.twitter.com": "key;secret"},
			DeveloperProviderName:     ptrTo("login.example_dev-1"),
			OpenIdConnectProviderARNs: []string{oidcARN},
			CognitoIdentityProviders: []cognitoidentity.CognitoIdentityProvider{
				{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID), ServerSideTokenCheck: ptrTo(true)},
				{ProviderName: ptrTo(userPool), ClientId: ptrTo("otherclient")},
			},
			SamlProviderARNs: []string{samlARN},
			IdentityPoolTags: map[string]string{"env": "test", "empty": ""},
		}
		out := e.create(t, in)
		want := &cognitoidentity.IdentityPool{
			IdentityPoolId: out.IdentityPoolId, IdentityPoolName: in.IdentityPoolName, AllowClassicFlow: ptrTo(true),
			SupportedLoginProviders: in.SupportedLoginProviders, DeveloperProviderName: in.DeveloperProviderName,
			OpenIdConnectProviderARNs: in.OpenIdConnectProviderARNs,
			CognitoIdentityProviders: []cognitoidentity.CognitoIdentityProvider{
				{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID), ServerSideTokenCheck: ptrTo(true)},
				{ProviderName: ptrTo(userPool), ClientId: ptrTo("otherclient"), ServerSideTokenCheck: ptrTo(false)},
			},
			SamlProviderARNs: in.SamlProviderARNs, IdentityPoolTags: in.IdentityPoolTags,
		}
		if d := cmp.Diff(want, out); d != "" {
			t.Errorf("CreateIdentityPool (-want +got):\n%s", d)
		}
		if d := cmp.Diff(want, e.describe(t, *out.IdentityPoolId)); d != "" {
			t.Errorf("DescribeIdentityPool (-want +got):\n%s", d)
		}
	})

	t.Run("names need not be unique", func(t *testing.T) {
		a := e.create(t, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("same")})
		b := e.create(t, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("same")})
		if *a.IdentityPoolId == *b.IdentityPoolId {
			t.Error("two pools share an id")
		}
	})

	bad := func(mut func(in *cognitoidentity.CreateIdentityPoolInput)) *cognitoidentity.CreateIdentityPoolInput {
		in := &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("p")}
		mut(in)
		return in
	}
	manyTags := map[string]string{}
	for i := range 51 {
		manyTags[fmt.Sprint("k", i)] = "v"
	}
	for _, tc := range []struct {
		name      string
		in        *cognitoidentity.CreateIdentityPoolInput
		code, msg string
	}{
		{"no name", &cognitoidentity.CreateIdentityPoolInput{}, "InvalidParameterException",
			"1 validation error detected: Value null at 'identityPoolName' failed to satisfy constraint: Member must not be null"},
		{"name pattern", bad(func(in *cognitoidentity.CreateIdentityPoolInput) { in.IdentityPoolName = ptrTo("bad/name") }), "InvalidParameterException",
			"1 validation error detected: Value 'bad/name' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"},
		{"name too long", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			in.IdentityPoolName = ptrTo(strings.Repeat("n", 129))
		}), "InvalidParameterException", ""},
		{"unknown login provider", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			in.SupportedLoginProviders = map[string]string{"login.example.com": "x"}
		}), "InvalidParameterException", "Invalid login provider: login.example.com"},
		{"developer provider pattern", bad(func(in *cognitoidentity.CreateIdentityPoolInput) { in.DeveloperProviderName = ptrTo("a b") }), "InvalidParameterException",
			"1 validation error detected: Value 'a b' at 'developerProviderName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w._-]+"},
		{"user pool provider shape", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			in.CognitoIdentityProviders = []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo("cognito-idp.us-east-1.amazonaws.com/nopool"), ClientId: ptrTo("c")}}
		}), "InvalidParameterException", "Invalid Cognito Identity Provider name: cognito-idp.us-east-1.amazonaws.com/nopool"},
		{"user pool provider region mismatch", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			in.CognitoIdentityProviders = []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo("cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbCdEfGhI"), ClientId: ptrTo("c")}}
		}), "InvalidParameterException", "Invalid Cognito Identity Provider name: cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbCdEfGhI"},
		{"user pool provider pattern", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			in.CognitoIdentityProviders = []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo("https://x"), ClientId: ptrTo("c")}}
		}), "InvalidParameterException", "Invalid Cognito Identity Provider name: https://x"},
		{"missing client id", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			in.CognitoIdentityProviders = []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo(userPool)}}
		}), "InvalidParameterException", "ClientId is required for Cognito Identity Provider " + userPool + "."},
		{"duplicate user pool provider", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			p := cognitoidentity.CognitoIdentityProvider{ProviderName: ptrTo(userPool), ClientId: ptrTo("c")}
			in.CognitoIdentityProviders = []cognitoidentity.CognitoIdentityProvider{p, p}
		}), "InvalidParameterException", "Duplicate Cognito Identity Provider: " + userPool + ", c"},
		{"oidc arn", bad(func(in *cognitoidentity.CreateIdentityPoolInput) {
			in.OpenIdConnectProviderARNs = []string{"arn:aws:iam::123456789012:role/NotOIDC"}
		}), "InvalidParameterException", "Invalid OpenIdConnectProviderARN: arn:aws:iam::123456789012:role/NotOIDC"},
		{"saml arn", bad(func(in *cognitoidentity.CreateIdentityPoolInput) { in.SamlProviderARNs = []string{oidcARN} }),
			"InvalidParameterException", "Invalid SamlProviderARN: " + oidcARN},
		{"duplicate arn", bad(func(in *cognitoidentity.CreateIdentityPoolInput) { in.SamlProviderARNs = []string{samlARN, samlARN} }),
			"InvalidParameterException", "Duplicate provider ARN: " + samlARN},
		{"arn too short", bad(func(in *cognitoidentity.CreateIdentityPoolInput) { in.SamlProviderARNs = []string{"arn"} }),
			"InvalidParameterException", "1 validation error detected: Value 'arn' at 'samlProviderARNs.1.member' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"too many tags", bad(func(in *cognitoidentity.CreateIdentityPoolInput) { in.IdentityPoolTags = manyTags }),
			"InvalidParameterException", "An identity pool can have as many as 50 tags."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.CreateIdentityPool(ctx, tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}

	t.Run("too many user pool providers", func(t *testing.T) {
		in := &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("p")}
		for i := range MaxUserPoolProviders + 1 {
			in.CognitoIdentityProviders = append(in.CognitoIdentityProviders,
				cognitoidentity.CognitoIdentityProvider{ProviderName: ptrTo(userPool), ClientId: ptrTo(fmt.Sprint("client", i))})
		}
		_, err := e.svc.CreateIdentityPool(ctx, in)
		wantErr(t, err, "LimitExceededException", "Exceeded the maximum number of Cognito Identity Providers (50).")
	})

	t.Run("account quota", func(t *testing.T) {
		e := newEnv(t)
		e.svc.maxPools = 2
		e.create(t, nil)
		e.create(t, nil)
		_, err := e.svc.CreateIdentityPool(ctx, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("third")})
		wantErr(t, err, "LimitExceededException", "Exceeded the maximum number of identity pools (2) for this account.")
	})
}

func TestDescribeIdentityPool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.svc.DescribeIdentityPool(ctx, &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: ptrTo(missingID)})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(missingID))
	_, err = e.svc.DescribeIdentityPool(ctx, &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: ptrTo("not-an-id")})
	wantErr(t, err, "InvalidParameterException",
		"1 validation error detected: Value 'not-an-id' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+")
	_, err = e.svc.DescribeIdentityPool(ctx, &cognitoidentity.DescribeIdentityPoolInput{})
	wantErr(t, err, "InvalidParameterException",
		"1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null")
	out := e.create(t, nil)
	if got := e.describe(t, *out.IdentityPoolId); *got.IdentityPoolName != "MyIdentityPool" || len(got.CognitoIdentityProviders) != 1 {
		t.Errorf("DescribeIdentityPool = %+v", got)
	}
}

func TestDeleteIdentityPool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	out := e.create(t, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("p"), IdentityPoolTags: map[string]string{"a": "b"}})
	id := *out.IdentityPoolId
	if _, err := e.svc.DeleteIdentityPool(ctx, &cognitoidentity.DeleteIdentityPoolInput{IdentityPoolId: ptrTo(id)}); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.DescribeIdentityPool(ctx, &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: ptrTo(id)})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(id))
	_, err = e.svc.DeleteIdentityPool(ctx, &cognitoidentity.DeleteIdentityPoolInput{IdentityPoolId: ptrTo(id)})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(id))
	if tags, err := e.store.GetTags(ctx, ARN(region, account, id)); err != nil || len(tags) != 0 {
		t.Errorf("tags after delete = %v, %v", tags, err)
	}
}
