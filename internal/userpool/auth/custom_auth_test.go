package auth

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/trigger/triggertest"
)

// customTriggers is the pool's LambdaConfig with the three custom
// authentication functions.
var customTriggers = &cognitoidp.LambdaConfigType{
	DefineAuthChallenge:         fnARN("define"),
	CreateAuthChallenge:         fnARN("create"),
	VerifyAuthChallengeResponse: fnARN("verify"),
}

// sessionOf reads a define/create event's session.
func sessionOf(c triggertest.Call) []map[string]any {
	raw, _ := req(c, "session").([]any)
	out := make([]map[string]any, len(raw))
	for i, e := range raw {
		out[i], _ = e.(map[string]any)
	}
	return out
}

// define is the usual define auth challenge function: SRP_A asks
// PASSWORD_VERIFIER, a verified password or a fresh start asks
// CUSTOM_CHALLENGE, a right answer issues tokens, up to retries wrong
// answers ask again, then the sign-in fails.
func define(retries int) triggertest.Handler {
	return func(ev map[string]any) (any, error) {
		sess := sessionOf(triggertest.Call{Event: ev})
		resp := map[string]any{"issueTokens": false, "failAuthentication": false}
		wrong := 0
		for _, e := range sess {
			if e["challengeName"] == "CUSTOM_CHALLENGE" && e["challengeResult"] != true {
				wrong++
			}
		}
		var last map[string]any
		if len(sess) > 0 {
			last = sess[len(sess)-1]
		}
		switch {
		case last == nil:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		case last["challengeName"] == "SRP_A":
			resp["challengeName"] = "PASSWORD_VERIFIER"
		case last["challengeName"] == "PASSWORD_VERIFIER" && last["challengeResult"] == true:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		case last["challengeName"] == "CUSTOM_CHALLENGE" && last["challengeResult"] == true:
			resp["issueTokens"] = true
		case wrong <= retries:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		default:
			resp["failAuthentication"] = true
		}
		ev["response"] = resp
		return ev, nil
	}
}

// create asks "What is 6 x 7?" with the answer and the round in private
// parameters and metadata.
func create(ev map[string]any) (any, error) {
	round := len(sessionOf(triggertest.Call{Event: ev}))
	ev["response"] = map[string]any{
		"publicChallengeParameters":  map[string]any{"question": "What is 6 x 7?"},
		"privateChallengeParameters": map[string]any{"answer": "42"},
		"challengeMetadata":          fmt.Sprintf("ROUND-%d", round),
	}
	return ev, nil
}

// verify compares the answer with the private answer.
func verify(ev map[string]any) (any, error) {
	p, _ := req(triggertest.Call{Event: ev}, "privateChallengeParameters").(map[string]any)
	ev["response"] = map[string]any{"answerCorrect": req(triggertest.Call{Event: ev}, "challengeAnswer") == p["answer"]}
	return ev, nil
}

func newCustomEnv(t *testing.T, retries int, mut ...func(*Config)) (*trigEnv, string, string) {
	e := newTrigEnv(t, mut...)
	e.rec.On("define", define(retries))
	e.rec.On("create", create)
	e.rec.On("verify", verify)
	poolID := e.triggerPool(customTriggers, nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword, "email", "alice@example.com")
	return e, poolID, clientID
}

