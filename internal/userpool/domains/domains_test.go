package domains

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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

const (
	certA = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
	certB = "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000"
)

type env struct {
	svc         *Service
	pools       *pools.Service
	store       *sqlstore.Store
	clock       *clock.Fake
	pool, other string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	e := &env{store: st, clock: clk}
	e.svc = New(Config{Store: st, Clock: clk, Region: "us-west-2", AccountID: "123456789012"})
	e.pools = pools.New(pools.Config{Store: st, Clock: clk, Region: "us-west-2", AccountID: "123456789012",
		Domains: e.svc.PoolDomains, BeforeDelete: e.svc.BeforePoolDelete})
	e.pool = e.createPool(t, "main", "")
	e.other = e.createPool(t, "other", "")
	return e
}

func (e *env) createPool(t *testing.T, name string, tier cognitoidp.UserPoolTierType) string {
	t.Helper()
	in := &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr(name)}
	if tier != "" {
		in.UserPoolTier = api.Ptr(tier)
	}
	out, err := e.pools.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserPool.Id
}

func (e *env) create(t *testing.T, poolID, name, cert string) *cognitoidp.CreateUserPoolDomainResponse {
	t.Helper()
	in := &cognitoidp.CreateUserPoolDomainRequest{UserPoolId: api.Ptr(poolID), Domain: api.Ptr(name)}
	if cert != "" {
		in.CustomDomainConfig = &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(cert)}
	}
	out, err := e.svc.CreateUserPoolDomain(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateUserPoolDomain(%q): %v", name, err)
	}
	return out
}

func (e *env) describe(t *testing.T, name string) *cognitoidp.DomainDescriptionType {
	t.Helper()
	out, err := e.svc.DescribeUserPoolDomain(context.Background(), &cognitoidp.DescribeUserPoolDomainRequest{Domain: api.Ptr(name)})
	if err != nil {
		t.Fatalf("DescribeUserPoolDomain(%q): %v", name, err)
	}
	return out.DomainDescription
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

func TestPrefixDomainLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	out := e.create(t, e.pool, "my-app-1", "")
	if diff := cmp.Diff(&cognitoidp.CreateUserPoolDomainResponse{ManagedLoginVersion: api.Ptr(int32(1))}, out); diff != "" {
		t.Errorf("CreateUserPoolDomain (-want +got):\n%s", diff)
	}
	want := &cognitoidp.DomainDescriptionType{
		UserPoolId: api.Ptr(e.pool), AWSAccountId: api.Ptr("123456789012"), Domain: api.Ptr("my-app-1"),
		S3Bucket: api.Ptr("aws-cognito-prod-pdx-assets"), CloudFrontDistribution: api.Ptr(cloudFrontDomain("my-app-1")),
		Version: api.Ptr("20250301120000"), Status: api.Ptr(cognitoidp.DomainStatusTypeActive),
		ManagedLoginVersion: api.Ptr(int32(1)),
	}
	if diff := cmp.Diff(want, e.describe(t, "my-app-1")); diff != "" {
		t.Errorf("DescribeUserPoolDomain (-want +got):\n%s", diff)
	}
	up, err := e.pools.DescribeUserPool(ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr(e.pool)})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(up.UserPool.Domain) != "my-app-1" || up.UserPool.CustomDomain != nil {
		t.Errorf("DescribeUserPool Domain = %v, CustomDomain = %v", up.UserPool.Domain, up.UserPool.CustomDomain)
	}

	// Update to managed login (version 2) and back.
	uo, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("my-app-1"), ManagedLoginVersion: api.Ptr(int32(2))})
	if err != nil {
		t.Fatal(err)
	}
	if *uo.ManagedLoginVersion != 2 || uo.CloudFrontDomain != nil {
		t.Errorf("UpdateUserPoolDomain = %+v", uo)
	}
	if d := e.describe(t, "my-app-1"); *d.ManagedLoginVersion != 2 {
		t.Errorf("ManagedLoginVersion after update = %d", *d.ManagedLoginVersion)
	}
	// Omitting the version keeps it.
	if _, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("my-app-1")}); err != nil {
		t.Fatal(err)
	}
	if d := e.describe(t, "my-app-1"); *d.ManagedLoginVersion != 2 {
		t.Errorf("ManagedLoginVersion after an empty update = %d", *d.ManagedLoginVersion)
	}

	// The pool can't be deleted while it has a domain.
	_, err = e.pools.DeleteUserPool(ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: api.Ptr(e.pool)})
	wantErr(t, err, "InvalidParameterException", "User pool cannot be deleted. It has a domain configured that should be deleted first.")

	if _, err := e.svc.DeleteUserPoolDomain(ctx, &cognitoidp.DeleteUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("my-app-1")}); err != nil {
		t.Fatal(err)
	}
	if d := e.describe(t, "my-app-1"); !cmp.Equal(d, &cognitoidp.DomainDescriptionType{}) {
		t.Errorf("describe after delete = %+v", d)
	}
	// The name is free again, for any pool.
	e.create(t, e.other, "my-app-1", "")
	if _, err := e.pools.DeleteUserPool(ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: api.Ptr(e.pool)}); err != nil {
		t.Errorf("DeleteUserPool without domains: %v", err)
	}
}

