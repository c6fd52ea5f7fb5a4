package keys

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/cogito-dev/cogito/internal/storage"
)

// MasterKeySize is the size of the master key: AES-256.
const MasterKeySize = 32

// Sealed data layout, version 1:
//
//	0x01 | nonce (12 bytes) | AES-256-GCM ciphertext and tag (16 bytes)
//
// The version byte is also authenticated (it is prefixed to the caller's
// associated data), so it cannot be altered to select another format. A later
// version can name a different master key (rotation) while Open keeps
// accepting version 1.
const (
	sealVersion1  = 0x01
	gcmNonceSize  = 12
	gcmTagSize    = 16
	sealOverhead1 = 1 + gcmNonceSize + gcmTagSize
)

// MasterKeyFile is the name of the generated key file inside the data directory.
const MasterKeyFile = "master.key"

// metaMasterKey is the MetaStore key under which a generated master key is
// shared by replicas when no key is configured.
const metaMasterKey = "master-key"

// Errors of Open.
var (
	// ErrSealedCorrupt means sealed data failed authentication: it was altered,
	// belongs to another record (associated data), or was sealed with another master key.
	ErrSealedCorrupt = errors.New("keys: sealed data failed authentication (altered, misplaced, or sealed with another master key)")
	// ErrSealedVersion means sealed data carries a format version this build does not know.
	ErrSealedVersion = errors.New("keys: unknown sealed data version")
)

// Sealer encrypts secrets at rest (private signing keys, client secrets) with
// AES-256-GCM under the master key. It is safe for concurrent use. Its String
// and LogValue never reveal the key.
type Sealer struct {
	aead   cipher.AEAD
	source string // where the key came from, for logs: "config", "file", "database", "raw"
	// stored is the key's encoded form as kept in the database (source
	// "database" only), so a test-mode reset that empties the store can put it back.
	stored []byte
	// prk is the HKDF pseudo-random key extracted from the master key, from
	// which DeriveKey expands purpose-bound keys.
	prk []byte
}

// NewSealer returns a Sealer for a 32-byte master key.
func NewSealer(masterKey []byte) (*Sealer, error) {
	return newSealer(masterKey, "raw")
}

func newSealer(masterKey []byte, source string) (*Sealer, error) {
	if len(masterKey) != MasterKeySize {
		return nil, fmt.Errorf("keys: master key must be %d bytes, got %d", MasterKeySize, len(masterKey))
	}
	block, err := aes.NewCipher(masterKey)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	prk, err := hkdf.Extract(sha256.New, masterKey, []byte("cogito keys v1"))
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	return &Sealer{aead: aead, source: source, prk: prk}, nil
}

// DeriveKey returns a 32-byte key for one purpose (e.g. "srp-state",
// "auth-session"), the same on every replica sharing the master key and
// independent of the keys of other purposes.
func (s *Sealer) DeriveKey(purpose string) []byte {
	k, err := hkdf.Expand(sha256.New, s.prk, purpose, 32)
	if err != nil {
		panic("keys: hkdf expand: " + err.Error()) // only fails for lengths > 255*32
	}
	return k
}

// Seal encrypts plaintext. associatedData is authenticated but not stored:
// Open must be given the same bytes (bind a secret to its record, e.g. pool
// and key id, so it cannot be moved to another row).
func (s *Sealer) Seal(plaintext, associatedData []byte) ([]byte, error) {
	out := make([]byte, 1+gcmNonceSize, sealOverhead1+len(plaintext))
	out[0] = sealVersion1
	nonce := out[1 : 1+gcmNonceSize]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("keys: nonce: %w", err)
	}
	return s.aead.Seal(out, nonce, plaintext, versionedAD(sealVersion1, associatedData)), nil
}

// Open decrypts what Seal produced with the same associated data.
func (s *Sealer) Open(sealed, associatedData []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, ErrSealedCorrupt
	}
	switch sealed[0] {
	case sealVersion1:
		if len(sealed) < sealOverhead1 {
			return nil, ErrSealedCorrupt
		}
		nonce := sealed[1 : 1+gcmNonceSize]
		plain, err := s.aead.Open(nil, nonce, sealed[1+gcmNonceSize:], versionedAD(sealVersion1, associatedData))
		if err != nil {
			return nil, ErrSealedCorrupt
		}
		return plain, nil
	default:
		return nil, fmt.Errorf("%w %d", ErrSealedVersion, sealed[0])
	}
}

func versionedAD(version byte, ad []byte) []byte {
	out := make([]byte, 0, 1+len(ad))
	out = append(out, version)
	return append(out, ad...)
}

// String hides the key.
func (s *Sealer) String() string { return "keys.Sealer{key:[REDACTED] source:" + s.source + "}" }

// LogValue hides the key.
func (s *Sealer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key", "[REDACTED]"), slog.String("source", s.source))
}

// SealerConfig says where the master key comes from.
type SealerConfig struct {
	// Key is the base64-encoded 32-byte master key from configuration or the
	// environment. When set it always wins.
	Key string
	// DataDir is the data directory of an embedded (SQLite) database; without a
	// configured Key a generated key is kept in DataDir/master.key.
	DataDir string
	// Shared is true when several replicas share the database (PostgreSQL).
	// Without a configured Key the generated key is then kept in the database
	// itself, so all replicas agree on it.
	Shared bool
	// Logger receives where the key came from (never the key). Nil discards.
	Logger *slog.Logger
}

