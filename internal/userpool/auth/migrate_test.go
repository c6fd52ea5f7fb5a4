package auth

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/trigger"
)

// legacyDirectory is a user migration function over a legacy directory of
// name → password; response is merged into its answer.
func legacyDirectory(users map[string]string, response map[string]any) func(map[string]any) (any, error) {
	return func(ev map[string]any) (any, error) {
		name, _ := ev["userName"].(string)
		want, ok := users[name]
		r := ev["request"].(map[string]any)
		if !ok {
			return nil, &trigger.FunctionError{Type: "Error", Message: "User not found"}
		}
		if ev["triggerSource"] == "UserMigration_Authentication" && r["password"] != want {
			return nil, &trigger.FunctionError{Type: "Error", Message: "Bad password"}
		}
		resp := map[string]any{
			"userAttributes": map[string]any{"email": name + "@legacy.example", "email_verified": "true", "custom:tier": "gold", "sub": "ignored"},
		}
		for k, v := range response {
			resp[k] = v
		}
		ev["response"] = resp
		return ev, nil
	}
}

func newMigrationEnv(t *testing.T, response map[string]any) (*trigEnv, *recSender, string, string) {
	sender := &recSender{}
	e := newTrigEnv(t, func(cfg *Config) { cfg.Sender = sender })
	e.rec.On("migrate", legacyDirectory(map[string]string{"legacy": "Legacy1!", "other": "Other1!"}, response))
	poolID := e.triggerPool(&cognitoidp.LambdaConfigType{UserMigration: fnARN("migrate")}, func(in *cognitoidp.CreateUserPoolRequest) {
		in.Schema = []cognitoidp.SchemaAttributeType{{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(true)}}
	})
	return e, sender, poolID, e.clientID(poolID)
}

func TestUserMigrationOnSignIn(t *testing.T) {
	e, sender, poolID, clientID := newMigrationEnv(t, map[string]any{"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"})
	out, err := e.svc.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth),
		AuthParameters: params("USERNAME", "legacy", "PASSWORD", "Legacy1!"), ClientMetadata: map[string]string{"src": "app"},
	})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("migrating sign-in = %+v, %v", out, err)
	}
	calls := e.calls("migrate")
	if len(calls) != 1 {
		t.Fatalf("migration calls = %d", len(calls))
	}
	ev := calls[0]
	if ev.Source() != "UserMigration_Authentication" || ev.Event["userName"] != "legacy" || req(ev, "password") != "Legacy1!" {
		t.Errorf("event = %v", ev.Event)
	}
	if vd, _ := req(ev, "validationData").(map[string]any); vd["src"] != "app" || req(ev, "clientMetadata") != nil {
		t.Errorf("request = %v", ev.RequestMap())
	}
	u := e.user(poolID, "legacy")
	if u.Status != "CONFIRMED" || u.Attributes["email"] != "legacy@legacy.example" || u.Attributes["email_verified"] != "true" ||
		u.Attributes["custom:tier"] != "gold" || u.Sub == "ignored" || u.Sub == "" {
		t.Errorf("migrated user = %+v", u)
	}
	if sender.count() != 0 {
		t.Errorf("SUPPRESS sent %d messages", sender.count())
	}
	// The password works with SRP now, and the function is not asked again.
	if r, err := e.srpSignIn(poolID, clientID, "legacy", "Legacy1!"); err != nil || r.AuthenticationResult == nil {
		t.Fatalf("SRP after migration = %+v, %v", r, err)
	}
	e.mustSignIn(clientID, "legacy", "Legacy1!")
	if n := len(e.calls("migrate")); n != 1 {
		t.Errorf("migration calls = %d after later sign-ins", n)
	}

	// A password the legacy directory refuses: the function's error, nobody created.
	_, err = e.passwordAuth(clientID, "other", "Wr0ng!")
	wantErr(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
	if e.storedUser(poolID, "other") != nil {
		t.Error("a refused migration created the user")
	}
	// SRP cannot migrate: the name stays unknown.
	_, _, err = e.srpStart(poolID, clientID, "other")
	wantErr(t, err, "UserNotFoundException", msgUserNotFound)
	if n := len(e.calls("migrate")); n != 2 {
		t.Errorf("migration calls = %d", n)
	}
	// An answer without attributes is "no such user".
	e.rec.Respond("migrate", map[string]any{})
	_, err = e.passwordAuth(clientID, "nobody", "Whatever1!")
	wantErr(t, err, "UserNotFoundException", msgUserNotFound)
	_, err = e.passwordAuth(e.hidingClient(poolID), "nobody", "Whatever1!")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
}

