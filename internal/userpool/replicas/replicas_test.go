package replicas

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const account = "123456789012"

type env struct {
	svc   *Service
	store *sqlstore.Store
	clock *clock.Fake
	pools *pools.Service
	pool  string // Essentials
	lite  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	e := &env{store: st, clock: clk,
		svc:   New(Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: account, Regions: []string{"eu-west-1", "ap-southeast-2"}}),
		pools: pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: account}),
	}
	e.pool = e.createPool(t, cognitoidp.UserPoolTierTypeEssentials)
	e.lite = e.createPool(t, cognitoidp.UserPoolTierTypeLite)
	if err := st.CreateClient(context.Background(), &storage.Client{PoolID: e.pool, ID: "appclient1", Name: "app", CreatedAt: t0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) createPool(t *testing.T, tier cognitoidp.UserPoolTierType) string {
	t.Helper()
	out, err := e.pools.CreateUserPool(context.Background(), &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr(string(tier)), UserPoolTier: api.Ptr(tier)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPool.Id
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok || e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error %v; want %s %q", err, code, msg)
	}
}

func (e *env) create(t *testing.T, region string, tags map[string]string) cognitoidp.UserPoolReplicaType {
	t.Helper()
	out, err := e.svc.CreateUserPoolReplica(context.Background(), &cognitoidp.CreateUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool), RegionName: api.Ptr(region), UserPoolTags: tags})
	if err != nil {
		t.Fatalf("CreateUserPoolReplica: %v", err)
	}
	return *out.UserPoolReplica
}

func (e *env) update(region string, status cognitoidp.UpdateReplicaStatusType) (*cognitoidp.UpdateUserPoolReplicaResponse, error) {
	return e.svc.UpdateUserPoolReplica(context.Background(), &cognitoidp.UpdateUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool), RegionName: api.Ptr(region), Status: api.Ptr(status)})
}

func (e *env) listed(t *testing.T) string {
	t.Helper()
	out, err := e.svc.ListUserPoolReplicas(context.Background(), &cognitoidp.ListUserPoolReplicasRequest{UserPoolId: api.Ptr(e.pool)})
	if err != nil {
		t.Fatal(err)
	}
	s := ""
	for _, r := range out.UserPoolReplicas {
		s += *r.RegionName + ":" + string(*r.Role) + ":" + string(*r.Status) + " "
	}
	return s
}

