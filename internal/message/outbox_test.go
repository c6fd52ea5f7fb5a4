package message

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

func seedOutbox(t *testing.T) *memStore {
	t.Helper()
	st := &memStore{}
	add := func(id, pool, user, dest, medium, kind string, at time.Duration) {
		err := st.AddMessage(context.Background(), &storage.Message{ID: id, PoolID: pool, Username: user, Destination: dest,
			DeliveryMedium: medium, Kind: kind, Subject: "s-" + id, Body: "b-" + id, Code: "c-" + id, CreatedAt: t0.Add(at)})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Added out of time order: the store orders by creation time.
	add("3", "us-east-1_A", "jane", "jane@example.com", "EMAIL", "FORGOT_PASSWORD", 3*time.Second)
	add("1", "us-east-1_A", "jane", "jane@example.com", "EMAIL", "SIGN_UP", 1*time.Second)
	add("2", "us-east-1_A", "bob", "+12065551234", "SMS", "SIGN_UP", 2*time.Second)
	add("4", "us-east-1_B", "jane", "jane@example.com", "EMAIL", "INVITATION", 4*time.Second)
	return st
}

func getOutbox(t *testing.T, h http.Handler, query string) (*httptest.ResponseRecorder, OutboxResponse) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_cogito/messages"+query, nil))
	var out OutboxResponse
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s: %v", rec.Body, err)
		}
	}
	return rec, out
}

func ids(out OutboxResponse) string {
	var s []string
	for _, m := range out.Messages {
		s = append(s, m.ID)
	}
	return strings.Join(s, ",")
}

func TestOutboxFilters(t *testing.T) {
	h := OutboxHandler(seedOutbox(t), nil)
	for query, want := range map[string]string{
		"":                                      "1,2,3,4",
		"?userPoolId=us-east-1_A":               "1,2,3",
		"?userPoolId=us-east-1_B":               "4",
		"?username=jane":                        "1,3,4",
		"?userPoolId=us-east-1_A&username=jane": "1,3",
		"?destination=jane%40example.com":       "1,3,4",
		"?destination=%2B12065551234":           "2",
		"?destination=+12065551234":             "2", // unencoded +
		"?limit=2":                              "3,4",
		"?username=jane&limit=1":                "4",
		"?userPoolId=us-east-1_C":               "",
	} {
		rec, out := getOutbox(t, h, query)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d %s", query, rec.Code, rec.Body)
			continue
		}
		if got := ids(out); got != want {
			t.Errorf("%s: got %q, want %q", query, got, want)
		}
	}
}

func TestOutboxShape(t *testing.T) {
	h := OutboxHandler(seedOutbox(t), nil)
	rec, _ := getOutbox(t, h, "?username=bob")
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	var raw map[string][]map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": "2", "userPoolId": "us-east-1_A", "username": "bob", "destination": "+12065551234",
		"deliveryMedium": "SMS", "kind": "SIGN_UP", "subject": "s-2", "body": "b-2", "code": "c-2",
		"createdAt": "2026-03-04T05:06:09.89Z",
	}
	got := raw["messages"]
	if len(got) != 1 || len(got[0]) != len(want) {
		t.Fatalf("got %s", rec.Body)
	}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("%s = %v, want %v", k, got[0][k], v)
		}
	}
	// No match is an empty list, not null.
	rec, _ = getOutbox(t, h, "?username=nobody")
	if strings.TrimSpace(rec.Body.String()) != `{"messages":[]}` {
		t.Errorf("empty: %s", rec.Body)
	}
}

func TestOutboxBadRequests(t *testing.T) {
	h := OutboxHandler(seedOutbox(t), nil)
	for _, query := range []string{
		"?limit=0", "?limit=-1", "?limit=abc", "?limit=1001", "?limit=1&limit=2",
		"?userpoolid=x", "?username=a&username=b", "?destination=%zz",
	} {
		rec, _ := getOutbox(t, h, query)
		if rec.Code != http.StatusBadRequest || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: status %d type %q", query, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		var e map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e["message"] == "" {
			t.Errorf("%s: error body %s", query, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/_cogito/messages", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") == "" {
		t.Errorf("POST: %d", rec.Code)
	}
}

func TestOutboxStoreError(t *testing.T) {
	rec, _ := getOutbox(t, OutboxHandler(brokenStore{}, nil), "")
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "store down") {
		t.Errorf("status %d body %s", rec.Code, rec.Body)
	}
}

func TestOutboxAfterSend(t *testing.T) {
	// Messages sent through a Sender come back through the handler, newest last.
	s, f := newSender(t, Config{}, nil)
	for i, code := range []string{"111111", "222222", "333333"} {
		m := render(t, bare(), Params{Kind: KindResendCode, Medium: Email, Destination: "jane@example.com", Username: "jane", Code: code})
		f.clock.Advance(time.Duration(i+1) * time.Minute)
		if err := s.Send(context.Background(), bare(), m); err != nil {
			t.Fatal(err)
		}
	}
	_, out := getOutbox(t, OutboxHandler(f.store, nil), "?userPoolId="+testPool+"&username=jane&limit=2")
	if len(out.Messages) != 2 || out.Messages[0].Code != "222222" || out.Messages[1].Code != "333333" {
		t.Errorf("got %+v", out.Messages)
	}
	if out.Messages[1].Body != "Your verification code is 333333. " || out.Messages[1].Kind != "RESEND_CODE" {
		t.Errorf("got %+v", out.Messages[1])
	}
}
