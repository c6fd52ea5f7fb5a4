// Package keys keeps each user pool's RS256 signing keys and the master key
// that encrypts secrets at rest.
//
// Every pool has two active keys, one signing ID tokens and one signing access
// tokens (Cognito's JWKS lists two keys). Private keys are stored sealed by a
// Sealer; public keys as JWK JSON. Rotation is a compare-and-swap in the
// store, so several replicas sharing a database agree on one active key, and
// a retired key keeps verifying until it is pruned.
package keys

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Key uses: which tokens a key signs.
const (
	UseID     = "id"
	UseAccess = "access"
)

// Algorithm is the JWS algorithm of every signing key.
const Algorithm = "RS256"

// DefaultRefresh is how long cached keys are trusted before they are re-read,
// so a rotation made by another replica is picked up within this time.
const DefaultRefresh = 5 * time.Second

// maxKeyIDLen bounds the key ids PublicKey will look up in the store; longer
// ones cannot be ours.
const maxKeyIDLen = 256

// Errors of Manager.
var (
	// ErrNoKey means the pool has no (active) signing key: an unknown pool, or
	// one whose keys were never created.
	ErrNoKey = errors.New("keys: pool has no signing key")
	// ErrUnknownKey means the pool has no key with that id (never existed, or pruned).
	ErrUnknownKey = errors.New("keys: unknown key id")
	// ErrBadUse means a use other than UseID or UseAccess was asked for.
	ErrBadUse = errors.New(`keys: use must be "id" or "access"`)
)

// Manager creates, caches, rotates and publishes pools' signing keys. It is
// safe for concurrent use; several Managers (replicas) may share one store.
type Manager struct {
	store   storage.KeyStore
	sealer  *Sealer
	clk     clock.Clock
	log     *slog.Logger
	gen     *generator
	refresh time.Duration

	mu    sync.Mutex
	pools map[string]*poolCache
}

// poolCache holds the latest snapshot of one pool's keys. Loads are
// serialized; a caller that needs a load begun after its own arrival (an
// unknown kid, a rotation) waits for one, and callers arriving together share it.
type poolCache struct {
	loadMu  sync.Mutex
	started atomic.Uint64 // loads begun
	snap    atomic.Pointer[snapshot]
}

// snapshot is an immutable view of a pool's keys.
type snapshot struct {
	seq      uint64 // the load that produced it
	loadedAt time.Time
	stale    bool // invalidated: the next read reloads
	byKid    map[string]*keyEntry
	active   map[string]*keyEntry // by use
	jwks     []byte
}

// keyEntry is one parsed key. Entries are shared between snapshots of the
// same pool (a kid is a digest of the key, so the same kid is the same key).
type keyEntry struct {
	poolID    string
	kid       string
	use       string
	createdAt time.Time
	pub       *rsa.PublicKey
	priv      *rsa.PrivateKey // set for keys that were active when loaded
	jwk       []byte

	certOnce sync.Once
	cert     string
	certErr  error
}

// String never shows the private key.
func (e *keyEntry) String() string {
	return fmt.Sprintf("keys.entry{pool:%s kid:%s use:%s private:[REDACTED]}", e.poolID, e.kid, e.use)
}

// LogValue never shows the private key.
func (e *keyEntry) LogValue() slog.Value {
	return slog.GroupValue(slog.String("pool", e.poolID), slog.String("kid", e.kid), slog.String("use", e.use))
}

// New returns a Manager over store, sealing private keys with sealer. A nil
// logger discards. Call Close to stop the background key generator.
func New(store storage.KeyStore, sealer *Sealer, clk clock.Clock, logger *slog.Logger) *Manager {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{
		store:   store,
		sealer:  sealer,
		clk:     clk,
		log:     logger,
		gen:     newGenerator(logger),
		refresh: DefaultRefresh,
		pools:   make(map[string]*poolCache),
	}
}

// Warm starts filling the buffer of pre-generated keys now rather than at the
// first pool creation. (Rotation, being rare, generates its key inline and
// does not start the buffer.)
func (m *Manager) Warm() { m.gen.start() }

// Close stops the background key generator (waiting for a key being
// generated). The Manager keeps working; new keys are then generated inline.
func (m *Manager) Close() error {
	m.gen.close()
	return nil
}

