package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/cogito-dev/cogito/internal/config"
)

// With --issuer-base-url aws, a pool's discovery document names AWS's
// issuer, and the updated form for IssuerConfiguration.Type UPDATED.
func TestIssuerFollowsIssuerConfiguration(t *testing.T) {
	h := newServer(t, func(c *config.Config) { c.IssuerBaseURL = config.AWSIssuer; c.Region = "eu-west-1" }).Handler()
	issuerOf := func(body string) string {
		t.Helper()
		w := do(t, h, apiReq("AWSCognitoIdentityProviderService.CreateUserPool", body))
		if w.Code != 200 {
			t.Fatalf("CreateUserPool: %d %s", w.Code, w.Body)
		}
		var out struct{ UserPool struct{ Id string } }
		json.Unmarshal(w.Body.Bytes(), &out)
		w = do(t, h, httptest.NewRequest("GET", "/"+out.UserPool.Id+"/.well-known/openid-configuration", nil))
		var doc struct{ Issuer string }
		if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatalf("discovery: %d %s", w.Code, w.Body)
		}
		return doc.Issuer + " " + out.UserPool.Id
	}
	for _, tc := range []struct{ body, prefix string }{
		{`{"PoolName":"a"}`, "https://cognito-idp.eu-west-1.amazonaws.com/"},
		{`{"PoolName":"b","IssuerConfiguration":{"Type":"ORIGINAL"}}`, "https://cognito-idp.eu-west-1.amazonaws.com/"},
		{`{"PoolName":"c","IssuerConfiguration":{"Type":"UPDATED"}}`, "https://issuer-cognito-idp.eu-west-1.amazonaws.com/"},
	} {
		got := issuerOf(tc.body)
		var iss, id string
		for i := range got {
			if got[i] == ' ' {
				iss, id = got[:i], got[i+1:]
			}
		}
		if iss != tc.prefix+id {
			t.Errorf("%s: issuer %q; want %q", tc.body, iss, tc.prefix+id)
		}
	}
}
