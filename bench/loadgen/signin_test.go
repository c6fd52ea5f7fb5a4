package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/srp"
)

// fakeSignin is just enough of a User Pools server for the sign-in scenarios. It keeps real SRP verifiers
// (internal/srp, the server half) so that signin-srp's answers are checked as Cogito checks them, and it
// checks every sign-in against what setup created.
type fakeSignin struct {
	t             *testing.T
	emailUsername bool

	mu       sync.Mutex
	calls    map[string]int
	pool     string
	client   string
	users    map[string]*fakeSigninUser // by login
	tokens   map[string]string          // access and refresh tokens -> login
	srpState map[string]fakeSRP         // SECRET_BLOCK -> exchange
	n        int
}

type fakeSigninUser struct {
	password string
	salt     []byte
	v        *big.Int
}

type fakeSRP struct {
	login string
	A, b  *big.Int
	B     *big.Int
}

func newFakeSignin(t *testing.T) *fakeSignin {
	return &fakeSignin{t: t, calls: map[string]int{}, users: map[string]*fakeSigninUser{},
		tokens: map[string]string{}, srpState: map[string]fakeSRP{}}
}

func (f *fakeSignin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, _ := strings.CutPrefix(r.Header.Get("X-Amz-Target"), userPoolsTarget)
	if signed := r.Header.Get("Authorization") != ""; signed == unsignedOps[op] {
		f.t.Errorf("%s: Authorization header present = %v", op, signed)
	}
	var in struct {
		UserPoolId, ClientId, Username, Password, AuthFlow, ChallengeName, AccessToken string
		Permanent                                                                      bool
		ExplicitAuthFlows                                                              []string
		AuthParameters, ChallengeResponses                                             map[string]string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.t.Errorf("%s: body: %v", op, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	w.Header().Set("Content-Type", amzJSON11)
	fail := func(kind string) {
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"__type": kind, "message": op + " refused"})
	}
	reply := func(v any) { json.NewEncoder(w).Encode(v) }
	tokens := func(login string, refresh bool) {
		f.n++
		res := map[string]string{"AccessToken": fmt.Sprintf("at-%d", f.n), "IdToken": "id"}
		f.tokens[res["AccessToken"]] = login
		if refresh {
			res["RefreshToken"] = fmt.Sprintf("rt-%d", f.n)
			f.tokens[res["RefreshToken"]] = login
		}
		reply(map[string]any{"AuthenticationResult": res, "ChallengeParameters": map[string]string{}})
	}
	switch op {
	case "CreateUserPool":
		f.pool = "local_pool1"
		p := map[string]any{"Id": f.pool}
		if f.emailUsername {
			p["UsernameAttributes"] = []string{"email"}
		}
		reply(map[string]any{"UserPool": p})
	case "CreateUserPoolClient":
		for _, flow := range []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"} {
			if !slices.Contains(in.ExplicitAuthFlows, flow) {
				f.t.Errorf("CreateUserPoolClient without %s: %v", flow, in.ExplicitAuthFlows)
			}
		}
		f.client = "client1"
		reply(map[string]any{"UserPoolClient": map[string]string{"ClientId": f.client}})
	case "AdminCreateUser":
		if in.UserPoolId != f.pool || f.users[in.Username] != nil || strings.Contains(in.Username, "@") != f.emailUsername {
			f.t.Errorf("AdminCreateUser %q in %q", in.Username, in.UserPoolId)
			fail("InvalidParameterException")
			return
		}
		f.users[in.Username] = &fakeSigninUser{}
		reply(map[string]any{"User": map[string]string{"Username": in.Username}})
	case "AdminSetUserPassword":
		u := f.users[in.Username]
		if u == nil || !in.Permanent {
			f.t.Errorf("AdminSetUserPassword %q permanent=%v", in.Username, in.Permanent)
			fail("UserNotFoundException")
			return
		}
		u.password = in.Password
		u.salt, u.v = srp.NewVerifier(srp.PoolName(f.pool), in.Username, in.Password)
		reply(map[string]any{})
	case "InitiateAuth":
		if in.ClientId != f.client {
			fail("ResourceNotFoundException")
			return
		}
		p := in.AuthParameters
		switch in.AuthFlow {
		case "USER_PASSWORD_AUTH":
			if u := f.users[p["USERNAME"]]; u == nil || u.password != p["PASSWORD"] {
				fail("NotAuthorizedException")
				return
			}
			tokens(p["USERNAME"], true)
		case "REFRESH_TOKEN_AUTH":
			login, ok := f.tokens[p["REFRESH_TOKEN"]]
			if !ok || !strings.HasPrefix(p["REFRESH_TOKEN"], "rt-") {
				fail("NotAuthorizedException")
				return
			}
			tokens(login, false)
		case "USER_SRP_AUTH":
			u := f.users[p["USERNAME"]]
			A, err := srp.ParsePublic(p["SRP_A"])
			if u == nil || u.v == nil || err != nil {
				fail("NotAuthorizedException")
				return
			}
			b, B := srp.NewServerSession(u.v)
			block := base64.StdEncoding.EncodeToString([]byte(rand.Text()))
			f.srpState[block] = fakeSRP{login: p["USERNAME"], A: A, b: b, B: B}
			reply(map[string]any{"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": map[string]string{
				"SALT": srp.SaltHex(u.salt), "SRP_B": B.Text(16), "SECRET_BLOCK": block,
				"USER_ID_FOR_SRP": p["USERNAME"], "USERNAME": p["USERNAME"],
			}})
		default:
			fail("InvalidParameterException")
		}
	case "RespondToAuthChallenge":
		cr := in.ChallengeResponses
		st, ok := f.srpState[cr["PASSWORD_CLAIM_SECRET_BLOCK"]]
		if in.ChallengeName != "PASSWORD_VERIFIER" || in.ClientId != f.client || !ok || cr["USERNAME"] != st.login {
			fail("NotAuthorizedException")
			return
		}
		delete(f.srpState, cr["PASSWORD_CLAIM_SECRET_BLOCK"])
		key, err := srp.ServerKey(st.A, st.B, st.b, f.users[st.login].v)
		block, _ := base64.StdEncoding.DecodeString(cr["PASSWORD_CLAIM_SECRET_BLOCK"])
		if err != nil || !srp.CheckSignature(key, srp.PoolName(f.pool), st.login, block, cr["TIMESTAMP"], cr["PASSWORD_CLAIM_SIGNATURE"]) {
			f.t.Errorf("PASSWORD_VERIFIER for %s: wrong signature", st.login)
			fail("NotAuthorizedException")
			return
		}
		tokens(st.login, true)
	case "GetUser":
		login, ok := f.tokens[in.AccessToken]
		if !ok || !strings.HasPrefix(in.AccessToken, "at-") {
			fail("NotAuthorizedException")
			return
		}
		reply(map[string]any{"Username": login, "UserAttributes": []any{}})
	case "DeleteUserPool":
		f.pool = ""
		reply(map[string]any{})
	default:
		fail("UnknownOperationException")
	}
}

