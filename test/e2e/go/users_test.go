package e2e

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// strictPolicy is Cognito's default password policy spelled out, so the
// messages the tests expect do not rest on defaults.
func strictPolicy() *types.UserPoolPolicyType {
	return &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
		MinimumLength:    aws.Int32(8),
		RequireUppercase: true,
		RequireLowercase: true,
		RequireNumbers:   true,
		RequireSymbols:   true,
	}}
}

// attrList turns name, value pairs into AttributeType values.
func attrList(kv ...string) []types.AttributeType {
	out := make([]types.AttributeType, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// attrMap turns attributes into a map (failing on a repeated name).
func attrMap(t testing.TB, list []types.AttributeType) map[string]string {
	t.Helper()
	m := make(map[string]string, len(list))
	for _, a := range list {
		n := aws.ToString(a.Name)
		if _, dup := m[n]; dup {
			t.Errorf("attribute %s listed twice", n)
		}
		m[n] = aws.ToString(a.Value)
	}
	return m
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// adminCreate creates a user without an invitation, with a temporary
// password, and returns the user Cognito answered.
func adminCreate(t testing.TB, c *cogito, poolID, username string, kv ...string) *types.UserType {
	t.Helper()
	out, err := c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{
		UserPoolId:        &poolID,
		Username:          &username,
		TemporaryPassword: aws.String("Temp-Passw0rd"),
		MessageAction:     types.MessageActionTypeSuppress,
		UserAttributes:    attrList(kv...),
	})
	if err != nil {
		t.Fatalf("AdminCreateUser(%s): %v", username, err)
	}
	if out.User == nil {
		t.Fatalf("AdminCreateUser(%s) returned no User", username)
	}
	return out.User
}

// adminCreateConfirmed creates a user with a permanent password.
func adminCreateConfirmed(t testing.TB, c *cogito, poolID, username, password string, kv ...string) *types.UserType {
	t.Helper()
	u := adminCreate(t, c, poolID, username, kv...)
	setPassword(t, c, poolID, username, password, true)
	return u
}

func setPassword(t testing.TB, c *cogito, poolID, username, password string, permanent bool) {
	t.Helper()
	if _, err := c.IDP.AdminSetUserPassword(ctx(t), &idp.AdminSetUserPasswordInput{
		UserPoolId: &poolID, Username: &username, Password: &password, Permanent: permanent,
	}); err != nil {
		t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
	}
}

func getUser(t testing.TB, c *cogito, poolID, username string) *idp.AdminGetUserOutput {
	t.Helper()
	out, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &poolID, Username: &username})
	if err != nil {
		t.Fatalf("AdminGetUser(%s): %v", username, err)
	}
	return out
}

func wantStatus(t testing.TB, c *cogito, poolID, username string, want types.UserStatusType) *idp.AdminGetUserOutput {
	t.Helper()
	u := getUser(t, c, poolID, username)
	if u.UserStatus != want {
		t.Errorf("UserStatus of %s = %s, want %s", username, u.UserStatus, want)
	}
	return u
}

