package webauthn

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/webauthn/authenticatortest"
)

func TestLoginOptionsShape(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	pool := e.loadPool(t, s.pool)
	if ok, err := e.svc.HasCredentials(e.ctx, pool, s.user); err != nil || ok {
		t.Fatalf("HasCredentials before registering = %v, %v", ok, err)
	}
	a := authenticatortest.New()
	c1 := e.register(t, s, a, authenticatortest.Options{Origin: testOrigin})
	b := authenticatortest.New()
	b.Transports = nil
	c2 := e.register(t, s, b, authenticatortest.Options{Origin: testOrigin})
	if ok, err := e.svc.HasCredentials(e.ctx, pool, s.user); err != nil || !ok {
		t.Fatalf("HasCredentials = %v, %v", ok, err)
	}
	options, state, err := e.svc.BeginLogin(e.ctx, pool, s.user)
	if err != nil {
		t.Fatal(err)
	}
	if len(state) > 200 {
		t.Errorf("state is %d bytes; it travels in the Session", len(state))
	}
	if keys := topLevelKeys(t, []byte(options)); !slices.Equal(keys, []string{"challenge", "timeout", "rpId", "allowCredentials", "userVerification"}) {
		t.Errorf("members = %v", keys)
	}
	var o struct {
		Challenge        string  `json:"challenge"`
		Timeout          float64 `json:"timeout"`
		RPID             string  `json:"rpId"`
		AllowCredentials []struct {
			Type       string   `json:"type"`
			ID         string   `json:"id"`
			Transports []string `json:"transports"`
		} `json:"allowCredentials"`
		UserVerification string `json:"userVerification"`
	}
	if err := json.Unmarshal([]byte(options), &o); err != nil {
		t.Fatal(err)
	}
	if o.Challenge == "" || o.Timeout != 180000 || o.RPID != testRP || o.UserVerification != "preferred" || len(o.AllowCredentials) != 2 {
		t.Fatalf("options = %s", options)
	}
	for _, ac := range o.AllowCredentials {
		switch ac.ID {
		case c1.IDString():
			if !slices.Equal(ac.Transports, []string{"internal"}) {
				t.Errorf("transports of %s = %v", ac.ID, ac.Transports)
			}
		case c2.IDString():
			if ac.Transports == nil || len(ac.Transports) != 0 {
				t.Errorf("transports of %s = %v, want []", ac.ID, ac.Transports)
			}
		default:
			t.Errorf("unexpected allowed credential %s", ac.ID)
		}
		if ac.Type != "public-key" {
			t.Errorf("type = %q", ac.Type)
		}
	}
}

func TestLoginVerifies(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	pool := e.loadPool(t, s.pool)
	a := authenticatortest.New()
	cred := e.register(t, s, a, authenticatortest.Options{Origin: testOrigin})

	e.clk.Advance(time.Hour)
	options, state, err := e.svc.BeginLogin(e.ctx, pool, s.user)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.Assert([]byte(options), authenticatortest.Options{Origin: testOrigin})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.FinishLogin(e.ctx, pool, s.user, state, string(resp)); err != nil {
		t.Fatalf("FinishLogin: %v", err)
	}
	d := e.stored(t, s.pool, cred.IDString())
	if d.SignCount != 1 || !d.LastUsedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("after sign-in: count %d last used %v", d.SignCount, d.LastUsedAt)
	}
	// The same assertion again: its counter no longer grows.
	err = e.svc.FinishLogin(e.ctx, pool, s.user, state, string(resp))
	wantErr(t, err, "NotAuthorizedException", msgSignInFailed)

	// A second sign-in with a fresh challenge.
	options, state, _ = e.svc.BeginLogin(e.ctx, pool, s.user)
	resp, _ = a.Assert([]byte(options), authenticatortest.Options{Origin: "https://app." + testRP})
	if err := e.svc.FinishLogin(e.ctx, pool, s.user, state, string(resp)); err != nil {
		t.Fatalf("second FinishLogin: %v", err)
	}
	if d := e.stored(t, s.pool, cred.IDString()); d.SignCount != 2 {
		t.Errorf("count = %d, want 2", d.SignCount)
	}
}

