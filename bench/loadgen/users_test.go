package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/bench/internal/benchuser"
)

// fakeUsers is just enough of the user directory for the user scenarios; it checks what they send.
type fakeUsers struct {
	t             *testing.T
	mu            sync.Mutex
	pools         map[string]*fakePool
	calls         map[string]int
	emailUsername bool // pools take the email as username, as cognito-local's default
	ignoreFilter  bool // ListUsers returns the first users whatever the filter
}

type fakePool struct {
	byName  map[string]string // username -> email
	byEmail map[string]string // email -> username
}

var filterRE = regexp.MustCompile(`^email \^= "([^"]*)"$`)

func newFakeUsers(t *testing.T) *fakeUsers {
	return &fakeUsers{t: t, pools: map[string]*fakePool{}, calls: map[string]int{}}
}

func (f *fakeUsers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, _ := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	var in struct {
		UserPoolId, PoolName, Username, MessageAction, Filter string
		AliasAttributes                                       []string
		UserAttributes                                        []struct{ Name, Value string }
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.t.Errorf("%s: body: %v", op, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	fail := func(kind string) {
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"__type": kind, "message": "no"})
	}
	reply := func(v any) { json.NewEncoder(w).Encode(v) }
	pool := f.pools[in.UserPoolId]
	if op != "CreateUserPool" && pool == nil {
		fail("ResourceNotFoundException")
		return
	}
	usernameAttrs := []string{}
	if f.emailUsername {
		usernameAttrs = []string{"email"}
	}
	switch op {
	case "CreateUserPool":
		if !slices.Equal(in.AliasAttributes, []string{"email"}) {
			f.t.Errorf("CreateUserPool: AliasAttributes %v", in.AliasAttributes)
		}
		id := fmt.Sprintf("local_%d", f.calls[op])
		f.pools[id] = &fakePool{byName: map[string]string{}, byEmail: map[string]string{}}
		reply(map[string]any{"UserPool": map[string]any{"Id": id, "UsernameAttributes": usernameAttrs}})
	case "DescribeUserPool":
		reply(map[string]any{"UserPool": map[string]any{"Id": in.UserPoolId, "UsernameAttributes": usernameAttrs}})
	case "DeleteUserPool":
		delete(f.pools, in.UserPoolId)
		reply(map[string]any{})
	case "AdminCreateUser":
		attrs := map[string]string{}
		for _, a := range in.UserAttributes {
			attrs[a.Name] = a.Value
		}
		email := attrs["email"]
		if in.MessageAction != "SUPPRESS" || email == "" || attrs["email_verified"] != "true" {
			f.t.Errorf("AdminCreateUser %+v", in)
		}
		name := in.Username
		if f.emailUsername {
			if name != email {
				f.t.Errorf("AdminCreateUser in an email-as-username pool: Username %q, email %q", name, email)
			}
			name = fmt.Sprintf("sub-%d", len(pool.byName))
		}
		if _, ok := pool.byName[name]; ok {
			fail("UsernameExistsException")
			return
		}
		if _, ok := pool.byEmail[email]; ok {
			fail("AliasExistsException")
			return
		}
		pool.byName[name], pool.byEmail[email] = email, name
		reply(map[string]any{"User": map[string]any{"Username": name}})
	case "ListUsers":
		m := filterRE.FindStringSubmatch(in.Filter)
		if m == nil {
			f.t.Errorf("ListUsers filter %q", in.Filter)
			fail("InvalidParameterException")
			return
		}
		var users []map[string]any
		for email, name := range pool.byEmail {
			if (f.ignoreFilter || strings.HasPrefix(email, m[1])) && len(users) < 60 {
				users = append(users, map[string]any{"Username": name, "Attributes": []map[string]string{{"Name": "email", "Value": email}}})
			}
		}
		reply(map[string]any{"Users": users})
	case "AdminGetUser":
		name := in.Username
		if n, ok := pool.byEmail[name]; ok { // an alias, or the email a pool took as username
			name = n
		}
		email, ok := pool.byName[name]
		if !ok {
			fail("UserNotFoundException")
			return
		}
		reply(map[string]any{"Username": name, "UserAttributes": []map[string]string{{"Name": "email", "Value": email}}})
	default:
		fail("UnknownOperationException")
	}
}

func userConfig(url, scen string) config {
	cfg := testConfig(url, scen)
	cfg.prefill, cfg.prefillConc, cfg.prefillTimeout = 50, 3, 10*1e9
	return cfg
}

func runFake(t *testing.T, srv *httptest.Server, cfg config) (*result, error) {
	t.Helper()
	sc, err := findScenario(cfg.scenario)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(srv.URL, cfg.concurrency, cfg.reqTimeout, false)
	defer c.close()
	return run(context.Background(), cfg, sc, c)
}

