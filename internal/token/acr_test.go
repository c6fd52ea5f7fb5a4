package token

import (
	"context"
	"reflect"
	"testing"
)

// TestIssueAuthContext: a Subject with ACR and AMR gets acr and amr in both
// tokens, which a pre token generation trigger cannot change; without them
// neither claim appears.
func TestIssueAuthContext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sub := Subject{
		PoolID: e.pool, ClientID: testClient, Username: "acr", UserKey: "acr",
		Sub: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		ACR: "urn:cognito:loa:2", AMR: []string{"pwd", "otp", "mfa"},
		IDOverride:     Override{Add: map[string]any{"acr": "x"}, Suppress: []string{"amr"}},
		AccessOverride: Override{Suppress: []string{"acr"}},
	}
	e.storeUser(t, e.pool, sub.Username, sub.Sub, nil)
	out, err := e.svc.Issue(context.Background(), sub, Validity{}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{out.IDToken, out.AccessToken} {
		c := claimsOf(t, tok)
		if c["acr"] != "urn:cognito:loa:2" {
			t.Errorf("acr = %v", c["acr"])
		}
		if !reflect.DeepEqual(c["amr"], []any{"pwd", "otp", "mfa"}) {
			t.Errorf("amr = %v", c["amr"])
		}
	}
	sub.ACR, sub.AMR, sub.IDOverride, sub.AccessOverride = "", nil, Override{}, Override{}
	out, err = e.svc.Issue(context.Background(), sub, Validity{}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{out.IDToken, out.AccessToken} {
		c := claimsOf(t, tok)
		if _, ok := c["acr"]; ok {
			t.Errorf("acr without a level: %v", c["acr"])
		}
		if _, ok := c["amr"]; ok {
			t.Errorf("amr without a level: %v", c["amr"])
		}
	}
}
