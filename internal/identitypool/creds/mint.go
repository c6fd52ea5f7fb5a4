package creds

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Minted credentials' shape and life.
const (
	// Validity is how long minted credentials last (Cognito's: 1 hour).
	Validity = time.Hour
	// AccessKeyPrefix marks temporary credentials, as STS's do.
	AccessKeyPrefix = "ASIA"
	accessKeyChars  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretChars     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	// sessionTokenPurpose derives the key sealing session tokens.
	sessionTokenPurpose = "identity-session-token"
)

// Store is what the Minter needs of the storage backend.
type Store interface {
	PutIdentityCredentials(ctx context.Context, c *storage.IdentityCredentials) error
	GetIdentityCredentials(ctx context.Context, accessKeyID string) (*storage.IdentityCredentials, error)
	DeleteExpiredIdentityCredentials(ctx context.Context, now time.Time) (int, error)
}

// sweepEvery is how often minting also deletes expired records (every
// replica sweeps; the delete is idempotent and reads one index range).
const sweepEvery = 5 * time.Minute

// MintConfig holds the Minter's dependencies; Store and Sealer are required.
type MintConfig struct {
	Store  Store
	Sealer *keys.Sealer
	Clock  clock.Clock
	Logger *slog.Logger
}

// Minter makes credentials itself and records them.
type Minter struct {
	store  Store
	sealer *keys.Sealer
	aead   cipher.AEAD
	clock  clock.Clock
	log    *slog.Logger

	mu        sync.Mutex
	lastSweep time.Time
}

