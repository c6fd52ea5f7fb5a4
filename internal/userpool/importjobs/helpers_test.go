package importjobs

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z = 1740830400.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	roleARN = "arn:aws:iam::123456789012:role/CognitoImport"
	baseURL = "http://cogito.test:9229"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

type env struct {
	logs  *logBuffer
	ctx   context.Context
	svc   *Service
	store storage.Store
	clk   *clock.Fake
	pools *pools.Service
	h     *cognitoidp.Handlers
	// pool auto-verifies email and has MFA off.
	pool string
}

// newEnv returns a Service on a fresh SQLite store with a fake clock, and a
// pool that auto-verifies email.
func newEnv(t testing.TB, opts ...func(*Config)) *env {
	t.Helper()
	var st storage.Store = sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	logs := &logBuffer{}
	cfg := Config{
		Store: st, Clock: clk, BaseURL: baseURL + "/", UploadKey: testKey, BatchSize: 50,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	st = cfg.Store.(storage.Store) // an option may pick another store
	e := &env{
		logs:  logs,
		ctx:   context.Background(),
		svc:   New(cfg),
		store: st,
		clk:   clk,
		pools: pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"}),
		h:     &cognitoidp.Handlers{},
	}
	t.Cleanup(func() { e.svc.Close() })
	e.svc.Register(e.h)
	e.pool = e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
	})
	return e
}

// newPool creates a pool (name "pool" unless set) and returns its id.
func (e *env) newPool(t testing.TB, in *cognitoidp.CreateUserPoolRequest) string {
	t.Helper()
	if in.PoolName == nil {
		in.PoolName = api.Ptr("pool")
	}
	out, err := e.pools.CreateUserPool(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

func (e *env) schema(t testing.TB, poolID string) *attrs.Schema {
	t.Helper()
	up, err := pools.Load(e.ctx, e.store, poolID)
	if err != nil {
		t.Fatal(err)
	}
	return attrs.FromPool(up)
}

// header is the pool's CSV header, as GetCSVHeader returns it.
func (e *env) header(t testing.TB, poolID string) []string {
	t.Helper()
	out, err := e.svc.GetCSVHeader(e.ctx, &cognitoidp.GetCSVHeaderRequest{UserPoolId: api.Ptr(poolID)})
	if err != nil {
		t.Fatalf("GetCSVHeader: %v", err)
	}
	return out.CSVHeader
}

// csvFile builds a file with the pool's header and one line per row; each
// row maps column names to values (missing columns are empty).
func (e *env) csvFile(t testing.TB, poolID string, rows ...map[string]string) string {
	t.Helper()
	head := e.header(t, poolID)
	var b strings.Builder
	b.WriteString(strings.Join(head, ","))
	b.WriteString("\n")
	for _, r := range rows {
		vals := make([]string, len(head))
		for i, h := range head {
			vals[i] = strings.ReplaceAll(r[h], ",", `\,`)
		}
		b.WriteString(strings.Join(vals, ","))
		b.WriteString("\n")
	}
	return b.String()
}

// user is a row with a username, a verified email and MFA off.
func user(name string, kv ...string) map[string]string {
	r := map[string]string{
		"cognito:username": name, "email": name + "@example.com", "email_verified": "true",
		"cognito:mfa_enabled": "false",
	}
	for i := 0; i < len(kv); i += 2 {
		r[kv[i]] = kv[i+1]
	}
	return r
}

// create makes a job and returns it.
func (e *env) create(t testing.TB, poolID string) *cognitoidp.UserImportJobType {
	t.Helper()
	out, err := e.svc.CreateUserImportJob(e.ctx, &cognitoidp.CreateUserImportJobRequest{
		UserPoolId: api.Ptr(poolID), JobName: api.Ptr("import"), CloudWatchLogsRoleArn: api.Ptr(roleARN),
	})
	if err != nil {
		t.Fatalf("CreateUserImportJob: %v", err)
	}
	return out.UserImportJob
}

// put uploads body to a pre-signed URL through the upload handler.
func (e *env) put(t testing.TB, preSigned, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	u, err := url.Parse(preSigned)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPut, u.RequestURI(), strings.NewReader(body))
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	for i := 0; i < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	w := httptest.NewRecorder()
	e.svc.UploadHandler().ServeHTTP(w, req)
	return w
}

// upload creates a job, uploads body and returns the job id.
func (e *env) upload(t testing.TB, poolID, body string) string {
	t.Helper()
	j := e.create(t, poolID)
	if w := e.put(t, *j.PreSignedUrl, body); w.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	return *j.JobId
}

func (e *env) start(t testing.TB, poolID, jobID string) *cognitoidp.UserImportJobType {
	t.Helper()
	out, err := e.svc.StartUserImportJob(e.ctx, &cognitoidp.StartUserImportJobRequest{UserPoolId: api.Ptr(poolID), JobId: api.Ptr(jobID)})
	if err != nil {
		t.Fatalf("StartUserImportJob: %v", err)
	}
	return out.UserImportJob
}

func (e *env) describe(t testing.TB, poolID, jobID string) *cognitoidp.UserImportJobType {
	t.Helper()
	out, err := e.svc.DescribeUserImportJob(e.ctx, &cognitoidp.DescribeUserImportJobRequest{UserPoolId: api.Ptr(poolID), JobId: api.Ptr(jobID)})
	if err != nil {
		t.Fatalf("DescribeUserImportJob: %v", err)
	}
	return out.UserImportJob
}

// wait waits for the job's worker in this process to end and returns the job.
func (e *env) wait(t testing.TB, poolID, jobID string) *cognitoidp.UserImportJobType {
	t.Helper()
	if e.svc.isLocal(poolID, jobID) && !e.svc.waitLocal(e.ctx, poolID, jobID, time.Minute) {
		t.Fatalf("job %s still running after a minute", jobID)
	}
	return e.describe(t, poolID, jobID)
}

// run uploads body, starts the job and waits for it.
func (e *env) run(t testing.TB, poolID, body string) *cognitoidp.UserImportJobType {
	t.Helper()
	id := e.upload(t, poolID, body)
	e.start(t, poolID, id)
	return e.wait(t, poolID, id)
}

// counts is a job's status and counts in one comparable value.
type counts struct {
	Status                    string
	Imported, Skipped, Failed int64
	Message                   string
}

func countsOf(j *cognitoidp.UserImportJobType) counts {
	return counts{string(api.Deref(j.Status)), j.ImportedUsers, j.SkippedUsers, j.FailedUsers, api.Deref(j.CompletionMessage)}
}

// getUser reads a stored user by username (nil when absent).
func (e *env) getUser(t testing.TB, poolID, username string) *storage.User {
	t.Helper()
	u, err := e.store.GetUser(e.ctx, poolID, e.schema(t, poolID).Key(username))
	if err == storage.ErrNotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// logBuffer collects log output from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns the output so far and forgets it.
func (l *logBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// wantErr checks err is the AWS error code with message msg ("" skips the message).
func wantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("err = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}
