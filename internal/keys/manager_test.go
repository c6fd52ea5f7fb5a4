package keys

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
)

const pool = "us-east-1_TestPool1"

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 123456789, time.UTC)

type harness struct {
	store  *fakeStore
	sealer *Sealer
	clk    *clock.Fake
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newHarness(t *testing.T) *harness {
	return &harness{store: newFakeStore(), sealer: testSealer(t), clk: clock.NewFake(t0), logs: &syncBuffer{}}
}

// manager returns a new Manager (a "replica") over the harness's store.
func (h *harness) manager(t *testing.T) *Manager {
	t.Helper()
	logger := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := New(h.store, h.sealer, h.clk, logger)
	t.Cleanup(func() { m.Close() })
	return m
}

func setup(t *testing.T) (*harness, *Manager) {
	t.Helper()
	h := newHarness(t)
	m := h.manager(t)
	if err := m.CreatePoolKeys(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return h, m
}

// sign makes a compact JWS the way the token package would.
func sign(t *testing.T, m *Manager, poolID, use, payload string) string {
	t.Helper()
	kid, key, err := m.Signer(context.Background(), poolID, use)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// verifyWithManager checks tok with the key PublicKey returns for its kid.
func verifyWithManager(m *Manager, poolID, tok string) (string, error) {
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", err
	}
	kid := jws.Signatures[0].Header.KeyID
	pub, err := m.PublicKey(context.Background(), poolID, kid)
	if err != nil {
		return "", err
	}
	payload, err := jws.Verify(pub)
	return string(payload), err
}

// verifyWithJWKS checks tok against the published JWKS, as a relying party would.
func verifyWithJWKS(t *testing.T, m *Manager, poolID, tok string) (string, error) {
	t.Helper()
	raw, err := m.JWKS(context.Background(), poolID)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", err
	}
	ks := set.Key(jws.Signatures[0].Header.KeyID)
	if len(ks) != 1 {
		return "", fmt.Errorf("kid %q matches %d JWKS keys", jws.Signatures[0].Header.KeyID, len(ks))
	}
	payload, err := jws.Verify(ks[0].Key)
	return string(payload), err
}

func TestJWKSShape(t *testing.T) {
	_, m := setup(t)
	raw, err := m.JWKS(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte(`{"keys":[{"alg":"RS256","e":"AQAB","kid":"`)) {
		t.Errorf("JWKS does not follow Cognito's layout: %.80s", raw)
	}
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != 2 {
		t.Fatalf("JWKS has %d keys, want 2", len(doc.Keys))
	}
	kids := map[string]bool{}
	for _, k := range doc.Keys {
		if len(k) != 6 {
			t.Errorf("key has members %v, want exactly alg,e,kid,kty,n,use", k)
		}
		if k["alg"] != "RS256" || k["kty"] != "RSA" || k["use"] != "sig" || k["e"] != "AQAB" {
			t.Errorf("key %v", k)
		}
		kid, _ := k["kid"].(string)
		if len(kid) != 44 || !strings.HasSuffix(kid, "=") {
			t.Errorf("kid %q is not 44 characters of base64 ending in '='", kid)
		}
		if _, err := base64.StdEncoding.DecodeString(kid); err != nil {
			t.Errorf("kid %q: %v", kid, err)
		}
		n, _ := base64.RawURLEncoding.DecodeString(k["n"].(string))
		if len(n) != 256 {
			t.Errorf("modulus is %d bytes, want 256", len(n))
		}
		kids[kid] = true
	}
	if len(kids) != 2 {
		t.Fatal("the two keys share a kid")
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("go-jose rejects the JWKS: %v", err)
	}
	for _, k := range set.Keys {
		if !k.Valid() || !k.IsPublic() || k.Algorithm != "RS256" || k.Use != "sig" {
			t.Errorf("go-jose key %+v", k)
		}
		// The kid is derived from the key, so anyone can recompute it.
		if want, _ := keyID(k.Key.(*rsa.PublicKey)); want != k.KeyID {
			t.Errorf("kid %q, derived %q", k.KeyID, want)
		}
	}
}

func TestSignedTokensVerify(t *testing.T) {
	_, m := setup(t)
	idKid, _, _ := m.Signer(context.Background(), pool, UseID)
	accessKid, _, _ := m.Signer(context.Background(), pool, UseAccess)
	if idKid == accessKid {
		t.Fatal("ID and access tokens are signed with the same key")
	}
	for _, use := range []string{UseID, UseAccess} {
		payload := `{"token_use":"` + use + `"}`
		tok := sign(t, m, pool, use, payload)
		header, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
		var hdr map[string]any
		_ = json.Unmarshal(header, &hdr)
		wantKid := map[string]string{UseID: idKid, UseAccess: accessKid}[use]
		if hdr["kid"] != wantKid || hdr["alg"] != "RS256" {
			t.Errorf("%s token header %s", use, header)
		}
		if got, err := verifyWithManager(m, pool, tok); err != nil || got != payload {
			t.Errorf("%s token via PublicKey: %q, %v", use, got, err)
		}
		if got, err := verifyWithJWKS(t, m, pool, tok); err != nil || got != payload {
			t.Errorf("%s token via JWKS: %q, %v", use, got, err)
		}
	}
	// A token of another pool's key does not verify here.
	if err := m.CreatePoolKeys(context.Background(), "us-east-1_Other"); err != nil {
		t.Fatal(err)
	}
	foreign := sign(t, m, "us-east-1_Other", UseID, "{}")
	if _, err := verifyWithManager(m, pool, foreign); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("foreign token: err = %v, want ErrUnknownKey", err)
	}
	if _, _, err := m.Signer(context.Background(), pool, "refresh"); !errors.Is(err, ErrBadUse) {
		t.Errorf("Signer(refresh): err = %v", err)
	}
}

