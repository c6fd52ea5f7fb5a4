package server

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/config"
)

func TestTLSConfigSelfSigned(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Defaults()
	cfg.DataDir = dir
	cfg.TLS = config.TLSConfig{Listen: "127.0.0.1:0", SelfSigned: true}
	tc, err := TLSConfig(cfg, nil)
	if err != nil || tc == nil || len(tc.Certificates) != 1 {
		t.Fatalf("TLSConfig = %v, %v", tc, err)
	}
	certFile := filepath.Join(dir, "tls", "cert.pem")
	b, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifyHostname("localhost"); err != nil {
		t.Errorf("localhost: %v", err)
	}
	if err := c.VerifyHostname("127.0.0.1"); err != nil {
		t.Errorf("127.0.0.1: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "tls", "key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi, err)
	}
	// Kept across starts; remade when it is about to expire.
	made, err := ensureSelfSigned(filepath.Join(dir, "tls"), certFile, filepath.Join(dir, "tls", "key.pem"), time.Now())
	if err != nil || made {
		t.Errorf("second start made a new certificate: %v %v", made, err)
	}
	made, err = ensureSelfSigned(filepath.Join(dir, "tls"), certFile, filepath.Join(dir, "tls", "key.pem"), time.Now().Add(selfSignedValidity))
	if err != nil || !made {
		t.Errorf("an expiring certificate was kept: %v %v", made, err)
	}
	if _, err := tls.LoadX509KeyPair(certFile, filepath.Join(dir, "tls", "key.pem")); err != nil {
		t.Errorf("remade pair: %v", err)
	}
}

func TestTLSConfigNone(t *testing.T) {
	cfg := config.Defaults()
	if tc, err := TLSConfig(cfg, nil); tc != nil || err != nil {
		t.Errorf("TLSConfig without a listener = %v, %v", tc, err)
	}
	cfg.TLS = config.TLSConfig{Listen: "127.0.0.1:0", CertFile: "/nonexistent/cert.pem", KeyFile: "/nonexistent/key.pem"}
	if _, err := TLSConfig(cfg, nil); err == nil {
		t.Errorf("missing files accepted")
	}
}
