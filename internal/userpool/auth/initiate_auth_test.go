package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

func TestCustomAuthWithoutTriggers(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "InvalidUserPoolConfigurationException", "Custom auth lambda trigger is not configured for the user pool.")
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeCustomAuth)
	wantErr(t, err, "InvalidParameterException", "Missing required parameter USERNAME")
	c := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	_, err = e.initiate(*c.ClientId, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice")
	wantErr(t, err, "NotAuthorizedException", "Client "+*c.ClientId+" is configured for secret but secret was not received")
	_, err = e.initiate(*c.ClientId, cognitoidp.AuthFlowTypeCustomAuth, "USERNAME", "alice", "SECRET_HASH", signup.SecretHash(*c.ClientId, *c.ClientSecret, "alice"))
	wantErr(t, err, "InvalidUserPoolConfigurationException", "Custom auth lambda trigger is not configured for the user pool.")
}

// hookStep is a NextStep that asks every user for a code "123456" (as an
// MFA family would), recording what it was told.
type hookStep struct {
	attempts []*Attempt
	data     [][]byte
}

func (h *hookStep) Next(_ context.Context, a *Attempt) (*Step, error) {
	h.attempts = append(h.attempts, a)
	return &Step{
		Challenge:  cognitoidp.ChallengeNameTypeSoftwareTokenMfa,
		Parameters: map[string]string{"FRIENDLY_DEVICE_NAME": "phone"},
		Data:       []byte("tries=0"),
	}, nil
}

func (h *hookStep) Respond(_ context.Context, a *Attempt, challenge cognitoidp.ChallengeNameType, responses map[string]string, data []byte) (*Step, error) {
	h.attempts = append(h.attempts, a)
	h.data = append(h.data, data)
	if responses["SOFTWARE_TOKEN_MFA_CODE"] != "123456" {
		return nil, cognitoidp.NewCodeMismatchException("Invalid code or auth state for the user.")
	}
	mfa := cognitoidp.ChallengeNameMfa
	ok := cognitoidp.ChallengeResponseSuccess
	return &Step{
		DeviceKey:  "us-east-1_0f0e0d0c-0b0a-4908-8706-050403020100",
		Challenges: []cognitoidp.ChallengeResponseType{{ChallengeName: &mfa, ChallengeResponse: &ok}},
	}, nil
}

func TestNextStepHook(t *testing.T) {
	hook := &hookStep{}
	e := newEnv(t, func(c *Config) { c.NextStep = hook })
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)

	out, err := e.passwordAuth(clientID, "alice", goodPassword, "DEVICE_KEY", "us-east-1_aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeSoftwareTokenMfa || out.AuthenticationResult != nil {
		t.Fatalf("response = %+v", out)
	}
	if p := out.ChallengeParameters; p["FRIENDLY_DEVICE_NAME"] != "phone" || p["USERNAME"] != "alice" {
		t.Errorf("parameters = %v", p)
	}
	if a := hook.attempts[0]; a.User.Username != "alice" || a.Flow != cognitoidp.AuthFlowTypeUserPasswordAuth || a.DeviceKey != "us-east-1_aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" || a.Admin {
		t.Errorf("attempt = %+v", a)
	}
	session := api.Deref(out.Session)
	// A wrong code: the hook's error, the session stays usable.
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeSoftwareTokenMfa, session, "USERNAME", "alice", "SOFTWARE_TOKEN_MFA_CODE", "000000")
	wantErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	// Another challenge name with this session is refused.
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeSmsMfa, session, "USERNAME", "alice", "SMS_MFA_CODE", "123456")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypeSoftwareTokenMfa, session, "USERNAME", "alice", "SOFTWARE_TOKEN_MFA_CODE", "123456")
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthenticationResult == nil {
		t.Fatalf("response = %+v", r)
	}
	if string(hook.data[len(hook.data)-1]) != "tries=0" {
		t.Errorf("data = %q", hook.data)
	}
	if dk := claims(t, api.Deref(r.AuthenticationResult.AccessToken))["device_key"]; dk != "us-east-1_0f0e0d0c-0b0a-4908-8706-050403020100" {
		t.Errorf("device_key = %v", dk)
	}
	ev, _ := e.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypePass || len(ev.Event.Challenges) != 2 {
		t.Errorf("event = %+v", ev.Event)
	}
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeSoftwareTokenMfa, session, "USERNAME", "alice", "SOFTWARE_TOKEN_MFA_CODE", "123456")
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

func TestNoHookMeansNoOtherChallenges(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	for _, ch := range []cognitoidp.ChallengeNameType{cognitoidp.ChallengeNameTypeSmsMfa, cognitoidp.ChallengeNameTypeSoftwareTokenMfa, cognitoidp.ChallengeNameTypeCustomChallenge} {
		_, err := e.respond(clientID, ch, strings.Repeat("A", 40), "USERNAME", "alice")
		wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	}
}

func TestIssueFor(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	otherPool := e.pool(nil)
	clientID := *e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ReadAttributes = []string{"email"}
		in.AccessTokenValidity = api.Ptr(int32(5))
		in.TokenValidityUnits = &cognitoidp.TokenValidityUnitsType{AccessToken: api.Ptr(cognitoidp.TimeUnitsTypeMinutes)}
	}).ClientId
	u := e.confirmedUser(poolID, "alice", goodPassword, "email", "alice@example.com", "name", "Alice")
	r, err := e.svc.IssueFor(e.ctx, poolID, clientID, u, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.ExpiresIn != 300 || api.Deref(r.RefreshToken) == "" {
		t.Errorf("result = %+v", r)
	}
	id := claims(t, api.Deref(r.IdToken))
	if id["email"] != "alice@example.com" || id["name"] != nil || id["sub"] != u.Sub {
		t.Errorf("ReadAttributes not applied: %v", id)
	}
	_, err = e.svc.IssueFor(e.ctx, otherPool, clientID, u, "")
	if err == nil {
		t.Error("IssueFor accepted a user of another pool")
	}
}