func TestStoredKeysAreSealed(t *testing.T) {
	h, m := setup(t)
	kid, key, _ := m.Signer(context.Background(), pool, UseID)
	rec := h.store.record(pool, kid)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	if bytes.Contains(rec.PrivateKey, der[len(der)-64:]) || bytes.Contains(rec.PrivateKey, key.D.Bytes()[:32]) {
		t.Fatal("private key stored in the clear")
	}
	if rec.Algorithm != "RS256" || rec.Use != UseID || !rec.Active || !rec.CreatedAt.Equal(t0) {
		t.Errorf("record %+v", rec)
	}
	if bytes.Contains(rec.PublicKey, []byte(`"d"`)) {
		t.Fatal("public JWK carries the private exponent")
	}
	// The sealed key is bound to its pool: copied to another pool it fails to open.
	moved := copyKey(rec)
	moved.PoolID = "us-east-1_Thief"
	if err := h.store.AddSigningKey(context.Background(), moved); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Signer(context.Background(), "us-east-1_Thief", UseID); err == nil {
		t.Fatal("a sealed key copied to another pool was accepted")
	}
	// Nothing secret in the logs.
	logs := h.logs.String()
	if strings.Contains(logs, base64.StdEncoding.EncodeToString(rec.PrivateKey[:16])) || strings.Contains(logs, key.D.String()[:20]) {
		t.Fatal("key material logged")
	}
	s := fmt.Sprint(&keyEntry{poolID: pool, kid: kid, priv: key})
	if strings.Contains(s, key.D.String()[:20]) {
		t.Fatal("keyEntry.String shows the private key")
	}
}

func TestWrongMasterKey(t *testing.T) {
	h, _ := setup(t)
	other, _ := NewSealer(bytes.Repeat([]byte{9}, MasterKeySize))
	m2 := New(h.store, other, h.clk, nil)
	defer m2.Close()
	_, _, err := m2.Signer(context.Background(), pool, UseID)
	if err == nil || !strings.Contains(err.Error(), "master key") || !errors.Is(err, ErrSealedCorrupt) {
		t.Fatalf("err = %v, want a decryption error naming the master key", err)
	}
}

