package message

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	mail "github.com/wneessen/go-mail"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Time limits of delivery.
const (
	// SMTPTimeout bounds connecting to and talking with the SMTP server.
	SMTPTimeout = 15 * time.Second
	// WebhookTimeout bounds one SMS webhook call.
	WebhookTimeout = 5 * time.Second
)

// Options are a Sender's collaborators.
type Options struct {
	// Store is the outbox; required.
	Store storage.MessageStore
	// Clock stamps messages; default clock.Real.
	Clock clock.Clock
	// Logger gets one line per message; default: discard.
	Logger *slog.Logger
	// HTTPClient calls the SMS webhook; default: a client with WebhookTimeout.
	HTTPClient *http.Client
	// TLSConfig is the base of the SMTP TLS settings (e.g. private roots);
	// ServerName defaults to the SMTP host.
	TLSConfig *tls.Config
}

// Sender records and delivers messages. It is safe for concurrent use.
type Sender struct {
	cfg   Config
	store storage.MessageStore
	clock clock.Clock
	log   *slog.Logger
	http  *http.Client
	tls   *tls.Config
	// custom hands messages to a pool's custom sender trigger (nil: none).
	custom CustomSender
	// failed hears of every message whose delivery failed (nil: none).
	failed func(ctx context.Context, m *Message, err error)
}

// OnDeliveryFailure installs a hook called after a message was recorded but
// its delivery failed, with the delivery error (log delivery exports these
// as userNotification logs). Call it before the Sender is used.
func (s *Sender) OnDeliveryFailure(fn func(ctx context.Context, m *Message, err error)) {
	s.failed = fn
}

// CustomSender hands a message to the pool's custom email or SMS sender
// trigger instead of delivering it; handled is false when the pool has no
// such trigger for the message's medium. Its errors are the caller's (the
// trigger family logs a failed function itself: custom senders run
// asynchronously in Cognito).
type CustomSender func(ctx context.Context, pool *cognitoidp.UserPoolType, m *Message) (handled bool, err error)

// UseCustomSender installs the custom sender hook (the trigger family's).
// Call it before the Sender is used.
func (s *Sender) UseCustomSender(fn CustomSender) { s.custom = fn }

// NewSender checks cfg and returns a Sender.
func NewSender(cfg Config, opt Options) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opt.Store == nil {
		return nil, errors.New("message: a message store is required")
	}
	s := &Sender{cfg: cfg, store: opt.Store, clock: opt.Clock, log: opt.Logger, http: opt.HTTPClient}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.http == nil {
		s.http = &http.Client{Timeout: WebhookTimeout}
	}
	if opt.TLSConfig != nil {
		s.tls = opt.TLSConfig.Clone()
	} else {
		s.tls = &tls.Config{}
	}
	if s.tls.ServerName == "" {
		s.tls.ServerName = cfg.SMTP.Host
	}
	if s.tls.MinVersion == 0 {
		s.tls.MinVersion = tls.VersionTLS12
	}
	if cfg.SMTP.InsecureSkipVerify {
		s.tls.InsecureSkipVerify = true
	}
	return s, nil
}

// Config returns the sender's configuration.
func (s *Sender) Config() Config { return s.cfg }

// ErrDeliveryFailed is matched (errors.Is) by every *DeliveryError.
var ErrDeliveryFailed = errors.New("message: delivery failed")

// DeliveryError reports a message that was recorded in the outbox but
// could not be delivered. Services may ignore it or answer
// CodeDeliveryFailureException.
type DeliveryError struct {
	Medium cognitoidp.DeliveryMediumType
	Via    string // "smtp" or "webhook"
	Err    error
}

func (e *DeliveryError) Error() string {
	return fmt.Sprintf("message: %s delivery by %s failed: %v", strings.ToLower(string(e.Medium)), e.Via, e.Err)
}

// Unwrap returns the cause.
func (e *DeliveryError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrDeliveryFailed) true.
func (e *DeliveryError) Is(target error) bool { return target == ErrDeliveryFailed }