func TestCustomAuthWithoutSRP(t *testing.T) {
	hook := &recStep{}
	e, _, clientID := newCustomEnv(t, 1, func(cfg *Config) { cfg.NextStep = hook })
	out, err := e.svc.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeCustomAuth),
		AuthParameters: params("USERNAME", "alice"), ClientMetadata: map[string]string{"at": "initiate"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeCustomChallenge || out.Session == nil {
		t.Fatalf("InitiateAuth = %+v", out)
	}
	if out.ChallengeParameters["question"] != "What is 6 x 7?" || out.ChallengeParameters["USERNAME"] != "alice" || len(out.ChallengeParameters) != 2 {
		t.Errorf("ChallengeParameters = %v", out.ChallengeParameters)
	}
	// The private answer never travels readable in the Session (it is sealed;
	// look for the JSON member, not "42", which random text holds by chance).
	raw, _ := sessionEncoding.DecodeString(*out.Session)
	if strings.Contains(*out.Session+string(raw), `"answer":"42"`) || len(*out.Session) > maxSessionLen {
		t.Errorf("session leaks or is too long: %d chars", len(*out.Session))
	}
	defs := e.calls("define")
	if len(defs) != 1 || len(sessionOf(defs[0])) != 0 || defs[0].Source() != "DefineAuthChallenge_Authentication" {
		t.Fatalf("define calls = %v", defs)
	}
	if req(defs[0], "clientMetadata") != nil {
		t.Errorf("define at InitiateAuth got clientMetadata %v", req(defs[0], "clientMetadata"))
	}
	if ua, _ := req(defs[0], "userAttributes").(map[string]any); ua["email"] != "alice@example.com" {
		t.Errorf("userAttributes = %v", ua)
	}
	cr := e.calls("create")
	if len(cr) != 1 || req(cr[0], "challengeName") != "CUSTOM_CHALLENGE" {
		t.Fatalf("create calls = %v", cr)
	}

	// A wrong answer: a new challenge with a new session; the old one is spent.
	answer := func(session, ans string) (*cognitoidp.RespondToAuthChallengeResponse, error) {
		return e.svc.RespondToAuthChallenge(e.ctx, &cognitoidp.RespondToAuthChallengeRequest{
			ClientId: api.Ptr(clientID), ChallengeName: api.Ptr(cognitoidp.ChallengeNameTypeCustomChallenge),
			Session: api.Ptr(session), ChallengeResponses: params("USERNAME", "alice", "ANSWER", ans),
			ClientMetadata: map[string]string{"at": "respond"},
		})
	}
	r, err := answer(*out.Session, "41")
	if err != nil || api.Deref(r.ChallengeName) != cognitoidp.ChallengeNameTypeCustomChallenge || r.Session == nil || *r.Session == *out.Session {
		t.Fatalf("wrong answer = %+v, %v", r, err)
	}
	_, err = answer(*out.Session, "42")
	wantErr(t, err, "NotAuthorizedException", msgSessionInvalid)
	v := e.calls("verify")
	if len(v) != 1 || req(v[0], "challengeAnswer") != "41" {
		t.Fatalf("verify calls = %v", v)
	}
	if p, _ := req(v[0], "privateChallengeParameters").(map[string]any); p["answer"] != "42" {
		t.Errorf("privateChallengeParameters = %v", p)
	}
	if m, _ := req(v[0], "clientMetadata").(map[string]any); m["at"] != "respond" {
		t.Errorf("verify clientMetadata = %v", req(v[0], "clientMetadata"))
	}
	defs = e.calls("define")
	s := sessionOf(defs[len(defs)-1])
	if len(s) != 1 || s[0]["challengeName"] != "CUSTOM_CHALLENGE" || s[0]["challengeResult"] != false || s[0]["challengeMetadata"] != "ROUND-0" {
		t.Errorf("define session after a wrong answer = %v", s)
	}

	// The right answer: tokens, no MFA asked (no password was proven).
	r, err = answer(*r.Session, "42")
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("right answer = %+v, %v", r, err)
	}
	defs = e.calls("define")
	s = sessionOf(defs[len(defs)-1])
	if len(s) != 2 || s[1]["challengeResult"] != true || s[1]["challengeMetadata"] != "ROUND-1" {
		t.Errorf("define session after the right answer = %v", s)
	}
	if len(hook.attempts) != 1 || hook.attempts[0].FirstFactor != FactorCustom || hook.attempts[0].Flow != cognitoidp.AuthFlowTypeCustomAuth {
		t.Fatalf("NextStep attempts = %+v", hook.attempts)
	}
	if got := e.tokens.last(t); got.Metadata["at"] != "respond" || got.Source != "TokenGeneration_Authentication" {
		t.Errorf("tokens = %+v", got)
	}
	c := claims(t, *r.AuthenticationResult.AccessToken)
	if c["username"] != "alice" {
		t.Errorf("access token = %v", c)
	}

	// Two wrong answers end the sign-in.
	out, err = e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	if err != nil {
		t.Fatal(err)
	}
	r, err = answer(*out.Session, "1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = answer(*r.Session, "2")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	last, _ := e.events.last()
	if last.Event.Response != cognitoidp.EventResponseTypeFail {
		t.Errorf("event = %+v", last.Event)
	}
	_, err = answer(*r.Session, "42")
	wantErr(t, err, "NotAuthorizedException", msgSessionInvalid)
}

