package domains

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// routing is a failover to region.
func routing(region, check string) *cognitoidp.RoutingType {
	return &cognitoidp.RoutingType{Failover: &cognitoidp.FailoverType{SecondaryRegion: api.Ptr(region), PrimaryRoute53HealthCheckId: api.Ptr(check)}}
}

const healthCheck = "abcdef11-2222-3333-4444-555555555555"

// A custom domain's Routing and SecurityPolicy are stored and shown by
// Create, Describe and Update; an update without them keeps them.
func TestRoutingAndSecurityPolicy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	replicas := map[string][]string{e.pool: {"eu-west-1", "us-east-1"}}
	e.svc.replicaRegions = func(_ context.Context, poolID string) ([]string, error) { return replicas[poolID], nil }

	out, err := e.svc.CreateUserPoolDomain(ctx, &cognitoidp.CreateUserPoolDomainRequest{
		UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("auth.example.com"),
		CustomDomainConfig: &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(certA), SecurityPolicy: api.Ptr(cognitoidp.SecurityPolicyTypeTlsV132025)},
		Routing:            routing("eu-west-1", healthCheck),
	})
	if err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	if diff := cmp.Diff(routing("eu-west-1", healthCheck), out.Routing); diff != "" {
		t.Errorf("CreateUserPoolDomain Routing (-want +got):\n%s", diff)
	}
	d := e.describe(t, "auth.example.com")
	if diff := cmp.Diff(routing("eu-west-1", healthCheck), d.Routing); diff != "" {
		t.Errorf("DescribeUserPoolDomain Routing (-want +got):\n%s", diff)
	}
	if api.Deref(d.CustomDomainConfig.SecurityPolicy) != cognitoidp.SecurityPolicyTypeTlsV132025 {
		t.Errorf("SecurityPolicy = %v", d.CustomDomainConfig.SecurityPolicy)
	}

	// A new failover Region; the TLS policy stays.
	uo, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("auth.example.com"),
		Routing: routing("us-east-1", "hc-2")})
	if err != nil {
		t.Fatalf("UpdateUserPoolDomain: %v", err)
	}
	if diff := cmp.Diff(routing("us-east-1", "hc-2"), uo.Routing); diff != "" {
		t.Errorf("UpdateUserPoolDomain Routing (-want +got):\n%s", diff)
	}
	// An update with neither keeps both.
	if _, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("auth.example.com"),
		ManagedLoginVersion: api.Ptr(int32(2))}); err != nil {
		t.Fatal(err)
	}
	d = e.describe(t, "auth.example.com")
	if diff := cmp.Diff(routing("us-east-1", "hc-2"), d.Routing); diff != "" || api.Deref(d.CustomDomainConfig.SecurityPolicy) != cognitoidp.SecurityPolicyTypeTlsV132025 {
		t.Errorf("after an update without them: Routing %s, SecurityPolicy %v", diff, d.CustomDomainConfig.SecurityPolicy)
	}
	// A custom domain without either shows neither.
	e.create(t, e.other, "login.example.org", certB)
	d = e.describe(t, "login.example.org")
	if d.Routing != nil || d.CustomDomainConfig.SecurityPolicy != nil {
		t.Errorf("a plain custom domain shows Routing %v, SecurityPolicy %v", d.Routing, d.CustomDomainConfig.SecurityPolicy)
	}
}

func TestRoutingRules(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.svc.replicaRegions = func(context.Context, string) ([]string, error) { return []string{"eu-west-1"}, nil }
	e.create(t, e.pool, "plain-prefix", "")
	e.create(t, e.pool, "auth.example.com", certA)

	cases := []struct {
		name      string
		custom    bool
		body      string // the request's Routing
		code, msg string
	}{
		{"prefix domain", false, `{"Failover":{"SecondaryRegion":"eu-west-1","PrimaryRoute53HealthCheckId":"hc"}}`, "InvalidParameterException", msgRoutingNotCustom},
		{"prefix domain, empty routing", false, `{}`, "InvalidParameterException", msgRoutingNotCustom},
		{"own Region", true, `{"Failover":{"SecondaryRegion":"us-west-2","PrimaryRoute53HealthCheckId":"hc"}}`, "InvalidParameterException",
			"The failover SecondaryRegion us-west-2 must differ from the user pool's Region."},
		{"no replica there", true, `{"Failover":{"SecondaryRegion":"ap-south-1","PrimaryRoute53HealthCheckId":"hc"}}`, "InvalidParameterException",
			"User pool " + e.pool + " has no replica in the failover SecondaryRegion ap-south-1."},
		{"no health check", true, `{"Failover":{"SecondaryRegion":"eu-west-1"}}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'routing.failover.primaryRoute53HealthCheckId' failed to satisfy constraint: Member must not be null"},
		{"short Region", true, `{"Failover":{"SecondaryRegion":"eu","PrimaryRoute53HealthCheckId":"hc"}}`, "InvalidParameterException",
			"1 validation error detected: Value 'eu' at 'routing.failover.secondaryRegion' failed to satisfy constraint: Member must have length greater than or equal to 5"},
		{"long health check", true, `{"Failover":{"SecondaryRegion":"eu-west-1","PrimaryRoute53HealthCheckId":"` + strings.Repeat("h", 65) + `"}}`, "InvalidParameterException",
			"1 validation error detected: Value '" + strings.Repeat("h", 65) + "' at 'routing.failover.primaryRoute53HealthCheckId' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"no failover", true, `{}`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r cognitoidp.RoutingType
			if err := json.Unmarshal([]byte(c.body), &r); err != nil {
				t.Fatal(err)
			}
			name := "plain-prefix"
			if c.custom {
				name = "auth.example.com"
			}
			_, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr(name), Routing: &r})
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, c.code, c.msg)
			// CreateUserPoolDomain applies the same rules.
			in := &cognitoidp.CreateUserPoolDomainRequest{UserPoolId: api.Ptr(e.other), Domain: api.Ptr("other-prefix"), Routing: &r}
			if c.custom {
				in.Domain = api.Ptr("auth.other.example")
				in.CustomDomainConfig = &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(certB)}
			}
			_, err = e.svc.CreateUserPoolDomain(ctx, in)
			wantErr(t, err, c.code, strings.ReplaceAll(c.msg, e.pool, e.other))
		})
	}

	// A bad TLS policy is the model's enum error.
	_, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("auth.example.com"),
		CustomDomainConfig: &cognitoidp.CustomDomainConfigType{CertificateArn: api.Ptr(certB), SecurityPolicy: api.Ptr(cognitoidp.SecurityPolicyType("TLS_V1_1"))}})
	wantErr(t, err, "InvalidParameterException",
		"1 validation error detected: Value 'TLS_V1_1' at 'customDomainConfig.securityPolicy' failed to satisfy constraint: Member must satisfy enum value set: [TLS_V1, TLS_V1_2_2021, TLS_V1_3_2025]")

	// Without the replica hook, any other Region is taken.
	e.svc.replicaRegions = nil
	if _, err := e.svc.UpdateUserPoolDomain(ctx, &cognitoidp.UpdateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("auth.example.com"),
		Routing: routing("ap-south-1", healthCheck)}); err != nil {
		t.Errorf("without the replica hook: %v", err)
	}
}