func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	got := e.create(t, "eu-west-1", map[string]string{"team": "eu"})
	b, _ := json.Marshal(got)
	if want := `{"RegionName":"eu-west-1","Status":"CREATING","Role":"SECONDARY","UserPoolArn":"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/` + e.pool + `"}`; string(b) != want {
		t.Errorf("created\n got %s\nwant %s", b, want)
	}
	if got := e.listed(t); got != "us-east-1:PRIMARY:ACTIVE eu-west-1:SECONDARY:CREATING " {
		t.Errorf("listed %q", got)
	}
	// Not yet usable.
	_, err := e.update("eu-west-1", cognitoidp.UpdateReplicaStatusTypeActive)
	wantErr(t, err, "InvalidParameterException", "The replica in eu-west-1 is CREATING.")

	e.clock.Advance(TransitionDelay)
	if got := e.listed(t); got != "us-east-1:PRIMARY:ACTIVE eu-west-1:SECONDARY:INACTIVE " {
		t.Errorf("after the transition: %q", got)
	}
	out, err := e.update("eu-west-1", cognitoidp.UpdateReplicaStatusTypeActive)
	if err != nil {
		t.Fatal(err)
	}
	if *out.UserPoolReplica.Status != cognitoidp.ReplicaStatusTypeActive || *out.UserPoolReplica.Role != cognitoidp.ReplicaRoleTypeSecondary {
		t.Errorf("updated %+v", out.UserPoolReplica)
	}
	e.create(t, "ap-southeast-2", nil)
	if regions, _ := e.svc.ReplicaRegions(ctx, e.pool); len(regions) != 2 || regions[0] != "ap-southeast-2" || regions[1] != "eu-west-1" {
		t.Errorf("ReplicaRegions %v", regions)
	}
	if regions, _ := e.svc.ReplicaRegions(ctx, e.lite); len(regions) != 0 {
		t.Errorf("ReplicaRegions of a pool without replicas %v", regions)
	}
	// The replica's tags are its own.
	if tags, _ := e.store.GetTags(ctx, e.svc.ARN(e.pool, "eu-west-1")); tags["team"] != "eu" {
		t.Errorf("replica tags %v", tags)
	}

	del, err := e.svc.DeleteUserPoolReplica(ctx, &cognitoidp.DeleteUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool), RegionName: api.Ptr("eu-west-1")})
	if err != nil {
		t.Fatal(err)
	}
	if *del.UserPoolReplica.Status != cognitoidp.ReplicaStatusTypeDeleting {
		t.Errorf("deleted %+v", del.UserPoolReplica)
	}
	// Deleting again while DELETING answers the same.
	if del, err := e.svc.DeleteUserPoolReplica(ctx, &cognitoidp.DeleteUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool), RegionName: api.Ptr("eu-west-1")}); err != nil || *del.UserPoolReplica.Status != cognitoidp.ReplicaStatusTypeDeleting {
		t.Errorf("second delete: %v %v", del, err)
	}
	_, err = e.update("eu-west-1", cognitoidp.UpdateReplicaStatusTypeInactive)
	wantErr(t, err, "InvalidParameterException", "The replica in eu-west-1 is DELETING.")
	_, err = e.svc.CreateUserPoolReplica(ctx, &cognitoidp.CreateUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool), RegionName: api.Ptr("eu-west-1")})
	wantErr(t, err, "InvalidParameterException", "The user pool already has a replica in eu-west-1.")

	e.clock.Advance(TransitionDelay)
	if got := e.listed(t); got != "us-east-1:PRIMARY:ACTIVE ap-southeast-2:SECONDARY:INACTIVE " {
		t.Errorf("after deletion: %q", got)
	}
	if tags, _ := e.store.GetTags(ctx, e.svc.ARN(e.pool, "eu-west-1")); len(tags) != 0 {
		t.Errorf("tags of a deleted replica %v", tags)
	}
	_, err = e.update("eu-west-1", cognitoidp.UpdateReplicaStatusTypeActive)
	wantErr(t, err, "ResourceNotFoundException", "User pool "+e.pool+" has no replica in eu-west-1.")
	// The Region is free again.
	e.create(t, "eu-west-1", nil)
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	create := func(pool, region string) error {
		_, err := e.svc.CreateUserPoolReplica(ctx, &cognitoidp.CreateUserPoolReplicaRequest{UserPoolId: api.Ptr(pool), RegionName: api.Ptr(region)})
		return err
	}
	wantErr(t, create(e.lite, "eu-west-1"), "FeatureUnavailableInTierException", msgNeedsPlan)
	wantErr(t, create(e.pool, "us-east-1"), "InvalidParameterException", "us-east-1 is the primary region of the user pool.")
	wantErr(t, create(e.pool, "sa-east-1"), "InvalidParameterException", "Replicas cannot be created in region sa-east-1.")
	wantErr(t, create("us-east-1_none", "eu-west-1"), "ResourceNotFoundException", "User pool us-east-1_none does not exist.")
	wantErr(t, create(e.pool, "eu"), "InvalidParameterException", "1 validation error detected: Value 'eu' at 'regionName' failed to satisfy constraint: Member must have length greater than or equal to 5")
	wantErr(t, create("bad pool", "eu-west-1"), "InvalidParameterException", "")
	_, err := e.svc.CreateUserPoolReplica(ctx, &cognitoidp.CreateUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool)})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'regionName' failed to satisfy constraint: Member must not be null")

	_, err = e.update("us-east-1", cognitoidp.UpdateReplicaStatusTypeInactive)
	wantErr(t, err, "InvalidParameterException", msgPrimaryStatus)
	_, err = e.update("eu-west-1", cognitoidp.UpdateReplicaStatusTypeActive)
	wantErr(t, err, "ResourceNotFoundException", "")
	_, err = e.update("eu-west-1", cognitoidp.UpdateReplicaStatusType("CREATING"))
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.svc.DeleteUserPoolReplica(ctx, &cognitoidp.DeleteUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool), RegionName: api.Ptr("eu-west-1")})
	wantErr(t, err, "ResourceNotFoundException", "")
	_, err = e.svc.DeleteUserPoolReplica(ctx, &cognitoidp.DeleteUserPoolReplicaRequest{UserPoolId: api.Ptr(e.pool), RegionName: api.Ptr("us-east-1")})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.svc.ListUserPoolReplicas(ctx, &cognitoidp.ListUserPoolReplicasRequest{UserPoolId: api.Ptr(e.pool), NextToken: api.Ptr("x")})
	wantErr(t, err, "InvalidParameterException", "Invalid NextToken.")
	_, err = e.svc.ListUserPoolReplicas(ctx, &cognitoidp.ListUserPoolReplicasRequest{UserPoolId: api.Ptr("us-east-1_none")})
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestEveryOperationClassified(t *testing.T) {
	known := map[string]bool{}
	for _, op := range cognitoidp.OperationNames {
		known[op] = true
		if _, ok := classes[op]; !ok {
			t.Errorf("%s is not classified", op)
		}
	}
	for op := range classes {
		if !known[op] {
			t.Errorf("classes names %s, which the API does not have", op)
		}
	}
}

