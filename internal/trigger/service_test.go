package trigger_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/trigger/triggertest"
)

const (
	poolID = "us-east-1_Trig"
	fnARN  = "arn:aws:lambda:us-east-1:123456789012:function:fn"
)

// newService is a Service over a recorder (and a throwaway SQLite store,
// which the per-trigger methods do not read).
func newService(t *testing.T, mut ...func(*trigger.Config)) (*trigger.Service, *triggertest.Recorder) {
	t.Helper()
	rec := triggertest.New()
	cfg := trigger.Config{Invoker: rec, Store: sqlstoretest.NewSQLite(t), Region: "eu-west-1", Timeout: time.Second}
	for _, m := range mut {
		m(&cfg)
	}
	return trigger.New(cfg), rec
}

// poolWith is a pool whose LambdaConfig is lc.
func poolWith(lc cognitoidp.LambdaConfigType) *cognitoidp.UserPoolType {
	return &cognitoidp.UserPoolType{Id: api.Ptr(poolID), LambdaConfig: &lc}
}

// sdkCtx is a request context whose User-Agent is the JS SDK's.
func sdkCtx() context.Context {
	return awsjson.WithInfo(context.Background(), &awsjson.RequestInfo{UserAgent: "aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js"})
}

// wantErr asserts err is the Cognito error code with the message.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s %q, want %s %q", e.Code, e.Message, code, msg)
	}
}

