package message

import (
	"errors"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

const testPool = "us-east-1_AbCdEfGhI"

func bare() *cognitoidp.UserPoolType {
	return &cognitoidp.UserPoolType{Id: api.Ptr(testPool)}
}

// custom is a pool with every template of its own.
func custom() *cognitoidp.UserPoolType {
	p := bare()
	p.VerificationMessageTemplate = &cognitoidp.VerificationMessageTemplateType{
		EmailSubject:       api.Ptr("Welcome {username}, code {####}"),
		EmailMessage:       api.Ptr("Hi {username}! Code: {####}."),
		SmsMessage:         api.Ptr("SMS code {####} for {username}"),
		EmailSubjectByLink: api.Ptr("Confirm your account"),
		EmailMessageByLink: api.Ptr("Please {##confirm here##} now."),
		DefaultEmailOption: api.Ptr(cognitoidp.DefaultEmailOptionTypeConfirmWithCode),
	}
	p.AdminCreateUserConfig = &cognitoidp.AdminCreateUserConfigType{InviteMessageTemplate: &cognitoidp.MessageTemplateType{
		EmailSubject: api.Ptr("Join us"),
		EmailMessage: api.Ptr("User {username}, password {####}, again {username}/{####}"),
		SMSMessage:   api.Ptr("U={username} P={####}"),
	}}
	p.SmsAuthenticationMessage = api.Ptr("Sign-in code {####}")
	return p
}

func TestRenderDefaults(t *testing.T) {
	tests := []struct {
		kind    Kind
		medium  cognitoidp.DeliveryMediumType
		subject string
		body    string
	}{
		{KindSignUp, Email, "Your verification code", "Your verification code is 123456. "},
		{KindSignUp, SMS, "", "Your verification code is 123456. "},
		{KindResendCode, Email, "Your verification code", "Your verification code is 123456. "},
		{KindResendCode, SMS, "", "Your verification code is 123456. "},
		{KindVerifyAttribute, Email, "Your verification code", "Your verification code is 123456. "},
		{KindVerifyAttribute, SMS, "", "Your verification code is 123456. "},
		{KindUpdateAttribute, Email, "Your verification code", "Your verification code is 123456. "},
		{KindUpdateAttribute, SMS, "", "Your verification code is 123456. "},
		{KindForgotPassword, Email, "Your verification code", "Your password reset code is 123456"},
		{KindForgotPassword, SMS, "", "Your password reset code is 123456"},
		{KindInvitation, Email, "Your temporary password", "Your username is jane and temporary password is 123456. "},
		{KindInvitation, SMS, "", "Your username is jane and temporary password is 123456. "},
		{KindAuthentication, Email, "Your authentication code", "Your authentication code is 123456. "},
		{KindAuthentication, SMS, "", "Your authentication code is 123456. "},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+string(tt.medium), func(t *testing.T) {
			m, err := Render(bare(), Params{Kind: tt.kind, Medium: tt.medium, Destination: "jane@example.com", Username: "jane", Code: "123456"})
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.subject || m.Body != tt.body {
				t.Errorf("got subject %q body %q, want %q %q", m.Subject, m.Body, tt.subject, tt.body)
			}
			if m.HTML {
				t.Error("default texts are not HTML")
			}
			if m.PoolID != testPool || m.Username != "jane" || m.Kind != tt.kind || m.Medium != tt.medium || m.Code != "123456" {
				t.Errorf("metadata: %+v", m)
			}
			if !strings.Contains(m.BodyTemplate, CodePlaceholder) {
				t.Errorf("template %q lost its placeholder", m.BodyTemplate)
			}
		})
	}
}

