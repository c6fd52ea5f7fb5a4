package clients

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestLookup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{
		GenerateSecret:       true,
		AccessTokenValidity:  api.Ptr(int32(15)),
		RefreshTokenValidity: 2,
		TokenValidityUnits:   units(cognitoidp.TimeUnitsTypeMinutes, "", ""),
		ExplicitAuthFlows:    []cognitoidp.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		AuthSessionValidity:  api.Ptr(int32(7)),
		RefreshTokenRotation: &cognitoidp.RefreshTokenRotationType{Feature: api.Ptr(cognitoidp.FeatureTypeEnabled), RetryGracePeriodSeconds: api.Ptr(int32(20))},
	})
	id, secret := api.Deref(c.ClientId), api.Deref(c.ClientSecret)
	cl, err := e.svc.Lookup(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if cl.PoolID != testPool || cl.ID != id || cl.Name != "app" || !cl.CreatedAt.Equal(t0) || !cl.HasSecret() {
		t.Fatalf("Lookup = %v", cl)
	}
	if cl.Settings.ClientSecret != nil {
		t.Error("Settings carry the secret")
	}
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"access", cl.AccessTokenValidity(), 15 * time.Minute},
		{"id", cl.IDTokenValidity(), time.Hour},
		{"refresh", cl.RefreshTokenValidity(), 48 * time.Hour},
		{"session", cl.AuthSessionValidity(), 7 * time.Minute},
	} {
		if c.got != c.want {
			t.Errorf("%s validity = %v, want %v", c.name, c.got, c.want)
		}
	}
	if on, grace := cl.RefreshTokenRotationEnabled(); !on || grace != 20*time.Second {
		t.Errorf("rotation = %v %v", on, grace)
	}
	if !cl.TokenRevocationEnabled() || cl.PreventUserExistenceErrors() != cognitoidp.PreventUserExistenceErrorTypesLegacy {
		t.Error("revocation / user existence defaults")
	}
	for flow, want := range map[cognitoidp.AuthFlowType]bool{
		"USER_PASSWORD_AUTH": true, "REFRESH_TOKEN_AUTH": true, "REFRESH_TOKEN": true,
		"USER_SRP_AUTH": false, "CUSTOM_AUTH": false, "ADMIN_USER_PASSWORD_AUTH": false, "USER_AUTH": false,
	} {
		if got := cl.AuthFlowAllowed(flow); got != want {
			t.Errorf("AuthFlowAllowed(%s) = %v", flow, got)
		}
	}

	// Neither String nor a log line shows the secret.
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "client", cl, "secret", cl.Secrets[0])
	for _, s := range []string{cl.String(), fmt.Sprint(cl), fmt.Sprintf("%+v", cl.Secrets[0]), logs.String()} {
		if strings.Contains(s, secret) {
			t.Errorf("secret leaked in %q", s)
		}
	}

	in, err := e.svc.LookupInPool(ctx, testPool, id)
	if err != nil || in.ID != id {
		t.Fatalf("LookupInPool: %v", err)
	}
	_, err = e.svc.LookupInPool(ctx, otherPool, id)
	wantErr(t, err, "ResourceNotFoundException", "User pool client "+id+" does not exist.")
	_, err = e.svc.Lookup(ctx, "nosuchclient")
	wantErr(t, err, "ResourceNotFoundException", "User pool client nosuchclient does not exist.")
}

func TestLookupDefaultsAndLegacyFlows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	def := e.create(t, &cognitoidp.CreateUserPoolClientRequest{})
	cl, err := e.svc.Lookup(ctx, api.Deref(def.ClientId))
	if err != nil {
		t.Fatal(err)
	}
	if cl.HasSecret() || cl.SecretMatches("") || cl.AccessTokenValidity() != time.Hour || cl.IDTokenValidity() != time.Hour ||
		cl.RefreshTokenValidity() != 30*24*time.Hour || cl.AuthSessionValidity() != 3*time.Minute {
		t.Errorf("defaults: %v %v %v %v", cl.AccessTokenValidity(), cl.IDTokenValidity(), cl.RefreshTokenValidity(), cl.AuthSessionValidity())
	}
	if on, _ := cl.RefreshTokenRotationEnabled(); on {
		t.Error("rotation on by default")
	}
	for flow, want := range map[cognitoidp.AuthFlowType]bool{"USER_SRP_AUTH": true, "REFRESH_TOKEN_AUTH": true, "CUSTOM_AUTH": true, "USER_PASSWORD_AUTH": false} {
		if cl.AuthFlowAllowed(flow) != want {
			t.Errorf("default client: AuthFlowAllowed(%s) != %v", flow, want)
		}
	}

	legacy := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{"ADMIN_NO_SRP_AUTH"}})
	cl, err = e.svc.Lookup(ctx, api.Deref(legacy.ClientId))
	if err != nil {
		t.Fatal(err)
	}
	for flow, want := range map[cognitoidp.AuthFlowType]bool{"USER_SRP_AUTH": true, "REFRESH_TOKEN_AUTH": true, "ADMIN_NO_SRP_AUTH": true, "ADMIN_USER_PASSWORD_AUTH": true, "USER_PASSWORD_AUTH": false} {
		if cl.AuthFlowAllowed(flow) != want {
			t.Errorf("legacy client: AuthFlowAllowed(%s) != %v", flow, want)
		}
	}
	customOnly := e.create(t, &cognitoidp.CreateUserPoolClientRequest{ExplicitAuthFlows: []cognitoidp.ExplicitAuthFlowsType{"CUSTOM_AUTH_FLOW_ONLY"}})
	cl, err = e.svc.Lookup(ctx, api.Deref(customOnly.ClientId))
	if err != nil {
		t.Fatal(err)
	}
	if !cl.AuthFlowAllowed("CUSTOM_AUTH") || cl.AuthFlowAllowed("USER_SRP_AUTH") {
		t.Error("CUSTOM_AUTH_FLOW_ONLY")
	}
}

func TestNoSecretInLogs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	add, err := e.svc.AddUserPoolClientSecret(ctx, &cognitoidp.AddUserPoolClientSecretRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DeleteUserPoolClientSecret(ctx, &cognitoidp.DeleteUserPoolClientSecretRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId, ClientSecretId: add.ClientSecretDescriptor.ClientSecretId}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DeleteUserPoolClient(ctx, &cognitoidp.DeleteUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId}); err != nil {
		t.Fatal(err)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "app client created") {
		t.Fatalf("no log lines captured: %q", logs)
	}
	for _, s := range []string{api.Deref(c.ClientSecret), api.Deref(add.ClientSecretDescriptor.ClientSecretValue)} {
		if strings.Contains(logs, s) {
			t.Errorf("secret in logs:\n%s", logs)
		}
	}
}
