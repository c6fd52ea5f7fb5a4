package account

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// The custom message trigger sees the request's ClientMetadata and may
// rewrite the message.
func TestVerifyCustomMessage(t *testing.T) {
	var seen *signup.CustomMessageInput
	e := newEnv(t, func(c *Config) {
		c.CustomMessage = func(_ context.Context, in *signup.CustomMessageInput) (*signup.CustomMessageOutput, error) {
			seen = in
			return &signup.CustomMessageOutput{EmailSubject: "Verify", EmailMessage: "Code: {####}"}, nil
		}
	})
	s := e.signIn(t)
	_, err := e.svc.GetUserAttributeVerificationCode(e.ctx, &cognitoidp.GetUserAttributeVerificationCodeRequest{
		AccessToken: &s.access, AttributeName: api.Ptr("email"), ClientMetadata: map[string]string{"app": "web"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen == nil || seen.TriggerSource != "CustomMessage_VerifyUserAttribute" || seen.ClientMetadata["app"] != "web" ||
		seen.ClientID != s.client || seen.Username != "jane" || seen.UserAttributes["sub"] != s.user.Sub {
		t.Fatalf("trigger input %+v", seen)
	}
	m := e.outbox(t, s.pool)[0]
	if m.Subject != "Verify" || m.Body != "Code: "+m.Code {
		t.Errorf("message %q / %q", m.Subject, m.Body)
	}
}

// A message the SMS webhook refused is CodeDeliveryFailureException; the
// outbox has it.
func TestVerifyDeliveryFailure(t *testing.T) {
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer hook.Close()
	e := newEnv(t)
	sender, err := message.NewSender(message.Config{SMSWebhookURL: hook.URL}, message.Options{Store: e.sql, Clock: e.clk})
	if err != nil {
		t.Fatal(err)
	}
	e.reconfigure(func(c *Config) { c.Sender = sender })
	s := e.signIn(t)
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Attributes["phone_number"] = "+12065551234" })
	_, err = getCode(e, s.access, "phone_number")
	wantErr(t, err, "CodeDeliveryFailureException", "Invalid phone number provided/Unable to send the SMS")
	if ms := e.outbox(t, s.pool); len(ms) != 1 || ms[0].DeliveryMedium != "SMS" {
		t.Errorf("outbox %+v", ms)
	}
	// The code in the outbox still works.
	if err := verify(e, s.access, "phone_number", e.lastCode(t, s.pool)); err != nil {
		t.Fatal(err)
	}
}