func TestUserScenarios(t *testing.T) {
	for _, sc := range scenarios {
		if !sc.users {
			continue
		}
		for _, emailUsername := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/email-username=%v", sc.name, emailUsername), func(t *testing.T) {
				f := newFakeUsers(t)
				f.emailUsername = emailUsername
				srv := httptest.NewServer(f)
				defer srv.Close()
				cfg := userConfig(srv.URL, sc.name)
				res, err := runFake(t, srv, cfg)
				if sc.name == "admin-get-user" && emailUsername {
					if err == nil || !strings.Contains(err.Error(), "email as username") {
						t.Fatalf("err = %v, want a refusal", err)
					}
					if f.calls["AdminCreateUser"] != 0 {
						t.Errorf("prefilled %d users before refusing", f.calls["AdminCreateUser"])
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				o := findOp(res, sc.ops[0])
				if o == nil || o.Requests != cfg.count || res.Errors != 0 || o.RPS <= 0 {
					t.Fatalf("ops %+v", res.Ops)
				}
				if res.Users != 50 || res.Prefill == nil || res.Prefill.Users != 50 || res.Prefill.UsersPerS <= 0 ||
					res.Prefill.Concurrency != 3 || res.EmailUsername != emailUsername || res.PoolID != "local_1" {
					t.Errorf("users %d, prefill %+v, pool %q", res.Users, res.Prefill, res.PoolID)
				}
				f.mu.Lock()
				defer f.mu.Unlock()
				wantCreates := 50
				if sc.name == "admin-create-user" {
					wantCreates += int(cfg.count) // and the warm-up's
				}
				if f.calls["AdminCreateUser"] < wantCreates || f.calls["DeleteUserPool"] != 1 || len(f.pools) != 0 {
					t.Errorf("calls %v, pools left %d", f.calls, len(f.pools))
				}
			})
		}
	}
}

func TestUserScenarioRefusals(t *testing.T) {
	f := newFakeUsers(t)
	srv := httptest.NewServer(f)
	defer srv.Close()

	// a server that ignores the filter answers quickly, and wrongly: every answer is an error
	f.ignoreFilter = true
	cfg := userConfig(srv.URL, "list-users-prefix")
	cfg.warmup = 0
	res, err := runFake(t, srv, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Ops[0]; o.Errors != o.Requests || o.ErrorKinds["WrongAnswer"] != o.Errors ||
		!strings.Contains(o.ErrorFirst["WrongAnswer"], "want 10") {
		t.Errorf("%+v", o)
	}
	f.ignoreFilter = false

	// too few users, flags for other scenarios
	cfg = userConfig(srv.URL, "list-users-prefix")
	cfg.prefill = 5
	if _, err := runFake(t, srv, cfg); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("prefill 5: %v", err)
	}
	cfg = userConfig(srv.URL, "describe-user-pool")
	if _, err := runFake(t, srv, cfg); err == nil || !strings.Contains(err.Error(), "user scenarios only") {
		t.Errorf("describe-user-pool with -prefill: %v", err)
	}
	cfg = userConfig(srv.URL, "admin-get-user")
	cfg.prefill = benchuser.Max + 1
	if _, err := runFake(t, srv, cfg); err == nil {
		t.Errorf("prefill beyond the scheme accepted")
	}
}

func TestPrefillOnlyThenPool(t *testing.T) {
	f := newFakeUsers(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	cfg := userConfig(srv.URL, "admin-get-user")
	cfg.prefillOnly = true
	res, err := runFake(t, srv, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scenario != "prefill" || res.PoolID == "" || res.Users != 50 || res.Prefill == nil || len(res.Ops) != 0 {
		t.Fatalf("%+v", res)
	}
	if len(f.pools) != 1 || len(f.pools[res.PoolID].byName) != 50 {
		t.Fatalf("the prefilled pool was not kept: %d pools", len(f.pools))
	}

	// measure the kept pool: nothing is created, nothing deleted
	for _, scen := range []string{"admin-get-user", "admin-get-user-alias", "list-users-prefix"} {
		cfg := userConfig(srv.URL, scen)
		cfg.pool = res.PoolID
		r2, err := runFake(t, srv, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r2.Errors != 0 || r2.Users != 50 || r2.Prefill != nil || r2.PoolID != res.PoolID {
			t.Errorf("%s on the kept pool: errors %d users %d prefill %v", scen, r2.Errors, r2.Users, r2.Prefill)
		}
	}
	if f.calls["CreateUserPool"] != 1 || f.calls["AdminCreateUser"] != 50 || f.calls["DeleteUserPool"] != 0 {
		t.Errorf("calls %v", f.calls)
	}

	// the table keys rows by pool size and lists the prefill
	dir := t.TempDir()
	var files []string
	for i, r := range []*result{res, {Label: "cogito", Scenario: "admin-get-user", Users: 50, Ops: []opResult{{Op: "AdminGetUser", RPS: 10, Requests: 10}}}} {
		if i == 0 {
			r.Label = "cogito"
		}
		b, _ := json.Marshal(r)
		name := filepath.Join(dir, fmt.Sprintf("%d.json", i))
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	var sb strings.Builder
	if err := printTable(&sb, files, "cogito"); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if !strings.Contains(out, "| admin-get-user @50 | AdminGetUser | cogito |") || !strings.Contains(out, "| 50 | cogito | 3 |") {
		t.Errorf("table:\n%s", out)
	}
}