func TestCustomDomain(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.create(t, e.pool, "prefix-one", "")
	out := e.create(t, e.pool, "auth.example.com", certA)
	cf := api.Deref(out.CloudFrontDomain)
	if !strings.HasPrefix(cf, "d") || !strings.HasSuffix(cf, ".cloudfront.net") || len(cf) != len("d111111abcdef8.cloudfront.net") {
		t.Errorf("CloudFrontDomain = %q", cf)
	}
	if cf != cloudFrontDomain("auth.example.com") || cf == cloudFrontDomain("auth2.example.com") {
		t.Errorf("CloudFrontDomain is not a stable function of the name")
	}
	d := e.describe(t, "auth.example.com")
	if *d.UserPoolId != e.pool || *d.CloudFrontDistribution != cf || *d.CustomDomainConfig.CertificateArn != certA || *d.Status != "ACTIVE" {
		t.Errorf("describe = %+v", d)
	}
	up, err := e.pools.DescribeUserPool(ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr(e.pool)})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(up.UserPool.Domain) != "prefix-one" || api.Deref(up.UserPool.CustomDomain) != "auth.example.com" {
		t.Errorf("DescribeUserPool Domain = %v, CustomDomain = %v", up.UserPool.Domain, up.UserPool.CustomDomain)
	}

	// A new certificate and TLS policy.
	uo, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("auth.example.com"),
		CustomDomainConfig: &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(certB), SecurityPolicy: api.Ptr(cognitoidp.SecurityPolicyTypeTlsV122021)}})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(uo.CloudFrontDomain) != cf || *uo.ManagedLoginVersion != 1 {
		t.Errorf("UpdateUserPoolDomain = %+v", uo)
	}
	d = e.describe(t, "auth.example.com")
	if *d.CustomDomainConfig.CertificateArn != certB || *d.CustomDomainConfig.SecurityPolicy != cognitoidp.SecurityPolicyTypeTlsV122021 {
		t.Errorf("after update: %+v", d.CustomDomainConfig)
	}

	// A certificate for a prefix domain is refused.
	_, err = e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("prefix-one"),
		CustomDomainConfig: &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(certB)}})
	wantErr(t, err, "InvalidParameterException", msgNotCustom)

	ds, err := ForPool(ctx, e.store, e.pool)
	if err != nil || len(ds) != 2 || ds[0].Kind != Prefix || ds[1].Kind != Custom || ds[1].Host("us-west-2") != "auth.example.com" ||
		ds[0].Host("us-west-2") != "prefix-one.auth.us-west-2.amazoncognito.com" {
		t.Errorf("ForPool = %+v, %v", ds, err)
	}
}

func TestFindPool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.create(t, e.pool, "login", "")
	e.create(t, e.other, "auth.example.com", certA)
	for _, tc := range []struct {
		host, pool string
		kind       Kind
	}{
		{"login.auth.us-west-2.amazoncognito.com", e.pool, Prefix},
		{"LOGIN.auth.us-west-2.amazoncognito.com:443", e.pool, Prefix},
		{"login.auth-fips.us-gov-west-1.amazoncognito.com.", e.pool, Prefix},
		{"auth.example.com", e.other, Custom},
		{"Auth.Example.com:8443", e.other, Custom},
		{"[::1]:9229", "", ""},
		{"login", "", ""}, // a bare prefix is not a host
		{"nobody.auth.us-west-2.amazoncognito.com", "", ""},
		{"auth.example.com.auth.us-east-1.amazoncognito.com", "", ""},
		{"", "", ""},
	} {
		d, err := FindPool(ctx, e.store, tc.host)
		if tc.pool == "" {
			if !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("FindPool(%q) = %+v, %v; want ErrNotFound", tc.host, d, err)
			}
			continue
		}
		if err != nil || d.PoolID != tc.pool || d.Kind != tc.kind {
			t.Errorf("FindPool(%q) = %+v, %v; want pool %s %s", tc.host, d, err, tc.pool, tc.kind)
		}
	}
	d, err := Lookup(ctx, e.store, "login")
	if err != nil || d.PoolID != e.pool || d.ManagedLoginVersion != 1 {
		t.Errorf("Lookup = %+v, %v", d, err)
	}
}

func TestDomainErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lite := e.createPool(t, "lite", cognitoidp.UserPoolTierTypeLite)
	e.create(t, e.pool, "taken", "")
	e.create(t, e.other, "auth.taken.example", certA)
	create := func(pool, name string, cfg *cognitoidp.CustomDomainConfigType, version *int32) error {
		_, err := e.svc.CreateUserPoolDomain(ctx, &cognitoidp.CreateUserPoolDomainRequest{
			UserPoolId: api.Ptr(pool), Domain: api.Ptr(name), CustomDomainConfig: cfg, ManagedLoginVersion: version})
		return err
	}
	cert := func(arn string) *cognitoidp.CustomDomainConfigType {
		return &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(arn)}
	}
	for _, tc := range []struct {
		name      string
		err       error
		code, msg string
	}{
		{"taken by another pool", create(e.other, "taken", nil, nil), "InvalidParameterException", msgDomainTaken},
		{"custom taken by another pool", create(e.pool, "auth.taken.example", cert(certB), nil), "InvalidParameterException", msgDomainTaken},
		{"second prefix", create(e.pool, "another", nil, nil), "InvalidParameterException", msgPoolHasDomain},
		{"second prefix, same name", create(e.pool, "taken", nil, nil), "InvalidParameterException", msgPoolHasDomain},
		{"second custom", create(e.other, "login.example.org", cert(certB), nil), "InvalidParameterException", msgPoolHasDomain},
		{"reserved aws", create(lite, "my-aws-app", nil, nil), "InvalidParameterException", "Domain cannot contain reserved word: aws"},
		{"reserved amazon", create(lite, "amazonian", nil, nil), "InvalidParameterException", "Domain cannot contain reserved word: amazon"},
		{"reserved cognito", create(lite, "mycognito", nil, nil), "InvalidParameterException", "Domain cannot contain reserved word: cognito"},
		{"upper case", create(lite, "MyApp", nil, nil), "InvalidParameterException", msgInvalidPrefix},
		{"dot without certificate", create(lite, "auth.example.net", nil, nil), "InvalidParameterException", msgInvalidPrefix},
		{"leading hyphen", create(lite, "-app", nil, nil), "InvalidParameterException", msgInvalidPrefix},
		{"too long", create(lite, strings.Repeat("a", 64), nil, nil), "InvalidParameterException", msgInvalidPrefix},
		{"custom single label", create(lite, "localhost", cert(certA), nil), "InvalidParameterException", msgInvalidCustomDomain},
		{"custom empty label", create(lite, "auth..example.com", cert(certA), nil), "InvalidParameterException", msgInvalidCustomDomain},
		{"custom upper case", create(lite, "Auth.example.com", cert(certA), nil), "InvalidParameterException", msgInvalidCustomDomain},
		{"certificate in another region", create(lite, "auth.lite.example", cert("arn:aws:acm:eu-west-1:123456789012:certificate/abc"), nil), "InvalidParameterException", msgBadCertificate},
		{"certificate not ACM", create(lite, "auth.lite.example", cert("arn:aws:iam::123456789012:server-certificate/abc"), nil), "InvalidParameterException", msgBadCertificate},
		{"certificate not an ARN", create(lite, "auth.lite.example", cert("not-an-arn-at-all-really"), nil), "InvalidParameterException", ""},
		{"no certificate", create(lite, "auth.lite.example", &cognitoidp.CustomDomainConfigType{}, nil), "InvalidParameterException",
			"1 validation error detected: Value null at 'customDomainConfig.certificateArn' failed to satisfy constraint: Member must not be null"},
		{"version 3", create(lite, "lite-app", nil, api.Ptr(int32(3))), "InvalidParameterException", fmt.Sprintf(msgBadManagedLoginVersion, 3)},
		{"version 2 on lite", create(lite, "lite-app", nil, api.Ptr(int32(2))), "FeatureUnavailableInTierException", msgManagedLoginTier},
		{"unknown pool", create("us-west-2_Missing00", "fresh-app", nil, nil), "ResourceNotFoundException", "User pool us-west-2_Missing00 does not exist."},
		{"no domain", func() error {
			_, err := e.svc.CreateUserPoolDomain(ctx, &cognitoidp.CreateUserPoolDomainRequest{UserPoolId: api.Ptr(lite)})
			return err
		}(), "InvalidParameterException", "1 validation error detected: Value null at 'domain' failed to satisfy constraint: Member must not be null"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, tc.code, tc.msg) })
	}
	// Nothing refused was created.
	if ds, err := ForPool(ctx, e.store, lite); err != nil || len(ds) != 0 {
		t.Errorf("refused requests left domains: %+v %v", ds, err)
	}
	// A LITE pool has version 1 domains.
	e.create(t, lite, "lite-app", "")

	update := func(pool, name string, version int32) error {
		_, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(pool), Domain: api.Ptr(name), ManagedLoginVersion: api.Ptr(version)})
		return err
	}
	del := func(pool, name string) error {
		_, err := e.svc.DeleteUserPoolDomain(ctx, &cognitoidp.DeleteUserPoolDomainRequest{UserPoolId: api.Ptr(pool), Domain: api.Ptr(name)})
		return err
	}
	wantErr(t, update(e.other, "taken", 1), "InvalidParameterException", msgNoSuchDomain)
	wantErr(t, update(e.pool, "nowhere", 1), "InvalidParameterException", msgNoSuchDomain)
	wantErr(t, update(lite, "lite-app", 2), "FeatureUnavailableInTierException", msgManagedLoginTier)
	wantErr(t, update(e.pool, "taken", 0), "InvalidParameterException", fmt.Sprintf(msgBadManagedLoginVersion, 0))
	wantErr(t, del(e.other, "taken"), "InvalidParameterException", msgNoSuchDomain)
	wantErr(t, del(e.pool, "nowhere"), "InvalidParameterException", msgNoSuchDomain)
	wantErr(t, del("us-west-2_Missing00", "taken"), "ResourceNotFoundException", "User pool us-west-2_Missing00 does not exist.")
	if d := e.describe(t, "taken"); *d.UserPoolId != e.pool {
		t.Errorf("refused requests changed the domain: %+v", d)
	}
}

