package message

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// A custom sender that handles a message replaces SMTP and the webhook; the
// outbox keeps the message; one that declines leaves delivery as it was.
func TestUseCustomSender(t *testing.T) {
	var hits atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer hook.Close()
	s, f := newSender(t, Config{SMSWebhookURL: hook.URL}, nil)
	var handed []*Message
	s.UseCustomSender(func(_ context.Context, _ *cognitoidp.UserPoolType, m *Message) (bool, error) {
		if m.Medium != SMS {
			return false, nil
		}
		handed = append(handed, m)
		if m.Code == "000000" {
			return true, errors.New("sender failed")
		}
		return true, nil
	})
	sms := &Message{PoolID: testPool, Username: "jane", Destination: "+15555551234", Medium: SMS, Kind: KindSignUp, Body: "code 123456", Code: "123456",
		ClientID: "c1", ClientMetadata: map[string]string{"k": "v"}}
	if err := s.Send(context.Background(), bare(), sms); err != nil {
		t.Fatal(err)
	}
	if len(handed) != 1 || hits.Load() != 0 || len(f.store.all()) != 1 || !strings.Contains(f.log.String(), "via=custom_sender") {
		t.Errorf("handed %d, webhook hits %d, outbox %d, log %s", len(handed), hits.Load(), len(f.store.all()), f.log.String())
	}
	if handed[0].ClientID != "c1" || handed[0].ClientMetadata["k"] != "v" {
		t.Errorf("handed message = %+v", handed[0])
	}
	bad := *sms
	bad.ID, bad.Code = "", "000000"
	if err := s.Send(context.Background(), bare(), &bad); err == nil || !strings.Contains(err.Error(), "sender failed") {
		t.Errorf("a failing sender's error = %v", err)
	}
	// Email: declined, so the outbox-only path as before.
	if err := s.Send(context.Background(), bare(), signUpEmail(t)); err != nil {
		t.Fatal(err)
	}
	if len(handed) != 2 || len(f.store.all()) != 3 || !strings.Contains(f.log.String(), "via=outbox") {
		t.Errorf("after email: handed %d, outbox %d", len(handed), len(f.store.all()))
	}
}
