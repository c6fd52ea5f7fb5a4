package identitypool

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

// TestThroughOperationTable drives the operations as the protocol layer does:
// JSON in, the generated decoder and validator, the registered handler, JSON out.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidentity.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, name := range []string{"CreateIdentityPool", "DescribeIdentityPool", "UpdateIdentityPool", "DeleteIdentityPool",
		"ListIdentityPools", "SetIdentityPoolRoles", "GetIdentityPoolRoles", "SetPrincipalTagAttributeMap",
		"GetPrincipalTagAttributeMap", "TagResource", "UntagResource", "ListTagsForResource"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
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

	created := call("CreateIdentityPool", `{"IdentityPoolName":"MyIdentityPool","AllowUnauthenticatedIdentities":false,`+
		`"CognitoIdentityProviders":[{"ProviderName":"`+userPool+`","ClientId":"`+clientID+`","ServerSideTokenCheck":false}]}`)
	m := regexp.MustCompile(`^\{"IdentityPoolId":"(us-east-1:[0-9a-f-]{36})",(.*)$`).FindStringSubmatch(created)
	if m == nil {
		t.Fatalf("CreateIdentityPool: %s", created)
	}
	id := m[1]
	want := `"IdentityPoolName":"MyIdentityPool","AllowUnauthenticatedIdentities":false,"AllowClassicFlow":false,` +
		`"CognitoIdentityProviders":[{"ProviderName":"` + userPool + `","ClientId":"` + clientID + `","ServerSideTokenCheck":false}],"IdentityPoolTags":{}}`
	if m[2] != want {
		t.Errorf("CreateIdentityPool:\n got %s\nwant %s", m[2], want)
	}
	if got := call("DescribeIdentityPool", `{"IdentityPoolId":"`+id+`"}`); got != `{"IdentityPoolId":"`+id+`",`+want {
		t.Errorf("DescribeIdentityPool: %s", got)
	}
	pool := `"IdentityPoolId":"` + id + `"`
	if got := call("SetIdentityPoolRoles", `{`+pool+`,"Roles":{"authenticated":"`+authRole+`"},"RoleMappings":{"`+userPool+`:`+clientID+
		`":{"Type":"Rules","AmbiguousRoleResolution":"Deny","RulesConfiguration":{"Rules":[{"Claim":"cognito:groups","MatchType":"Contains","Value":"admin","RoleARN":"`+authRole+`"}]}}}}`); got != "{}" {
		t.Errorf("SetIdentityPoolRoles: %s", got)
	}
	if got, want := call("GetIdentityPoolRoles", `{`+pool+`}`), `{`+pool+`,"Roles":{"authenticated":"`+authRole+`"},"RoleMappings":{"`+userPool+`:`+clientID+
		`":{"Type":"Rules","AmbiguousRoleResolution":"Deny","RulesConfiguration":{"Rules":[{"Claim":"cognito:groups","MatchType":"Contains","Value":"admin","RoleARN":"`+authRole+`"}]}}}}`; got != want {
		t.Errorf("GetIdentityPoolRoles:\n got %s\nwant %s", got, want)
	}
	if got, want := call("SetPrincipalTagAttributeMap", `{`+pool+`,"IdentityProviderName":"`+userPool+`","UseDefaults":true}`),
		`{`+pool+`,"IdentityProviderName":"`+userPool+`","UseDefaults":true,"PrincipalTags":{"client":"aud","username":"sub"}}`; got != want {
		t.Errorf("SetPrincipalTagAttributeMap:\n got %s\nwant %s", got, want)
	}
	arn := `"ResourceArn":"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/` + id + `"`
	if got := call("TagResource", `{`+arn+`,"Tags":{"env":"dev"}}`); got != "{}" {
		t.Errorf("TagResource: %s", got)
	}
	if got := call("ListTagsForResource", `{`+arn+`}`); got != `{"Tags":{"env":"dev"}}` {
		t.Errorf("ListTagsForResource: %s", got)
	}
	if got := call("UntagResource", `{`+arn+`,"TagKeys":["env"]}`); got != "{}" {
		t.Errorf("UntagResource: %s", got)
	}
	if got := call("UpdateIdentityPool", `{`+pool+`,"IdentityPoolName":"Renamed","AllowUnauthenticatedIdentities":true}`); got !=
		`{`+pool+`,"IdentityPoolName":"Renamed","AllowUnauthenticatedIdentities":true,"AllowClassicFlow":false,"IdentityPoolTags":{}}` {
		t.Errorf("UpdateIdentityPool: %s", got)
	}
	if got := call("ListIdentityPools", `{"MaxResults":60}`); got != `{"IdentityPools":[{`+pool+`,"IdentityPoolName":"Renamed"}]}` {
		t.Errorf("ListIdentityPools: %s", got)
	}
	if got := call("DeleteIdentityPool", `{`+pool+`}`); got != "{}" {
		t.Errorf("DeleteIdentityPool: %s", got)
	}
	if got := call("ListIdentityPools", `{"MaxResults":1}`); got != `{"IdentityPools":[]}` {
		t.Errorf("ListIdentityPools after delete: %s", got)
	}

	for _, tc := range []struct{ op, body, code, msg string }{
		{"DescribeIdentityPool", `{` + pool + `}`, "ResourceNotFoundException", "IdentityPool '" + id + "' not found."},
		{"ListIdentityPools", `{}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"},
		{"CreateIdentityPool", `{"IdentityPoolName":"x","AllowUnauthenticatedIdentities":"yes"}`, "SerializationException", ""},
		{"SetIdentityPoolRoles", `{"IdentityPoolId":"` + missingID + `","Roles":{}}`, "ResourceNotFoundException", notFoundMsg(missingID)},
	} {
		_, err := ops[tc.op].Call(ctx, []byte(tc.body))
		wantErr(t, err, tc.code, tc.msg)
	}
}
