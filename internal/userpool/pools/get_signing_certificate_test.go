package pools

import (
	"crypto/x509"
	"encoding/base64"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestGetSigningCertificate(t *testing.T) {
	e := newEnv(t, true)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{}).Id
	out, err := e.svc.GetSigningCertificate(e.ctx, &cognitoidp.GetSigningCertificateRequest{UserPoolId: &id})
	if err != nil {
		t.Fatalf("GetSigningCertificate: %v", err)
	}
	der, err := base64.StdEncoding.DecodeString(api.Deref(out.Certificate))
	if err != nil {
		t.Fatalf("certificate is not base64: %v", err)
	}
	if _, err := x509.ParseCertificate(der); err != nil {
		t.Fatalf("certificate is not X.509 DER: %v", err)
	}
	again, err := e.svc.GetSigningCertificate(e.ctx, &cognitoidp.GetSigningCertificateRequest{UserPoolId: &id})
	if err != nil || *again.Certificate != *out.Certificate {
		t.Errorf("second call gave another certificate (err %v)", err)
	}

	_, err = e.svc.GetSigningCertificate(e.ctx, &cognitoidp.GetSigningCertificateRequest{UserPoolId: api.Ptr("us-east-1_nothere00")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
}

func TestGetSigningCertificateMakesMissingKeys(t *testing.T) {
	// A pool created without a key manager (keys never made) gets them on demand.
	e := newEnv(t, true)
	bare := New(Config{Store: e.store, Clock: e.clk, Region: testRegion, AccountID: testAccount})
	up, err := bare.CreateUserPool(e.ctx, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("nokeys")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.svc.GetSigningCertificate(e.ctx, &cognitoidp.GetSigningCertificateRequest{UserPoolId: up.UserPool.Id})
	if err != nil || api.Deref(out.Certificate) == "" {
		t.Fatalf("GetSigningCertificate of a pool without keys: %v, %v", out, err)
	}
}