// passwordMeetsStrictPolicy reports whether pw meets strictPolicy.
func passwordMeetsStrictPolicy(pw string) bool {
	return len(pw) >= 8 && strings.ContainsAny(pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
		strings.ContainsAny(pw, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(pw, "0123456789") &&
		strings.ContainsAny(pw, "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
}

var invitationPassword = regexp.MustCompile(`temporary password is (\S+)\. $`)

func testAdminCreateUser(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminGetUser", "AdminDeleteUser")
	pool := createPool(t, c, "users", &idp.CreateUserPoolInput{Policies: strictPolicy()})
	id := aws.ToString(pool.Id)

	// An invitation by email with the temporary password given.
	out, err := c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{
		UserPoolId:             &id,
		Username:               aws.String("alice"),
		TemporaryPassword:      aws.String("Temp-Passw0rd"),
		UserAttributes:         attrList("email", "alice@example.com", "given_name", "Alice"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	})
	if err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	u := out.User
	if aws.ToString(u.Username) != "alice" || !u.Enabled || u.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("AdminCreateUser User = %s", asJSON(t, u))
	}
	if !near(u.UserCreateDate, 5*time.Minute) || !near(u.UserLastModifiedDate, 5*time.Minute) {
		t.Errorf("UserCreateDate %v / UserLastModifiedDate %v not near now", u.UserCreateDate, u.UserLastModifiedDate)
	}
	a := attrMap(t, u.Attributes)
	if !uuidPattern.MatchString(a["sub"]) || a["email"] != "alice@example.com" || a["given_name"] != "Alice" {
		t.Errorf("AdminCreateUser attributes = %v", a)
	}
	inv := lastMessage(t, c, id, "alice", "INVITATION", 1)
	if inv.DeliveryMedium != "EMAIL" || inv.Destination != "alice@example.com" || inv.Subject != "Your temporary password" ||
		inv.Body != "Your username is alice and temporary password is Temp-Passw0rd. " {
		t.Errorf("invitation = %+v", inv)
	}

	// AdminGetUser shows what was created.
	g := getUser(t, c, id, "alice")
	if aws.ToString(g.Username) != "alice" || g.UserStatus != types.UserStatusTypeForceChangePassword || !g.Enabled {
		t.Errorf("AdminGetUser = %s", asJSON(t, g))
	}
	if ga := attrMap(t, g.UserAttributes); ga["sub"] != a["sub"] || ga["email"] != "alice@example.com" || ga["given_name"] != "Alice" {
		t.Errorf("AdminGetUser attributes = %v, want those created %v", ga, a)
	}

	// A generated temporary password meets the pool's policy.
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{
		UserPoolId: &id, Username: aws.String("bob"),
		UserAttributes:         attrList("email", "bob@example.com"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	})
	if err != nil {
		t.Fatalf("AdminCreateUser without TemporaryPassword: %v", err)
	}
	inv = lastMessage(t, c, id, "bob", "INVITATION", 1)
	if m := invitationPassword.FindStringSubmatch(inv.Body); m == nil || !passwordMeetsStrictPolicy(m[1]) {
		t.Errorf("invitation with a generated password = %q, want a password meeting the policy", inv.Body)
	}

	// SUPPRESS sends nothing; RESEND sends a new invitation.
	adminCreate(t, c, id, "carol", "email", "carol@example.com")
	if msgs := outbox(t, c, id, "carol"); len(msgs) != 0 {
		t.Errorf("MessageAction SUPPRESS: outbox has %+v", msgs)
	}
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{
		UserPoolId: &id, Username: aws.String("alice"), MessageAction: types.MessageActionTypeResend,
		TemporaryPassword:      aws.String("Other-Passw0rd"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	})
	if err != nil {
		t.Fatalf("AdminCreateUser RESEND: %v", err)
	}
	if inv := lastMessage(t, c, id, "alice", "INVITATION", 2); !strings.Contains(inv.Body, "Other-Passw0rd") {
		t.Errorf("resent invitation = %q, want the new temporary password", inv.Body)
	}

	// Errors.
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("alice")})
	wantClientError(t, err, "UsernameExistsException", "User account already exists")
	var exists *types.UsernameExistsException
	if !errors.As(err, &exists) {
		t.Errorf("error is %T, want the SDK's *types.UsernameExistsException", err)
	}
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("dan"),
		TemporaryPassword: aws.String("Sh0rt!"), MessageAction: types.MessageActionTypeSuppress})
	wantClientError(t, err, "InvalidPasswordException", "conform", "policy: Password not long enough")
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("dan"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	wantClientError(t, err, "InvalidParameterException", "No email provided but desired delivery medium was Email")
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: aws.String("us-east-1_NoSuchPool7"), Username: aws.String("dan")})
	wantClientError(t, err, "ResourceNotFoundException")

	// Deleted users are gone.
	if _, err := c.IDP.AdminDeleteUser(ctx(t), &idp.AdminDeleteUserInput{UserPoolId: &id, Username: aws.String("alice")}); err != nil {
		t.Fatalf("AdminDeleteUser: %v", err)
	}
	_, err = c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &id, Username: aws.String("alice")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	var unf *types.UserNotFoundException
	if !errors.As(err, &unf) {
		t.Errorf("error is %T, want the SDK's *types.UserNotFoundException", err)
	}
	_, err = c.IDP.AdminDeleteUser(ctx(t), &idp.AdminDeleteUserInput{UserPoolId: &id, Username: aws.String("alice")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	// The name is free again.
	adminCreate(t, c, id, "alice")
}

// In a pool with email and preferred_username aliases a user is found by a
// verified alias; an email cannot be a username there.
func testAliasLookup(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminGetUser", "AdminUpdateUserAttributes")
	pool := createPool(t, c, "alias", &idp.CreateUserPoolInput{
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername},
	})
	id := aws.ToString(pool.Id)
	dave := adminCreate(t, c, id, "dave", "email", "dave@example.com", "email_verified", "true")
	if got := getUser(t, c, id, "dave@example.com"); aws.ToString(got.Username) != "dave" {
		t.Errorf("AdminGetUser by verified email alias: Username %q, want dave", aws.ToString(got.Username))
	}
	// An unverified email is no alias.
	adminCreate(t, c, id, "erin", "email", "erin@example.com")
	_, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &id, Username: aws.String("erin@example.com")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")

	// preferred_username is an alias as soon as it is set.
	if _, err := c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{
		UserPoolId: &id, Username: aws.String("dave"), UserAttributes: attrList("preferred_username", "dj"),
	}); err != nil {
		t.Fatalf("AdminUpdateUserAttributes preferred_username: %v", err)
	}
	got := getUser(t, c, id, "dj")
	if aws.ToString(got.Username) != "dave" || attrMap(t, got.UserAttributes)["sub"] != attrMap(t, dave.Attributes)["sub"] {
		t.Errorf("AdminGetUser by preferred_username: %s", asJSON(t, got))
	}

	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("frank@example.com"),
		MessageAction: types.MessageActionTypeSuppress})
	wantClientError(t, err, "InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias.")

	// A verified alias belongs to one user: taking it needs ForceAliasCreation.
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("gina"),
		MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrList("email", "dave@example.com", "email_verified", "true")})
	wantClientError(t, err, "AliasExistsException")
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("gina"), ForceAliasCreation: true,
		MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrList("email", "dave@example.com", "email_verified", "true")})
	if err != nil {
		t.Fatalf("AdminCreateUser with ForceAliasCreation: %v", err)
	}
	if got := getUser(t, c, id, "dave@example.com"); aws.ToString(got.Username) != "gina" {
		t.Errorf("the email alias after ForceAliasCreation belongs to %q, want gina", aws.ToString(got.Username))
	}
	if a := attrMap(t, getUser(t, c, id, "dave").UserAttributes); a["email"] != "dave@example.com" || a["email_verified"] != "false" {
		t.Errorf("the previous holder's email attributes = %v, want the email kept, unverified", a)
	}
}

