package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/cogito-dev/cogito/internal/srp"
)

// allFlows are the client auth flows the sign-in tests enable.
var allFlows = []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
	types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

// signInPool creates a pool (in may be nil) and a public client allowing
// allFlows; client adjusts the client input.
func signInPool(t *testing.T, c *cogito, prefix string, in *idp.CreateUserPoolInput, client func(*idp.CreateUserPoolClientInput)) (poolID, clientID string) {
	t.Helper()
	needs(t, "InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge")
	pool := createPool(t, c, prefix, in)
	cin := &idp.CreateUserPoolClientInput{UserPoolId: pool.Id, ExplicitAuthFlows: allFlows}
	if client != nil {
		client(cin)
	}
	cl := createClient(t, c, cin)
	return aws.ToString(pool.Id), aws.ToString(cl.ClientId)
}

// passwordAuth is InitiateAuth USER_PASSWORD_AUTH.
func passwordAuth(t testing.TB, c *cogito, clientID, username, password string) (*idp.InitiateAuthOutput, error) {
	t.Helper()
	return c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
}

// adminPasswordAuth is AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH.
func adminPasswordAuth(t testing.TB, c *cogito, poolID, clientID, username, password string) (*idp.AdminInitiateAuthOutput, error) {
	t.Helper()
	return c.IDP.AdminInitiateAuth(ctx(t), &idp.AdminInitiateAuthInput{
		UserPoolId: &poolID, ClientId: &clientID, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
}

// tokens asserts a sign-in step (the output of InitiateAuth,
// AdminInitiateAuth, (Admin)RespondToAuthChallenge or
// GetTokensFromRefreshToken) ended with tokens and returns them.
func tokens(t testing.TB, step string, out any, err error) *types.AuthenticationResultType {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	var r *types.AuthenticationResultType
	var challenge types.ChallengeNameType
	switch o := out.(type) {
	case *idp.InitiateAuthOutput:
		r, challenge = o.AuthenticationResult, o.ChallengeName
	case *idp.AdminInitiateAuthOutput:
		r, challenge = o.AuthenticationResult, o.ChallengeName
	case *idp.RespondToAuthChallengeOutput:
		r, challenge = o.AuthenticationResult, o.ChallengeName
	case *idp.AdminRespondToAuthChallengeOutput:
		r, challenge = o.AuthenticationResult, o.ChallengeName
	case *idp.GetTokensFromRefreshTokenOutput:
		r = o.AuthenticationResult
	default:
		t.Fatalf("%s: tokens of a %T", step, out)
	}
	if challenge != "" || r == nil || r.AccessToken == nil || r.IdToken == nil {
		t.Fatalf("%s: challenge %q, result %+v; want tokens", step, challenge, r)
	}
	if r.TokenType == nil || *r.TokenType != "Bearer" || r.ExpiresIn != 3600 {
		t.Errorf("%s: TokenType %v ExpiresIn %d, want Bearer 3600", step, aws.ToString(r.TokenType), r.ExpiresIn)
	}
	return r
}

// srpStart sends InitiateAuth USER_SRP_AUTH and checks the PASSWORD_VERIFIER
// challenge.
func srpStart(t testing.TB, c *cogito, poolID, clientID, username string) (*srp.ClientSession, *idp.InitiateAuthOutput) {
	t.Helper()
	cs := srp.NewClientSession(srp.PoolName(poolID))
	out, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: map[string]string{"USERNAME": username, "SRP_A": cs.PublicHex()},
	})
	if err != nil {
		t.Fatalf("InitiateAuth USER_SRP_AUTH(%s): %v", username, err)
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("InitiateAuth USER_SRP_AUTH: challenge %q, want PASSWORD_VERIFIER", out.ChallengeName)
	}
	p := out.ChallengeParameters
	for _, k := range []string{"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"} {
		if p[k] == "" {
			t.Fatalf("PASSWORD_VERIFIER parameters lack %s: %v", k, p)
		}
	}
	// SALT in canonical padHex form: no redundant leading 00 byte.
	if s := p["SALT"]; strings.HasPrefix(s, "00") && len(s) > 2 && s[2] < '8' {
		t.Errorf("SALT %q has a redundant leading 00", s)
	}
	return cs, out
}

