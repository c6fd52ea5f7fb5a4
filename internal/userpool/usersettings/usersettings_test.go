package usersettings

import (
	"encoding/json"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

type doc struct {
	A string `json:"a"`
	N int    `json:"n,omitempty"`
}

func TestSetKeepsOtherMembers(t *testing.T) {
	u := &storage.User{Key: "u1", Settings: []byte(`{"pendingAttributes":{"email":"x@example.com"},"smsMfaEnabled":true}`)}
	if err := Set(u, "mfa", doc{A: "on", N: 2}); err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(u.Settings, &m); err != nil {
		t.Fatal(err)
	}
	if string(m["pendingAttributes"]) != `{"email":"x@example.com"}` || string(m["smsMfaEnabled"]) != "true" {
		t.Fatalf("other members changed: %s", u.Settings)
	}
	var got doc
	ok, err := Get(u, "mfa", &got)
	if err != nil || !ok || got != (doc{A: "on", N: 2}) {
		t.Fatalf("Get = %+v, %v, %v", got, ok, err)
	}
	if err := Delete(u, "mfa"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := Get(u, "mfa", &got); ok {
		t.Fatal("member still there after Delete")
	}
	if ok, _ := Get(u, "smsMfaEnabled", new(bool)); !ok {
		t.Fatal("Delete removed another member")
	}
}

func TestEmptyAndNullDocuments(t *testing.T) {
	for _, s := range []string{"", "null", "{}"} {
		u := &storage.User{Key: "u", Settings: []byte(s)}
		var d doc
		ok, err := Get(u, "mfa", &d)
		if err != nil || ok {
			t.Errorf("Get on %q = %v, %v", s, ok, err)
		}
		if err := Delete(u, "mfa"); err != nil || u.Settings != nil {
			t.Errorf("Delete on %q left %q, %v", s, u.Settings, err)
		}
	}
	u := &storage.User{Key: "u", Settings: []byte("[1]")}
	if _, err := Get(u, "mfa", new(doc)); err == nil {
		t.Error("Get accepted a document that is not an object")
	}
	if err := Set(u, "mfa", doc{}); err == nil {
		t.Error("Set overwrote a document that is not an object")
	}
}
