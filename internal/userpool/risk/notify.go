package risk

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

// KindTakeoverNotification is the outbox kind of account-takeover
// notifications (Cognito's custom sender source is
// CustomEmailSender_AccountTakeOverNotification).
const KindTakeoverNotification message.Kind = "ACCOUNT_TAKE_OVER_NOTIFICATION"

// Default notification texts, used for a template member the configuration
// leaves out (Cognito's own defaults are longer; these are Cogito's).
const (
	defaultBlockSubject    = "Blocked sign-in attempt"
	defaultBlockBody       = "We blocked an unrecognized sign-in to your account {username} from {ip-address} at {login-time}. If this was you, {one-click-link-valid}; if not, {one-click-link-invalid}."
	defaultMfaSubject      = "New sign-in attempt"
	defaultMfaBody         = "We asked for a second factor for a sign-in to your account {username} from {ip-address} at {login-time}. If this was you, {one-click-link-valid}; if not, {one-click-link-invalid}."
	defaultNoActionSubject = "New sign-in"
	defaultNoActionBody    = "We noticed a new sign-in to your account {username} from {ip-address} at {login-time}. If this was you, {one-click-link-valid}; if not, {one-click-link-invalid}."
)

// NotifyInput is a notification to send after a sign-in assessed with Notify.
type NotifyInput struct {
	Pool     *cognitoidp.UserPoolType
	ClientID string
	User     *storage.User
	Decision *Decision
	EventID  string // the auth event the one-click links give feedback on
	IP       string
	Device   string
	// Links returns the "this was me" (valid) and "this wasn't me" (invalid)
	// feedback URLs of the event; nil: the placeholders become empty.
	Links func(eventID string) (valid, invalid string, err error)
}

// Notify emails the user about an assessed sign-in with the configuration's
// template for the action taken (BlockEmail, MfaEmail or NoActionEmail), as
// Cognito does for a Notify action. Users without an email address are not
// notified. The message goes through the Sender (outbox, SMTP).
func (s *Service) Notify(ctx context.Context, in NotifyInput) error {
	d := in.Decision
	if s.sender == nil || d == nil || !d.Notify || in.User == nil {
		return nil
	}
	email := in.User.Attributes["email"]
	if email == "" {
		return nil
	}
	rc, err := s.Effective(ctx, api.Deref(in.Pool.Id), clientOrAll(in.ClientID))
	if err != nil {
		return err
	}
	var nc *cognitoidp.NotifyConfigurationType
	if rc != nil && rc.AccountTakeoverRiskConfiguration != nil {
		nc = rc.AccountTakeoverRiskConfiguration.NotifyConfiguration
	}
	subject, body, isHTML := templateFor(nc, d.Action)
	valid, invalid := "", ""
	if in.Links != nil && in.EventID != "" {
		if valid, invalid, err = in.Links(in.EventID); err != nil {
			return err
		}
	}
	when := s.clock.Now().UTC().Format(time.RFC1123)
	esc := func(v string) string {
		if isHTML {
			return html.EscapeString(v)
		}
		return v
	}
	link := func(url, text string) string {
		if url == "" {
			return ""
		}
		if isHTML {
			return fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(url), html.EscapeString(text))
		}
		return url
	}
	place, _ := s.locations.Find(in.IP)
	r := strings.NewReplacer(
		"{username}", esc(in.User.Username),
		"{ip-address}", esc(in.IP),
		"{city}", esc(place.City),
		"{country}", esc(place.Country),
		"{login-time}", esc(when),
		"{device-name}", esc(in.Device),
		"{one-click-link-valid}", link(valid, "this was me"),
		"{one-click-link-invalid}", link(invalid, "this wasn't me"),
	)
	m := &message.Message{
		PoolID:      api.Deref(in.Pool.Id),
		Username:    in.User.Username,
		Destination: email,
		Medium:      message.Email,
		Kind:        KindTakeoverNotification,
		Subject:     subject,
		Body:        r.Replace(body),
		HTML:        isHTML,
	}
	return s.sender.Send(ctx, in.Pool, m)
}

// templateFor picks the configured email for action, falling back to
// Cogito's defaults; HtmlBody wins over TextBody.
func templateFor(nc *cognitoidp.NotifyConfigurationType, action cognitoidp.AccountTakeoverEventActionType) (subject, body string, isHTML bool) {
	var t *cognitoidp.NotifyEmailType
	switch action {
	case cognitoidp.AccountTakeoverEventActionTypeBlock:
		subject, body = defaultBlockSubject, defaultBlockBody
		if nc != nil {
			t = nc.BlockEmail
		}
	case cognitoidp.AccountTakeoverEventActionTypeMfaIfConfigured, cognitoidp.AccountTakeoverEventActionTypeMfaRequired:
		subject, body = defaultMfaSubject, defaultMfaBody
		if nc != nil {
			t = nc.MfaEmail
		}
	default:
		subject, body = defaultNoActionSubject, defaultNoActionBody
		if nc != nil {
			t = nc.NoActionEmail
		}
	}
	if t == nil {
		return subject, body, false
	}
	if v := api.Deref(t.Subject); v != "" {
		subject = v
	}
	switch {
	case api.Deref(t.HtmlBody) != "":
		return subject, *t.HtmlBody, true
	case api.Deref(t.TextBody) != "":
		return subject, *t.TextBody, false
	}
	return subject, body, false
}