// In a pool whose usernames are email addresses the username Cognito keeps is
// the sub; the email finds the user.
func testEmailAsUsername(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminGetUser", "ListUsers")
	pool := createPool(t, c, "email-username", &idp.CreateUserPoolInput{
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
	})
	id := aws.ToString(pool.Id)
	out, err := c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{
		UserPoolId: &id, Username: aws.String("hank@example.com"), TemporaryPassword: aws.String("Temp-Passw0rd"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	})
	if err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	name := aws.ToString(out.User.Username)
	a := attrMap(t, out.User.Attributes)
	if !uuidPattern.MatchString(name) || a["sub"] != name || a["email"] != "hank@example.com" {
		t.Errorf("AdminCreateUser User = %s, want a UUID username equal to sub and the email attribute", asJSON(t, out.User))
	}
	for _, key := range []string{"hank@example.com", name} {
		if got := getUser(t, c, id, key); aws.ToString(got.Username) != name {
			t.Errorf("AdminGetUser(%s): Username %q, want %q", key, aws.ToString(got.Username), name)
		}
	}
	inv := lastMessage(t, c, id, name, "INVITATION", 1)
	if inv.Destination != "hank@example.com" || !strings.Contains(inv.Body, "Temp-Passw0rd") {
		t.Errorf("invitation = %+v", inv)
	}
	list, err := c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: &id, Filter: aws.String(`email = "hank@example.com"`)})
	if err != nil || len(list.Users) != 1 || aws.ToString(list.Users[0].Username) != name {
		t.Errorf("ListUsers by email: %v, %s", err, asJSON(t, list))
	}

	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("hank@example.com"),
		MessageAction: types.MessageActionTypeSuppress})
	wantClientError(t, err, "UsernameExistsException", "An account with the given email already exists.")
	_, err = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &id, Username: aws.String("hank"),
		MessageAction: types.MessageActionTypeSuppress})
	wantClientError(t, err, "InvalidParameterException", "Username should be an email.")
}