// Send stamps m (ID, CreatedAt when empty), appends it to the outbox, then
// delivers it: emails by SMTP, SMS to the webhook, when configured. The
// pool (may be nil) supplies the email sender and reply-to address.
//
// Delivery is attempted even when the outbox write fails. The error joins
// the outbox error (as the store returned it) and a *DeliveryError; nil
// means recorded and delivered (or nowhere to deliver).
func (s *Sender) Send(ctx context.Context, pool *cognitoidp.UserPoolType, m *Message) error {
	if m == nil {
		return errors.New("message: nil message")
	}
	if m.Medium != Email && m.Medium != SMS {
		return ErrUnknownMedium
	}
	if m.Destination == "" {
		return errors.New("message: no destination")
	}
	if m.ID == "" {
		m.ID = uuid.NewString()
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.clock.Now()
	}
	// Milliseconds: what the SQL store keeps, so the outbox, the email's
	// Date and the webhook agree.
	m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Millisecond)
	if m.PoolID == "" && pool != nil {
		m.PoolID = str(pool.Id)
	}

	storeErr := s.store.AddMessage(ctx, &storage.Message{
		ID:             m.ID,
		PoolID:         m.PoolID,
		Username:       m.Username,
		Destination:    m.Destination,
		DeliveryMedium: string(m.Medium),
		Kind:           string(m.Kind),
		Subject:        m.Subject,
		Body:           m.Body,
		Code:           m.Code,
		CreatedAt:      m.CreatedAt,
	})
	if storeErr != nil {
		storeErr = fmt.Errorf("message: outbox: %w", storeErr)
	}

	via := "outbox"
	var deliveryErr error
	handled := false
	if s.custom != nil {
		// A pool with a custom sender delivers the message itself: the
		// outbox keeps it (code included, as always), SMTP and the webhook
		// are not used.
		var err error
		if handled, err = s.custom(ctx, pool, m); handled {
			via = "custom_sender"
			deliveryErr = err
		}
	}
	switch {
	case handled:
	case m.Medium == Email && s.cfg.SMTP.Enabled():
		via = "smtp"
		if err := s.sendSMTP(ctx, pool, m); err != nil {
			deliveryErr = &DeliveryError{Medium: m.Medium, Via: via, Err: err}
		}
	case m.Medium == SMS && s.cfg.SMSWebhookURL != "":
		via = "webhook"
		if err := s.sendWebhook(ctx, m); err != nil {
			deliveryErr = &DeliveryError{Medium: m.Medium, Via: via, Err: err}
		}
	}
	s.logSent(ctx, m, via, storeErr, deliveryErr)
	if deliveryErr != nil && s.failed != nil {
		s.failed(ctx, m, deliveryErr)
	}
	return errors.Join(storeErr, deliveryErr)
}

// logSent writes the one line per message; the code only with DebugCodes.
func (s *Sender) logSent(ctx context.Context, m *Message, via string, storeErr, deliveryErr error) {
	attrs := []slog.Attr{
		slog.String("id", m.ID),
		slog.String("pool", m.PoolID),
		slog.String("username", m.Username),
		slog.String("kind", string(m.Kind)),
		slog.String("medium", string(m.Medium)),
		slog.String("destination", MaskDestination(m.Medium, m.Destination)),
		slog.String("via", via),
	}
	if s.cfg.DebugCodes {
		attrs = append(attrs, slog.String("code", m.Code))
	}
	level, msg := slog.LevelInfo, "message sent"
	if storeErr != nil {
		level, msg = slog.LevelError, "message not recorded in the outbox"
		attrs = append(attrs, slog.String("outbox_error", storeErr.Error()))
	}
	if deliveryErr != nil {
		if level < slog.LevelWarn {
			level, msg = slog.LevelWarn, "message delivery failed"
		}
		attrs = append(attrs, slog.String("delivery_error", deliveryErr.Error()))
	}
	s.log.LogAttrs(ctx, level, msg, attrs...)
}

