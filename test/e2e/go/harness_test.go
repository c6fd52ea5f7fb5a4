package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/server"
)

// location is where a server keeps its state: a data directory and, for
// PostgreSQL, a database URL. Two servers started on one location share it.
type location struct {
	dataDir     string
	databaseURL string
}

// backend makes a fresh, empty location for one test.
type backend struct {
	name string
	new  func(t *testing.T) location
}

var sqliteBackend = backend{name: "sqlite", new: func(t *testing.T) location {
	return location{dataDir: t.TempDir()}
}}

var postgresBackend = backend{name: "postgres", new: func(t *testing.T) location {
	return location{dataDir: t.TempDir(), databaseURL: postgresSchemaURL(t)}
}}

// cogito is one running server and the clients pointed at it.
type cogito struct {
	URL      string // http://127.0.0.1:PORT
	Listen   string // 127.0.0.1:PORT
	IDP      *idp.Client
	Identity *cognitoidentity.Client
	HTTP     *http.Client
	loc      location

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan error
	srv      *server.Server
	t        testing.TB
}

// start runs a server on loc until the test (or an explicit stop) ends it.
func start(t testing.TB, loc location) *cogito {
	t.Helper()
	return startWith(t, loc, nil)
}

// startWith is start with a hook to adjust the configuration.
func startWith(t testing.TB, loc location, configure func(*config.Config)) *cogito {
	t.Helper()
	return startOpts(t, loc, configure, server.Options{})
}

// startOpts is startWith with the server options tests may replace (a clock
// that can be moved forward).
func startOpts(t testing.TB, loc location, configure func(*config.Config), opts server.Options) *cogito {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	cfg := config.Defaults()
	cfg.Listen = ln.Addr().String()
	cfg.DataDir = loc.dataDir
	cfg.DatabaseURL = loc.databaseURL
	cfg.TestMode = true
	cfg.ShutdownGrace = config.Duration{Duration: 5 * time.Second}
	if configure != nil {
		configure(&cfg)
	}

	// Server warnings and errors go to the test's output, so a 500 explains itself.
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg, log, opts)
	if err != nil {
		cancel()
		ln.Close()
		t.Fatalf("server.New: %v", err)
	}
	c := &cogito{
		URL:    "http://" + cfg.Listen,
		Listen: cfg.Listen,
		HTTP:   &http.Client{Timeout: 30 * time.Second},
		loc:    loc,
		cancel: cancel,
		done:   make(chan error, 1),
		srv:    srv,
		t:      t,
	}
	go func() { c.done <- srv.Serve(ctx, ln) }()

	c.IDP, c.Identity = c.clients(testAccessKey, testSecretKey)
	t.Cleanup(c.stop)
	c.waitHealthy()
	return c
}

// The credentials the test clients sign with.
const (
	testAccessKey = "AKIDCOGITOE2E"
	testSecretKey = "cogito-e2e-secret-key"
)

// clients returns SDK clients pointed at the server, signing with the given
// static credentials.
func (c *cogito) clients(accessKey, secretKey string) (*idp.Client, *cognitoidentity.Client) {
	awsCfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		// A failing call must fail the test at once, not after back-offs.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
	return idp.NewFromConfig(awsCfg, func(o *idp.Options) { o.BaseEndpoint = aws.String(c.URL) }),
		cognitoidentity.NewFromConfig(awsCfg, func(o *cognitoidentity.Options) { o.BaseEndpoint = aws.String(c.URL) })
}

func (c *cogito) waitHealthy() {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := c.HTTP.Get(c.URL + "/_cogito/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("server at %s not healthy after 10s (last error %v)", c.URL, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop shuts the server down gracefully and closes its store; it is safe to
// call more than once.
func (c *cogito) stop() {
	c.stopOnce.Do(func() {
		// Idle connections the client opened but never used would hold the
		// server's graceful shutdown until its grace period ends.
		c.HTTP.CloseIdleConnections()
		c.cancel()
		select {
		case err := <-c.done:
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				c.t.Errorf("serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			c.t.Errorf("server did not stop within 15s")
		}
		if err := c.srv.Close(); err != nil {
			c.t.Errorf("close server: %v", err)
		}
		c.HTTP.CloseIdleConnections()
	})
}

// ctx is a per-call context with a generous timeout.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// uniq returns prefix plus a random suffix, so tests sharing a server never
// collide on names.
func uniq(prefix string) string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// notImplemented lists operations Cogito does not serve yet, with the
// reason their tests are skipped. Empty when every operation these tests use
// is served.
var notImplemented = map[string]string{}

// needs skips the test when one of ops is not implemented yet.
func needs(t *testing.T, ops ...string) {
	t.Helper()
	for _, op := range ops {
		if why, ok := notImplemented[op]; ok {
			t.Skipf("skipped: %s is not implemented in Cogito yet (%s)", op, why)
		}
	}
}

// knownBugs are Cogito defects these tests found and reported; a test
// reaching one skips its remaining checks with the description, so the suite
// stays green until the fix lands and the entry is deleted.
var knownBugs = map[string]string{}

// knownBug skips the rest of the test when bug is still listed.
func knownBug(t *testing.T, bug string) {
	t.Helper()
	if why, ok := knownBugs[bug]; ok {
		t.Skipf("skipping the remaining checks: known Cogito bug %q: %s", bug, why)
	}
}

// apiError asserts err is an API error with the given code and returns it.
func apiError(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v (%T), want API error %s", err, err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("error code = %q (message %q), want %q", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	return ae
}

// httpStatus is the HTTP status behind an SDK error, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// wantClientError asserts an API error with code, HTTP status 400, and a
// message containing each of msgParts.
func wantClientError(t testing.TB, err error, code string, msgParts ...string) {
	t.Helper()
	ae := apiError(t, err, code)
	if s := httpStatus(err); s != http.StatusBadRequest {
		t.Errorf("%s: HTTP status = %d, want 400", code, s)
	}
	for _, p := range msgParts {
		if !strings.Contains(ae.ErrorMessage(), p) {
			t.Errorf("%s message = %q, want it to contain %q", code, ae.ErrorMessage(), p)
		}
	}
}

var (
	poolIDPattern   = regexp.MustCompile(`^us-east-1_[0-9A-Za-z]+$`)
	clientIDPattern = regexp.MustCompile(`^[\w+]+$`)
)

// near reports whether tm is within d of now.
func near(tm *time.Time, d time.Duration) bool {
	if tm == nil {
		return false
	}
	diff := time.Since(*tm)
	return diff < d && diff > -d
}
