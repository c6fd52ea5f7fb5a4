package risk

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const breachedPassword = "Password123!"

type env struct {
	ctx     context.Context
	st      storage.Store
	clk     *clock.Fake
	svc     *Service
	pools   *pools.Service
	clients *clients.Service
	history map[string][]HistoryEntry
	sent    []*message.Message
}

type recordSender struct{ e *env }

func (r recordSender) Send(_ context.Context, _ *cognitoidp.UserPoolType, m *message.Message) error {
	r.e.sent = append(r.e.sent, m)
	return nil
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	key := make([]byte, keys.MasterKeySize)
	rand.Read(key)
	sealer, err := keys.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	br, err := ReadBreached(strings.NewReader("# test list\n" + HashLine(breachedPassword) + ":42\n" + strings.ToLower(HashLine("hunter2")) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	locs, err := ReadLocations(strings.NewReader("cidr,lat,lon,city,country\n198.51.100.0/24,48.85,2.35,Paris,France\n203.0.113.0/24,-33.87,151.21,Sydney,Australia\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{ctx: context.Background(), st: st, clk: clk, history: map[string][]HistoryEntry{}}
	e.pools = pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	e.clients = clients.New(clients.Config{Store: st, Sealer: sealer, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	e.svc = New(Config{
		Store: st, Clients: e.clients, Breached: br, Locations: locs, Clock: clk, Sender: recordSender{e},
		History: func(_ context.Context, _, userKey string) ([]HistoryEntry, error) { return e.history[userKey], nil },
	})
	return e
}

func (e *env) pool(t *testing.T, mode cognitoidp.AdvancedSecurityModeType) *cognitoidp.UserPoolType {
	t.Helper()
	out, err := e.pools.CreateUserPool(e.ctx, &cognitoidp.CreateUserPoolRequest{
		PoolName:       api.Ptr("p"),
		UserPoolTier:   api.Ptr(cognitoidp.UserPoolTierTypePlus),
		UserPoolAddOns: &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(mode)},
	})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	up, err := pools.Load(e.ctx, e.st, *out.UserPool.Id)
	if err != nil {
		t.Fatal(err)
	}
	return up
}

func (e *env) client(t *testing.T, poolID string) string {
	t.Helper()
	out, err := e.clients.CreateUserPoolClient(e.ctx, &cognitoidp.CreateUserPoolClientRequest{UserPoolId: api.Ptr(poolID), ClientName: api.Ptr("c")})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return *out.UserPoolClient.ClientId
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *awserr.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error = %v; want %s", err, code)
	}
}

func action(a cognitoidp.AccountTakeoverEventActionType, notify bool) *cognitoidp.AccountTakeoverActionType {
	return &cognitoidp.AccountTakeoverActionType{EventAction: api.Ptr(a), Notify: notify}
}

func fullConfig(poolID string) *cognitoidp.SetRiskConfigurationRequest {
	return &cognitoidp.SetRiskConfigurationRequest{
		UserPoolId: api.Ptr(poolID),
		CompromisedCredentialsRiskConfiguration: &cognitoidp.CompromisedCredentialsRiskConfigurationType{
			Actions: &cognitoidp.CompromisedCredentialsActionsType{EventAction: api.Ptr(cognitoidp.CompromisedCredentialsEventActionTypeBlock)},
		},
		AccountTakeoverRiskConfiguration: &cognitoidp.AccountTakeoverRiskConfigurationType{
			NotifyConfiguration: &cognitoidp.NotifyConfigurationType{
				SourceArn:  api.Ptr("arn:aws:ses:us-east-1:123456789012:identity/example.com"),
				BlockEmail: &cognitoidp.NotifyEmailType{Subject: api.Ptr("Blocked"), TextBody: api.Ptr("Blocked {username} from {ip-address} in {city}. Mine: {one-click-link-valid}")},
			},
			Actions: &cognitoidp.AccountTakeoverActionsType{
				LowAction:    action(cognitoidp.AccountTakeoverEventActionTypeNoAction, false),
				MediumAction: action(cognitoidp.AccountTakeoverEventActionTypeMfaIfConfigured, false),
				HighAction:   action(cognitoidp.AccountTakeoverEventActionTypeBlock, true),
			},
		},
		RiskExceptionConfiguration: &cognitoidp.RiskExceptionConfigurationType{
			BlockedIPRangeList: []string{"192.0.2.0/24"},
			SkippedIPRangeList: []string{"10.0.0.0/8"},
		},
	}
}

func TestSetAndDescribe(t *testing.T) {
	e := newEnv(t)
	up := e.pool(t, cognitoidp.AdvancedSecurityModeTypeEnforced)
	poolID := *up.Id
	clientID := e.client(t, poolID)

	// Nothing set: the pool's answer names the pool and ALL.
	d, err := e.svc.DescribeRiskConfiguration(e.ctx, &cognitoidp.DescribeRiskConfigurationRequest{UserPoolId: api.Ptr(poolID)})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(d.RiskConfiguration.ClientId) != ALL || d.RiskConfiguration.AccountTakeoverRiskConfiguration != nil {
		t.Errorf("empty describe = %+v", d.RiskConfiguration)
	}

	set, err := e.svc.SetRiskConfiguration(e.ctx, fullConfig(poolID))
	if err != nil {
		t.Fatalf("SetRiskConfiguration: %v", err)
	}
	if api.Deref(set.RiskConfiguration.ClientId) != ALL || set.RiskConfiguration.LastModifiedDate == nil {
		t.Errorf("Set answer = %+v", set.RiskConfiguration)
	}
	// A client without its own configuration gets the pool's.
	d, err = e.svc.DescribeRiskConfiguration(e.ctx, &cognitoidp.DescribeRiskConfigurationRequest{UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID)})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(d.RiskConfiguration.ClientId) != ALL || d.RiskConfiguration.RiskExceptionConfiguration == nil {
		t.Errorf("client describe before its own = %+v", d.RiskConfiguration)
	}
	// The client's own replaces the pool's for it.
	own := &cognitoidp.SetRiskConfigurationRequest{UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID),
		RiskExceptionConfiguration: &cognitoidp.RiskExceptionConfigurationType{SkippedIPRangeList: []string{"0.0.0.0/0"}}}
	if _, err := e.svc.SetRiskConfiguration(e.ctx, own); err != nil {
		t.Fatal(err)
	}
	d, _ = e.svc.DescribeRiskConfiguration(e.ctx, &cognitoidp.DescribeRiskConfigurationRequest{UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID)})
	if api.Deref(d.RiskConfiguration.ClientId) != clientID || d.RiskConfiguration.AccountTakeoverRiskConfiguration != nil {
		t.Errorf("client describe after its own = %+v", d.RiskConfiguration)
	}
	// Clearing the client's brings the pool's back.
	if _, err := e.svc.SetRiskConfiguration(e.ctx, &cognitoidp.SetRiskConfigurationRequest{UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID)}); err != nil {
		t.Fatal(err)
	}
	d, _ = e.svc.DescribeRiskConfiguration(e.ctx, &cognitoidp.DescribeRiskConfigurationRequest{UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID)})
	if api.Deref(d.RiskConfiguration.ClientId) != ALL {
		t.Errorf("client describe after clearing = %+v", d.RiskConfiguration)
	}
}

