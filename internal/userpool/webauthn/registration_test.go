package webauthn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/webauthn/authenticatortest"
)

func TestStartOptionsShape(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	raw := e.start(t, s.token)
	// Members in alphabetical order, as Cognito's example shows them.
	keys := topLevelKeys(t, raw)
	want := []string{"authenticatorSelection", "challenge", "excludeCredentials", "pubKeyCredParams", "rp", "timeout", "user"}
	if !slices.Equal(keys, want) {
		t.Errorf("members = %v, want %v", keys, want)
	}
	var o struct {
		AuthenticatorSelection map[string]any   `json:"authenticatorSelection"`
		Challenge              string           `json:"challenge"`
		ExcludeCredentials     []map[string]any `json:"excludeCredentials"`
		PubKeyCredParams       []map[string]any `json:"pubKeyCredParams"`
		RP                     map[string]any   `json:"rp"`
		Timeout                float64          `json:"timeout"`
		User                   map[string]any   `json:"user"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	if sel := o.AuthenticatorSelection; sel["requireResidentKey"] != true || sel["residentKey"] != "required" || sel["userVerification"] != "preferred" {
		t.Errorf("authenticatorSelection = %v", sel)
	}
	if b, err := base64.RawURLEncoding.DecodeString(o.Challenge); err != nil || len(b) != challengeBytes {
		t.Errorf("challenge %q: not %d base64url bytes (%v)", o.Challenge, challengeBytes, err)
	}
	if o.ExcludeCredentials == nil || len(o.ExcludeCredentials) != 0 {
		t.Errorf("excludeCredentials = %v, want []", o.ExcludeCredentials)
	}
	if len(o.PubKeyCredParams) != 2 || o.PubKeyCredParams[0]["alg"] != float64(-7) || o.PubKeyCredParams[1]["alg"] != float64(-257) ||
		o.PubKeyCredParams[0]["type"] != "public-key" {
		t.Errorf("pubKeyCredParams = %v", o.PubKeyCredParams)
	}
	if o.RP["id"] != testRP || o.RP["name"] != testRP {
		t.Errorf("rp = %v", o.RP)
	}
	if o.Timeout != 60000 {
		t.Errorf("timeout = %v", o.Timeout)
	}
	if o.User["id"] != base64.RawURLEncoding.EncodeToString([]byte(s.user.Sub)) || o.User["name"] != "jane" || o.User["displayName"] != "jane" {
		t.Errorf("user = %v (sub %s)", o.User, s.user.Sub)
	}
	// A second Start gives a new challenge.
	var again struct{ Challenge string }
	_ = json.Unmarshal(e.start(t, s.token), &again)
	if again.Challenge == o.Challenge {
		t.Error("two Starts gave the same challenge")
	}
}

// topLevelKeys lists an object's members in document order.
func topLevelKeys(t testing.TB, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestRegisterNoneAndPacked(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)

	platform := authenticatortest.New()
	c1 := e.register(t, s, platform, authenticatortest.Options{Origin: testOrigin})

	roaming := authenticatortest.New()
	roaming.Attestation = authenticatortest.AttestationPacked
	roaming.Attachment = "cross-platform"
	roaming.Transports = []string{"usb", "nfc"}
	roaming.UserVerifying = false
	c2 := e.register(t, s, roaming, authenticatortest.Options{Origin: "https://login." + testRP + ":8443"})

	google := authenticatortest.New()
	copy(google.AAGUID[:], mustUUID(t, "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"))
	google.Transports = nil
	google.BackupEligible = true
	c3 := e.register(t, s, google, authenticatortest.Options{Origin: testOrigin})

	got := e.list(t, s.token)
	if len(got) != 3 {
		t.Fatalf("listed %d credentials, want 3", len(got))
	}
	byID := map[string]cognitoidp.WebAuthnCredentialDescription{}
	for _, d := range got {
		byID[api.Deref(d.CredentialId)] = d
		if api.Deref(d.RelyingPartyId) != testRP || d.CreatedAt == nil || !d.CreatedAt.Equal(t0) {
			t.Errorf("credential %s: rp %v created %v", api.Deref(d.CredentialId), d.RelyingPartyId, d.CreatedAt)
		}
	}
	check := func(c *authenticatortest.Credential, name, attachment string, transports []string, fmt string) {
		t.Helper()
		d, ok := byID[c.IDString()]
		if !ok {
			t.Fatalf("credential %s not listed", c.IDString())
		}
		if api.Deref(d.FriendlyCredentialName) != name || api.Deref(d.AuthenticatorAttachment) != attachment ||
			d.AuthenticatorTransports == nil || !slices.Equal(d.AuthenticatorTransports, transports) {
			t.Errorf("credential %s = name %q attachment %v transports %v, want %q %q %v",
				c.IDString(), api.Deref(d.FriendlyCredentialName), api.Deref(d.AuthenticatorAttachment), d.AuthenticatorTransports, name, attachment, transports)
		}
		doc := e.stored(t, s.pool, c.IDString())
		if doc.AttestationFormat != fmt || doc.Algorithm != -7 || len(doc.PublicKey) == 0 {
			t.Errorf("stored %s: fmt %q alg %d key %d bytes", c.IDString(), doc.AttestationFormat, doc.Algorithm, len(doc.PublicKey))
		}
	}
	check(c1, "Platform passkey", "platform", []string{"internal"}, "none")
	check(c2, "Roaming passkey", "cross-platform", []string{"usb", "nfc"}, "packed")
	check(c3, "Google Password Manager", "platform", []string{}, "none")
	if d := e.stored(t, s.pool, c3.IDString()); !d.BackupEligible || !d.BackupState || d.AAGUID != "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4" {
		t.Errorf("stored backup flags / aaguid = %v %v %q", d.BackupEligible, d.BackupState, d.AAGUID)
	}
	if d := e.stored(t, s.pool, c2.IDString()); d.UserVerified {
		t.Error("a registration without UV is recorded as verified")
	}

	// The next Start excludes all three; the authenticator holding one refuses.
	opts := e.start(t, s.token)
	var o struct {
		ExcludeCredentials []struct{ ID, Type string } `json:"excludeCredentials"`
	}
	_ = json.Unmarshal(opts, &o)
	if len(o.ExcludeCredentials) != 3 || o.ExcludeCredentials[0].Type != "public-key" {
		t.Errorf("excludeCredentials = %+v", o.ExcludeCredentials)
	}
	if _, _, err := platform.Register(opts, authenticatortest.Options{Origin: testOrigin}); !errors.Is(err, authenticatortest.ErrExcluded) {
		t.Errorf("registering an excluded authenticator: %v", err)
	}
}

func mustUUID(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hexUUID(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hexUUID(s string) ([]byte, error) {
	s = strings.ReplaceAll(s, "-", "")
	out := make([]byte, 16)
	for i := range out {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'a' && c <= 'f':
				v |= byte(c-'a') + 10
			default:
				return nil, errors.New("bad hex")
			}
		}
		out[i] = v
	}
	return out, nil
}

// TestCompleteFailures runs each faulty registration against a fresh Start
// and checks the exception and that nothing was registered.
func TestCompleteFailures(t *testing.T) {
	cases := []struct {
		name       string
		auth       func(*authenticatortest.Authenticator)
		opts       authenticatortest.Options
		mutate     func([]byte) []byte
		code, msg  string
		poolConfig *cognitoidp.WebAuthnConfigurationType
	}{
		{name: "foreign origin", opts: authenticatortest.Options{Origin: "https://evil.example.net"},
			code: "WebAuthnOriginNotAllowedException", msg: msgOriginNotAllowed},
		{name: "lookalike origin", opts: authenticatortest.Options{Origin: "https://notauth.example.com"},
			code: "WebAuthnOriginNotAllowedException"},
		{name: "http origin", opts: authenticatortest.Options{Origin: "http://auth.example.com"},
			code: "WebAuthnOriginNotAllowedException"},
		{name: "cross-origin iframe", opts: authenticatortest.Options{Origin: testOrigin, CrossOrigin: true},
			code: "WebAuthnOriginNotAllowedException"},
		{name: "other relying party", opts: authenticatortest.Options{Origin: testOrigin, RPID: "example.com"},
			code: "WebAuthnRelyingPartyMismatchException", msg: msgRelyingPartyMismatch},
		{name: "stale challenge", opts: authenticatortest.Options{Origin: testOrigin, Challenge: "c3RhbGU"},
			code: "WebAuthnChallengeNotFoundException", msg: msgChallengeNotFound},
		{name: "assertion type", opts: authenticatortest.Options{Origin: testOrigin, Type: "webauthn.get"},
			code: "InvalidParameterException", msg: msgBadCredential},
		{name: "no user presence", opts: authenticatortest.Options{Origin: testOrigin, NoUserPresence: true},
			code: "InvalidParameterException", msg: msgNoUserPresence},
		{name: "bad packed signature", auth: func(a *authenticatortest.Authenticator) { a.Attestation = authenticatortest.AttestationPacked },
			opts: authenticatortest.Options{Origin: testOrigin, CorruptSignature: true},
			code: "InvalidParameterException", msg: msgBadAttestation},
		{name: "no user verification when required", opts: authenticatortest.Options{Origin: testOrigin, NoUserVerification: true},
			poolConfig: &cognitoidp.WebAuthnConfigurationType{UserVerification: api.Ptr(cognitoidp.UserVerificationTypeRequired)},
			code:       "WebAuthnCredentialNotSupportedException", msg: msgUserVerification},
		{name: "id differs from rawId", opts: authenticatortest.Options{Origin: testOrigin},
			mutate: func(b []byte) []byte { return setMember(b, "id", "AAAA") },
			code:   "InvalidParameterException", msg: msgBadCredential},
		{name: "not a credential", opts: authenticatortest.Options{Origin: testOrigin},
			mutate: func([]byte) []byte { return []byte(`[1,2]`) },
			code:   "InvalidParameterException", msg: msgBadCredential},
		{name: "unknown attestation format", opts: authenticatortest.Options{Origin: testOrigin},
			mutate: func(b []byte) []byte { return rewriteFormat(b, "acme") },
			code:   "WebAuthnCredentialNotSupportedException", msg: msgUnsupportedFormat},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			s := e.signIn(t)
			e.webCfg[s.pool] = tc.poolConfig
			a := authenticatortest.New()
			if tc.auth != nil {
				tc.auth(a)
			}
			resp, _, err := a.Register(e.start(t, s.token), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tc.mutate != nil {
				resp = tc.mutate(resp)
			}
			_, err = e.complete(s.token, resp)
			wantErr(t, err, tc.code, tc.msg)
			if got := e.list(t, s.token); len(got) != 0 {
				t.Errorf("a refused registration left %d credentials", len(got))
			}
		})
	}
}

// setMember replaces a top-level string member of a JSON object.
func setMember(b []byte, name, value string) []byte {
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m[name] = value
	out, _ := json.Marshal(m)
	return out
}

// rewriteFormat re-encodes the attestation object with another fmt.
func rewriteFormat(b []byte, format string) []byte {
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	resp := m["response"].(map[string]any)
	att, _ := base64.RawURLEncoding.DecodeString(resp["attestationObject"].(string))
	// "fmt" is the first member, "none" its value: swap the text string.
	i := strings.Index(string(att), "none")
	if i < 1 {
		return b
	}
	patched := append([]byte{}, att[:i-1]...)
	patched = append(patched, byte(0x60+len(format)))
	patched = append(patched, format...)
	patched = append(patched, att[i+4:]...)
	resp["attestationObject"] = base64.RawURLEncoding.EncodeToString(patched)
	out, _ := json.Marshal(m)
	return out
}

func TestCompleteChallengeLifecycle(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	a := authenticatortest.New()
	o := authenticatortest.Options{Origin: testOrigin}

	resp, _, err := a.Register(e.start(t, s.token), o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.complete(s.token, resp); err != nil {
		t.Fatalf("first completion: %v", err)
	}
	// Replayed: the challenge was used.
	_, err = e.complete(s.token, resp)
	wantErr(t, err, "WebAuthnChallengeNotFoundException", msgChallengeNotFound)

	// A second Start replaces the first: the first's answer is stale.
	first := e.start(t, s.token)
	second := e.start(t, s.token)
	a2 := authenticatortest.New()
	stale, _, _ := a2.Register(first, o)
	_, err = e.complete(s.token, stale)
	wantErr(t, err, "WebAuthnChallengeNotFoundException", "")
	fresh, _, _ := a2.Register(second, o)
	if _, err := e.complete(s.token, fresh); err != nil {
		t.Fatalf("answer to the latest Start: %v", err)
	}

	// Expired.
	late := e.start(t, s.token)
	e.clk.Advance(PendingRegistrationValidity)
	resp, _, _ = authenticatortest.New().Register(late, o)
	_, err = e.complete(s.token, resp)
	wantErr(t, err, "WebAuthnChallengeNotFoundException", "")

	// Never started (another user).
	u2 := e.user(t, s.pool, "bob")
	tok2 := e.auth.issue(s.pool, s.client, u2)
	_, err = e.complete(tok2, resp)
	wantErr(t, err, "WebAuthnChallengeNotFoundException", "")

	if n := len(e.list(t, s.token)); n != 2 {
		t.Errorf("%d credentials, want 2", n)
	}
}

func TestCompleteClientMismatch(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	opts := e.start(t, s.token)
	resp, _, _ := authenticatortest.New().Register(opts, authenticatortest.Options{Origin: testOrigin})
	other := e.auth.issue(s.pool, "client-2", s.user)
	_, err := e.complete(other, resp)
	wantErr(t, err, "WebAuthnClientMismatchException", msgClientMismatch)
	if _, err := e.complete(s.token, resp); err != nil {
		t.Fatalf("the right client after a mismatch: %v", err)
	}
}

func TestCredentialAsJSONString(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	resp, _, _ := authenticatortest.New().Register(e.start(t, s.token), authenticatortest.Options{Origin: testOrigin})
	quoted, _ := json.Marshal(string(resp))
	if _, err := e.complete(s.token, quoted); err != nil {
		t.Fatalf("credential as a JSON string: %v", err)
	}
}

func TestLocalhostOrigins(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.DefaultRelyingPartyID = "localhost" })
	s := e.signIn(t)
	for _, origin := range []string{"http://localhost:3000", "http://localhost", "https://localhost:8443"} {
		e.register(t, s, authenticatortest.New(), authenticatortest.Options{Origin: origin})
	}
	resp, _, _ := authenticatortest.New().Register(e.start(t, s.token), authenticatortest.Options{Origin: "http://127.0.0.1:3000"})
	_, err := e.complete(s.token, resp)
	wantErr(t, err, "WebAuthnOriginNotAllowedException", "")

	// Without the extra origin, plain http is refused.
	e.cfg.Origins = nil
	e.rebuild(t)
	resp, _, _ = authenticatortest.New().Register(e.start(t, s.token), authenticatortest.Options{Origin: "http://localhost:3000"})
	_, err = e.complete(s.token, resp)
	wantErr(t, err, "WebAuthnOriginNotAllowedException", "")
}

func TestPoolSettings(t *testing.T) {
	t.Run("not enabled", func(t *testing.T) {
		e := newEnv(t)
		pool := e.pool(t, cognitoidp.AuthFactorTypePassword)
		tok := e.auth.issue(pool, "c", e.user(t, pool, "jane"))
		_, err := e.h.StartWebAuthnRegistration(e.ctx, &cognitoidp.StartWebAuthnRegistrationRequest{AccessToken: api.Ptr(tok)})
		wantErr(t, err, "WebAuthnNotEnabledException", msgNotEnabled)
		// Passkey MFA enables registration too.
		e.webCfg[pool] = &cognitoidp.WebAuthnConfigurationType{
			FactorConfiguration: api.Ptr(cognitoidp.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification),
		}
		e.start(t, tok)
	})
	t.Run("configured relying party and verification", func(t *testing.T) {
		e := newEnv(t)
		s := e.signIn(t)
		e.webCfg[s.pool] = &cognitoidp.WebAuthnConfigurationType{
			RelyingPartyId: api.Ptr("example.org"), UserVerification: api.Ptr(cognitoidp.UserVerificationTypeRequired),
		}
		opts := decodeJSON(t, e.start(t, s.token))
		if opts["rp"].(map[string]any)["id"] != "example.org" ||
			opts["authenticatorSelection"].(map[string]any)["userVerification"] != "required" {
			t.Errorf("options = %v", opts)
		}
		e.register(t, s, authenticatortest.New(), authenticatortest.Options{Origin: "https://www.example.org"})
		if got := e.list(t, s.token); api.Deref(got[0].RelyingPartyId) != "example.org" {
			t.Errorf("RelyingPartyId = %v", got[0].RelyingPartyId)
		}
	})
	t.Run("custom domain", func(t *testing.T) {
		e := newEnv(t, func(c *Config) {
			c.Domains = func(context.Context, string) (string, string, error) { return "prefix", "login.example.net", nil }
		})
		s := e.signIn(t)
		if rp := decodeJSON(t, e.start(t, s.token))["rp"].(map[string]any)["id"]; rp != "login.example.net" {
			t.Errorf("rp id = %v, want the custom domain", rp)
		}
	})
	t.Run("no relying party", func(t *testing.T) {
		e := newEnv(t, func(c *Config) { c.DefaultRelyingPartyID = "" })
		s := e.signIn(t)
		_, err := e.h.StartWebAuthnRegistration(e.ctx, &cognitoidp.StartWebAuthnRegistrationRequest{AccessToken: api.Ptr(s.token)})
		wantErr(t, err, "WebAuthnConfigurationMissingException", msgConfigurationMissing)
	})
	t.Run("bad token", func(t *testing.T) {
		e := newEnv(t)
		_, err := e.h.StartWebAuthnRegistration(e.ctx, &cognitoidp.StartWebAuthnRegistrationRequest{AccessToken: api.Ptr("nope")})
		wantErr(t, err, "NotAuthorizedException", "")
		_, err = e.complete("nope", []byte(`{}`))
		wantErr(t, err, "NotAuthorizedException", "")
		_, err = e.h.ListWebAuthnCredentials(e.ctx, &cognitoidp.ListWebAuthnCredentialsRequest{AccessToken: api.Ptr("nope")})
		wantErr(t, err, "NotAuthorizedException", "")
		_, err = e.h.DeleteWebAuthnCredential(e.ctx, &cognitoidp.DeleteWebAuthnCredentialRequest{AccessToken: api.Ptr("nope"), CredentialId: api.Ptr("x")})
		wantErr(t, err, "NotAuthorizedException", "")
	})
}

func TestLimit(t *testing.T) {
	e := newEnv(t)
	e.svc.maxCredentials = 2
	s := e.signIn(t)
	o := authenticatortest.Options{Origin: testOrigin}
	e.register(t, s, authenticatortest.New(), o)
	e.register(t, s, authenticatortest.New(), o)
	_, err := e.h.StartWebAuthnRegistration(e.ctx, &cognitoidp.StartWebAuthnRegistrationRequest{AccessToken: api.Ptr(s.token)})
	wantErr(t, err, "LimitExceededException", msgLimitExceeded)
	// A Start made while under the quota is held to it at Complete.
	e.svc.maxCredentials = 3
	pending := e.start(t, s.token)
	e.svc.maxCredentials = 2
	resp, _, _ := authenticatortest.New().Register(pending, o)
	_, err = e.complete(s.token, resp)
	wantErr(t, err, "LimitExceededException", msgLimitExceeded)
	if n := len(e.list(t, s.token)); n != 2 {
		t.Errorf("%d credentials, want 2", n)
	}
}

func TestConcurrentCompletesRegisterOnce(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	resp, _, _ := authenticatortest.New().Register(e.start(t, s.token), authenticatortest.Options{Origin: testOrigin})
	errs := make(chan error, 4)
	for range 4 {
		go func() { _, err := e.complete(s.token, resp); errs <- err }()
	}
	ok := 0
	for range 4 {
		if err := <-errs; err == nil {
			ok++
		} else {
			wantErr(t, err, "WebAuthnChallengeNotFoundException", "")
		}
	}
	if ok != 1 || len(e.list(t, s.token)) != 1 {
		t.Errorf("%d completions succeeded, want 1", ok)
	}
}
