package identitypool

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// The identity operations through the generated table: registered only with
// their dependencies, and their JSON as the SDKs read it.
func TestIdentityThroughOperationTable(t *testing.T) {
	identityOps := []string{"GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "DescribeIdentity", "ListIdentities",
		"DeleteIdentities", "UnlinkIdentity", "GetOpenIdTokenForDeveloperIdentity", "LookupDeveloperIdentity",
		"MergeDeveloperIdentities", "UnlinkDeveloperIdentity"}

	plain := newEnv(t)
	h := newHandlers(plain.svc)
	for _, op := range identityOps {
		if h[op].Implemented {
			t.Errorf("%s registered without the identity dependencies", op)
		}
	}

	e := newIdentityEnv(t)
	ops := newHandlers(e.svc)
	for _, op := range identityOps {
		if !ops[op].Implemented {
			t.Errorf("%s not registered", op)
		}
	}
	poolID := e.pool(t, true)
	ctx := context.Background()
	call := func(op, body string) string {
		t.Helper()
		out, err := ops[op].Call(ctx, []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	got := call("GetId", `{"IdentityPoolId":"`+poolID+`","Logins":{}}`)
	m := regexp.MustCompile(`^\{"IdentityId":"(us-east-1:[0-9a-f-]{36})"\}$`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("GetId: %s", got)
	}
	id := m[1]
	got = call("GetCredentialsForIdentity", `{"IdentityId":"`+id+`"}`)
	if !regexp.MustCompile(`^\{"IdentityId":"` + id + `","Credentials":\{"AccessKeyId":"ASIA[A-Z2-7]{16}","SecretKey":"[A-Za-z0-9+/]{40}","SessionToken":"[A-Za-z0-9+/=]+","Expiration":1740834000\}\}$`).MatchString(got) {
		t.Errorf("GetCredentialsForIdentity: %s", got)
	}
	if got := call("DescribeIdentity", `{"IdentityId":"`+id+`"}`); got != `{"IdentityId":"`+id+`","CreationDate":1740830400,"LastModifiedDate":1740830400}` {
		t.Errorf("DescribeIdentity: %s", got)
	}
	if got := call("DeleteIdentities", `{"IdentityIdsToDelete":["`+id+`"]}`); got != `{"UnprocessedIdentityIds":[]}` {
		t.Errorf("DeleteIdentities: %s", got)
	}
	if got := call("ListIdentities", `{"IdentityPoolId":"`+poolID+`","MaxResults":10}`); got != `{"IdentityPoolId":"`+poolID+`","Identities":[]}` {
		t.Errorf("ListIdentities: %s", got)
	}
	for _, tc := range []struct{ op, body, code, msg string }{
		{"GetId", `{}`, "InvalidParameterException", "1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null"},
		{"GetOpenIdTokenForDeveloperIdentity", `{"IdentityPoolId":"` + poolID + `","Logins":{"login.mycompany":"u"},"TokenDuration":0}`, "InvalidParameterException", ""},
		{"DescribeIdentity", `{"IdentityId":"` + id + `"}`, "ResourceNotFoundException", "Identity '" + id + "' not found."},
	} {
		_, err := ops[tc.op].Call(ctx, []byte(tc.body))
		wantErr(t, err, tc.code, tc.msg)
	}
}

func newHandlers(s *Service) map[string]*api.Operation {
	h := &cognitoidentity.Handlers{}
	s.Register(h)
	return h.Service().Operations
}
