package auth

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

func TestUserPasswordAuthIssuesTokens(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.Schema = []cognitoidp.SchemaAttributeType{{
			Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber), Mutable: api.Ptr(true),
		}}
	})
	clientID := e.clientID(poolID)
	u := e.confirmedUser(poolID, "alice", goodPassword, "email", "alice@example.com", "email_verified", "true", "custom:tier", "3")
	if _, err := e.groups.CreateGroup(e.ctx, &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(poolID), GroupName: api.Ptr("admins"), RoleArn: api.Ptr("arn:aws:iam::123456789012:role/admin"), Precedence: api.Ptr(int32(1))}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.groups.AdminAddUserToGroup(e.ctx, &cognitoidp.AdminAddUserToGroupRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice"), GroupName: api.Ptr("admins")}); err != nil {
		t.Fatal(err)
	}

	out, err := e.passwordAuth(clientID, "alice", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != nil || out.Session != nil {
		t.Fatalf("challenge %v, session %v; want tokens", api.Deref(out.ChallengeName), out.Session)
	}
	if out.ChallengeParameters == nil || len(out.ChallengeParameters) != 0 {
		t.Errorf("ChallengeParameters = %v, want {}", out.ChallengeParameters)
	}
	r := out.AuthenticationResult
	if api.Deref(r.TokenType) != "Bearer" || r.ExpiresIn != 3600 || api.Deref(r.RefreshToken) == "" {
		t.Errorf("result = type %q, expires %d, refresh %q", api.Deref(r.TokenType), r.ExpiresIn, api.Deref(r.RefreshToken))
	}
	id := claims(t, api.Deref(r.IdToken))
	if id["sub"] != u.Sub || id["cognito:username"] != "alice" || id["email"] != "alice@example.com" ||
		id["email_verified"] != true || id["custom:tier"] != "3" || id["aud"] != clientID || id["token_use"] != "id" {
		t.Errorf("ID token claims = %v", id)
	}
	if id["auth_time"] != float64(t0.Unix()) {
		t.Errorf("auth_time = %v, want %d", id["auth_time"], t0.Unix())
	}
	if g, ok := id["cognito:groups"].([]any); !ok || len(g) != 1 || g[0] != "admins" || id["cognito:preferred_role"] != "arn:aws:iam::123456789012:role/admin" {
		t.Errorf("group claims = %v / %v", id["cognito:groups"], id["cognito:preferred_role"])
	}
	access := claims(t, api.Deref(r.AccessToken))
	if access["username"] != "alice" || access["client_id"] != clientID || access["scope"] != "aws.cognito.signin.user.admin" || access["token_use"] != "access" {
		t.Errorf("access token claims = %v", access)
	}
	ev, ok := e.events.last()
	if !ok || ev.Event.Response != cognitoidp.EventResponseTypePass || ev.Event.Type != cognitoidp.EventTypeSignin || ev.UserKey != u.Key {
		t.Fatalf("event = %+v", ev)
	}
	if access["event_id"] != ev.ID || id["event_id"] != ev.ID {
		t.Errorf("event_id = %v / %v, want %s", access["event_id"], id["event_id"], ev.ID)
	}
	e.noSecretsLogged(goodPassword, api.Deref(r.RefreshToken), api.Deref(r.AccessToken))
}

func TestUserPasswordAuthWrongPassword(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	_, err := e.passwordAuth(clientID, "alice", "Wr0ngPass!")
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	ev, _ := e.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypeFail || len(ev.Event.Challenges) != 1 ||
		*ev.Event.Challenges[0].ChallengeResponse != cognitoidp.ChallengeResponseFailure {
		t.Errorf("event = %+v", ev.Event)
	}
	e.noSecretsLogged("Wr0ngPass!", goodPassword)
}

func TestUserPasswordAuthParameters(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)

	_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeUserPasswordAuth, "PASSWORD", goodPassword)
	wantErr(t, err, "InvalidParameterException", "Missing required parameter USERNAME")
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeUserPasswordAuth, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", "Missing required parameter PASSWORD")
	_, err = e.svc.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth)})
	wantErr(t, err, "InvalidParameterException", "Missing required parameter USERNAME")
	_, err = e.passwordAuth("nosuchclient", "alice", goodPassword)
	wantErr(t, err, "ResourceNotFoundException", "User pool client nosuchclient does not exist.")
}

