package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/trigger/triggertest"
)

// fnARN is a function ARN of the test account.
func fnARN(name string) *string {
	return api.Ptr("arn:aws:lambda:us-east-1:123456789012:function:" + name)
}

// issuedSub records what sign-in asked the token service for.
type issuedSub struct {
	Source   string
	Metadata map[string]string
	Device   string
	Reissue  bool
}

// recTokens wraps the token service, recording each Subject's trigger
// source and ClientMetadata.
type recTokens struct {
	Tokens
	mu   sync.Mutex
	subs []issuedSub
}

func (r *recTokens) Issue(ctx context.Context, sub token.Subject, v token.Validity, withRefresh bool) (*token.Issued, error) {
	r.mu.Lock()
	r.subs = append(r.subs, issuedSub{Source: sub.TriggerSource, Metadata: sub.ClientMetadata, Device: sub.DeviceKey})
	r.mu.Unlock()
	return r.Tokens.Issue(ctx, sub, v, withRefresh)
}

func (r *recTokens) Reissue(ctx context.Context, sub token.Subject, v token.Validity) (*token.Issued, error) {
	r.mu.Lock()
	r.subs = append(r.subs, issuedSub{Source: sub.TriggerSource, Metadata: sub.ClientMetadata, Reissue: true})
	r.mu.Unlock()
	return r.Tokens.Reissue(ctx, sub, v)
}

func (r *recTokens) last(t testing.TB) issuedSub {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.subs) == 0 {
		t.Fatal("no tokens issued")
	}
	return r.subs[len(r.subs)-1]
}

// trigEnv is an env whose sign-in runs the pool's triggers through a
// recording invoker.
type trigEnv struct {
	*env
	rec    *triggertest.Recorder
	tokens *recTokens
}

func newTrigEnv(t testing.TB, mut ...func(*Config)) *trigEnv {
	rec := triggertest.New()
	te := &trigEnv{rec: rec}
	te.env = newEnv(t, append([]func(*Config){func(cfg *Config) {
		te.tokens = &recTokens{Tokens: cfg.Tokens}
		cfg.Tokens = te.tokens
		cfg.Triggers = trigger.New(trigger.Config{Invoker: rec, Store: cfg.Store, Region: "us-east-1", Attempts: 1})
	}}, mut...)...)
	return te
}

// triggerPool creates a pool with the LambdaConfig.
func (e *trigEnv) triggerPool(lc *cognitoidp.LambdaConfigType, mut func(*cognitoidp.CreateUserPoolRequest)) string {
	return e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.LambdaConfig = lc
		if mut != nil {
			mut(in)
		}
	})
}

// calls returns the events function fn got, oldest first.
func (e *trigEnv) calls(fn string) []triggertest.Call { return e.rec.CallsTo(fn) }

// req reads a member of an event's request.
func req(c triggertest.Call, key string) any { return c.RequestMap()[key] }