// srpAnswer answers PASSWORD_VERIFIER for the challenge out with password,
// without a Session (as pycognito does) unless withSession.
func srpAnswer(t testing.TB, c *cogito, clientID string, cs *srp.ClientSession, out *idp.InitiateAuthOutput, password string, withSession bool) (*idp.RespondToAuthChallengeOutput, error) {
	t.Helper()
	p := out.ChallengeParameters
	claim, err := cs.Respond(p["USER_ID_FOR_SRP"], password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], time.Now())
	if err != nil {
		t.Fatalf("srp Respond: %v", err)
	}
	in := &idp.RespondToAuthChallengeInput{
		ClientId: &clientID, ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ChallengeResponses: map[string]string{
			"USERNAME":                    p["USER_ID_FOR_SRP"],
			"PASSWORD_CLAIM_SECRET_BLOCK": claim.SecretBlock,
			"TIMESTAMP":                   claim.Timestamp,
			"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
		},
	}
	if withSession {
		in.Session = out.Session
	}
	return c.IDP.RespondToAuthChallenge(ctx(t), in)
}

// srpSignIn signs in with USER_SRP_AUTH and returns the tokens.
func srpSignIn(t testing.TB, c *cogito, poolID, clientID, username, password string) *types.AuthenticationResultType {
	t.Helper()
	cs, out := srpStart(t, c, poolID, clientID, username)
	resp, err := srpAnswer(t, c, clientID, cs, out, password, false)
	if err != nil {
		t.Fatalf("RespondToAuthChallenge PASSWORD_VERIFIER(%s): %v", username, err)
	}
	return tokens(t, "PASSWORD_VERIFIER", resp, nil)
}

// claimSet is what the tests read of a verified token.
type claimSet map[string]any

func (m claimSet) str(k string) string { s, _ := m[k].(string); return s }

// verifyJWT checks a token as a relying party does with go-jose: RS256, a kid
// found in the pool's JWKS, the signature, iss, exp and iat; it returns the
// claims.
func verifyJWT(t testing.TB, c *cogito, poolID, issuer, token string) claimSet {
	t.Helper()
	var set jose.JSONWebKeySet
	resp, err := c.HTTP.Get(c.URL + "/" + poolID + "/.well-known/jwks.json")
	if err != nil {
		t.Fatalf("GET JWKS: %v", err)
	}
	err = json.NewDecoder(resp.Body).Decode(&set)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse JWT: %v", err)
	}
	if len(tok.Headers) != 1 || tok.Headers[0].KeyID == "" {
		t.Fatalf("JWT headers %+v, want one with a kid", tok.Headers)
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q matches %d JWKS keys, want 1", tok.Headers[0].KeyID, len(keys))
	}
	var std jwt.Claims
	all := claimSet{}
	if err := tok.Claims(keys[0].Key, &std, &all); err != nil {
		t.Fatalf("JWT signature: %v", err)
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: issuer, Time: time.Now()}, 5*time.Second); err != nil {
		t.Fatalf("JWT claims: %v", err)
	}
	if std.IssuedAt == nil || std.Expiry == nil || std.Expiry.Time().Sub(std.IssuedAt.Time()) != time.Hour {
		t.Errorf("JWT iat %v exp %v, want exp = iat + 1h", std.IssuedAt, std.Expiry)
	}
	return all
}