func TestRotateKeepsOldTokensVerifiable(t *testing.T) {
	h, m := setup(t)
	ctx := context.Background()
	oldKid, _, _ := m.Signer(ctx, pool, UseID)
	accessKid, _, _ := m.Signer(ctx, pool, UseAccess)
	oldTok := sign(t, m, pool, UseID, `{"n":1}`)

	h.clk.Advance(time.Hour)
	if err := m.Rotate(ctx, pool, UseID); err != nil {
		t.Fatal(err)
	}
	newKid, _, _ := m.Signer(ctx, pool, UseID)
	if newKid == oldKid {
		t.Fatal("Signer still returns the old key after Rotate")
	}
	if k, _, _ := m.Signer(ctx, pool, UseAccess); k != accessKid {
		t.Fatal("rotating the ID key changed the access key")
	}
	newTok := sign(t, m, pool, UseID, `{"n":2}`)
	for _, tok := range []string{oldTok, newTok} {
		if _, err := verifyWithManager(m, pool, tok); err != nil {
			t.Errorf("via PublicKey: %v", err)
		}
		if _, err := verifyWithJWKS(t, m, pool, tok); err != nil {
			t.Errorf("via JWKS: %v", err)
		}
	}
	raw, _ := m.JWKS(ctx, pool)
	var set jose.JSONWebKeySet
	_ = json.Unmarshal(raw, &set)
	if len(set.Keys) != 3 {
		t.Errorf("JWKS has %d keys after one rotation, want 3", len(set.Keys))
	}
	old := h.store.record(pool, oldKid)
	if old.Active || old.RetiredAt == nil || !old.RetiredAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("old key record %+v", old)
	}

	// Pruning retired keys removes them from verification and the JWKS.
	if n, err := m.PruneRetired(ctx, pool, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("PruneRetired before retirement cutoff: %d, %v", n, err)
	}
	if n, err := m.PruneRetired(ctx, pool, t0.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("PruneRetired: %d, %v", n, err)
	}
	if _, err := verifyWithManager(m, pool, oldTok); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("token of a pruned key: err = %v, want ErrUnknownKey", err)
	}
	if _, err := verifyWithManager(m, pool, newTok); err != nil {
		t.Errorf("new token after prune: %v", err)
	}
}

func TestRotationSeenByOtherReplica(t *testing.T) {
	h, m1 := setup(t)
	ctx := context.Background()
	m2 := h.manager(t)
	oldKid, _, err := m2.Signer(ctx, pool, UseAccess) // m2 caches the keys
	if err != nil {
		t.Fatal(err)
	}
	if err := m1.Rotate(ctx, pool, UseAccess); err != nil {
		t.Fatal(err)
	}
	tok := sign(t, m1, pool, UseAccess, `{"x":1}`)
	// m2 has never seen the new kid: the miss reloads at once.
	if _, err := verifyWithManager(m2, pool, tok); err != nil {
		t.Fatalf("replica cannot verify a token of the rotated-in key: %v", err)
	}
	// m2 signs with the new key after at most the refresh interval.
	h.clk.Advance(DefaultRefresh + time.Second)
	newKid, _, err := m2.Signer(ctx, pool, UseAccess)
	if err != nil {
		t.Fatal(err)
	}
	if newKid == oldKid {
		t.Fatal("replica still signs with the retired key after the refresh interval")
	}
	if want, _, _ := m1.Signer(ctx, pool, UseAccess); newKid != want {
		t.Fatalf("replicas disagree on the active key: %s vs %s", newKid, want)
	}
}