func TestPreAndPostAuthentication(t *testing.T) {
	e := newTrigEnv(t)
	poolID := e.triggerPool(&cognitoidp.LambdaConfigType{PreAuthentication: fnARN("pre"), PostAuthentication: fnARN("post")}, nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword, "email", "alice@example.com")

	out, err := e.svc.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
		ClientMetadata: map[string]string{"app": "web"},
	})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth = %v, %v", out, err)
	}
	pre := e.calls("pre")
	if len(pre) != 1 {
		t.Fatalf("pre authentication calls = %d", len(pre))
	}
	ev := pre[0]
	if ev.Source() != "PreAuthentication_Authentication" || ev.Event["userName"] != "alice" {
		t.Errorf("pre authentication event = %v", ev.Event)
	}
	ua, _ := req(ev, "userAttributes").(map[string]any)
	if ua["email"] != "alice@example.com" || ua["cognito:user_status"] != "CONFIRMED" || ua["sub"] == "" {
		t.Errorf("userAttributes = %v", ua)
	}
	// InitiateAuth's ClientMetadata is validationData, not clientMetadata.
	if vd, _ := req(ev, "validationData").(map[string]any); vd["app"] != "web" {
		t.Errorf("validationData = %v", req(ev, "validationData"))
	}
	if req(ev, "clientMetadata") != nil || req(ev, "userNotFound") != nil {
		t.Errorf("pre authentication request = %v", ev.RequestMap())
	}
	post := e.calls("post")
	if len(post) != 1 || post[0].Source() != "PostAuthentication_Authentication" || req(post[0], "newDeviceUsed") != false {
		t.Fatalf("post authentication calls = %v", post)
	}
	if req(post[0], "clientMetadata") != nil {
		t.Errorf("post authentication on InitiateAuth got clientMetadata %v", req(post[0], "clientMetadata"))
	}
	if got := e.tokens.last(t); got.Source != "TokenGeneration_Authentication" || got.Metadata != nil {
		t.Errorf("tokens = %+v", got)
	}

	// A wrong password runs pre authentication, not post authentication.
	e.rec.Reset()
	_, err = e.passwordAuth(clientID, "alice", "Wr0ng!pass")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	if len(e.calls("pre")) != 1 || len(e.calls("post")) != 0 {
		t.Errorf("calls after a wrong password = %v", e.rec.Sources())
	}

	// A throwing pre authentication refuses before the password is checked
	// (no failure counted) and is recorded.
	e.rec.Fail("pre", "Not today")
	_, err = e.passwordAuth(clientID, "alice", goodPassword)
	wantErr(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Not today.")
	last, _ := e.events.last()
	if last.Event.Response != cognitoidp.EventResponseTypeFail {
		t.Errorf("event = %+v", last.Event)
	}
	_, err = e.srpSignIn(poolID, clientID, "alice", goodPassword)
	wantErr(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Not today.")
	e.rec.On("pre", nil)

	// A throwing post authentication refuses the tokens.
	e.rec.Fail("post", "No tokens")
	_, err = e.srpSignIn(poolID, clientID, "alice", goodPassword)
	wantErr(t, err, "UserLambdaValidationException", "PostAuthentication failed with error No tokens.")
}

func TestPreAuthenticationUserNotFound(t *testing.T) {
	e := newTrigEnv(t)
	poolID := e.triggerPool(&cognitoidp.LambdaConfigType{PreAuthentication: fnARN("pre")}, nil)
	hiding := e.hidingClient(poolID)
	legacy := e.clientID(poolID)

	_, err := e.passwordAuth(legacy, "nobody", goodPassword)
	wantErr(t, err, "UserNotFoundException", msgUserNotFound)
	if n := len(e.calls("pre")); n != 0 {
		t.Errorf("LEGACY: pre authentication ran %d times for an unknown user", n)
	}
	_, err = e.passwordAuth(hiding, "nobody", goodPassword)
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	_, _, err = e.srpStart(poolID, hiding, "nobody2")
	if err != nil {
		t.Fatal(err)
	}
	calls := e.calls("pre")
	if len(calls) != 2 {
		t.Fatalf("ENABLED: pre authentication calls = %d", len(calls))
	}
	for i, c := range calls {
		if req(c, "userNotFound") != true || len(req(c, "userAttributes").(map[string]any)) != 0 {
			t.Errorf("call %d: request = %v", i, c.RequestMap())
		}
	}
	if calls[0].Event["userName"] != "nobody" {
		t.Errorf("userName = %v", calls[0].Event["userName"])
	}
}

// deviceAfterPassword is a NextStep that asks a device proof of every
// sign-in naming a DEVICE_KEY (as the MFA family does for a confirmed
// device), so the tokens answer DEVICE_PASSWORD_VERIFIER.
type deviceAfterPassword struct{}

func (deviceAfterPassword) Next(_ context.Context, a *Attempt) (*Step, error) {
	if a.DeviceKey == "" {
		return &Step{}, nil
	}
	return &Step{Challenge: cognitoidp.ChallengeNameTypeDeviceSrpAuth}, nil
}

func (deviceAfterPassword) Respond(_ context.Context, a *Attempt, ch cognitoidp.ChallengeNameType, _ map[string]string, _ []byte) (*Step, error) {
	if ch == cognitoidp.ChallengeNameTypeDeviceSrpAuth {
		return &Step{Challenge: cognitoidp.ChallengeNameTypeDevicePasswordVerifier}, nil
	}
	return &Step{DeviceKey: a.DeviceKey}, nil
}

func TestTokenSourcesAndClientMetadata(t *testing.T) {
	e := newTrigEnv(t, func(cfg *Config) { cfg.NextStep = deviceAfterPassword{} })
	poolID := e.triggerPool(nil, nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)

	// NEW_PASSWORD_REQUIRED answered with tokens.
	e.createUser(poolID, "bob", "Temp0rary!")
	out, err := e.passwordAuth(clientID, "bob", "Temp0rary!")
	if err != nil || api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("temporary password sign-in = %v, %v", out, err)
	}
	r, err := e.svc.RespondToAuthChallenge(e.ctx, &cognitoidp.RespondToAuthChallengeRequest{
		ClientId: api.Ptr(clientID), ChallengeName: api.Ptr(cognitoidp.ChallengeNameTypeNewPasswordRequired),
		Session: out.Session, ChallengeResponses: params("USERNAME", "bob", "NEW_PASSWORD", "N3w!Password"),
		ClientMetadata: map[string]string{"step": "new-password"},
	})
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("NEW_PASSWORD_REQUIRED answer = %v, %v", r, err)
	}
	if got := e.tokens.last(t); got.Source != "TokenGeneration_NewPasswordChallenge" || got.Metadata["step"] != "new-password" {
		t.Errorf("tokens after NEW_PASSWORD_REQUIRED = %+v", got)
	}

	// A device's proof answered with tokens.
	out, err = e.passwordAuth(clientID, "alice", goodPassword, "DEVICE_KEY", "us-east-1_dev")
	if err != nil || api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("device sign-in = %v, %v", out, err)
	}
	r, err = e.respond(clientID, cognitoidp.ChallengeNameTypeDeviceSrpAuth, *out.Session, "USERNAME", "alice")
	if err != nil {
		t.Fatal(err)
	}
	r, err = e.respond(clientID, cognitoidp.ChallengeNameTypeDevicePasswordVerifier, *r.Session, "USERNAME", "alice")
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("device proof = %v, %v", r, err)
	}
	if got := e.tokens.last(t); got.Source != "TokenGeneration_AuthenticateDevice" || got.Device != "us-east-1_dev" {
		t.Errorf("tokens after the device proof = %+v", got)
	}

	// A refresh through GetTokensFromRefreshToken passes its ClientMetadata;
	// REFRESH_TOKEN_AUTH (InitiateAuth) passes none.
	auth := e.mustSignIn(clientID, "alice", goodPassword)
	if _, err := e.svc.GetTokensFromRefreshToken(e.ctx, &cognitoidp.GetTokensFromRefreshTokenRequest{
		ClientId: api.Ptr(clientID), RefreshToken: auth.RefreshToken, ClientMetadata: map[string]string{"k": "v"},
	}); err != nil {
		t.Fatal(err)
	}
	if got := e.tokens.last(t); !got.Reissue || got.Metadata["k"] != "v" {
		t.Errorf("GetTokensFromRefreshToken tokens = %+v", got)
	}
	if _, err := e.svc.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeRefreshTokenAuth),
		AuthParameters: params("REFRESH_TOKEN", *auth.RefreshToken), ClientMetadata: map[string]string{"k": "v"},
	}); err != nil {
		t.Fatal(err)
	}
	if got := e.tokens.last(t); !got.Reissue || got.Metadata != nil {
		t.Errorf("REFRESH_TOKEN_AUTH tokens = %+v", got)
	}
}