func testUpdateDeleteAttributes(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminGetUser", "AdminUpdateUserAttributes", "AdminDeleteUserAttributes")
	pool := createPool(t, c, "attrs", &idp.CreateUserPoolInput{
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{{
			Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
		}},
	})
	id := aws.ToString(pool.Id)
	created := adminCreate(t, c, id, "ivan", "email", "ivan@example.com", "email_verified", "true", "given_name", "Ivan")
	time.Sleep(1100 * time.Millisecond) // so the modification time moves (timestamps are seconds)

	_, err := c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{
		UserPoolId: &id, Username: aws.String("ivan"),
		UserAttributes: attrList("given_name", "Iwan", "family_name", "Petrov", "custom:tenant", "acme"),
	})
	if err != nil {
		t.Fatalf("AdminUpdateUserAttributes: %v", err)
	}
	g := getUser(t, c, id, "ivan")
	a := attrMap(t, g.UserAttributes)
	if a["given_name"] != "Iwan" || a["family_name"] != "Petrov" || a["custom:tenant"] != "acme" || a["email"] != "ivan@example.com" {
		t.Errorf("attributes after update = %v", a)
	}
	if g.UserLastModifiedDate == nil || !g.UserLastModifiedDate.After(*created.UserLastModifiedDate) {
		t.Errorf("UserLastModifiedDate %v not after the creation's %v", g.UserLastModifiedDate, created.UserLastModifiedDate)
	}

	// A new email in a pool that verifies emails is unverified and gets a code.
	_, err = c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{
		UserPoolId: &id, Username: aws.String("ivan"), UserAttributes: attrList("email", "iwan@example.com"),
	})
	if err != nil {
		t.Fatalf("AdminUpdateUserAttributes email: %v", err)
	}
	if a := attrMap(t, getUser(t, c, id, "ivan").UserAttributes); a["email"] != "iwan@example.com" || a["email_verified"] != "false" {
		t.Errorf("after changing the email: %v, want the new email unverified", a)
	}
	if msgs := outbox(t, c, id, "ivan"); len(msgs) != 1 || msgs[0].Destination != "iwan@example.com" || !sixDigits.MatchString(msgs[0].Code) {
		t.Errorf("outbox after changing the email = %+v, want one code to the new address", msgs)
	}

	if _, err := c.IDP.AdminDeleteUserAttributes(ctx(t), &idp.AdminDeleteUserAttributesInput{
		UserPoolId: &id, Username: aws.String("ivan"), UserAttributeNames: []string{"family_name", "custom:tenant"},
	}); err != nil {
		t.Fatalf("AdminDeleteUserAttributes: %v", err)
	}
	a = attrMap(t, getUser(t, c, id, "ivan").UserAttributes)
	if _, ok := a["family_name"]; ok {
		t.Errorf("family_name still there: %v", a)
	}
	if _, ok := a["custom:tenant"]; ok {
		t.Errorf("custom:tenant still there: %v", a)
	}
	if a["given_name"] != "Iwan" {
		t.Errorf("given_name = %q after deleting other attributes", a["given_name"])
	}

	// Errors.
	_, err = c.IDP.AdminDeleteUserAttributes(ctx(t), &idp.AdminDeleteUserAttributesInput{
		UserPoolId: &id, Username: aws.String("ivan"), UserAttributeNames: []string{"sub"}})
	wantClientError(t, err, "InvalidParameterException", "sub: Attribute cannot be updated.")
	_, err = c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{
		UserPoolId: &id, Username: aws.String("ivan"), UserAttributes: attrList("custom:nope", "x")})
	wantClientError(t, err, "InvalidParameterException", "custom:nope: Attribute does not exist in the schema.")
	_, err = c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{
		UserPoolId: &id, Username: aws.String("ivan"), UserAttributes: attrList("email", "not-an-email")})
	wantClientError(t, err, "InvalidParameterException", "Invalid email address format.")
	_, err = c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{
		UserPoolId: &id, Username: aws.String("nobody"), UserAttributes: attrList("given_name", "X")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = c.IDP.AdminDeleteUserAttributes(ctx(t), &idp.AdminDeleteUserAttributesInput{
		UserPoolId: &id, Username: aws.String("nobody"), UserAttributeNames: []string{"given_name"}})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
}

