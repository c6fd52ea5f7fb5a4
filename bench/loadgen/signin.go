package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cogito-dev/cogito/internal/srp"
)

// The sign-in scenarios (set "signin") share one setup: a user pool, an app client without a secret that
// allows USER_PASSWORD_AUTH, USER_SRP_AUTH and REFRESH_TOKEN_AUTH, and signinUsers confirmed users
// (AdminCreateUser with MessageAction SUPPRESS and a verified email, then AdminSetUserPassword Permanent).
// The loops that need tokens (refresh, get-user) sign every user in once during setup, with
// USER_PASSWORD_AUTH, and reuse those tokens: the client does not rotate refresh tokens (Cognito's default),
// and access tokens live an hour.
//
// A pool that takes the email as username (cognito-local's default configuration) is detected as in
// setupUserPool: its users are created and signed in with their email.

const (
	signinUsers    = 16
	signinPassword = "Bench-Passw0rd!" // meets Cognito's default password policy
	// srpSessions client secrets are drawn per run for signin-srp: A = g^a costs the client a 3072-bit
	// modexp, which the generator, sharing two cores with the server, should not pay on every sign-in. A
	// client reusing its A is indistinguishable to the server (its b, B and the sealed state are fresh).
	srpSessions = 32
	// srpOp is signin-srp's one measured operation: InitiateAuth USER_SRP_AUTH and RespondToAuthChallenge
	// PASSWORD_VERIFIER, timed together as one sign-in.
	srpOp = "SignIn(SRP)"
)

type signinUser struct {
	login        []byte // what the user signs in with (Username, or the email in email-as-username pools)
	loginQuoted  []byte // as a JSON string
	accessToken  []byte // JSON string, for get-user
	refreshToken []byte // JSON string, for refresh
}

type signinFixture struct {
	clientQuoted []byte // app client id as a JSON string
	poolName     string // srp.PoolName of the pool
	users        []signinUser
	srp          []*srp.ClientSession
}

func signinScenarios() []scenario {
	return []scenario{
		{
			name: "signin-password",
			set:  "signin",
			about: fmt.Sprintf("setup: a pool, an app client, %d confirmed users; loop: InitiateAuth USER_PASSWORD_AUTH "+
				"(a sign-in: password check and tokens; checked)", signinUsers),
			ops:   []string{"InitiateAuth"},
			setup: func(ctx context.Context, c *client, fx *fixture) error { return setupSignin(ctx, c, fx, false) },
			step:  stepSigninPassword,
		},
		{
			name: "signin-srp",
			set:  "signin",
			about: fmt.Sprintf("setup: as signin-password; loop: InitiateAuth USER_SRP_AUTH then RespondToAuthChallenge "+
				"PASSWORD_VERIFIER, timed as one sign-in (%s; checked)", srpOp),
			ops: []string{srpOp},
			setup: func(ctx context.Context, c *client, fx *fixture) error {
				if err := setupSignin(ctx, c, fx, false); err != nil {
					return err
				}
				for range srpSessions {
					fx.signin.srp = append(fx.signin.srp, srp.NewClientSession(fx.signin.poolName))
				}
				return nil
			},
			step: stepSigninSRP,
		},
		{
			name:  "refresh",
			set:   "signin",
			about: "setup: as signin-password, every user signed in once; loop: InitiateAuth REFRESH_TOKEN_AUTH (checked)",
			ops:   []string{"InitiateAuth"},
			setup: func(ctx context.Context, c *client, fx *fixture) error { return setupSignin(ctx, c, fx, true) },
			step:  stepRefresh,
		},
		{
			name:  "get-user",
			set:   "signin",
			about: "setup: as signin-password, every user signed in once; loop: GetUser with an access token (checked)",
			ops:   []string{"GetUser"},
			setup: func(ctx context.Context, c *client, fx *fixture) error { return setupSignin(ctx, c, fx, true) },
			step:  stepGetUser,
		},
	}
}

func init() { scenarios = append(scenarios, signinScenarios()...) }

type authResultOut struct {
	AuthenticationResult struct {
		AccessToken  string
		RefreshToken string
	}
	ChallengeName string
}

