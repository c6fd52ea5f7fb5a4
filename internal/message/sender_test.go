package message

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
)

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 890_000_000, time.UTC)

// logBuf is a concurrency-safe log sink.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type fixture struct {
	store *memStore
	clock *clock.Fake
	log   *logBuf
}

func newSender(t *testing.T, cfg Config, roots *x509.CertPool, mod ...func(*Options)) (*Sender, *fixture) {
	t.Helper()
	f := &fixture{store: &memStore{}, clock: clock.NewFake(t0), log: &logBuf{}}
	opt := Options{
		Store:  f.store,
		Clock:  f.clock,
		Logger: slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if roots != nil {
		opt.TLSConfig = &tls.Config{RootCAs: roots}
	}
	for _, m := range mod {
		m(&opt)
	}
	s, err := NewSender(cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s, f
}

func render(t *testing.T, pool *cognitoidp.UserPoolType, p Params) *Message {
	t.Helper()
	m, err := Render(pool, p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func signUpEmail(t *testing.T) *Message {
	return render(t, bare(), Params{Kind: KindSignUp, Medium: Email, Destination: "jane@example.com", Username: "jane", Code: "123456"})
}

func TestSendOutboxOnly(t *testing.T) {
	s, f := newSender(t, Config{}, nil)
	m := signUpEmail(t)
	if err := s.Send(context.Background(), bare(), m); err != nil {
		t.Fatal(err)
	}
	if m.ID == "" || !m.CreatedAt.Equal(t0) {
		t.Errorf("not stamped: id %q at %v", m.ID, m.CreatedAt)
	}
	all := f.store.all()
	if len(all) != 1 {
		t.Fatalf("outbox has %d messages", len(all))
	}
	got := all[0]
	if got.ID != m.ID || got.PoolID != testPool || got.Username != "jane" || got.Destination != "jane@example.com" ||
		got.DeliveryMedium != "EMAIL" || got.Kind != "SIGN_UP" || got.Subject != "Your verification code" ||
		got.Body != "Your verification code is 123456. " || got.Code != "123456" || !got.CreatedAt.Equal(t0) {
		t.Errorf("outbox entry: %+v", got)
	}
	log := f.log.String()
	if strings.Count(log, "\n") != 1 || !strings.Contains(log, "message sent") || !strings.Contains(log, "via=outbox") ||
		!strings.Contains(log, "j***@e***.com") {
		t.Errorf("log: %s", log)
	}
	if strings.Contains(log, "123456") || strings.Contains(log, "jane@example.com") {
		t.Errorf("log leaks the code or address: %s", log)
	}
}

func TestSendDebugCodes(t *testing.T) {
	s, f := newSender(t, Config{DebugCodes: true}, nil)
	if err := s.Send(context.Background(), bare(), signUpEmail(t)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.log.String(), "code=123456") {
		t.Errorf("debug log lacks the code: %s", f.log)
	}
}

func TestSendValidates(t *testing.T) {
	s, f := newSender(t, Config{}, nil)
	if err := s.Send(context.Background(), nil, &Message{Medium: Email}); err == nil {
		t.Error("no destination accepted")
	}
	if err := s.Send(context.Background(), nil, &Message{Medium: "X", Destination: "a"}); !errors.Is(err, ErrUnknownMedium) {
		t.Errorf("bad medium: %v", err)
	}
	if err := s.Send(context.Background(), nil, nil); err == nil {
		t.Error("nil message accepted")
	}
	if len(f.store.all()) != 0 {
		t.Error("invalid messages reached the outbox")
	}
	if _, err := NewSender(Config{}, Options{}); err == nil {
		t.Error("a sender without a store")
	}
	if _, err := NewSender(Config{SMTP: SMTPConfig{Host: "h", TLS: "ssl"}}, Options{Store: &memStore{}}); err == nil {
		t.Error("a bad config accepted")
	}
}

func smtpConfig(srv *smtpServer, mode string) Config {
	return Config{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.addr.Port, TLS: mode}}
}

func TestSendSMTPPlain(t *testing.T) {
	srv := startSMTP(t, modePlain, nil, "", "")
	s, f := newSender(t, smtpConfig(srv, TLSNone), nil)
	m := render(t, bare(), Params{Kind: KindInvitation, Medium: Email, Destination: "jane@example.com", Username: "jane", Code: "Tmp-Pass1!"})
	if err := s.Send(context.Background(), bare(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server got %d messages", len(got))
	}
	r := got[0]
	if r.From != DefaultFrom || len(r.To) != 1 || r.To[0] != "jane@example.com" || r.TLS || r.AuthAs != "" {
		t.Errorf("envelope: %+v", r)
	}
	h, body := r.parse(t)
	if body != "Your username is jane and temporary password is Tmp-Pass1!. " {
		t.Errorf("body %q", body)
	}
	if decodedSubject(t, h) != "Your temporary password" {
		t.Errorf("subject %q", h.Get("Subject"))
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Errorf("content type %q", h.Get("Content-Type"))
	}
	if h.Get("From") != "<"+DefaultFrom+">" || h.Get("To") != "<jane@example.com>" {
		t.Errorf("From %q To %q", h.Get("From"), h.Get("To"))
	}
	if h.Get(HeaderOutboxID) != m.ID || h.Get(HeaderKind) != "INVITATION" || h.Get("Message-Id") != "<"+m.ID+"@cogito>" {
		t.Errorf("ids: %q %q %q", h.Get(HeaderOutboxID), h.Get(HeaderKind), h.Get("Message-Id"))
	}
	if d, err := h.Date(); err != nil || !d.Equal(t0.Truncate(time.Second)) {
		t.Errorf("date %q: %v", h.Get("Date"), err)
	}
	if len(f.store.all()) != 1 {
		t.Error("not in the outbox")
	}
	if strings.Contains(f.log.String(), "Tmp-Pass1!") || !strings.Contains(f.log.String(), "via=smtp") {
		t.Errorf("log: %s", f.log)
	}
}

func TestSendSMTPPlainAuth(t *testing.T) {
	srv := startSMTP(t, modePlain, nil, "mailer", "s3cret-pw")
	cfg := smtpConfig(srv, TLSNone)
	cfg.SMTP.Username, cfg.SMTP.Password = "mailer", "s3cret-pw"
	s, f := newSender(t, cfg, nil)
	if err := s.Send(context.Background(), bare(), signUpEmail(t)); err != nil {
		t.Fatal(err)
	}
	if got := srv.messages(); len(got) != 1 || got[0].AuthAs != "mailer" {
		t.Fatalf("server got %+v", got)
	}
	if strings.Contains(f.log.String(), "s3cret-pw") {
		t.Error("log leaks the SMTP password")
	}

	// Wrong password: a delivery error, the message stays in the outbox.
	cfg.SMTP.Password = "wrong"
	s, f = newSender(t, cfg, nil)
	err := s.Send(context.Background(), bare(), signUpEmail(t))
	if !errors.Is(err, ErrDeliveryFailed) {
		t.Fatalf("wrong password: %v", err)
	}
	if len(f.store.all()) != 1 || strings.Contains(err.Error(), "wrong") {
		t.Errorf("outbox %d, err %v", len(f.store.all()), err)
	}
}

func TestSendSMTPStartTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	srv := startSMTP(t, modeSTARTTLS, cert, "mailer", "pw")
	cfg := smtpConfig(srv, TLSStartTLS)
	cfg.SMTP.Username, cfg.SMTP.Password = "mailer", "pw"
	cfg.SMTP.From = "Cogito <noreply@cogito.test>"
	s, _ := newSender(t, cfg, roots)

	pool := bare()
	pool.VerificationMessageTemplate = &cognitoidp.VerificationMessageTemplateType{
		EmailSubject: api.Ptr("Bienvenue à bord"),
		EmailMessage: api.Ptr("<h1>Welcome</h1><p>Your code is <b>{####}</b>.</p>"),
	}
	pool.EmailConfiguration = &cognitoidp.EmailConfigurationType{
		From:                api.Ptr("Example App <hello@app.example>"),
		ReplyToEmailAddress: api.Ptr("support@app.example"),
	}
	m := render(t, pool, Params{Kind: KindSignUp, Medium: Email, Destination: "jane@example.com", Username: "jane", Code: "314159"})
	if err := s.Send(context.Background(), pool, m); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server got %d", len(got))
	}
	r := got[0]
	if !r.TLS || r.AuthAs != "mailer" || r.From != "hello@app.example" {
		t.Errorf("envelope: tls %v auth %q from %q", r.TLS, r.AuthAs, r.From)
	}
	h, body := r.parse(t)
	if body != "<h1>Welcome</h1><p>Your code is <b>314159</b>.</p>" {
		t.Errorf("body %q", body)
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("content type %q", h.Get("Content-Type"))
	}
	if decodedSubject(t, h) != "Bienvenue à bord" {
		t.Errorf("subject %q", h.Get("Subject"))
	}
	if h.Get("From") != `"Example App" <hello@app.example>` || h.Get("Reply-To") != "<support@app.example>" {
		t.Errorf("From %q Reply-To %q", h.Get("From"), h.Get("Reply-To"))
	}
}

func TestSendSMTPImplicitTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	srv := startSMTP(t, modeImplicit, cert, "", "")
	s, _ := newSender(t, smtpConfig(srv, TLSImplicit), roots)
	if err := s.Send(context.Background(), bare(), signUpEmail(t)); err != nil {
		t.Fatal(err)
	}
	if got := srv.messages(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("server got %+v", got)
	}
}

func TestSendSMTPCertificateChecked(t *testing.T) {
	cert, _ := selfSigned(t)
	srv := startSMTP(t, modeSTARTTLS, cert, "", "")
	// Not trusted: refused.
	s, f := newSender(t, smtpConfig(srv, TLSStartTLS), nil)
	if err := s.Send(context.Background(), bare(), signUpEmail(t)); !errors.Is(err, ErrDeliveryFailed) {
		t.Fatalf("untrusted certificate: %v", err)
	}
	if len(srv.messages()) != 0 || len(f.store.all()) != 1 {
		t.Error("sent despite an untrusted certificate, or lost from the outbox")
	}
	// insecure_skip_verify accepts it.
	cfg := smtpConfig(srv, TLSStartTLS)
	cfg.SMTP.InsecureSkipVerify = true
	s, _ = newSender(t, cfg, nil)
	if err := s.Send(context.Background(), bare(), signUpEmail(t)); err != nil {
		t.Fatal(err)
	}
	if len(srv.messages()) != 1 {
		t.Error("not delivered with insecure_skip_verify")
	}
}

func TestSendSMTPStartTLSRequired(t *testing.T) {
	srv := startSMTP(t, modePlain, nil, "", "")
	s, f := newSender(t, smtpConfig(srv, TLSStartTLS), nil)
	err := s.Send(context.Background(), bare(), signUpEmail(t))
	var de *DeliveryError
	if !errors.As(err, &de) || de.Via != "smtp" || de.Medium != Email {
		t.Fatalf("want a DeliveryError, got %v", err)
	}
	if len(srv.messages()) != 0 || len(f.store.all()) != 1 {
		t.Error("sent in the clear, or lost from the outbox")
	}
}

func TestSendSMTPDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := Config{SMTP: SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, Username: "u", Password: "hunter2"}}
	s, f := newSender(t, cfg, nil)
	m := signUpEmail(t)
	err = s.Send(context.Background(), bare(), m)
	if !errors.Is(err, ErrDeliveryFailed) {
		t.Fatalf("want ErrDeliveryFailed, got %v", err)
	}
	all := f.store.all()
	if len(all) != 1 || all[0].Code != "123456" || all[0].ID != m.ID {
		t.Errorf("outbox lost the message: %+v", all)
	}
	log := f.log.String()
	if !strings.Contains(log, "level=WARN") || !strings.Contains(log, "delivery failed") {
		t.Errorf("log: %s", log)
	}
	if strings.Contains(log, "123456") || strings.Contains(log, "hunter2") || strings.Contains(err.Error(), "123456") {
		t.Errorf("a secret leaked: %s / %v", log, err)
	}
}

