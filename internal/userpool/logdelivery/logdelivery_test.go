package logdelivery

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is 2024-07-17T17:25:55Z.
var t0 = time.Date(2024, 7, 17, 17, 25, 55, 0, time.UTC)

const (
	logGroup = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/app"
	bucket   = "arn:aws:s3:::audit-bucket"
	stream   = "arn:aws:firehose:us-east-1:123456789012:deliverystream/activity"
)

type env struct {
	svc       *Service
	store     *sqlstore.Store
	pools     *pools.Service
	dir       string
	stdout    *bytes.Buffer
	plus, ess string
	hook      *hookServer
	clock     *clock.Fake
}

// hookServer records the lines POSTed to it.
type hookServer struct {
	*httptest.Server
	mu    sync.Mutex
	lines []string
	types []string
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.lines = append(h.lines, string(b))
		h.types = append(h.types, r.Header.Get("Content-Type"))
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.lines...)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	e := &env{store: st, dir: t.TempDir(), stdout: &bytes.Buffer{}, hook: newHookServer(t), clock: clk}
	sinks, err := NewSinks(e.dir, []Destination{{ARN: stream, Target: e.hook.URL + "/logs"}, {ARN: bucket, Target: "stdout"}}, e.stdout, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = New(Config{Store: st, Sinks: sinks, Clock: clk})
	e.pools = pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	e.plus = e.createPool(t, "plus", cognitoidp.UserPoolTierTypePlus)
	e.ess = e.createPool(t, "essentials", cognitoidp.UserPoolTierTypeEssentials)
	return e
}

func (e *env) createPool(t *testing.T, name string, tier cognitoidp.UserPoolTierType) string {
	t.Helper()
	out, err := e.pools.CreateUserPool(context.Background(), &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr(name), UserPoolTier: api.Ptr(tier)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPool.Id
}

func cw(src cognitoidp.EventSourceName, level cognitoidp.LogLevel, arn string) cognitoidp.LogConfigurationType {
	return cognitoidp.LogConfigurationType{EventSource: api.Ptr(src), LogLevel: api.Ptr(level),
		CloudWatchLogsConfiguration: &cognitoidp.CloudWatchLogsConfigurationType{LogGroupArn: api.Ptr(arn)}}
}

func (e *env) set(poolID string, cfgs ...cognitoidp.LogConfigurationType) error {
	if cfgs == nil {
		cfgs = []cognitoidp.LogConfigurationType{}
	}
	_, err := e.svc.SetLogDeliveryConfiguration(context.Background(), &cognitoidp.SetLogDeliveryConfigurationRequest{UserPoolId: api.Ptr(poolID), LogConfigurations: cfgs})
	return err
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok || e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error %v; want %s %q", err, code, msg)
	}
}

const (
	notif    = cognitoidp.EventSourceNameUserNotification
	activity = cognitoidp.EventSourceNameUserAuthEvents
	errLevel = cognitoidp.LogLevelError
	info     = cognitoidp.LogLevelInfo
)