// setupSignin creates the pool, the app client and the users; with tokens, it signs every user in once.
func setupSignin(ctx context.Context, c *client, fx *fixture, tokens bool) error {
	var pool userPoolOut
	if err := c.call(ctx, "CreateUserPool", map[string]any{"PoolName": "bench-" + fx.runID}, &pool); err != nil {
		return err
	}
	if pool.UserPool.Id == "" {
		return fmt.Errorf("CreateUserPool: no UserPool.Id in the response")
	}
	fx.deletePool(pool.UserPool.Id)
	fx.poolID = pool.UserPool.Id
	fx.emailUsername = slices.Contains(pool.UserPool.UsernameAttributes, "email")

	var cl struct{ UserPoolClient struct{ ClientId string } }
	if err := c.call(ctx, "CreateUserPoolClient", map[string]any{
		"UserPoolId": fx.poolID, "ClientName": "bench-" + fx.runID,
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	}, &cl); err != nil {
		return err
	}
	if cl.UserPoolClient.ClientId == "" {
		return fmt.Errorf("CreateUserPoolClient: no UserPoolClient.ClientId in the response")
	}
	sf := &signinFixture{poolName: srp.PoolName(fx.poolID)}
	sf.clientQuoted, _ = json.Marshal(cl.UserPoolClient.ClientId)

	for i := range signinUsers {
		name := fmt.Sprintf("s%s-%d", fx.runID, i)
		email := name + "@bench.example"
		login := name
		if fx.emailUsername {
			login = email
		}
		if err := c.call(ctx, "AdminCreateUser", map[string]any{
			"UserPoolId": fx.poolID, "Username": login, "MessageAction": "SUPPRESS",
			"UserAttributes": []map[string]string{{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}},
		}, nil); err != nil {
			return err
		}
		if err := c.call(ctx, "AdminSetUserPassword", map[string]any{
			"UserPoolId": fx.poolID, "Username": login, "Password": signinPassword, "Permanent": true,
		}, nil); err != nil {
			return err
		}
		u := signinUser{login: []byte(login)}
		u.loginQuoted, _ = json.Marshal(login)
		sf.users = append(sf.users, u)
	}
	fx.signin = sf

	if !tokens {
		return nil
	}
	for i := range sf.users {
		u := &sf.users[i]
		var out authResultOut
		if err := c.call(ctx, "InitiateAuth", json.RawMessage(appendPasswordAuth(nil, sf, u)), &out); err != nil {
			return fmt.Errorf("signing %s in: %w", u.login, err)
		}
		r := out.AuthenticationResult
		if r.AccessToken == "" || r.RefreshToken == "" {
			return fmt.Errorf("signing %s in: no AccessToken and RefreshToken (challenge %q)", u.login, out.ChallengeName)
		}
		u.accessToken, _ = json.Marshal(r.AccessToken)
		u.refreshToken, _ = json.Marshal(r.RefreshToken)
	}
	return nil
}

// user picks the user of an iteration, in turn.
func (sf *signinFixture) user(iter uint64) *signinUser { return &sf.users[iter%uint64(len(sf.users))] }

func appendPasswordAuth(b []byte, sf *signinFixture, u *signinUser) []byte {
	b = append(b, `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":`...)
	b = append(b, sf.clientQuoted...)
	b = append(b, `,"AuthParameters":{"USERNAME":`...)
	b = append(b, u.loginQuoted...)
	b = append(b, `,"PASSWORD":"`+signinPassword+`"}}`...)
	return b
}

var accessTokenKey = []byte(`"AccessToken"`)

// checkTokens refuses an answer without tokens (a challenge, say).
func checkTokens(resp []byte) error {
	if !bytes.Contains(resp, accessTokenKey) {
		return fmt.Errorf("no AccessToken in the answer: %.200s", resp)
	}
	return nil
}

func stepSigninPassword(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	sf := fx.signin
	w.scratch = appendPasswordAuth(w.scratch[:0], sf, sf.user(iter))
	_, err := w.callCheck(ctx, "InitiateAuth", w.scratch, checkTokens)
	return err
}

func stepRefresh(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	sf := fx.signin
	b := append(w.scratch[:0], `{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":`...)
	b = append(b, sf.clientQuoted...)
	b = append(b, `,"AuthParameters":{"REFRESH_TOKEN":`...)
	b = append(b, sf.user(iter).refreshToken...)
	b = append(b, `}}`...)
	w.scratch = b
	_, err := w.callCheck(ctx, "InitiateAuth", b, checkTokens)
	return err
}

var usernameAttrKey = []byte(`"Username"`)

