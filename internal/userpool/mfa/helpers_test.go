package mfa

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/totp"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// t0 is the fake clock's start.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const goodPassword = "Passw0rd!"

// env is the MFA service wired as the server wires it: the real sign-in,
// account, token, user and pool services on SQLite with a fake clock, and a
// fake Devices.
type env struct {
	t       testing.TB
	ctx     context.Context
	st      *sqlstore.Store
	clk     *clock.Fake
	pools   *pools.Service
	clients *clients.Service
	users   *users.Service
	account *account.Service
	auth    *auth.Service
	svc     *Service
	devices *fakeDevices
	events  *recEvents
	sent    *recMessages
}

// newEnv builds the services; mut may change the MFA Config (Devices is the
// fake unless mut sets it to nil).
func newEnv(t testing.TB, mut ...func(*Config)) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	sealer, err := keys.NewSealer(bytes.Repeat([]byte{9}, keys.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	km := keys.New(st, sealer, clk, logger)
	t.Cleanup(func() { km.Close() })
	tokens := token.New(token.Config{
		Keys: km, Sealer: sealer, Store: st, Clock: clk, Logger: logger,
		Issuer: func(poolID string) string { return "https://cognito-idp.us-east-1.amazonaws.com/" + poolID },
	})
	sender, err := message.NewSender(message.Config{}, message.Options{Store: st, Clock: clk, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: context.Background(), st: st, clk: clk, devices: newFakeDevices(), events: &recEvents{}}
	e.sent = &recMessages{next: sender}
	e.pools = pools.New(pools.Config{Store: st, Keys: km, Clock: clk, Region: "us-east-1", AccountID: "123456789012", Logger: logger})
	e.clients = clients.New(clients.Config{Store: st, Sealer: sealer, Clock: clk, Region: "us-east-1", AccountID: "123456789012", Logger: logger})
	e.users = users.New(users.Config{Store: st, Sender: sender, Clock: clk, Logger: logger, MFA: Info})
	e.account = account.New(account.Config{
		Store: st, Clients: e.clients, Tokens: tokens, Sender: sender, Sealer: sealer,
		Clock: clk, Logger: logger, WriteAttributes: e.users.WriteAttributes, MFA: Info,
	})
	cfg := Config{
		Store: st, Sender: e.sent, Sealer: sealer, Accounts: e.account, Devices: e.devices,
		Clock: clk, Logger: logger,
	}
	for _, m := range mut {
		m(&cfg)
	}
	e.svc = New(cfg)
	e.auth = auth.New(auth.Config{
		Store: st, Clients: e.clients, Tokens: tokens, Sealer: sealer,
		Events: e.events, NextStep: e.svc, Clock: clk, Logger: logger,
	})
	e.svc.UseSessions(e.auth)
	return e
}

// recEvents records the auth events sign-in reports.
type recEvents struct {
	mu     sync.Mutex
	events []account.Event
}

func (r *recEvents) RecordEvent(_ context.Context, _ *cognitoidp.UserPoolType, _ *storage.User, ev account.Event) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return "", nil
}

func (r *recEvents) last() account.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return account.Event{}
	}
	return r.events[len(r.events)-1]
}

// recMessages keeps what was sent (code included) and passes it on.
type recMessages struct {
	mu   sync.Mutex
	msgs []*message.Message
	next Sender
	fail error // when set, Send fails with it (after the outbox)
}

func (r *recMessages) Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	fail := r.fail
	r.mu.Unlock()
	if err := r.next.Send(ctx, pool, m); err != nil {
		return err
	}
	return fail
}

func (r *recMessages) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// lastCode is the code of the last message sent.
func (e *env) lastCode() string {
	e.t.Helper()
	r := e.sent
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) == 0 {
		e.t.Fatal("no message was sent")
	}
	return r.msgs[len(r.msgs)-1].Code
}

func (e *env) lastMessage() *message.Message {
	e.t.Helper()
	r := e.sent
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) == 0 {
		e.t.Fatal("no message was sent")
	}
	return r.msgs[len(r.msgs)-1]
}