func TestSetGet(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	get := func(poolID string) string {
		t.Helper()
		out, err := e.svc.GetLogDeliveryConfiguration(ctx, &cognitoidp.GetLogDeliveryConfigurationRequest{UserPoolId: api.Ptr(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(out)
		return string(b)
	}
	if got, want := get(e.plus), `{"LogDeliveryConfiguration":{"UserPoolId":"`+e.plus+`","LogConfigurations":[]}}`; got != want {
		t.Errorf("never configured:\n got %s\nwant %s", got, want)
	}
	s3 := cognitoidp.LogConfigurationType{EventSource: api.Ptr(activity), LogLevel: api.Ptr(info), S3Configuration: &cognitoidp.S3ConfigurationType{BucketArn: api.Ptr(bucket)}}
	if err := e.set(e.plus, cw(notif, errLevel, logGroup), s3); err != nil {
		t.Fatal(err)
	}
	want := `{"LogDeliveryConfiguration":{"UserPoolId":"` + e.plus + `","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"` + logGroup + `"}},{"LogLevel":"INFO","EventSource":"userAuthEvents","S3Configuration":{"BucketArn":"` + bucket + `"}}]}}`
	if got := get(e.plus); got != want {
		t.Errorf("configured:\n got %s\nwant %s", got, want)
	}
	// An Essentials pool may export notification errors.
	if err := e.set(e.ess, cw(notif, errLevel, logGroup)); err != nil {
		t.Fatal(err)
	}
	// Setting an empty list turns delivery off.
	if err := e.set(e.plus); err != nil {
		t.Fatal(err)
	}
	if got := get(e.plus); !strings.Contains(got, `"LogConfigurations":[]`) {
		t.Errorf("after clearing: %s", got)
	}
	_, err := e.svc.GetLogDeliveryConfiguration(ctx, &cognitoidp.GetLogDeliveryConfigurationRequest{UserPoolId: api.Ptr("us-east-1_none")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_none does not exist.")
}

func TestSetRules(t *testing.T) {
	e := newEnv(t)
	fh := cognitoidp.LogConfigurationType{EventSource: api.Ptr(activity), LogLevel: api.Ptr(info), FirehoseConfiguration: &cognitoidp.FirehoseConfigurationType{StreamArn: api.Ptr(stream)}}
	two := cw(activity, info, logGroup)
	two.S3Configuration = &cognitoidp.S3ConfigurationType{BucketArn: api.Ptr(bucket)}
	none := cognitoidp.LogConfigurationType{EventSource: api.Ptr(notif), LogLevel: api.Ptr(errLevel)}
	for _, tc := range []struct {
		name      string
		pool      string
		cfgs      []cognitoidp.LogConfigurationType
		code, msg string
	}{
		{"notification at INFO", e.plus, []cognitoidp.LogConfigurationType{cw(notif, info, logGroup)}, "InvalidParameterException", msgNotificationLevel},
		{"notification to Firehose", e.plus, []cognitoidp.LogConfigurationType{{EventSource: api.Ptr(notif), LogLevel: api.Ptr(errLevel), FirehoseConfiguration: fh.FirehoseConfiguration}}, "InvalidParameterException", msgNotificationDestination},
		{"activity at ERROR", e.plus, []cognitoidp.LogConfigurationType{cw(activity, errLevel, logGroup)}, "InvalidParameterException", msgActivityLevel},
		{"activity without Plus", e.ess, []cognitoidp.LogConfigurationType{fh}, "FeatureUnavailableInTierException", msgActivityNeedsPlus},
		{"two of a source", e.plus, []cognitoidp.LogConfigurationType{fh, cw(activity, info, logGroup)}, "InvalidParameterException", "Only one log configuration per event source is allowed: userAuthEvents."},
		{"two destinations", e.plus, []cognitoidp.LogConfigurationType{two}, "InvalidParameterException", "Log configuration 1 must have exactly one destination."},
		{"no destination", e.plus, []cognitoidp.LogConfigurationType{none}, "InvalidParameterException", "Log configuration 1 must have exactly one destination."},
		{"log group ARN of another service", e.plus, []cognitoidp.LogConfigurationType{cw(notif, errLevel, stream)}, "InvalidParameterException", stream + " is not an ARN of logs."},
		{"three entries", e.plus, []cognitoidp.LogConfigurationType{fh, fh, fh}, "InvalidParameterException", ""},
		{"unknown pool", "us-east-1_none", []cognitoidp.LogConfigurationType{fh}, "ResourceNotFoundException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, e.set(tc.pool, tc.cfgs...), tc.code, tc.msg)
		})
	}
	_, err := e.svc.SetLogDeliveryConfiguration(context.Background(), &cognitoidp.SetLogDeliveryConfigurationRequest{UserPoolId: api.Ptr(e.plus)})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'logConfigurations' failed to satisfy constraint: Member must not be null")
}

func decodeLine(t *testing.T, line string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("line %q: %v", line, err)
	}
	return m
}

func TestNotificationErrorsToFile(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Not configured: nothing is written.
	e.svc.NotificationFailed(ctx, e.ess, "EMAIL delivery failed")
	if err := e.set(e.ess, cw(notif, errLevel, logGroup)); err != nil {
		t.Fatal(err)
	}
	e.svc.NotificationFailed(ctx, e.ess, "EMAIL delivery to a***@e***.com failed: 550 mailbox unavailable")
	e.clock.Advance(time.Second)
	e.svc.NotificationFailed(ctx, e.ess, "SMS delivery failed")
	// Another pool's failures do not go there.
	e.svc.NotificationFailed(ctx, e.plus, "other pool")

	path := filepath.Join(e.dir, FileName(logGroup))
	if filepath.Base(path) != "arn_aws_logs_us-east-1_123456789012_log-group__aws_vendedlogs_app.jsonl" {
		t.Errorf("file name %s", filepath.Base(path))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), b)
	}
	want := `{"eventTimestamp":"1721237155000","eventSource":"USER_NOTIFICATION","logLevel":"ERROR","message":{"details":"EMAIL delivery to a***@e***.com failed: 550 mailbox unavailable"},"logSourceId":{"userPoolId":"` + e.ess + `"}}`
	if lines[0] != want {
		t.Errorf("line\n got %s\nwant %s", lines[0], want)
	}
	if m := decodeLine(t, lines[1]); m["eventTimestamp"] != "1721237156000" {
		t.Errorf("second line %v", m)
	}
}

func (e *env) user() *storage.User {
	return &storage.User{PoolID: e.plus, Key: "test-user", Username: "test-user", Sub: "a1b2c3d4-5678-90ab-cdef-000000000001"}
}

func event(id string) cognitoidp.AuthEventType {
	return cognitoidp.AuthEventType{
		EventId:       api.Ptr(id),
		EventType:     api.Ptr(cognitoidp.EventTypeSignin),
		CreationDate:  api.NewTime(t0),
		EventResponse: api.Ptr(cognitoidp.EventResponseTypePass),
		EventRisk: &cognitoidp.EventRiskType{RiskDecision: api.Ptr(cognitoidp.RiskDecisionTypeNorisk),
			RiskLevel: api.Ptr(cognitoidp.RiskLevelTypeLow), CompromisedCredentialsDetected: api.Ptr(false)},
		ChallengeResponses: []cognitoidp.ChallengeResponseType{{ChallengeName: api.Ptr(cognitoidp.ChallengeNamePassword), ChallengeResponse: api.Ptr(cognitoidp.ChallengeResponseSuccess)}},
		EventContextData:   &cognitoidp.EventContextDataType{IpAddress: api.Ptr("192.0.2.1"), City: api.Ptr("Seattle"), Country: api.Ptr("United States")},
	}
}

func TestUserActivityToHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := awsjson.WithInfo(context.Background(), &awsjson.RequestInfo{RequestID: "req-1"})
	up, err := pools.Load(ctx, e.store, e.plus)
	if err != nil {
		t.Fatal(err)
	}
	e.svc.AuthEvent(ctx, up, e.user(), event("ev-0")) // not configured yet
	fh := cognitoidp.LogConfigurationType{EventSource: api.Ptr(activity), LogLevel: api.Ptr(info), FirehoseConfiguration: &cognitoidp.FirehoseConfigurationType{StreamArn: api.Ptr(stream)}}
	if err := e.set(e.plus, fh); err != nil {
		t.Fatal(err)
	}
	e.svc.AuthEvent(ctx, up, e.user(), event("ev-1"))
	// Message failures are not exported without a userNotification entry.
	e.svc.NotificationFailed(ctx, e.plus, "x")

	lines := e.hook.got()
	if len(lines) != 1 {
		t.Fatalf("%d lines posted: %q", len(lines), lines)
	}
	if e.hook.types[0] != "application/json" {
		t.Errorf("content type %q", e.hook.types[0])
	}
	want := `{"eventTimestamp":"1721237155000","eventSource":"USER_ACTIVITY","logLevel":"INFO","message":{"version":"1","eventId":"ev-1","eventType":"SignIn","userSub":"a1b2c3d4-5678-90ab-cdef-000000000001","userName":"test-user","userPoolId":"` + e.plus + `","clientId":"","creationDate":"Wed Jul 17 17:25:55 UTC 2024","eventResponse":"Pass","riskLevel":"LOW","riskDecision":"PASS","challenges":[{"challengeName":"Password","challengeResponse":"Success"}],"deviceName":"","ipAddress":"192.0.2.1","requestId":"req-1","idpName":"","compromisedCredentialDetected":"false","city":"Seattle","country":"United States","eventFeedbackValue":"","eventFeedbackDate":"","eventFeedbackProvider":"","hasContextData":"true"},"logSourceId":{"userPoolId":"` + e.plus + `"}}`
	if lines[0] != want {
		t.Errorf("line\n got %s\nwant %s", lines[0], want)
	}

	// A pool no longer on Plus exports no activity.
	ess := *up
	ess.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypeEssentials)
	e.svc.AuthEvent(ctx, &ess, e.user(), event("ev-2"))
	if n := len(e.hook.got()); n != 1 {
		t.Errorf("%d lines after an Essentials pool's event", n)
	}
}