func TestCacheAvoidsStoreReads(t *testing.T) {
	h, m := setup(t)
	ctx := context.Background()
	if _, _, err := m.Signer(ctx, pool, UseID); err != nil {
		t.Fatal(err)
	}
	before := h.store.lists.Load()
	for range 100 {
		if _, _, err := m.Signer(ctx, pool, UseID); err != nil {
			t.Fatal(err)
		}
		if _, err := m.JWKS(ctx, pool); err != nil {
			t.Fatal(err)
		}
	}
	kid, _, _ := m.Signer(ctx, pool, UseAccess)
	if _, err := m.PublicKey(ctx, pool, kid); err != nil {
		t.Fatal(err)
	}
	if got := h.store.lists.Load() - before; got != 0 {
		t.Errorf("%d store reads for cached keys", got)
	}
	h.clk.Advance(DefaultRefresh)
	_, _, _ = m.Signer(ctx, pool, UseID)
	if got := h.store.lists.Load() - before; got != 1 {
		t.Errorf("%d store reads after the refresh interval, want 1", got)
	}
	// Unknown kids each cause a fresh read, but concurrent ones share it
	// (at most one read per caller, never more).
	before = h.store.lists.Load()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := m.PublicKey(ctx, pool, fmt.Sprintf("bogus-%d", i)); !errors.Is(err, ErrUnknownKey) {
				t.Errorf("err = %v", err)
			}
		})
	}
	wg.Wait()
	if got := h.store.lists.Load() - before; got < 1 || got > 20 {
		t.Errorf("%d store reads for 20 unknown kids", got)
	}
	before = h.store.lists.Load()
	if _, err := m.PublicKey(ctx, pool, strings.Repeat("k", 300)); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("overlong kid: %v", err)
	}
	if _, err := m.PublicKey(ctx, "us-east-1_Nope", "abc"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unknown pool: %v", err)
	}
	if got := h.store.lists.Load() - before; got != 1 {
		t.Errorf("%d store reads for an overlong kid and an unknown pool, want 1", got)
	}
}

func TestConcurrentRotateHasOneWinner(t *testing.T) {
	h, _ := setup(t)
	ctx := context.Background()
	const n = 4
	// Each rotation comes from its own replica; all read the same active key
	// before any of them reaches the store's compare-and-swap.
	replicas := make([]*Manager, n)
	for i := range replicas {
		replicas[i] = h.manager(t)
	}
	var arrived sync.WaitGroup
	arrived.Add(n)
	h.store.rotateGate = func() { arrived.Done(); arrived.Wait() }
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = replicas[i].Rotate(ctx, pool, UseID) })
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		var ce *storage.ConflictError
		switch {
		case err == nil:
			wins++
		case errors.As(err, &ce):
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d rotations won, want exactly 1 (errors %v)", wins, errs)
	}
	recs, _ := h.store.ListSigningKeys(ctx, pool)
	active := 0
	for _, r := range recs {
		if r.Active && r.Use == UseID {
			active++
		}
	}
	if len(recs) != 3 || active != 1 {
		t.Fatalf("%d keys, %d active ID keys; want 3 and 1", len(recs), active)
	}
	// Every replica converges on the winner's key.
	h.store.rotateGate = nil
	h.clk.Advance(DefaultRefresh)
	want, _, _ := replicas[0].Signer(ctx, pool, UseID)
	for _, r := range replicas[1:] {
		if got, _, _ := r.Signer(ctx, pool, UseID); got != want {
			t.Fatalf("replicas disagree: %s vs %s", got, want)
		}
	}
}

