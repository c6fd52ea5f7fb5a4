package clients

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestThroughOperationTable drives the operations as the protocol layer does:
// JSON in, the generated decoder and validator, the registered handler.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, name := range []string{"CreateUserPoolClient", "DescribeUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient",
		"ListUserPoolClients", "AddUserPoolClientSecret", "DeleteUserPoolClientSecret", "ListUserPoolClientSecrets"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
	ctx := context.Background()
	call := func(op, body string) (any, error) { return ops[op].Call(ctx, []byte(body)) }

	out, err := call("CreateUserPoolClient", `{"UserPoolId":"`+testPool+`","ClientName":"from-json","GenerateSecret":true,
		"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"],"TokenValidityUnits":{"AccessToken":"minutes"},"AccessTokenValidity":30}`)
	if err != nil {
		t.Fatal(err)
	}
	created := out.(*cognitoidp.CreateUserPoolClientResponse).UserPoolClient
	id := api.Deref(created.ClientId)
	if api.Deref(created.ClientName) != "from-json" || api.Deref(created.AccessTokenValidity) != 30 || created.ClientSecret == nil {
		t.Fatalf("created %+v", created)
	}

	out, err = call("DescribeUserPoolClient", `{"UserPoolId":"`+testPool+`","ClientId":"`+id+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var wire map[string]map[string]any
	if err := json.Unmarshal(b, &wire); err != nil {
		t.Fatal(err)
	}
	if wire["UserPoolClient"]["ClientSecret"] != api.Deref(created.ClientSecret) || wire["UserPoolClient"]["CreationDate"] != float64(1740830400) {
		t.Errorf("Describe on the wire: %s", b)
	}

	out, err = call("DeleteUserPoolClient", `{"UserPoolId":"`+testPool+`","ClientId":"`+id+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(out); string(b) != "{}" {
		t.Errorf("DeleteUserPoolClient output %s, want {}", b)
	}

	// The generated validator runs before the handler.
	_, err = call("CreateUserPoolClient", `{"UserPoolId":"`+testPool+`"}`)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'clientName' failed to satisfy constraint: Member must not be null")
	_, err = call("ListUserPoolClients", `{"UserPoolId":"`+testPool+`","MaxResults":0}`)
	wantErr(t, err, "InvalidParameterException", "")
	_, err = call("CreateUserPoolClient", `{"UserPoolId":"`+testPool+`","ClientName":"x","AuthSessionValidity":16}`)
	wantErr(t, err, "InvalidParameterException", "")
	_, err = call("DescribeUserPoolClient", `{"UserPoolId":"`+testPool+`","ClientId":"`+id+`"}`)
	wantErr(t, err, "ResourceNotFoundException", "User pool client "+id+" does not exist.")

	out, err = call("ListUserPoolClients", `{"UserPoolId":"`+testPool+`","MaxResults":60}`)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(out); string(b) != `{"UserPoolClients":[]}` {
		t.Errorf("empty list on the wire: %s", b)
	}
}
