package signup

import (
	"bytes"
	"context"
	"errors"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

var reUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestSignUpCreatesUnconfirmedUserAndSendsCode(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)

	out := e.signUp(id, "jane", "email", "jane@example.com", "name", "Jane")
	if out.UserConfirmed {
		t.Error("UserConfirmed = true")
	}
	if !reUUID.MatchString(api.Deref(out.UserSub)) {
		t.Errorf("UserSub = %q, want a UUID", api.Deref(out.UserSub))
	}
	if got, want := toJSON(t, out.CodeDeliveryDetails), `{"Destination":"j***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}`; got != want {
		t.Errorf("CodeDeliveryDetails = %s, want %s", got, want)
	}
	if out.Session != nil {
		t.Errorf("Session = %q, want none yet", *out.Session)
	}

	u := e.user(poolID, "jane")
	if u.Status != "UNCONFIRMED" || !u.Enabled || u.Sub != *out.UserSub || u.Username != "jane" {
		t.Errorf("user = %+v", u)
	}
	if u.Attributes["email"] != "jane@example.com" || u.Attributes["name"] != "Jane" || u.Attributes["email_verified"] != "" {
		t.Errorf("attributes = %v", u.Attributes)
	}
	creds, err := password.Decode(u.Password)
	if err != nil || !creds.Matches(poolID, "jane", goodPassword) || creds.Temporary() || bytes.Contains(u.Password, []byte(goodPassword)) {
		t.Errorf("credentials = %v, %v", creds, err)
	}
	if !u.CreatedAt.Equal(t0) || !u.UpdatedAt.Equal(t0) {
		t.Errorf("dates = %v, %v", u.CreatedAt, u.UpdatedAt)
	}

	ms := e.messages(poolID)
	if len(ms) != 1 {
		t.Fatalf("outbox has %d messages, want 1", len(ms))
	}
	m := ms[0]
	if m.Kind != string(message.KindSignUp) || m.DeliveryMedium != "EMAIL" || m.Destination != "jane@example.com" || m.Username != "jane" {
		t.Errorf("message = %+v", m)
	}
	if !regexp.MustCompile(`^\d{6}$`).MatchString(m.Code) || !strings.Contains(m.Body, m.Code) {
		t.Errorf("code %q / body %q", m.Code, m.Body)
	}
	code, err := e.store.GetCode(e.ctx, poolID, "jane", message.PurposeSignUp)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(code.Hash, []byte(m.Code)) || !message.CodeMatches(code.Hash, poolID, "jane", message.PurposeSignUp, m.Code) {
		t.Error("the stored code is not the hash of the sent code")
	}
	if want := t0.Add(message.SignUpCodeTTL); !code.ExpiresAt.Equal(want) {
		t.Errorf("code expires %v, want %v", code.ExpiresAt, want)
	}
	e.noSecretsLogged(goodPassword, m.Code)
}

func TestSignUpUnknownClient(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: api.Ptr("nosuchclient"), Username: api.Ptr("jane"), Password: api.Ptr(goodPassword)})
	wantErr(t, err, "ResourceNotFoundException", "User pool client nosuchclient does not exist.")
}

func TestSignUpAdminCreateUserOnly(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AdminCreateUserConfig = &cognitoidp.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}
	})
	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: api.Ptr(e.clientID(poolID)), Username: api.Ptr("jane"), Password: api.Ptr(goodPassword)})
	wantErr(t, err, "NotAuthorizedException", "SignUp is not permitted for this user pool")
	assertNoUsers(t, e, poolID)
}

func TestSignUpPasswordRequired(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	for _, pw := range []*string{nil, api.Ptr("")} {
		_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: pw,
			UserAttributes: attrList("email", "jane@example.com")})
		wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null")
	}
	assertNoUsers(t, e, poolID)
}

func TestSignUpPasswordless(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
		in.UsernameAttributes = []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail}
		in.Policies = &cognitoidp.UserPoolPolicyType{SignInPolicy: &cognitoidp.SignInPolicyType{
			AllowedFirstAuthFactors: []cognitoidp.AuthFactorType{cognitoidp.AuthFactorTypePassword, cognitoidp.AuthFactorTypeEmailOtp},
		}}
	})
	userAuth := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowUserAuth, cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	})
	srpOnly := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth, cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	})

	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: srpOnly.ClientId, Username: api.Ptr("jane@example.com")})
	wantErr(t, err, "InvalidParameterException", msgPasswordRequired)

	out, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: userAuth.ClientId, Username: api.Ptr("jane@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	u := e.user(poolID, *out.UserSub)
	if len(u.Password) != 0 {
		t.Errorf("passwordless user has credentials %q", u.Password)
	}
	if out.CodeDeliveryDetails == nil || api.Deref(out.CodeDeliveryDetails.AttributeName) != "email" {
		t.Errorf("CodeDeliveryDetails = %s", toJSON(t, out.CodeDeliveryDetails))
	}
}

