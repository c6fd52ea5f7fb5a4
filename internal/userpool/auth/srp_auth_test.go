package auth

import (
	"encoding/base64"
	"regexp"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

var reUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestSRPSignIn(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AliasAttributes = []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail}
	})
	clientID := e.clientID(poolID)
	u := e.confirmedUser(poolID, "alice", goodPassword, "email", "alice@example.com", "email_verified", "true")

	// By alias: USERNAME and USER_ID_FOR_SRP are the internal username.
	cs, out, err := e.srpStart(poolID, clientID, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypePasswordVerifier || out.Session != nil || out.AuthenticationResult != nil {
		t.Fatalf("response = %+v", out)
	}
	ch := out.ChallengeParameters
	if ch["USERNAME"] != "alice" || ch["USER_ID_FOR_SRP"] != "alice" {
		t.Errorf("USERNAME %q, USER_ID_FOR_SRP %q", ch["USERNAME"], ch["USER_ID_FOR_SRP"])
	}
	if want := srp.SaltHex(mustCreds(t, u).Salt()); ch["SALT"] != want {
		t.Errorf("SALT = %q, want canonical %q", ch["SALT"], want)
	}
	if _, err := base64.StdEncoding.DecodeString(ch["SECRET_BLOCK"]); err != nil {
		t.Errorf("SECRET_BLOCK is not standard base64: %v", err)
	}
	if _, err := srp.ParsePublic(ch["SRP_B"]); err != nil {
		t.Errorf("SRP_B: %v", err)
	}
	claim := e.srpAnswer(cs, ch, goodPassword)
	// pycognito sends no Session; the answer works without one.
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "",
		"USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE", claim.Signature)
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthenticationResult == nil || r.ChallengeName != nil || len(r.ChallengeParameters) != 0 {
		t.Fatalf("response = %+v", r)
	}
	if got := claims(t, api.Deref(r.AuthenticationResult.AccessToken))["username"]; got != "alice" {
		t.Errorf("username claim %v", got)
	}
	// The same secret block does not work twice.
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "",
		"USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE", claim.Signature)
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	e.noSecretsLogged(goodPassword, claim.Signature)
}

func TestSRPSessionIsIgnored(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	cs, out, err := e.srpStart(poolID, clientID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	claim := e.srpAnswer(cs, out.ChallengeParameters, goodPassword)
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "a-session-sent-by-some-client-0123456789",
		"USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE", claim.Signature)
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("with a Session: %v", err)
	}
}

func TestSRPWrongPassword(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	_, err := e.srpSignIn(poolID, clientID, "alice", "Wr0ngPass!")
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	ev, _ := e.events.last()
	if ev.Event.Response != cognitoidp.EventResponseTypeFail {
		t.Errorf("event = %+v", ev.Event)
	}
}