func stepGetUser(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	b := append(w.scratch[:0], `{"AccessToken":`...)
	b = append(b, fx.signin.user(iter).accessToken...)
	b = append(b, '}')
	w.scratch = b
	_, err := w.callCheck(ctx, "GetUser", b, func(resp []byte) error {
		if !bytes.Contains(resp, usernameAttrKey) {
			return fmt.Errorf("no Username in the answer: %.200s", resp)
		}
		return nil
	})
	return err
}

// send is one call of a multi-call step: not recorded on its own (the step records the whole), but cut
// short like any call when the run ends.
func (w *worker) send(ctx context.Context, op string, body []byte) ([]byte, error) {
	resp, err := w.c.do(ctx, op, body, w.buf)
	w.buf = resp
	if err != nil && ctx.Err() != nil {
		return resp, errStopped
	}
	if err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			ae.msg = op + ": " + ae.msg
		}
	}
	return resp, err
}

type srpChallengeOut struct {
	ChallengeName       string
	Session             string
	ChallengeParameters struct {
		SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP string
	}
}

// stepSigninSRP signs in with SRP the way Amplify does: InitiateAuth USER_SRP_AUTH with SRP_A, then
// RespondToAuthChallenge PASSWORD_VERIFIER with the claim computed from the challenge (its strings are
// ASCII: strconv quoting is JSON quoting). The two calls and
// the client's computation between them are timed as one sign-in (srpOp).
func stepSigninSRP(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	t0 := time.Now()
	err := signinSRP(ctx, w, fx, iter)
	if errors.Is(err, errStopped) {
		return err
	}
	return w.recordOp(srpOp, time.Since(t0), err)
}

func signinSRP(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	sf := fx.signin
	u := sf.user(iter)
	sess := sf.srp[iter%uint64(len(sf.srp))]
	b := append(w.scratch[:0], `{"AuthFlow":"USER_SRP_AUTH","ClientId":`...)
	b = append(b, sf.clientQuoted...)
	b = append(b, `,"AuthParameters":{"USERNAME":`...)
	b = append(b, u.loginQuoted...)
	b = append(b, `,"SRP_A":"`...)
	b = append(b, sess.PublicHex()...)
	b = append(b, `"}}`...)
	w.scratch = b
	resp, err := w.send(ctx, "InitiateAuth", b)
	if err != nil {
		return err
	}
	var ch srpChallengeOut
	if err := json.Unmarshal(resp, &ch); err != nil {
		return &apiError{status: 200, kind: "WrongAnswer", msg: "InitiateAuth: " + err.Error()}
	}
	p := ch.ChallengeParameters
	if ch.ChallengeName != "PASSWORD_VERIFIER" || p.SRP_B == "" || p.SALT == "" || p.SECRET_BLOCK == "" {
		return &apiError{status: 200, kind: "WrongAnswer", msg: fmt.Sprintf("InitiateAuth: not a PASSWORD_VERIFIER challenge: %.200s", resp)}
	}
	userID := p.USER_ID_FOR_SRP
	if userID == "" {
		userID = string(u.login)
	}
	claim, err := sess.Respond(userID, signinPassword, p.SALT, p.SRP_B, p.SECRET_BLOCK, time.Now())
	if err != nil {
		return &apiError{status: 200, kind: "WrongAnswer", msg: "PASSWORD_VERIFIER: " + err.Error()}
	}
	b = append(w.scratch[:0], `{"ChallengeName":"PASSWORD_VERIFIER","ClientId":`...)
	b = append(b, sf.clientQuoted...)
	if ch.Session != "" {
		b = append(b, `,"Session":`...)
		b = strconv.AppendQuote(b, ch.Session)
	}
	b = append(b, `,"ChallengeResponses":{"USERNAME":`...)
	b = strconv.AppendQuote(b, userID)
	b = append(b, `,"PASSWORD_CLAIM_SECRET_BLOCK":`...)
	b = strconv.AppendQuote(b, claim.SecretBlock)
	b = append(b, `,"PASSWORD_CLAIM_SIGNATURE":`...)
	b = strconv.AppendQuote(b, claim.Signature)
	b = append(b, `,"TIMESTAMP":`...)
	b = strconv.AppendQuote(b, claim.Timestamp)
	b = append(b, `}}`...)
	w.scratch = b
	resp, err = w.send(ctx, "RespondToAuthChallenge", b)
	if err != nil {
		return err
	}
	if err := checkTokens(resp); err != nil {
		return &apiError{status: 200, kind: "WrongAnswer", msg: "RespondToAuthChallenge: " + err.Error()}
	}
	return nil
}