func TestUserPasswordAuthUnknownUser(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	legacy := e.clientID(poolID)
	enabled := e.hidingClient(poolID)
	_, err := e.passwordAuth(legacy, "nobody", goodPassword)
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.passwordAuth(enabled, "nobody", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	if n := len(e.events.all()); n != 0 {
		t.Errorf("%d events recorded for an unknown user", n)
	}
}

// TestUserPasswordAuthStates covers every user state under LEGACY (state
// first, whatever the password) and ENABLED (generic answer unless the
// password is right).
func TestUserPasswordAuthStates(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
	})
	legacy := e.clientID(poolID)
	enabled := e.hidingClient(poolID)

	// UNCONFIRMED: signed up, not confirmed.
	if _, err := e.signup.SignUp(e.ctx, &cognitoidp.SignUpRequest{
		ClientId: api.Ptr(legacy), Username: api.Ptr("unconfirmed"), Password: api.Ptr(goodPassword),
		UserAttributes: attrList("email", "u@example.com"),
	}); err != nil {
		t.Fatal(err)
	}
	// Disabled.
	e.confirmedUser(poolID, "disabled", goodPassword)
	if _, err := e.users.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("disabled")}); err != nil {
		t.Fatal(err)
	}
	// RESET_REQUIRED.
	e.confirmedUser(poolID, "reset", goodPassword, "email", "r@example.com", "email_verified", "true")
	if _, err := e.users.AdminResetUserPassword(e.ctx, &cognitoidp.AdminResetUserPasswordRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("reset")}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		user               string
		legacyCode, legacy string
		rightCode, right   string // ENABLED with the right password
	}{
		{"unconfirmed", "UserNotConfirmedException", "User is not confirmed.", "UserNotConfirmedException", "User is not confirmed."},
		{"disabled", "NotAuthorizedException", "User is disabled.", "NotAuthorizedException", "User is disabled."},
		{"reset", "PasswordResetRequiredException", "Password reset required for the user", "PasswordResetRequiredException", "Password reset required for the user"},
	}
	for _, c := range cases {
		t.Run(c.user, func(t *testing.T) {
			for _, pw := range []string{goodPassword, "Wr0ngPass!"} {
				_, err := e.passwordAuth(legacy, c.user, pw)
				wantErr(t, err, c.legacyCode, c.legacy)
			}
			_, err := e.passwordAuth(enabled, c.user, "Wr0ngPass!")
			wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
			_, err = e.passwordAuth(enabled, c.user, goodPassword)
			wantErr(t, err, c.rightCode, c.right)
		})
	}
}

func TestImportedUserWithoutPassword(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	legacy := e.clientID(poolID)
	enabled := e.hidingClient(poolID)
	u := e.confirmedUser(poolID, "imported", goodPassword)
	if _, err := e.sql.UpdateUser(e.ctx, poolID, u.Key, func(x *storage.User) error {
		x.Password = nil
		x.Status = string(cognitoidp.UserStatusTypeResetRequired)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err := e.passwordAuth(legacy, "imported", goodPassword)
	wantErr(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	_, err = e.passwordAuth(enabled, "imported", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func TestTemporaryPasswordExpired(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil) // temporary passwords last 7 days
	clientID := e.clientID(poolID)
	e.createUser(poolID, "bob", "Temp0rary!")
	e.clk.Advance(7*24*time.Hour + time.Second)
	_, err := e.passwordAuth(clientID, "bob", "Wr0ngPass!")
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = e.passwordAuth(clientID, "bob", "Temp0rary!")
	wantErr(t, err, "NotAuthorizedException", "Temporary password has expired and must be reset by an administrator.")
}

func TestSignInByAlias(t *testing.T) {
	e := newEnv(t)
	t.Run("email and preferred_username aliases", func(t *testing.T) {
		poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
			in.AliasAttributes = []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail, cognitoidp.AliasAttributeTypePreferredUsername}
			in.UsernameConfiguration = &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)}
		})
		clientID := e.clientID(poolID)
		e.confirmedUser(poolID, "Carol", goodPassword, "email", "carol@example.com", "email_verified", "true", "preferred_username", "caz")
		for _, name := range []string{"carol", "CAROL", "Carol@Example.com", "caz"} {
			r := e.mustSignIn(clientID, name, goodPassword)
			if got := claims(t, api.Deref(r.AccessToken))["username"]; got != "Carol" {
				t.Errorf("signed in as %q: username %v", name, got)
			}
		}
	})
	t.Run("unverified email alias is not accepted", func(t *testing.T) {
		poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
			in.AliasAttributes = []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail}
		})
		clientID := e.clientID(poolID)
		e.confirmedUser(poolID, "dave", goodPassword, "email", "dave@example.com")
		_, err := e.passwordAuth(clientID, "dave@example.com", goodPassword)
		wantErr(t, err, "UserNotFoundException", "User does not exist.")
	})
	t.Run("email as username", func(t *testing.T) {
		poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
			in.UsernameAttributes = []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail}
		})
		clientID := e.clientID(poolID)
		u := e.confirmedUser(poolID, "erin@example.com", goodPassword)
		r := e.mustSignIn(clientID, "erin@example.com", goodPassword)
		id := claims(t, api.Deref(r.IdToken))
		if id["cognito:username"] != u.Username || u.Username != u.Sub || id["email"] != "erin@example.com" {
			t.Errorf("claims = %v (user %s/%s)", id, u.Username, u.Sub)
		}
		// The internal username works too.
		e.mustSignIn(clientID, u.Username, goodPassword)
	})
}