func TestLoginZeroCounter(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	pool := e.loadPool(t, s.pool)
	a := authenticatortest.New()
	a.CounterStep = 0 // synced passkeys keep 0
	e.register(t, s, a, authenticatortest.Options{Origin: testOrigin})
	for i := range 3 {
		options, state, _ := e.svc.BeginLogin(e.ctx, pool, s.user)
		resp, _ := a.Assert([]byte(options), authenticatortest.Options{Origin: testOrigin})
		if err := e.svc.FinishLogin(e.ctx, pool, s.user, state, string(resp)); err != nil {
			t.Fatalf("sign-in %d with a zero counter: %v", i, err)
		}
	}
}

func TestLoginFailures(t *testing.T) {
	cases := []struct {
		name    string
		opts    authenticatortest.Options
		prepare func(t testing.TB, e *env, s signedIn, a *authenticatortest.Authenticator, c *authenticatortest.Credential) authenticatortest.Options
		mutate  func(resp []byte) []byte
		config  *cognitoidp.WebAuthnConfigurationType
	}{
		{name: "bad signature", opts: authenticatortest.Options{Origin: testOrigin, CorruptSignature: true}},
		{name: "foreign origin", opts: authenticatortest.Options{Origin: "https://evil.example.net"}},
		{name: "cross-origin", opts: authenticatortest.Options{Origin: testOrigin, CrossOrigin: true}},
		{name: "other relying party", opts: authenticatortest.Options{Origin: testOrigin, RPID: "example.com"}},
		{name: "other challenge", opts: authenticatortest.Options{Origin: testOrigin, Challenge: "b3RoZXI"}},
		{name: "registration type", opts: authenticatortest.Options{Origin: testOrigin, Type: "webauthn.create"}},
		{name: "no user presence", opts: authenticatortest.Options{Origin: testOrigin, NoUserPresence: true}},
		{name: "no user verification when required", opts: authenticatortest.Options{Origin: testOrigin, NoUserVerification: true},
			config: &cognitoidp.WebAuthnConfigurationType{UserVerification: api.Ptr(cognitoidp.UserVerificationTypeRequired)}},
		{name: "another user's handle", opts: authenticatortest.Options{Origin: testOrigin, UserHandle: []byte("someone-else")}},
		{name: "counter regression", prepare: func(t testing.TB, e *env, s signedIn, a *authenticatortest.Authenticator, c *authenticatortest.Credential) authenticatortest.Options {
			// One sign-in takes the counter to 5; a clone still at 2 follows.
			c.SetSignCount(4)
			e.signInWith(t, s, a, authenticatortest.Options{Origin: testOrigin})
			c.SetSignCount(1)
			return authenticatortest.Options{Origin: testOrigin}
		}},
		{name: "another user's passkey", prepare: func(t testing.TB, e *env, s signedIn, a *authenticatortest.Authenticator, c *authenticatortest.Credential) authenticatortest.Options {
			bob := e.user(t, s.pool, "bob")
			bs := signedIn{pool: s.pool, client: s.client, user: bob, token: e.auth.issue(s.pool, s.client, bob)}
			other := authenticatortest.New()
			oc := e.register(t, bs, other, authenticatortest.Options{Origin: testOrigin})
			// Bob's authenticator answers Jane's options with Bob's key.
			return authenticatortest.Options{Origin: testOrigin, Credential: oc, UserHandle: []byte(s.user.Sub)}
		}},
		{name: "deleted passkey", prepare: func(t testing.TB, e *env, s signedIn, a *authenticatortest.Authenticator, c *authenticatortest.Credential) authenticatortest.Options {
			if _, err := e.h.DeleteWebAuthnCredential(e.ctx, &cognitoidp.DeleteWebAuthnCredentialRequest{AccessToken: api.Ptr(s.token), CredentialId: api.Ptr(c.IDString())}); err != nil {
				t.Fatal(err)
			}
			return authenticatortest.Options{Origin: testOrigin, Credential: c}
		}},
		{name: "not JSON", opts: authenticatortest.Options{Origin: testOrigin}, mutate: func([]byte) []byte { return []byte("garbage") }},
		{name: "id differs from rawId", opts: authenticatortest.Options{Origin: testOrigin}, mutate: func(b []byte) []byte { return setMember(b, "id", "AAAA") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			s := e.signIn(t)
			e.webCfg[s.pool] = tc.config
			a := authenticatortest.New()
			c := e.register(t, s, a, authenticatortest.Options{Origin: testOrigin})
			opts := tc.opts
			if tc.prepare != nil {
				opts = tc.prepare(t, e, s, a, c)
			}
			pool := e.loadPool(t, s.pool)
			options, state, err := e.svc.BeginLogin(e.ctx, pool, s.user)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := a.Assert([]byte(options), opts)
			if err != nil {
				t.Fatal(err)
			}
			if tc.mutate != nil {
				resp = tc.mutate(resp)
			}
			err = e.svc.FinishLogin(e.ctx, pool, s.user, state, string(resp))
			wantErr(t, err, "NotAuthorizedException", msgSignInFailed)
		})
	}
}

