package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/server"
)

// signUpPool creates a pool that verifies emails, with strictPolicy, and a
// public app client.
func signUpPool(t *testing.T, c *cogito, prefix string, in *idp.CreateUserPoolInput) (poolID, clientID string) {
	t.Helper()
	if in == nil {
		in = &idp.CreateUserPoolInput{}
	}
	in.Policies = strictPolicy()
	in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	pool := createPool(t, c, prefix, in)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: pool.Id})
	return aws.ToString(pool.Id), aws.ToString(cl.ClientId)
}

func signUp(t testing.TB, c *cogito, clientID, username, password string, kv ...string) *idp.SignUpOutput {
	t.Helper()
	out, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &clientID, Username: &username, Password: &password, UserAttributes: attrList(kv...)})
	if err != nil {
		t.Fatalf("SignUp(%s): %v", username, err)
	}
	return out
}

func confirmSignUp(t testing.TB, c *cogito, clientID, username, code string) error {
	t.Helper()
	_, err := c.IDP.ConfirmSignUp(ctx(t), &idp.ConfirmSignUpInput{ClientId: &clientID, Username: &username, ConfirmationCode: &code})
	return err
}

// wantDelivery checks CodeDeliveryDetails of a code sent to an email address
// starting with first: Cognito shows "j***@e***…".
func wantDelivery(t testing.TB, d *types.CodeDeliveryDetailsType, first string) {
	t.Helper()
	if d == nil {
		t.Fatal("no CodeDeliveryDetails")
	}
	if d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" ||
		!strings.HasPrefix(aws.ToString(d.Destination), first+"***@e***") {
		t.Errorf("CodeDeliveryDetails = %s, want EMAIL to %s***@e***, attribute email", asJSON(t, d), first)
	}
}

// Sign-up, the code from the outbox, a resend, confirmation, and the errors
// on the way.
func testSignUpJourney(t *testing.T, c *cogito) {
	needs(t, "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "AdminGetUser", "AdminConfirmSignUp")
	pool, client := signUpPool(t, c, "signup", nil)

	out := signUp(t, c, client, "jane", "Passw0rd!", "email", "jane@example.com", "given_name", "Jane")
	if out.UserConfirmed || !uuidPattern.MatchString(aws.ToString(out.UserSub)) {
		t.Errorf("SignUp = %s, want unconfirmed with a UUID sub", asJSON(t, out))
	}
	wantDelivery(t, out.CodeDeliveryDetails, "j")
	m := lastMessage(t, c, pool, "jane", "SIGN_UP", 1)
	if m.DeliveryMedium != "EMAIL" || m.Destination != "jane@example.com" || !sixDigits.MatchString(m.Code) || !strings.Contains(m.Body, m.Code) {
		t.Errorf("sign-up message = %+v", m)
	}
	u := wantStatus(t, c, pool, "jane", types.UserStatusTypeUnconfirmed)
	if a := attrMap(t, u.UserAttributes); a["sub"] != aws.ToString(out.UserSub) || a["email"] != "jane@example.com" || a["email_verified"] == "true" {
		t.Errorf("attributes of an unconfirmed user = %v", a)
	}

	err := confirmSignUp(t, c, client, "jane", otherCode(m.Code))
	wantClientError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	var mismatch *types.CodeMismatchException
	if !errors.As(err, &mismatch) {
		t.Errorf("error is %T, want the SDK's *types.CodeMismatchException", err)
	}

	res, err := c.IDP.ResendConfirmationCode(ctx(t), &idp.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("jane")})
	if err != nil {
		t.Fatalf("ResendConfirmationCode: %v", err)
	}
	wantDelivery(t, res.CodeDeliveryDetails, "j")
	code := lastCode(t, c, pool, "jane", "RESEND_CODE", 2)

	if err := confirmSignUp(t, c, client, "jane", code); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	u = wantStatus(t, c, pool, "jane", types.UserStatusTypeConfirmed)
	if a := attrMap(t, u.UserAttributes); a["email_verified"] != "true" {
		t.Errorf("email_verified after confirmation = %q, want true", a["email_verified"])
	}
	wantClientError(t, confirmSignUp(t, c, client, "jane", code), "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	_, err = c.IDP.ResendConfirmationCode(ctx(t), &idp.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("jane")})
	wantClientError(t, err, "InvalidParameterException", "User is already confirmed.")

	// Sign-up errors.
	sign := func(username, password string) error {
		_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &client, Username: &username, Password: &password,
			UserAttributes: attrList("email", username+"@example.com")})
		return err
	}
	wantClientError(t, sign("jane", "Passw0rd!"), "UsernameExistsException", "User already exists")
	for _, tc := range []struct{ pw, reason string }{
		{"Pa0!", "Password not long enough"},
		{"PASSW0RD!", "Password must have lowercase characters"},
		{"passw0rd!", "Password must have uppercase characters"},
		{"Password!", "Password must have numeric characters"},
		{"Passw0rdX", "Password must have symbol characters"},
	} {
		err := sign("kim", tc.pw)
		ae := apiError(t, err, "InvalidPasswordException")
		if want := "Password did not conform with policy: " + tc.reason; ae.ErrorMessage() != want {
			t.Errorf("SignUp with %q: message %q, want %q", tc.pw, ae.ErrorMessage(), want)
		}
	}
	_, err = c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: aws.String("nosuchclient0123456789abcd"), Username: aws.String("kim"), Password: aws.String("Passw0rd!")})
	wantClientError(t, err, "ResourceNotFoundException")
	wantClientError(t, confirmSignUp(t, c, client, "nobody", "123456"), "UserNotFoundException", "Username/client id combination not found.")

	// An administrator can confirm a sign-up without the code.
	signUp(t, c, client, "lee", "Passw0rd!", "email", "lee@example.com")
	if _, err := c.IDP.AdminConfirmSignUp(ctx(t), &idp.AdminConfirmSignUpInput{UserPoolId: &pool, Username: aws.String("lee")}); err != nil {
		t.Fatalf("AdminConfirmSignUp: %v", err)
	}
	wantStatus(t, c, pool, "lee", types.UserStatusTypeConfirmed)
	_, err = c.IDP.AdminConfirmSignUp(ctx(t), &idp.AdminConfirmSignUpInput{UserPoolId: &pool, Username: aws.String("lee")})
	wantClientError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
}