// LoadSealer returns the Sealer for the configured or generated master key:
//
//  1. cfg.Key, when set;
//  2. else, unless cfg.Shared, the key file DataDir/master.key (0600), created
//     once with a fresh random key;
//  3. else a random key stored once through meta.GetOrPutMeta("master-key"),
//     so every replica uses the same one. This keeps the key beside the data
//     it protects; a warning says to configure one.
func LoadSealer(ctx context.Context, cfg SealerConfig, meta storage.MetaStore) (*Sealer, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Key != "" {
		key, err := decodeMasterKey(cfg.Key)
		if err != nil {
			return nil, fmt.Errorf("keys: configured master key: %w", err)
		}
		logger.Info("master key loaded", "source", "config")
		return newSealer(key, "config")
	}
	if !cfg.Shared && cfg.DataDir != "" {
		path := filepath.Join(cfg.DataDir, MasterKeyFile)
		key, created, err := loadOrCreateKeyFile(path)
		if err != nil {
			return nil, err
		}
		if created {
			logger.Warn("generated a new master key; back it up with the data, or configure one", "source", "file", "path", path)
		} else {
			logger.Info("master key loaded", "source", "file", "path", path)
			if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
				logger.Warn("master key file is readable by others; chmod 600 it", "path", path, "mode", fi.Mode().Perm().String())
			}
		}
		return newSealer(key, "file")
	}
	if meta == nil {
		return nil, errors.New("keys: no master key configured and no store to keep a generated one")
	}
	fresh := make([]byte, MasterKeySize)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	stored, err := meta.GetOrPutMeta(ctx, metaMasterKey, []byte(base64.StdEncoding.EncodeToString(fresh)))
	if err != nil {
		return nil, fmt.Errorf("keys: master key from the database: %w", err)
	}
	key, err := decodeMasterKey(string(stored))
	if err != nil {
		return nil, fmt.Errorf("keys: master key stored in the database: %w", err)
	}
	if cfg.Shared {
		logger.Warn("no master key configured: using a generated key kept in the database beside the data it protects; configure a master key to keep them apart", "source", "database")
	} else {
		logger.Info("no master key configured and no data directory: using a generated key kept in the store", "source", "database")
	}
	sl, err := newSealer(key, "database")
	if err != nil {
		return nil, err
	}
	sl.stored = stored
	return sl, nil
}

// Restore puts a database-kept master key back after the store was emptied
// (a test-mode reset): without it, the next start would generate a new key
// and could not open the secrets sealed since. Keys from config or a file
// need nothing.
func (s *Sealer) Restore(ctx context.Context, meta storage.MetaStore) error {
	if s.stored == nil {
		return nil
	}
	got, err := meta.GetOrPutMeta(ctx, metaMasterKey, s.stored)
	if err != nil {
		return fmt.Errorf("keys: restoring the master key: %w", err)
	}
	if string(got) != string(s.stored) {
		return errors.New("keys: the database holds another master key than the one in use")
	}
	return nil
}

// GenerateMasterKey returns a fresh random master key in the base64 form
// SealerConfig.Key takes (for a "generate a key" command or documentation).
func GenerateMasterKey() string {
	key := make([]byte, MasterKeySize)
	_, _ = rand.Read(key)
	return base64.StdEncoding.EncodeToString(key)
}

// decodeMasterKey accepts standard or URL-safe base64, padded or not.
func decodeMasterKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil {
			if len(key) != MasterKeySize {
				return nil, fmt.Errorf("must decode to %d bytes, got %d", MasterKeySize, len(key))
			}
			return key, nil
		}
	}
	return nil, errors.New("not valid base64")
}

// loadOrCreateKeyFile reads the key file, or creates it with a new random key
// if it does not exist. Creation is atomic: the key is written to a temporary
// file that is then hard-linked into place, which fails if another process
// won the race, in which case its key is read instead.
func loadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	key, err = readKeyFile(path)
	if err == nil {
		return key, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("keys: creating data directory: %w", err)
	}
	encoded := GenerateMasterKey() + "\n"
	tmp, err := os.CreateTemp(dir, ".master.key-*")
	if err != nil {
		return nil, false, fmt.Errorf("keys: creating master key file: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("keys: creating master key file: %w", err)
	}
	if _, err := tmp.WriteString(encoded); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("keys: writing master key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("keys: writing master key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, false, fmt.Errorf("keys: writing master key file: %w", err)
	}
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			key, err = readKeyFile(path)
			return key, false, err
		}
		return nil, false, fmt.Errorf("keys: installing master key file: %w", err)
	}
	syncDir(dir)
	key, err = decodeMasterKey(encoded)
	return key, true, err
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("keys: reading master key file: %w", err)
	}
	key, err := decodeMasterKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("keys: master key file %s: %w", path, err)
	}
	return key, nil
}

// syncDir makes a new directory entry durable where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
