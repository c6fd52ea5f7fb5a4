package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/server"
)

// countingTransport counts the HTTP requests a client sends.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// clientWith returns a User Pools client of c in region with the SDK's
// standard retries (short back-offs) and endpoint suffix path, counting its
// HTTP attempts.
func (c *cogito) clientWith(region, path string, retries bool) (*idp.Client, *countingTransport) {
	ct := &countingTransport{}
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(testAccessKey, testSecretKey, ""),
		HTTPClient:  &http.Client{Transport: ct, Timeout: 30 * time.Second},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	if retries {
		cfg.Retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 20 * time.Millisecond })
		}
	}
	return idp.NewFromConfig(cfg, func(o *idp.Options) { o.BaseEndpoint = aws.String(c.URL + path) }), ct
}

// provisioned calls GetProvisionedLimit (value 0) or UpdateProvisionedLimit
// on the wire: the aws-sdk-go-v2 client available here predates the two
// operations. It returns the HTTP status and the decoded body.
func (c *cogito) provisioned(t *testing.T, category string, value int32) (int, map[string]any) {
	t.Helper()
	op, body := "GetProvisionedLimit", `{"LimitDefinition":{"LimitClass":"API_CATEGORY","Attributes":{"Category":"`+category+`"}}`
	if value != 0 {
		op = "UpdateProvisionedLimit"
		body += `,"RequestedLimitValue":` + strconv.Itoa(int(value))
	}
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, c.URL+"/", strings.NewReader(body+"}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// limitValues returns ProvisionedLimitValue and FreeLimitValue of a Limit
// answer.
func limitValues(out map[string]any) (provisioned, free float64) {
	l, _ := out["Limit"].(map[string]any)
	provisioned, _ = l["ProvisionedLimitValue"].(float64)
	free, _ = l["FreeLimitValue"].(float64)
	return provisioned, free
}

// With enforcement on, a lowered limit throttles the requests beyond it in a
// second with TooManyRequestsException, which the SDK retries; the next
// second serves again. The clock stands still unless moved.
func TestRateLimitsEnforced(t *testing.T) {
	clk := clock.NewFake(time.Now())
	c := startOpts(t, sqliteBackend.new(t), func(cfg *config.Config) { cfg.RateLimits.Enforce = true }, server.Options{Clock: clk})
	pool := createPool(t, c, "limits", nil)

	if status, out := c.provisioned(t, "UserPoolRead", 0); status != 200 {
		t.Fatalf("GetProvisionedLimit: %d %v", status, out)
	} else if p, f := limitValues(out); p != 15 || f != 15 {
		t.Errorf("UserPoolRead limit %v", out)
	}
	if status, out := c.provisioned(t, "UserPoolRead", 2); status != 200 {
		t.Fatalf("UpdateProvisionedLimit: %d %v", status, out)
	} else if p, f := limitValues(out); p != 2 || f != 15 {
		t.Errorf("updated limit %v", out)
	}
	if status, out := c.provisioned(t, "UserMagic", 0); status != 400 || out["__type"] != "InvalidParameterException" {
		t.Errorf("unknown category: %d %v", status, out)
	}

	clk.Advance(time.Second) // a fresh second
	describe := func(cl *idp.Client) error {
		_, err := cl.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: pool.Id})
		return err
	}
	for i := range 2 {
		if err := describe(c.IDP); err != nil {
			t.Fatalf("DescribeUserPool %d within the limit: %v", i+1, err)
		}
	}
	wantClientError(t, describe(c.IDP), "TooManyRequestsException", "Rate exceeded")

	// The SDK retries throttling (its standard retryer, 3 attempts): every
	// attempt lands in the same second, so all are refused.
	retrying, attempts := c.clientWith("us-east-1", "", true)
	err := describe(retrying)
	wantClientError(t, err, "TooManyRequestsException", "Rate exceeded")
	if n := attempts.n.Load(); n != 3 {
		t.Errorf("the SDK sent %d attempts; want 3 (retries of a throttled request)", n)
	}
	// Other categories are not affected.
	if _, err := c.IDP.ListUsers(ctx(t), &idp.ListUsersInput{UserPoolId: pool.Id}); err != nil {
		t.Errorf("ListUsers: %v", err)
	}
	// The next second serves again.
	clk.Advance(time.Second)
	if err := describe(retrying); err != nil {
		t.Errorf("DescribeUserPool in the next second: %v", err)
	}
	// Pool resource operations are also held to 5 per second per pool.
	clk.Advance(time.Second)
	for i := range 5 {
		if _, err := c.IDP.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: pool.Id, GroupName: aws.String(uniq("g"))}); err != nil {
			t.Fatalf("CreateGroup %d: %v", i+1, err)
		}
	}
	_, err = c.IDP.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: pool.Id, GroupName: aws.String(uniq("g"))})
	wantClientError(t, err, "TooManyRequestsException", "Rate exceeded")
	// Limit management is never throttled.
	for range 3 {
		if status, out := c.provisioned(t, "UserPoolRead", 0); status != 200 {
			t.Errorf("GetProvisionedLimit: %d %v", status, out)
		}
	}
}

