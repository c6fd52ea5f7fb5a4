package e2e

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cogito-dev/cogito/internal/userpool/webauthn/authenticatortest"
)

// Passkeys with aws-sdk-go-v2 and the software authenticator: registration
// (Start → authenticator → Complete), listing, deletion, and sign-in by
// USER_AUTH with WEB_AUTHN (preferred, and chosen from SELECT_CHALLENGE).
// The server runs with its defaults: relying party "localhost", extra origin
// http://localhost:*.

const passkeyOrigin = "http://localhost:5173"

// TestWebAuthn runs the passkey tests on SQLite and on PostgreSQL.
func TestWebAuthn(t *testing.T) {
	for _, b := range []backend{sqliteBackend, postgresBackend} {
		t.Run(b.name, func(t *testing.T) {
			c := start(t, b.new(t))
			t.Run("Journey", func(t *testing.T) { t.Parallel(); testPasskeyJourney(t, c) })
			t.Run("Errors", func(t *testing.T) { t.Parallel(); testPasskeyErrors(t, c) })
			t.Run("PoolConfiguration", func(t *testing.T) { t.Parallel(); testPasskeyPoolConfiguration(t, c) })
			t.Run("CustomDomain", func(t *testing.T) { t.Parallel(); testPasskeyCustomDomain(t, c) })
		})
	}
}

// passkeyPool is a pool offering PASSWORD and WEB_AUTHN first factors, with
// a client allowing USER_AUTH and password sign-in, and a confirmed user.
func passkeyPool(t *testing.T, c *cogito, factors ...types.AuthFactorType) (poolID, clientID string) {
	t.Helper()
	needs(t, "StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "ListWebAuthnCredentials", "DeleteWebAuthnCredential")
	if factors == nil {
		factors = []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn}
	}
	return signInPool(t, c, "passkeys", &idp.CreateUserPoolInput{
		UserPoolTier: types.UserPoolTierTypeEssentials,
		Policies:     &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: factors}},
	}, func(in *idp.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = append(slices.Clone(allFlows), types.ExplicitAuthFlowsTypeAllowUserAuth)
	})
}

