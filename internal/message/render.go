// Package message renders, records and delivers every email and SMS Cogito
// sends: verification and forgot-password codes, invitations with temporary
// passwords and authentication codes.
//
// A service renders a message from the pool's templates with Render, may let
// a Lambda custom message trigger replace the text (Message.Override), and
// hands it to a Sender. The Sender always appends it to the outbox (the
// storage.MessageStore that tests and people read through OutboxHandler),
// then delivers it by SMTP (email) or to a webhook (SMS) when configured.
//
// Codes are made by NewCode and kept only as HashCode hashes; masked
// destinations for CodeDeliveryDetails come from MaskDestination.
package message

import (
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// Kind says why a message is sent. The values are what the outbox shows.
type Kind string

// Kinds of messages, one per Cognito custom message trigger source
// (CustomMessage_SignUp, _ResendCode, _AdminCreateUser, _ForgotPassword,
// _VerifyUserAttribute, _UpdateUserAttribute, _Authentication).
const (
	KindSignUp          Kind = "SIGN_UP"
	KindResendCode      Kind = "RESEND_CODE"
	KindInvitation      Kind = "INVITATION"
	KindForgotPassword  Kind = "FORGOT_PASSWORD"
	KindVerifyAttribute Kind = "VERIFY_ATTRIBUTE"
	KindUpdateAttribute Kind = "UPDATE_ATTRIBUTE"
	KindAuthentication  Kind = "AUTHENTICATION"
)

// Kinds lists every Kind.
var Kinds = []Kind{KindSignUp, KindResendCode, KindInvitation, KindForgotPassword,
	KindVerifyAttribute, KindUpdateAttribute, KindAuthentication}

// TriggerSource is the custom message trigger source Cognito names for the kind.
func (k Kind) TriggerSource() string {
	switch k {
	case KindSignUp:
		return "CustomMessage_SignUp"
	case KindResendCode:
		return "CustomMessage_ResendCode"
	case KindInvitation:
		return "CustomMessage_AdminCreateUser"
	case KindForgotPassword:
		return "CustomMessage_ForgotPassword"
	case KindVerifyAttribute:
		return "CustomMessage_VerifyUserAttribute"
	case KindUpdateAttribute:
		return "CustomMessage_UpdateUserAttribute"
	case KindAuthentication:
		return "CustomMessage_Authentication"
	}
	return ""
}

// CodeTTL is how long a code of the kind stays valid; 0 for invitations,
// whose temporary password lives as long as the pool's
// TemporaryPasswordValidityDays says.
func CodeTTL(k Kind) time.Duration {
	switch k {
	case KindSignUp, KindResendCode:
		return SignUpCodeTTL
	case KindVerifyAttribute, KindUpdateAttribute:
		return AttributeCodeTTL
	case KindForgotPassword:
		return ForgotPasswordCodeTTL
	case KindAuthentication:
		return AuthenticationCodeTTL
	}
	return 0
}

// Delivery media, as CodeDeliveryDetails.DeliveryMedium and the outbox show them.
const (
	Email = cognitoidp.DeliveryMediumTypeEmail
	SMS   = cognitoidp.DeliveryMediumTypeSms
)

// Params is what Render needs besides the pool.
type Params struct {
	Kind   Kind
	Medium cognitoidp.DeliveryMediumType // Email or SMS
	// Destination is the email address or phone number the message goes to.
	Destination string
	// Username is the user's username: it fills {username} in invitations
	// and is what the outbox is filtered by.
	Username string
	// Code is the code, or for KindInvitation the temporary password.
	Code string
	// LinkURL is where the {##…##} link of a CONFIRM_WITH_LINK sign-up email
	// points (Cogito's confirmation URL, code included). Required for
	// KindSignUp and KindResendCode emails of a link pool; unused otherwise.
	LinkURL string
	// EmailMFA is the pool's email MFA template (from SetUserPoolMfaConfig)
	// for KindAuthentication emails; nil or empty members: defaults.
	EmailMFA *cognitoidp.EmailMfaConfigType
}

// Message is a rendered message. The caller may change it (a custom message
// trigger's answer goes through Override) before a Sender sends it.
type Message struct {
	// ID and CreatedAt are set by Sender.Send when empty.
	ID        string
	CreatedAt time.Time

	PoolID      string
	Username    string
	Destination string
	Medium      cognitoidp.DeliveryMediumType
	Kind        Kind
	// Subject is the email subject; empty for SMS.
	Subject string
	// Body is the text sent, placeholders filled in.
	Body string
	// HTML reports a body with markup (a link, or tags in the template). In
	// an HTML body the username and temporary password are HTML-escaped.
	HTML bool
	// Code is the plaintext code or temporary password. It goes to the
	// outbox and the SMS webhook, and to logs only with DebugCodes.
	Code string

	// SubjectTemplate and BodyTemplate are the texts before filling in: what
	// a custom message trigger would start from.
	SubjectTemplate string
	BodyTemplate    string

	// ClientID and ClientMetadata are the app client ("" for administrator
	// operations) and the request's ClientMetadata, for a custom sender
	// trigger (see Sender.UseCustomSender).
	ClientID       string
	ClientMetadata map[string]string

	// link is the URL {##…##} becomes; empty when links are not filled in.
	link string
}

// String describes the message without its code or body.
func (m *Message) String() string {
	return fmt.Sprintf("message{id=%s pool=%s user=%s kind=%s medium=%s to=%s}",
		m.ID, m.PoolID, m.Username, m.Kind, m.Medium, MaskDestination(m.Medium, m.Destination))
}

// Errors of Render.
var (
	ErrUnknownKind   = errors.New("message: unknown kind")
	ErrUnknownMedium = errors.New("message: medium must be EMAIL or SMS")
	ErrNoCode        = errors.New("message: no code")
	ErrNoLinkURL     = errors.New("message: the pool confirms by link but no link URL was given")
)

// Render picks the pool's template for the kind and medium (Cognito's
// default text when the pool has none) and fills it in.
//
// Templates by kind:
//   - SIGN_UP, RESEND_CODE: VerificationMessageTemplate (EmailMessageByLink /
//     EmailSubjectByLink when DefaultEmailOption is CONFIRM_WITH_LINK, else
//     EmailMessage / EmailSubject; SmsMessage), then the legacy
//     EmailVerificationMessage / EmailVerificationSubject /
//     SmsVerificationMessage, then the defaults.
//   - VERIFY_ATTRIBUTE, UPDATE_ATTRIBUTE: the same code templates, never a link.
//   - FORGOT_PASSWORD: the same code templates; default "Your password reset code is {####}".
//   - INVITATION: AdminCreateUserConfig.InviteMessageTemplate.
//   - AUTHENTICATION: SmsAuthenticationMessage (SMS) or p.EmailMFA (email).
//
// {####} becomes the code everywhere; {username} only in invitations;
// {##text##} becomes <a href="LinkURL">text</a> in link emails. Subjects are
// used as written.
func Render(pool *cognitoidp.UserPoolType, p Params) (*Message, error) {
	if pool == nil {
		pool = &cognitoidp.UserPoolType{}
	}
	if p.Medium != Email && p.Medium != SMS {
		return nil, ErrUnknownMedium
	}
	if p.Code == "" {
		return nil, ErrNoCode
	}
	subject, body, link, err := templates(pool, p)
	if err != nil {
		return nil, err
	}
	m := &Message{
		PoolID:          str(pool.Id),
		Username:        p.Username,
		Destination:     p.Destination,
		Medium:          p.Medium,
		Kind:            p.Kind,
		Code:            p.Code,
		SubjectTemplate: subject,
		BodyTemplate:    body,
		link:            link,
	}
	m.fill()
	return m, nil
}

// Override replaces the templates with a custom message trigger's answer
// (emailSubject and emailMessage, or smsMessage) and fills them in again
// with the same code, username and link. An empty argument keeps the
// current template. A subject is ignored for SMS.
func (m *Message) Override(subject, body string) {
	if subject != "" && m.Medium == Email {
		m.SubjectTemplate = subject
	}
	if body != "" {
		m.BodyTemplate = body
	}
	m.fill()
}

// OverrideFromTrigger applies a custom-message trigger's answer: the SMS
// text for an SMS, the email subject and body otherwise.
func (m *Message) OverrideFromTrigger(emailSubject, emailMessage, smsMessage string) {
	if m.Medium == SMS {
		m.Override("", smsMessage)
		return
	}
	m.Override(emailSubject, emailMessage)
}

// templates returns the subject and body templates for p, and the link URL
// when the body's link placeholder is to be filled.
func templates(pool *cognitoidp.UserPoolType, p Params) (subject, body, link string, err error) {
	vt := pool.VerificationMessageTemplate
	if vt == nil {
		vt = &cognitoidp.VerificationMessageTemplateType{}
	}
	codeEmail := func(defSubject, defBody string) (string, string) {
		return pick(defSubject, vt.EmailSubject, pool.EmailVerificationSubject),
			pick(defBody, vt.EmailMessage, pool.EmailVerificationMessage)
	}
	codeSMS := func(def string) string {
		return pick(def, vt.SmsMessage, pool.SmsVerificationMessage)
	}
	switch p.Kind {
	case KindSignUp, KindResendCode:
		if p.Medium == SMS {
			return "", codeSMS(DefaultVerificationSMSMessage), "", nil
		}
		if vt.DefaultEmailOption != nil && *vt.DefaultEmailOption == cognitoidp.DefaultEmailOptionTypeConfirmWithLink {
			if p.LinkURL == "" {
				return "", "", "", ErrNoLinkURL
			}
			return pick(DefaultLinkEmailSubject, vt.EmailSubjectByLink),
				pick(DefaultLinkEmailMessage, vt.EmailMessageByLink), p.LinkURL, nil
		}
		subject, body = codeEmail(DefaultVerificationEmailSubject, DefaultVerificationEmailMessage)
		return subject, body, "", nil
	case KindVerifyAttribute, KindUpdateAttribute:
		_ = attributeCodesNeverLink // see defaults.go
		if p.Medium == SMS {
			return "", codeSMS(DefaultVerificationSMSMessage), "", nil
		}
		subject, body = codeEmail(DefaultVerificationEmailSubject, DefaultVerificationEmailMessage)
		return subject, body, "", nil
	case KindForgotPassword:
		if p.Medium == SMS {
			return "", codeSMS(DefaultForgotPasswordSMSMessage), "", nil
		}
		subject, body = codeEmail(DefaultForgotPasswordEmailSubject, DefaultForgotPasswordEmailMessage)
		return subject, body, "", nil
	case KindInvitation:
		it := &cognitoidp.MessageTemplateType{}
		if c := pool.AdminCreateUserConfig; c != nil && c.InviteMessageTemplate != nil {
			it = c.InviteMessageTemplate
		}
		if p.Medium == SMS {
			return "", pick(DefaultInviteSMSMessage, it.SMSMessage), "", nil
		}
		return pick(DefaultInviteEmailSubject, it.EmailSubject), pick(DefaultInviteEmailMessage, it.EmailMessage), "", nil
	case KindAuthentication:
		if p.Medium == SMS {
			return "", pick(DefaultAuthenticationSMSMessage, pool.SmsAuthenticationMessage), "", nil
		}
		mc := p.EmailMFA
		if mc == nil {
			mc = &cognitoidp.EmailMfaConfigType{}
		}
		return pick(DefaultAuthenticationEmailSubject, mc.Subject), pick(DefaultAuthenticationEmailMessage, mc.Message), "", nil
	}
	return "", "", "", fmt.Errorf("%w %q", ErrUnknownKind, p.Kind)
}

// placeholder matches, at each position, the code, the username or a link;
// one pass, so filled-in values are never scanned again.
var placeholder = regexp.MustCompile(`\{####\}|\{username\}|(?s:\{##(.+?)##\})`)

// linkPlaceholder matches a link placeholder alone.
var linkPlaceholder = regexp.MustCompile(`(?s)\{##(.+?)##\}`)

// markup recognises a body written in HTML: a tag, a comment or an entity.
var markup = regexp.MustCompile(`<(?:[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?|/[A-Za-z][A-Za-z0-9]*\s*|!--)>|&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);`)

// fill renders Subject and Body from the templates.
func (m *Message) fill() {
	m.Subject = ""
	if m.Medium == Email {
		m.Subject = m.SubjectTemplate
		if !subjectsAreLiteral {
			m.Subject = m.expand(m.SubjectTemplate, false)
		}
	}
	m.HTML = m.Medium == Email && (markup.MatchString(m.BodyTemplate) ||
		(m.link != "" && linkPlaceholder.MatchString(m.BodyTemplate)))
	m.Body = m.expand(m.BodyTemplate, m.HTML)
}

func (m *Message) expand(tmpl string, isHTML bool) string {
	esc := func(s string) string {
		if isHTML {
			return html.EscapeString(s)
		}
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range placeholder.FindAllStringSubmatchIndex(tmpl, -1) {
		whole := tmpl[loc[0]:loc[1]]
		var repl string
		switch {
		case whole == CodePlaceholder:
			repl = esc(m.Code)
		case whole == UsernamePlaceholder:
			if m.Kind != KindInvitation {
				continue // Cognito leaves it as typed
			}
			repl = esc(m.Username)
		default: // a link
			if m.link == "" {
				continue
			}
			text := tmpl[loc[2]:loc[3]]
			repl = `<a href="` + html.EscapeString(m.link) + `">` + text + `</a>`
		}
		b.WriteString(tmpl[last:loc[0]])
		b.WriteString(repl)
		last = loc[1]
	}
	b.WriteString(tmpl[last:])
	return b.String()
}

// pick returns the first set, non-empty template of ps, else def.
func pick(def string, ps ...*string) string {
	for _, p := range ps {
		if p != nil && *p != "" {
			return *p
		}
	}
	return def
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