var uuidLike = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// USER_SRP_AUTH driven by internal/srp's client side, with and without a
// Session on the answer and by alias, and the tokens verified with go-jose
// against the pool's JWKS.
func testSignInSRP(t *testing.T, c *cogito) {
	pool, client := signInPool(t, c, "srp", &idp.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}}, nil)
	u := adminCreateConfirmed(t, c, pool, "srp-user", "Passw0rd!", "email", "srp@example.com", "email_verified", "true", "name", "Srp User")
	sub := attrMap(t, u.Attributes)["sub"]

	cs, out := srpStart(t, c, pool, client, "srp-user")
	if p := out.ChallengeParameters; p["USERNAME"] != "srp-user" || p["USER_ID_FOR_SRP"] != "srp-user" {
		t.Errorf("PASSWORD_VERIFIER USERNAME %q USER_ID_FOR_SRP %q, want the internal username", p["USERNAME"], p["USER_ID_FOR_SRP"])
	}
	resp, err := srpAnswer(t, c, client, cs, out, "Passw0rd!", false)
	r := tokens(t, "PASSWORD_VERIFIER without Session", resp, err)
	if r.RefreshToken == nil || !regexp.MustCompile(`^[A-Za-z0-9-_=.]+$`).MatchString(*r.RefreshToken) {
		t.Errorf("refresh token %q is not an opaque token", aws.ToString(r.RefreshToken))
	}

	issuer := c.URL + "/" + pool
	id := verifyJWT(t, c, pool, issuer, *r.IdToken)
	access := verifyJWT(t, c, pool, issuer, *r.AccessToken)
	if id.str("token_use") != "id" || id.str("aud") != client || id.str("sub") != sub || id.str("cognito:username") != "srp-user" ||
		id.str("email") != "srp@example.com" || id["email_verified"] != true || id.str("name") != "Srp User" {
		t.Errorf("ID token claims = %v", id)
	}
	if access.str("token_use") != "access" || access.str("client_id") != client || access.str("sub") != sub ||
		access.str("username") != "srp-user" || access.str("scope") != "aws.cognito.signin.user.admin" || access["aud"] != nil {
		t.Errorf("access token claims = %v", access)
	}
	if !uuidLike.MatchString(id.str("origin_jti")) || id.str("origin_jti") != access.str("origin_jti") || id.str("jti") == access.str("jti") {
		t.Errorf("jti/origin_jti: id %v/%v access %v/%v", id["jti"], id["origin_jti"], access["jti"], access["origin_jti"])
	}
	if at, ok := id["auth_time"].(float64); !ok || time.Since(time.Unix(int64(at), 0)) > time.Minute {
		t.Errorf("auth_time = %v", id["auth_time"])
	}
	hdr := func(tok string) string {
		p, _ := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
		return p.Signatures[0].Header.KeyID
	}
	if hdr(*r.IdToken) == hdr(*r.AccessToken) {
		t.Errorf("ID and access tokens share the signing key %s", hdr(*r.IdToken))
	}

	// The same exchange answered with the Session, as Amplify does, and a
	// sign-in by the email alias: the challenge names the internal username.
	cs, out = srpStart(t, c, pool, client, "srp@example.com")
	if out.ChallengeParameters["USER_ID_FOR_SRP"] != "srp-user" {
		t.Errorf("alias sign-in: USER_ID_FOR_SRP %q, want srp-user", out.ChallengeParameters["USER_ID_FOR_SRP"])
	}
	resp, err = srpAnswer(t, c, client, cs, out, "Passw0rd!", true)
	tokens(t, "PASSWORD_VERIFIER with Session, by alias", resp, err)

	// A wrong password fails the proof; a secret block is good for one answer.
	cs, out = srpStart(t, c, pool, client, "srp-user")
	_, err = srpAnswer(t, c, client, cs, out, "Wr0ng-Passw0rd!", false)
	wantClientError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	cs, out = srpStart(t, c, pool, client, "srp-user")
	resp, err = srpAnswer(t, c, client, cs, out, "Passw0rd!", false)
	tokens(t, "PASSWORD_VERIFIER", resp, err)
	_, err = srpAnswer(t, c, client, cs, out, "Passw0rd!", false)
	apiError(t, err, "NotAuthorizedException")

	// A client without ALLOW_USER_SRP_AUTH refuses the flow.
	noSRP := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	_, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: noSRP.ClientId, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: map[string]string{"USERNAME": "srp-user", "SRP_A": srp.NewClientSession(srp.PoolName(pool)).PublicHex()}})
	wantClientError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
}

// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH, and the flow checks.
func testSignInPasswordFlows(t *testing.T, c *cogito) {
	pool, client := signInPool(t, c, "pwflows", nil, nil)
	adminCreateConfirmed(t, c, pool, "pw-user", "Passw0rd!")

	out, err := passwordAuth(t, c, client, "pw-user", "Passw0rd!")
	r := tokens(t, "USER_PASSWORD_AUTH", out, err)
	if r.RefreshToken == nil {
		t.Error("USER_PASSWORD_AUTH returned no refresh token")
	}
	aout, err := adminPasswordAuth(t, c, pool, client, "pw-user", "Passw0rd!")
	tokens(t, "ADMIN_USER_PASSWORD_AUTH", aout, err)
	// The legacy name of the admin flow.
	aout, err = c.IDP.AdminInitiateAuth(ctx(t), &idp.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client, AuthFlow: types.AuthFlowTypeAdminNoSrpAuth,
		AuthParameters: map[string]string{"USERNAME": "pw-user", "PASSWORD": "Passw0rd!"}})
	tokens(t, "ADMIN_NO_SRP_AUTH", aout, err)

	// InitiateAuth does not take the admin flow.
	_, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "pw-user", "PASSWORD": "Passw0rd!"}})
	apiError(t, err, "InvalidParameterException")

	// A client with only SRP refuses the password flows with Cognito's messages.
	srpOnly := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	_, err = passwordAuth(t, c, *srpOnly.ClientId, "pw-user", "Passw0rd!")
	wantClientError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
	_, err = adminPasswordAuth(t, c, pool, *srpOnly.ClientId, "pw-user", "Passw0rd!")
	wantClientError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")

	// An unknown client, a missing password.
	_, err = passwordAuth(t, c, "nosuchclient0000000000000", "pw-user", "Passw0rd!")
	apiError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "pw-user"}})
	apiError(t, err, "InvalidParameterException")
}