func TestSigninScenarios(t *testing.T) {
	for _, sc := range scenarios {
		if sc.set != "signin" {
			continue
		}
		for _, emailUsername := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/email-username=%v", sc.name, emailUsername), func(t *testing.T) {
				if len(sc.ops) != 1 || sc.about == "" || sc.users {
					t.Fatalf("scenario %+v", sc)
				}
				f := newFakeSignin(t)
				f.emailUsername = emailUsername
				srv := httptest.NewServer(f)
				defer srv.Close()
				cfg := testConfig(srv.URL, sc.name)
				cfg.count, cfg.warmup = 100, 20*time.Millisecond
				if sc.name == "signin-srp" {
					cfg.count, cfg.warmup = 12, 0 // several modexps each, slow under -race
				}
				res, err := runFake(t, srv, cfg)
				if err != nil {
					t.Fatal(err)
				}
				o := findOp(res, sc.ops[0])
				if o == nil || o.Requests != cfg.count || res.Errors != 0 || o.RPS <= 0 || len(res.Ops) != 1 {
					t.Fatalf("ops %+v", res.Ops)
				}
				f.mu.Lock()
				defer f.mu.Unlock()
				if f.calls["AdminCreateUser"] != signinUsers || f.calls["AdminSetUserPassword"] != signinUsers ||
					f.calls["DeleteUserPool"] != 1 || f.pool != "" {
					t.Errorf("calls %v, pool left %q", f.calls, f.pool)
				}
				switch sc.name {
				case "signin-srp":
					if f.calls["RespondToAuthChallenge"] != int(cfg.count) || f.calls["InitiateAuth"] != int(cfg.count) {
						t.Errorf("calls %v", f.calls)
					}
				case "refresh", "get-user":
					if f.calls["InitiateAuth"] < signinUsers {
						t.Errorf("setup signed in %d users", f.calls["InitiateAuth"])
					}
				}
			})
		}
	}
}

// A server that refuses the sign-in (wrong password, a challenge) makes errors, not fast sign-ins.
func TestSigninRefusalsAreErrors(t *testing.T) {
	f := newFakeSignin(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") == userPoolsTarget+"InitiateAuth" {
			w.Header().Set("Content-Type", amzJSON11)
			w.Write([]byte(`{"ChallengeName":"NEW_PASSWORD_REQUIRED","ChallengeParameters":{},"Session":"s"}`))
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cfg := testConfig(srv.URL, "signin-password")
	cfg.count, cfg.warmup = 50, 0
	res, err := runFake(t, srv, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o := findOp(res, "InitiateAuth"); o == nil || o.Errors != 50 || o.ErrorKinds["WrongAnswer"] != 50 {
		t.Fatalf("ops %+v", res.Ops)
	}
	// and refresh cannot even start without tokens
	cfg.scenario = "refresh"
	if _, err := runFake(t, srv, cfg); err == nil || !strings.Contains(err.Error(), "no AccessToken") {
		t.Fatalf("refresh setup: err = %v", err)
	}
}
