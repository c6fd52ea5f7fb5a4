package storage

import (
	"context"
	"time"
)

// IdentityPool is an identity pool of the Identity Pools API
// (cognito-identity). ID is "{region}:{uuid}". Settings is the pool's
// configuration document (providers, roles, role mappings, principal-tag
// maps), owned by the identitypool service and stored verbatim.
type IdentityPool struct {
	ID        string
	Name      string
	Settings  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // bumped by every write; set by the store
}

// IdentityPoolStore keeps identity pools. Their tags live in the TagStore,
// keyed by the pool's ARN; the service deletes them with the pool.
type IdentityPoolStore interface {
	// CreateIdentityPool inserts p; ErrAlreadyExists if the id is taken. The store sets Version.
	CreateIdentityPool(ctx context.Context, p *IdentityPool) error
	GetIdentityPool(ctx context.Context, id string) (*IdentityPool, error)
	// UpdateIdentityPool reads the pool, applies fn and writes it back if the version did not
	// change meanwhile, retrying fn on a lost race. fn may change Name, Settings and UpdatedAt.
	// fn returning an error aborts with that error; ErrSkip ends without writing.
	UpdateIdentityPool(ctx context.Context, id string, fn func(*IdentityPool) error) (*IdentityPool, error)
	// DeleteIdentityPool removes the pool and everything scoped to it.
	DeleteIdentityPool(ctx context.Context, id string) error
	// ListIdentityPools pages through identity pools in a stable order (by id); next is ""
	// on the last page.
	ListIdentityPools(ctx context.Context, page Page) (pools []*IdentityPool, next string, err error)
	// CountIdentityPools returns how many identity pools exist.
	CountIdentityPools(ctx context.Context) (int, error)
}