// Every failure a sign-in can meet, in the three flows where it applies,
// with LEGACY and ENABLED user-existence errors.
func testSignInFailures(t *testing.T, c *cogito) {
	needs(t, "SignUp", "AdminDisableUser", "AdminResetUserPassword")
	pool, client := signInPool(t, c, "fail", &idp.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}, nil)
	// Each check below fails three times (one per flow); five failures would
	// lock a user, so a second wrong-password check uses another one.
	adminCreateConfirmed(t, c, pool, "ok", "Passw0rd!", "email", "ok@example.com", "email_verified", "true")
	adminCreateConfirmed(t, c, pool, "ok2", "Passw0rd!")

	type attempt struct {
		name string
		try  func(username, password string) error
	}
	flows := []attempt{
		{"USER_PASSWORD_AUTH", func(u, p string) error { _, err := passwordAuth(t, c, client, u, p); return err }},
		{"ADMIN_USER_PASSWORD_AUTH", func(u, p string) error { _, err := adminPasswordAuth(t, c, pool, client, u, p); return err }},
		{"USER_SRP_AUTH", func(u, p string) error {
			cs := srp.NewClientSession(srp.PoolName(pool))
			out, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserSrpAuth,
				AuthParameters: map[string]string{"USERNAME": u, "SRP_A": cs.PublicHex()}})
			if err != nil {
				return err
			}
			_, err = srpAnswer(t, c, client, cs, out, p, false)
			return err
		}},
	}
	check := func(username, password, code, msg string) {
		t.Helper()
		for _, f := range flows {
			err := f.try(username, password)
			if err == nil {
				t.Errorf("%s as %s: signed in, want %s %q", f.name, username, code, msg)
				continue
			}
			ae := apiError(t, err, code)
			if ae.ErrorMessage() != msg {
				t.Errorf("%s as %s: %s %q, want %q", f.name, username, code, ae.ErrorMessage(), msg)
			}
		}
	}

	check("ok", "Wr0ng-Passw0rd!", "NotAuthorizedException", "Incorrect username or password.")
	check("nobody", "Passw0rd!", "UserNotFoundException", "User does not exist.")

	signUp(t, c, client, "unconfirmed", "Passw0rd!", "email", "unconfirmed@example.com")
	check("unconfirmed", "Passw0rd!", "UserNotConfirmedException", "User is not confirmed.")

	adminCreateConfirmed(t, c, pool, "disabled", "Passw0rd!")
	if _, err := c.IDP.AdminDisableUser(ctx(t), &idp.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("disabled")}); err != nil {
		t.Fatalf("AdminDisableUser: %v", err)
	}
	check("disabled", "Passw0rd!", "NotAuthorizedException", "User is disabled.")

	adminCreateConfirmed(t, c, pool, "reset", "Passw0rd!", "email", "reset@example.com", "email_verified", "true")
	if _, err := c.IDP.AdminResetUserPassword(ctx(t), &idp.AdminResetUserPasswordInput{UserPoolId: &pool, Username: aws.String("reset")}); err != nil {
		t.Fatalf("AdminResetUserPassword: %v", err)
	}
	check("reset", "Passw0rd!", "PasswordResetRequiredException", "Password reset required for the user")

	// ENABLED: an unknown user looks like a wrong password; SRP even runs a
	// simulated challenge, the same for the same name.
	if _, err := c.IDP.UpdateUserPoolClient(ctx(t), &idp.UpdateUserPoolClientInput{UserPoolId: &pool, ClientId: &client,
		ExplicitAuthFlows: allFlows, PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}); err != nil {
		t.Fatalf("UpdateUserPoolClient: %v", err)
	}
	check("nobody", "Passw0rd!", "NotAuthorizedException", "Incorrect username or password.")
	check("ok2", "Wr0ng-Passw0rd!", "NotAuthorizedException", "Incorrect username or password.")
	_, a := srpStart(t, c, pool, client, "nobody")
	_, b := srpStart(t, c, pool, client, "nobody")
	if a.ChallengeParameters["SALT"] != b.ChallengeParameters["SALT"] || a.ChallengeParameters["USER_ID_FOR_SRP"] != b.ChallengeParameters["USER_ID_FOR_SRP"] ||
		!uuidLike.MatchString(a.ChallengeParameters["USER_ID_FOR_SRP"]) {
		t.Errorf("simulated challenges for one unknown name differ or lack a UUID USER_ID_FOR_SRP: %v / %v", a.ChallengeParameters, b.ChallengeParameters)
	}
	// The good password still signs in.
	out, err := passwordAuth(t, c, client, "ok", "Passw0rd!")
	tokens(t, "USER_PASSWORD_AUTH", out, err)
}