func TestSigningCertificate(t *testing.T) {
	h, m := setup(t)
	ctx := context.Background()
	b64, err := m.SigningCertificate(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	_, idKey, _ := m.Signer(ctx, pool, UseID)
	if !idKey.PublicKey.Equal(cert.PublicKey) {
		t.Fatal("certificate is not for the ID-token key")
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Fatalf("not validly self-signed: %v", err)
	}
	if cert.Subject.CommonName != pool || cert.Issuer.CommonName != pool {
		t.Errorf("subject %v issuer %v", cert.Subject, cert.Issuer)
	}
	if !cert.NotBefore.Equal(t0.Truncate(time.Second)) || !cert.NotAfter.Equal(t0.Truncate(time.Second).AddDate(10, 0, 0)) {
		t.Errorf("validity %v – %v", cert.NotBefore, cert.NotAfter)
	}
	if cert.SignatureAlgorithm != x509.SHA256WithRSA || cert.SerialNumber.Sign() <= 0 {
		t.Errorf("algorithm %v serial %v", cert.SignatureAlgorithm, cert.SerialNumber)
	}
	// Same certificate on every call, and from another replica with a cold cache.
	h.clk.Advance(time.Hour)
	if again, _ := m.SigningCertificate(ctx, pool); again != b64 {
		t.Fatal("second call returned a different certificate")
	}
	if other, _ := h.manager(t).SigningCertificate(ctx, pool); other != b64 {
		t.Fatal("another replica derived a different certificate")
	}
	// Rotating the ID key changes it.
	if err := m.Rotate(ctx, pool, UseID); err != nil {
		t.Fatal(err)
	}
	if rotated, _ := m.SigningCertificate(ctx, pool); rotated == b64 {
		t.Fatal("certificate unchanged after rotating the ID key")
	}
}

func TestUnknownPool(t *testing.T) {
	h := newHarness(t)
	m := h.manager(t)
	ctx := context.Background()
	if _, _, err := m.Signer(ctx, "us-east-1_Nope", UseID); !errors.Is(err, ErrNoKey) {
		t.Errorf("Signer: %v", err)
	}
	if _, err := m.JWKS(ctx, "us-east-1_Nope"); !errors.Is(err, ErrNoKey) {
		t.Errorf("JWKS: %v", err)
	}
	if _, err := m.PublicKey(ctx, "us-east-1_Nope", "abc"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("PublicKey: %v", err)
	}
	if _, err := m.SigningCertificate(ctx, "us-east-1_Nope"); !errors.Is(err, ErrNoKey) {
		t.Errorf("SigningCertificate: %v", err)
	}
	if err := m.Rotate(ctx, "us-east-1_Nope", UseID); !errors.Is(err, ErrNoKey) {
		t.Errorf("Rotate: %v", err)
	}
	m.mu.Lock()
	cached := len(m.pools)
	m.mu.Unlock()
	if cached != 0 {
		t.Errorf("%d cache entries kept for pools without keys", cached)
	}
}

func TestCreatePoolKeysTwice(t *testing.T) {
	h, m := setup(t)
	ctx := context.Background()
	kid, _, _ := m.Signer(ctx, pool, UseID)
	if err := h.manager(t).CreatePoolKeys(ctx, pool); err != nil {
		t.Fatal(err)
	}
	recs, _ := h.store.ListSigningKeys(ctx, pool)
	if len(recs) != 2 {
		t.Fatalf("%d keys after a second CreatePoolKeys, want 2", len(recs))
	}
	if again, _, _ := m.Signer(ctx, pool, UseID); again != kid {
		t.Fatal("second CreatePoolKeys replaced the key")
	}
}

func TestForget(t *testing.T) {
	h, m := setup(t)
	ctx := context.Background()
	if _, err := m.JWKS(ctx, pool); err != nil {
		t.Fatal(err)
	}
	h.store.mu.Lock()
	delete(h.store.keys, pool) // the pool was deleted
	h.store.mu.Unlock()
	m.Forget(pool)
	if _, err := m.JWKS(ctx, pool); !errors.Is(err, ErrNoKey) {
		t.Fatalf("JWKS of a forgotten, deleted pool: %v", err)
	}
}

func TestGeneratorBuffer(t *testing.T) {
	h := newHarness(t)
	m := h.manager(t)
	m.Warm()
	deadline := time.Now().Add(30 * time.Second)
	for len(m.gen.buf) < bufferSize {
		if time.Now().After(deadline) {
			t.Fatalf("buffer holds %d keys after 30s", len(m.gen.buf))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := m.CreatePoolKeys(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-m.gen.done:
	default:
		t.Fatal("filler still running after Close")
	}
	// Keys are still made (inline) after Close.
	if err := m.CreatePoolKeys(context.Background(), "us-east-1_After"); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil { // idempotent
		t.Fatal(err)
	}
}

func TestCloseBeforeStart(t *testing.T) {
	m := New(newFakeStore(), testSealer(t), clock.NewFake(t0), nil)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m.Warm() // must not start a filler nobody will stop
	if m.gen.started {
		t.Fatal("filler started after Close")
	}
	keys, err := m.gen.get(2)
	if err != nil || len(keys) != 2 || keys[0].Equal(keys[1]) {
		t.Fatalf("get after Close: %d keys, %v", len(keys), err)
	}
}