// CreatePoolKeys creates the pool's two active keys (ID and access tokens).
// A use that already has an active key (another replica got there first) is
// left alone, so calling it again is harmless.
func (m *Manager) CreatePoolKeys(ctx context.Context, poolID string) error {
	uses := []string{UseID, UseAccess}
	m.gen.start() // pools come in bursts (tests, imports): keep keys ready from now on
	privs, err := m.gen.get(len(uses))
	if err != nil {
		return fmt.Errorf("keys: generating signing keys: %w", err)
	}
	for i, use := range uses {
		rec, err := m.newRecord(poolID, use, privs[i])
		if err != nil {
			return err
		}
		if err := m.store.AddSigningKey(ctx, rec); err != nil {
			if errors.Is(err, storage.ErrAlreadyExists) {
				continue
			}
			return fmt.Errorf("keys: storing %s key of pool %s: %w", use, poolID, err)
		}
	}
	m.invalidate(poolID)
	m.log.Debug("signing keys created", "pool", poolID)
	return nil
}

// Signer returns the active key for minting tokens of the given use
// (UseID or UseAccess) and its kid, for the JWS header. The key is shared:
// callers must not modify it.
func (m *Manager) Signer(ctx context.Context, poolID, use string) (kid string, key *rsa.PrivateKey, err error) {
	if use != UseID && use != UseAccess {
		return "", nil, ErrBadUse
	}
	s, err := m.snapshot(ctx, poolID, false)
	if err != nil {
		return "", nil, err
	}
	e := s.activeFor(use)
	if e == nil {
		return "", nil, fmt.Errorf("%w: pool %s, use %s", ErrNoKey, poolID, use)
	}
	return e.kid, e.priv, nil
}

// PublicKey returns the public key with the given kid, active or retired, for
// verifying a token. A kid not in the cache causes a fresh read of the store
// (another replica may have rotated).
func (m *Manager) PublicKey(ctx context.Context, poolID, kid string) (*rsa.PublicKey, error) {
	if kid == "" || len(kid) > maxKeyIDLen {
		return nil, ErrUnknownKey
	}
	if s := m.cached(poolID); s != nil {
		if e := s.byKid[kid]; e != nil {
			return e.pub, nil
		}
	}
	// Not cached, or the cache is old: read the store (once, shared with
	// concurrent callers that need a read begun no earlier).
	s, err := m.snapshot(ctx, poolID, true)
	if err != nil {
		return nil, err
	}
	if e := s.byKid[kid]; e != nil {
		return e.pub, nil
	}
	return nil, ErrUnknownKey
}

// JWKS returns the pool's JSON Web Key Set, {"keys":[...]}, with its active
// and retired-but-kept keys, oldest first. ErrNoKey if the pool has no keys.
func (m *Manager) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	s, err := m.snapshot(ctx, poolID, false)
	if err != nil {
		return nil, err
	}
	if len(s.byKid) == 0 {
		return nil, fmt.Errorf("%w: pool %s", ErrNoKey, poolID)
	}
	return bytes.Clone(s.jwks), nil
}

// Rotate replaces the active key for use with a new one. The old key is
// retired but keeps verifying tokens it signed. If another rotation of the
// same key wins the race, Rotate returns its *storage.ConflictError and
// changes nothing.
func (m *Manager) Rotate(ctx context.Context, poolID, use string) error {
	if use != UseID && use != UseAccess {
		return ErrBadUse
	}
	s, err := m.snapshot(ctx, poolID, true)
	if err != nil {
		return err
	}
	cur := s.active[use]
	if cur == nil {
		return fmt.Errorf("%w: pool %s, use %s", ErrNoKey, poolID, use)
	}
	privs, err := m.gen.get(1)
	if err != nil {
		return fmt.Errorf("keys: generating signing key: %w", err)
	}
	next, err := m.newRecord(poolID, use, privs[0])
	if err != nil {
		return err
	}
	if err := m.store.RotateSigningKey(ctx, next, cur.kid); err != nil {
		return err
	}
	m.invalidate(poolID)
	m.log.Info("signing key rotated", "pool", poolID, "use", use, "kid", next.KeyID, "previous_kid", cur.kid)
	return nil
}