// Five failures lock the user for a second: even the right password gets
// "Password attempts exceeded" until the lock passes.
func testSignInLockout(t *testing.T, c *cogito) {
	pool, client := signInPool(t, c, "lockout", nil, nil)
	adminCreateConfirmed(t, c, pool, "locked", "Passw0rd!")
	for i := range 5 {
		_, err := passwordAuth(t, c, client, "locked", "Wr0ng-Passw0rd!")
		ae := apiError(t, err, "NotAuthorizedException")
		if ae.ErrorMessage() != "Incorrect username or password." {
			t.Fatalf("failure %d: %q", i+1, ae.ErrorMessage())
		}
	}
	lockedAt := time.Now()
	_, err := passwordAuth(t, c, client, "locked", "Passw0rd!")
	wantClientError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	_, err = adminPasswordAuth(t, c, pool, client, "locked", "Passw0rd!")
	wantClientError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	// The lock (2^(5−5) = 1 s) passes; the right password signs in.
	time.Sleep(time.Until(lockedAt.Add(1100 * time.Millisecond)))
	out, err := passwordAuth(t, c, client, "locked", "Passw0rd!")
	tokens(t, "USER_PASSWORD_AUTH after the lock", out, err)
}

// REFRESH_TOKEN_AUTH keeps the refresh token; GetTokensFromRefreshToken
// rotates it when the client enables rotation, and a spent token is refused.
func testRefreshAndRotation(t *testing.T, c *cogito) {
	needs(t, "GetTokensFromRefreshToken")
	pool, client := signInPool(t, c, "refresh", nil, nil)
	adminCreateConfirmed(t, c, pool, "r-user", "Passw0rd!")
	out, err := passwordAuth(t, c, client, "r-user", "Passw0rd!")
	first := tokens(t, "USER_PASSWORD_AUTH", out, err)
	issuer := c.URL + "/" + pool
	firstAccess := verifyJWT(t, c, pool, issuer, *first.AccessToken)

	for _, flow := range []types.AuthFlowType{types.AuthFlowTypeRefreshTokenAuth, types.AuthFlowTypeRefreshToken} {
		out, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &client, AuthFlow: flow,
			AuthParameters: map[string]string{"REFRESH_TOKEN": *first.RefreshToken}})
		r := tokens(t, string(flow), out, err)
		if r.RefreshToken != nil {
			t.Errorf("%s returned a refresh token", flow)
		}
		a := verifyJWT(t, c, pool, issuer, *r.AccessToken)
		if a.str("origin_jti") != firstAccess.str("origin_jti") || a["auth_time"] != firstAccess["auth_time"] || a.str("jti") == firstAccess.str("jti") {
			t.Errorf("%s access token: origin_jti %v auth_time %v jti %v; first %v %v %v", flow, a["origin_jti"], a["auth_time"], a["jti"],
				firstAccess["origin_jti"], firstAccess["auth_time"], firstAccess["jti"])
		}
	}
	aout, err := c.IDP.AdminInitiateAuth(ctx(t), &idp.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *first.RefreshToken}})
	tokens(t, "AdminInitiateAuth REFRESH_TOKEN_AUTH", aout, err)

	// Without rotation GetTokensFromRefreshToken returns no new refresh token.
	g, err := c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: &client, RefreshToken: first.RefreshToken})
	r := tokens(t, "GetTokensFromRefreshToken", g, err)
	if r.RefreshToken != nil && *r.RefreshToken != *first.RefreshToken {
		t.Errorf("GetTokensFromRefreshToken without rotation returned a new refresh token")
	}
	// A garbage token, and one of another client.
	_, err = c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: &client, RefreshToken: aws.String("not.a.refresh.token")})
	wantClientError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
	other := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool, ExplicitAuthFlows: allFlows})
	_, err = c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: other.ClientId, RefreshToken: first.RefreshToken})
	apiError(t, err, "NotAuthorizedException")

	// With rotation: a new refresh token each time; the old one is spent.
	rot := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &pool, ExplicitAuthFlows: allFlows,
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(0)}})
	out, err = passwordAuth(t, c, *rot.ClientId, "r-user", "Passw0rd!")
	r1 := tokens(t, "USER_PASSWORD_AUTH (rotating client)", out, err)
	g, err = c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: rot.ClientId, RefreshToken: r1.RefreshToken})
	r2 := tokens(t, "GetTokensFromRefreshToken (rotating)", g, err)
	if r2.RefreshToken == nil || *r2.RefreshToken == *r1.RefreshToken {
		t.Fatalf("rotation returned refresh token %v, want a new one", aws.ToString(r2.RefreshToken))
	}
	g, err = c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: rot.ClientId, RefreshToken: r2.RefreshToken})
	r3 := tokens(t, "GetTokensFromRefreshToken (rotating, again)", g, err)
	_, err = c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: rot.ClientId, RefreshToken: r1.RefreshToken})
	apiError(t, err, "RefreshTokenReuseException")
	// Cogito revokes the family on reuse (OAuth reuse detection): the
	// newest refresh token of that sign-in is dead too.
	_, err = c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: rot.ClientId, RefreshToken: r3.RefreshToken})
	apiError(t, err, "NotAuthorizedException")
	// The other sign-in of the user is untouched.
	_, err = c.IDP.GetTokensFromRefreshToken(ctx(t), &idp.GetTokensFromRefreshTokenInput{ClientId: &client, RefreshToken: first.RefreshToken})
	if err != nil {
		t.Errorf("another sign-in's refresh token after a reuse: %v", err)
	}
}