// startPasskey calls StartWebAuthnRegistration and returns the options as
// JSON.
func startPasskey(t testing.TB, c *cogito, access string) []byte {
	t.Helper()
	out, err := c.IDP.StartWebAuthnRegistration(ctx(t), &idp.StartWebAuthnRegistrationInput{AccessToken: &access})
	if err != nil {
		t.Fatalf("StartWebAuthnRegistration: %v", err)
	}
	raw, err := out.CredentialCreationOptions.MarshalSmithyDocument()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// completePasskey sends a RegistrationResponseJSON as the Credential document.
func completePasskey(t testing.TB, c *cogito, access string, resp []byte) error {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(resp, &v); err != nil {
		t.Fatal(err)
	}
	_, err := c.IDP.CompleteWebAuthnRegistration(ctx(t), &idp.CompleteWebAuthnRegistrationInput{
		AccessToken: &access, Credential: document.NewLazyDocument(v),
	})
	return err
}

func testPasskeyJourney(t *testing.T, c *cogito) {
	pool, client := passkeyPool(t, c)
	adminCreateConfirmed(t, c, pool, "pk-user", "Passw0rd!", "email", "pk@example.com")
	out, err := passwordAuth(t, c, client, "pk-user", "Passw0rd!")
	access := *tokens(t, "password sign-in", out, err).AccessToken

	// Register: the options are Cognito's, the authenticator answers them.
	raw := startPasskey(t, c, access)
	var opts struct {
		RP               struct{ ID, Name string }
		User             struct{ ID, Name, DisplayName string }
		Timeout          int
		PubKeyCredParams []struct {
			Alg  int
			Type string
		}
		AuthenticatorSelection struct {
			ResidentKey, UserVerification string
			RequireResidentKey            bool
		}
	}
	if err := json.Unmarshal(raw, &opts); err != nil {
		t.Fatal(err)
	}
	if opts.RP.ID != "localhost" || opts.User.Name != "pk-user" || opts.Timeout != 60000 || len(opts.PubKeyCredParams) != 2 ||
		opts.PubKeyCredParams[0].Alg != -7 || !opts.AuthenticatorSelection.RequireResidentKey || opts.AuthenticatorSelection.UserVerification != "preferred" {
		t.Errorf("CredentialCreationOptions = %s", raw)
	}
	a := authenticatortest.New()
	a.Attestation = authenticatortest.AttestationPacked
	resp, cred, err := a.Register(raw, authenticatortest.Options{Origin: passkeyOrigin})
	if err != nil {
		t.Fatal(err)
	}
	if err := completePasskey(t, c, access, resp); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration: %v", err)
	}
	// Replaying the registration finds its challenge used.
	wantClientError(t, completePasskey(t, c, access, resp), "WebAuthnChallengeNotFoundException")

	list, err := c.IDP.ListWebAuthnCredentials(ctx(t), &idp.ListWebAuthnCredentialsInput{AccessToken: &access})
	if err != nil {
		t.Fatalf("ListWebAuthnCredentials: %v", err)
	}
	if len(list.Credentials) != 1 {
		t.Fatalf("listed %d credentials, want 1", len(list.Credentials))
	}
	d := list.Credentials[0]
	if aws.ToString(d.CredentialId) != cred.IDString() || aws.ToString(d.RelyingPartyId) != "localhost" ||
		aws.ToString(d.AuthenticatorAttachment) != "platform" || !slices.Equal(d.AuthenticatorTransports, []string{"internal"}) ||
		aws.ToString(d.FriendlyCredentialName) == "" || !near(d.CreatedAt, 5*time.Minute) || list.NextToken != nil {
		t.Errorf("credential = %+v", d)
	}

	// Sign in with the passkey, straight to WEB_AUTHN.
	init, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "pk-user", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
	})
	if err != nil {
		t.Fatalf("InitiateAuth USER_AUTH WEB_AUTHN: %v", err)
	}
	if init.ChallengeName != types.ChallengeNameTypeWebAuthn || init.Session == nil {
		t.Fatalf("InitiateAuth: challenge %q session %v", init.ChallengeName, init.Session)
	}
	options := init.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]
	var ro struct {
		Challenge        string
		RPID             string `json:"rpId"`
		AllowCredentials []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(options), &ro); err != nil || ro.RPID != "localhost" || len(ro.AllowCredentials) != 1 || ro.AllowCredentials[0].ID != cred.IDString() {
		t.Fatalf("CREDENTIAL_REQUEST_OPTIONS = %s (%v)", options, err)
	}
	assertion, err := a.Assert([]byte(options), authenticatortest.Options{Origin: passkeyOrigin})
	if err != nil {
		t.Fatal(err)
	}
	fin, err := c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &client, ChallengeName: types.ChallengeNameTypeWebAuthn, Session: init.Session,
		ChallengeResponses: map[string]string{"USERNAME": "pk-user", "CREDENTIAL": string(assertion)},
	})
	r := tokens(t, "WEB_AUTHN answer", fin, err)
	me, err := c.IDP.GetUser(ctx(t), &idp.GetUserInput{AccessToken: r.AccessToken})
	if err != nil || aws.ToString(me.Username) != "pk-user" {
		t.Fatalf("GetUser with the passkey's token: %v %v", me, err)
	}

	// Chosen from SELECT_CHALLENGE; a wrong origin is refused, then the
	// right answer (a new challenge) signs in.
	sel, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth, AuthParameters: map[string]string{"USERNAME": "pk-user"},
	})
	if err != nil {
		t.Fatalf("InitiateAuth USER_AUTH: %v", err)
	}
	if sel.ChallengeName != types.ChallengeNameTypeSelectChallenge || !slices.Contains(sel.AvailableChallenges, types.ChallengeNameTypeWebAuthn) {
		t.Fatalf("SELECT_CHALLENGE: %q %v", sel.ChallengeName, sel.AvailableChallenges)
	}
	chosen, err := c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &client, ChallengeName: types.ChallengeNameTypeSelectChallenge, Session: sel.Session,
		ChallengeResponses: map[string]string{"USERNAME": "pk-user", "ANSWER": "WEB_AUTHN"},
	})
	if err != nil || chosen.ChallengeName != types.ChallengeNameTypeWebAuthn {
		t.Fatalf("ANSWER WEB_AUTHN: %v %v", chosen, err)
	}
	bad, _ := a.Assert([]byte(chosen.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]), authenticatortest.Options{Origin: "https://evil.example.net"})
	_, err = c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &client, ChallengeName: types.ChallengeNameTypeWebAuthn, Session: chosen.Session,
		ChallengeResponses: map[string]string{"USERNAME": "pk-user", "CREDENTIAL": string(bad)},
	})
	wantClientError(t, err, "NotAuthorizedException")

	again, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "pk-user", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
	})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := a.Assert([]byte(again.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]), authenticatortest.Options{Origin: passkeyOrigin})
	fin, err = c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &client, ChallengeName: types.ChallengeNameTypeWebAuthn, Session: again.Session,
		ChallengeResponses: map[string]string{"USERNAME": "pk-user", "CREDENTIAL": string(good)},
	})
	tokens(t, "second passkey sign-in", fin, err)
	// The same assertion again: the counter did not grow (and the session was used).
	_, err = c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &client, ChallengeName: types.ChallengeNameTypeWebAuthn, Session: again.Session,
		ChallengeResponses: map[string]string{"USERNAME": "pk-user", "CREDENTIAL": string(good)},
	})
	wantClientError(t, err, "NotAuthorizedException")

	// Delete: the passkey is gone, and with it WEB_AUTHN.
	if _, err := c.IDP.DeleteWebAuthnCredential(ctx(t), &idp.DeleteWebAuthnCredentialInput{AccessToken: &access, CredentialId: aws.String(cred.IDString())}); err != nil {
		t.Fatalf("DeleteWebAuthnCredential: %v", err)
	}
	list, err = c.IDP.ListWebAuthnCredentials(ctx(t), &idp.ListWebAuthnCredentialsInput{AccessToken: &access})
	if err != nil || len(list.Credentials) != 0 {
		t.Fatalf("after delete: %v %v", list, err)
	}
	_, err = c.IDP.DeleteWebAuthnCredential(ctx(t), &idp.DeleteWebAuthnCredentialInput{AccessToken: &access, CredentialId: aws.String(cred.IDString())})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testPasskeyErrors(t *testing.T, c *cogito) {
	pool, client := passkeyPool(t, c)
	adminCreateConfirmed(t, c, pool, "pk-err", "Passw0rd!")
	out, err := passwordAuth(t, c, client, "pk-err", "Passw0rd!")
	access := *tokens(t, "password sign-in", out, err).AccessToken

	// A foreign origin, another relying party.
	a := authenticatortest.New()
	resp, _, _ := a.Register(startPasskey(t, c, access), authenticatortest.Options{Origin: "https://evil.example.net"})
	wantClientError(t, completePasskey(t, c, access, resp), "WebAuthnOriginNotAllowedException")
	resp, _, _ = a.Register(startPasskey(t, c, access), authenticatortest.Options{Origin: passkeyOrigin, RPID: "example.com"})
	wantClientError(t, completePasskey(t, c, access, resp), "WebAuthnRelyingPartyMismatchException")
	// No Start pending (a refused Complete leaves the last Start; a new user has none).
	adminCreateConfirmed(t, c, pool, "pk-other", "Passw0rd!")
	out, err = passwordAuth(t, c, client, "pk-other", "Passw0rd!")
	other := *tokens(t, "password sign-in", out, err).AccessToken
	wantClientError(t, completePasskey(t, c, other, resp), "WebAuthnChallengeNotFoundException")

	// Unknown credential; a bad token.
	_, err = c.IDP.DeleteWebAuthnCredential(ctx(t), &idp.DeleteWebAuthnCredentialInput{AccessToken: &access, CredentialId: aws.String("bm9uZQ")})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.ListWebAuthnCredentials(ctx(t), &idp.ListWebAuthnCredentialsInput{AccessToken: aws.String("not.a.token")})
	wantClientError(t, err, "NotAuthorizedException")

	// A pool without passkeys.
	pool2, client2 := passkeyPool(t, c, types.AuthFactorTypePassword)
	adminCreateConfirmed(t, c, pool2, "pk-off", "Passw0rd!")
	out, err = passwordAuth(t, c, client2, "pk-off", "Passw0rd!")
	off := *tokens(t, "password sign-in", out, err).AccessToken
	_, err = c.IDP.StartWebAuthnRegistration(ctx(t), &idp.StartWebAuthnRegistrationInput{AccessToken: &off})
	wantClientError(t, err, "WebAuthnNotEnabledException")
}