func TestSendStoreFailureStillDelivers(t *testing.T) {
	srv := startSMTP(t, modePlain, nil, "", "")
	s, err := NewSender(smtpConfig(srv, TLSNone), Options{Store: brokenStore{}, Clock: clock.NewFake(t0)})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), bare(), signUpEmail(t))
	if !errors.Is(err, errStoreDown) || errors.Is(err, ErrDeliveryFailed) {
		t.Fatalf("want the store error only, got %v", err)
	}
	if len(srv.messages()) != 1 {
		t.Error("not delivered")
	}
}

func TestSendSMTPConcurrent(t *testing.T) {
	srv := startSMTP(t, modePlain, nil, "", "")
	s, f := newSender(t, smtpConfig(srv, TLSNone), nil)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Go(func() {
			m := render(t, bare(), Params{Kind: KindForgotPassword, Medium: Email, Destination: "u@example.com", Username: "u", Code: NewCode()})
			m.CreatedAt = t0.Add(time.Duration(i) * time.Second)
			errs <- s.Send(context.Background(), bare(), m)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if len(srv.messages()) != 10 || len(f.store.all()) != 10 {
		t.Errorf("server %d, outbox %d", len(srv.messages()), len(f.store.all()))
	}
}

func TestFromAddress(t *testing.T) {
	s, _ := newSender(t, Config{}, nil)
	pool := bare()
	if got := s.fromAddress(nil); got != DefaultFrom {
		t.Errorf("default: %q", got)
	}
	s, _ = newSender(t, Config{SMTP: SMTPConfig{Host: "h", From: "cfg@cogito.test"}}, nil)
	if got := s.fromAddress(pool); got != "cfg@cogito.test" {
		t.Errorf("configured: %q", got)
	}
	pool.EmailConfiguration = &cognitoidp.EmailConfigurationType{SourceArn: api.Ptr("arn:aws:ses:us-east-1:123456789012:identity/example.com")}
	if got := s.fromAddress(pool); got != "cfg@cogito.test" {
		t.Errorf("domain identity: %q", got)
	}
	pool.EmailConfiguration.SourceArn = api.Ptr("arn:aws:ses:us-east-1:123456789012:identity/jane@example.com")
	if got := s.fromAddress(pool); got != "jane@example.com" {
		t.Errorf("email identity: %q", got)
	}
	pool.EmailConfiguration.From = api.Ptr("Jane <jane@example.com>")
	if got := s.fromAddress(pool); got != "Jane <jane@example.com>" {
		t.Errorf("pool From: %q", got)
	}
}

func smsMessage(t *testing.T) *Message {
	return render(t, bare(), Params{Kind: KindSignUp, Medium: SMS, Destination: "+12065551234", Username: "jane", Code: "271828"})
}

func TestSendWebhook(t *testing.T) {
	var mu sync.Mutex
	var got []SMSWebhookPayload
	var ctype string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p SMSWebhookPayload
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&p) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, p)
		ctype = r.Header.Get("Content-Type")
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()
	s, f := newSender(t, Config{SMSWebhookURL: hook.URL + "/sms?token=abc"}, nil)
	m := smsMessage(t)
	if err := s.Send(context.Background(), bare(), m); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || ctype != "application/json" {
		t.Fatalf("webhook got %+v (%s)", got, ctype)
	}
	want := SMSWebhookPayload{ID: m.ID, UserPoolID: testPool, Username: "jane", PhoneNumber: "+12065551234",
		Message: "Your verification code is 271828. ", Kind: KindSignUp, Code: "271828", CreatedAt: t0}
	if got[0] != want {
		t.Errorf("payload\n got %+v\nwant %+v", got[0], want)
	}
	if len(f.store.all()) != 1 || !strings.Contains(f.log.String(), "via=webhook") || !strings.Contains(f.log.String(), "+*******1234") {
		t.Errorf("outbox %d, log %s", len(f.store.all()), f.log)
	}
	// The raw JSON uses the documented names.
	b, _ := json.Marshal(want)
	for _, k := range []string{`"userPoolId"`, `"username"`, `"phoneNumber"`, `"message"`, `"kind"`, `"code"`, `"createdAt":"2026-03-04T05:06:07.89Z"`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("payload JSON lacks %s: %s", k, b)
		}
	}
}