func TestStdoutSinkAndFailures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	up, _ := pools.Load(ctx, e.store, e.plus)
	s3 := cognitoidp.LogConfigurationType{EventSource: api.Ptr(activity), LogLevel: api.Ptr(info), S3Configuration: &cognitoidp.S3ConfigurationType{BucketArn: api.Ptr(bucket)}}
	if err := e.set(e.plus, s3); err != nil {
		t.Fatal(err)
	}
	e.svc.AuthEvent(ctx, up, e.user(), event("ev-std"))
	if m := decodeLine(t, strings.TrimSpace(e.stdout.String())); m["eventSource"] != "USER_ACTIVITY" {
		t.Errorf("stdout %q", e.stdout.String())
	}
	// A sink that fails does not fail the caller.
	sinks, _ := NewSinks("", []Destination{{ARN: logGroup, Target: "http://127.0.0.1:1/unreachable"}}, io.Discard, io.Discard, nil)
	s := New(Config{Store: e.store, Sinks: sinks, Clock: e.clock})
	if err := e.set(e.ess, cw(notif, errLevel, logGroup)); err != nil {
		t.Fatal(err)
	}
	s.NotificationFailed(ctx, e.ess, "x")
}

func TestSinksWithoutDirWriteToStdout(t *testing.T) {
	var out bytes.Buffer
	sinks, err := NewSinks("", nil, &out, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sinks.For(logGroup).Write(context.Background(), []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if out.String() != "{\"a\":1}\n" {
		t.Errorf("stdout %q", out.String())
	}
	if _, err := NewSinks("", []Destination{{ARN: logGroup, Target: "file:"}}, nil, nil, nil); err == nil {
		t.Error("an empty file path was accepted")
	}
	// A mapped file path, with and without the file: prefix.
	dir := t.TempDir()
	sinks, _ = NewSinks("", []Destination{{ARN: logGroup, Target: "file:" + filepath.Join(dir, "a", "x.log")}, {ARN: bucket, Target: filepath.Join(dir, "y.log")}}, nil, nil, nil)
	for _, arn := range []string{logGroup, bucket} {
		if err := sinks.For(arn).Write(context.Background(), []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{filepath.Join(dir, "a", "x.log"), filepath.Join(dir, "y.log")} {
		if b, err := os.ReadFile(p); err != nil || string(b) != "{}\n" {
			t.Errorf("%s: %q %v", p, b, err)
		}
	}
}