// An admin-created user's first sign-in answers NEW_PASSWORD_REQUIRED, in
// the admin and the public (SRP) flows; a required attribute cannot be blanked.
func testNewPasswordRequired(t *testing.T, c *cogito) {
	pool, client := signInPool(t, c, "newpw", &idp.CreateUserPoolInput{
		Policies: strictPolicy(),
		Schema:   []types.SchemaAttributeType{{Name: aws.String("name"), Required: aws.Bool(true), Mutable: aws.Bool(true), AttributeDataType: types.AttributeDataTypeString}},
	}, nil)
	adminCreate(t, c, pool, "invited", "email", "invited@example.com", "name", "Invited")

	aout, err := adminPasswordAuth(t, c, pool, client, "invited", "Temp-Passw0rd")
	if err != nil {
		t.Fatalf("ADMIN_USER_PASSWORD_AUTH with the temporary password: %v", err)
	}
	if aout.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aout.Session == nil || aout.AuthenticationResult != nil {
		t.Fatalf("first sign-in = %s, want NEW_PASSWORD_REQUIRED with a Session", asJSON(t, aout))
	}
	p := aout.ChallengeParameters
	var current map[string]string
	var required []string
	if err := json.Unmarshal([]byte(p["userAttributes"]), &current); err != nil || current["email"] != "invited@example.com" {
		t.Errorf("userAttributes %q: %v", p["userAttributes"], err)
	}
	if err := json.Unmarshal([]byte(p["requiredAttributes"]), &required); err != nil {
		t.Errorf("requiredAttributes %q is not a JSON array: %v", p["requiredAttributes"], err)
	}
	if p["USER_ID_FOR_SRP"] != "invited" {
		t.Errorf("USER_ID_FOR_SRP = %q", p["USER_ID_FOR_SRP"])
	}
	// A weak new password is refused; the session survives for a retry.
	_, err = c.IDP.AdminRespondToAuthChallenge(ctx(t), &idp.AdminRespondToAuthChallengeInput{UserPoolId: &pool, ClientId: &client,
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aout.Session,
		ChallengeResponses: map[string]string{"USERNAME": "invited", "NEW_PASSWORD": "weak"}})
	apiError(t, err, "InvalidPasswordException")
	ar, err := c.IDP.AdminRespondToAuthChallenge(ctx(t), &idp.AdminRespondToAuthChallengeInput{UserPoolId: &pool, ClientId: &client,
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aout.Session,
		ChallengeResponses: map[string]string{"USERNAME": "invited", "NEW_PASSWORD": "Chosen-Passw0rd!", "userAttributes.family_name": "Person"}})
	r := tokens(t, "AdminRespondToAuthChallenge NEW_PASSWORD_REQUIRED", ar, err)
	if id := verifyJWT(t, c, pool, c.URL+"/"+pool, *r.IdToken); id.str("family_name") != "Person" {
		t.Errorf("ID token family_name = %v, want the attribute given with the new password", id["family_name"])
	}
	wantStatus(t, c, pool, "invited", types.UserStatusTypeConfirmed)
	// The session was spent.
	_, err = c.IDP.AdminRespondToAuthChallenge(ctx(t), &idp.AdminRespondToAuthChallengeInput{UserPoolId: &pool, ClientId: &client,
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aout.Session,
		ChallengeResponses: map[string]string{"USERNAME": "invited", "NEW_PASSWORD": "Other-Passw0rd!"}})
	apiError(t, err, "NotAuthorizedException")
	out, err := passwordAuth(t, c, client, "invited", "Chosen-Passw0rd!")
	tokens(t, "USER_PASSWORD_AUTH with the new password", out, err)

	// The public flow, by SRP: the temporary password's proof leads to the
	// same challenge, answered with RespondToAuthChallenge.
	adminCreate(t, c, pool, "second", "email", "second@example.com", "name", "Second")
	cs, srpOut := srpStart(t, c, pool, client, "second")
	resp, err := srpAnswer(t, c, client, cs, srpOut, "Temp-Passw0rd", false)
	if err != nil || resp.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || resp.Session == nil {
		t.Fatalf("SRP with the temporary password = %v, %v", asJSON(t, resp), err)
	}
	// Blanking a required attribute with the new password is refused.
	_, err = c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{ClientId: &client,
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: resp.Session,
		ChallengeResponses: map[string]string{"USERNAME": "second", "NEW_PASSWORD": "Chosen-Passw0rd!", "userAttributes.name": ""}})
	apiError(t, err, "InvalidParameterException")
	fin, err := c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{ClientId: &client,
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: resp.Session,
		ChallengeResponses: map[string]string{"USERNAME": "second", "NEW_PASSWORD": "Chosen-Passw0rd!"}})
	tokens(t, "RespondToAuthChallenge NEW_PASSWORD_REQUIRED", fin, err)
	srpSignIn(t, c, pool, client, "second", "Chosen-Passw0rd!")
}