func TestRequestRegion(t *testing.T) {
	for _, tc := range []struct {
		url, host, auth, want string
	}{
		{"/", "localhost:9229", "", ""},
		{"/", "localhost", "AWS4-HMAC-SHA256 Credential=AKID/20250301/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=abc", "eu-west-1"},
		{"/eu-west-1", "localhost", "", "eu-west-1"},
		{"/ap-southeast-2/", "localhost", "", "ap-southeast-2"},
		{"/us-gov-west-1", "localhost", "", "us-gov-west-1"},
		{"/us-east-1_abc/.well-known/jwks.json", "localhost", "", ""},
		{"/", "cognito-idp.eu-central-1.amazonaws.com", "", "eu-central-1"},
		{"/", "cognito-idp.eu-central-1.localhost:9229", "", "eu-central-1"},
		{"/", "cognito-identity.eu-central-1.amazonaws.com", "", ""},
		{"/", "localhost", "Bearer x", ""},
	} {
		r := httptest.NewRequest("POST", tc.url, nil)
		r.Host = tc.host
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		if got := RequestRegion(r); got != tc.want {
			t.Errorf("%s %s %q: %q; want %q", tc.url, tc.host, tc.auth, got, tc.want)
		}
	}
}

// token is an unsigned JWT whose iss names pool.
func token(pool string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(`{"iss":"http://127.0.0.1:9229/`+pool+`"}`)) + ".sig"
}