func testDisableEnable(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminGetUser", "AdminDisableUser", "AdminEnableUser", "ListUsers")
	pool := createPool(t, c, "disable", nil)
	id := aws.ToString(pool.Id)
	adminCreate(t, c, id, "judy")
	adminCreate(t, c, id, "kurt")
	if _, err := c.IDP.AdminDisableUser(ctx(t), &idp.AdminDisableUserInput{UserPoolId: &id, Username: aws.String("judy")}); err != nil {
		t.Fatalf("AdminDisableUser: %v", err)
	}
	if g := getUser(t, c, id, "judy"); g.Enabled {
		t.Errorf("Enabled after AdminDisableUser")
	}
	wantUsers(t, c, id, `status = "Disabled"`, "judy")
	wantUsers(t, c, id, `status = "Enabled"`, "kurt")
	if _, err := c.IDP.AdminEnableUser(ctx(t), &idp.AdminEnableUserInput{UserPoolId: &id, Username: aws.String("judy")}); err != nil {
		t.Fatalf("AdminEnableUser: %v", err)
	}
	if g := getUser(t, c, id, "judy"); !g.Enabled {
		t.Errorf("not Enabled after AdminEnableUser")
	}
	wantUsers(t, c, id, `status = "Disabled"`)
	_, err := c.IDP.AdminDisableUser(ctx(t), &idp.AdminDisableUserInput{UserPoolId: &id, Username: aws.String("nobody")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = c.IDP.AdminEnableUser(ctx(t), &idp.AdminEnableUserInput{UserPoolId: &id, Username: aws.String("nobody")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
}

func testSetUserPassword(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminGetUser", "AdminSetUserPassword")
	pool := createPool(t, c, "setpw", &idp.CreateUserPoolInput{Policies: strictPolicy()})
	id := aws.ToString(pool.Id)
	adminCreate(t, c, id, "lena")
	wantStatus(t, c, id, "lena", types.UserStatusTypeForceChangePassword)
	setPassword(t, c, id, "lena", "Perm-Passw0rd", true)
	wantStatus(t, c, id, "lena", types.UserStatusTypeConfirmed)
	setPassword(t, c, id, "lena", "Temp-Passw0rd2", false)
	wantStatus(t, c, id, "lena", types.UserStatusTypeForceChangePassword)

	for _, tc := range []struct{ pw, reason string }{
		{"Sh0rt!", "Password not long enough"},
		{"no-upper-case-1", "Password must have uppercase characters"},
		{"NO-LOWER-CASE-1", "Password must have lowercase characters"},
		{"No-Numbers-Here", "Password must have numeric characters"},
		{"NoSymbols1234", "Password must have symbol characters"},
	} {
		_, err := c.IDP.AdminSetUserPassword(ctx(t), &idp.AdminSetUserPasswordInput{
			UserPoolId: &id, Username: aws.String("lena"), Password: aws.String(tc.pw), Permanent: true})
		wantClientError(t, err, "InvalidPasswordException", "conform", "policy: "+tc.reason)
	}
	wantStatus(t, c, id, "lena", types.UserStatusTypeForceChangePassword)
	_, err := c.IDP.AdminSetUserPassword(ctx(t), &idp.AdminSetUserPasswordInput{
		UserPoolId: &id, Username: aws.String("nobody"), Password: aws.String("Perm-Passw0rd"), Permanent: true})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
}

// AdminResetUserPassword sends a code; the user sets a new password with
// ConfirmForgotPassword.
func testResetUserPassword(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "AdminSetUserPassword", "AdminResetUserPassword", "ConfirmForgotPassword")
	pool := createPool(t, c, "reset", &idp.CreateUserPoolInput{Policies: strictPolicy()})
	id := aws.ToString(pool.Id)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: pool.Id})
	adminCreateConfirmed(t, c, id, "mona", "Perm-Passw0rd", "email", "mona@example.com", "email_verified", "true")

	if _, err := c.IDP.AdminResetUserPassword(ctx(t), &idp.AdminResetUserPasswordInput{UserPoolId: &id, Username: aws.String("mona")}); err != nil {
		t.Fatalf("AdminResetUserPassword: %v", err)
	}
	wantStatus(t, c, id, "mona", types.UserStatusTypeResetRequired)
	m := lastMessage(t, c, id, "mona", "FORGOT_PASSWORD", 1)
	if m.DeliveryMedium != "EMAIL" || m.Destination != "mona@example.com" || !sixDigits.MatchString(m.Code) || !strings.Contains(m.Body, m.Code) {
		t.Errorf("reset message = %+v", m)
	}

	confirm := func(code, pw string) error {
		_, err := c.IDP.ConfirmForgotPassword(ctx(t), &idp.ConfirmForgotPasswordInput{
			ClientId: cl.ClientId, Username: aws.String("mona"), ConfirmationCode: aws.String(code), Password: aws.String(pw)})
		return err
	}
	wantClientError(t, confirm(otherCode(m.Code), "New-Passw0rd"), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantClientError(t, confirm(m.Code, "new-passw0rd"), "InvalidPasswordException", "conform", "policy: Password must have uppercase characters")
	if err := confirm(m.Code, "New-Passw0rd"); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	wantStatus(t, c, id, "mona", types.UserStatusTypeConfirmed)
	wantClientError(t, confirm(m.Code, "Newer-Passw0rd"), "ExpiredCodeException", "Invalid code provided, please request a code again.")

	// Users who cannot be reset.
	adminCreate(t, c, id, "nina", "email", "nina@example.com", "email_verified", "true")
	_, err := c.IDP.AdminResetUserPassword(ctx(t), &idp.AdminResetUserPasswordInput{UserPoolId: &id, Username: aws.String("nina")})
	wantClientError(t, err, "NotAuthorizedException", "User password cannot be reset in the current state.")
	adminCreateConfirmed(t, c, id, "otto", "Perm-Passw0rd")
	_, err = c.IDP.AdminResetUserPassword(ctx(t), &idp.AdminResetUserPasswordInput{UserPoolId: &id, Username: aws.String("otto")})
	wantClientError(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	_, err = c.IDP.AdminResetUserPassword(ctx(t), &idp.AdminResetUserPasswordInput{UserPoolId: &id, Username: aws.String("nobody")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
}

// otherCode returns a 6-digit code different from code.
func otherCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

// wantUsers checks the usernames ListUsers returns for filter, in order.
func wantUsers(t testing.TB, c *cogito, poolID, filter string, want ...string) {
	t.Helper()
	got := listUsernames(t, c, poolID, filter, 60)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ListUsers %s = %v, want %v", filter, got, want)
	}
}

// wantUserSet is wantUsers in any order.
func wantUserSet(t testing.TB, c *cogito, poolID, filter string, want ...string) {
	t.Helper()
	if got := listUsernames(t, c, poolID, filter, 60); !sameSet(got, want) {
		t.Errorf("ListUsers %s = %v, want %v in any order", filter, got, want)
	}
}

// listUsernames pages through ListUsers with the given page size.
func listUsernames(t testing.TB, c *cogito, poolID, filter string, limit int32) []string {
	t.Helper()
	in := &idp.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(limit)}
	if filter != "" {
		in.Filter = &filter
	}
	var names []string
	p := idp.NewListUsersPaginator(c.IDP, in)
	for pages := 0; p.HasMorePages(); pages++ {
		if pages > 100 {
			t.Fatalf("ListUsers %q: more than 100 pages", filter)
		}
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListUsers %q: %v", filter, err)
		}
		if len(out.Users) > int(limit) {
			t.Errorf("ListUsers %q: %d users on a page of %d", filter, len(out.Users), limit)
		}
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.Username))
		}
	}
	return names
}