// testPasskeyPoolConfiguration: the relying party and user verification set
// with SetUserPoolMfaConfig are those of the options and the checks.
func testPasskeyPoolConfiguration(t *testing.T, c *cogito) {
	pool, client := passkeyPool(t, c)
	needs(t, "SetUserPoolMfaConfig")
	_, err := c.IDP.SetUserPoolMfaConfig(ctx(t), &idp.SetUserPoolMfaConfigInput{
		UserPoolId: &pool,
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{
			RelyingPartyId: aws.String("example.org"), UserVerification: types.UserVerificationTypeRequired,
		},
	})
	if ae, ok := errors.AsType[smithy.APIError](err); ok && ae.ErrorCode() == "NotImplementedException" {
		t.Skip("SetUserPoolMfaConfig is not served yet (the MFA family is not wired)")
	}
	if err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	adminCreateConfirmed(t, c, pool, "pk-conf", "Passw0rd!")
	out, err := passwordAuth(t, c, client, "pk-conf", "Passw0rd!")
	access := *tokens(t, "password sign-in", out, err).AccessToken

	raw := startPasskey(t, c, access)
	var opts struct {
		RP                     struct{ ID string }
		AuthenticatorSelection struct{ UserVerification string }
	}
	if err := json.Unmarshal(raw, &opts); err != nil || opts.RP.ID != "example.org" || opts.AuthenticatorSelection.UserVerification != "required" {
		t.Fatalf("CredentialCreationOptions = %s", raw)
	}
	// The default origin (localhost) does not belong to example.org.
	a := authenticatortest.New()
	resp, _, _ := a.Register(raw, authenticatortest.Options{Origin: "https://localhost:8443"})
	wantClientError(t, completePasskey(t, c, access, resp), "WebAuthnOriginNotAllowedException")
	// No user verification where it is required.
	resp, _, _ = a.Register(raw, authenticatortest.Options{Origin: "https://app.example.org", NoUserVerification: true})
	wantClientError(t, completePasskey(t, c, access, resp), "WebAuthnCredentialNotSupportedException")
	resp, _, _ = a.Register(raw, authenticatortest.Options{Origin: "https://app.example.org"})
	if err := completePasskey(t, c, access, resp); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration on example.org: %v", err)
	}

	init, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "pk-conf", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
	})
	if err != nil {
		t.Fatalf("InitiateAuth: %v", err)
	}
	options := init.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]
	var ro struct {
		RPID             string `json:"rpId"`
		UserVerification string
	}
	if err := json.Unmarshal([]byte(options), &ro); err != nil || ro.RPID != "example.org" || ro.UserVerification != "required" {
		t.Fatalf("CREDENTIAL_REQUEST_OPTIONS = %s", options)
	}
	assertion, _ := a.Assert([]byte(options), authenticatortest.Options{Origin: "https://example.org"})
	fin, err := c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &client, ChallengeName: types.ChallengeNameTypeWebAuthn, Session: init.Session,
		ChallengeResponses: map[string]string{"USERNAME": "pk-conf", "CREDENTIAL": string(assertion)},
	})
	tokens(t, "passkey sign-in on example.org", fin, err)
}