func TestSignUpUsernameExists(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: api.Ptr(goodPassword),
		UserAttributes: attrList("email", "other@example.com")})
	wantErr(t, err, "UsernameExistsException", "User already exists")
	if n := len(e.messages(poolID)); n != 1 {
		t.Errorf("outbox has %d messages after a refused sign-up, want 1", n)
	}

	// Case-insensitive usernames clash whatever their case.
	ci := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.UsernameConfiguration = &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)}
	})
	ciID := e.clientID(ci)
	e.signUp(ciID, "Jane")
	_, err = e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &ciID, Username: api.Ptr("jANE"), Password: api.Ptr(goodPassword)})
	wantErr(t, err, "UsernameExistsException", "User already exists")
	if u := e.user(ci, "jane"); u.Username != "Jane" {
		t.Errorf("Username = %q, want the spelling it was created with", u.Username)
	}
}

func TestSignUpEmailAsUsername(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.UsernameAttributes = []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail}
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
	})
	id := e.clientID(poolID)
	out := e.signUp(id, "jane@example.com")
	u := e.user(poolID, *out.UserSub)
	if u.Username != *out.UserSub || u.Attributes["email"] != "jane@example.com" {
		t.Errorf("user = %+v", u)
	}
	if api.Deref(out.CodeDeliveryDetails.Destination) != "j***@e***.com" {
		t.Errorf("CodeDeliveryDetails = %s", toJSON(t, out.CodeDeliveryDetails))
	}
	// The outbox names the user by its internal username.
	if m := e.messages(poolID)[0]; m.Username != *out.UserSub {
		t.Errorf("message username = %q", m.Username)
	}

	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("JANE@example.com"), Password: api.Ptr(goodPassword)})
	wantErr(t, err, "UsernameExistsException", "An account with the given email already exists.")
	_, err = e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: api.Ptr(goodPassword)})
	wantErr(t, err, "InvalidParameterException", "Username should be an email.")
	if n, _ := e.store.CountUsers(e.ctx, poolID); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
}

func TestSignUpAliasPoolRefusesEmailShapedUsername(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AliasAttributes = []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail}
	})
	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: api.Ptr(e.clientID(poolID)), Username: api.Ptr("jane@example.com"), Password: api.Ptr(goodPassword)})
	wantErr(t, err, "InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias.")
}

func TestSignUpAttributes(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
		in.Schema = []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("email"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Required: api.Ptr(true), Mutable: api.Ptr(true)},
			{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Mutable: api.Ptr(false)},
		}
	})
	id := e.clientID(poolID)
	restricted := e.client(poolID, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.WriteAttributes = []string{"email", "name"}
	})
	cases := []struct {
		name     string
		clientID string
		kv       []string
		code     string
		msg      string
	}{
		{"required missing", id, []string{"name", "Jane"}, "InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required"},
		{"unknown attribute", id, []string{"email", "j@example.com", "shoe_size", "9"}, "InvalidParameterException", "Attributes did not conform to the schema: shoe_size: Attribute does not exist in the schema."},
		{"bad email", id, []string{"email", "not-an-email"}, "InvalidParameterException", "Invalid email address format."},
		{"not writable by the client", *restricted.ClientId, []string{"email", "j@example.com", "custom:tier", "gold"}, "NotAuthorizedException", "A client attempted to write unauthorized attribute"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &tc.clientID, Username: api.Ptr("jane"), Password: api.Ptr(goodPassword), UserAttributes: attrList(tc.kv...)})
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	assertNoUsers(t, e, poolID)
	if n := len(e.messages(poolID)); n != 0 {
		t.Errorf("%d messages sent for refused sign-ups", n)
	}

	// An immutable custom attribute can be set at sign-up.
	e.signUp(id, "jane", "email", "j@example.com", "custom:tier", "gold")
	if got := e.user(poolID, "jane").Attributes["custom:tier"]; got != "gold" {
		t.Errorf("custom:tier = %q", got)
	}
}

