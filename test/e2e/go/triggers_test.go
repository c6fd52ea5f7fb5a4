package e2e

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/trigger/triggertest"
)

// Lambda triggers end to end: Cogito started with --lambda-endpoint (and
// --kms-endpoint) pointing at an httptest server that speaks the Lambda
// Invoke API (POST /2015-03-31/functions/{name}/invocations) and KMS, with Go
// handlers standing in for the functions; driven by aws-sdk-go-v2.

// lambdaEnv is a Cogito wired to test Lambda and KMS servers.
type lambdaEnv struct {
	c   *cogito
	rec *triggertest.Recorder
	kms *triggertest.FakeKMS
}

// arn is a function ARN of the test account.
func arn(name string) *string {
	return aws.String("arn:aws:lambda:us-east-1:123456789012:function:" + name)
}

func newLambdaEnv(t *testing.T) *lambdaEnv {
	rec := triggertest.New()
	lambda := httptest.NewServer(triggertest.LambdaHandler(rec))
	t.Cleanup(lambda.Close)
	kms := &triggertest.FakeKMS{}
	kmsSrv := httptest.NewServer(kms)
	t.Cleanup(kmsSrv.Close)
	c := startWith(t, sqliteBackend.new(t), func(cfg *config.Config) {
		cfg.Triggers.Lambda.Endpoint = lambda.URL
		cfg.Triggers.KMS.Endpoint = kmsSrv.URL
	})
	return &lambdaEnv{c: c, rec: rec, kms: kms}
}

// triggerPool creates a pool with the Lambda config, email auto-verified, and
// a client allowing password sign-in.
func triggerPool(t *testing.T, c *cogito, lc *types.LambdaConfigType, mut func(*idp.CreateUserPoolInput)) (poolID, clientID string) {
	t.Helper()
	in := &idp.CreateUserPoolInput{
		LambdaConfig:           lc,
		Policies:               strictPolicy(),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	}
	if mut != nil {
		mut(in)
	}
	return signInPool(t, c, "trig", in, nil)
}

// events returns the events the function received, oldest first.
func (e *lambdaEnv) events(fn string) []map[string]any {
	var out []map[string]any
	for _, c := range e.rec.CallsTo(fn) {
		out = append(out, c.Event)
	}
	return out
}

func path(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, _ := v.(map[string]any)
		v = mm[k]
	}
	return v
}

func TestTriggers(t *testing.T) {
	e := newLambdaEnv(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *lambdaEnv)
	}{
		{"PreSignUpAndPostConfirmation", testPreSignUpAndPostConfirmation},
		{"PreSignUpErrors", testPreSignUpErrors},
		{"CustomMessages", testCustomMessages},
		{"AdminTriggers", testAdminTriggers},
		{"CustomEmailSender", testCustomEmailSender},
		{"PreTokenGeneration", testPreTokenGeneration},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, e) })
	}
}