// NewMinter returns a Minter.
func NewMinter(cfg MintConfig) *Minter {
	if cfg.Store == nil || cfg.Sealer == nil {
		panic("creds: MintConfig.Store and Sealer are required")
	}
	block, err := aes.NewCipher(cfg.Sealer.DeriveKey(sessionTokenPurpose))
	if err != nil {
		panic("creds: " + err.Error()) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("creds: " + err.Error())
	}
	m := &Minter{store: cfg.Store, sealer: cfg.Sealer, aead: aead, clock: cfg.Clock, log: cfg.Logger}
	if m.clock == nil {
		m.clock = clock.Real{}
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	return m
}

// Session is what a minted set of credentials stands for; the session token
// seals it and the store records it.
type Session struct {
	AccessKeyID    string            `json:"AccessKeyId"`
	IdentityID     string            `json:"IdentityId"`
	IdentityPoolID string            `json:"IdentityPoolId"`
	RoleARN        string            `json:"RoleArn"`
	PrincipalTags  map[string]string `json:"PrincipalTags,omitempty"`
	Authenticated  bool              `json:"Authenticated"`
	AMR            []string          `json:"Amr,omitempty"`
	Issued         int64             `json:"Issued"`
	Expiration     int64             `json:"Expiration"`
}

// Credentials mints a set for r and records it.
func (m *Minter) Credentials(ctx context.Context, r *Request) (*Credentials, error) {
	now := m.clock.Now().UTC()
	exp := now.Add(Validity)
	m.sweep(ctx, now)
	for range 3 {
		s := &Session{
			AccessKeyID: AccessKeyPrefix + randomFrom(accessKeyChars, 16), IdentityID: r.IdentityID, IdentityPoolID: r.PoolID,
			RoleARN: r.RoleARN, PrincipalTags: r.PrincipalTags, Authenticated: r.Authenticated, AMR: r.AMR,
			Issued: now.Unix(), Expiration: exp.Unix(),
		}
		secret := randomFrom(secretChars, 40)
		token, err := m.seal(s)
		if err != nil {
			return nil, err
		}
		sealed, err := m.sealer.Seal([]byte(secret), []byte(s.AccessKeyID))
		if err != nil {
			return nil, fmt.Errorf("creds: sealing a secret: %w", err)
		}
		doc, err := json.Marshal(record{Session: *s, SessionToken: token})
		if err != nil {
			return nil, fmt.Errorf("creds: %w", err)
		}
		err = m.store.PutIdentityCredentials(ctx, &storage.IdentityCredentials{
			AccessKeyID: s.AccessKeyID, PoolID: r.PoolID, IdentityID: r.IdentityID, RoleARN: r.RoleARN,
			SecretKey: sealed, Document: doc, CreatedAt: now, ExpiresAt: exp,
		})
		if errors.Is(err, storage.ErrAlreadyExists) {
			continue // an access key id clash: draw another
		}
		if err != nil {
			return nil, fmt.Errorf("creds: recording credentials: %w", err)
		}
		m.log.DebugContext(ctx, "identity credentials minted", "identity", r.IdentityID, "role", r.RoleARN, "accessKeyId", s.AccessKeyID)
		return &Credentials{AccessKeyID: s.AccessKeyID, SecretKey: secret, SessionToken: token, Expiration: exp}, nil
	}
	return nil, errors.New("creds: could not draw a free access key id")
}

// sweep deletes expired records when the last sweep is sweepEvery old.
func (m *Minter) sweep(ctx context.Context, now time.Time) {
	m.mu.Lock()
	due := now.Sub(m.lastSweep) >= sweepEvery
	if due {
		m.lastSweep = now
	}
	m.mu.Unlock()
	if !due {
		return
	}
	if n, err := m.store.DeleteExpiredIdentityCredentials(ctx, now); err != nil {
		m.log.WarnContext(ctx, "deleting expired identity credentials", "err", err)
	} else if n > 0 {
		m.log.DebugContext(ctx, "deleted expired identity credentials", "count", n)
	}
}

// record is the stored document of a minted set.
type record struct {
	Session
	SessionToken string `json:"SessionToken"`
}

// Minted is a recorded set of credentials with its secret, as the lookup
// endpoint shows it.
type Minted struct {
	Session
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
}

// String never shows the secret or the session token.
func (m *Minted) String() string {
	return "creds.Minted{AccessKeyId:" + m.AccessKeyID + " IdentityId:" + m.IdentityID + " secrets:[REDACTED]}"
}

// ErrUnknownKey means no recorded credentials have that access key id (or
// they expired and were collected).
var ErrUnknownKey = errors.New("creds: unknown access key id")

// Lookup returns a recorded set by access key id; expired ones are unknown.
func (m *Minter) Lookup(ctx context.Context, accessKeyID string) (*Minted, error) {
	rec, err := m.store.GetIdentityCredentials(ctx, accessKeyID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrUnknownKey
	}
	if err != nil {
		return nil, fmt.Errorf("creds: %w", err)
	}
	if !m.clock.Now().Before(rec.ExpiresAt) {
		return nil, ErrUnknownKey
	}
	var doc record
	if err := json.Unmarshal(rec.Document, &doc); err != nil {
		return nil, fmt.Errorf("creds: record of %s: %w", accessKeyID, err)
	}
	secret, err := m.sealer.Open(rec.SecretKey, []byte(accessKeyID))
	if err != nil {
		return nil, fmt.Errorf("creds: secret of %s: %w", accessKeyID, err)
	}
	return &Minted{Session: doc.Session, SecretAccessKey: string(secret), SessionToken: doc.SessionToken}, nil
}

// OpenSessionToken reads a session token this Minter (or a replica sharing
// the master key) issued. Expiry is not checked.
func (m *Minter) OpenSessionToken(tok string) (*Session, error) {
	b, err := base64.StdEncoding.DecodeString(tok)
	ns := m.aead.NonceSize()
	if err != nil || len(b) < 1+ns+m.aead.Overhead() || b[0] != sessionTokenVersion {
		return nil, errors.New("creds: not a session token")
	}
	plain, err := m.aead.Open(nil, b[1:1+ns], b[1+ns:], b[:1])
	if err != nil {
		return nil, errors.New("creds: not a session token")
	}
	var s Session
	if err := json.Unmarshal(plain, &s); err != nil {
		return nil, errors.New("creds: not a session token")
	}
	return &s, nil
}

const sessionTokenVersion = 1

// seal makes the session token: version | nonce | AES-GCM(session JSON),
// in standard base64 (the alphabet AWS session tokens use).
func (m *Minter) seal(s *Session) (string, error) {
	plain, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("creds: %w", err)
	}
	ns := m.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+m.aead.Overhead())
	out[0] = sessionTokenVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return "", fmt.Errorf("creds: nonce: %w", err)
	}
	out = m.aead.Seal(out, out[1:1+ns], plain, out[:1])
	return base64.StdEncoding.EncodeToString(out), nil
}