func TestSignUpInvalidPassword(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	cases := []struct{ pw, code, msg string }{
		{"Sh0rt!", "InvalidPasswordException", "Password did not conform with policy: Password not long enough"},
		{"passw0rd!", "InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters"},
		{"Passw0rdd", "InvalidPasswordException", "Password did not conform with policy: Password must have symbol characters"},
		{" Passw0rd!", "InvalidParameterException", "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$"},
	}
	for _, tc := range cases {
		_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: api.Ptr(tc.pw),
			UserAttributes: attrList("email", "jane@example.com")})
		wantErr(t, err, tc.code, tc.msg)
	}
	assertNoUsers(t, e, poolID)

	// The pool's own policy applies.
	lax := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.Policies = &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{MinimumLength: api.Ptr(int32(6))}}
	})
	if _, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: api.Ptr(e.clientID(lax)), Username: api.Ptr("jane"), Password: api.Ptr("simple")}); err != nil {
		t.Fatalf("lax policy: %v", err)
	}
}

func TestSignUpCodeTarget(t *testing.T) {
	both := []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail, cognitoidp.VerifiedAttributeTypePhoneNumber}
	cases := []struct {
		name     string
		verified []cognitoidp.VerifiedAttributeType
		kv       []string
		want     string // CodeDeliveryDetails JSON, "" for none
	}{
		{"phone wins over email", both, []string{"email", "jane@example.com", "phone_number", "+12065551234"},
			`{"Destination":"+*******1234","DeliveryMedium":"SMS","AttributeName":"phone_number"}`},
		{"email when there is no phone", both, []string{"email", "jane@example.com"},
			`{"Destination":"j***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}`},
		{"phone only auto-verified", []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypePhoneNumber}, []string{"email", "jane@example.com"}, ""},
		{"nothing auto-verified", nil, []string{"email", "jane@example.com", "phone_number", "+12065551234"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) { in.AutoVerifiedAttributes = tc.verified })
			out := e.signUp(e.clientID(poolID), "jane", tc.kv...)
			ms := e.messages(poolID)
			if tc.want == "" {
				if out.CodeDeliveryDetails != nil || len(ms) != 0 {
					t.Errorf("CodeDeliveryDetails = %s, %d messages; want none", toJSON(t, out.CodeDeliveryDetails), len(ms))
				}
				if _, err := e.store.GetCode(e.ctx, poolID, "jane", message.PurposeSignUp); !errors.Is(err, storage.ErrNotFound) {
					t.Errorf("a code was stored: %v", err)
				}
				return
			}
			if got := toJSON(t, out.CodeDeliveryDetails); got != tc.want {
				t.Errorf("CodeDeliveryDetails = %s, want %s", got, tc.want)
			}
			if len(ms) != 1 || ms[0].DeliveryMedium != api.Deref((*string)(out.CodeDeliveryDetails.DeliveryMedium)) {
				t.Errorf("messages = %+v", ms)
			}
		})
	}
}

func TestSignUpPreSignUpHook(t *testing.T) {
	var seen *PreSignUpInput
	answer := &PreSignUpOutput{}
	e := newEnv(t, func(c *Config) {
		c.Hooks.PreSignUp = func(_ context.Context, in *PreSignUpInput) (*PreSignUpOutput, error) {
			seen = in
			if in.ValidationData["fail"] == "yes" {
				return nil, cognitoidp.NewUserLambdaValidationException("PreSignUp failed with error nope.")
			}
			return answer, nil
		}
	})
	poolID := e.emailPool()
	id := e.clientID(poolID)
	req := func(name string, validation ...string) *cognitoidp.SignUpRequest {
		return &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr(name), Password: api.Ptr(goodPassword),
			UserAttributes: attrList("email", name+"@example.com"), ValidationData: attrList(validation...), ClientMetadata: map[string]string{"app": "web"}}
	}

	_, err := e.svc.SignUp(e.ctx, req("failing", "fail", "yes"))
	wantErr(t, err, "UserLambdaValidationException", "PreSignUp failed with error nope.")
	assertNoUsers(t, e, poolID)

	out, err := e.svc.SignUp(e.ctx, req("plain", "captcha", "ok"))
	if err != nil {
		t.Fatal(err)
	}
	if seen.PoolID != poolID || seen.ClientID != id || seen.Username != "plain" || seen.UserAttributes["email"] != "plain@example.com" ||
		seen.ValidationData["captcha"] != "ok" || seen.ClientMetadata["app"] != "web" {
		t.Errorf("hook input = %+v", seen)
	}
	if out.UserConfirmed || out.CodeDeliveryDetails == nil {
		t.Errorf("plain sign-up = %s", toJSON(t, out))
	}

	answer.AutoVerifyEmail = true
	_, err = e.svc.SignUp(e.ctx, req("verifyonly"))
	wantErr(t, err, "InvalidParameterException", "Phone or email cannot be auto verified, when user is not being auto confirmed.")

	answer.AutoConfirmUser = true
	before := len(e.messages(poolID))
	out, err = e.svc.SignUp(e.ctx, req("auto"))
	if err != nil {
		t.Fatal(err)
	}
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil || len(e.messages(poolID)) != before {
		t.Errorf("auto-confirmed sign-up = %s", toJSON(t, out))
	}
	u := e.user(poolID, "auto")
	if u.Status != "CONFIRMED" || u.Attributes["email_verified"] != "true" {
		t.Errorf("auto-confirmed user = %+v", u)
	}
}

