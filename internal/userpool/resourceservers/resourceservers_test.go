package resourceservers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	svc         *Service
	store       *sqlstore.Store
	pools       *pools.Service
	pool, other string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	e := &env{store: st, svc: New(Config{Store: st, Clock: clk}),
		pools: pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})}
	for _, p := range []*string{&e.pool, &e.other} {
		out, err := e.pools.CreateUserPool(context.Background(), &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("p")})
		if err != nil {
			t.Fatal(err)
		}
		*p = *out.UserPool.Id
	}
	return e
}

func scopes(kv ...string) []cognitoidp.ResourceServerScopeType {
	var out []cognitoidp.ResourceServerScopeType
	for i := 0; i < len(kv); i += 2 {
		out = append(out, cognitoidp.ResourceServerScopeType{ScopeName: api.Ptr(kv[i]), ScopeDescription: api.Ptr(kv[i+1])})
	}
	return out
}

func (e *env) create(t *testing.T, poolID, id, name string, sc []cognitoidp.ResourceServerScopeType) *cognitoidp.ResourceServerType {
	t.Helper()
	out, err := e.svc.CreateResourceServer(context.Background(), &cognitoidp.CreateResourceServerRequest{
		UserPoolId: api.Ptr(poolID), Identifier: api.Ptr(id), Name: api.Ptr(name), Scopes: sc})
	if err != nil {
		t.Fatalf("CreateResourceServer(%q): %v", id, err)
	}
	return out.ResourceServer
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	got := e.create(t, e.pool, "https://api.example.com", "Example API", scopes("read", "Read things", "write", "Write things"))
	want := &cognitoidp.ResourceServerType{UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("https://api.example.com"),
		Name: api.Ptr("Example API"), Scopes: scopes("read", "Read things", "write", "Write things")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}
	d, err := e.svc.DescribeResourceServer(ctx, &cognitoidp.DescribeResourceServerRequest{UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("https://api.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, d.ResourceServer); diff != "" {
		t.Errorf("describe (-want +got):\n%s", diff)
	}
	e.create(t, e.pool, "billing", "Billing", nil)
	all, err := Scopes(ctx, e.store, e.pool)
	if err != nil || !cmp.Equal(all, []string{"https://api.example.com/read", "https://api.example.com/write"}) {
		t.Errorf("Scopes = %v, %v", all, err)
	}
	for scope, ok := range map[string]bool{
		"https://api.example.com/read": true, "https://api.example.com/delete": false, "billing/read": false,
		"read": false, "https://api.example.com/": false, "/read": false, "nobody/read": false,
	} {
		if got, err := ScopeExists(ctx, e.store, e.pool, scope); err != nil || got != ok {
			t.Errorf("ScopeExists(%q) = %v, %v; want %v", scope, got, err, ok)
		}
		if got, _ := ScopeExists(ctx, e.store, e.other, scope); got {
			t.Errorf("ScopeExists(%q) in another pool", scope)
		}
	}

	// Update replaces the name and the scopes; omitted scopes are gone.
	u, err := e.svc.UpdateResourceServer(ctx, &cognitoidp.UpdateResourceServerRequest{UserPoolId: api.Ptr(e.pool),
		Identifier: api.Ptr("https://api.example.com"), Name: api.Ptr("Renamed"), Scopes: scopes("admin", "Everything")})
	if err != nil {
		t.Fatal(err)
	}
	if *u.ResourceServer.Name != "Renamed" || len(u.ResourceServer.Scopes) != 1 {
		t.Errorf("update = %+v", u.ResourceServer)
	}
	if _, err := e.svc.UpdateResourceServer(ctx, &cognitoidp.UpdateResourceServerRequest{UserPoolId: api.Ptr(e.pool),
		Identifier: api.Ptr("billing"), Name: api.Ptr("Billing")}); err != nil {
		t.Fatal(err)
	}
	if all, _ := Scopes(ctx, e.store, e.pool); !cmp.Equal(all, []string{"https://api.example.com/admin"}) {
		t.Errorf("Scopes after update = %v", all)
	}
	if _, err := e.svc.DeleteResourceServer(ctx, &cognitoidp.DeleteResourceServerRequest{UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("https://api.example.com")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.DescribeResourceServer(ctx, &cognitoidp.DescribeResourceServerRequest{UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("https://api.example.com")})
	wantErr(t, err, "ResourceNotFoundException", "Resource server https://api.example.com does not exist.")
	if all, _ := Scopes(ctx, e.store, e.pool); len(all) != 0 {
		t.Errorf("Scopes after delete = %v", all)
	}
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	e.svc.maxServers = 3
	ctx := context.Background()
	e.create(t, e.pool, "api", "API", scopes("read", "r"))
	create := func(pool, id string, sc []cognitoidp.ResourceServerScopeType) error {
		_, err := e.svc.CreateResourceServer(ctx, &cognitoidp.CreateResourceServerRequest{UserPoolId: api.Ptr(pool), Identifier: api.Ptr(id), Name: api.Ptr("n"), Scopes: sc})
		return err
	}
	wantErr(t, create(e.pool, "api", nil), "InvalidParameterException", fmt.Sprintf("api already exists in user pool %s.", e.pool))
	wantErr(t, create(e.pool, "dup", scopes("a", "1", "a", "2")), "InvalidParameterException", "Duplicate scope name: a.")
	wantErr(t, create(e.pool, "slash", scopes("a/b", "1")), "InvalidParameterException",
		"1 validation error detected: Value 'a/b' at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+")
	wantErr(t, create(e.pool, "has space", nil), "InvalidParameterException", "")
	var many []cognitoidp.ResourceServerScopeType
	for i := range 101 {
		many = append(many, scopes(fmt.Sprint("s", i), "d")...)
	}
	wantErr(t, create(e.pool, "many", many), "InvalidParameterException", "")
	wantErr(t, create("us-east-1_Missing00", "api", nil), "ResourceNotFoundException", "User pool us-east-1_Missing00 does not exist.")
	e.create(t, e.other, "api", "Same identifier, other pool", nil)
	e.create(t, e.pool, "two", "Two", nil)
	e.create(t, e.pool, "three", "Three", nil)
	wantErr(t, create(e.pool, "four", nil), "LimitExceededException", "The user pool has reached the maximum of 3 resource servers.")

	_, err := e.svc.UpdateResourceServer(ctx, &cognitoidp.UpdateResourceServerRequest{UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("nope"), Name: api.Ptr("n")})
	wantErr(t, err, "ResourceNotFoundException", "Resource server nope does not exist.")
	_, err = e.svc.UpdateResourceServer(ctx, &cognitoidp.UpdateResourceServerRequest{UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("api")})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
	_, err = e.svc.DeleteResourceServer(ctx, &cognitoidp.DeleteResourceServerRequest{UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("nope")})
	wantErr(t, err, "ResourceNotFoundException", "Resource server nope does not exist.")
	_, err = e.svc.ListResourceServers(ctx, &cognitoidp.ListResourceServersRequest{UserPoolId: api.Ptr(e.pool), NextToken: api.Ptr("garbage")})
	wantErr(t, err, "InvalidParameterException", "Invalid NextToken.")
	_, err = e.svc.ListResourceServers(ctx, &cognitoidp.ListResourceServersRequest{UserPoolId: api.Ptr(e.pool), MaxResults: api.Ptr(int32(51))})
	wantErr(t, err, "InvalidParameterException", "")
}

func TestListPaging(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, id := range []string{"c", "a", "b", "e", "d"} {
		e.create(t, e.pool, id, "n-"+id, scopes("x", "y"))
	}
	var got []string
	var tok *string
	for {
		out, err := e.svc.ListResourceServers(ctx, &cognitoidp.ListResourceServersRequest{UserPoolId: api.Ptr(e.pool), MaxResults: api.Ptr(int32(2)), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.ResourceServers) > 2 {
			t.Fatalf("page of %d", len(out.ResourceServers))
		}
		for _, r := range out.ResourceServers {
			got = append(got, *r.Identifier)
		}
		if out.NextToken == nil {
			break
		}
		// A token is good only for its own pool.
		_, err = e.svc.ListResourceServers(ctx, &cognitoidp.ListResourceServersRequest{UserPoolId: api.Ptr(e.other), NextToken: out.NextToken})
		wantErr(t, err, "InvalidParameterException", "Invalid NextToken.")
		tok = out.NextToken
	}
	if !cmp.Equal(got, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("listed %v", got)
	}
	out, err := e.svc.ListResourceServers(ctx, &cognitoidp.ListResourceServersRequest{UserPoolId: api.Ptr(e.other)})
	if err != nil || len(out.ResourceServers) != 0 || out.ResourceServers == nil {
		t.Errorf("empty list = %+v, %v", out, err)
	}
}

func TestConcurrentCreate(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = e.svc.CreateResourceServer(context.Background(), &cognitoidp.CreateResourceServerRequest{
				UserPoolId: api.Ptr(e.pool), Identifier: api.Ptr("race"), Name: api.Ptr(fmt.Sprint("n", i))})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantErr(t, err, "InvalidParameterException", "")
		}
	}
	if won != 1 {
		t.Errorf("%d won", won)
	}
}

// TestClientScopes checks the hook app clients use: custom scopes are valid
// only when a resource server of the pool defines them.
func TestClientScopes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sealer, err := keys.NewSealer(bytes.Repeat([]byte{7}, keys.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	cs := clients.New(clients.Config{Store: e.store, Sealer: sealer, Region: "us-east-1", AccountID: "123456789012",
		ScopeExists: func(ctx context.Context, poolID, scope string) (bool, error) {
			return ScopeExists(ctx, e.store, poolID, scope)
		}})
	e.create(t, e.pool, "orders", "Orders", scopes("read", "Read orders"))
	mk := func(scope string) error {
		_, err := cs.CreateUserPoolClient(ctx, &cognitoidp.CreateUserPoolClientRequest{
			UserPoolId: api.Ptr(e.pool), ClientName: api.Ptr("m2m"), GenerateSecret: true,
			AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []cognitoidp.OAuthFlowType{cognitoidp.OAuthFlowTypeClientCredentials},
			AllowedOAuthScopes: []string{scope}})
		return err
	}
	if err := mk("orders/read"); err != nil {
		t.Fatalf("a defined scope: %v", err)
	}
	wantErr(t, mk("orders/write"), "ScopeDoesNotExistException", "Invalid scope requested: orders/write")
	wantErr(t, mk("billing/read"), "ScopeDoesNotExistException", "Invalid scope requested: billing/read")
}

func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	call := func(op, body string) string {
		t.Helper()
		out, err := ops[op].Call(context.Background(), []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b, _ := json.Marshal(out)
		return string(b)
	}
	pool := `"UserPoolId":"` + e.pool + `"`
	rs := `{` + pool + `,"Identifier":"api","Name":"API","Scopes":[{"ScopeName":"read","ScopeDescription":"Read"}]}`
	if got := call("CreateResourceServer", rs); got != `{"ResourceServer":`+rs+`}` {
		t.Errorf("create = %s", got)
	}
	if got := call("UpdateResourceServer", `{`+pool+`,"Identifier":"api","Name":"API"}`); got != `{"ResourceServer":{`+pool+`,"Identifier":"api","Name":"API","Scopes":[]}}` {
		t.Errorf("update = %s", got)
	}
	if got := call("ListResourceServers", `{`+pool+`,"MaxResults":10}`); !strings.HasPrefix(got, `{"ResourceServers":[{`) {
		t.Errorf("list = %s", got)
	}
	if got := call("DeleteResourceServer", `{`+pool+`,"Identifier":"api"}`); got != `{}` {
		t.Errorf("delete = %s", got)
	}
	if got := call("ListResourceServers", `{`+pool+`,"MaxResults":10}`); got != `{"ResourceServers":[]}` {
		t.Errorf("empty list = %s", got)
	}
}

// ManagedBy is for servers Cognito manages: servers made through the API
// never show it, even when a request names it.
func TestManagedByNeverShown(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	pool := `"UserPoolId":"` + e.pool + `"`
	for _, c := range []struct{ op, body string }{
		{"CreateResourceServer", `{` + pool + `,"Identifier":"managed","Name":"M","ManagedBy":"COGNITO"}`},
		{"UpdateResourceServer", `{` + pool + `,"Identifier":"managed","Name":"M2","ManagedBy":"COGNITO"}`},
		{"DescribeResourceServer", `{` + pool + `,"Identifier":"managed"}`},
		{"ListResourceServers", `{` + pool + `,"MaxResults":5}`},
	} {
		out, err := ops[c.op].Call(context.Background(), []byte(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		if b, _ := json.Marshal(out); strings.Contains(string(b), "ManagedBy") {
			t.Errorf("%s shows ManagedBy: %s", c.op, b)
		}
	}
}