func testListUsers(t *testing.T, c *cogito) {
	needs(t, "AdminCreateUser", "ListUsers", "AdminDisableUser", "AdminSetUserPassword")
	pool := createPool(t, c, "list", &idp.CreateUserPoolInput{Schema: []types.SchemaAttributeType{{
		Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
	}}})
	id := aws.ToString(pool.Id)
	people := []struct{ user, given, family string }{
		{"annika", "Annika", "Berg"}, {"ann", "Ann", "Smith"}, {"bert", "Bert", "Smithers"},
		{"anne", "Anne", "Jones"}, {"berta", "Berta", "Berg"}, {"carl", "Carl", "Karlsson"}, {"dora", "Dora", "Smith"},
	}
	subs := map[string]string{}
	for _, p := range people {
		u := adminCreate(t, c, id, p.user, "email", p.user+"@example.com", "given_name", p.given, "family_name", p.family, "custom:tier", "gold")
		subs[p.user] = attrMap(t, u.Attributes)["sub"]
	}
	setPassword(t, c, id, "dora", "Perm-Passw0rd", true)
	if _, err := c.IDP.AdminDisableUser(ctx(t), &idp.AdminDisableUserInput{UserPoolId: &id, Username: aws.String("bert")}); err != nil {
		t.Fatalf("AdminDisableUser: %v", err)
	}

	// Everyone, one page and several.
	all := listUsernames(t, c, id, "", 60)
	if len(all) != len(people) {
		t.Fatalf("ListUsers = %v, want %d users", all, len(people))
	}
	paged := listUsernames(t, c, id, "", 2)
	if !sameSet(paged, all) {
		t.Errorf("ListUsers in pages of 2 = %v, want each of %v once", paged, all)
	}

	// Filters: the documented ones, = and ^=, sorted by the filtered attribute.
	wantUsers(t, c, id, `username = "anne"`, "anne")
	wantUsers(t, c, id, `username ^= "ann"`, "ann", "anne", "annika")
	wantUsers(t, c, id, `email = "carl@example.com"`, "carl")
	wantUsers(t, c, id, `email ^= "ber"`, "bert", "berta")
	wantUsers(t, c, id, `given_name = "Dora"`, "dora")
	wantUsers(t, c, id, `given_name ^= "Ann"`, "ann", "anne", "annika")
	wantUserSet(t, c, id, `family_name = "Smith"`, "ann", "dora")
	wantUserSet(t, c, id, `family_name ^= "Smith"`, "ann", "dora", "bert")
	wantUsers(t, c, id, `sub = "`+subs["berta"]+`"`, "berta")
	wantUsers(t, c, id, `cognito:user_status = "CONFIRMED"`, "dora")
	wantUsers(t, c, id, `status = "Disabled"`, "bert")
	wantUsers(t, c, id, `username = "nobody"`)
	if got := listUsernames(t, c, id, `cognito:user_status = "FORCE_CHANGE_PASSWORD"`, 60); len(got) != 6 {
		t.Errorf("ListUsers by FORCE_CHANGE_PASSWORD = %v, want 6 users", got)
	}
	// A filtered listing pages too.
	if got := listUsernames(t, c, id, `username ^= "ann"`, 1); !sameSet(got, []string{"ann", "anne", "annika"}) {
		t.Errorf("ListUsers username ^= \"ann\" in pages of 1 = %v", got)
	}

	// What a listed user carries; AttributesToGet narrows the attributes.
	out, err := c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: &id, Filter: aws.String(`username = "carl"`)})
	if err != nil || len(out.Users) != 1 {
		t.Fatalf("ListUsers carl: %v %s", err, asJSON(t, out))
	}
	u := out.Users[0]
	if a := attrMap(t, u.Attributes); a["email"] != "carl@example.com" || a["given_name"] != "Carl" || a["sub"] != subs["carl"] ||
		!u.Enabled || u.UserStatus != types.UserStatusTypeForceChangePassword || !near(u.UserCreateDate, 5*time.Minute) {
		t.Errorf("listed user = %s", asJSON(t, u))
	}
	out, err = c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: &id, Filter: aws.String(`username = "carl"`), AttributesToGet: []string{"email"}})
	if err != nil || len(out.Users) != 1 {
		t.Fatalf("ListUsers carl with AttributesToGet: %v %s", err, asJSON(t, out))
	}
	if a := attrMap(t, out.Users[0].Attributes); a["email"] != "carl@example.com" || a["given_name"] != "" {
		t.Errorf("AttributesToGet [email]: attributes %v", a)
	}

	// Errors.
	for _, tc := range []struct{ filter, msg string }{
		{`username == "ann"`, "Error while parsing filter."},
		{`username = ann`, "Error while parsing filter."},
		{`custom:tier = "gold"`, "custom:tier"},
	} {
		_, err := c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: &id, Filter: aws.String(tc.filter)})
		wantClientError(t, err, "InvalidParameterException", tc.msg)
	}
	_, err = c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: &id, Limit: aws.Int32(61)})
	wantClientError(t, err, "InvalidParameterException", "Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: aws.String("us-east-1_NoSuchPool8")})
	wantClientError(t, err, "ResourceNotFoundException")
}

// sameSet reports whether got holds each element of want exactly once.
func sameSet(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[string]int{}
	for _, g := range got {
		seen[g]++
	}
	for _, w := range want {
		if seen[w] != 1 {
			return false
		}
	}
	return true
}
