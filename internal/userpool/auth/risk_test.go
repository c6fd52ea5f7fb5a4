package auth

import (
	"context"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/risk"
)

// fakeRisk answers every assessment with decide's decision and records what
// it was asked.
type fakeRisk struct {
	mu       sync.Mutex
	decide   func(in risk.SignIn) *risk.Decision
	assessed []risk.SignIn
	notified []risk.NotifyInput
	links    [][2]string
	checked  []string
	refuse   string // CheckPassword refuses this password
}

func (f *fakeRisk) AssessSignIn(_ context.Context, in risk.SignIn) (*risk.Decision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.assessed = append(f.assessed, in)
	if f.decide == nil {
		return nil, nil
	}
	return f.decide(in), nil
}

func (f *fakeRisk) Notify(_ context.Context, in risk.NotifyInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notified = append(f.notified, in)
	if in.Links != nil {
		v, i, err := in.Links(in.EventID)
		if err != nil {
			return err
		}
		f.links = append(f.links, [2]string{v, i})
	}
	return nil
}

func (f *fakeRisk) CheckPassword(_ context.Context, _ *cognitoidp.UserPoolType, _ string, event cognitoidp.EventFilterType, pw string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checked = append(f.checked, string(event))
	if pw == f.refuse {
		return true, cognitoidp.NewInvalidPasswordException("Password has been found in a data breach. Choose a different password.")
	}
	return false, nil
}

func (f *fakeRisk) lastAssessed(t testing.TB) risk.SignIn {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.assessed) == 0 {
		t.Fatal("nothing assessed")
	}
	return f.assessed[len(f.assessed)-1]
}

func decision(level string, decisionType cognitoidp.RiskDecisionType, mut func(*risk.Decision)) func(risk.SignIn) *risk.Decision {
	return func(risk.SignIn) *risk.Decision {
		d := &risk.Decision{
			Mode: cognitoidp.AdvancedSecurityModeTypeEnforced, Level: level,
			Action: cognitoidp.AccountTakeoverEventActionTypeNoAction,
			Risk: &cognitoidp.EventRiskType{
				RiskDecision: api.Ptr(decisionType), RiskLevel: api.Ptr(cognitoidp.RiskLevelType(level)),
				CompromisedCredentialsDetected: api.Ptr(false),
			},
		}
		if mut != nil {
			mut(d)
		}
		return d
	}
}

func newRiskEnv(t *testing.T) (*env, *fakeRisk, *recStep) {
	fr := &fakeRisk{}
	next := &recStep{}
	e := newEnv(t, func(cfg *Config) {
		cfg.Risk = fr
		cfg.NextStep = next
		cfg.FeedbackLinks = func(_ context.Context, poolID string, u *storage.User, eventID string) (string, string, error) {
			return "https://x/valid/" + eventID, "https://x/invalid/" + eventID, nil
		}
	})
	return e, fr, next
}

