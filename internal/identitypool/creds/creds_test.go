package creds_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/identitypool/creds"
	"github.com/cogito-dev/cogito/internal/identitypool/creds/ststest"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const poolID = "us-east-1:aaaaaaaa-0000-0000-0000-000000000000"

func request() *creds.Request {
	return &creds.Request{
		PoolID: poolID, IdentityID: "us-east-1:11111111-0000-0000-0000-000000000000",
		RoleARN: "arn:aws:iam::123456789012:role/Auth", PrincipalTags: map[string]string{"username": "sub-1"},
		Authenticated: true, AMR: []string{"authenticated", "login.example.com"},
		WebIdentityToken: func(context.Context) (string, error) { return "web-identity-token", nil },
	}
}

func TestMint(t *testing.T) {
	st := sqlstoretest.NewSQLite(t)
	ctx := t.Context()
	if err := st.CreateIdentityPool(ctx, &storage.IdentityPool{ID: poolID, Name: "p", CreatedAt: t0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	sealer, err := keys.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(t0)
	m := creds.NewMinter(creds.MintConfig{Store: st, Sealer: sealer, Clock: clk})
	c, err := m.Credentials(ctx, request())
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`).MatchString(c.AccessKeyID) || len(c.SecretKey) != 40 || c.SessionToken == "" ||
		!c.Expiration.Equal(t0.Add(time.Hour)) {
		t.Errorf("credentials = %+v", c)
	}
	if s := c.String(); strings.Contains(s, c.SecretKey) || strings.Contains(s, c.SessionToken) {
		t.Errorf("String reveals secrets: %s", s)
	}
	other, _ := m.Credentials(ctx, request())
	if other.AccessKeyID == c.AccessKeyID || other.SecretKey == c.SecretKey {
		t.Error("two mints gave the same keys")
	}

	got, err := m.Lookup(ctx, c.AccessKeyID)
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if got.SecretAccessKey != c.SecretKey || got.SessionToken != c.SessionToken || got.IdentityID != request().IdentityID ||
		got.RoleARN != request().RoleARN || got.PrincipalTags["username"] != "sub-1" || got.Expiration != t0.Add(time.Hour).Unix() || !got.Authenticated {
		t.Errorf("Lookup = %+v", got)
	}
	if strings.Contains(got.String(), c.SecretKey) {
		t.Error("Minted.String reveals the secret")
	}
	if _, err := m.Lookup(ctx, "ASIANOTHINGNOTHINGNO"); !errors.Is(err, creds.ErrUnknownKey) {
		t.Errorf("Lookup of an unknown key: %v", err)
	}

	s, err := m.OpenSessionToken(c.SessionToken)
	if err != nil || s.AccessKeyID != c.AccessKeyID || s.RoleARN != request().RoleARN {
		t.Errorf("OpenSessionToken = %+v, %v", s, err)
	}
	for _, bad := range []string{"", "garbage", c.SessionToken[:len(c.SessionToken)-4] + "AAAA"} {
		if _, err := m.OpenSessionToken(bad); err == nil {
			t.Errorf("OpenSessionToken(%q) accepted", bad)
		}
	}
	// Expired credentials are unknown, and a later mint sweeps their records.
	clk.Advance(time.Hour)
	if _, err := m.Lookup(ctx, c.AccessKeyID); !errors.Is(err, creds.ErrUnknownKey) {
		t.Errorf("Lookup of expired credentials: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := m.Credentials(ctx, request()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetIdentityCredentials(ctx, c.AccessKeyID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("expired record not swept: %v", err)
	}
	// Another master key cannot open it.
	otherSealer, _ := keys.NewSealer([]byte(strings.Repeat("k", 32)))
	if _, err := creds.NewMinter(creds.MintConfig{Store: st, Sealer: otherSealer}).OpenSessionToken(c.SessionToken); err == nil {
		t.Error("a session token opened under another master key")
	}
}

func TestSTS(t *testing.T) {
	double := ststest.New(t, func(c ststest.Call) error {
		if c.WebIdentityToken != "web-identity-token" {
			return &ststest.Refusal{Code: "InvalidIdentityToken", Message: "Couldn't retrieve verification key from your identity provider"}
		}
		if strings.HasSuffix(c.RoleARN, "/Untrusted") {
			return &ststest.Refusal{Code: "AccessDenied", Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity"}
		}
		return nil
	})
	s := creds.NewSTS(creds.STSConfig{Endpoint: double.URL, Region: "us-east-1"})
	ctx := t.Context()
	c, err := s.Credentials(ctx, request())
	if err != nil {
		t.Fatalf("Credentials: %v", err)
	}
	call, ok := double.Issued(c.AccessKeyID)
	if !ok || call.RoleARN != request().RoleARN || call.RoleSessionName != creds.RoleSessionName || call.DurationSeconds != "3600" ||
		c.SecretKey == "" || c.SessionToken == "" || c.Expiration.IsZero() {
		t.Errorf("credentials %+v from call %+v", c, call)
	}

	for name, r := range map[string]*creds.Request{
		"untrusted role": func() *creds.Request {
			r := request()
			r.RoleARN = "arn:aws:iam::123456789012:role/Untrusted"
			return r
		}(),
		"bad token": func() *creds.Request {
			r := request()
			r.WebIdentityToken = func(context.Context) (string, error) { return "forged", nil }
			return r
		}(),
	} {
		_, err := s.Credentials(ctx, r)
		if e, ok := awserr.As(err); !ok || e.Code != "InvalidIdentityPoolConfigurationException" ||
			e.Message != "Invalid identity pool configuration. Check assigned IAM roles for this pool." {
			t.Errorf("%s: %v", name, err)
		}
	}

	down := creds.NewSTS(creds.STSConfig{Endpoint: "http://127.0.0.1:1", Region: "us-east-1"})
	if _, err := down.Credentials(ctx, request()); err == nil {
		t.Error("an unreachable STS gave credentials")
	} else if e, ok := awserr.As(err); !ok || e.Code != "ExternalServiceException" {
		t.Errorf("unreachable STS: %v", err)
	}
}
