package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/trigger"
)

// The sign-in triggers end to end, with Go handlers behind the Lambda
// Invoke API (see triggers_test.go): CUSTOM_AUTH with and without SRP, pre
// and post authentication, and user migration on sign-in and in
// ForgotPassword, driven by aws-sdk-go-v2.

func TestSignInTriggers(t *testing.T) {
	e := newLambdaEnv(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *lambdaEnv)
	}{
		{"CustomAuthWithoutSRP", testCustomAuthWithoutSRP},
		{"CustomAuthWithSRP", testCustomAuthWithSRP},
		{"PreAndPostAuthentication", testPreAndPostAuthentication},
		{"UserMigration", testUserMigration},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, e) })
	}
}

// sessionEntries reads a custom authentication event's session.
func sessionEntries(ev map[string]any) []map[string]any {
	raw, _ := path(ev, "request", "session").([]any)
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i], _ = x.(map[string]any)
	}
	return out
}

// onCustomAuth installs the three custom authentication functions: a
// one-time code challenge ("code" in private parameters), one retry, SRP
// first when the sign-in starts with SRP_A.
func onCustomAuth(e *lambdaEnv, define, create, verify string) {
	e.rec.On(define, func(ev map[string]any) (any, error) {
		s := sessionEntries(ev)
		resp := map[string]any{"issueTokens": false, "failAuthentication": false}
		wrong := 0
		for _, x := range s {
			if x["challengeName"] == "CUSTOM_CHALLENGE" && x["challengeResult"] != true {
				wrong++
			}
		}
		switch {
		case len(s) == 0:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		case s[len(s)-1]["challengeName"] == "SRP_A":
			resp["challengeName"] = "PASSWORD_VERIFIER"
		case s[len(s)-1]["challengeName"] == "PASSWORD_VERIFIER" && s[len(s)-1]["challengeResult"] == true:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		case s[len(s)-1]["challengeResult"] == true:
			resp["issueTokens"] = true
		case wrong < 2:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		default:
			resp["failAuthentication"] = true
		}
		ev["response"] = resp
		return ev, nil
	})
	e.rec.On(create, func(ev map[string]any) (any, error) {
		email, _ := path(ev, "request", "userAttributes", "email").(string)
		ev["response"] = map[string]any{
			"publicChallengeParameters":  map[string]any{"destination": email},
			"privateChallengeParameters": map[string]any{"code": "314159"},
			"challengeMetadata":          "CODE",
		}
		return ev, nil
	})
	e.rec.On(verify, func(ev map[string]any) (any, error) {
		want, _ := path(ev, "request", "privateChallengeParameters", "code").(string)
		got, _ := path(ev, "request", "challengeAnswer").(string)
		ev["response"] = map[string]any{"answerCorrect": want == got}
		return ev, nil
	})
}

func customAuthPool(t *testing.T, e *lambdaEnv) (poolID, clientID, define string) {
	define, create, verify := "define-"+uniq("f"), "create-"+uniq("f"), "verify-"+uniq("f")
	onCustomAuth(e, define, create, verify)
	poolID, clientID = triggerPool(t, e.c, &types.LambdaConfigType{
		DefineAuthChallenge: arn(define), CreateAuthChallenge: arn(create), VerifyAuthChallengeResponse: arn(verify),
	}, nil)
	cl, err := e.c.IDP.UpdateUserPoolClient(ctx(t), &idp.UpdateUserPoolClientInput{
		UserPoolId: &poolID, ClientId: &clientID,
		ExplicitAuthFlows: append(append([]types.ExplicitAuthFlowsType{}, allFlows...), types.ExplicitAuthFlowsTypeAllowCustomAuth),
	})
	if err != nil {
		t.Fatal(err)
	}
	return poolID, aws.ToString(cl.UserPoolClient.ClientId), define
}