func testPreSignUpAndPostConfirmation(t *testing.T, e *lambdaEnv) {
	c := e.c
	pre, post := "presignup-"+uniq("f"), "postconf-"+uniq("f")
	poolID, clientID := triggerPool(t, c, &types.LambdaConfigType{PreSignUp: arn(pre), PostConfirmation: arn(post)}, nil)
	e.rec.On(pre, func(ev map[string]any) (any, error) {
		// Confirm users whose email is at example.org, verifying the email.
		email, _ := path(ev, "request", "userAttributes", "email").(string)
		auto := strings.HasSuffix(email, "@example.org")
		ev["response"] = map[string]any{"autoConfirmUser": auto, "autoVerifyEmail": auto, "autoVerifyPhone": false}
		return ev, nil
	})

	out, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{
		ClientId: &clientID, Username: aws.String("auto"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrList("email", "auto@example.org"),
		ValidationData: attrList("invite", "X1"),
		ClientMetadata: map[string]string{"source": "go-e2e"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
		t.Errorf("auto-confirmed sign-up = %s", asJSON(t, out))
	}
	u := wantStatus(t, c, poolID, "auto", types.UserStatusTypeConfirmed)
	if attrMap(t, u.UserAttributes)["email_verified"] != "true" {
		t.Errorf("email not verified: %v", attrMap(t, u.UserAttributes))
	}
	ev := e.events(pre)[0]
	if ev["version"] != "1" || ev["triggerSource"] != "PreSignUp_SignUp" || ev["region"] != "us-east-1" || ev["userPoolId"] != poolID ||
		ev["userName"] != "auto" || path(ev, "callerContext", "clientId") != clientID ||
		!strings.HasPrefix(path(ev, "callerContext", "awsSdkVersion").(string), "aws-sdk-go-v2-") ||
		path(ev, "request", "validationData", "invite") != "X1" || path(ev, "request", "clientMetadata", "source") != "go-e2e" {
		t.Errorf("pre sign-up event = %s", asJSON(t, ev))
	}
	if n := len(e.events(post)); n != 0 {
		t.Errorf("post confirmation ran %d times for an auto-confirmed user", n)
	}

	// An ordinary sign-up: confirmed with its code, then the post
	// confirmation trigger; the password reset confirms too.
	signUp(t, c, clientID, "manual", "Passw0rd!", "email", "manual@example.com")
	wantStatus(t, c, poolID, "manual", types.UserStatusTypeUnconfirmed)
	code := lastCode(t, c, poolID, "manual", "SIGN_UP", 1)
	if _, err := c.IDP.ConfirmSignUp(ctx(t), &idp.ConfirmSignUpInput{ClientId: &clientID, Username: aws.String("manual"),
		ConfirmationCode: &code, ClientMetadata: map[string]string{"step": "confirm"}}); err != nil {
		t.Fatal(err)
	}
	evs := e.events(post)
	if len(evs) != 1 || evs[0]["triggerSource"] != "PostConfirmation_ConfirmSignUp" ||
		path(evs[0], "request", "userAttributes", "cognito:user_status") != "CONFIRMED" ||
		path(evs[0], "request", "userAttributes", "email_verified") != "true" ||
		path(evs[0], "request", "clientMetadata", "step") != "confirm" {
		t.Fatalf("post confirmation events = %s", asJSON(t, evs))
	}
	if _, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("manual")}); err != nil {
		t.Fatal(err)
	}
	code = lastCode(t, c, poolID, "manual", "FORGOT_PASSWORD", 2)
	if _, err := c.IDP.ConfirmForgotPassword(ctx(t), &idp.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("manual"),
		ConfirmationCode: &code, Password: aws.String("N3w-Passw0rd")}); err != nil {
		t.Fatal(err)
	}
	if evs := e.events(post); len(evs) != 2 || evs[1]["triggerSource"] != "PostConfirmation_ConfirmForgotPassword" {
		t.Errorf("post confirmation events = %s", asJSON(t, evs))
	}
}

func testPreSignUpErrors(t *testing.T, e *lambdaEnv) {
	c := e.c
	pre := "presignup-" + uniq("f")
	poolID, clientID := triggerPool(t, c, &types.LambdaConfigType{PreSignUp: arn(pre)}, nil)
	sign := func(name string) error {
		_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &clientID, Username: &name, Password: aws.String("Passw0rd!"),
			UserAttributes: attrList("email", name+"@example.com")})
		return err
	}
	e.rec.Fail(pre, "Sign-ups are closed")
	wantClientError(t, sign("refused"), "UserLambdaValidationException", "PreSignUp failed with error Sign-ups are closed.")
	_, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("refused")})
	apiError(t, err, "UserNotFoundException")

	e.rec.Raw(pre, []byte("not json"))
	wantClientError(t, sign("garbled"), "InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON")

	e.rec.Unreachable(pre)
	before := len(e.rec.CallsTo(pre))
	wantClientError(t, sign("unreachable"), "UnexpectedLambdaException", "PreSignUp invocation failed due to error")
	if n := len(e.rec.CallsTo(pre)) - before; n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}

	// A function that answers the event unchanged lets the sign-up through.
	_, clientID2 := triggerPool(t, c, &types.LambdaConfigType{PreSignUp: arn("echo-" + uniq("f"))}, nil)
	if _, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &clientID2, Username: aws.String("x"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrList("email", "x@example.com")}); err != nil {
		t.Fatalf("a function answering the event unchanged: %v", err)
	}
}

