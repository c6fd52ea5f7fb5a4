package mfa

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/totp"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// The custom message trigger (CustomMessage_Authentication) may rewrite the
// code's message and sees the request's ClientMetadata.
func TestCustomMessageHook(t *testing.T) {
	var got *signup.CustomMessageInput
	e := newEnv(t, func(c *Config) {
		c.CustomMessage = func(_ context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error) {
			got = in
			return &signup.CustomMessageOutput{SMSMessage: "Hook says {####}"}, nil
		}
	})
	poolID := e.pool(nil)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOn, FactorSMS)
	clientID := e.client(poolID)
	e.user(poolID, "hook", "phone_number", "+12065550142")
	out, err := e.auth.InitiateAuth(e.ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth),
		AuthParameters: params("USERNAME", "hook", "PASSWORD", goodPassword), ClientMetadata: map[string]string{"app": "e2e"},
	})
	if err != nil || api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeSmsMfa {
		t.Fatalf("InitiateAuth = %v, %v", out, err)
	}
	if got == nil || got.TriggerSource != "CustomMessage_Authentication" || got.CodeParameter != "{####}" ||
		got.ClientMetadata["app"] != "e2e" || got.ClientID != clientID || got.BodyTemplate != "Your code is {####}" ||
		got.UserAttributes["phone_number"] != "+12065550142" {
		t.Fatalf("hook input %+v", got)
	}
	m := e.lastMessage()
	if m.Body != "Hook says "+m.Code {
		t.Fatalf("body %q", m.Body)
	}
	if res := e.mustRespond(clientID, "SMS_MFA", out.Session, "USERNAME", "hook", "SMS_MFA_CODE", m.Code); res.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
}

// A code the SMS webhook or SMTP refused is CodeDeliveryFailureException.
func TestCodeDeliveryFailure(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOn, FactorSMS)
	clientID := e.client(poolID)
	e.user(poolID, "nodeliv", "phone_number", "+12065550143")
	e.sent.fail = &message.DeliveryError{Via: "webhook", Err: fmt.Errorf("connection refused")}
	_, err := e.signIn(clientID, "nodeliv")
	wantErr(t, err, "CodeDeliveryFailureException", msgSMSDeliveryFailed)
}

// Two sign-ins racing with the same TOTP code: one wins.
func TestConcurrentTOTPReplay(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorTOTP)
	clientID := e.client(poolID)
	e.user(poolID, "race")
	e.setState(poolID, "race", true, func(s *userState) { s.TOTP = true })
	const n = 4
	sessions := make([]*string, n)
	for i := range n {
		out := e.mustSignIn(clientID, "race")
		sessions[i] = out.Session
	}
	code := totp.Cognito.Code(secret1, e.clk.Now())
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.respond(clientID, "SOFTWARE_TOKEN_MFA", sessions[i], "USERNAME", "race", "SOFTWARE_TOKEN_MFA_CODE", code)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantErr(t, err, "CodeMismatchException", msgCodeMismatch)
	}
	if ok != 1 {
		t.Fatalf("%d sign-ins accepted the same code, want 1 (%v)", ok, errs)
	}
}