// A pool whose usernames are email addresses: the email is the sign-up name,
// the sub the username.
func testSignUpEmailUsername(t *testing.T, c *cogito) {
	needs(t, "SignUp", "ConfirmSignUp", "AdminGetUser")
	pool, client := signUpPool(t, c, "signup-email", &idp.CreateUserPoolInput{
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
	})
	out := signUp(t, c, client, "nora@example.com", "Passw0rd!")
	sub := aws.ToString(out.UserSub)
	wantDelivery(t, out.CodeDeliveryDetails, "n")
	m := lastMessage(t, c, pool, sub, "SIGN_UP", 1)
	if m.Destination != "nora@example.com" {
		t.Errorf("sign-up message = %+v", m)
	}
	if err := confirmSignUp(t, c, client, "nora@example.com", m.Code); err != nil {
		t.Fatalf("ConfirmSignUp by email: %v", err)
	}
	u := wantStatus(t, c, pool, "nora@example.com", types.UserStatusTypeConfirmed)
	if a := attrMap(t, u.UserAttributes); aws.ToString(u.Username) != sub || a["email"] != "nora@example.com" || a["email_verified"] != "true" {
		t.Errorf("AdminGetUser = %s", asJSON(t, u))
	}
	_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &client, Username: aws.String("nora@example.com"), Password: aws.String("Passw0rd!")})
	wantClientError(t, err, "UsernameExistsException", "An account with the given email already exists.")
}

// ForgotPassword sends a code; ConfirmForgotPassword sets the new password.
func testForgotPassword(t *testing.T, c *cogito) {
	needs(t, "SignUp", "ConfirmSignUp", "ForgotPassword", "ConfirmForgotPassword", "AdminDisableUser")
	pool, client := signUpPool(t, c, "forgot", nil)
	signUp(t, c, client, "mia", "Passw0rd!", "email", "mia@example.com")
	if err := confirmSignUp(t, c, client, "mia", lastCode(t, c, pool, "mia", "SIGN_UP", 1)); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}

	fp, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: aws.String("mia")})
	if err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	wantDelivery(t, fp.CodeDeliveryDetails, "m")
	code := lastCode(t, c, pool, "mia", "FORGOT_PASSWORD", 2)
	confirm := func(code, pw string) error {
		_, err := c.IDP.ConfirmForgotPassword(ctx(t), &idp.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("mia"),
			ConfirmationCode: &code, Password: &pw})
		return err
	}
	wantClientError(t, confirm(otherCode(code), "New-Passw0rd"), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantClientError(t, confirm(code, "Sh0rt!"), "InvalidPasswordException", "conform", "policy: Password not long enough")
	if err := confirm(code, "New-Passw0rd"); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	wantStatus(t, c, pool, "mia", types.UserStatusTypeConfirmed)
	err = confirm(code, "Newer-Passw0rd")
	wantClientError(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
	var expired *types.ExpiredCodeException
	if !errors.As(err, &expired) {
		t.Errorf("error is %T, want the SDK's *types.ExpiredCodeException", err)
	}

	forgot := func(user string) error {
		_, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: &user})
		return err
	}
	wantClientError(t, forgot("nobody"), "UserNotFoundException", "Username/client id combination not found.")
	adminCreateConfirmed(t, c, pool, "noor", "Perm-Passw0rd")
	wantClientError(t, forgot("noor"), "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	if _, err := c.IDP.AdminDisableUser(ctx(t), &idp.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("mia")}); err != nil {
		t.Fatalf("AdminDisableUser: %v", err)
	}
	wantClientError(t, forgot("mia"), "NotAuthorizedException", "User is disabled.")
}