func TestCustomAuthWithSRP(t *testing.T) {
	hook := &recStep{}
	e, poolID, clientID := newCustomEnv(t, 0, func(cfg *Config) { cfg.NextStep = hook })
	start := func(pw string) (*cognitoidp.RespondToAuthChallengeResponse, error) {
		t.Helper()
		cs := srp.NewClientSession(srp.PoolName(poolID))
		out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice", "SRP_A", cs.PublicHex(), "CHALLENGE_NAME", "SRP_A")
		if err != nil {
			t.Fatal(err)
		}
		if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypePasswordVerifier || out.Session == nil {
			t.Fatalf("InitiateAuth = %+v", out)
		}
		ch := out.ChallengeParameters
		if ch["USER_ID_FOR_SRP"] != "alice" || ch["SRP_B"] == "" || ch["SALT"] == "" {
			t.Fatalf("ChallengeParameters = %v", ch)
		}
		claim := e.srpAnswer(cs, ch, pw)
		return e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, *out.Session,
			"USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock,
			"TIMESTAMP", claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE", claim.Signature)
	}
	r, err := start(goodPassword)
	if err != nil || api.Deref(r.ChallengeName) != cognitoidp.ChallengeNameTypeCustomChallenge || r.Session == nil {
		t.Fatalf("PASSWORD_VERIFIER answer = %+v, %v", r, err)
	}
	defs := e.calls("define")
	if len(defs) != 2 {
		t.Fatalf("define calls = %d", len(defs))
	}
	if s := sessionOf(defs[0]); len(s) != 1 || s[0]["challengeName"] != "SRP_A" || s[0]["challengeResult"] != true {
		t.Errorf("first define session = %v", s)
	}
	if s := sessionOf(defs[1]); len(s) != 2 || s[1]["challengeName"] != "PASSWORD_VERIFIER" || s[1]["challengeResult"] != true {
		t.Errorf("second define session = %v", s)
	}
	r, err = e.respond(clientID, cognitoidp.ChallengeNameTypeCustomChallenge, *r.Session, "USERNAME", "alice", "ANSWER", "42")
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("answer = %+v, %v", r, err)
	}
	if len(hook.attempts) != 1 || hook.attempts[0].FirstFactor != FactorPassword {
		t.Fatalf("NextStep attempts = %+v (MFA follows a verified password)", hook.attempts)
	}

	// A wrong password fails at once, counted for the lockout; the define
	// trigger is not asked.
	e.rec.Reset()
	_, err = start("Wr0ng!pass")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	if n := len(e.calls("define")); n != 1 {
		t.Errorf("define calls after a wrong password = %d", n)
	}
	if c, _, _ := e.svc.failures(e.ctx, e.user(poolID, "alice"), e.clk.Now()); c.Value != 1 {
		t.Errorf("failures = %d", c.Value)
	}
}

func TestCustomAuthAnswers(t *testing.T) {
	e, poolID, clientID := newCustomEnv(t, 0)

	// failAuthentication at once.
	e.rec.Respond("define", map[string]any{"failAuthentication": true})
	_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)

	// issueTokens at once.
	e.rec.Respond("define", map[string]any{"issueTokens": true})
	out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("issueTokens at once = %+v, %v", out, err)
	}

	// PASSWORD_VERIFIER without SRP_A, or no decision: the answer is refused.
	for _, resp := range []map[string]any{{"challengeName": "PASSWORD_VERIFIER"}, {}, {"challengeName": "SMS_MFA"}} {
		e.rec.Respond("define", resp)
		_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
		wantErr(t, err, "InvalidLambdaResponseException", msgCustomBadDefine)
	}

	// A throwing function.
	e.rec.Fail("define", "No way")
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "UserLambdaValidationException", "DefineAuthChallenge failed with error No way.")
	e.rec.On("define", define(0))
	e.rec.Fail("create", "'email'")
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "UserLambdaValidationException", "CreateAuthChallenge failed with error 'email'.")
	e.rec.On("create", create)

	// ANSWER is required; the flow must be enabled.
	out, err = e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeCustomChallenge, *out.Session, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", "Missing required parameter ANSWER")
	noCustom := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth}
	})
	_, err = e.initiate(*noCustom.ClientId, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "InvalidParameterException", msgFlowNotEnabled)

	// A pool with only some of the triggers.
	partial := e.triggerPool(&cognitoidp.LambdaConfigType{DefineAuthChallenge: fnARN("define")}, nil)
	_, err = e.initiate(e.clientID(partial), cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "InvalidUserPoolConfigurationException", msgCustomAuthNotConfigured)

	// A disabled user (LEGACY): refused before any trigger runs.
	e.rec.Reset()
	e.confirmedUser(poolID, "dis", goodPassword)
	if _, err := e.users.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("dis")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "dis")
	wantErr(t, err, "NotAuthorizedException", msgDisabled)
	if len(e.rec.Calls()) != 0 {
		t.Errorf("triggers ran for a disabled user: %v", e.rec.Sources())
	}
}

