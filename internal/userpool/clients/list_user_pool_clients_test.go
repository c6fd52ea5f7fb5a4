package clients

import (
	"context"
	"sort"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestListUserPoolClientsPaging(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	want := map[string]string{}
	for _, name := range []string{"client-a", "client-b", "client-c", "client-d", "client-e"} {
		c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ClientName: api.Ptr(name), GenerateSecret: name == "client-c"})
		want[api.Deref(c.ClientId)] = name
	}
	e.create(t, &cognitoidp.CreateUserPoolClientRequest{UserPoolId: api.Ptr(otherPool)})

	got := map[string]string{}
	var token *string
	pages := 0
	for {
		out, err := e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(testPool), MaxResults: api.Ptr(int32(2)), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.UserPoolClients) > 2 {
			t.Fatalf("page of %d", len(out.UserPoolClients))
		}
		for _, d := range out.UserPoolClients {
			if api.Deref(d.UserPoolId) != testPool {
				t.Errorf("UserPoolId %q", api.Deref(d.UserPoolId))
			}
			got[api.Deref(d.ClientId)] = api.Deref(d.ClientName)
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	if pages != 3 || len(got) != 5 {
		t.Fatalf("%d pages, %d clients", pages, len(got))
	}
	for id, name := range want {
		if got[id] != name {
			t.Errorf("client %s: name %q, want %q", id, got[id], name)
		}
	}

	all, err := e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(testPool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.UserPoolClients) != 5 || all.NextToken != nil {
		t.Fatalf("default page: %d clients, token %v", len(all.UserPoolClients), all.NextToken)
	}
	ids := make([]string, 0, 5)
	for _, d := range all.UserPoolClients {
		ids = append(ids, api.Deref(d.ClientId))
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("not in a stable (id) order: %v", ids)
	}
	golden(t, "list_entry.json", all.UserPoolClients[0], map[string]string{ids[0]: "CLIENT_ID", want[ids[0]]: "NAME"})

	dcr, err := e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(testPool), ClientType: api.Ptr(cognitoidp.ClientTypeTypeDcr)})
	if err != nil || len(dcr.UserPoolClients) != 0 {
		t.Errorf("DCR filter: %v, %v", dcr, err)
	}
}

func TestListUserPoolClientsErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for range 3 {
		e.create(t, &cognitoidp.CreateUserPoolClientRequest{})
	}
	_, err := e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr("us-east-1_Missing99")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Missing99 does not exist.")

	first, err := e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(testPool), MaxResults: api.Ptr(int32(1))})
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page: %v", err)
	}
	// A token is good only for the pool that issued it.
	_, err = e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(otherPool), NextToken: first.NextToken})
	wantErr(t, err, "InvalidParameterException", msgInvalidNextToken)
	_, err = e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(testPool), NextToken: api.Ptr("not*a*token")})
	wantErr(t, err, "InvalidParameterException", msgInvalidNextToken)

	// A well-wrapped token whose inner store token was forged.
	forged := encodeNextToken(testPool, "!!not-base64!!")
	_, err = e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(testPool), NextToken: &forged})
	wantErr(t, err, "InvalidParameterException", msgInvalidNextToken)

	empty, err := e.svc.ListUserPoolClients(ctx, &cognitoidp.ListUserPoolClientsRequest{UserPoolId: api.Ptr(otherPool)})
	if err != nil || len(empty.UserPoolClients) != 0 || empty.NextToken != nil {
		t.Fatalf("empty pool: %+v, %v", empty, err)
	}
}