func TestUserMigrationAnswers(t *testing.T) {
	e, sender, poolID, clientID := newMigrationEnv(t, map[string]any{"finalUserStatus": "RESET_REQUIRED", "desiredDeliveryMediums": []string{"EMAIL"}})
	_, err := e.passwordAuth(clientID, "legacy", "Legacy1!")
	wantErr(t, err, "PasswordResetRequiredException", msgResetRequired)
	if u := e.user(poolID, "legacy"); u.Status != "RESET_REQUIRED" {
		t.Errorf("status = %s", u.Status)
	}
	// The welcome message went by email, without the password.
	m := sender.last(t)
	if m.Kind != message.KindInvitation || m.Medium != message.Email || m.Destination != "legacy@legacy.example" ||
		strings.Contains(m.Body, "Legacy1!") || !strings.Contains(m.Body, migrationPasswordMask) {
		t.Errorf("welcome message = %+v", m)
	}

	// An alias held by another user: refused unless forceAliasCreation,
	// which moves it (the holder keeps the value, unverified).
	aliasPool := e.triggerPool(&cognitoidp.LambdaConfigType{UserMigration: fnARN("migrate")}, func(in *cognitoidp.CreateUserPoolRequest) {
		in.AliasAttributes = []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail}
		in.Schema = []cognitoidp.SchemaAttributeType{{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(true)}}
	})
	aliasClient := e.clientID(aliasPool)
	e.confirmedUser(aliasPool, "holder", goodPassword, "email", "legacy@legacy.example", "email_verified", "true")
	e.rec.On("migrate", legacyDirectory(map[string]string{"legacy": "Legacy1!"}, map[string]any{"messageAction": "SUPPRESS"}))
	_, err = e.passwordAuth(aliasClient, "legacy", "Legacy1!")
	wantErr(t, err, "AliasExistsException", "")
	e.rec.On("migrate", legacyDirectory(map[string]string{"legacy": "Legacy1!"}, map[string]any{"messageAction": "SUPPRESS", "forceAliasCreation": true, "enableSMSMFA": true}))
	e.mustSignIn(aliasClient, "legacy", "Legacy1!")
	if h := e.user(aliasPool, "holder"); h.Attributes["email_verified"] != "false" {
		t.Errorf("holder = %+v", h.Attributes)
	}
	if u := e.user(aliasPool, "legacy@legacy.example"); u.Username != "legacy" || !strings.Contains(string(u.Settings), "smsMfaEnabled") {
		t.Errorf("alias owner = %+v", u)
	}
	// A value the function may not answer.
	e.rec.Respond("migrate", map[string]any{"userAttributes": map[string]any{"email": "x@y.z"}, "finalUserStatus": "UNCONFIRMED"})
	_, err = e.passwordAuth(clientID, "bad", "Bad1!bad")
	wantErr(t, err, "InvalidLambdaResponseException", "")
}

func TestMigrateUserForForgotPassword(t *testing.T) {
	e, sender, poolID, clientID := newMigrationEnv(t, nil)
	u, err := e.svc.MigrateUser(e.ctx, poolID, clientID, "legacy", map[string]string{"from": "forgot"})
	if err != nil || u == nil {
		t.Fatalf("MigrateUser = %v, %v", u, err)
	}
	ev := e.calls("migrate")[0]
	if ev.Source() != "UserMigration_ForgotPassword" || req(ev, "password") != nil {
		t.Errorf("event = %v", ev.Event)
	}
	if m, _ := req(ev, "clientMetadata").(map[string]any); m["from"] != "forgot" {
		t.Errorf("clientMetadata = %v", req(ev, "clientMetadata"))
	}
	if u.Status != "RESET_REQUIRED" || len(u.Password) != 0 {
		t.Errorf("user = %+v", u)
	}
	// No desiredDeliveryMediums: SMS, which the user has no number for.
	if sender.count() != 0 {
		t.Errorf("messages = %d", sender.count())
	}
	if u, err := e.svc.MigrateUser(e.ctx, poolID, clientID, "unknown", nil); err == nil || u != nil {
		t.Errorf("unknown legacy user = %v, %v", u, err)
	}
	// A pool without the trigger.
	plain := e.pool(nil)
	if u, err := e.svc.MigrateUser(e.ctx, plain, e.clientID(plain), "legacy", nil); err != nil || u != nil {
		t.Errorf("pool without a trigger = %v, %v", u, err)
	}
}

func TestImportedPasswordUpgradedOnPlaintextSignIn(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	hash, err := bcrypt.GenerateFromPassword([]byte("Imp0rted!"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := password.NewImported(poolID, "imp", password.HashBcrypt, string(hash), e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := creds.Encode()
	if err := e.sql.CreateUser(e.ctx, &storage.User{
		PoolID: poolID, Key: "imp", Username: "imp", Sub: "3f1d9c1e-1111-4222-8333-444455556666", Status: "CONFIRMED",
		Enabled: true, Password: doc, Attributes: map[string]string{}, CreatedAt: e.clk.Now(), UpdatedAt: e.clk.Now(),
	}); err != nil {
		t.Fatal(err)
	}
	// SRP before the upgrade fails as a wrong password.
	_, err = e.srpSignIn(poolID, clientID, "imp", "Imp0rted!")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	// The plaintext sign-in works and upgrades the credentials.
	e.mustSignIn(clientID, "imp", "Imp0rted!")
	if c := mustCreds(t, e.user(poolID, "imp")); c.Imported() || !c.Matches(poolID, "imp", "Imp0rted!") {
		t.Fatal("credentials were not upgraded to an SRP verifier")
	}
	if r, err := e.srpSignIn(poolID, clientID, "imp", "Imp0rted!"); err != nil || r.AuthenticationResult == nil {
		t.Fatalf("SRP after the upgrade = %+v, %v", r, err)
	}
	_, err = e.passwordAuth(clientID, "imp", "Wr0ng!pass")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	e.noSecretsLogged("Imp0rted!")
}