func TestCheck(t *testing.T) {
	e := newEnv(t)
	in := func(region string) func(op string, k Request) error {
		return func(op string, k Request) error {
			r := httptest.NewRequest("POST", "/"+region, nil)
			return e.svc.Check(r, op, func() Request { return k })
		}
	}
	eu, home, ap := in("eu-west-1"), in("us-east-1"), in("ap-southeast-2")
	byPool := Request{UserPoolID: e.pool}
	byClient := Request{ClientID: "appclient1"}
	byToken := Request{AccessToken: token(e.pool)}
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Errorf("refused: %v", err)
		}
	}
	refused := func(err error, msg string) {
		t.Helper()
		wantErr(t, err, "OperationNotEnabledException", msg)
	}

	// No replica in eu-west-1 yet: served as before.
	ok(eu("AdminCreateUser", byPool))
	e.create(t, "eu-west-1", nil)
	// CREATING: nothing but exempt operations.
	refused(eu("DescribeUserPool", byPool), "The replica user pool in eu-west-1 is CREATING.")
	ok(eu("ListUserPoolReplicas", byPool))
	e.clock.Advance(TransitionDelay)

	// INACTIVE: administrator reads only.
	ok(eu("DescribeUserPool", byPool))
	ok(eu("AdminGetUser", byPool))
	refused(eu("InitiateAuth", byClient), "The replica user pool in eu-west-1 is inactive.")
	refused(eu("GetUser", byToken), "The replica user pool in eu-west-1 is inactive.")
	refused(eu("UpdateUserPool", byPool), "UpdateUserPool is not supported on a secondary replica user pool.")

	if _, err := e.update("eu-west-1", cognitoidp.UpdateReplicaStatusTypeActive); err != nil {
		t.Fatal(err)
	}
	// ACTIVE: reads and sign-in; no user or configuration writes.
	for _, op := range []string{"InitiateAuth", "RespondToAuthChallenge", "GetTokensFromRefreshToken", "RevokeToken"} {
		ok(eu(op, byClient))
	}
	ok(eu("GetUser", byToken))
	ok(eu("GlobalSignOut", byToken))
	ok(eu("AdminInitiateAuth", byPool))
	ok(eu("ListUsers", byPool))
	for op, k := range map[string]Request{
		"SignUp": byClient, "ConfirmSignUp": byClient, "ForgotPassword": byClient,
		"UpdateUserAttributes": byToken, "ChangePassword": byToken, "DeleteUser": byToken,
		"AdminCreateUser": byPool, "AdminSetUserPassword": byPool, "AdminUpdateUserAttributes": byPool, "AdminDeleteUser": byPool,
		"CreateUserPoolClient": byPool, "CreateGroup": byPool, "UpdateUserPool": byPool,
	} {
		refused(eu(op, k), op+" is not supported on a secondary replica user pool.")
	}
	// The primary Region and Regions without a replica serve everything.
	ok(home("AdminCreateUser", byPool))
	ok(ap("AdminCreateUser", byPool))
	// Another pool, and requests naming no pool, are unaffected.
	ok(eu("AdminCreateUser", Request{UserPoolID: e.lite}))
	ok(eu("CreateUserPool", Request{}))
	ok(eu("SignUp", Request{ClientID: "unknownclient"}))
	// Without a Region in the request nothing is checked (the body is not
	// even read).
	r := httptest.NewRequest("POST", "/", nil)
	if err := e.svc.Check(r, "AdminCreateUser", func() Request { t.Error("keys read for a request to the home Region"); return byPool }); err != nil {
		t.Error(err)
	}
}

func TestReplicaTags(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	h := &cognitoidp.Handlers{}
	e.pools.Register(h)
	e.svc.WrapTags(h)
	e.create(t, "eu-west-1", map[string]string{"where": "eu"})
	primary := pools.ARN("us-east-1", account, e.pool)
	replica := e.svc.ARN(e.pool, "eu-west-1")
	if _, err := h.TagResource(ctx, &cognitoidp.TagResourceRequest{ResourceArn: api.Ptr(primary), Tags: map[string]string{"where": "us"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.TagResource(ctx, &cognitoidp.TagResourceRequest{ResourceArn: api.Ptr(replica), Tags: map[string]string{"cost": "1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.UntagResource(ctx, &cognitoidp.UntagResourceRequest{ResourceArn: api.Ptr(replica), TagKeys: []string{"where"}}); err != nil {
		t.Fatal(err)
	}
	list := func(arn string) map[string]string {
		t.Helper()
		out, err := h.ListTagsForResource(ctx, &cognitoidp.ListTagsForResourceRequest{ResourceArn: api.Ptr(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return out.Tags
	}
	if got := list(primary); len(got) != 1 || got["where"] != "us" {
		t.Errorf("primary tags %v", got)
	}
	if got := list(replica); len(got) != 1 || got["cost"] != "1" {
		t.Errorf("replica tags %v", got)
	}
	// An ARN in a Region without a replica is the pools family's (not found).
	_, err := h.ListTagsForResource(ctx, &cognitoidp.ListTagsForResourceRequest{ResourceArn: api.Ptr(e.svc.ARN(e.pool, "ap-southeast-2"))})
	wantErr(t, err, "ResourceNotFoundException", "")
}
