package keys

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func testSealer(t *testing.T) *Sealer {
	t.Helper()
	s, err := NewSealer(bytes.Repeat([]byte{7}, MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := testSealer(t)
	for _, plain := range [][]byte{nil, {}, []byte("x"), bytes.Repeat([]byte("secret"), 1000)} {
		ad := []byte("pool/us-east-1_abc")
		sealed, err := s.Seal(plain, ad)
		if err != nil {
			t.Fatal(err)
		}
		if sealed[0] != sealVersion1 || len(sealed) != sealOverhead1+len(plain) {
			t.Fatalf("sealed: version %d, len %d for %d plaintext bytes", sealed[0], len(sealed), len(plain))
		}
		if len(plain) > 4 && bytes.Contains(sealed, plain[:5]) {
			t.Fatal("plaintext visible in sealed data")
		}
		got, err := s.Open(sealed, ad)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("Open = %q, want %q", got, plain)
		}
	}
	a, _ := s.Seal([]byte("same"), nil)
	b, _ := s.Seal([]byte("same"), nil)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are equal: nonce reused")
	}
}

func TestOpenDetectsTampering(t *testing.T) {
	s := testSealer(t)
	ad := []byte("client-secret\x00pool\x00client")
	sealed, err := s.Seal([]byte("a client secret"), ad)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(sealed)
			bad[i] ^= bit
			if _, err := s.Open(bad, ad); err == nil {
				t.Fatalf("flipping bit %#x of byte %d went unnoticed", bit, i)
			}
		}
	}
	if _, err := s.Open(sealed, []byte("client-secret\x00pool\x00other")); !errors.Is(err, ErrSealedCorrupt) {
		t.Errorf("other associated data: err = %v, want ErrSealedCorrupt", err)
	}
	for _, n := range []int{0, 1, sealOverhead1 - 1, len(sealed) - 1} {
		if _, err := s.Open(sealed[:n], ad); !errors.Is(err, ErrSealedCorrupt) {
			t.Errorf("truncated to %d: err = %v, want ErrSealedCorrupt", n, err)
		}
	}
	other, _ := NewSealer(bytes.Repeat([]byte{8}, MasterKeySize))
	if _, err := other.Open(sealed, ad); !errors.Is(err, ErrSealedCorrupt) {
		t.Errorf("other master key: err = %v, want ErrSealedCorrupt", err)
	}
	bad := bytes.Clone(sealed)
	bad[0] = 2
	if _, err := s.Open(bad, ad); !errors.Is(err, ErrSealedVersion) {
		t.Errorf("version 2: err = %v, want ErrSealedVersion", err)
	}
}

func TestNewSealerKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := NewSealer(make([]byte, n)); err == nil {
			t.Errorf("NewSealer accepted a %d-byte key", n)
		}
	}
}

func TestSealerRedacts(t *testing.T) {
	key := bytes.Repeat([]byte{0xab}, MasterKeySize)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "sealer", s)
	out := fmt.Sprintf("%v %+v %s %#v", s, s, s, s) + logs.String()
	for _, leak := range []string{base64.StdEncoding.EncodeToString(key), "abababab", "171, 171", "0xab"} {
		if strings.Contains(out, leak) {
			t.Fatalf("key material in output: %s", out)
		}
	}
	if !strings.Contains(logs.String(), "REDACTED") {
		t.Fatalf("log does not say REDACTED: %s", logs.String())
	}
}

func TestLoadSealerConfiguredKeyWins(t *testing.T) {
	dir := t.TempDir()
	meta := newFakeStore()
	key := bytes.Repeat([]byte{3}, MasterKeySize)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
		s, err := LoadSealer(context.Background(), SealerConfig{Key: " " + enc.EncodeToString(key) + "\n", DataDir: dir}, meta)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := NewSealer(key)
		sealed, _ := want.Seal([]byte("p"), nil)
		if _, err := s.Open(sealed, nil); err != nil {
			t.Fatalf("configured key not used: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, MasterKeyFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was created although a key is configured (stat err %v)", err)
	}
	if len(meta.meta) != 0 {
		t.Errorf("a key was stored in the database although one is configured")
	}
	for _, bad := range []string{"not base64!!", base64.StdEncoding.EncodeToString(make([]byte, 16))} {
		if _, err := LoadSealer(context.Background(), SealerConfig{Key: bad}, meta); err == nil {
			t.Errorf("LoadSealer accepted key %q", bad)
		}
	}
}

func TestLoadSealerKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // created on demand
	ctx := context.Background()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	s1, err := LoadSealer(ctx, SealerConfig{DataDir: dir, Logger: logger}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, MasterKeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %v, want 0600", perm)
	}
	content, _ := os.ReadFile(path)
	if strings.Contains(logs.String(), strings.TrimSpace(string(content))) {
		t.Fatal("the key was logged")
	}
	sealed, err := s1.Seal([]byte("private key"), []byte("ad"))
	if err != nil {
		t.Fatal(err)
	}
	// A restart reads the same file.
	s2, err := LoadSealer(ctx, SealerConfig{DataDir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s2.Open(sealed, []byte("ad")); err != nil || string(got) != "private key" {
		t.Fatalf("after reload: %q, %v", got, err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(content, after) {
		t.Fatal("key file rewritten on reload")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only the key file", len(entries))
	}
}

func TestLoadSealerKeyFileConcurrentStart(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	sealers := make([]*Sealer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { sealers[i], errs[i] = LoadSealer(context.Background(), SealerConfig{DataDir: dir}, nil) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
	}
	sealed, err := sealers[0].Seal([]byte("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := sealers[i].Open(sealed, nil); err != nil {
			t.Fatalf("sealer %d has a different key", i)
		}
	}
}

func TestLoadSealerBadKeyFileIsNotReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, MasterKeyFile)
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSealer(context.Background(), SealerConfig{DataDir: dir}, nil); err == nil {
		t.Fatal("LoadSealer accepted a malformed key file")
	}
	if b, _ := os.ReadFile(path); string(b) != "garbage" {
		t.Fatal("malformed key file was overwritten")
	}
}

func TestLoadSealerSharedUsesDatabase(t *testing.T) {
	ctx := context.Background()
	meta := newFakeStore()
	dir := t.TempDir()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	s1, err := LoadSealer(ctx, SealerConfig{Shared: true, DataDir: dir, Logger: logger}, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("no warning about the key kept in the database: %s", logs.String())
	}
	stored := string(meta.meta[metaMasterKey])
	if stored == "" || strings.Contains(logs.String(), stored) {
		t.Fatalf("key not stored, or logged: %s", logs.String())
	}
	if _, err := os.Stat(filepath.Join(dir, MasterKeyFile)); !errors.Is(err, os.ErrNotExist) {
		t.Error("shared mode wrote a key file")
	}
	// A second replica gets the same key.
	s2, err := LoadSealer(ctx, SealerConfig{Shared: true}, meta)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := s1.Seal([]byte("x"), nil)
	if _, err := s2.Open(sealed, nil); err != nil {
		t.Fatal("replicas disagree on the master key")
	}
	if _, err := LoadSealer(ctx, SealerConfig{Shared: true}, nil); err == nil {
		t.Fatal("shared mode without key or store succeeded")
	}
}

func TestGenerateMasterKey(t *testing.T) {
	k := GenerateMasterKey()
	if _, err := NewSealer(mustDecode(t, k)); err != nil {
		t.Fatal(err)
	}
	if k == GenerateMasterKey() {
		t.Fatal("two generated keys are equal")
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeriveKey(t *testing.T) {
	key := make([]byte, MasterKeySize)
	a, _ := NewSealer(key)
	b, _ := NewSealer(key)
	if string(a.DeriveKey("srp-state")) != string(b.DeriveKey("srp-state")) {
		t.Fatal("same master key, same purpose: keys differ")
	}
	if string(a.DeriveKey("srp-state")) == string(a.DeriveKey("auth-session")) || len(a.DeriveKey("x")) != 32 {
		t.Fatal("purposes must give independent 32-byte keys")
	}
	key[0] = 1
	c, _ := NewSealer(key)
	if string(a.DeriveKey("srp-state")) == string(c.DeriveKey("srp-state")) {
		t.Fatal("different master keys gave the same derived key")
	}
}