func TestSRPTamperingAndTiming(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	otherClient := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	e.confirmedUser(poolID, "mallory", "M4llory!pass")

	start := func() (*srp.ClientSession, map[string]string) {
		cs, out, err := e.srpStart(poolID, clientID, "alice")
		if err != nil {
			t.Fatal(err)
		}
		return cs, out.ChallengeParameters
	}
	answer := func(client string, claim srp.ClaimResponse, user string) error {
		_, err := e.respond(client, cognitoidp.ChallengeNameTypePasswordVerifier, "",
			"USERNAME", user, "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp,
			"PASSWORD_CLAIM_SIGNATURE", claim.Signature)
		return err
	}

	t.Run("another client", func(t *testing.T) {
		cs, ch := start()
		wantErr(t, answer(otherClient, e.srpAnswer(cs, ch, goodPassword), "alice"), "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("the user comes from the secret block, not USERNAME", func(t *testing.T) {
		// Mallory answers Alice's challenge with her own password and name.
		cs, ch := start()
		claim, err := cs.Respond("mallory", "M4llory!pass", ch["SALT"], ch["SRP_B"], ch["SECRET_BLOCK"], e.clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, answer(clientID, claim, "mallory"), "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("altered secret block", func(t *testing.T) {
		cs, ch := start()
		raw, _ := base64.StdEncoding.DecodeString(ch["SECRET_BLOCK"])
		raw[len(raw)/2] ^= 1
		ch["SECRET_BLOCK"] = base64.StdEncoding.EncodeToString(raw)
		wantErr(t, answer(clientID, e.srpAnswer(cs, ch, goodPassword), "alice"), "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("secret block expires with the auth session", func(t *testing.T) {
		cs, ch := start()
		e.clk.Advance(3*time.Minute + time.Second)
		wantErr(t, answer(clientID, e.srpAnswer(cs, ch, goodPassword), "alice"), "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("timestamp far from the clock", func(t *testing.T) {
		cs, ch := start()
		key, err := cs.Key("alice", goodPassword, ch["SALT"], ch["SRP_B"])
		if err != nil {
			t.Fatal(err)
		}
		block, _ := base64.StdEncoding.DecodeString(ch["SECRET_BLOCK"])
		ts := srp.FormatTimestamp(e.clk.Now().Add(-6 * time.Minute))
		sig := base64.StdEncoding.EncodeToString(srp.Signature(key, srp.PoolName(poolID), "alice", block, ts))
		wantErr(t, answer(clientID, srp.ClaimResponse{SecretBlock: ch["SECRET_BLOCK"], Timestamp: ts, Signature: sig}, "alice"),
			"NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("timestamp not in the clients' format", func(t *testing.T) {
		cs, ch := start()
		claim := e.srpAnswer(cs, ch, goodPassword)
		claim.Timestamp = e.clk.Now().Format(time.RFC3339)
		wantErr(t, answer(clientID, claim, "alice"), "InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
	})
	t.Run("zero-padded day is accepted", func(t *testing.T) {
		cs, ch := start()
		key, err := cs.Key("alice", goodPassword, ch["SALT"], ch["SRP_B"])
		if err != nil {
			t.Fatal(err)
		}
		block, _ := base64.StdEncoding.DecodeString(ch["SECRET_BLOCK"])
		ts := e.clk.Now().Format("Mon Jan 02 15:04:05 UTC 2006")
		sig := base64.StdEncoding.EncodeToString(srp.Signature(key, srp.PoolName(poolID), "alice", block, ts))
		if err := answer(clientID, srp.ClaimResponse{SecretBlock: ch["SECRET_BLOCK"], Timestamp: ts, Signature: sig}, "alice"); err != nil {
			t.Fatalf("%s: %v", ts, err)
		}
	})
	t.Run("missing parameters", func(t *testing.T) {
		for _, missing := range []string{"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"} {
			cs, ch := start()
			claim := e.srpAnswer(cs, ch, goodPassword)
			p := params("USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE", claim.Signature)
			delete(p, missing)
			_, err := e.svc.RespondToAuthChallenge(e.ctx, &cognitoidp.RespondToAuthChallengeRequest{
				ClientId: api.Ptr(clientID), ChallengeName: api.Ptr(cognitoidp.ChallengeNameTypePasswordVerifier), ChallengeResponses: p,
			})
			wantErr(t, err, "InvalidParameterException", "Missing required parameter "+missing)
		}
	})
	t.Run("bad SRP_A", func(t *testing.T) {
		for _, a := range []string{"zz", srp.NHex, "0"} {
			_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeUserSrpAuth, "USERNAME", "alice", "SRP_A", a)
			wantErr(t, err, "InvalidParameterException", "SRP_A is not a valid SRP public value.")
		}
		_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeUserSrpAuth, "USERNAME", "alice")
		wantErr(t, err, "InvalidParameterException", "Missing required parameter SRP_A")
	})
}

func TestSRPUnknownUser(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	legacy := e.clientID(poolID)
	enabled := e.hidingClient(poolID)
	_, _, err := e.srpStart(poolID, legacy, "nobody")
	wantErr(t, err, "UserNotFoundException", "User does not exist.")

	// ENABLED: a simulated challenge, the same salt and UUID for the same
	// name every time, different for another name; the answer fails.
	_, out1, err := e.srpStart(poolID, enabled, "nobody")
	if err != nil {
		t.Fatal(err)
	}
	_, out2, err := e.srpStart(poolID, enabled, "nobody")
	if err != nil {
		t.Fatal(err)
	}
	_, out3, err := e.srpStart(poolID, enabled, "somebody")
	if err != nil {
		t.Fatal(err)
	}
	c1, c2, c3 := out1.ChallengeParameters, out2.ChallengeParameters, out3.ChallengeParameters
	if !reUUID.MatchString(c1["USER_ID_FOR_SRP"]) || c1["USERNAME"] != c1["USER_ID_FOR_SRP"] {
		t.Errorf("simulated ids %q / %q", c1["USERNAME"], c1["USER_ID_FOR_SRP"])
	}
	if c1["SALT"] != c2["SALT"] || c1["USER_ID_FOR_SRP"] != c2["USER_ID_FOR_SRP"] || c1["SRP_B"] == c2["SRP_B"] {
		t.Error("simulated salt and id are not stable, or B repeats")
	}
	if c1["SALT"] == c3["SALT"] || c1["USER_ID_FOR_SRP"] == c3["USER_ID_FOR_SRP"] {
		t.Error("two names share a simulated salt or id")
	}
	if len(c1["SALT"]) < 30 || len(c1["SECRET_BLOCK"]) < 100 {
		t.Errorf("simulated challenge looks thin: %v", c1)
	}
	_, err = e.srpSignIn(poolID, enabled, "nobody", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// Another replica (same master key) simulates the same answer.
	e2 := newEnv(t)
	if id, salt, _ := e2.svc.simulated(poolID, "name:nobody"); id != c1["USER_ID_FOR_SRP"] || srp.SaltHex(salt) != c1["SALT"] {
		t.Error("simulation differs between services sharing a master key")
	}
}

func TestSRPStates(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	legacy := e.clientID(poolID)
	enabled := e.hidingClient(poolID)
	e.confirmedUser(poolID, "disabled", goodPassword)
	if _, err := e.users.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("disabled")}); err != nil {
		t.Fatal(err)
	}
	// LEGACY: refused at InitiateAuth.
	_, _, err := e.srpStart(poolID, legacy, "disabled")
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	// ENABLED: a real challenge; the state shows only after the right proof.
	_, err = e.srpSignIn(poolID, enabled, "disabled", "Wr0ngPass!")
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = e.srpSignIn(poolID, enabled, "disabled", goodPassword)
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
}

func TestSRPWithSecretHash(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.UsernameAttributes = []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail}
	})
	c := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) { in.GenerateSecret = true })
	clientID, secret := *c.ClientId, *c.ClientSecret
	u := e.confirmedUser(poolID, "zoe@example.com", goodPassword)

	cs, out, err := e.srpStart(poolID, clientID, "zoe@example.com", "SECRET_HASH", signup.SecretHash(clientID, secret, "zoe@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	ch := out.ChallengeParameters
	if ch["USER_ID_FOR_SRP"] != u.Username {
		t.Fatalf("USER_ID_FOR_SRP %q, want %q", ch["USER_ID_FOR_SRP"], u.Username)
	}
	claim := e.srpAnswer(cs, ch, goodPassword)
	answer := func(username, hash string) error {
		_, err := e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "",
			"USERNAME", username, "SECRET_HASH", hash, "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock,
			"TIMESTAMP", claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE", claim.Signature)
		return err
	}
	// The hash in the answer is over the USERNAME sent with it.
	wantErr(t, answer(u.Username, signup.SecretHash(clientID, secret, "zoe@example.com")), "NotAuthorizedException", "Unable to verify secret hash for client "+clientID)
	if err := answer(u.Username, signup.SecretHash(clientID, secret, u.Username)); err != nil {
		t.Fatalf("hash over the internal username: %v", err)
	}
}