func TestRenderCustomTemplates(t *testing.T) {
	tests := []struct {
		kind    Kind
		medium  cognitoidp.DeliveryMediumType
		subject string
		body    string
	}{
		// {username} survives outside invitations; subjects are literal.
		{KindSignUp, Email, "Welcome {username}, code {####}", "Hi {username}! Code: 654321."},
		{KindSignUp, SMS, "", "SMS code 654321 for {username}"},
		{KindResendCode, Email, "Welcome {username}, code {####}", "Hi {username}! Code: 654321."},
		{KindVerifyAttribute, Email, "Welcome {username}, code {####}", "Hi {username}! Code: 654321."},
		{KindUpdateAttribute, SMS, "", "SMS code 654321 for {username}"},
		{KindForgotPassword, Email, "Welcome {username}, code {####}", "Hi {username}! Code: 654321."},
		{KindForgotPassword, SMS, "", "SMS code 654321 for {username}"},
		{KindInvitation, Email, "Join us", "User bob, password 654321, again bob/654321"},
		{KindInvitation, SMS, "", "U=bob P=654321"},
		{KindAuthentication, SMS, "", "Sign-in code 654321"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+string(tt.medium), func(t *testing.T) {
			m, err := Render(custom(), Params{Kind: tt.kind, Medium: tt.medium, Destination: "x", Username: "bob", Code: "654321"})
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.subject || m.Body != tt.body {
				t.Errorf("got subject %q body %q, want %q %q", m.Subject, m.Body, tt.subject, tt.body)
			}
		})
	}
}