// pool creates a pool; mut edits the request first.
func (e *env) pool(mut func(*cognitoidp.CreateUserPoolRequest)) string {
	e.t.Helper()
	in := &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("mfa")}
	if mut != nil {
		mut(in)
	}
	out, err := e.pools.CreateUserPool(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

// sesPool is a pool that sends email through SES (what email MFA needs).
func sesPool(in *cognitoidp.CreateUserPoolRequest) {
	in.EmailConfiguration = &cognitoidp.EmailConfigurationType{
		EmailSendingAccount: api.Ptr(cognitoidp.EmailSendingAccountTypeDeveloper),
		SourceArn:           api.Ptr("arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com"),
	}
}

// trackingPool remembers devices; challenge is ChallengeRequiredOnNewDevice.
func trackingPool(challenge bool) func(*cognitoidp.CreateUserPoolRequest) {
	return func(in *cognitoidp.CreateUserPoolRequest) {
		sesPool(in)
		in.DeviceConfiguration = &cognitoidp.DeviceConfigurationType{ChallengeRequiredOnNewDevice: challenge}
	}
}

// configure calls SetUserPoolMfaConfig and fails the test on error.
func (e *env) configure(poolID string, mode cognitoidp.UserPoolMfaType, factors ...string) {
	e.t.Helper()
	in := &cognitoidp.SetUserPoolMfaConfigRequest{UserPoolId: api.Ptr(poolID), MfaConfiguration: api.Ptr(mode)}
	for _, f := range factors {
		switch f {
		case FactorSMS:
			in.SmsMfaConfiguration = &cognitoidp.SmsMfaConfigType{SmsAuthenticationMessage: api.Ptr("Your code is {####}")}
		case FactorTOTP:
			in.SoftwareTokenMfaConfiguration = &cognitoidp.SoftwareTokenMfaConfigType{Enabled: true}
		case FactorEmail:
			in.EmailMfaConfiguration = &cognitoidp.EmailMfaConfigType{Subject: api.Ptr("Sign-in code"), Message: api.Ptr("Code: {####}")}
		}
	}
	if _, err := e.svc.SetUserPoolMfaConfig(e.ctx, in); err != nil {
		e.t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
}

// client creates an app client with the password and SRP flows.
func (e *env) client(poolID string) string {
	e.t.Helper()
	out, err := e.clients.CreateUserPoolClient(e.ctx, &cognitoidp.CreateUserPoolClientRequest{
		UserPoolId: api.Ptr(poolID), ClientName: api.Ptr("app"),
		ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{
			cognitoidp.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			cognitoidp.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
			cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	if err != nil {
		e.t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return *out.UserPoolClient.ClientId
}

// user makes a CONFIRMED user with goodPassword and attributes kv.
func (e *env) user(poolID, username string, kv ...string) *storage.User {
	e.t.Helper()
	var list []cognitoidp.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		list = append(list, cognitoidp.AttributeType{Name: api.Ptr(kv[i]), Value: api.Ptr(kv[i+1])})
	}
	if _, err := e.users.AdminCreateUser(e.ctx, &cognitoidp.AdminCreateUserRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr(username), TemporaryPassword: api.Ptr("Temp0rary!"),
		UserAttributes: list, MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress),
	}); err != nil {
		e.t.Fatalf("AdminCreateUser(%s): %v", username, err)
	}
	if _, err := e.users.AdminSetUserPassword(e.ctx, &cognitoidp.AdminSetUserPasswordRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr(username), Password: api.Ptr(goodPassword), Permanent: true,
	}); err != nil {
		e.t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
	}
	return e.load(poolID, username)
}

// load reads a user.
func (e *env) load(poolID, username string) *storage.User {
	e.t.Helper()
	u, err := e.st.GetUser(e.ctx, poolID, strings.ToLower(username))
	if err != nil {
		e.t.Fatalf("GetUser(%s): %v", username, err)
	}
	return u
}

// signIn starts USER_PASSWORD_AUTH; kv are extra AuthParameters.
func (e *env) signIn(clientID, username string, kv ...string) (*cognitoidp.InitiateAuthResponse, error) {
	return e.auth.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth),
		AuthParameters: params(append([]string{"USERNAME", username, "PASSWORD", goodPassword}, kv...)...),
	})
}

// mustSignIn signs in and fails the test on error.
func (e *env) mustSignIn(clientID, username string, kv ...string) *cognitoidp.InitiateAuthResponse {
	e.t.Helper()
	out, err := e.signIn(clientID, username, kv...)
	if err != nil {
		e.t.Fatalf("InitiateAuth(%s): %v", username, err)
	}
	return out
}

// tokensOf signs in expecting tokens at once.
func (e *env) tokensOf(clientID, username string) *cognitoidp.AuthenticationResultType {
	e.t.Helper()
	out := e.mustSignIn(clientID, username)
	if out.AuthenticationResult == nil {
		e.t.Fatalf("sign-in of %s: challenge %s, want tokens", username, api.Deref(out.ChallengeName))
	}
	return out.AuthenticationResult
}

// respond calls RespondToAuthChallenge.
func (e *env) respond(clientID string, challenge cognitoidp.ChallengeNameType, session *string, kv ...string) (*cognitoidp.RespondToAuthChallengeResponse, error) {
	return e.auth.RespondToAuthChallenge(e.ctx, &cognitoidp.RespondToAuthChallengeRequest{
		ClientId: api.Ptr(clientID), ChallengeName: api.Ptr(challenge), Session: session, ChallengeResponses: params(kv...),
	})
}