func TestSendWebhookFailures(t *testing.T) {
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer failing.Close()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()

	for name, url := range map[string]string{"status": failing.URL, "timeout": slow.URL, "refused": downURL} {
		t.Run(name, func(t *testing.T) {
			s, f := newSender(t, Config{SMSWebhookURL: url + "/hook?token=t0ps3cret"}, nil, func(o *Options) {
				o.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond}
			})
			err := s.Send(context.Background(), bare(), smsMessage(t))
			var de *DeliveryError
			if !errors.As(err, &de) || de.Via != "webhook" || de.Medium != SMS {
				t.Fatalf("want a webhook DeliveryError, got %v", err)
			}
			if len(f.store.all()) != 1 {
				t.Error("outbox lost the message")
			}
			log := f.log.String()
			for _, secret := range []string{"271828", "t0ps3cret"} {
				if strings.Contains(log, secret) || strings.Contains(err.Error(), secret) {
					t.Errorf("%s leaked: %s / %v", secret, log, err)
				}
			}
		})
	}
}

func TestSendEmailIgnoresWebhookAndSMSIgnoresSMTP(t *testing.T) {
	calls := 0
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++ }))
	defer hook.Close()
	srv := startSMTP(t, modePlain, nil, "", "")
	cfg := smtpConfig(srv, TLSNone)
	cfg.SMSWebhookURL = hook.URL
	s, _ := newSender(t, cfg, nil)
	if err := s.Send(context.Background(), bare(), signUpEmail(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), bare(), smsMessage(t)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || len(srv.messages()) != 1 {
		t.Errorf("webhook calls %d, emails %d", calls, len(srv.messages()))
	}
}