// signInWith runs a successful BeginLogin/FinishLogin for s.
func (e *env) signInWith(t testing.TB, s signedIn, a *authenticatortest.Authenticator, o authenticatortest.Options) {
	t.Helper()
	up := e.loadPool(t, s.pool)
	options, state, err := e.svc.BeginLogin(e.ctx, up, s.user)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.Assert([]byte(options), o)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.FinishLogin(e.ctx, up, s.user, state, string(resp)); err != nil {
		t.Fatalf("FinishLogin: %v", err)
	}
}

func TestLoginBadState(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	err := e.svc.FinishLogin(e.ctx, e.loadPool(t, s.pool), s.user, []byte("{"), "{}")
	if err == nil {
		t.Fatal("a broken state was accepted")
	}
}

// A user whose passkey sign-in counts as MFA (RequireUserVerification) must
// verify, whatever the pool's UserVerification: the options ask for it and
// an assertion without it is refused. Other users keep the pool's setting.
func TestLoginUserVerificationRequiredForPasskeyMFA(t *testing.T) {
	mfaUsers := map[string]bool{"jane": true}
	e := newEnv(t, func(c *Config) {
		c.RequireUserVerification = func(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User) (bool, error) {
			return mfaUsers[u.Username], nil
		}
	})
	s := e.signIn(t)
	pool := e.loadPool(t, s.pool)
	a := authenticatortest.New()
	e.register(t, s, a, authenticatortest.Options{Origin: testOrigin})

	options, state, err := e.svc.BeginLogin(e.ctx, pool, s.user)
	if err != nil {
		t.Fatal(err)
	}
	if uv := decodeJSON(t, []byte(options))["userVerification"]; uv != "required" {
		t.Errorf("userVerification = %v, want required", uv)
	}
	resp, _ := a.Assert([]byte(options), authenticatortest.Options{Origin: testOrigin, NoUserVerification: true})
	wantErr(t, e.svc.FinishLogin(e.ctx, pool, s.user, state, string(resp)), "NotAuthorizedException", msgSignInFailed)
	e.signInWith(t, s, a, authenticatortest.Options{Origin: testOrigin})

	// Without passkey MFA the pool's "preferred" stands, and no UV passes.
	mfaUsers["jane"] = false
	options, state, _ = e.svc.BeginLogin(e.ctx, pool, s.user)
	if uv := decodeJSON(t, []byte(options))["userVerification"]; uv != "preferred" {
		t.Errorf("userVerification = %v, want preferred", uv)
	}
	resp, _ = a.Assert([]byte(options), authenticatortest.Options{Origin: testOrigin, NoUserVerification: true})
	if err := e.svc.FinishLogin(e.ctx, pool, s.user, state, string(resp)); err != nil {
		t.Errorf("without passkey MFA, no UV: %v", err)
	}
}
