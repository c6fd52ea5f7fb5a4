package trigger_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/trigger/triggertest"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// hookEnv is a Service over a recorder and a SQLite store holding one pool
// (with the LambdaConfig) and one user.
type hookEnv struct {
	svc    *trigger.Service
	rec    *triggertest.Recorder
	store  storage.Store
	poolID string
	user   *storage.User
}

func newHookEnv(t *testing.T, lc cognitoidp.LambdaConfigType) *hookEnv {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	ctx := context.Background()
	ps := pools.New(pools.Config{Store: st, Region: "us-east-1", AccountID: "123456789012"})
	out, err := ps.CreateUserPool(ctx, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("hooks"), LambdaConfig: &lc})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.UserPool.Id
	now := time.Now().UTC()
	u := &storage.User{PoolID: id, Key: "henry", Username: "henry", Sub: "sub-henry", Status: "CONFIRMED", Enabled: true,
		Attributes: map[string]string{"email": "h@example.com", "phone_number": "+15550100"}, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	rec := triggertest.New()
	return &hookEnv{svc: trigger.New(trigger.Config{Invoker: rec, Store: st, Region: "us-east-1"}), rec: rec, store: st, poolID: id, user: u}
}

func (e *hookEnv) pool(t *testing.T) *cognitoidp.UserPoolType {
	t.Helper()
	p, err := pools.Load(context.Background(), e.store, e.poolID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignupHooks(t *testing.T) {
	e := newHookEnv(t, cognitoidp.LambdaConfigType{PreSignUp: api.Ptr(fnARN), PostConfirmation: api.Ptr(fnARN + "post"), CustomMessage: api.Ptr(fnARN + "msg")})
	h := e.svc.SignupHooks()
	ctx := context.Background()
	e.rec.Respond(fnARN, map[string]any{"autoConfirmUser": true, "autoVerifyEmail": false, "autoVerifyPhone": true})
	out, err := h.PreSignUp(ctx, &signup.PreSignUpInput{TriggerSource: trigger.SourcePreSignUpAdminCreateUser, PoolID: e.poolID, Username: "new",
		UserAttributes: map[string]string{"phone_number": "+1555"}, ValidationData: map[string]string{"a": "b"}})
	if err != nil || !out.AutoConfirmUser || out.AutoVerifyEmail || !out.AutoVerifyPhone {
		t.Fatalf("PreSignUp = %+v, %v", out, err)
	}
	if c := e.rec.Calls()[0]; c.Source() != "PreSignUp_AdminCreateUser" || get(c.Event, "callerContext", "clientId") != "CLIENT_ID_NOT_APPLICABLE" {
		t.Errorf("event = %v", c.Event)
	}

	if err := h.PostConfirmation(ctx, &signup.PostConfirmationInput{PoolID: e.poolID, ClientID: "c", Username: "henry",
		TriggerSource: signup.SourcePostConfirmationSignUp, UserAttributes: map[string]string{"sub": "x"}}); err != nil {
		t.Fatal(err)
	}
	if c := e.rec.CallsTo(trigger.FunctionName(fnARN + "post")); len(c) != 1 || c[0].Source() != "PostConfirmation_ConfirmSignUp" {
		t.Errorf("post confirmation calls = %v", c)
	}

	e.rec.Respond(fnARN+"msg", map[string]any{"smsMessage": "Code: {####}", "emailMessage": nil})
	msg, err := h.CustomMessage(ctx, &signup.CustomMessageInput{PoolID: e.poolID, ClientID: "c", Username: "henry",
		TriggerSource: "CustomMessage_SignUp", Medium: message.SMS, BodyTemplate: "{####}"})
	if err != nil || msg.SMSMessage != "Code: {####}" || msg.EmailMessage != "" {
		t.Fatalf("CustomMessage = %+v, %v", msg, err)
	}

	// An unknown pool is the caller's ResourceNotFoundException.
	_, err = h.PreSignUp(ctx, &signup.PreSignUpInput{PoolID: "us-east-1_none", Username: "x"})
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestCustomSenderHooks(t *testing.T) {
	e := newHookEnv(t, cognitoidp.LambdaConfigType{
		CustomMessage: api.Ptr(fnARN + "msg"),
		CustomEmailSender: &cognitoidp.CustomEmailLambdaVersionConfigType{LambdaArn: api.Ptr(fnARN + "email"),
			LambdaVersion: api.Ptr(cognitoidp.CustomEmailSenderLambdaVersionTypeV10)},
	})
	ctx := context.Background()
	pool := e.pool(t)
	// Email goes to the sender, which skips the custom message trigger.
	m, err := message.Render(pool, message.Params{Kind: message.KindForgotPassword, Medium: message.Email, Destination: "h@example.com", Username: "henry", Code: "112233"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CustomizeMessage(ctx, pool, e.user, "client9", map[string]string{"m": "1"}, m); err != nil {
		t.Fatal(err)
	}
	ok, err := e.svc.SendCustom(ctx, pool, m)
	if !ok || err != nil {
		t.Fatalf("SendCustom = %v, %v", ok, err)
	}
	calls := e.rec.Calls()
	if len(calls) != 1 || calls[0].Source() != "CustomEmailSender_ForgotPassword" {
		t.Fatalf("calls = %v", e.rec.Sources())
	}
	ev := calls[0].Event
	if get(ev, "request", "code") != "112233" || get(ev, "request", "userAttributes", "email") != "h@example.com" ||
		get(ev, "request", "userAttributes", "sub") != "sub-henry" || get(ev, "callerContext", "clientId") != "client9" ||
		get(ev, "request", "clientMetadata", "m") != "1" {
		t.Errorf("sender event = %v", ev)
	}
	// Threat protection's notice goes to the sender without a code.
	e.rec.Reset()
	notice := &message.Message{PoolID: e.poolID, Username: "henry", Destination: "h@example.com", Medium: message.Email,
		Kind: "ACCOUNT_TAKE_OVER_NOTIFICATION", Subject: "s", Body: "b"}
	if ok, err := e.svc.SendCustom(ctx, pool, notice); !ok || err != nil {
		t.Fatalf("SendCustom(notice) = %v, %v", ok, err)
	}
	if c := e.rec.Calls()[0]; c.Source() != "CustomEmailSender_AccountTakeOverNotification" || get(c.Event, "request", "code") != nil {
		t.Errorf("notice event = %v", c.Event)
	}
	// SMS has no sender: the custom message trigger runs (MFA codes).
	e.rec.Reset()
	e.rec.Respond(fnARN+"msg", map[string]any{"smsMessage": "MFA {####}"})
	sms, _ := message.Render(pool, message.Params{Kind: message.KindAuthentication, Medium: message.SMS, Destination: "+15550100", Username: "henry", Code: "445566"})
	if err := e.svc.CustomizeMessage(ctx, pool, e.user, "client9", nil, sms); err != nil {
		t.Fatal(err)
	}
	if sms.Body != "MFA 445566" || e.rec.Sources()[0] != "CustomMessage_Authentication" {
		t.Errorf("SMS body %q, sources %v", sms.Body, e.rec.Sources())
	}
	if ok, _ := e.svc.SendCustom(ctx, pool, sms); ok {
		t.Error("SMS handled without an SMS sender")
	}
}

func TestPreTokenGenerationHook(t *testing.T) {
	v3 := cognitoidp.PreTokenGenerationLambdaVersionTypeV30
	e := newHookEnv(t, cognitoidp.LambdaConfigType{PreTokenGenerationConfig: &cognitoidp.PreTokenGenerationVersionConfigType{LambdaArn: api.Ptr(fnARN), LambdaVersion: &v3}})
	e.rec.On(fnARN, func(ev map[string]any) (any, error) {
		ev["response"] = map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"idTokenGeneration":     map[string]any{"claimsToAddOrOverride": map[string]any{"src": ev["triggerSource"]}},
			"accessTokenGeneration": map[string]any{"claimsToSuppress": []string{"custom"}, "scopesToSuppress": []string{"aws.cognito.signin.user.admin"}, "scopesToAdd": []string{"a/b"}},
			"groupOverrideDetails":  map[string]any{"groupsToOverride": []string{"g2"}, "iamRolesToOverride": []string{"r2"}, "preferredRole": "r2"},
		}}
		return ev, nil
	})
	sub := &token.Subject{PoolID: e.poolID, ClientID: "c", Username: "henry", Sub: "sub-henry", UserKey: "henry",
		Groups: []string{"g1"}, ClientMetadata: map[string]string{"k": "v"}}
	if err := e.svc.PreTokenGenerationHook(context.Background(), sub, token.TriggerRefreshTokens); err != nil {
		t.Fatal(err)
	}
	ev := e.rec.Calls()[0].Event
	if ev["triggerSource"] != "TokenGeneration_RefreshTokens" || ev["version"] != "3" || get(ev, "request", "userAttributes", "email") != "h@example.com" ||
		get(ev, "request", "clientMetadata", "k") != "v" || !reflect.DeepEqual(get(ev, "request", "scopes"), []any{"aws.cognito.signin.user.admin"}) {
		t.Errorf("event = %v", ev)
	}
	if b, _ := json.Marshal(sub.IDOverride.Add["src"]); string(b) != `"TokenGeneration_RefreshTokens"` {
		t.Errorf("ID override = %+v", sub.IDOverride)
	}
	if !reflect.DeepEqual(sub.AccessOverride.Suppress, []string{"custom"}) || !reflect.DeepEqual(sub.Scopes, []string{"a/b"}) ||
		!reflect.DeepEqual(sub.Groups, []string{"g2"}) || !reflect.DeepEqual(sub.Roles, []string{"r2"}) || sub.PreferredRole != "r2" {
		t.Errorf("subject = %+v", sub)
	}

	// Client credentials: no user, the client's scopes.
	e.rec.Reset()
	cc := &token.Subject{PoolID: e.poolID, ClientID: "m2m", Scopes: []string{"x/y"}}
	if err := e.svc.PreTokenGenerationHook(context.Background(), cc, token.TriggerClientCredentials); err != nil {
		t.Fatal(err)
	}
	if ev := e.rec.Calls()[0].Event; ev["userName"] != nil || len(get(ev, "request", "userAttributes").(map[string]any)) != 0 {
		t.Errorf("client credentials event = %v", ev)
	}
	if !reflect.DeepEqual(cc.Scopes, []string{"x/y", "a/b"}) {
		t.Errorf("client credentials scopes = %v", cc.Scopes)
	}
}

// TestProtectedClaimsMatchToken keeps the package's list of protected claims
// in step with the token service's (a claim protected here must be one the
// token service also refuses to override).
func TestProtectedClaimsMatchToken(t *testing.T) {
	svc, rec := newService(t)
	add := map[string]any{}
	for _, c := range []string{"acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat",
		"identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use"} {
		add[c] = "x"
	}
	add["ok"] = "y"
	rec.Respond(fnARN, map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": add}})
	r, err := svc.PreTokenGeneration(context.Background(), poolWith(cognitoidp.LambdaConfigType{PreTokenGeneration: api.Ptr(fnARN)}), &trigger.PreTokenInput{Username: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.ID.Add, map[string]any{"ok": "y"}) {
		t.Errorf("ID override = %v", r.ID.Add)
	}
}