func testCustomAuthWithoutSRP(t *testing.T, e *lambdaEnv) {
	c := e.c
	poolID, clientID, define := customAuthPool(t, e)
	adminCreateConfirmed(t, c, poolID, "carol", "Passw0rd!", "email", "carol@example.com", "email_verified", "true")

	out, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &clientID, AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": "carol"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeCustomChallenge || out.Session == nil ||
		out.ChallengeParameters["destination"] != "carol@example.com" || out.ChallengeParameters["USERNAME"] != "carol" {
		t.Fatalf("InitiateAuth CUSTOM_AUTH = %s", asJSON(t, out))
	}
	answer := func(session *string, code string) (*idp.RespondToAuthChallengeOutput, error) {
		return c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
			ClientId: &clientID, ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: session,
			ChallengeResponses: map[string]string{"USERNAME": "carol", "ANSWER": code},
			ClientMetadata:     map[string]string{"step": "answer"},
		})
	}
	r, err := answer(out.Session, "000000")
	if err != nil || r.ChallengeName != types.ChallengeNameTypeCustomChallenge || r.Session == nil {
		t.Fatalf("wrong answer = %s, %v", asJSON(t, r), err)
	}
	r, err = answer(r.Session, "314159")
	tok := tokens(t, "CUSTOM_CHALLENGE", r, err)
	claims := verifyJWT(t, c, poolID, c.URL+"/"+poolID, *tok.IdToken)
	if claims.str("cognito:username") != "carol" {
		t.Errorf("ID token = %v", claims)
	}
	evs := e.events(define)
	last := evs[len(evs)-1]
	s := sessionEntries(last)
	if len(s) != 2 || s[0]["challengeResult"] != false || s[1]["challengeResult"] != true || s[1]["challengeMetadata"] != "CODE" {
		t.Errorf("define session = %v", s)
	}
	if path(last, "request", "clientMetadata", "step") != "answer" {
		t.Errorf("define clientMetadata = %v", path(last, "request", "clientMetadata"))
	}

	// A second wrong answer fails the sign-in; the last session is spent.
	out, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &clientID, AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": "carol"},
	})
	if err != nil {
		t.Fatal(err)
	}
	sess := out.Session
	for i := 0; i < 1; i++ {
		r, err := answer(sess, "1")
		if err != nil {
			t.Fatalf("wrong answer %d: %v", i, err)
		}
		sess = r.Session
	}
	_, err = answer(sess, "1")
	wantClientError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = answer(sess, "314159")
	wantClientError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// A client without ALLOW_CUSTOM_AUTH.
	_, plain := signInPool(t, c, "noc", nil, nil)
	_, err = c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &plain, AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": "carol"},
	})
	wantClientError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
}

func testCustomAuthWithSRP(t *testing.T, e *lambdaEnv) {
	c := e.c
	poolID, clientID, define := customAuthPool(t, e)
	adminCreateConfirmed(t, c, poolID, "dave", "Passw0rd!", "email", "dave@example.com")

	start := func(pw string) (*idp.RespondToAuthChallengeOutput, error) {
		cs := srp.NewClientSession(srp.PoolName(poolID))
		out, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
			ClientId: &clientID, AuthFlow: types.AuthFlowTypeCustomAuth,
			AuthParameters: map[string]string{"USERNAME": "dave", "SRP_A": cs.PublicHex(), "CHALLENGE_NAME": "SRP_A"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != types.ChallengeNameTypePasswordVerifier || out.Session == nil {
			t.Fatalf("InitiateAuth CUSTOM_AUTH with SRP_A = %s", asJSON(t, out))
		}
		return srpAnswer(t, c, clientID, cs, out, pw, true)
	}
	r, err := start("Passw0rd!")
	if err != nil || r.ChallengeName != types.ChallengeNameTypeCustomChallenge {
		t.Fatalf("PASSWORD_VERIFIER = %s, %v", asJSON(t, r), err)
	}
	r2, err := c.IDP.RespondToAuthChallenge(ctx(t), &idp.RespondToAuthChallengeInput{
		ClientId: &clientID, ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: r.Session,
		ChallengeResponses: map[string]string{"USERNAME": "dave", "ANSWER": "314159"},
	})
	tokens(t, "CUSTOM_CHALLENGE after SRP", r2, err)
	evs := e.events(define)
	if s := sessionEntries(evs[1]); len(s) != 2 || s[0]["challengeName"] != "SRP_A" || s[1]["challengeName"] != "PASSWORD_VERIFIER" || s[1]["challengeResult"] != true {
		t.Errorf("define session after the password = %v", s)
	}
	_, err = start("Wr0ng!pass")
	wantClientError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func testPreAndPostAuthentication(t *testing.T, e *lambdaEnv) {
	c := e.c
	pre, post := "preauth-"+uniq("f"), "postauth-"+uniq("f")
	poolID, clientID := triggerPool(t, c, &types.LambdaConfigType{PreAuthentication: arn(pre), PostAuthentication: arn(post)}, nil)
	adminCreateConfirmed(t, c, poolID, "erin", "Passw0rd!", "email", "erin@example.com")
	e.rec.On(pre, func(ev map[string]any) (any, error) {
		if path(ev, "request", "validationData", "blocked") == "yes" {
			return nil, &trigger.FunctionError{Type: "Error", Message: "Sign-in blocked"}
		}
		return ev, nil
	})
	srpSignIn(t, c, poolID, clientID, "erin", "Passw0rd!")
	pe, po := e.events(pre), e.events(post)
	if len(pe) != 1 || len(po) != 1 {
		t.Fatalf("pre %d, post %d events", len(pe), len(po))
	}
	if pe[0]["triggerSource"] != "PreAuthentication_Authentication" || path(pe[0], "request", "userAttributes", "cognito:user_status") != "CONFIRMED" {
		t.Errorf("pre authentication event = %v", pe[0])
	}
	if po[0]["triggerSource"] != "PostAuthentication_Authentication" || path(po[0], "request", "newDeviceUsed") != false {
		t.Errorf("post authentication event = %v", po[0])
	}
	_, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{
		ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "erin", "PASSWORD": "Passw0rd!"},
		ClientMetadata: map[string]string{"blocked": "yes"},
	})
	wantClientError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Sign-in blocked.")
}

