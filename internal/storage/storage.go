// Package storage defines Cogito's record types and the Store interface every
// backend implements. Records are Cogito's own types, never the generated API
// shapes. Backends return only the sentinels below; services choose the
// Cognito exception.
//
// Settings blobs: a pool's and an app client's configuration is large and
// grows with every model release, so the owning service keeps it as a JSON
// document (Settings) that the store saves and returns verbatim. Columns are
// kept only for what the store must index, order or make unique.
package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Backends wrap nothing else through these.
var (
	ErrNotFound      = errors.New("storage: not found")
	ErrAlreadyExists = errors.New("storage: already exists")
	// ErrInvalidPageToken reports a page token the store did not issue.
	ErrInvalidPageToken = errors.New("storage: invalid page token")
)

// ConflictError reports a compare-and-swap that kept losing to concurrent
// writers after the bounded number of retries.
type ConflictError struct {
	Entity string
	Key    string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("storage: concurrent modification of %s %q", e.Entity, e.Key)
}

// ErrSkip, returned by an update closure, ends the update without writing and
// without error: the caller saw nothing to change.
var ErrSkip = errors.New("storage: skip update")

// MaxCASRetries bounds compare-and-swap retries before a *ConflictError.
const MaxCASRetries = 16

// UserPool is a user pool. Settings is the pool's configuration document,
// owned by the pools service.
type UserPool struct {
	ID        string
	Name      string
	Settings  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // bumped by every write; set by the store
}

// Client is an app client of a pool. Settings is the client's configuration
// document, owned by the clients service.
type Client struct {
	PoolID    string
	ID        string
	Name      string
	Settings  []byte
	Secrets   []ClientSecret
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// ClientSecret is one secret of an app client. Value is sealed (encrypted)
// by the service before it reaches the store.
type ClientSecret struct {
	ID        string
	Value     []byte
	CreatedAt time.Time
}

// SigningKey is one RS256 key of a pool. PrivateKey is sealed by the keys
// package; PublicKey is the public JWK as JSON.
type SigningKey struct {
	PoolID     string
	KeyID      string
	Algorithm  string
	Use        string // "id", "access", or "" for both
	PrivateKey []byte
	PublicKey  []byte
	Active     bool // the key new tokens are signed with (one per pool and Use)
	CreatedAt  time.Time
	RetiredAt  *time.Time // when it stopped signing; it still verifies until removed
}

// Page asks for one page of a listing. Token is the opaque token a previous
// page returned ("" for the first page).
type Page struct {
	Token string
	Limit int
}

// PoolStore keeps user pools.
type PoolStore interface {
	// CreatePool inserts p; ErrAlreadyExists if the id is taken. The store sets Version.
	CreatePool(ctx context.Context, p *UserPool) error
	GetPool(ctx context.Context, id string) (*UserPool, error)
	// UpdatePool reads the pool, applies fn and writes it back if the version did not change
	// meanwhile, retrying fn on a lost race. fn returning an error aborts with that error.
	UpdatePool(ctx context.Context, id string, fn func(*UserPool) error) (*UserPool, error)
	// DeletePool removes the pool and everything scoped to it (clients, keys, ...).
	DeletePool(ctx context.Context, id string) error
	// ListPools pages through pools in a stable order (by id); next is "" on the last page.
	ListPools(ctx context.Context, page Page) (pools []*UserPool, next string, err error)
}

// ClientStore keeps app clients.
type ClientStore interface {
	CreateClient(ctx context.Context, c *Client) error
	GetClient(ctx context.Context, poolID, clientID string) (*Client, error)
	// GetClientByID finds a client by id alone (ids are unique across pools).
	GetClientByID(ctx context.Context, clientID string) (*Client, error)
	UpdateClient(ctx context.Context, poolID, clientID string, fn func(*Client) error) (*Client, error)
	DeleteClient(ctx context.Context, poolID, clientID string) error
	ListClients(ctx context.Context, poolID string, page Page) (clients []*Client, next string, err error)
	CountClients(ctx context.Context, poolID string) (int, error)
}

// KeyStore keeps signing keys.
type KeyStore interface {
	// AddSigningKey inserts k. If k.Active, it must be the pool's first active key for
	// k.Use, else ErrAlreadyExists.
	AddSigningKey(ctx context.Context, k *SigningKey) error
	// ListSigningKeys returns the pool's keys, oldest first.
	ListSigningKeys(ctx context.Context, poolID string) ([]*SigningKey, error)
	// RotateSigningKey makes next the active key for next.Use in one transaction, retiring the
	// currently active key at next.CreatedAt, but only if the active key is still
	// expectActiveKeyID; otherwise a *ConflictError and nothing changes.
	RotateSigningKey(ctx context.Context, next *SigningKey, expectActiveKeyID string) error
	// DeleteSigningKey removes a retired key.
	DeleteSigningKey(ctx context.Context, poolID, keyID string) error
}

// TagStore keeps resource tags, keyed by resource ARN.
type TagStore interface {
	// SetTags adds or overwrites tags on a resource.
	SetTags(ctx context.Context, resourceARN string, tags map[string]string) error
	RemoveTags(ctx context.Context, resourceARN string, keys []string) error
	// GetTags returns the resource's tags (an empty, non-nil map when it has none).
	GetTags(ctx context.Context, resourceARN string) (map[string]string, error)
	DeleteAllTags(ctx context.Context, resourceARN string) error
}

// MetaStore keeps process-wide settings (e.g. the generated encryption key
// replicas must share).
type MetaStore interface {
	// GetOrPutMeta returns the stored value for key, storing value first if there is none.
	// Concurrent callers all get the same winning value.
	GetOrPutMeta(ctx context.Context, key string, value []byte) ([]byte, error)
}

// SharedMetaStore keeps small account-wide documents that every replica reads
// and updates: settings of no pool (provisioned API limits) and account-wide
// counters (API request rates). Keys share the meta table with MetaStore;
// callers keep to their own prefix.
type SharedMetaStore interface {
	// GetMeta returns the value stored under key; ErrNotFound when there is
	// none (or it is empty).
	GetMeta(ctx context.Context, key string) ([]byte, error)
	// UpdateMeta reads the value under key (nil when there is none), applies fn
	// and stores what it returns, in one transaction: concurrent updates of one
	// key, of several replicas too, are applied one after the other. fn
	// returning ErrSkip ends without writing and returns the current value; any
	// other error aborts with that error. Returns the stored value.
	UpdateMeta(ctx context.Context, key string, fn func(cur []byte) ([]byte, error)) ([]byte, error)
}

// Store is everything a backend provides.
type Store interface {
	PoolStore
	ClientStore
	KeyStore
	TagStore
	MetaStore
	SharedMetaStore
	UserStore
	GroupStore
	CodeStore
	MessageStore
	ImportStore
	TokenStore
	CounterStore
	EventStore
	IdentityPoolStore
	IdentityStore
	ResourceStore
	// Ping checks the database answers.
	Ping(ctx context.Context) error
	// Reset deletes all data (test mode).
	Reset(ctx context.Context) error
	Close() error
}
