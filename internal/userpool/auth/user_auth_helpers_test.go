package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// recSender records the messages it is given; fail makes Send answer a
// delivery failure after recording (as the real sender does once the
// message is in the outbox).
type recSender struct {
	mu   sync.Mutex
	msgs []*message.Message
	fail bool
}

func (r *recSender) Send(_ context.Context, _ *cognitoidp.UserPoolType, m *message.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	if r.fail {
		return &message.DeliveryError{Medium: m.Medium, Via: "smtp", Err: errors.New("refused")}
	}
	return nil
}

func (r *recSender) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// last is the last message sent.
func (r *recSender) last(t testing.TB) *message.Message {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) == 0 {
		t.Fatal("no message sent")
	}
	return r.msgs[len(r.msgs)-1]
}

// fakePasskeys is an auth.Passkeys: users listed in has have a passkey; the
// assertion options name the user, the state is "state:<user key>", and the
// good answer is "good:" + state.
type fakePasskeys struct {
	mu       sync.Mutex
	has      map[string]bool
	finished []string
}

func (f *fakePasskeys) HasCredentials(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.has[u.Key], nil
}

func (f *fakePasskeys) BeginLogin(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User) (string, []byte, error) {
	return `{"challenge":"abc","rpId":"localhost","userVerification":"preferred"}`, []byte("state:" + u.Key), nil
}

func (f *fakePasskeys) FinishLogin(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User, state []byte, cred string) error {
	if cred != "good:"+string(state) {
		return cognitoidp.NewNotAuthorizedException("Authentication failed.")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finished = append(f.finished, u.Key)
	return nil
}

// recStep is a NextStep that issues tokens at once and records what it was
// told.
type recStep struct {
	mu       sync.Mutex
	attempts []*Attempt
}

func (r *recStep) Next(_ context.Context, a *Attempt) (*Step, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts = append(r.attempts, a)
	return &Step{}, nil
}

func (r *recStep) Respond(context.Context, *Attempt, cognitoidp.ChallengeNameType, map[string]string, []byte) (*Step, error) {
	return nil, errors.New("recStep issues no challenge")
}

func (r *recStep) last(t testing.TB) *Attempt {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.attempts) == 0 {
		t.Fatal("NextStep not called")
	}
	return r.attempts[len(r.attempts)-1]
}

// uaEnv is an env for choice-based sign-in: a sender, passkeys and a
// NextStep recorder, a pool offering every first factor, an app client with
// ALLOW_USER_AUTH, and the user "alice" with a password, a verified email
// and a verified phone number.
type uaEnv struct {
	*env
	sender   *recSender
	passkeys *fakePasskeys
	next     *recStep
	poolID   string
	clientID string
	alice    *storage.User
}

// allFactors is the SignInPolicy of the test pools.
var allFactors = []cognitoidp.AuthFactorType{
	cognitoidp.AuthFactorTypePassword, cognitoidp.AuthFactorTypeEmailOtp,
	cognitoidp.AuthFactorTypeSmsOtp, cognitoidp.AuthFactorTypeWebAuthn,
}

// userAuthFlows are the flows of the test clients.
var userAuthFlows = []cognitoidp.ExplicitAuthFlowsType{
	cognitoidp.ExplicitAuthFlowsTypeAllowUserAuth, cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

func newUAEnv(t testing.TB, mut ...func(*Config)) *uaEnv {
	t.Helper()
	u := &uaEnv{sender: &recSender{}, passkeys: &fakePasskeys{has: map[string]bool{}}, next: &recStep{}}
	u.env = newEnv(t, append([]func(*Config){func(c *Config) {
		c.Sender = u.sender
		c.Passkeys = u.passkeys
		c.NextStep = u.next
	}}, mut...)...)
	u.poolID = u.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.Policies = &cognitoidp.UserPoolPolicyType{SignInPolicy: &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: allFactors}}
	})
	u.clientID = u.uaClient(nil)
	u.alice = u.confirmedUser(u.poolID, "alice", goodPassword,
		"email", "alice@example.com", "email_verified", "true",
		"phone_number", "+15551234567", "phone_number_verified", "true")
	return u
}

// uaClient creates an app client with ALLOW_USER_AUTH.
func (u *uaEnv) uaClient(mut func(*cognitoidp.CreateUserPoolClientRequest)) string {
	return *u.client(u.poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = userAuthFlows
		if mut != nil {
			mut(in)
		}
	}).ClientId
}

