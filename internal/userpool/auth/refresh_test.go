package auth

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

func TestRefreshTokenAuth(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	other := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword, "name", "Alice")
	first := e.mustSignIn(clientID, "alice", goodPassword)
	refresh := api.Deref(first.RefreshToken)
	firstID := claims(t, api.Deref(first.IdToken))

	// The user changes meanwhile: tokens carry the current attributes and groups.
	e.clk.Advance(10 * time.Minute)
	if _, err := e.users.AdminUpdateUserAttributes(e.ctx, &cognitoidp.AdminUpdateUserAttributesRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice"), UserAttributes: attrList("name", "Alicia"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.groups.CreateGroup(e.ctx, &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(poolID), GroupName: api.Ptr("staff")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.groups.AdminAddUserToGroup(e.ctx, &cognitoidp.AdminAddUserToGroupRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice"), GroupName: api.Ptr("staff")}); err != nil {
		t.Fatal(err)
	}
	for _, flow := range []cognitoidp.AuthFlowType{cognitoidp.AuthFlowTypeRefreshTokenAuth, cognitoidp.AuthFlowTypeRefreshToken} {
		out, err := e.initiate(clientID, flow, "REFRESH_TOKEN", refresh)
		if err != nil {
			t.Fatalf("%s: %v", flow, err)
		}
		r := out.AuthenticationResult
		if r == nil || r.RefreshToken != nil || len(out.ChallengeParameters) != 0 || out.ChallengeName != nil {
			t.Fatalf("%s: response %+v", flow, out)
		}
		id := claims(t, api.Deref(r.IdToken))
		if id["name"] != "Alicia" || id["origin_jti"] != firstID["origin_jti"] || id["auth_time"] != firstID["auth_time"] ||
			id["iat"] == firstID["iat"] {
			t.Errorf("%s: ID token %v (first %v)", flow, id, firstID)
		}
		if g, _ := id["cognito:groups"].([]any); len(g) != 1 || g[0] != "staff" {
			t.Errorf("%s: groups %v", flow, id["cognito:groups"])
		}
	}

	_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth)
	wantErr(t, err, "InvalidParameterException", "Missing required parameter REFRESH_TOKEN")
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", "not.a.refresh.token.at-all")
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = e.initiate(other, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh)
	wantErr(t, err, "NotAuthorizedException", "Refresh Token has different Client.")

	// Admin variant.
	out, err := e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeRefreshTokenAuth),
		AuthParameters: params("REFRESH_TOKEN", refresh),
	})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("AdminInitiateAuth refresh: %v", err)
	}

	// The user must still be allowed to sign in.
	if _, err := e.users.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh)
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	if _, err := e.users.AdminDeleteUser(e.ctx, &cognitoidp.AdminDeleteUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice")}); err != nil {
		t.Fatal(err)
	}
	// A store that deletes a user's tokens with the user answers for the
	// token ("Invalid Refresh Token."); one that keeps them, for the user.
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh)
	if ae, ok := awserr.As(err); !ok || !(ae.Code == "UserNotFoundException" && ae.Message == "User does not exist." ||
		ae.Code == "NotAuthorizedException" && ae.Message == "Invalid Refresh Token.") {
		t.Errorf("refresh of a deleted user: %v", err)
	}
}

func TestRefreshTokenExpires(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.RefreshTokenValidity = 60
		in.TokenValidityUnits = &cognitoidp.TokenValidityUnitsType{RefreshToken: api.Ptr(cognitoidp.TimeUnitsTypeMinutes)}
	}).ClientId
	e.confirmedUser(poolID, "alice", goodPassword)
	refresh := api.Deref(e.mustSignIn(clientID, "alice", goodPassword).RefreshToken)
	e.clk.Advance(59 * time.Minute)
	if _, err := e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	e.clk.Advance(time.Minute)
	_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh)
	wantErr(t, err, "NotAuthorizedException", "Refresh Token has expired")
}

func TestRefreshWithSecretHash(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.UsernameAttributes = []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail}
	})
	c := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	clientID, secret := *c.ClientId, *c.ClientSecret
	u := e.confirmedUser(poolID, "zoe@example.com", goodPassword)
	r, err := e.passwordAuth(clientID, "zoe@example.com", goodPassword, "SECRET_HASH", signup.SecretHash(clientID, secret, "zoe@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	refresh := api.Deref(r.AuthenticationResult.RefreshToken)
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh)
	wantErr(t, err, "NotAuthorizedException", "Client "+clientID+" is configured for secret but secret was not received")
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh, "SECRET_HASH", signup.SecretHash(clientID, secret, "someone"))
	wantErr(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+clientID)
	for _, name := range []string{u.Username, u.Sub} {
		if _, err := e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh, "SECRET_HASH", signup.SecretHash(clientID, secret, name)); err != nil {
			t.Errorf("hash over %s: %v", name, err)
		}
	}
	// A hash over the USERNAME the request names (the email here) works too.
	if _, err := e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh, "USERNAME", "zoe@example.com",
		"SECRET_HASH", signup.SecretHash(clientID, secret, "zoe@example.com")); err != nil {
		t.Errorf("hash over USERNAME: %v", err)
	}
}

