package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// outboxMessage is one message as GET /_cogito/messages shows it.
type outboxMessage struct {
	ID             string `json:"id"`
	UserPoolID     string `json:"userPoolId"`
	Username       string `json:"username"`
	Destination    string `json:"destination"`
	DeliveryMedium string `json:"deliveryMedium"`
	Kind           string `json:"kind"`
	Subject        string `json:"subject"`
	Body           string `json:"body"`
	Code           string `json:"code"`
	CreatedAt      string `json:"createdAt"`
}

// outbox returns the messages sent to a user of a pool, oldest first.
// username is the internal username (the sub in pools whose usernames are
// email addresses or phone numbers).
func outbox(t testing.TB, c *cogito, poolID, username string) []outboxMessage {
	t.Helper()
	q := url.Values{"userPoolId": {poolID}, "username": {username}}
	resp, err := c.HTTP.Get(c.URL + "/_cogito/messages?" + q.Encode())
	if err != nil {
		t.Fatalf("GET /_cogito/messages: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_cogito/messages: status %d", resp.StatusCode)
	}
	var out struct {
		Messages []outboxMessage `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("GET /_cogito/messages: decode: %v", err)
	}
	for _, m := range out.Messages {
		if m.UserPoolID != poolID || m.Username != username {
			t.Fatalf("outbox filtered by %s/%s returned a message for %s/%s", poolID, username, m.UserPoolID, m.Username)
		}
	}
	return out.Messages
}

// lastMessage returns the newest message to a user, checking its kind and
// that there are want messages in all.
func lastMessage(t testing.TB, c *cogito, poolID, username, kind string, want int) outboxMessage {
	t.Helper()
	msgs := outbox(t, c, poolID, username)
	if len(msgs) != want {
		t.Fatalf("outbox of %s has %d messages, want %d: %+v", username, len(msgs), want, msgs)
	}
	m := msgs[len(msgs)-1]
	if m.Kind != kind {
		t.Fatalf("newest message to %s is %s, want %s: %+v", username, m.Kind, kind, m)
	}
	return m
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// lastCode returns the code of the newest message to a user, which must be a
// 6-digit code of the given kind, the want-th message.
func lastCode(t testing.TB, c *cogito, poolID, username, kind string, want int) string {
	t.Helper()
	m := lastMessage(t, c, poolID, username, kind, want)
	if !sixDigits.MatchString(m.Code) {
		t.Fatalf("%s code %q is not 6 digits", kind, m.Code)
	}
	return m.Code
}
