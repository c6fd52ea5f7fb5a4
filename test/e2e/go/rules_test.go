package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// UsernameConfiguration.CaseSensitive false: one user per spelling, found by
// any case, shown as created; a case-sensitive pool keeps spellings apart.
func testUsernameCase(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminGetUser", "ListUsers")
	insensitive := createPool(t, c, "case-insensitive", &idp.CreateUserPoolInput{
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}})
	id := aws.ToString(insensitive.Id)
	adminCreate(t, c, id, "Alice")
	for _, name := range []string{"alice", "ALICE", "Alice"} {
		if got := getUser(t, c, id, name); aws.ToString(got.Username) != "Alice" {
			t.Errorf("AdminGetUser(%s) in a case-insensitive pool: Username %q, want Alice", name, aws.ToString(got.Username))
		}
	}
	_, err := c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("aLiCe"), MessageAction: types.MessageActionTypeSuppress})
	wantClientError(t, err, "UsernameExistsException", "User account already exists")

	sensitive := createPool(t, c, "case-sensitive", &idp.CreateUserPoolInput{
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(true)}})
	sid := aws.ToString(sensitive.Id)
	adminCreate(t, c, sid, "Bob")
	adminCreate(t, c, sid, "bob")
	_, err = c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &sid, Username: aws.String("BOB")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	wantUserSet(t, c, sid, "", "Bob", "bob")
}

// A verified email alias appears when sign-up is confirmed and is freed when
// its user is deleted.
func testAliasLifecycle(t *testing.T, c *cogito) {
	needs(t, "SignUp", "ConfirmSignUp", "AdminGetUser", "AdminDeleteUser")
	pool, client := signUpPool(t, c, "alias-life", &idp.CreateUserPoolInput{
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	signUp(t, c, client, "yara", "Passw0rd!", "email", "yara@example.com")
	_, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("yara@example.com")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	if err := confirmSignUp(t, c, client, "yara", lastCode(t, c, pool, "yara", "SIGN_UP", 1)); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	if got := getUser(t, c, pool, "yara@example.com"); aws.ToString(got.Username) != "yara" {
		t.Errorf("AdminGetUser by the email confirmed at sign-up: %q, want yara", aws.ToString(got.Username))
	}
	if _, err := c.IDP.AdminDeleteUser(ctx(t), &idp.AdminDeleteUserInput{UserPoolId: &pool, Username: aws.String("yara")}); err != nil {
		t.Fatalf("AdminDeleteUser: %v", err)
	}
	adminCreate(t, c, pool, "zoe", "email", "yara@example.com", "email_verified", "true")
	if got := getUser(t, c, pool, "yara@example.com"); aws.ToString(got.Username) != "zoe" {
		t.Errorf("the email alias of a deleted user now finds %q, want zoe", aws.ToString(got.Username))
	}
}

// SignUp checks the attributes against the schema with Cognito's messages,
// and AdminSetUserPassword confirms an unconfirmed user.
func testSignUpSchema(t *testing.T, c *cogito) {
	needs(t, "SignUp", "AdminSetUserPassword", "ForgotPassword", "ResendConfirmationCode")
	pool, client := signUpPool(t, c, "signup-schema", &idp.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
	}})
	sign := func(username string, kv ...string) error {
		_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &client, Username: &username, Password: aws.String("Passw0rd!"), UserAttributes: attrList(kv...)})
		return err
	}
	wantClientError(t, sign("abe"), "InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required")
	wantClientError(t, sign("abe", "email", "abe@example.com", "custom:nope", "x"), "InvalidParameterException",
		"Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.")
	wantClientError(t, sign("abe", "email", "not-an-email"), "InvalidParameterException", "Invalid email address format.")

	// An unconfirmed user with an unverified email cannot recover a password;
	// an administrator's permanent password confirms the user.
	if err := sign("abe", "email", "abe@example.com"); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	_, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: aws.String("abe")})
	wantClientError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	_, err = c.IDP.ResendConfirmationCode(ctx(t), &idp.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("nobody")})
	wantClientError(t, err, "UserNotFoundException", "Username/client id combination not found.")
	setPassword(t, c, pool, "abe", "Perm-Passw0rd", true)
	wantStatus(t, c, pool, "abe", types.UserStatusTypeConfirmed)
}

// With PreventUserExistenceErrors ENABLED an unknown user looks like a known
// one to the self-service operations; SignUp still reports a taken name.
func testUserExistenceErrors(t *testing.T, c *cogito) {
	needs(t, "SignUp", "ForgotPassword", "ConfirmForgotPassword", "ResendConfirmationCode")
	pool := createPool(t, c, "existence", &idp.CreateUserPoolInput{Policies: strictPolicy(),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: pool.Id, PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	client := aws.ToString(cl.ClientId)

	fp, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: aws.String("nobody")})
	if err != nil {
		t.Fatalf("ForgotPassword of an unknown user with existence errors prevented: %v, want a simulated answer", err)
	}
	if d := fp.CodeDeliveryDetails; d == nil || d.DeliveryMedium == "" || aws.ToString(d.Destination) == "" {
		t.Errorf("simulated CodeDeliveryDetails = %s", asJSON(t, fp.CodeDeliveryDetails))
	}
	_, err = c.IDP.ConfirmForgotPassword(ctx(t), &idp.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("nobody"),
		ConfirmationCode: aws.String("123456"), Password: aws.String("New-Passw0rd")})
	wantClientError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	if _, err := c.IDP.ResendConfirmationCode(ctx(t), &idp.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("nobody")}); err != nil {
		t.Errorf("ResendConfirmationCode of an unknown user with existence errors prevented: %v, want a simulated answer", err)
	}
	signUp(t, c, client, "ben", "Passw0rd!", "email", "ben@example.com")
	_, err = c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &client, Username: aws.String("ben"), Password: aws.String("Passw0rd!")})
	wantClientError(t, err, "UsernameExistsException", "User already exists")
	if msgs := outbox(t, c, aws.ToString(pool.Id), "nobody"); len(msgs) != 0 {
		t.Errorf("messages sent for an unknown user: %+v", msgs)
	}
}