func TestRiskAssessedAfterFirstFactor(t *testing.T) {
	e, fr, next := newRiskEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)

	// Nothing to assess (mode OFF): the sign-in goes on.
	e.mustSignIn(clientID, "alice", goodPassword)
	in := fr.lastAssessed(t)
	if in.Password != goodPassword || !in.NewDevice || in.User.Username != "alice" || in.ClientID != clientID {
		t.Errorf("assessed = %+v", in)
	}
	// A wrong password is not assessed.
	n := len(fr.assessed)
	_, err := e.passwordAuth(clientID, "alice", "Wr0ng!pass")
	wantErr(t, err, "NotAuthorizedException", msgIncorrect)
	if len(fr.assessed) != n {
		t.Error("a wrong password was assessed")
	}
	// SRP: no password to check; a DEVICE_KEY is not a new device.
	if _, err := e.srpSignIn(poolID, clientID, "alice", goodPassword, "DEVICE_KEY", "us-east-1_d"); err != nil {
		t.Fatal(err)
	}
	if in := fr.lastAssessed(t); in.Password != "" || in.NewDevice {
		t.Errorf("SRP assessed = %+v", in)
	}
	// Admin sign-in: the end user's IP from ContextData.
	_, err = e.svc.AdminInitiateAuth(e.ctx, &cognitoidp.AdminInitiateAuthRequest{
		UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeAdminUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
		ContextData: &cognitoidp.ContextDataType{IpAddress: api.Ptr("203.0.113.9"), ServerName: api.Ptr("s"), ServerPath: api.Ptr("/"),
			HttpHeaders: []cognitoidp.HttpHeader{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in := fr.lastAssessed(t); in.IP != "203.0.113.9" {
		t.Errorf("admin assessed IP = %q", in.IP)
	}

	// An MFA demand reaches the NextStep hook, the risk the auth event, and
	// a Notify action the user with the event's feedback links.
	fr.decide = decision(risk.LevelMedium, cognitoidp.RiskDecisionTypeAccounttakeover, func(d *risk.Decision) {
		d.MFA, d.Notify, d.Action = risk.MFARequired, true, cognitoidp.AccountTakeoverEventActionTypeMfaRequired
	})
	e.mustSignIn(clientID, "alice", goodPassword)
	if a := next.last(t); a.RiskMFA != RiskMFARequired {
		t.Errorf("RiskMFA = %q", a.RiskMFA)
	}
	ev, _ := e.events.last()
	if r := ev.Event.Risk; r == nil || api.Deref(r.RiskDecision) != cognitoidp.RiskDecisionTypeAccounttakeover || api.Deref(r.RiskLevel) != "Medium" {
		t.Errorf("event risk = %+v", ev.Event.Risk)
	}
	if len(fr.notified) != 1 || fr.notified[0].EventID != ev.ID || fr.links[0][0] != "https://x/valid/"+ev.ID {
		t.Fatalf("notified = %+v, links %v", fr.notified, fr.links)
	}
}

func TestRiskBlocks(t *testing.T) {
	e, fr, _ := newRiskEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)

	fr.decide = decision(risk.LevelHigh, cognitoidp.RiskDecisionTypeBlock, func(d *risk.Decision) {
		d.Err = cognitoidp.NewNotAuthorizedException("Unable to login because of security reasons.")
		d.Action, d.Notify = cognitoidp.AccountTakeoverEventActionTypeBlock, true
	})
	_, err := e.passwordAuth(clientID, "alice", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")
	ev, _ := e.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypeFail || api.Deref(ev.Event.Risk.RiskDecision) != cognitoidp.RiskDecisionTypeBlock {
		t.Errorf("event = %+v", ev.Event)
	}
	if len(fr.notified) != 1 || fr.notified[0].EventID != ev.ID {
		t.Errorf("notified = %+v", fr.notified)
	}

	// Compromised credentials blocked: the user must reset the password.
	fr.decide = decision(risk.LevelHigh, cognitoidp.RiskDecisionTypeBlock, func(d *risk.Decision) {
		d.Err = cognitoidp.NewPasswordResetRequiredException("Password reset required for the user")
		d.ResetRequired, d.Compromised = true, true
		d.Risk.CompromisedCredentialsDetected = api.Ptr(true)
	})
	_, err = e.passwordAuth(clientID, "alice", goodPassword)
	wantErr(t, err, "PasswordResetRequiredException", "")
	if u := e.user(poolID, "alice"); u.Status != "RESET_REQUIRED" {
		t.Errorf("status = %s", u.Status)
	}
	ev, _ = e.events.last()
	if !api.Deref(ev.Event.Risk.CompromisedCredentialsDetected) {
		t.Errorf("event risk = %+v", ev.Event.Risk)
	}
}

func TestRiskCarriedThroughNewPassword(t *testing.T) {
	e, fr, next := newRiskEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.createUser(poolID, "bob", "Temp0rary!")
	fr.decide = decision(risk.LevelLow, cognitoidp.RiskDecisionTypeNorisk, func(d *risk.Decision) { d.MFA = risk.MFAIfConfigured })
	fr.refuse = "Breached1!"
	out, err := e.passwordAuth(clientID, "bob", "Temp0rary!")
	if err != nil || api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("sign-in = %+v, %v", out, err)
	}
	// A breached new password is refused as a password change; the session
	// stays usable.
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypeNewPasswordRequired, *out.Session, "USERNAME", "bob", "NEW_PASSWORD", "Breached1!")
	wantErr(t, err, "InvalidPasswordException", "")
	if len(fr.checked) != 1 || fr.checked[0] != "PASSWORD_CHANGE" {
		t.Errorf("checked = %v", fr.checked)
	}
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypeNewPasswordRequired, *out.Session, "USERNAME", "bob", "NEW_PASSWORD", "N3w!Password")
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("new password = %+v, %v", r, err)
	}
	if a := next.last(t); a.RiskMFA != RiskMFAIfConfigured {
		t.Errorf("RiskMFA after NEW_PASSWORD_REQUIRED = %q", a.RiskMFA)
	}
	ev, _ := e.events.last()
	if ev.Event.Risk == nil || api.Deref(ev.Event.Risk.RiskDecision) != cognitoidp.RiskDecisionTypeNorisk {
		t.Errorf("event risk = %+v", ev.Event.Risk)
	}
}

// refusingStep is a NextStep that refuses sign-ins threat protection demands
// MFA of (as the MFA family does for a user who can answer no challenge).
type refusingStep struct{}

func (refusingStep) Next(_ context.Context, a *Attempt) (*Step, error) {
	if a.RiskMFA == RiskMFARequired {
		return nil, cognitoidp.NewNotAuthorizedException("Unable to login because of security reasons.")
	}
	return &Step{}, nil
}

func (refusingStep) Respond(context.Context, *Attempt, cognitoidp.ChallengeNameType, map[string]string, []byte) (*Step, error) {
	return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
}

func TestRiskMFAImpossibleRecorded(t *testing.T) {
	fr := &fakeRisk{decide: decision(risk.LevelHigh, cognitoidp.RiskDecisionTypeAccounttakeover, func(d *risk.Decision) {
		d.MFA, d.Notify, d.Action = risk.MFARequired, true, cognitoidp.AccountTakeoverEventActionTypeMfaRequired
	})}
	e := newEnv(t, func(cfg *Config) { cfg.Risk, cfg.NextStep = fr, refusingStep{} })
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	_, err := e.passwordAuth(clientID, "alice", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")
	ev, _ := e.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypeFail || ev.Event.Risk == nil || api.Deref(ev.Event.Risk.RiskLevel) != "High" {
		t.Errorf("event = %+v", ev.Event)
	}
	if len(fr.notified) != 1 || fr.notified[0].EventID != ev.ID {
		t.Errorf("notified = %+v", fr.notified)
	}
}