func TestCreateDomainConcurrently(t *testing.T) {
	e := newEnv(t)
	pools := []string{e.pool, e.other, e.createPool(t, "third", ""), e.createPool(t, "fourth", "")}
	var wg sync.WaitGroup
	errs := make([]error, len(pools))
	for i, p := range pools {
		wg.Go(func() {
			_, errs[i] = e.svc.CreateUserPoolDomain(context.Background(), &cognitoidp.CreateUserPoolDomainRequest{UserPoolId: api.Ptr(p), Domain: api.Ptr("race")})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		wantErr(t, err, "InvalidParameterException", msgDomainTaken)
	}
	if won != 1 {
		t.Errorf("%d creates won, want 1", won)
	}
}

// TestThroughOperationTable drives the operations as the protocol layer does.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, op := range []string{"CreateUserPoolDomain", "DescribeUserPoolDomain", "UpdateUserPoolDomain", "DeleteUserPoolDomain"} {
		if !ops[op].Implemented {
			t.Errorf("%s not registered", op)
		}
	}
	call := func(op, body string) string {
		t.Helper()
		out, err := ops[op].Call(context.Background(), []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b, _ := json.Marshal(out)
		return string(b)
	}
	if got := call("DescribeUserPoolDomain", `{"Domain":"unknown-domain"}`); got != `{"DomainDescription":{}}` {
		t.Errorf("describe of an unknown domain = %s", got)
	}
	if got := call("CreateUserPoolDomain", `{"UserPoolId":"`+e.pool+`","Domain":"wire-app"}`); got != `{"ManagedLoginVersion":1}` {
		t.Errorf("create = %s", got)
	}
	want := `{"DomainDescription":{"UserPoolId":"` + e.pool + `","AWSAccountId":"123456789012","Domain":"wire-app","S3Bucket":"aws-cognito-prod-pdx-assets","CloudFrontDistribution":"` +
		cloudFrontDomain("wire-app") + `","Version":"20250301120000","Status":"ACTIVE","ManagedLoginVersion":1}}`
	if got := call("DescribeUserPoolDomain", `{"Domain":"wire-app"}`); got != want {
		t.Errorf("describe:\n got %s\nwant %s", got, want)
	}
	if got := call("DeleteUserPoolDomain", `{"UserPoolId":"`+e.pool+`","Domain":"wire-app"}`); got != `{}` {
		t.Errorf("delete = %s", got)
	}
}
