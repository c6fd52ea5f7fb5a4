package users

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

// A message the outbox recorded but the SMS webhook refused is Cognito's
// CodeDeliveryFailureException; the user is created all the same.
func TestDeliveryFailure(t *testing.T) {
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer hook.Close()
	e := newEnv(t, func(c *Config) {
		s, err := message.NewSender(message.Config{SMSWebhookURL: hook.URL}, message.Options{Store: c.Store.(storage.MessageStore), Clock: c.Clock})
		if err != nil {
			t.Fatal(err)
		}
		c.Sender = s
	})
	pool := e.pool(t, nil)
	_, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"), UserAttributes: attrList("phone_number", "+15550001")})
	wantErr(t, err, "CodeDeliveryFailureException", "Invalid phone number provided/Unable to send the SMS")
	if u := e.user(t, pool, "jane"); u.Status != "FORCE_CHANGE_PASSWORD" {
		t.Errorf("status %s", u.Status)
	}
	if m := e.outbox(t, pool); len(m) != 1 || m[0].DeliveryMedium != "SMS" {
		t.Errorf("outbox %+v", m)
	}
	// Emails (no SMTP configured) stay in the outbox and succeed.
	if _, err := e.create(t, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("john"), UserAttributes: attrList("email", "john@example.com"),
		DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"}}); err != nil {
		t.Fatal(err)
	}
}