func (e *env) getTokens(clientID, refresh string, secret *string) (*cognitoidp.GetTokensFromRefreshTokenResponse, error) {
	return e.svc.GetTokensFromRefreshToken(e.ctx, &cognitoidp.GetTokensFromRefreshTokenRequest{
		ClientId: api.Ptr(clientID), RefreshToken: api.Ptr(refresh), ClientSecret: secret,
	})
}

func TestGetTokensFromRefreshTokenWithoutRotation(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	refresh := api.Deref(e.mustSignIn(clientID, "alice", goodPassword).RefreshToken)
	for i := 0; i < 2; i++ {
		out, err := e.getTokens(clientID, refresh, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := out.AuthenticationResult
		if r == nil || r.RefreshToken != nil || api.Deref(r.AccessToken) == "" || api.Deref(r.TokenType) != "Bearer" {
			t.Fatalf("result = %+v", r)
		}
	}
	_, err := e.getTokens(clientID, "garbage", nil)
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = e.getTokens("nosuchclient", refresh, nil)
	wantErr(t, err, "ResourceNotFoundException", "User pool client nosuchclient does not exist.")
	noRefresh := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth}
	}).ClientId
	_, err = e.getTokens(noRefresh, refresh, nil)
	wantErr(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
}

func TestGetTokensFromRefreshTokenRotation(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.RefreshTokenRotation = &cognitoidp.RefreshTokenRotationType{
			Feature: api.Ptr(cognitoidp.FeatureTypeEnabled), RetryGracePeriodSeconds: api.Ptr(int32(10)),
		}
	}).ClientId
	e.confirmedUser(poolID, "alice", goodPassword)
	first := e.mustSignIn(clientID, "alice", goodPassword)
	old := api.Deref(first.RefreshToken)

	out, err := e.getTokens(clientID, old, nil)
	if err != nil {
		t.Fatal(err)
	}
	next := api.Deref(out.AuthenticationResult.RefreshToken)
	if next == "" || next == old {
		t.Fatalf("rotation gave %q", next)
	}
	if a, b := claims(t, api.Deref(first.AccessToken))["origin_jti"], claims(t, api.Deref(out.AuthenticationResult.AccessToken))["origin_jti"]; a != b {
		t.Errorf("origin_jti changed: %v -> %v", a, b)
	}
	// Within the grace period the old token still works.
	e.clk.Advance(9 * time.Second)
	if _, err := e.getTokens(clientID, old, nil); err != nil {
		t.Fatalf("within grace: %v", err)
	}
	e.clk.Advance(time.Second)
	_, err = e.getTokens(clientID, old, nil)
	wantErr(t, err, "RefreshTokenReuseException", "")
}

func TestGetTokensRefusedChangesNothing(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.RefreshTokenRotation = &cognitoidp.RefreshTokenRotationType{
			Feature: api.Ptr(cognitoidp.FeatureTypeEnabled), RetryGracePeriodSeconds: api.Ptr(int32(0)),
		}
	}).ClientId
	e.confirmedUser(poolID, "alice", goodPassword)
	refresh := api.Deref(e.mustSignIn(clientID, "alice", goodPassword).RefreshToken)
	if _, err := e.users.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.getTokens(clientID, refresh, nil)
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	if _, err := e.users.AdminEnableUser(e.ctx, &cognitoidp.AdminEnableUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice")}); err != nil {
		t.Fatal(err)
	}
	// Not rotated by the refused call: the token still works once.
	out, err := e.getTokens(clientID, refresh, nil)
	if err != nil || out.AuthenticationResult.RefreshToken == nil {
		t.Fatalf("after enabling: %v", err)
	}
	_, err = e.getTokens(clientID, refresh, nil)
	wantErr(t, err, "RefreshTokenReuseException", "")
}

func TestGetTokensClientSecret(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	c := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	clientID, secret := *c.ClientId, *c.ClientSecret
	e.confirmedUser(poolID, "alice", goodPassword)
	r, err := e.passwordAuth(clientID, "alice", goodPassword, "SECRET_HASH", signup.SecretHash(clientID, secret, "alice"))
	if err != nil {
		t.Fatal(err)
	}
	refresh := api.Deref(r.AuthenticationResult.RefreshToken)
	_, err = e.getTokens(clientID, refresh, nil)
	wantErr(t, err, "NotAuthorizedException", "Client "+clientID+" is configured for secret but secret was not received")
	_, err = e.getTokens(clientID, refresh, api.Ptr("0123456789abcdefghijklmnopqrstuv"))
	wantErr(t, err, "NotAuthorizedException", "Unable to verify secret for client "+clientID)
	if _, err := e.getTokens(clientID, refresh, api.Ptr(secret)); err != nil {
		t.Fatalf("with the secret: %v", err)
	}
	e.noSecretsLogged(secret, refresh)
}