func testCustomMessages(t *testing.T, e *lambdaEnv) {
	c := e.c
	fn := "custommsg-" + uniq("f")
	poolID, clientID := triggerPool(t, c, &types.LambdaConfigType{CustomMessage: arn(fn)}, nil)
	e.rec.On(fn, func(ev map[string]any) (any, error) {
		src := ev["triggerSource"].(string)
		code := path(ev, "request", "codeParameter").(string)
		resp := map[string]any{
			"emailSubject": "[" + src + "]",
			"emailMessage": "Hello " + path(ev, "userName").(string) + ", your code is " + code + " (" + src + ")",
			"smsMessage":   nil,
		}
		if src == "CustomMessage_AdminCreateUser" {
			resp["emailMessage"] = "Welcome " + path(ev, "request", "usernameParameter").(string) + ", password " + code
		}
		if path(ev, "request", "clientMetadata", "drop") == "code" {
			resp["emailMessage"] = "no code at all"
		}
		ev["response"] = resp
		return ev, nil
	})

	signUp(t, c, clientID, "msg", "Passw0rd!", "email", "msg@example.com")
	m := lastMessage(t, c, poolID, "msg", "SIGN_UP", 1)
	if m.Subject != "[CustomMessage_SignUp]" || m.Body != "Hello msg, your code is "+m.Code+" (CustomMessage_SignUp)" {
		t.Errorf("sign-up message = %+v", m)
	}
	if _, err := c.IDP.ResendConfirmationCode(ctx(t), &idp.ResendConfirmationCodeInput{ClientId: &clientID, Username: aws.String("msg")}); err != nil {
		t.Fatal(err)
	}
	m = lastMessage(t, c, poolID, "msg", "RESEND_CODE", 2)
	if !strings.HasSuffix(m.Body, "(CustomMessage_ResendCode)") || !strings.Contains(m.Body, m.Code) {
		t.Errorf("resend message = %+v", m)
	}
	if err := confirmSignUp(t, c, clientID, "msg", m.Code); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("msg")}); err != nil {
		t.Fatal(err)
	}
	if m = lastMessage(t, c, poolID, "msg", "FORGOT_PASSWORD", 3); m.Subject != "[CustomMessage_ForgotPassword]" {
		t.Errorf("forgot-password message = %+v", m)
	}

	// An answer without the code placeholder is refused.
	_, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("msg"),
		ClientMetadata: map[string]string{"drop": "code"}})
	wantClientError(t, err, "InvalidParameterException", "emailBody")

	// Signed in: UpdateUserAttributes and GetUserAttributeVerificationCode.
	out, err := passwordAuth(t, c, clientID, "msg", "Passw0rd!")
	res := tokens(t, "USER_PASSWORD_AUTH", out, err)
	if _, err := c.IDP.UpdateUserAttributes(ctx(t), &idp.UpdateUserAttributesInput{AccessToken: res.AccessToken,
		UserAttributes: attrList("email", "msg2@example.com"), ClientMetadata: map[string]string{"via": "update"}}); err != nil {
		t.Fatal(err)
	}
	if m = lastMessage(t, c, poolID, "msg", "UPDATE_ATTRIBUTE", 4); !strings.HasSuffix(m.Body, "(CustomMessage_UpdateUserAttribute)") || m.Destination != "msg2@example.com" {
		t.Errorf("update-attribute message = %+v", m)
	}
	if _, err := c.IDP.GetUserAttributeVerificationCode(ctx(t), &idp.GetUserAttributeVerificationCodeInput{AccessToken: res.AccessToken,
		AttributeName: aws.String("email")}); err != nil {
		t.Fatal(err)
	}
	if m = lastMessage(t, c, poolID, "msg", "VERIFY_ATTRIBUTE", 5); !strings.HasSuffix(m.Body, "(CustomMessage_VerifyUserAttribute)") {
		t.Errorf("verify-attribute message = %+v", m)
	}
	var sources []string
	for _, ev := range e.events(fn) {
		sources = append(sources, ev["triggerSource"].(string))
	}
	want := []string{"CustomMessage_SignUp", "CustomMessage_ResendCode", "CustomMessage_ForgotPassword", "CustomMessage_ForgotPassword",
		"CustomMessage_UpdateUserAttribute", "CustomMessage_VerifyUserAttribute"}
	if !slices.Equal(sources, want) {
		t.Errorf("custom message sources = %v, want %v", sources, want)
	}
	for _, ev := range e.events(fn) {
		if ev["triggerSource"] == "CustomMessage_UpdateUserAttribute" && path(ev, "request", "clientMetadata", "via") != "update" {
			t.Errorf("update-attribute event = %s", asJSON(t, ev))
		}
	}
}