// The token-authorized operations with a signed-in user's access token:
// GetUser, UpdateUserAttributes, ChangePassword, GlobalSignOut,
// AdminUserGlobalSignOut, RevokeToken, and the auth events they leave.
func testTokenOperations(t *testing.T, c *cogito) {
	needs(t, "GetUser", "UpdateUserAttributes", "ChangePassword", "GlobalSignOut", "AdminUserGlobalSignOut", "RevokeToken", "AdminListUserAuthEvents")
	pool, client := signInPool(t, c, "tokenops", &idp.CreateUserPoolInput{
		UserPoolTier:   types.UserPoolTierTypePlus,
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit},
	}, nil)
	adminCreateConfirmed(t, c, pool, "ops", "Passw0rd!", "email", "ops@example.com", "email_verified", "true")
	signIn := func(password string) *types.AuthenticationResultType {
		t.Helper()
		out, err := passwordAuth(t, c, client, "ops", password)
		return tokens(t, "USER_PASSWORD_AUTH", out, err)
	}
	getUser := func(access *string) (*idp.GetUserOutput, error) {
		return c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: access})
	}
	refresh := func(rt *string) error {
		_, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(rt)}})
		return err
	}

	a := signIn("Passw0rd!")
	u, err := getUser(a.AccessToken)
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	if aws.ToString(u.Username) != "ops" || attrMap(t, u.UserAttributes)["email"] != "ops@example.com" {
		t.Errorf("GetUser = %s", asJSON(t, u))
	}
	_, err = getUser(aws.String("not-a-token"))
	apiError(t, err, "NotAuthorizedException")

	if _, err := c.IDP.UpdateUserAttributes(ctx(t), &idp.UpdateUserAttributesInput{AccessToken: a.AccessToken,
		UserAttributes: attrList("name", "Ops Person")}); err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	if u, _ = getUser(a.AccessToken); u == nil || attrMap(t, u.UserAttributes)["name"] != "Ops Person" {
		t.Errorf("name after UpdateUserAttributes: %v", u)
	}

	_, err = c.IDP.ChangePassword(ctx(t), &idp.ChangePasswordInput{AccessToken: a.AccessToken, PreviousPassword: aws.String("Wr0ng-Passw0rd!"), ProposedPassword: aws.String("N3w-Passw0rd!")})
	wantClientError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	if _, err := c.IDP.ChangePassword(ctx(t), &idp.ChangePasswordInput{AccessToken: a.AccessToken, PreviousPassword: aws.String("Passw0rd!"), ProposedPassword: aws.String("N3w-Passw0rd!")}); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	_, err = passwordAuth(t, c, client, "ops", "Passw0rd!")
	wantClientError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// RevokeToken ends one sign-in: its refresh token and its access tokens.
	b := signIn("N3w-Passw0rd!")
	if _, err := c.IDP.RevokeToken(ctx(t), &idp.RevokeTokenInput{ClientId: &client, Token: b.RefreshToken}); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	_, err = getUser(b.AccessToken)
	wantClientError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	apiError(t, refresh(b.RefreshToken), "NotAuthorizedException")
	if _, err := getUser(a.AccessToken); err != nil {
		t.Errorf("another sign-in's access token after RevokeToken: %v", err)
	}
	// RevokeToken takes refresh tokens only.
	_, err = c.IDP.RevokeToken(ctx(t), &idp.RevokeTokenInput{ClientId: &client, Token: a.AccessToken})
	if err == nil {
		t.Error("RevokeToken accepted an access token")
	}

	// GlobalSignOut ends every sign-in of the user.
	d := signIn("N3w-Passw0rd!")
	if _, err := c.IDP.GlobalSignOut(ctx(t), &idp.GlobalSignOutInput{AccessToken: a.AccessToken}); err != nil {
		t.Fatalf("GlobalSignOut: %v", err)
	}
	for _, tok := range []*types.AuthenticationResultType{a, d} {
		_, err = getUser(tok.AccessToken)
		wantClientError(t, err, "NotAuthorizedException", "Access Token has been revoked")
		apiError(t, refresh(tok.RefreshToken), "NotAuthorizedException")
	}
	// A sign-in after it works; AdminUserGlobalSignOut ends it.
	e := signIn("N3w-Passw0rd!")
	if _, err := getUser(e.AccessToken); err != nil {
		t.Fatalf("GetUser after signing in again: %v", err)
	}
	if _, err := c.IDP.AdminUserGlobalSignOut(ctx(t), &idp.AdminUserGlobalSignOutInput{UserPoolId: &pool, Username: aws.String("ops")}); err != nil {
		t.Fatalf("AdminUserGlobalSignOut: %v", err)
	}
	_, err = getUser(e.AccessToken)
	wantClientError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	apiError(t, refresh(e.RefreshToken), "NotAuthorizedException")

	// The pool audits sign-ins: successes and the failure are listed.
	ev, err := c.IDP.AdminListUserAuthEvents(ctx(t), &idp.AdminListUserAuthEventsInput{UserPoolId: &pool, Username: aws.String("ops")})
	if err != nil {
		t.Fatalf("AdminListUserAuthEvents: %v", err)
	}
	var pass, fail int
	for _, e := range ev.AuthEvents {
		if e.EventType == types.EventTypeSignIn {
			switch e.EventResponse {
			case types.EventResponseTypePass:
				pass++
			case types.EventResponseTypeFail:
				fail++
			}
		}
	}
	if pass < 4 || fail < 1 {
		t.Errorf("auth events: %d passed and %d failed sign-ins, want ≥4 and ≥1: %s", pass, fail, asJSON(t, ev.AuthEvents))
	}
}