// fromAddress picks the sender: the pool's EmailConfiguration.From, else
// the email identity of its SourceArn, else the configured From, else
// DefaultFrom.
func (s *Sender) fromAddress(pool *cognitoidp.UserPoolType) string {
	if pool != nil && pool.EmailConfiguration != nil {
		ec := pool.EmailConfiguration
		if f := str(ec.From); f != "" {
			return f
		}
		if arn := str(ec.SourceArn); arn != "" {
			if _, id, ok := strings.Cut(arn, ":identity/"); ok && strings.Contains(id, "@") {
				return id
			}
		}
	}
	if s.cfg.SMTP.From != "" {
		return s.cfg.SMTP.From
	}
	return DefaultFrom
}

// sendSMTP delivers an email. Messages with markup go as text/html, others
// as text/plain.
func (s *Sender) sendSMTP(ctx context.Context, pool *cognitoidp.UserPoolType, m *Message) error {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(s.fromAddress(pool)); err != nil {
		return fmt.Errorf("from address: %w", err)
	}
	if err := msg.To(m.Destination); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	if pool != nil && pool.EmailConfiguration != nil {
		if r := str(pool.EmailConfiguration.ReplyToEmailAddress); r != "" {
			if err := msg.ReplyTo(r); err != nil {
				return fmt.Errorf("reply-to address: %w", err)
			}
		}
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetMessageIDWithValue(m.ID + "@cogito")
	msg.SetGenHeader(HeaderOutboxID, m.ID)
	msg.SetGenHeader(HeaderKind, string(m.Kind))
	if m.HTML {
		msg.SetBodyString(mail.TypeTextHTML, m.Body)
	} else {
		msg.SetBodyString(mail.TypeTextPlain, m.Body)
	}

	c := s.cfg.SMTP
	opts := []mail.Option{
		mail.WithPort(c.EffectivePort()),
		mail.WithTimeout(SMTPTimeout),
		mail.WithTLSConfig(s.tls),
	}
	switch c.Mode() {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if c.Username != "" {
		opts = append(opts, mail.WithUsername(c.Username), mail.WithPassword(c.Password))
		if c.Mode() == TLSNone {
			opts = append(opts, mail.WithOpportunisticSMTPAuth(mail.SMTPAuthCramMD5, mail.SMTPAuthSCRAMSHA256,
				mail.SMTPAuthPlainNoEnc, mail.SMTPAuthLoginNoEnc))
		} else {
			opts = append(opts, mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin,
				mail.SMTPAuthCramMD5, mail.SMTPAuthSCRAMSHA256))
		}
	}
	client, err := mail.NewClient(c.Host, opts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, SMTPTimeout)
	defer cancel()
	return client.DialAndSendWithContext(ctx, msg)
}

// Headers Cogito adds to every email, so tests can find the outbox entry.
const (
	HeaderOutboxID = "X-Cogito-Message-Id"
	HeaderKind     = "X-Cogito-Kind"
)

// SMSWebhookPayload is the JSON body POSTed to the SMS webhook.
type SMSWebhookPayload struct {
	ID          string    `json:"id"`
	UserPoolID  string    `json:"userPoolId"`
	Username    string    `json:"username"`
	PhoneNumber string    `json:"phoneNumber"`
	Message     string    `json:"message"`
	Kind        Kind      `json:"kind"`
	Code        string    `json:"code"`
	CreatedAt   time.Time `json:"createdAt"` // RFC 3339
}

// sendWebhook POSTs an SMS to the webhook; any 2xx answer is success.
func (s *Sender) sendWebhook(ctx context.Context, m *Message) error {
	body, err := json.Marshal(SMSWebhookPayload{
		ID: m.ID, UserPoolID: m.PoolID, Username: m.Username, PhoneNumber: m.Destination,
		Message: m.Body, Kind: m.Kind, Code: m.Code, CreatedAt: m.CreatedAt,
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.SMSWebhookURL, bytes.NewReader(body))
	if err != nil {
		return errors.New("bad webhook URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Cogito")
	resp, err := s.http.Do(req)
	if err != nil {
		// A *url.Error quotes the URL, which may carry a token: keep the cause only.
		var ue *url.Error
		if errors.As(err, &ue) {
			return fmt.Errorf("POST %s: %w", redactURL(s.cfg.SMSWebhookURL), ue.Err)
		}
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("POST %s: status %d", redactURL(s.cfg.SMSWebhookURL), resp.StatusCode)
	}
	return nil
}