func TestPostAuthenticationNewDevice(t *testing.T) {
	newDevice := &fixedStep{step: &Step{NewDeviceMetadata: &cognitoidp.NewDeviceMetadataType{DeviceKey: api.Ptr("us-east-1_new"), DeviceGroupKey: api.Ptr("g")}, DeviceKey: "us-east-1_new"}}
	e := newTrigEnv(t, func(cfg *Config) { cfg.NextStep = newDevice })
	poolID := e.triggerPool(&cognitoidp.LambdaConfigType{PostAuthentication: fnARN("post")}, nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	auth := e.mustSignIn(clientID, "alice", goodPassword)
	if auth.NewDeviceMetadata == nil {
		t.Fatal("no NewDeviceMetadata")
	}
	post := e.calls("post")
	if len(post) != 1 || req(post[0], "newDeviceUsed") != true {
		t.Fatalf("post authentication = %v", post)
	}
}

// fixedStep is a NextStep answering the same step to every sign-in.
type fixedStep struct{ step *Step }

func (f *fixedStep) Next(context.Context, *Attempt) (*Step, error) { s := *f.step; return &s, nil }
func (f *fixedStep) Respond(context.Context, *Attempt, cognitoidp.ChallengeNameType, map[string]string, []byte) (*Step, error) {
	return nil, errors.New("no challenges")
}

// waitFor polls cond for a second (asynchronous effects).
func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met")
}

// sources lists the trigger sources the recorder saw, without the pre token
// generation ones.
func (e *trigEnv) sources() []string {
	return slices.DeleteFunc(e.rec.Sources(), func(s string) bool { return strings.HasPrefix(s, "TokenGeneration_") })
}

// storedUser reads a user by name, nil when there is none.
func (e *env) storedUser(poolID, name string) *storage.User {
	e.t.Helper()
	u, _, _, err := e.users.Find(e.ctx, poolID, name)
	if err != nil {
		return nil
	}
	return u
}