// userAuth calls InitiateAuth USER_AUTH.
func (u *uaEnv) userAuth(clientID string, kv ...string) (*cognitoidp.InitiateAuthResponse, error) {
	return u.initiate(clientID, cognitoidp.AuthFlowTypeUserAuth, kv...)
}

// authResponse is any sign-in operation's response.
type authResponse interface {
	*cognitoidp.InitiateAuthResponse | *cognitoidp.AdminInitiateAuthResponse | *cognitoidp.RespondToAuthChallengeResponse
}

// parts are a response's challenge, session and tokens.
func parts[R authResponse](r R) (cognitoidp.ChallengeNameType, string, *cognitoidp.AuthenticationResultType) {
	switch v := any(r).(type) {
	case *cognitoidp.InitiateAuthResponse:
		return api.Deref(v.ChallengeName), api.Deref(v.Session), v.AuthenticationResult
	case *cognitoidp.AdminInitiateAuthResponse:
		return api.Deref(v.ChallengeName), api.Deref(v.Session), v.AuthenticationResult
	case *cognitoidp.RespondToAuthChallengeResponse:
		return api.Deref(v.ChallengeName), api.Deref(v.Session), v.AuthenticationResult
	}
	return "", "", nil
}

// mustChallenge checks a response is the challenge want with a session,
// and returns the session.
func mustChallenge[R authResponse](t testing.TB, r R, err error, want cognitoidp.ChallengeNameType) string {
	t.Helper()
	if err != nil {
		t.Fatalf("want %s, got error %v", want, err)
	}
	name, session, auth := parts(r)
	if name != want || auth != nil {
		t.Fatalf("challenge = %q (tokens %v), want %s", name, auth != nil, want)
	}
	if session == "" {
		t.Fatalf("%s without a Session", want)
	}
	return session
}

// mustTokens checks a response carries tokens.
func mustTokens[R authResponse](t testing.TB, r R, err error) *cognitoidp.AuthenticationResultType {
	t.Helper()
	if err != nil {
		t.Fatalf("want tokens, got error %v", err)
	}
	name, _, auth := parts(r)
	if auth == nil || api.Deref(auth.AccessToken) == "" {
		t.Fatalf("want tokens, got challenge %q", name)
	}
	return auth
}

// code is the code of the last message, checked to have otpLength digits.
func (u *uaEnv) code(t testing.TB) string {
	t.Helper()
	m := u.sender.last(t)
	if len(m.Code) != otpLength || strings.Trim(m.Code, "0123456789") != "" {
		t.Fatalf("code %q is not %d digits", m.Code, otpLength)
	}
	if !strings.Contains(m.Body, m.Code) {
		t.Fatalf("message body %q does not hold the code", m.Body)
	}
	return m.Code
}

// setUser changes a stored user.
func (u *uaEnv) setUser(name string, fn func(*storage.User)) *storage.User {
	u.t.Helper()
	cur := u.user(u.poolID, name)
	out, err := u.sql.UpdateUser(u.ctx, u.poolID, cur.Key, func(x *storage.User) error { fn(x); return nil })
	if err != nil {
		u.t.Fatal(err)
	}
	return out
}

// authenticateAs is a Config.Authenticate that admits every token as the
// stored user named by it ("<pool>|<username>").
func authenticateAs(e *env) func(context.Context, *string) (*account.Caller, error) {
	return func(ctx context.Context, tok *string) (*account.Caller, error) {
		pool, name, ok := strings.Cut(api.Deref(tok), "|")
		if !ok {
			return nil, cognitoidp.NewNotAuthorizedException("Invalid Access Token")
		}
		up, err := e.pools.DescribeUserPool(ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr(pool)})
		if err != nil {
			return nil, err
		}
		u, _, _, err := e.users.Find(ctx, pool, name)
		if err != nil {
			return nil, err
		}
		return &account.Caller{Pool: up.UserPool, User: u}, nil
	}
}

// mfaInfo is a Config.MFA showing TOTP preferred.
func mfaInfo(context.Context, *cognitoidp.UserPoolType, *storage.User) (users.MFAInfo, error) {
	return users.MFAInfo{Preferred: "SOFTWARE_TOKEN_MFA", Enabled: []string{"SOFTWARE_TOKEN_MFA"}}, nil
}

// customMessage is a Config.CustomMessage that rewrites the email.
func customMessage(_ context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error) {
	if in.TriggerSource != "CustomMessage_Authentication" {
		return nil, errors.New("unexpected trigger source " + in.TriggerSource)
	}
	return &signup.CustomMessageOutput{EmailSubject: "Sign in", EmailMessage: "Code for " + in.UserAttributes["email"] + ": " + in.CodeParameter}, nil
}
