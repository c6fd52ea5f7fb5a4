package message

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestDeliveryFailureHook: the hook hears of failed deliveries only, after the
// message is in the outbox.
func TestDeliveryFailureHook(t *testing.T) {
	status := http.StatusBadGateway
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
	}))
	defer hook.Close()
	s, f := newSender(t, Config{SMSWebhookURL: hook.URL}, nil)
	var got []error
	s.OnDeliveryFailure(func(ctx context.Context, m *Message, err error) {
		if len(f.store.all()) == 0 {
			t.Error("hook called before the outbox write")
		}
		if m.Code != "" && m.Medium != SMS {
			t.Errorf("message %v", m)
		}
		got = append(got, err)
	})
	if err := s.Send(context.Background(), bare(), smsMessage(t)); err == nil {
		t.Fatal("delivery to a failing webhook succeeded")
	}
	var de *DeliveryError
	if len(got) != 1 || !errors.As(got[0], &de) || de.Via != "webhook" {
		t.Fatalf("hook got %v", got)
	}
	status = http.StatusOK
	if err := s.Send(context.Background(), bare(), smsMessage(t)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("hook called for a delivered message: %v", got)
	}
}