// PruneRetired deletes the pool's retired keys that stopped signing before
// cutoff; tokens they signed no longer verify. It returns how many it deleted.
func (m *Manager) PruneRetired(ctx context.Context, poolID string, cutoff time.Time) (int, error) {
	recs, err := m.store.ListSigningKeys(ctx, poolID)
	if err != nil {
		return 0, fmt.Errorf("keys: listing keys of pool %s: %w", poolID, err)
	}
	n := 0
	for _, r := range recs {
		if r.Active || r.RetiredAt == nil || !r.RetiredAt.Before(cutoff) {
			continue
		}
		err := m.store.DeleteSigningKey(ctx, poolID, r.KeyID)
		switch {
		case err == nil:
			n++
		case errors.Is(err, storage.ErrNotFound):
			// another replica pruned it first
		default:
			m.invalidate(poolID)
			return n, fmt.Errorf("keys: deleting key %s of pool %s: %w", r.KeyID, poolID, err)
		}
	}
	if n > 0 {
		m.invalidate(poolID)
	}
	return n, nil
}

// SigningCertificate returns the base64 DER of a self-signed X.509
// certificate for the pool's active ID-token key: what GetSigningCertificate
// returns. It is derived deterministically from the key (serial from the kid,
// validity from the key's creation), so every call and every replica returns
// the same certificate until the key rotates.
func (m *Manager) SigningCertificate(ctx context.Context, poolID string) (string, error) {
	s, err := m.snapshot(ctx, poolID, false)
	if err != nil {
		return "", err
	}
	e := s.activeFor(UseID)
	if e == nil {
		return "", fmt.Errorf("%w: pool %s", ErrNoKey, poolID)
	}
	e.certOnce.Do(func() { e.cert, e.certErr = selfSignedCert(e) })
	return e.cert, e.certErr
}

// Forget drops the cached keys of a pool (call it after deleting the pool).
func (m *Manager) Forget(poolID string) {
	m.mu.Lock()
	delete(m.pools, poolID)
	m.mu.Unlock()
}

// Reset drops every cached key (after a store reset).
func (m *Manager) Reset() {
	m.mu.Lock()
	clear(m.pools)
	m.mu.Unlock()
}

func (s *snapshot) activeFor(use string) *keyEntry {
	if e := s.active[use]; e != nil {
		return e
	}
	return s.active[""] // a key for both uses
}

func (m *Manager) poolCache(poolID string) *poolCache {
	m.mu.Lock()
	defer m.mu.Unlock()
	pc := m.pools[poolID]
	if pc == nil {
		pc = &poolCache{}
		m.pools[poolID] = pc
	}
	return pc
}

// cached returns the pool's snapshot if one is cached and fresh, else nil.
func (m *Manager) cached(poolID string) *snapshot {
	m.mu.Lock()
	pc := m.pools[poolID]
	m.mu.Unlock()
	if pc == nil {
		return nil
	}
	if s := pc.snap.Load(); s != nil && m.fresh(s) {
		return s
	}
	return nil
}

func (m *Manager) fresh(s *snapshot) bool {
	if s.stale {
		return false
	}
	age := m.clk.Now().Sub(s.loadedAt)
	return age >= 0 && age < m.refresh
}

// snapshot returns the pool's keys: the cached snapshot while fresh, unless
// force asks for one loaded after this call began.
func (m *Manager) snapshot(ctx context.Context, poolID string, force bool) (*snapshot, error) {
	pc := m.poolCache(poolID)
	if !force {
		if s := pc.snap.Load(); s != nil && m.fresh(s) {
			return s, nil
		}
	}
	begun := pc.started.Load()
	pc.loadMu.Lock()
	defer pc.loadMu.Unlock()
	prev := pc.snap.Load()
	if prev != nil && !prev.stale && (prev.seq > begun || (!force && m.fresh(prev))) {
		return prev, nil // loaded by someone else while we waited
	}
	seq := pc.started.Add(1)
	recs, err := m.store.ListSigningKeys(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("keys: loading keys of pool %s: %w", poolID, err)
	}
	s, err := m.build(poolID, seq, recs, prev)
	if err != nil {
		return nil, err
	}
	if len(s.byKid) == 0 {
		// Keep no cache for pools without keys, so unknown pool ids cost no memory.
		pc.snap.Store(nil)
		m.mu.Lock()
		if m.pools[poolID] == pc {
			delete(m.pools, poolID)
		}
		m.mu.Unlock()
		return s, nil
	}
	pc.snap.Store(s)
	return s, nil
}

// invalidate makes the next read of the pool's keys go to the store.
func (m *Manager) invalidate(poolID string) {
	m.mu.Lock()
	pc := m.pools[poolID]
	m.mu.Unlock()
	if pc == nil {
		return
	}
	pc.loadMu.Lock()
	if s := pc.snap.Load(); s != nil {
		stale := *s // keep the parsed entries for reuse by the next load
		stale.stale = true
		pc.snap.Store(&stale)
	}
	pc.loadMu.Unlock()
}

