package storage

import (
	"context"
	"time"
)

// Identity is an identity of an identity pool (cognito-identity): what GetId
// hands out. ID is "{region}:{uuid}", unique across pools. Logins are the
// logins linked to it (none for a guest), sorted by (Provider, Subject); a
// login is linked to at most one identity of a pool. A disabled identity
// (merged into another, or left without logins) keeps its row for
// ListIdentities but gets no credentials.
type Identity struct {
	PoolID    string
	ID        string
	Logins    []IdentityLogin
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // bumped by every write; set by the store
}

// IdentityLogin is one login linked to an identity: the provider's name as
// the identity pool knows it ("cognito-idp.{region}.amazonaws.com/{poolId}",
// "accounts.google.com", an OIDC provider's name, a SAML provider's ARN, the
// pool's developer provider name) and the user's id at that provider (sub,
// NameID, developer user identifier).
type IdentityLogin struct {
	Provider string
	Subject  string
}

// IdentityMerge is one linking decision written atomically: Add is linked to
// Into, and every login of each identity in From moves to Into, which
// disables them. Into and From carry the ID and Version the caller read.
type IdentityMerge struct {
	Into *Identity
	From []*Identity
	Add  []IdentityLogin
	Now  time.Time
}

// IdentityCredentials records temporary AWS credentials Cogito minted for an
// identity, so an operator or a service can look them up by access key id.
// SecretKey is sealed by the service; Document is the service's JSON (role,
// principal tags, session) stored verbatim.
type IdentityCredentials struct {
	AccessKeyID string
	PoolID      string
	IdentityID  string
	RoleARN     string
	SecretKey   []byte
	Document    []byte
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// IdentityStore keeps identities, their linked logins and the credentials
// minted for them. Identities and credential records are deleted with their
// identity pool.
type IdentityStore interface {
	// CreateIdentity inserts i with its Logins; ErrNotFound when the identity pool does not
	// exist, ErrAlreadyExists when the id is taken or one of the logins is linked to another
	// identity of the pool. The store sets Version.
	CreateIdentity(ctx context.Context, i *Identity) error
	GetIdentity(ctx context.Context, id string) (*Identity, error)
	// FindIdentityByLogin returns the identity of the pool the login is linked to.
	FindIdentityByLogin(ctx context.Context, poolID string, login IdentityLogin) (*Identity, error)
	// UpdateIdentity reads the identity, applies fn and writes it back if its version did not
	// change meanwhile, retrying fn on a lost race. fn may change Logins, Disabled and
	// UpdatedAt; added and removed logins are written in the same transaction
	// (ErrAlreadyExists, and nothing changes, if an added login is linked to another
	// identity). ErrSkip ends without writing; any other error aborts with that error.
	UpdateIdentity(ctx context.Context, id string, fn func(*Identity) error) (*Identity, error)
	// MergeIdentities writes m in one transaction and returns Into as stored. A
	// *ConflictError when Into or one of From is no longer at the Version given (nothing
	// changes); ErrNotFound when one of them is gone; ErrAlreadyExists when a login of Add
	// is linked to an identity outside m.
	MergeIdentities(ctx context.Context, m *IdentityMerge) (*Identity, error)
	// DeleteIdentity removes the identity and its logins.
	DeleteIdentity(ctx context.Context, id string) error
	// ListIdentities pages through the pool's identities by id, leaving out disabled
	// ones when hideDisabled; next is "" on the last page.
	ListIdentities(ctx context.Context, poolID string, hideDisabled bool, page Page) (ids []*Identity, next string, err error)

	// PutIdentityCredentials records minted credentials; ErrNotFound when the identity
	// pool does not exist, ErrAlreadyExists when the access key id is taken.
	PutIdentityCredentials(ctx context.Context, c *IdentityCredentials) error
	GetIdentityCredentials(ctx context.Context, accessKeyID string) (*IdentityCredentials, error)
	// DeleteExpiredIdentityCredentials removes records that expired before now.
	DeleteExpiredIdentityCredentials(ctx context.Context, now time.Time) (int, error)
}