func testUserMigration(t *testing.T, e *lambdaEnv) {
	c := e.c
	fn := "migrate-" + uniq("f")
	legacy := map[string]string{"frank": "Legacy-Passw0rd", "gina": "Gina-Passw0rd"}
	e.rec.On(fn, func(ev map[string]any) (any, error) {
		name, _ := ev["userName"].(string)
		pw, ok := legacy[name]
		if !ok {
			return nil, &trigger.FunctionError{Type: "Error", Message: "User not found"}
		}
		if ev["triggerSource"] == "UserMigration_Authentication" && path(ev, "request", "password") != pw {
			return nil, &trigger.FunctionError{Type: "Error", Message: "Bad password"}
		}
		ev["response"] = map[string]any{
			"userAttributes":  map[string]any{"email": name + "@legacy.example", "email_verified": "true"},
			"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS",
		}
		return ev, nil
	})
	poolID, clientID := triggerPool(t, c, &types.LambdaConfigType{UserMigration: arn(fn)}, nil)

	out, err := passwordAuth(t, c, clientID, "frank", "Legacy-Passw0rd")
	tokens(t, "migrating USER_PASSWORD_AUTH", out, err)
	u, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("frank")})
	if err != nil || u.UserStatus != types.UserStatusTypeConfirmed || attrMap(t, u.UserAttributes)["email"] != "frank@legacy.example" {
		t.Fatalf("migrated user = %s, %v", asJSON(t, u), err)
	}
	srpSignIn(t, c, poolID, clientID, "frank", "Legacy-Passw0rd")

	_, err = passwordAuth(t, c, clientID, "gina", "nope")
	wantClientError(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")

	// ForgotPassword migrates gina without a password; the code resets it.
	fp, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("gina")})
	if err != nil || fp.CodeDeliveryDetails == nil || fp.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("ForgotPassword = %s, %v", asJSON(t, fp), err)
	}
	var code string
	for _, m := range outbox(t, c, poolID, "gina") {
		code = m.Code
	}
	if _, err := c.IDP.ConfirmForgotPassword(ctx(t), &idp.ConfirmForgotPasswordInput{
		ClientId: &clientID, Username: aws.String("gina"), ConfirmationCode: &code, Password: aws.String("N3w-Passw0rd!"),
	}); err != nil {
		t.Fatal(err)
	}
	srpSignIn(t, c, poolID, clientID, "gina", "N3w-Passw0rd!")
	var src []string
	for _, ev := range e.events(fn) {
		s, _ := ev["triggerSource"].(string)
		src = append(src, s)
	}
	want := []string{"UserMigration_Authentication", "UserMigration_Authentication", "UserMigration_ForgotPassword"}
	if len(src) != len(want) || src[0] != want[0] || src[1] != want[1] || src[2] != want[2] {
		t.Errorf("migration events = %v", src)
	}
}