func TestSignUpCustomMessageHook(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Hooks.CustomMessage = func(_ context.Context, in *CustomMessageInput) (*CustomMessageOutput, error) {
			if in.TriggerSource != "CustomMessage_SignUp" || in.CodeParameter != "{####}" || in.UserAttributes["email"] != "jane@example.com" {
				t.Errorf("custom message input = %+v", in)
			}
			return &CustomMessageOutput{EmailSubject: "Welcome", EmailMessage: "Hi, your code is " + in.CodeParameter}, nil
		}
	})
	poolID := e.emailPool()
	e.signUp(e.clientID(poolID), "jane", "email", "jane@example.com")
	m := e.messages(poolID)[0]
	if m.Subject != "Welcome" || m.Body != "Hi, your code is "+m.Code {
		t.Errorf("message = %q / %q", m.Subject, m.Body)
	}
}

func TestSignUpLinkPool(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.AutoVerifiedAttributes = []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail}
		in.VerificationMessageTemplate = &cognitoidp.VerificationMessageTemplateType{DefaultEmailOption: api.Ptr(cognitoidp.DefaultEmailOptionTypeConfirmWithLink)}
	})
	id := e.clientID(poolID)
	e.signUp(id, "jane", "email", "jane@example.com")
	m := e.messages(poolID)[0]
	if want := html.EscapeString(DefaultConfirmLinkURL(id, "jane", m.Code)); !strings.Contains(m.Body, `<a href="`+want+`">`) {
		t.Errorf("body %q lacks the link %q", m.Body, want)
	}
}

func TestSignUpThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	out, err := e.call("SignUp", `{"ClientId":"`+id+`","Username":"jane","Password":"`+goodPassword+`","UserAttributes":[{"Name":"email","Value":"jane@example.com"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	got := toJSON(t, out)
	if !strings.Contains(got, `"UserConfirmed":false`) || !strings.Contains(got, `"CodeDeliveryDetails":{"Destination":"j***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}`) ||
		strings.Contains(got, "Session") {
		t.Errorf("response = %s", got)
	}
	_, err = e.call("SignUp", `{"Username":"jane","Password":"`+goodPassword+`"}`)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null")
}

// assertNoUsers fails if the pool has users.
func assertNoUsers(t *testing.T, e *env, poolID string) {
	t.Helper()
	n, err := e.store.CountUsers(e.ctx, poolID)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("pool has %d users, want none", n)
	}
}

// failingSender records in the outbox like the real sender, then reports
// a failed SMTP delivery.
type failingSender struct{ inner Sender }

func (f failingSender) Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *message.Message) error {
	if err := f.inner.Send(ctx, pool, m); err != nil {
		return err
	}
	return errors.Join(&message.DeliveryError{Medium: m.Medium, Via: "smtp", Err: errors.New("550 mailbox unavailable")})
}

func TestSignUpDeliveryFailure(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sender = failingSender{c.Sender} })
	poolID := e.emailPool()
	_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: api.Ptr(e.clientID(poolID)), Username: api.Ptr("jane"), Password: api.Ptr(goodPassword),
		UserAttributes: attrList("email", "jane@example.com")})
	wantErr(t, err, "CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
	// As in Cognito the user stays; the code is in the outbox and works.
	if u := e.user(poolID, "jane"); u.Status != "UNCONFIRMED" {
		t.Errorf("status = %s", u.Status)
	}
	if len(e.messages(poolID)) != 1 {
		t.Error("the message is not in the outbox")
	}
}

func TestSignUpConcurrentSameUsername(t *testing.T) {
	e := newEnv(t)
	poolID := e.emailPool()
	id := e.clientID(poolID)
	const n = 8
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := e.svc.SignUp(e.ctx, &cognitoidp.SignUpRequest{ClientId: &id, Username: api.Ptr("jane"), Password: api.Ptr(goodPassword),
				UserAttributes: attrList("email", "jane@example.com")})
			errs <- err
		}()
	}
	ok := 0
	for i := 0; i < n; i++ {
		if err := <-errs; err == nil {
			ok++
		} else {
			wantErr(t, err, "UsernameExistsException", "User already exists")
		}
	}
	if ok != 1 {
		t.Fatalf("%d sign-ups succeeded, want 1", ok)
	}
}