// mustRespond responds and fails the test on error.
func (e *env) mustRespond(clientID string, challenge cognitoidp.ChallengeNameType, session *string, kv ...string) *cognitoidp.RespondToAuthChallengeResponse {
	e.t.Helper()
	out, err := e.respond(clientID, challenge, session, kv...)
	if err != nil {
		e.t.Fatalf("RespondToAuthChallenge(%s): %v", challenge, err)
	}
	return out
}

// setupTOTP associates and verifies a software token for the signed-in
// user and turns it on (preferred), returning the secret.
func (e *env) setupTOTP(accessToken string) []byte {
	e.t.Helper()
	out, err := e.svc.AssociateSoftwareToken(e.ctx, &cognitoidp.AssociateSoftwareTokenRequest{AccessToken: api.Ptr(accessToken)})
	if err != nil {
		e.t.Fatalf("AssociateSoftwareToken: %v", err)
	}
	secret, err := totp.Decode(*out.SecretCode)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.VerifySoftwareToken(e.ctx, &cognitoidp.VerifySoftwareTokenRequest{
		AccessToken: api.Ptr(accessToken), UserCode: api.Ptr(totp.Cognito.Code(secret, e.clk.Now())),
	}); err != nil {
		e.t.Fatalf("VerifySoftwareToken: %v", err)
	}
	if _, err := e.svc.SetUserMFAPreference(e.ctx, &cognitoidp.SetUserMFAPreferenceRequest{
		AccessToken:              api.Ptr(accessToken),
		SoftwareTokenMfaSettings: &cognitoidp.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		e.t.Fatalf("SetUserMFAPreference: %v", err)
	}
	e.clk.Advance(30 * time.Second) // the next code is a new step
	return secret
}

// adminPrefs calls AdminSetUserMFAPreference.
func (e *env) adminPrefs(poolID, username string, in *cognitoidp.AdminSetUserMFAPreferenceRequest) error {
	in.UserPoolId, in.Username = api.Ptr(poolID), api.Ptr(username)
	_, err := e.svc.AdminSetUserMFAPreference(e.ctx, in)
	return err
}

func params(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// wantErr checks that err is the Cognito error code with message msg ("" any).
func wantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("err = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

// fakeDevices is an mfa.Devices: devices by key, and a device SRP "proof"
// that is simply the answer "PROOF-"+key.
type fakeDevices struct {
	mu            sync.Mutex
	devices       map[string]*DeviceInfo
	issued        []string
	authenticated []string
}

func newFakeDevices() *fakeDevices { return &fakeDevices{devices: map[string]*DeviceInfo{}} }

func (f *fakeDevices) add(key string, confirmed, remembered bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.devices[key] = &DeviceInfo{Key: key, Confirmed: confirmed, Remembered: remembered}
}

func (f *fakeDevices) Lookup(_ context.Context, _ *cognitoidp.UserPoolType, _ *storage.User, key string) (*DeviceInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devices[key]
	if d == nil {
		return nil, nil
	}
	c := *d
	return &c, nil
}

func (f *fakeDevices) StartSRP(_ context.Context, _ *cognitoidp.UserPoolType, _ *storage.User, key string, responses map[string]string) (map[string]string, []byte, error) {
	if responses["SRP_A"] == "" {
		return nil, nil, cognitoidp.NewInvalidParameterException("Missing required parameter SRP_A")
	}
	return map[string]string{"SRP_B": "0b", "SALT": "5a", "SECRET_BLOCK": "sb", "DEVICE_KEY": key}, []byte("state-" + key), nil
}

func (f *fakeDevices) VerifySRP(_ context.Context, _ *cognitoidp.UserPoolType, _ *storage.User, key string, state []byte, responses map[string]string) error {
	if string(state) != "state-"+key || responses["PASSWORD_CLAIM_SIGNATURE"] != "PROOF-"+key {
		return cognitoidp.NewNotAuthorizedException("Incorrect username or password.")
	}
	return nil
}

func (f *fakeDevices) NewDevice(_ context.Context, _ *cognitoidp.UserPoolType, _ string, _ *storage.User) (*cognitoidp.NewDeviceMetadataType, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := fmt.Sprintf("us-east-1_%08d-0000-0000-0000-000000000000", len(f.issued)+1)
	f.issued = append(f.issued, key)
	return &cognitoidp.NewDeviceMetadataType{DeviceKey: api.Ptr(key), DeviceGroupKey: api.Ptr("-group")}, nil
}

func (f *fakeDevices) Authenticated(_ context.Context, _ *cognitoidp.UserPoolType, _ *storage.User, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.authenticated = append(f.authenticated, key)
	return nil
}

var _ Devices = (*fakeDevices)(nil)