func TestRenderLegacyMembers(t *testing.T) {
	p := bare()
	p.EmailVerificationSubject = api.Ptr("Legacy subject")
	p.EmailVerificationMessage = api.Ptr("Legacy {####}")
	p.SmsVerificationMessage = api.Ptr("Legacy SMS {####}")
	m, err := Render(p, Params{Kind: KindSignUp, Medium: Email, Destination: "a@b.c", Code: "111111"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Legacy subject" || m.Body != "Legacy 111111" {
		t.Errorf("email: %q %q", m.Subject, m.Body)
	}
	m, _ = Render(p, Params{Kind: KindVerifyAttribute, Medium: SMS, Destination: "+1", Code: "111111"})
	if m.Body != "Legacy SMS 111111" {
		t.Errorf("sms: %q", m.Body)
	}
	// The template wins over the legacy members; an empty template member falls through.
	p.VerificationMessageTemplate = &cognitoidp.VerificationMessageTemplateType{EmailMessage: api.Ptr("New {####}"), EmailSubject: api.Ptr("")}
	m, _ = Render(p, Params{Kind: KindSignUp, Medium: Email, Destination: "a@b.c", Code: "111111"})
	if m.Subject != "Legacy subject" || m.Body != "New 111111" {
		t.Errorf("precedence: %q %q", m.Subject, m.Body)
	}
}

func TestRenderLink(t *testing.T) {
	const link = "http://127.0.0.1:9229/confirmUser?client_id=abc&user_name=jane&confirmation_code=123456"
	p := custom()
	p.VerificationMessageTemplate.DefaultEmailOption = api.Ptr(cognitoidp.DefaultEmailOptionTypeConfirmWithLink)
	for _, kind := range []Kind{KindSignUp, KindResendCode} {
		m, err := Render(p, Params{Kind: kind, Medium: Email, Destination: "jane@example.com", Username: "jane", Code: "123456", LinkURL: link})
		if err != nil {
			t.Fatal(err)
		}
		want := `Please <a href="http://127.0.0.1:9229/confirmUser?client_id=abc&amp;user_name=jane&amp;confirmation_code=123456">confirm here</a> now.`
		if m.Subject != "Confirm your account" || m.Body != want || !m.HTML {
			t.Errorf("%s: subject %q body %q html %v", kind, m.Subject, m.Body, m.HTML)
		}
	}
	// Default link text.
	p = bare()
	p.VerificationMessageTemplate = &cognitoidp.VerificationMessageTemplateType{DefaultEmailOption: api.Ptr(cognitoidp.DefaultEmailOptionTypeConfirmWithLink)}
	m, err := Render(p, Params{Kind: KindSignUp, Medium: Email, Destination: "jane@example.com", Code: "123456", LinkURL: "https://x/y"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != DefaultLinkEmailSubject || m.Body != `Please click the link below to verify your email address. <a href="https://x/y">Verify Email</a> ` {
		t.Errorf("default link: %q %q", m.Subject, m.Body)
	}
	// SMS of a link pool still carries the code.
	m, _ = Render(p, Params{Kind: KindSignUp, Medium: SMS, Destination: "+1555", Code: "123456", LinkURL: "https://x/y"})
	if m.Body != "Your verification code is 123456. " {
		t.Errorf("sms in a link pool: %q", m.Body)
	}
	// Forgot password and attribute verification send codes, not links.
	for _, kind := range []Kind{KindForgotPassword, KindVerifyAttribute, KindUpdateAttribute} {
		m, _ = Render(p, Params{Kind: kind, Medium: Email, Destination: "a@b.c", Code: "123456", LinkURL: "https://x/y"})
		if !strings.Contains(m.Body, "123456") || strings.Contains(m.Body, "href") {
			t.Errorf("%s in a link pool: %q", kind, m.Body)
		}
	}
	// A link email without a URL is a caller error.
	if _, err := Render(p, Params{Kind: KindSignUp, Medium: Email, Destination: "a@b.c", Code: "123456"}); !errors.Is(err, ErrNoLinkURL) {
		t.Errorf("missing link URL: %v", err)
	}
}

func TestRenderHTMLKept(t *testing.T) {
	p := bare()
	p.VerificationMessageTemplate = &cognitoidp.VerificationMessageTemplateType{
		EmailMessage: api.Ptr("<html><body><h1>Hello</h1><p>Your code is <b>{####}</b></p>\n<br/>Bye &amp; thanks</body></html>"),
	}
	m, err := Render(p, Params{Kind: KindSignUp, Medium: Email, Destination: "a@b.c", Code: "424242"})
	if err != nil {
		t.Fatal(err)
	}
	want := "<html><body><h1>Hello</h1><p>Your code is <b>424242</b></p>\n<br/>Bye &amp; thanks</body></html>"
	if m.Body != want || !m.HTML {
		t.Errorf("got %q (html %v)", m.Body, m.HTML)
	}
	// In an HTML invitation the username and password are escaped; in plain text they are not.
	p.AdminCreateUserConfig = &cognitoidp.AdminCreateUserConfigType{InviteMessageTemplate: &cognitoidp.MessageTemplateType{
		EmailMessage: api.Ptr("<p>User <i>{username}</i> password <code>{####}</code></p>"),
	}}
	m, _ = Render(p, Params{Kind: KindInvitation, Medium: Email, Destination: "a@b.c", Username: "a<b", Code: `P&ss<w>"1`})
	if m.Body != "<p>User <i>a&lt;b</i> password <code>P&amp;ss&lt;w&gt;&#34;1</code></p>" {
		t.Errorf("html invitation: %q", m.Body)
	}
	if m.Code != `P&ss<w>"1` {
		t.Errorf("code must stay raw: %q", m.Code)
	}
	m, _ = Render(bare(), Params{Kind: KindInvitation, Medium: Email, Destination: "a@b.c", Username: "a<b", Code: `P&ss<w>"1`})
	if m.HTML || m.Body != `Your username is a<b and temporary password is P&ss<w>"1. ` {
		t.Errorf("plain invitation: %q", m.Body)
	}
	// Text with a lone "<" is not HTML.
	p.VerificationMessageTemplate.EmailMessage = api.Ptr("Code {####} < 1 hour old")
	m, _ = Render(p, Params{Kind: KindSignUp, Medium: Email, Destination: "a@b.c", Code: "1"})
	if m.HTML {
		t.Error("a lone < made the body HTML")
	}
}

func TestRenderValuesNotRescanned(t *testing.T) {
	// A temporary password that looks like a placeholder is inserted as is.
	m, err := Render(bare(), Params{Kind: KindInvitation, Medium: SMS, Destination: "+1", Username: "{####}", Code: "{username}"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Body != "Your username is {####} and temporary password is {username}. " {
		t.Errorf("got %q", m.Body)
	}
}

func TestRenderAuthenticationEmailMFA(t *testing.T) {
	m, err := Render(bare(), Params{Kind: KindAuthentication, Medium: Email, Destination: "a@b.c", Code: "999000",
		EmailMFA: &cognitoidp.EmailMfaConfigType{Subject: api.Ptr("Sign in"), Message: api.Ptr("Use {####} to sign in")}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Sign in" || m.Body != "Use 999000 to sign in" {
		t.Errorf("got %q %q", m.Subject, m.Body)
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := Render(bare(), Params{Kind: "NOPE", Medium: Email, Code: "1"}); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("kind: %v", err)
	}
	if _, err := Render(bare(), Params{Kind: KindSignUp, Medium: "FAX", Code: "1"}); !errors.Is(err, ErrUnknownMedium) {
		t.Errorf("medium: %v", err)
	}
	if _, err := Render(bare(), Params{Kind: KindSignUp, Medium: Email}); !errors.Is(err, ErrNoCode) {
		t.Errorf("code: %v", err)
	}
	if _, err := Render(nil, Params{Kind: KindSignUp, Medium: Email, Code: "1"}); err != nil {
		t.Errorf("nil pool: %v", err)
	}
}

func TestOverride(t *testing.T) {
	m, err := Render(bare(), Params{Kind: KindInvitation, Medium: Email, Destination: "a@b.c", Username: "jane", Code: "Tmp#1234"})
	if err != nil {
		t.Fatal(err)
	}
	m.Override("Custom subject", "<p>Welcome {username}, your password is {####}</p>")
	if m.Subject != "Custom subject" || m.Body != "<p>Welcome jane, your password is Tmp#1234</p>" || !m.HTML {
		t.Errorf("override: %q %q %v", m.Subject, m.Body, m.HTML)
	}
	m.Override("", "")
	if m.Subject != "Custom subject" {
		t.Errorf("empty override changed the subject: %q", m.Subject)
	}
	s, _ := Render(bare(), Params{Kind: KindSignUp, Medium: SMS, Destination: "+1", Code: "123456"})
	s.Override("ignored", "Code: {####}")
	if s.Subject != "" || s.Body != "Code: 123456" {
		t.Errorf("sms override: %q %q", s.Subject, s.Body)
	}
	// The link is filled in an overridden link email too.
	p := bare()
	p.VerificationMessageTemplate = &cognitoidp.VerificationMessageTemplateType{DefaultEmailOption: api.Ptr(cognitoidp.DefaultEmailOptionTypeConfirmWithLink)}
	l, _ := Render(p, Params{Kind: KindSignUp, Medium: Email, Destination: "a@b.c", Code: "1", LinkURL: "https://h/c"})
	l.Override("", "Go: {##here##}")
	if l.Body != `Go: <a href="https://h/c">here</a>` {
		t.Errorf("link override: %q", l.Body)
	}
}

func TestKindHelpers(t *testing.T) {
	for _, k := range Kinds {
		if !strings.HasPrefix(k.TriggerSource(), "CustomMessage_") {
			t.Errorf("%s: trigger source %q", k, k.TriggerSource())
		}
	}
	if CodeTTL(KindSignUp).Hours() != 24 || CodeTTL(KindVerifyAttribute).Hours() != 24 || CodeTTL(KindForgotPassword).Hours() != 1 {
		t.Error("code lifetimes differ from facts §5.3")
	}
	if CodeTTL(KindInvitation) != 0 {
		t.Error("invitations have no code lifetime here")
	}
	m := &Message{ID: "1", Medium: Email, Destination: "jane@example.com", Code: "123456", Body: "secret 123456"}
	if s := m.String(); strings.Contains(s, "123456") || strings.Contains(s, "jane@") {
		t.Errorf("String leaks: %s", s)
	}
}