// build parses records into a snapshot, reusing entries of prev.
func (m *Manager) build(poolID string, seq uint64, recs []*storage.SigningKey, prev *snapshot) (*snapshot, error) {
	s := &snapshot{
		seq:      seq,
		loadedAt: m.clk.Now(),
		byKid:    make(map[string]*keyEntry, len(recs)),
		active:   make(map[string]*keyEntry, 2),
	}
	var jwks bytes.Buffer
	jwks.WriteString(`{"keys":[`)
	for _, r := range recs {
		if r.PoolID != "" && r.PoolID != poolID {
			continue
		}
		var e *keyEntry
		if prev != nil {
			e = prev.byKid[r.KeyID]
		}
		if e == nil || (r.Active && e.priv == nil) {
			var err error
			if e, err = m.parse(poolID, r); err != nil {
				if r.Active {
					return nil, err
				}
				// A damaged retired key must not stop the pool from signing.
				m.log.Error("skipping unreadable retired signing key", "pool", poolID, "kid", r.KeyID, "err", err)
				continue
			}
		}
		if len(s.byKid) > 0 {
			jwks.WriteByte(',')
		}
		jwks.Write(e.jwk)
		s.byKid[e.kid] = e
		if r.Active {
			s.active[r.Use] = e // the store keeps one per use; oldest first, so the newest wins
		}
	}
	jwks.WriteString(`]}`)
	s.jwks = jwks.Bytes()
	return s, nil
}

// parse reads one stored key; the private key only if the key is active.
func (m *Manager) parse(poolID string, r *storage.SigningKey) (*keyEntry, error) {
	if r.Algorithm != "" && r.Algorithm != Algorithm {
		return nil, fmt.Errorf("keys: key %s of pool %s has algorithm %q, want %s", r.KeyID, poolID, r.Algorithm, Algorithm)
	}
	pub, err := parseJWK(r.PublicKey, r.KeyID)
	if err != nil {
		return nil, fmt.Errorf("keys: key %s of pool %s: %w", r.KeyID, poolID, err)
	}
	var jwk bytes.Buffer
	if err := json.Compact(&jwk, r.PublicKey); err != nil {
		return nil, fmt.Errorf("keys: key %s of pool %s: %w", r.KeyID, poolID, err)
	}
	e := &keyEntry{
		poolID:    poolID,
		kid:       r.KeyID,
		use:       r.Use,
		createdAt: r.CreatedAt,
		pub:       pub,
		jwk:       jwk.Bytes(),
	}
	if r.Active {
		der, err := m.sealer.Open(r.PrivateKey, privateKeyAD(poolID, r.KeyID))
		if err != nil {
			return nil, fmt.Errorf("keys: cannot decrypt signing key %s of pool %s (was the master key changed?): %w", r.KeyID, poolID, err)
		}
		k, err := x509.ParsePKCS8PrivateKey(der)
		clear(der)
		if err != nil {
			return nil, fmt.Errorf("keys: signing key %s of pool %s: %w", r.KeyID, poolID, err)
		}
		priv, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("keys: signing key %s of pool %s is %T, want RSA", r.KeyID, poolID, k)
		}
		if !priv.PublicKey.Equal(pub) {
			return nil, fmt.Errorf("keys: signing key %s of pool %s does not match its public key", r.KeyID, poolID)
		}
		e.priv = priv
	}
	return e, nil
}

// newRecord turns a generated key into a store record, private key sealed.
func (m *Manager) newRecord(poolID, use string, priv *rsa.PrivateKey) (*storage.SigningKey, error) {
	kid, err := keyID(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	sealed, err := m.sealer.Seal(der, privateKeyAD(poolID, kid))
	clear(der)
	if err != nil {
		return nil, err
	}
	jwk, err := marshalJWK(kid, &priv.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	return &storage.SigningKey{
		PoolID:     poolID,
		KeyID:      kid,
		Algorithm:  Algorithm,
		Use:        use,
		PrivateKey: sealed,
		PublicKey:  jwk,
		Active:     true,
		CreatedAt:  m.clk.Now().UTC(),
	}, nil
}

// privateKeyAD binds a sealed private key to its pool and kid, so a sealed
// key copied to another row fails to open.
func privateKeyAD(poolID, kid string) []byte {
	return []byte("cogito/signing-key/v1\x00" + poolID + "\x00" + kid)
}