// testPasskeyCustomDomain: a pool with a custom domain and no RelyingPartyId
// uses the domain as its relying party.
func testPasskeyCustomDomain(t *testing.T, c *cogito) {
	pool, client := passkeyPool(t, c)
	needs(t, "CreateUserPoolDomain")
	domain := uniq("auth") + ".example.com"
	_, err := c.IDP.CreateUserPoolDomain(ctx(t), &idp.CreateUserPoolDomainInput{
		UserPoolId: &pool, Domain: &domain,
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000")},
	})
	if ae, ok := errors.AsType[smithy.APIError](err); ok && ae.ErrorCode() == "NotImplementedException" {
		t.Skip("CreateUserPoolDomain is not served yet")
	}
	if ae, ok := errors.AsType[smithy.APIError](err); ok && strings.Contains(ae.ErrorMessage(), "regular expression pattern") {
		// The model's DomainType pattern (anchored, no dots) refuses every
		// custom domain although Cognito takes them (the AWS CLI example
		// creates auth.example.com); until the validator lets them through,
		// the service test of the Domains hook covers this.
		t.Skipf("custom domains are refused by the request validator: %s", ae.ErrorMessage())
	}
	if err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	adminCreateConfirmed(t, c, pool, "pk-domain", "Passw0rd!")
	out, err := passwordAuth(t, c, client, "pk-domain", "Passw0rd!")
	access := *tokens(t, "password sign-in", out, err).AccessToken
	raw := startPasskey(t, c, access)
	var opts struct{ RP struct{ ID string } }
	if err := json.Unmarshal(raw, &opts); err != nil || opts.RP.ID != domain {
		t.Fatalf("rp of a pool with custom domain %s: %s", domain, raw)
	}
	resp, _, _ := authenticatortest.New().Register(raw, authenticatortest.Options{Origin: "https://" + domain})
	if err := completePasskey(t, c, access, resp); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration at the custom domain: %v", err)
	}
}