func TestCustomAuthUnknownUser(t *testing.T) {
	e, poolID, legacy := newCustomEnv(t, 0)
	_, err := e.initiate(legacy, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "ghost")
	wantErr(t, err, "UserNotFoundException", msgUserNotFound)

	hiding := e.hidingClient(poolID)
	out, err := e.initiate(hiding, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "ghost")
	if err != nil || api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeCustomChallenge {
		t.Fatalf("ENABLED unknown user = %+v, %v", out, err)
	}
	if out.ChallengeParameters["USERNAME"] != "ghost" {
		t.Errorf("ChallengeParameters = %v", out.ChallengeParameters)
	}
	for _, c := range e.rec.Calls() {
		if req(c, "userNotFound") != true {
			t.Errorf("%s: request = %v", c.Source(), c.RequestMap())
		}
	}
	_, err = e.respond(hiding, cognitoidp.ChallengeNameTypeCustomChallenge, *out.Session, "USERNAME", "ghost", "ANSWER", "42")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	v := e.calls("verify")
	if len(v) != 1 || req(v[0], "userNotFound") != true {
		t.Errorf("verify calls = %v", v)
	}
}

func TestCustomAuthLargeStateKeptInStore(t *testing.T) {
	e, poolID, clientID := newCustomEnv(t, 0)
	big := strings.Repeat("x", 3000)
	e.rec.On("create", func(ev map[string]any) (any, error) {
		ev["response"] = map[string]any{
			"publicChallengeParameters":  map[string]any{"q": "?"},
			"privateChallengeParameters": map[string]any{"answer": "42", "blob": big},
			"challengeMetadata":          "BIG",
		}
		return ev, nil
	})
	out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(*out.Session); n > maxSessionLen {
		t.Fatalf("session is %d characters", n)
	}
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypeCustomChallenge, *out.Session, "USERNAME", "alice", "ANSWER", "42")
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("answer = %+v, %v", r, err)
	}
	v := e.calls("verify")
	if p, _ := req(v[0], "privateChallengeParameters").(map[string]any); p["blob"] != big {
		t.Errorf("verify did not get the large private parameters")
	}
	// The unknown user's state has nowhere to go: the sign-in fails.
	hiding := e.hidingClient(poolID)
	_, err = e.initiate(hiding, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "ghost")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
}

func TestCustomAuthRoundLimit(t *testing.T) {
	e, _, clientID := newCustomEnv(t, 1000)
	out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	if err != nil {
		t.Fatal(err)
	}
	sess := *out.Session
	for i := 1; ; i++ {
		r, err := e.respond(clientID, cognitoidp.ChallengeNameTypeCustomChallenge, sess, "USERNAME", "alice", "ANSWER", "no")
		if err != nil {
			wantErr(t, err, "NotAuthorizedException", msgIncorrect)
			if i != customMaxRounds {
				t.Errorf("failed after %d answers, want %d", i, customMaxRounds)
			}
			return
		}
		if len(*r.Session) > maxSessionLen {
			t.Fatalf("session %d is %d characters", i, len(*r.Session))
		}
		sess = *r.Session
	}
}

var _ = trigger.SourceDefineAuthChallenge

// forgottenDevice is a NextStep refusing every DEVICE_KEY as the MFA family
// refuses a device the user no longer has.
type forgottenDevice struct{}

func (forgottenDevice) Next(_ context.Context, a *Attempt) (*Step, error) {
	if a.DeviceKey != "" {
		return nil, cognitoidp.NewResourceNotFoundException("Device does not exist.")
	}
	return &Step{}, nil
}

func (forgottenDevice) Respond(context.Context, *Attempt, cognitoidp.ChallengeNameType, map[string]string, []byte) (*Step, error) {
	return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
}

func TestCustomAuthRetriedWithoutStaleDevice(t *testing.T) {
	e, _, clientID := newCustomEnv(t, 0, func(cfg *Config) { cfg.NextStep = forgottenDevice{} })
	out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice", "DEVICE_KEY", "us-east-1_gone")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeCustomChallenge, *out.Session, "USERNAME", "alice", "ANSWER", "42", "DEVICE_KEY", "us-east-1_gone")
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	// Amplify drops its device and sends the same answer again.
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypeCustomChallenge, *out.Session, "USERNAME", "alice", "ANSWER", "42")
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("answer without the device = %+v, %v", r, err)
	}
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeCustomChallenge, *out.Session, "USERNAME", "alice", "ANSWER", "42")
	wantErr(t, err, "NotAuthorizedException", msgSessionInvalid)
}