// secretHash is SECRET_HASH as client code computes it:
// base64(HMAC-SHA256(client secret, username + client id)).
func secretHash(clientID, secret, username string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// A client with a secret needs SecretHash on every self-service call.
func testSignUpSecretHash(t *testing.T, c *cogito) {
	needs(t, "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "ForgotPassword")
	pool := createPool(t, c, "secret-hash", &idp.CreateUserPoolInput{Policies: strictPolicy(),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	id := aws.ToString(pool.Id)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: pool.Id, GenerateSecret: true})
	client, secret := aws.ToString(cl.ClientId), aws.ToString(cl.ClientSecret)

	up := func(hash *string) error {
		_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &client, Username: aws.String("omar"), Password: aws.String("Passw0rd!"),
			SecretHash: hash, UserAttributes: attrList("email", "omar@example.com")})
		return err
	}
	wantClientError(t, up(nil), "NotAuthorizedException", "Client "+client+" is configured for secret but secret was not received")
	wantClientError(t, up(aws.String(secretHash(client, secret, "someone-else"))), "NotAuthorizedException", "Unable to verify secret hash for client "+client)
	hash := secretHash(client, secret, "omar")
	if err := up(&hash); err != nil {
		t.Fatalf("SignUp with SecretHash: %v", err)
	}

	_, err := c.IDP.ResendConfirmationCode(ctx(t), &idp.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("omar")})
	wantClientError(t, err, "NotAuthorizedException", "is configured for secret but secret was not received")
	if _, err := c.IDP.ResendConfirmationCode(ctx(t), &idp.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("omar"), SecretHash: &hash}); err != nil {
		t.Fatalf("ResendConfirmationCode with SecretHash: %v", err)
	}
	code := lastCode(t, c, id, "omar", "RESEND_CODE", 2)
	_, err = c.IDP.ConfirmSignUp(ctx(t), &idp.ConfirmSignUpInput{ClientId: &client, Username: aws.String("omar"), ConfirmationCode: &code})
	wantClientError(t, err, "NotAuthorizedException", "is configured for secret but secret was not received")
	if _, err := c.IDP.ConfirmSignUp(ctx(t), &idp.ConfirmSignUpInput{ClientId: &client, Username: aws.String("omar"), ConfirmationCode: &code, SecretHash: &hash}); err != nil {
		t.Fatalf("ConfirmSignUp with SecretHash: %v", err)
	}
	_, err = c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: aws.String("omar"), SecretHash: aws.String("d3Jvbmc=")})
	wantClientError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+client)
	if _, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: aws.String("omar"), SecretHash: &hash}); err != nil {
		t.Fatalf("ForgotPassword with SecretHash: %v", err)
	}
	lastCode(t, c, id, "omar", "FORGOT_PASSWORD", 3)
}

// A pool that lets only administrators create users refuses SignUp.
func testSignUpAdminOnly(t *testing.T, c *cogito) {
	needs(t, "SignUp")
	pool := createPool(t, c, "admin-only", &idp.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}})
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: pool.Id})
	_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: cl.ClientId, Username: aws.String("pia"), Password: aws.String("Passw0rd!")})
	wantClientError(t, err, "NotAuthorizedException")
}

// Codes expire: a sign-up code after 24 hours, a password reset code after
// one hour. Time moves on a server of its own.
func testExpiredCodes(t *testing.T, b backend) {
	needs(t, "SignUp", "ConfirmSignUp", "ForgotPassword", "ConfirmForgotPassword")
	clk := &clock.Offset{}
	c := startOpts(t, b.new(t), nil, server.Options{Clock: clk})
	pool, client := signUpPool(t, c, "expiry", nil)

	signUp(t, c, client, "quentin", "Passw0rd!", "email", "quentin@example.com")
	code := lastCode(t, c, pool, "quentin", "SIGN_UP", 1)
	signUp(t, c, client, "rosa", "Passw0rd!", "email", "rosa@example.com")
	if err := confirmSignUp(t, c, client, "rosa", lastCode(t, c, pool, "rosa", "SIGN_UP", 1)); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	if _, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: aws.String("rosa")}); err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	reset := lastCode(t, c, pool, "rosa", "FORGOT_PASSWORD", 2)

	clk.Advance(61 * time.Minute)
	_, err := c.IDP.ConfirmForgotPassword(ctx(t), &idp.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("rosa"),
		ConfirmationCode: &reset, Password: aws.String("New-Passw0rd")})
	wantClientError(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
	// The sign-up code is still good after an hour; not after a day.
	signUp(t, c, client, "sven", "Passw0rd!", "email", "sven@example.com")
	clk.Advance(23 * time.Hour) // quentin's code is 24h01m old, sven's 23h
	wantClientError(t, confirmSignUp(t, c, client, "quentin", code), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	wantStatus(t, c, pool, "quentin", types.UserStatusTypeUnconfirmed)
	if err := confirmSignUp(t, c, client, "sven", lastCode(t, c, pool, "sven", "SIGN_UP", 1)); err != nil {
		t.Errorf("ConfirmSignUp with a code 23 hours old: %v", err)
	}
}
