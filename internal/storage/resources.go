package storage

import (
	"context"
	"time"
)

// Resource is a small record of a pool that needs no columns of its own: a
// family's configuration object (a domain, a resource server, an identity
// provider, a pool-level setting kept apart from the pool's document) or a
// per-user object (a remembered device, a passkey). Settings is the owning
// service's JSON document, stored verbatim.
//
// Keys: ID is unique per (PoolID, Kind). Owner, when set, is the User.Key of
// the user the record belongs to: the user must exist, and the record is
// deleted with the user (and every record with its pool). LookupKey, when
// set, is unique per Kind across all pools, and FindResource finds the
// record by it (a domain name, a device key, a credential id).
type Resource struct {
	PoolID    string
	Kind      string
	ID        string
	Owner     string
	LookupKey string
	Settings  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // bumped by every write; set by the store
}

// ResourceStore keeps Resources.
type ResourceStore interface {
	// CreateResource inserts r. ErrNotFound when the pool (or the Owner user) does not
	// exist; ErrAlreadyExists when (PoolID, Kind, ID) or (Kind, LookupKey) is taken. The
	// store sets Version.
	CreateResource(ctx context.Context, r *Resource) error
	GetResource(ctx context.Context, poolID, kind, id string) (*Resource, error)
	// FindResource finds a record by its LookupKey (unique per kind across pools).
	FindResource(ctx context.Context, kind, lookupKey string) (*Resource, error)
	// UpdateResource reads the record, applies fn and writes it back if its version did
	// not change meanwhile, retrying fn on a lost race. fn may change Settings, LookupKey
	// and UpdatedAt (ErrAlreadyExists if the new LookupKey is taken); ErrSkip ends
	// without writing; any other error aborts with that error.
	UpdateResource(ctx context.Context, poolID, kind, id string, fn func(*Resource) error) (*Resource, error)
	DeleteResource(ctx context.Context, poolID, kind, id string) error
	// ListResources pages through the pool's records of kind in ID order; owner, when
	// not "", keeps only that user's. next is "" on the last page.
	ListResources(ctx context.Context, poolID, kind, owner string, page Page) (rs []*Resource, next string, err error)
	// CountResources counts what ListResources would list.
	CountResources(ctx context.Context, poolID, kind, owner string) (int, error)
}
