package auth

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// requiredNamePool requires name and email and has a history policy of 2.
func requiredNamePool(e *env) string {
	return e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.Schema = []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("name"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Required: api.Ptr(true), Mutable: api.Ptr(true)},
			{Name: api.Ptr("email"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Required: api.Ptr(true), Mutable: api.Ptr(true)},
		}
		in.Policies = &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{
			MinimumLength: api.Ptr(int32(8)), RequireLowercase: true, RequireUppercase: true, RequireNumbers: true,
			PasswordHistorySize: api.Ptr(int32(2)),
		}}
	})
}

func TestNewPasswordRequired(t *testing.T) {
	e := newEnv(t)
	poolID := requiredNamePool(e)
	clientID := e.clientID(poolID)
	e.createUser(poolID, "bob", "Temp0rary!", "email", "bob@example.com", "email_verified", "true", "name", "B")
	// AdminCreateUser insists on required attributes; users made otherwise
	// (imports, older tools) may lack them, which the challenge reports.
	if _, err := e.sql.UpdateUser(e.ctx, poolID, "bob", func(u *storage.User) error {
		delete(u.Attributes, "name")
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	out, err := e.passwordAuth(clientID, "bob", "Temp0rary!")
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeNewPasswordRequired || out.AuthenticationResult != nil {
		t.Fatalf("response = %+v", out)
	}
	session := api.Deref(out.Session)
	if len(session) < 20 || len(session) > 2048 {
		t.Errorf("session length %d", len(session))
	}
	ch := out.ChallengeParameters
	if ch["USER_ID_FOR_SRP"] != "bob" || ch["requiredAttributes"] != `["userAttributes.name"]` {
		t.Errorf("challenge parameters = %v", ch)
	}
	var current map[string]string
	if err := json.Unmarshal([]byte(ch["userAttributes"]), &current); err != nil {
		t.Fatalf("userAttributes %q: %v", ch["userAttributes"], err)
	}
	if current["email"] != "bob@example.com" || current["email_verified"] != "true" || current["sub"] != "" {
		t.Errorf("userAttributes = %v", current)
	}

	answer := func(kv ...string) (*cognitoidp.RespondToAuthChallengeResponse, error) {
		return e.respond(clientID, cognitoidp.ChallengeNameTypeNewPasswordRequired, session, append([]string{"USERNAME", "bob"}, kv...)...)
	}
	// Refusals leave the session usable.
	_, err = answer("NEW_PASSWORD", "N3wPassword")
	wantErr(t, err, "InvalidParameterException", "Invalid attributes given, name is missing")
	_, err = answer("NEW_PASSWORD", "short", "userAttributes.name", "Bob")
	wantErr(t, err, "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	_, err = answer("userAttributes.name", "Bob")
	wantErr(t, err, "InvalidParameterException", "Missing required parameter NEW_PASSWORD")
	_, err = answer("NEW_PASSWORD", "N3wPassword", "userAttributes.name", "Bob", "userAttributes.email_verified", "true")
	wantErr(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	_, err = answer("NEW_PASSWORD", "Temp0rary!", "userAttributes.name", "Bob")
	wantErr(t, err, "PasswordHistoryPolicyViolationException", "The password has been used recently. Choose a different password.")
	if u := e.user(poolID, "bob"); u.Status != "FORCE_CHANGE_PASSWORD" || u.Attributes["name"] != "" {
		t.Fatalf("a refused answer changed the user: %s %v", u.Status, u.Attributes)
	}

	r, err := answer("NEW_PASSWORD", "N3wPassword", "userAttributes.name", "Bob")
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthenticationResult == nil || r.ChallengeName != nil || len(r.ChallengeParameters) != 0 {
		t.Fatalf("response = %+v", r)
	}
	if id := claims(t, api.Deref(r.AuthenticationResult.IdToken)); id["name"] != "Bob" {
		t.Errorf("ID token name = %v", id["name"])
	}
	u := e.user(poolID, "bob")
	if u.Status != "CONFIRMED" || u.Attributes["name"] != "Bob" || mustCreds(t, u).Temporary() {
		t.Errorf("user after: %s %v", u.Status, u.Attributes)
	}
	// Used: the session does not work again.
	_, err = answer("NEW_PASSWORD", "N3wPassword2", "userAttributes.name", "Bob")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// The new password signs in; the temporary one does not.
	e.mustSignIn(clientID, "bob", "N3wPassword")
	_, err = e.passwordAuth(clientID, "bob", "Temp0rary!")
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func TestNewPasswordRequiredViaSRP(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	c := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	clientID, secret := *c.ClientId, *c.ClientSecret
	e.createUser(poolID, "bob", "Temp0rary!", "email", "bob@example.com")

	cs, out, err := e.srpStart(poolID, clientID, "bob", "SECRET_HASH", signup.SecretHash(clientID, secret, "bob"))
	if err != nil {
		t.Fatal(err)
	}
	claim := e.srpAnswer(cs, out.ChallengeParameters, "Temp0rary!")
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "",
		"USERNAME", "bob", "SECRET_HASH", signup.SecretHash(clientID, secret, "bob"),
		"PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE", claim.Signature)
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(r.ChallengeName) != cognitoidp.ChallengeNameTypeNewPasswordRequired || r.ChallengeParameters["requiredAttributes"] != "[]" {
		t.Fatalf("response = %+v", r)
	}
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeNewPasswordRequired, api.Deref(r.Session), "USERNAME", "bob", "NEW_PASSWORD", "N3wPassw0rd!")
	wantErr(t, err, "NotAuthorizedException", "Client "+clientID+" is configured for secret but secret was not received")
	// An answer that changes the email clears its verified flag.
	done, err := e.respond(clientID, cognitoidp.ChallengeNameTypeNewPasswordRequired, api.Deref(r.Session),
		"USERNAME", "bob", "SECRET_HASH", signup.SecretHash(clientID, secret, "bob"), "NEW_PASSWORD", "N3wPassw0rd!",
		"userAttributes.email", "robert@example.com")
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("answer: %v", err)
	}
	if u := e.user(poolID, "bob"); u.Attributes["email"] != "robert@example.com" {
		t.Errorf("attributes = %v", u.Attributes)
	}
}

func TestNewPasswordSessionRules(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	other := e.clientID(poolID)
	e.createUser(poolID, "bob", "Temp0rary!")
	start := func() string {
		out, err := e.passwordAuth(clientID, "bob", "Temp0rary!")
		if err != nil {
			t.Fatal(err)
		}
		return api.Deref(out.Session)
	}
	answer := func(client, session string) error {
		_, err := e.respond(client, cognitoidp.ChallengeNameTypeNewPasswordRequired, session, "USERNAME", "bob", "NEW_PASSWORD", "N3wPassw0rd!")
		return err
	}
	s := start()
	wantErr(t, answer(other, s), "NotAuthorizedException", "Invalid session for the user.")
	wantErr(t, answer(clientID, ""), "NotAuthorizedException", "Invalid session for the user.")
	wantErr(t, answer(clientID, s[:len(s)-2]+"AA"), "NotAuthorizedException", "Invalid session for the user.")
	// A session for one challenge does not answer another.
	_, err := e.respond(clientID, cognitoidp.ChallengeNameTypeSmsMfa, s, "USERNAME", "bob", "SMS_MFA_CODE", "123456")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// Three minutes (the default AuthSessionValidity), then expired.
	e.clk.Advance(3 * time.Minute)
	wantErr(t, answer(clientID, s), "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// A client's AuthSessionValidity sets the window.
	long := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.AuthSessionValidity = api.Ptr(int32(15)) }).ClientId
	out, err := e.passwordAuth(long, "bob", "Temp0rary!")
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(14 * time.Minute)
	if err := answer(long, api.Deref(out.Session)); err != nil {
		t.Fatalf("within 15 minutes: %v", err)
	}
}

func TestAdminNewPasswordRequired(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	otherPool := e.pool(nil)
	clientID := e.clientID(poolID)
	e.createUser(poolID, "bob", "Temp0rary!")
	out, err := e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeAdminUserPasswordAuth),
		AuthParameters: params("USERNAME", "bob", "PASSWORD", "Temp0rary!"),
	})
	if err != nil || api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("AdminInitiateAuth: %+v, %v", out, err)
	}
	in := &cognitoidp.AdminRespondToAuthChallengeRequest{
		UserPoolId: api.Ptr(otherPool), ClientId: api.Ptr(clientID), ChallengeName: api.Ptr(cognitoidp.ChallengeNameTypeNewPasswordRequired),
		Session: out.Session, ChallengeResponses: params("USERNAME", "bob", "NEW_PASSWORD", "N3wPassw0rd!"),
	}
	_, err = e.svc.AdminRespondToAuthChallenge(e.ctx, in)
	wantErr(t, err, "ResourceNotFoundException", "")
	in.UserPoolId = api.Ptr(poolID)
	r, err := e.svc.AdminRespondToAuthChallenge(e.ctx, in)
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("AdminRespondToAuthChallenge: %v", err)
	}
}