func testAdminTriggers(t *testing.T, e *lambdaEnv) {
	c := e.c
	pre, post, msg := "presignup-"+uniq("f"), "postconf-"+uniq("f"), "custommsg-"+uniq("f")
	poolID, _ := triggerPool(t, c, &types.LambdaConfigType{PreSignUp: arn(pre), PostConfirmation: arn(post), CustomMessage: arn(msg)}, nil)
	e.rec.Respond(pre, map[string]any{"autoConfirmUser": false, "autoVerifyEmail": true, "autoVerifyPhone": false})
	e.rec.On(msg, func(ev map[string]any) (any, error) {
		ev["response"] = map[string]any{"emailSubject": "Invitation", "emailMessage": "User {username} / temporary password {####}"}
		return ev, nil
	})
	out, err := c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{
		UserPoolId: &poolID, Username: aws.String("invited"), TemporaryPassword: aws.String("Temp-Passw0rd"),
		UserAttributes:         attrList("email", "invited@example.com"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		ValidationData:         attrList("by", "admin"),
		ClientMetadata:         map[string]string{"k": "v"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.User.UserStatus != types.UserStatusTypeForceChangePassword || attrMap(t, out.User.Attributes)["email_verified"] != "true" {
		t.Errorf("created user = %s", asJSON(t, out.User))
	}
	ev := e.events(pre)[0]
	if ev["triggerSource"] != "PreSignUp_AdminCreateUser" || path(ev, "callerContext", "clientId") != "CLIENT_ID_NOT_APPLICABLE" ||
		path(ev, "request", "validationData", "by") != "admin" || path(ev, "request", "clientMetadata", "k") != "v" {
		t.Errorf("admin pre sign-up event = %s", asJSON(t, ev))
	}
	m := lastMessage(t, c, poolID, "invited", "INVITATION", 1)
	if m.Subject != "Invitation" || m.Body != "User invited / temporary password Temp-Passw0rd" {
		t.Errorf("invitation = %+v", m)
	}
	if ev := e.events(msg)[0]; ev["triggerSource"] != "CustomMessage_AdminCreateUser" || path(ev, "request", "usernameParameter") != "{username}" {
		t.Errorf("invitation event = %s", asJSON(t, ev))
	}

	// AdminConfirmSignUp runs the post confirmation trigger.
	e.rec.Respond(pre, map[string]any{})
	if _, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: aws.String(clientOf(t, c, poolID)), Username: aws.String("pending"),
		Password: aws.String("Passw0rd!"), UserAttributes: attrList("email", "pending@example.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IDP.AdminConfirmSignUp(ctx(t), &idp.AdminConfirmSignUpInput{UserPoolId: &poolID, Username: aws.String("pending"),
		ClientMetadata: map[string]string{"who": "admin"}}); err != nil {
		t.Fatal(err)
	}
	evs := e.events(post)
	if len(evs) != 1 || evs[0]["triggerSource"] != "PostConfirmation_ConfirmSignUp" || path(evs[0], "callerContext", "clientId") != "CLIENT_ID_NOT_APPLICABLE" ||
		path(evs[0], "request", "clientMetadata", "who") != "admin" {
		t.Errorf("post confirmation events = %s", asJSON(t, evs))
	}
}

// clientOf returns the id of the pool's first app client.
func clientOf(t *testing.T, c *cogito, poolID string) string {
	t.Helper()
	out, err := c.IDP.ListUserPoolClients(ctx(t), &idp.ListUserPoolClientsInput{UserPoolId: &poolID})
	if err != nil || len(out.UserPoolClients) == 0 {
		t.Fatalf("ListUserPoolClients: %v", err)
	}
	return aws.ToString(out.UserPoolClients[0].ClientId)
}

func testCustomEmailSender(t *testing.T, e *lambdaEnv) {
	c := e.c
	fn := "sender-" + uniq("f")
	keyARN := "arn:aws:kms:us-east-1:123456789012:key/" + uniq("k")
	poolID, clientID := triggerPool(t, c, &types.LambdaConfigType{
		CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: arn(fn), LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10},
		KMSKeyID:          &keyARN,
	}, nil)
	out, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &clientID, Username: aws.String("sent"), Password: aws.String("Passw0rd!"),
		UserAttributes: attrList("email", "sent@example.com"), ClientMetadata: map[string]string{"m": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	wantDelivery(t, out.CodeDeliveryDetails, "s")
	calls := e.rec.CallsTo(fn)
	if len(calls) != 1 || !calls[0].Request.Async {
		t.Fatalf("custom sender calls = %+v", calls)
	}
	ev := calls[0].Event
	if ev["triggerSource"] != "CustomEmailSender_SignUp" || path(ev, "request", "type") != "customEmailSenderRequestV1" ||
		path(ev, "request", "userAttributes", "email") != "sent@example.com" || path(ev, "request", "clientMetadata", "m") != "1" ||
		path(ev, "callerContext", "clientId") != clientID {
		t.Errorf("custom sender event = %s", asJSON(t, ev))
	}
	code, ec, err := e.kms.DecryptCode(path(ev, "request", "code").(string))
	if err != nil {
		t.Fatalf("decrypting the event's code: %v", err)
	}
	// The outbox still records the message, with the same code.
	m := lastMessage(t, c, poolID, "sent", "SIGN_UP", 1)
	if code != m.Code || ec["userpool-id"] != poolID {
		t.Errorf("decrypted code %q (context %v), outbox code %q", code, ec, m.Code)
	}
	if err := confirmSignUp(t, c, clientID, "sent", code); err != nil {
		t.Errorf("confirming with the sender's code: %v", err)
	}
}

func testPreTokenGeneration(t *testing.T, e *lambdaEnv) {
	c := e.c
	fn := "pretoken-" + uniq("f")
	v2 := types.PreTokenGenerationLambdaVersionTypeV20
	poolID, clientID := triggerPool(t, c, &types.LambdaConfigType{
		PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: arn(fn), LambdaVersion: v2},
	}, func(in *idp.CreateUserPoolInput) {
		in.UserPoolTier = types.UserPoolTierTypeEssentials
	})
	// DescribeUserPool shows the trigger in both members.
	if lc := describePool(t, c, poolID).LambdaConfig; lc == nil || aws.ToString(lc.PreTokenGeneration) != aws.ToString(arn(fn)) ||
		lc.PreTokenGenerationConfig == nil || lc.PreTokenGenerationConfig.LambdaVersion != v2 {
		t.Errorf("LambdaConfig = %s", asJSON(t, lc))
	}
	adminCreateConfirmed(t, c, poolID, "tok", "Passw0rd!", "email", "tok@example.com", "given_name", "Tok")
	if _, err := c.IDP.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IDP.AdminAddUserToGroup(ctx(t), &idp.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: aws.String("tok"), GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	e.rec.On(fn, func(ev map[string]any) (any, error) {
		ev["response"] = map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"idTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"tier": "gold", "plan": map[string]any{"seats": 3}, "sub": "forged"},
				"claimsToSuppress":      []string{"given_name"},
			},
			"accessTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"source": ev["triggerSource"]},
				"scopesToAdd":           []string{"api/read"},
			},
			"groupOverrideDetails": map[string]any{"groupsToOverride": []string{"overridden"}},
		}}
		return ev, nil
	})
	signIn, err := passwordAuth(t, c, clientID, "tok", "Passw0rd!")
	res := tokens(t, "USER_PASSWORD_AUTH", signIn, err)
	issuer := c.URL + "/" + poolID
	id := verifyJWT(t, c, poolID, issuer, *res.IdToken)
	access := verifyJWT(t, c, poolID, issuer, *res.AccessToken)
	plan, _ := id["plan"].(map[string]any)
	if id.str("tier") != "gold" || plan["seats"] != float64(3) || id["given_name"] != nil || id.str("email") != "tok@example.com" ||
		id.str("sub") == "forged" || !slices.Equal(toStrings(id["cognito:groups"]), []string{"overridden"}) {
		t.Errorf("ID token claims = %s", asJSON(t, id))
	}
	if access.str("source") != "TokenGeneration_Authentication" || access.str("scope") != "aws.cognito.signin.user.admin api/read" ||
		!slices.Equal(toStrings(access["cognito:groups"]), []string{"overridden"}) {
		t.Errorf("access token claims = %s", asJSON(t, access))
	}
	ev := e.events(fn)[0]
	if ev["version"] != "2" || !slices.Equal(toStrings(path(ev, "request", "groupConfiguration", "groupsToOverride")), []string{"readers"}) ||
		!slices.Equal(toStrings(path(ev, "request", "scopes")), []string{"aws.cognito.signin.user.admin"}) ||
		path(ev, "request", "userAttributes", "email") != "tok@example.com" {
		t.Errorf("pre token event = %s", asJSON(t, ev))
	}

	// Refresh: source TokenGeneration_RefreshTokens.
	out, err := c.IDP.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	access = verifyJWT(t, c, poolID, issuer, *out.AuthenticationResult.AccessToken)
	if access.str("source") != "TokenGeneration_RefreshTokens" {
		t.Errorf("refreshed access token claims = %s", asJSON(t, access))
	}

	// A function that throws stops the sign-in.
	e.rec.Fail(fn, "no tokens today")
	_, err = passwordAuth(t, c, clientID, "tok", "Passw0rd!")
	wantClientError(t, err, "UserLambdaValidationException", "PreTokenGeneration failed with error no tokens today.")
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