// Off by default: the limits are there to read and change, nothing is
// throttled.
func TestRateLimitsOffByDefault(t *testing.T) {
	c := start(t, sqliteBackend.new(t))
	pool := createPool(t, c, "nolimits", nil)
	if status, out := c.provisioned(t, "UserPoolRead", 1); status != 200 {
		t.Fatalf("UpdateProvisionedLimit: %d %v", status, out)
	}
	for i := range 10 {
		if _, err := c.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: pool.Id}); err != nil {
			t.Fatalf("DescribeUserPool %d: %v", i+1, err)
		}
	}
}

// sinkServer collects the lines POSTed to it.
type sinkServer struct {
	*httptest.Server
	mu    sync.Mutex
	lines []string
}

func newSinkServer(t *testing.T) *sinkServer {
	s := &sinkServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.lines = append(s.lines, string(b))
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *sinkServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("log file: %v", err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// Message-delivery errors arrive as USER_NOTIFICATION lines in the file the
// log group is mapped to; threat protection's sign-in events as USER_ACTIVITY
// lines at the HTTP endpoint the Firehose stream is mapped to.
func TestLogDeliverySinks(t *testing.T) {
	failingSMS := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer failingSMS.Close()
	sink := newSinkServer(t)
	const (
		logGroup = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/notifications"
		stream   = "arn:aws:firehose:us-east-1:000000000000:deliverystream/activity"
	)
	logFile := filepath.Join(t.TempDir(), "notifications.jsonl")
	c := startWith(t, sqliteBackend.new(t), func(cfg *config.Config) {
		cfg.Messages.SMSWebhookURL = failingSMS.URL
		cfg.LogDelivery.Destinations = []config.LogDestination{
			{ARN: logGroup, Target: "file:" + logFile},
			{ARN: stream, Target: sink.URL + "/ingest"},
		}
	})
	poolID, clientID := signInPool(t, c, "logs", &idp.CreateUserPoolInput{
		UserPoolTier:   types.UserPoolTierTypePlus,
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit},
	}, nil)

	out, err := c.IDP.SetLogDeliveryConfiguration(ctx(t), &idp.SetLogDeliveryConfigurationInput{
		UserPoolId: &poolID,
		LogConfigurations: []types.LogConfigurationType{
			{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError,
				CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(logGroup)}},
			{EventSource: types.EventSourceNameUserAuthEvents, LogLevel: types.LogLevelInfo,
				FirehoseConfiguration: &types.FirehoseConfigurationType{StreamArn: aws.String(stream)}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.LogDeliveryConfiguration.LogConfigurations) != 2 {
		t.Errorf("configuration %s", asJSON(t, out))
	}
	got, err := c.IDP.GetLogDeliveryConfiguration(ctx(t), &idp.GetLogDeliveryConfigurationInput{UserPoolId: &poolID})
	if err != nil || asJSON(t, got.LogDeliveryConfiguration) != asJSON(t, out.LogDeliveryConfiguration) {
		t.Errorf("GetLogDeliveryConfiguration %s, %v", asJSON(t, got), err)
	}

	// An SMS that cannot be delivered (the webhook answers 503).
	_, _ = c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{
		UserPoolId: &poolID, Username: aws.String("sam"),
		UserAttributes:         attrList("phone_number", "+15555550100"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeSms},
	})
	lines := readLines(t, logFile)
	if len(lines) != 1 {
		t.Fatalf("%d notification lines; want 1", len(lines))
	}
	l := lines[0]
	msg, _ := l["message"].(map[string]any)
	src, _ := l["logSourceId"].(map[string]any)
	if l["eventSource"] != "USER_NOTIFICATION" || l["logLevel"] != "ERROR" || src["userPoolId"] != poolID ||
		!strings.Contains(msg["details"].(string), "SMS message to") || strings.Contains(msg["details"].(string), "5550100") {
		t.Errorf("notification line %v", l)
	}

	// A sign-in in the pool with threat protection.
	adminCreateConfirmed(t, c, poolID, "ada", "Passw0rd!")
	if _, err := adminPasswordAuth(t, c, poolID, clientID, "ada", "Passw0rd!"); err != nil {
		t.Fatalf("AdminInitiateAuth: %v", err)
	}
	var activity []map[string]any
	for _, raw := range sink.got() {
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("posted %q: %v", raw, err)
		}
		activity = append(activity, m)
	}
	if len(activity) == 0 {
		t.Fatal("no user-activity line arrived at the HTTP sink")
	}
	last := activity[len(activity)-1]
	am, _ := last["message"].(map[string]any)
	if last["eventSource"] != "USER_ACTIVITY" || last["logLevel"] != "INFO" || am["eventType"] != "SignIn" ||
		am["userName"] != "ada" || am["userPoolId"] != poolID || am["eventResponse"] != "Pass" || am["ipAddress"] != "127.0.0.1" {
		t.Errorf("activity line %v", last)
	}
}

// Terms documents through the SDK.
func TestTermsOperations(t *testing.T) {
	c := start(t, sqliteBackend.new(t))
	pool := createPool(t, c, "terms", nil)
	cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: pool.Id})
	created, err := c.IDP.CreateTerms(ctx(t), &idp.CreateTermsInput{
		UserPoolId: pool.Id, ClientId: cl.ClientId, TermsName: aws.String("terms-of-use"),
		TermsSource: types.TermsSourceTypeLink, Enforcement: types.TermsEnforcementTypeNone,
		Links: map[string]string{"cognito:default": "https://example.com/terms"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := created.Terms.TermsId
	if aws.ToString(created.Terms.ClientId) != aws.ToString(cl.ClientId) || !near(created.Terms.CreationDate, time.Minute) {
		t.Errorf("created %s", asJSON(t, created.Terms))
	}
	_, err = c.IDP.CreateTerms(ctx(t), &idp.CreateTermsInput{
		UserPoolId: pool.Id, ClientId: cl.ClientId, TermsName: aws.String("terms-of-use"),
		TermsSource: types.TermsSourceTypeLink, Enforcement: types.TermsEnforcementTypeNone,
		Links: map[string]string{"cognito:default": "https://example.com/t2"},
	})
	wantClientError(t, err, "TermsExistsException")
	upd, err := c.IDP.UpdateTerms(ctx(t), &idp.UpdateTermsInput{UserPoolId: pool.Id, TermsId: id,
		Links: map[string]string{"cognito:default": "https://example.com/terms", "cognito:spanish": "https://example.com/es/terms"}})
	if err != nil || len(upd.Terms.Links) != 2 {
		t.Fatalf("UpdateTerms %v %v", upd, err)
	}
	list, err := c.IDP.ListTerms(ctx(t), &idp.ListTermsInput{UserPoolId: pool.Id})
	if err != nil || len(list.Terms) != 1 || aws.ToString(list.Terms[0].TermsName) != "terms-of-use" {
		t.Fatalf("ListTerms %s %v", asJSON(t, list), err)
	}
	if _, err := c.IDP.DeleteTerms(ctx(t), &idp.DeleteTermsInput{UserPoolId: pool.Id, TermsId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.IDP.DescribeTerms(ctx(t), &idp.DescribeTermsInput{UserPoolId: pool.Id, TermsId: id})
	wantClientError(t, err, "ResourceNotFoundException")
}

// A replica in a Region the server serves: lifecycle, ReplicaRegions, and a
// secondary's restrictions for requests sent to its Region (signed calls by
// their credential scope, unsigned ones by the endpoint's path).
func TestReplicas(t *testing.T) {
	clk := &clock.Offset{}
	c := startOpts(t, sqliteBackend.new(t), func(cfg *config.Config) { cfg.ReplicaRegions = []string{"eu-west-1"} }, server.Options{Clock: clk})
	poolID, clientID := signInPool(t, c, "replicated", nil, nil)
	adminCreateConfirmed(t, c, poolID, "ivy", "Passw0rd!")

	_, err := c.IDP.CreateUserPoolReplica(ctx(t), &idp.CreateUserPoolReplicaInput{UserPoolId: &poolID, RegionName: aws.String("sa-east-1")})
	wantClientError(t, err, "InvalidParameterException")
	created, err := c.IDP.CreateUserPoolReplica(ctx(t), &idp.CreateUserPoolReplicaInput{UserPoolId: &poolID, RegionName: aws.String("eu-west-1"),
		UserPoolTags: map[string]string{"site": "dublin"}})
	if err != nil {
		t.Fatal(err)
	}
	r := created.UserPoolReplica
	if r.Status != types.ReplicaStatusTypeCreating || r.Role != types.ReplicaRoleTypeSecondary ||
		aws.ToString(r.UserPoolArn) != "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/"+poolID {
		t.Errorf("created %s", asJSON(t, r))
	}
	clk.Advance(5 * time.Second)
	list, err := c.IDP.ListUserPoolReplicas(ctx(t), &idp.ListUserPoolReplicasInput{UserPoolId: &poolID})
	if err != nil || len(list.UserPoolReplicas) != 2 || list.UserPoolReplicas[0].Role != types.ReplicaRoleTypePrimary ||
		list.UserPoolReplicas[1].Status != types.ReplicaStatusTypeInactive {
		t.Fatalf("ListUserPoolReplicas %s %v", asJSON(t, list), err)
	}
	pools, err := c.IDP.ListUserPools(ctx(t), &idp.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pools.UserPools {
		if aws.ToString(p.Id) == poolID && (len(p.ReplicaRegions) != 1 || p.ReplicaRegions[0] != "eu-west-1") {
			t.Errorf("ListUserPools ReplicaRegions %v", p.ReplicaRegions)
		}
	}
	tags, err := c.IDP.ListTagsForResource(ctx(t), &idp.ListTagsForResourceInput{ResourceArn: r.UserPoolArn})
	if err != nil || tags.Tags["site"] != "dublin" {
		t.Errorf("replica tags %v %v", tags, err)
	}

	eu, _ := c.clientWith("eu-west-1", "", false)                 // signed: the credential scope says eu-west-1
	euPublic, _ := c.clientWith("us-east-1", "/eu-west-1", false) // unsigned calls: the path says it
	// INACTIVE: administrator reads, no end users.
	if _, err := eu.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: &poolID}); err != nil {
		t.Errorf("DescribeUserPool in the inactive replica: %v", err)
	}
	_, err = euPublic.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": "Passw0rd!"}})
	wantClientError(t, err, "OperationNotEnabledException")

	if _, err := c.IDP.UpdateUserPoolReplica(ctx(t), &idp.UpdateUserPoolReplicaInput{UserPoolId: &poolID, RegionName: aws.String("eu-west-1"),
		Status: types.UpdateReplicaStatusTypeActive}); err != nil {
		t.Fatal(err)
	}
	// ACTIVE: users sign in there; nothing writes users or configuration.
	out, err := euPublic.InitiateAuth(ctx(t), &idp.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": "Passw0rd!"}})
	res := tokens(t, "InitiateAuth in the replica", out, err)
	if _, err := euPublic.GetUser(ctx(t), &idp.GetUserInput{AccessToken: res.AccessToken}); err != nil {
		t.Errorf("GetUser in the replica: %v", err)
	}
	_, err = euPublic.UpdateUserAttributes(ctx(t), &idp.UpdateUserAttributesInput{AccessToken: res.AccessToken, UserAttributes: attrList("name", "Ivy")})
	wantClientError(t, err, "OperationNotEnabledException")
	_, err = euPublic.SignUp(ctx(t), &idp.SignUpInput{ClientId: &clientID, Username: aws.String("new"), Password: aws.String("Passw0rd!")})
	wantClientError(t, err, "OperationNotEnabledException")
	_, err = eu.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("new")})
	wantClientError(t, err, "OperationNotEnabledException")
	_, err = eu.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("g")})
	wantClientError(t, err, "OperationNotEnabledException")
	// The primary Region still takes writes.
	adminCreate(t, c, poolID, "new")

	del, err := c.IDP.DeleteUserPoolReplica(ctx(t), &idp.DeleteUserPoolReplicaInput{UserPoolId: &poolID, RegionName: aws.String("eu-west-1")})
	if err != nil || del.UserPoolReplica.Status != types.ReplicaStatusTypeDeleting {
		t.Fatalf("DeleteUserPoolReplica %v %v", del, err)
	}
	clk.Advance(5 * time.Second)
	list, err = c.IDP.ListUserPoolReplicas(ctx(t), &idp.ListUserPoolReplicasInput{UserPoolId: &poolID})
	if err != nil || len(list.UserPoolReplicas) != 1 {
		t.Errorf("after deletion %s %v", asJSON(t, list), err)
	}
	// With no replica left, the Region is served as before.
	adminCreate(t, c, poolID, "later")
}