func TestSetErrors(t *testing.T) {
	e := newEnv(t)
	up := e.pool(t, cognitoidp.AdvancedSecurityModeTypeEnforced)
	poolID := *up.Id
	_, err := e.svc.SetRiskConfiguration(e.ctx, &cognitoidp.SetRiskConfigurationRequest{UserPoolId: api.Ptr("us-east-1_missing")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = e.svc.SetRiskConfiguration(e.ctx, &cognitoidp.SetRiskConfigurationRequest{UserPoolId: api.Ptr(poolID), ClientId: api.Ptr("nosuchclient1234567890abcd")})
	wantCode(t, err, "ResourceNotFoundException")
	bad := fullConfig(poolID)
	bad.RiskExceptionConfiguration.BlockedIPRangeList = []string{"not-a-range"}
	_, err = e.svc.SetRiskConfiguration(e.ctx, bad)
	wantCode(t, err, "InvalidParameterException")
	noNotify := fullConfig(poolID)
	noNotify.AccountTakeoverRiskConfiguration.NotifyConfiguration = nil
	_, err = e.svc.SetRiskConfiguration(e.ctx, noNotify)
	wantCode(t, err, "InvalidParameterException")
	// Nothing was stored by the refused requests.
	d, _ := e.svc.DescribeRiskConfiguration(e.ctx, &cognitoidp.DescribeRiskConfigurationRequest{UserPoolId: api.Ptr(poolID)})
	if d.RiskConfiguration.RiskExceptionConfiguration != nil {
		t.Errorf("a refused Set stored %+v", d.RiskConfiguration)
	}
}

func TestBreachedList(t *testing.T) {
	e := newEnv(t)
	if !e.svc.breached.Contains(breachedPassword) || !e.svc.breached.Contains("hunter2") || e.svc.breached.Contains("correct horse") {
		t.Error("Contains disagrees with the list")
	}
	if e.svc.breached.Len() != 2 {
		t.Errorf("Len = %d", e.svc.breached.Len())
	}
	if _, err := ReadBreached(strings.NewReader("xyz\n")); err == nil {
		t.Error("a line that is not a hash was accepted")
	}
	var none *Breached
	if none.Contains(breachedPassword) {
		t.Error("a nil list contains a password")
	}
}

func TestCheckPassword(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		mode    cognitoidp.AdvancedSecurityModeType
		filter  []cognitoidp.EventFilterType
		event   cognitoidp.EventFilterType
		pw      string
		blocked bool
		found   bool
	}{
		{cognitoidp.AdvancedSecurityModeTypeEnforced, nil, cognitoidp.EventFilterTypeSignUp, breachedPassword, true, true},
		{cognitoidp.AdvancedSecurityModeTypeEnforced, nil, cognitoidp.EventFilterTypePasswordChange, breachedPassword, true, true},
		{cognitoidp.AdvancedSecurityModeTypeEnforced, nil, cognitoidp.EventFilterTypeSignUp, "Un1que-enough!", false, false},
		{cognitoidp.AdvancedSecurityModeTypeEnforced, []cognitoidp.EventFilterType{cognitoidp.EventFilterTypeSignIn}, cognitoidp.EventFilterTypeSignUp, breachedPassword, false, true},
		{cognitoidp.AdvancedSecurityModeTypeAudit, nil, cognitoidp.EventFilterTypeSignUp, breachedPassword, false, true},
		{cognitoidp.AdvancedSecurityModeTypeOff, nil, cognitoidp.EventFilterTypeSignUp, breachedPassword, false, false},
	} {
		up := e.pool(t, tc.mode)
		cfg := fullConfig(*up.Id)
		cfg.CompromisedCredentialsRiskConfiguration.EventFilter = tc.filter
		if _, err := e.svc.SetRiskConfiguration(e.ctx, cfg); err != nil {
			t.Fatal(err)
		}
		found, err := e.svc.CheckPassword(e.ctx, up, "", tc.event, tc.pw)
		if found != tc.found {
			t.Errorf("%s %v %s: found = %v", tc.mode, tc.filter, tc.event, found)
		}
		if tc.blocked {
			wantCode(t, err, "InvalidPasswordException")
		} else if err != nil {
			t.Errorf("%s %v %s: %v", tc.mode, tc.filter, tc.event, err)
		}
	}
}

func TestAssessSignIn(t *testing.T) {
	e := newEnv(t)
	enforced := e.pool(t, cognitoidp.AdvancedSecurityModeTypeEnforced)
	audit := e.pool(t, cognitoidp.AdvancedSecurityModeTypeAudit)
	off := e.pool(t, cognitoidp.AdvancedSecurityModeTypeOff)
	for _, up := range []*cognitoidp.UserPoolType{enforced, audit} {
		if _, err := e.svc.SetRiskConfiguration(e.ctx, fullConfig(*up.Id)); err != nil {
			t.Fatal(err)
		}
	}
	user := &storage.User{Key: "alice", Username: "alice", Attributes: map[string]string{"email": "alice@example.com"}}
	e.history["alice"] = []HistoryEntry{{Time: t0.Add(-time.Hour), Success: true, IP: "198.51.100.7"}}

	if d, err := e.svc.AssessSignIn(e.ctx, SignIn{Pool: off, User: user, IP: "192.0.2.1"}); d != nil || err != nil {
		t.Errorf("OFF pool assessed: %+v, %v", d, err)
	}

	// A known IP and device: low risk, no action.
	d, err := e.svc.AssessSignIn(e.ctx, SignIn{Pool: enforced, User: user, IP: "198.51.100.7"})
	if err != nil || d.Err != nil || d.Level != LevelLow || d.MFA != MFANone || *d.Risk.RiskDecision != cognitoidp.RiskDecisionTypeNorisk {
		t.Errorf("known IP: %+v, %v", d, err)
	}
	// A blocked range is refused whatever else.
	d, _ = e.svc.AssessSignIn(e.ctx, SignIn{Pool: enforced, User: user, IP: "192.0.2.44"})
	wantCode(t, d.Err, "NotAuthorizedException")
	if *d.Risk.RiskDecision != cognitoidp.RiskDecisionTypeBlock {
		t.Errorf("blocked range risk = %+v", d.Risk)
	}
	// ... but only recorded in AUDIT mode.
	d, _ = e.svc.AssessSignIn(e.ctx, SignIn{Pool: audit, User: user, IP: "192.0.2.44"})
	if d.Err != nil || *d.Risk.RiskDecision != cognitoidp.RiskDecisionTypeBlock {
		t.Errorf("AUDIT blocked range: %+v", d)
	}
	// A skipped range is never evaluated, even with a breached password.
	d, _ = e.svc.AssessSignIn(e.ctx, SignIn{Pool: enforced, User: user, IP: "10.1.2.3", NewDevice: true, Password: breachedPassword})
	if d.Err != nil || d.Compromised {
		t.Errorf("skipped range: %+v", d)
	}
	// A breached password on a plaintext sign-in: reset required.
	d, _ = e.svc.AssessSignIn(e.ctx, SignIn{Pool: enforced, User: user, IP: "198.51.100.7", Password: breachedPassword})
	wantCode(t, d.Err, "PasswordResetRequiredException")
	if !d.ResetRequired || !*d.Risk.CompromisedCredentialsDetected {
		t.Errorf("breached password: %+v", d)
	}
	// New IP + new device: medium, MFA if configured.
	d, _ = e.svc.AssessSignIn(e.ctx, SignIn{Pool: enforced, User: user, IP: "198.51.100.99", NewDevice: true})
	if d.Err != nil || d.Level != LevelMedium || d.MFA != MFAIfConfigured || *d.Risk.RiskDecision != cognitoidp.RiskDecisionTypeAccounttakeover {
		t.Errorf("new IP and device: %+v", d)
	}
	// Paris an hour ago, Sydney now: impossible travel, high, blocked and notified.
	d, _ = e.svc.AssessSignIn(e.ctx, SignIn{Pool: enforced, User: user, IP: "203.0.113.5"})
	if d.Level != LevelHigh || !d.Notify {
		t.Fatalf("impossible travel: %+v", d)
	}
	wantCode(t, d.Err, "NotAuthorizedException")
	err = e.svc.Notify(e.ctx, NotifyInput{Pool: enforced, User: user, Decision: d, EventID: "ev1", IP: "203.0.113.5",
		Links: func(id string) (string, string, error) {
			return "https://cogito.test/valid/" + id, "https://cogito.test/invalid/" + id, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.sent) != 1 {
		t.Fatalf("sent %d notifications", len(e.sent))
	}
	m := e.sent[0]
	if m.Destination != "alice@example.com" || m.Subject != "Blocked" || m.Body != "Blocked alice from 203.0.113.5 in Sydney. Mine: https://cogito.test/valid/ev1" || m.Kind != KindTakeoverNotification {
		t.Errorf("notification = %+v", m)
	}
	// Failed attempts pile up.
	e.history["bob"] = []HistoryEntry{{Time: t0.Add(-time.Hour), Success: true, IP: "198.51.100.7"}}
	for range 4 {
		e.history["bob"] = append([]HistoryEntry{{Time: t0.Add(-time.Minute), IP: "198.51.100.7"}}, e.history["bob"]...)
	}
	d, _ = e.svc.AssessSignIn(e.ctx, SignIn{Pool: enforced, User: &storage.User{Key: "bob"}, IP: "198.51.100.7"})
	if d.Level != LevelMedium {
		t.Errorf("after 4 failures: %+v", d)
	}
}