// get reads a path of a decoded event.
func get(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

func TestPreSignUpEventAndAnswer(t *testing.T) {
	svc, rec := newService(t)
	pool := poolWith(cognitoidp.LambdaConfigType{PreSignUp: api.Ptr(fnARN)})
	rec.Respond(fnARN, map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": false})
	out, err := svc.PreSignUp(sdkCtx(), pool, &trigger.PreSignUpInput{
		Username:       "alice",
		UserAttributes: map[string]string{"email": "a@example.com"},
		ValidationData: map[string]string{"v": "1"},
		Caller:         trigger.Caller{ClientID: "client1", ClientMetadata: map[string]string{"k": "v"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.AutoConfirmUser || !out.AutoVerifyEmail || out.AutoVerifyPhone {
		t.Errorf("answer = %+v", out)
	}
	calls := rec.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	ev := calls[0].Event
	want := map[string]any{
		"version": "1", "triggerSource": "PreSignUp_SignUp", "region": "eu-west-1", "userPoolId": poolID, "userName": "alice",
		"callerContext": map[string]any{"awsSdkVersion": "aws-sdk-js-3.1169.0", "clientId": "client1"},
		"request": map[string]any{
			"userAttributes": map[string]any{"email": "a@example.com"},
			"validationData": map[string]any{"v": "1"},
			"clientMetadata": map[string]any{"k": "v"},
		},
		"response": map[string]any{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
	}
	if !reflect.DeepEqual(ev, want) {
		t.Errorf("event =\n%v\nwant\n%v", ev, want)
	}
	if calls[0].Request.Function != fnARN || calls[0].Request.Trigger != "PreSignUp" || calls[0].Request.Async {
		t.Errorf("request = %+v", calls[0].Request)
	}
}

func TestNoTriggerNoCall(t *testing.T) {
	svc, rec := newService(t)
	pool := poolWith(cognitoidp.LambdaConfigType{})
	ctx := context.Background()
	if out, err := svc.PreSignUp(ctx, pool, &trigger.PreSignUpInput{Username: "a"}); out != nil || err != nil {
		t.Errorf("PreSignUp = %v, %v", out, err)
	}
	if err := svc.PostConfirmation(ctx, pool, &trigger.PostConfirmationInput{Username: "a"}); err != nil {
		t.Error(err)
	}
	if out, err := svc.CustomMessage(ctx, pool, &trigger.CustomMessageInput{Username: "a"}); out != nil || err != nil {
		t.Errorf("CustomMessage = %v, %v", out, err)
	}
	if out, err := svc.PreTokenGeneration(ctx, pool, &trigger.PreTokenInput{Username: "a"}); out != nil || err != nil {
		t.Errorf("PreTokenGeneration = %v, %v", out, err)
	}
	if err := svc.PreAuthentication(ctx, pool, &trigger.AuthInput{Username: "a"}, nil); err != nil {
		t.Error(err)
	}
	if err := svc.PostAuthentication(ctx, pool, &trigger.AuthInput{Username: "a"}, false); err != nil {
		t.Error(err)
	}
	if out, err := svc.DefineAuthChallenge(ctx, pool, &trigger.AuthInput{Username: "a"}, nil); out != nil || err != nil {
		t.Errorf("DefineAuthChallenge = %v, %v", out, err)
	}
	if out, err := svc.CreateAuthChallenge(ctx, pool, &trigger.AuthInput{Username: "a"}, "CUSTOM_CHALLENGE", nil); out != nil || err != nil {
		t.Errorf("CreateAuthChallenge = %v, %v", out, err)
	}
	if out, err := svc.VerifyAuthChallengeResponse(ctx, pool, &trigger.AuthInput{Username: "a"}, nil, "x"); out != nil || err != nil {
		t.Errorf("VerifyAuthChallengeResponse = %v, %v", out, err)
	}
	if out, err := svc.UserMigration(ctx, pool, &trigger.UserMigrationInput{Username: "a"}); out != nil || err != nil {
		t.Errorf("UserMigration = %v, %v", out, err)
	}
	if ok, err := svc.CustomSender(ctx, pool, &trigger.CustomSenderInput{Medium: "EMAIL"}); ok || err != nil {
		t.Errorf("CustomSender = %v, %v", ok, err)
	}
	if n := len(rec.Calls()); n != 0 {
		t.Errorf("%d calls", n)
	}
}

func TestErrorMapping(t *testing.T) {
	pool := poolWith(cognitoidp.LambdaConfigType{PreSignUp: api.Ptr(fnARN)})
	tests := []struct {
		name      string
		setup     func(*triggertest.Recorder)
		code, msg string
		calls     int
	}{
		{"function error", func(r *triggertest.Recorder) { r.Fail(fnARN, "no thanks") },
			"UserLambdaValidationException", "PreSignUp failed with error no thanks.", 1},
		{"unreachable, retried", func(r *triggertest.Recorder) { r.Unreachable(fnARN) },
			"UnexpectedLambdaException", "PreSignUp invocation failed due to error Unable to reach the Lambda function.", 3},
		{"API error, not retried", func(r *triggertest.Recorder) {
			r.On(fnARN, func(map[string]any) (any, error) {
				return nil, &trigger.InvokeError{Reason: "AccessDeniedException"}
			})
		}, "UnexpectedLambdaException", "PreSignUp invocation failed due to error AccessDeniedException.", 1},
		{"not JSON", func(r *triggertest.Recorder) { r.Raw(fnARN, []byte("hello")) },
			"InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON", 1},
		{"not an object", func(r *triggertest.Recorder) { r.Raw(fnARN, []byte(`"ok"`)) },
			"InvalidLambdaResponseException", "Unrecognizable lambda output", 1},
		{"response of the wrong type", func(r *triggertest.Recorder) { r.Raw(fnARN, []byte(`{"response":[1]}`)) },
			"InvalidLambdaResponseException", "Unrecognizable lambda output", 1},
		{"member of the wrong type", func(r *triggertest.Recorder) {
			r.Respond(fnARN, map[string]any{"autoConfirmUser": "yes"})
		}, "InvalidLambdaResponseException", "Unrecognizable lambda output", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, rec := newService(t)
			tc.setup(rec)
			_, err := svc.PreSignUp(context.Background(), pool, &trigger.PreSignUpInput{Username: "a"})
			wantErr(t, err, tc.code, tc.msg)
			if n := len(rec.Calls()); n != tc.calls {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
		})
	}
}

func TestTimeoutIsRetriedThenUnexpected(t *testing.T) {
	svc, rec := newService(t, func(c *trigger.Config) { c.Timeout = 20 * time.Millisecond })
	rec.On(fnARN, func(map[string]any) (any, error) {
		return nil, &trigger.InvokeError{Reason: "Socket timeout while invoking Lambda function", Retryable: true}
	})
	err := svc.PostConfirmation(context.Background(), poolWith(cognitoidp.LambdaConfigType{PostConfirmation: api.Ptr(fnARN)}), &trigger.PostConfirmationInput{Username: "a"})
	wantErr(t, err, "UnexpectedLambdaException", "PostConfirmation invocation failed due to error Socket timeout while invoking Lambda function.")
	if n := len(rec.Calls()); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

func TestPostConfirmation(t *testing.T) {
	svc, rec := newService(t)
	pool := poolWith(cognitoidp.LambdaConfigType{PostConfirmation: api.Ptr(fnARN)})
	err := svc.PostConfirmation(context.Background(), pool, &trigger.PostConfirmationInput{
		Source: trigger.SourcePostConfirmationForgotPassword, Username: "bob",
		UserAttributes: map[string]string{"sub": "s-1", "cognito:user_status": "CONFIRMED"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ev := rec.Calls()[0].Event
	if ev["triggerSource"] != "PostConfirmation_ConfirmForgotPassword" || get(ev, "callerContext", "clientId") != "CLIENT_ID_NOT_APPLICABLE" ||
		get(ev, "callerContext", "awsSdkVersion") != "aws-sdk-unknown-unknown" || get(ev, "request", "userAttributes", "sub") != "s-1" {
		t.Errorf("event = %v", ev)
	}
	if _, ok := get(ev, "request").(map[string]any)["clientMetadata"]; ok {
		t.Errorf("clientMetadata present without ClientMetadata: %v", ev)
	}
}

func TestCustomMessage(t *testing.T) {
	pool := poolWith(cognitoidp.LambdaConfigType{CustomMessage: api.Ptr(fnARN)})
	tests := []struct {
		name     string
		in       trigger.CustomMessageInput
		response map[string]any
		code     string // error code, "" for success
	}{
		{"email keeps the code", trigger.CustomMessageInput{Source: trigger.SourceCustomMessageSignUp, Medium: "EMAIL"},
			map[string]any{"emailSubject": "Hi", "emailMessage": "Code {####}", "smsMessage": nil}, ""},
		{"email drops the code", trigger.CustomMessageInput{Source: trigger.SourceCustomMessageForgotPassword, Medium: "EMAIL"},
			map[string]any{"emailMessage": "no code here"}, "InvalidParameterException"},
		{"sms drops the code", trigger.CustomMessageInput{Source: trigger.SourceCustomMessageResendCode, Medium: "SMS"},
			map[string]any{"smsMessage": "nothing", "emailMessage": "ignored {####}"}, "InvalidParameterException"},
		{"sms answer ignored for email", trigger.CustomMessageInput{Source: trigger.SourceCustomMessageUpdateUserAttribute, Medium: "EMAIL"},
			map[string]any{"smsMessage": "nothing"}, ""},
		{"link email", trigger.CustomMessageInput{Source: trigger.SourceCustomMessageSignUp, Medium: "EMAIL", Link: true},
			map[string]any{"emailMessage": "Click {##here##}"}, ""},
		{"invitation", trigger.CustomMessageInput{Source: trigger.SourceCustomMessageAdminCreateUser, Medium: "EMAIL"},
			map[string]any{"emailMessage": "{username} / {####}"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, rec := newService(t)
			rec.Respond(fnARN, tc.response)
			tc.in.Username = "carol"
			out, err := svc.CustomMessage(context.Background(), pool, &tc.in)
			if tc.code != "" {
				wantErr(t, err, tc.code, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m, _ := tc.response["emailMessage"].(string); m != "" && (out.EmailMessage == nil || *out.EmailMessage != m) {
				t.Errorf("emailMessage = %v", out.EmailMessage)
			}
			req := rec.Calls()[0].RequestMap()
			if req["codeParameter"] != "{####}" {
				t.Errorf("codeParameter = %v", req["codeParameter"])
			}
			wantUser := any(nil)
			if tc.in.Source == trigger.SourceCustomMessageAdminCreateUser {
				wantUser = "{username}"
			}
			if req["usernameParameter"] != wantUser {
				t.Errorf("usernameParameter = %v, want %v", req["usernameParameter"], wantUser)
			}
			if (req["linkParameter"] != nil) != tc.in.Link {
				t.Errorf("linkParameter = %v", req["linkParameter"])
			}
		})
	}
}

func TestPreTokenGenerationVersions(t *testing.T) {
	v := func(version cognitoidp.PreTokenGenerationLambdaVersionType) cognitoidp.LambdaConfigType {
		return cognitoidp.LambdaConfigType{PreTokenGenerationConfig: &cognitoidp.PreTokenGenerationVersionConfigType{
			LambdaArn: api.Ptr(fnARN), LambdaVersion: &version}}
	}
	in := func(src string) *trigger.PreTokenInput {
		return &trigger.PreTokenInput{
			Source: src, Username: "dave", UserAttributes: map[string]string{"sub": "s"},
			Groups: []string{"g1"}, Roles: []string{"r1"}, PreferredRole: "r1",
			Scopes: []string{"aws.cognito.signin.user.admin"},
		}
	}
	t.Run("V1 legacy member", func(t *testing.T) {
		svc, rec := newService(t)
		rec.Respond(fnARN, map[string]any{"claimsOverrideDetails": map[string]any{
			"claimsToAddOrOverride": map[string]any{"tier": "gold", "n": 5, "sub": "evil"},
			"claimsToSuppress":      []string{"email", "iss"},
		}})
		r, err := svc.PreTokenGeneration(context.Background(), poolWith(cognitoidp.LambdaConfigType{PreTokenGeneration: api.Ptr(fnARN)}), in(trigger.SourceTokenAuthentication))
		if err != nil {
			t.Fatal(err)
		}
		ev := rec.Calls()[0].Event
		if ev["version"] != "1" || ev["triggerSource"] != "TokenGeneration_Authentication" {
			t.Errorf("event = %v", ev)
		}
		if _, ok := get(ev, "request").(map[string]any)["scopes"]; ok {
			t.Error("V1 event carries scopes")
		}
		if g := get(ev, "request", "groupConfiguration"); !reflect.DeepEqual(g, map[string]any{
			"groupsToOverride": []any{"g1"}, "iamRolesToOverride": []any{"r1"}, "preferredRole": "r1"}) {
			t.Errorf("groupConfiguration = %v", g)
		}
		if !reflect.DeepEqual(r.ID.Add, map[string]any{"tier": "gold", "n": "5"}) || !reflect.DeepEqual(r.ID.Suppress, []string{"email"}) {
			t.Errorf("ID override = %+v", r.ID)
		}
		if r.Access.Add != nil || r.Groups != nil || r.ScopesChanged {
			t.Errorf("result = %+v", r)
		}
	})
	t.Run("V2 both tokens, scopes and groups", func(t *testing.T) {
		svc, rec := newService(t)
		rec.Respond(fnARN, map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"idTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"obj": map[string]any{"a": []int{1, 2}}}},
			"accessTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"flag": true}, "claimsToSuppress": []string{"jti", "custom"},
				"scopesToAdd": []string{"api/read"}, "scopesToSuppress": []string{"aws.cognito.signin.user.admin"},
			},
			"groupOverrideDetails": map[string]any{"groupsToOverride": []string{"x"}},
		}})
		r, err := svc.PreTokenGeneration(context.Background(), poolWith(v(cognitoidp.PreTokenGenerationLambdaVersionTypeV20)), in(trigger.SourceTokenRefreshTokens))
		if err != nil {
			t.Fatal(err)
		}
		ev := rec.Calls()[0].Event
		if ev["version"] != "2" || !reflect.DeepEqual(get(ev, "request", "scopes"), []any{"aws.cognito.signin.user.admin"}) {
			t.Errorf("event = %v", ev)
		}
		if b, _ := json.Marshal(r.ID.Add["obj"]); string(b) != `{"a":[1,2]}` {
			t.Errorf("ID obj claim = %s", b)
		}
		if b, _ := json.Marshal(r.Access.Add["flag"]); string(b) != "true" || !reflect.DeepEqual(r.Access.Suppress, []string{"custom"}) {
			t.Errorf("access override = %+v", r.Access)
		}
		if !r.ScopesChanged || !reflect.DeepEqual(r.Scopes, []string{"api/read"}) {
			t.Errorf("scopes = %v %v", r.ScopesChanged, r.Scopes)
		}
		if r.Groups == nil || !reflect.DeepEqual(r.Groups.GroupsToOverride, []string{"x"}) || len(r.Groups.IAMRolesToOverride) != 0 {
			t.Errorf("groups = %+v", r.Groups)
		}
	})
	t.Run("null groupOverrideDetails clears groups", func(t *testing.T) {
		svc, rec := newService(t)
		rec.Respond(fnARN, map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"groupOverrideDetails": nil}})
		r, err := svc.PreTokenGeneration(context.Background(), poolWith(v(cognitoidp.PreTokenGenerationLambdaVersionTypeV20)), in(""))
		if err != nil {
			t.Fatal(err)
		}
		if r.Groups == nil || len(r.Groups.GroupsToOverride) != 0 {
			t.Errorf("groups = %+v", r.Groups)
		}
	})
	t.Run("client credentials only for V3", func(t *testing.T) {
		for _, ver := range []cognitoidp.PreTokenGenerationLambdaVersionType{cognitoidp.PreTokenGenerationLambdaVersionTypeV10, cognitoidp.PreTokenGenerationLambdaVersionTypeV20} {
			svc, rec := newService(t)
			r, err := svc.PreTokenGeneration(context.Background(), poolWith(v(ver)), in(trigger.SourceTokenClientCredentials))
			if r != nil || err != nil || len(rec.Calls()) != 0 {
				t.Errorf("%s: %v %v %d calls", ver, r, err, len(rec.Calls()))
			}
		}
		svc, rec := newService(t)
		rec.Respond(fnARN, map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"accessTokenGeneration": map[string]any{"scopesToAdd": []string{"m2m/extra"}}}})
		r, err := svc.PreTokenGeneration(context.Background(), poolWith(v(cognitoidp.PreTokenGenerationLambdaVersionTypeV30)),
			&trigger.PreTokenInput{Source: trigger.SourceTokenClientCredentials, Scopes: []string{"m2m/read"}, Caller: trigger.Caller{ClientID: "c"}})
		if err != nil {
			t.Fatal(err)
		}
		ev := rec.Calls()[0].Event
		if ev["version"] != "3" || ev["userName"] != nil || get(ev, "callerContext", "clientId") != "c" {
			t.Errorf("event = %v", ev)
		}
		if !reflect.DeepEqual(r.Scopes, []string{"m2m/read", "m2m/extra"}) {
			t.Errorf("scopes = %v", r.Scopes)
		}
	})
}

func TestAuthTriggers(t *testing.T) {
	pool := poolWith(cognitoidp.LambdaConfigType{
		PreAuthentication: api.Ptr(fnARN + "pre"), PostAuthentication: api.Ptr(fnARN + "post"),
		DefineAuthChallenge: api.Ptr(fnARN + "define"), CreateAuthChallenge: api.Ptr(fnARN + "create"),
		VerifyAuthChallengeResponse: api.Ptr(fnARN + "verify"), UserMigration: api.Ptr(fnARN + "migrate"),
	})
	if !trigger.HasCustomAuth(pool) || trigger.HasCustomAuth(poolWith(cognitoidp.LambdaConfigType{DefineAuthChallenge: api.Ptr(fnARN)})) {
		t.Error("HasCustomAuth")
	}
	ctx := context.Background()
	who := &trigger.AuthInput{Username: "erin", UserAttributes: map[string]string{"sub": "s", "cognito:user_status": "CONFIRMED"},
		Caller: trigger.Caller{ClientID: "c", ClientMetadata: map[string]string{"m": "1"}}}

	svc, rec := newService(t)
	rec.Fail(fnARN+"pre", "denied")
	wantErr(t, svc.PreAuthentication(ctx, pool, who, map[string]string{"ip": "1"}), "UserLambdaValidationException", "PreAuthentication failed with error denied.")
	if ev := rec.Calls()[0].Event; ev["triggerSource"] != "PreAuthentication_Authentication" || get(ev, "request", "validationData", "ip") != "1" ||
		get(ev, "request", "userAttributes", "cognito:user_status") != "CONFIRMED" {
		t.Errorf("pre auth event = %v", ev)
	}

	if err := svc.PostAuthentication(ctx, pool, who, true); err != nil {
		t.Fatal(err)
	}
	if ev := rec.CallsTo(trigger.FunctionName(fnARN + "post"))[0].Event; get(ev, "request", "newDeviceUsed") != true || get(ev, "request", "clientMetadata", "m") != "1" {
		t.Errorf("post auth event = %v", ev)
	}

	rec.Respond(fnARN+"define", map[string]any{"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false})
	session := []trigger.ChallengeResult{{ChallengeName: "SRP_A", ChallengeResult: true}}
	d, err := svc.DefineAuthChallenge(ctx, pool, who, session)
	if err != nil || d.ChallengeName == nil || *d.ChallengeName != "CUSTOM_CHALLENGE" || d.IssueTokens || d.FailAuthentication {
		t.Fatalf("define = %+v, %v", d, err)
	}
	ev := rec.CallsTo(trigger.FunctionName(fnARN + "define"))[0].Event
	if !reflect.DeepEqual(get(ev, "request", "session"), []any{map[string]any{"challengeName": "SRP_A", "challengeResult": true}}) {
		t.Errorf("define session = %v", get(ev, "request", "session"))
	}

	rec.Respond(fnARN+"create", map[string]any{"publicChallengeParameters": map[string]string{"q": "2+2"},
		"privateChallengeParameters": map[string]string{"a": "4"}, "challengeMetadata": "MATH"})
	c, err := svc.CreateAuthChallenge(ctx, pool, who, "CUSTOM_CHALLENGE", nil)
	if err != nil || c.PublicChallengeParameters["q"] != "2+2" || c.PrivateChallengeParameters["a"] != "4" || *c.ChallengeMetadata != "MATH" {
		t.Fatalf("create = %+v, %v", c, err)
	}
	if ev := rec.CallsTo(trigger.FunctionName(fnARN + "create"))[0].Event; get(ev, "request", "challengeName") != "CUSTOM_CHALLENGE" ||
		!reflect.DeepEqual(get(ev, "request", "session"), []any{}) {
		t.Errorf("create event = %v", ev)
	}

	rec.On(fnARN+"verify", func(ev map[string]any) (any, error) {
		ok := get(ev, "request", "challengeAnswer") == get(ev, "request", "privateChallengeParameters", "a")
		ev["response"] = map[string]any{"answerCorrect": ok}
		return ev, nil
	})
	for answer, want := range map[string]bool{"4": true, "5": false} {
		v, err := svc.VerifyAuthChallengeResponse(ctx, pool, who, map[string]string{"a": "4"}, answer)
		if err != nil || v.AnswerCorrect != want {
			t.Errorf("verify %s = %+v, %v", answer, v, err)
		}
	}

	rec.Respond(fnARN+"migrate", map[string]any{"userAttributes": map[string]string{"email": "e@example.com"},
		"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS", "desiredDeliveryMediums": []string{"EMAIL"}, "forceAliasCreation": true})
	m, err := svc.UserMigration(ctx, pool, &trigger.UserMigrationInput{Username: "legacy", Password: api.Ptr("pw")})
	if err != nil || m.UserAttributes["email"] != "e@example.com" || *m.FinalUserStatus != "CONFIRMED" || *m.MessageAction != "SUPPRESS" || !*m.ForceAliasCreation {
		t.Fatalf("migration = %+v, %v", m, err)
	}
	if ev := rec.CallsTo(trigger.FunctionName(fnARN + "migrate"))[0].Event; ev["userName"] != "legacy" || get(ev, "request", "password") != "pw" ||
		ev["triggerSource"] != "UserMigration_Authentication" {
		t.Errorf("migration event = %v", ev)
	}
	rec.Respond(fnARN+"migrate", map[string]any{"userAttributes": map[string]string{"email": "e@example.com"}, "finalUserStatus": "UNCONFIRMED"})
	_, err = svc.UserMigration(ctx, pool, &trigger.UserMigrationInput{Source: trigger.SourceUserMigrationForgotPassword, Username: "legacy"})
	wantErr(t, err, "InvalidLambdaResponseException", "")
	if ev := rec.CallsTo(trigger.FunctionName(fnARN + "migrate"))[1].Event; get(ev, "request", "password") != nil {
		t.Errorf("forgot-password migration event has a password: %v", ev)
	}
}

func TestCustomSenderPlaintextAndAsync(t *testing.T) {
	svc, rec := newService(t)
	pool := poolWith(cognitoidp.LambdaConfigType{
		CustomSMSSender: &cognitoidp.CustomSMSLambdaVersionConfigType{LambdaArn: api.Ptr(fnARN)},
	})
	rec.Fail(fnARN, "provider down") // asynchronous: never reaches the caller
	ok, err := svc.CustomSender(context.Background(), pool, &trigger.CustomSenderInput{
		Source: trigger.SourceCustomMessageSignUp, Medium: "SMS", Username: "fay", Code: "123456",
		UserAttributes: map[string]string{"phone_number": "+15550100"},
	})
	if !ok || err != nil {
		t.Fatalf("CustomSender = %v, %v", ok, err)
	}
	c := rec.Calls()[0]
	if !c.Request.Async || c.Source() != "CustomSMSSender_SignUp" || get(c.Event, "request", "type") != "customSMSSenderRequestV1" ||
		get(c.Event, "request", "code") != "123456" {
		t.Errorf("call = %+v", c)
	}
	if ok, _ := svc.CustomSender(context.Background(), pool, &trigger.CustomSenderInput{Medium: "EMAIL"}); ok {
		t.Error("email handled by an SMS-only pool")
	}
	if got := trigger.CustomSenderSource(trigger.SourceCustomMessageAdminCreateUser, "EMAIL"); got != "CustomEmailSender_AdminCreateUser" {
		t.Errorf("CustomSenderSource = %s", got)
	}
}

func TestSDKVersion(t *testing.T) {
	svc, rec := newService(t)
	pool := poolWith(cognitoidp.LambdaConfigType{PostConfirmation: api.Ptr(fnARN)})
	for ua, want := range map[string]string{
		"aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26": "aws-sdk-go-v2-1.47.7",
		"Boto3/1.34.1 md/Botocore#1.34.1":            "aws-sdk-boto3-1.34.1",
		"Mozilla/5.0":                                "aws-sdk-unknown-unknown",
	} {
		rec.Reset()
		ctx := awsjson.WithInfo(context.Background(), &awsjson.RequestInfo{UserAgent: ua, Header: http.Header{}})
		if err := svc.PostConfirmation(ctx, pool, &trigger.PostConfirmationInput{Username: "a"}); err != nil {
			t.Fatal(err)
		}
		if got := get(rec.Calls()[0].Event, "callerContext", "awsSdkVersion"); got != want {
			t.Errorf("%q: awsSdkVersion = %v, want %s", ua, got, want)
		}
	}
}

func TestParseRoutesAndValidate(t *testing.T) {
	r, err := trigger.ParseRoutes("arn:aws:lambda:us-east-1:1:function:a=http://h/a, b=lambda+http://127.0.0.1:3001", false)
	if err != nil {
		t.Fatal(err)
	}
	want := []trigger.Route{{Function: "arn:aws:lambda:us-east-1:1:function:a", URL: "http://h/a"}, {Function: "b", LambdaEndpoint: "http://127.0.0.1:3001"}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("routes = %+v", r)
	}
	if _, err := trigger.ParseRoutes("nonsense", true); err == nil {
		t.Error("no error for a pair without =")
	}
	bad := []trigger.Settings{
		{HTTPURL: "ftp://x"},
		{Functions: []trigger.Route{{Function: "f"}}},
		{Pools: []trigger.Route{{PoolID: "p", URL: "http://a", LambdaEndpoint: "http://b"}}},
		{CustomSenderCode: "rot13"},
		{Lambda: trigger.LambdaSettings{AccessKeyID: "a"}},
		{Attempts: 11},
	}
	for i, st := range bad {
		if err := st.Validate(); err == nil {
			t.Errorf("settings %d: no error", i)
		}
	}
	good := trigger.Settings{HTTPURL: "http://localhost:3000/{function}", Functions: want, CustomSenderCode: "plaintext"}
	if err := good.Validate(); err != nil {
		t.Error(err)
	}
	if s := good.String(); !strings.Contains(s, "http") || strings.Contains(s, "secret") {
		t.Errorf("String = %s", s)
	}
}