func TestFlowsNotEnabled(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	srpOnly := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth}
	}).ClientId
	passwordOnly := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowUserPasswordAuth}
	}).ClientId
	e.confirmedUser(poolID, "alice", goodPassword)

	_, err := e.passwordAuth(srpOnly, "alice", goodPassword)
	wantErr(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
	_, _, err = e.srpStart(poolID, passwordOnly, "alice")
	wantErr(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = e.initiate(srpOnly, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", "x")
	wantErr(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = e.initiate(srpOnly, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = e.initiate(srpOnly, cognitoidp.AuthFlowTypeUserAuth, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(srpOnly), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeAdminUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
	})
	wantErr(t, err, "InvalidParameterException", "Auth flow not enabled for this client")

	// A client made without ExplicitAuthFlows gets SRP, refresh and custom auth.
	def := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.ExplicitAuthFlows = nil }).ClientId
	_, err = e.passwordAuth(def, "alice", goodPassword)
	wantErr(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
	if _, err := e.srpSignIn(poolID, def, "alice", goodPassword); err != nil {
		t.Errorf("SRP on a default client: %v", err)
	}
}

func TestAdminFlowsRefusedByInitiateAuth(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	for _, flow := range []cognitoidp.AuthFlowType{cognitoidp.AuthFlowTypeAdminUserPasswordAuth, cognitoidp.AuthFlowTypeAdminNoSrpAuth} {
		_, err := e.initiate(clientID, flow, "USERNAME", "alice", "PASSWORD", goodPassword)
		wantErr(t, err, "InvalidParameterException", "Initiate Auth method not supported.")
	}
	_, err := e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
	})
	wantErr(t, err, "InvalidParameterException", "Initiate Auth method not supported.")
}

func TestAdminPasswordFlows(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	otherPool := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	for _, flow := range []cognitoidp.AuthFlowType{cognitoidp.AuthFlowTypeAdminUserPasswordAuth, cognitoidp.AuthFlowTypeAdminNoSrpAuth} {
		out, err := e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
			UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(flow),
			AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
			ContextData: &cognitoidp.ContextDataType{IpAddress: api.Ptr("192.0.2.7"), ServerName: api.Ptr("app"), ServerPath: api.Ptr("/"),
				HttpHeaders: []cognitoidp.HttpHeader{{HeaderName: api.Ptr("user-agent"), HeaderValue: api.Ptr("Mozilla/5.0")}}},
		})
		if err != nil {
			t.Fatalf("%s: %v", flow, err)
		}
		if out.AuthenticationResult == nil || len(out.ChallengeParameters) != 0 {
			t.Fatalf("%s: %+v", flow, out)
		}
		ev, _ := e.events.last()
		if c := ev.Event.Context; c == nil || api.Deref(c.IpAddress) != "192.0.2.7" || api.Deref(c.DeviceName) != "Mozilla/5.0" {
			t.Errorf("%s: event context %+v", flow, ev.Event.Context)
		}
	}
	_, err := e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeAdminUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", "Wr0ngPass!"),
	})
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	// The client must belong to the named pool.
	_, err = e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(otherPool), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeAdminUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
	})
	wantErr(t, err, "ResourceNotFoundException", "")
	_, err = e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr("us-east-1_nosuchpol"), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeAdminUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
	})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist.")
}

func TestSecretHash(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	c := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	clientID, secret := *c.ClientId, *c.ClientSecret
	e.confirmedUser(poolID, "alice", goodPassword)

	_, err := e.passwordAuth(clientID, "alice", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Client "+clientID+" is configured for secret but secret was not received")
	_, err = e.passwordAuth(clientID, "alice", goodPassword, "SECRET_HASH", signup.SecretHash(clientID, secret, "bob"))
	wantErr(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+clientID)
	r, err := e.passwordAuth(clientID, "alice", goodPassword, "SECRET_HASH", signup.SecretHash(clientID, secret, "alice"))
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("with the right hash: %v", err)
	}
	// The secret is checked before the user is looked at.
	_, err = e.passwordAuth(clientID, "nobody", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Client "+clientID+" is configured for secret but secret was not received")
	e.noSecretsLogged(secret)
}
