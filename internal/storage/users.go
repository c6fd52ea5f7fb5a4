package storage

import (
	"context"
	"fmt"
	"time"
)

// User is one user of a pool.
//
// Keys: Key is the username as the pool compares it (the service lowercases
// it for pools whose usernames are case-insensitive) and is unique per pool;
// Username keeps the spelling the user was created with. Sub is unique per
// pool. Aliases are the alias values the user currently claims (verified
// email/phone of an alias pool, preferred_username, or email/phone used as
// username); each (kind, value) is unique per pool and the store enforces it.
type User struct {
	PoolID     string
	Key        string
	Username   string
	Sub        string
	Status     string // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, EXTERNAL_PROVIDER, ...
	Enabled    bool
	Attributes map[string]string // every attribute but sub and username, by full name ("email", "custom:tier")
	Aliases    []Alias
	// Password is the credentials document owned by the password/auth code
	// (SRP verifier, history, temporary-password expiry); opaque here.
	Password []byte
	// Settings holds everything else a service keeps per user (MFA
	// preferences, pending attribute values, ...); opaque here.
	Settings  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Alias is a claimed alias: Kind is "email", "phone_number" or
// "preferred_username"; Value is normalized by the service (lowercased email).
type Alias struct {
	Kind  string
	Value string
}

// UniqueError is the *ErrAlreadyExists* of users: which unique key clashed.
// errors.Is(err, ErrAlreadyExists) holds for it.
type UniqueError struct {
	Field string // "username", "sub" or an alias kind
	Value string
}

func (e *UniqueError) Error() string {
	return fmt.Sprintf("storage: %s %q already exists", e.Field, e.Value)
}

// Is makes errors.Is(err, ErrAlreadyExists) true.
func (e *UniqueError) Is(target error) bool { return target == ErrAlreadyExists }

// Searchable user fields for ListUsers filters. The store keeps an index of
// each (never a scan of the pool). Values of the case-insensitive ones are
// compared lowercased.
var SearchableUserFields = []string{
	"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub",
}

// CaseSensitiveUserFields are compared as given; the others lowercased.
// ("username" is compared on the normalized Key.)
var CaseSensitiveUserFields = map[string]bool{"username": true, "status": true, "sub": true}

// UserFilter selects users by one searchable field. Field "" lists all users
// in Key order. Prefix selects values starting with Value.
type UserFilter struct {
	Field  string
	Value  string
	Prefix bool
}

// UserStore keeps users.
type UserStore interface {
	// CreateUser inserts u; a *UniqueError on a clash of Key, Sub or an alias.
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, poolID, key string) (*User, error)
	GetUserBySub(ctx context.Context, poolID, sub string) (*User, error)
	GetUserByAlias(ctx context.Context, poolID string, alias Alias) (*User, error)
	// UpdateUser is a compare-and-swap update; changes of Aliases are applied in the same
	// transaction (a clash aborts with a *UniqueError and nothing changes). The Key and
	// Sub cannot change.
	UpdateUser(ctx context.Context, poolID, key string, fn func(*User) error) (*User, error)
	// DeleteUser removes the user and everything scoped to it (group memberships, codes...).
	DeleteUser(ctx context.Context, poolID, key string) error
	// ListUsers pages through matching users ordered by the filtered field's value, then Key
	// (by Key when no filter).
	ListUsers(ctx context.Context, poolID string, filter UserFilter, page Page) (users []*User, next string, err error)
	CountUsers(ctx context.Context, poolID string) (int, error)
}

// Group is a user group of a pool. Names are case-sensitive.
type Group struct {
	PoolID      string
	Name        string
	Description *string
	RoleARN     *string
	Precedence  *int32
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64
}

// GroupStore keeps groups and memberships.
type GroupStore interface {
	CreateGroup(ctx context.Context, g *Group) error
	GetGroup(ctx context.Context, poolID, name string) (*Group, error)
	UpdateGroup(ctx context.Context, poolID, name string, fn func(*Group) error) (*Group, error)
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	ListGroups(ctx context.Context, poolID string, page Page) (groups []*Group, next string, err error)
	// AddUserToGroup is idempotent; ErrNotFound when the user or group does not exist.
	AddUserToGroup(ctx context.Context, poolID, group, userKey string) error
	// RemoveUserFromGroup is idempotent for a missing membership.
	RemoveUserFromGroup(ctx context.Context, poolID, group, userKey string) error
	// ListGroupsForUser pages through the user's groups ordered by name.
	ListGroupsForUser(ctx context.Context, poolID, userKey string, page Page) (groups []*Group, next string, err error)
	// ListUsersInGroup pages through the group's members ordered by Key.
	ListUsersInGroup(ctx context.Context, poolID, group string, page Page) (users []*User, next string, err error)
}

// Code is a one-time code sent to a user (sign-up confirmation, forgot
// password, attribute verification, ...). Hash is the service's hash of the
// code; the plaintext is never stored. One code per user and purpose: putting
// a new one replaces the old.
type Code struct {
	PoolID    string
	UserKey   string
	Purpose   string
	Hash      []byte
	Attempts  int
	Data      []byte // opaque context (e.g. the attribute value being verified)
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CodeStore keeps one-time codes.
type CodeStore interface {
	PutCode(ctx context.Context, c *Code) error
	GetCode(ctx context.Context, poolID, userKey, purpose string) (*Code, error)
	// BumpCodeAttempts adds one failed attempt and returns the new count.
	BumpCodeAttempts(ctx context.Context, poolID, userKey, purpose string) (int, error)
	// DeleteCode removes the code; ErrNotFound when it is already gone (so exactly one
	// caller consumes a code).
	DeleteCode(ctx context.Context, poolID, userKey, purpose string) error
	// DeleteExpiredCodes removes codes expired before now; it returns how many.
	DeleteExpiredCodes(ctx context.Context, now time.Time) (int, error)
}

// Message is one email or SMS Cogito sent (or would have sent), kept in the
// outbox that tests and people read.
type Message struct {
	ID             string
	PoolID         string
	Username       string
	Destination    string
	DeliveryMedium string // EMAIL or SMS
	Kind           string // e.g. SIGN_UP, INVITATION, FORGOT_PASSWORD, VERIFY_ATTRIBUTE
	Subject        string
	Body           string
	Code           string
	CreatedAt      time.Time
}

// MessageFilter selects outbox messages; empty fields match anything.
type MessageFilter struct {
	PoolID      string
	Username    string
	Destination string
	Limit       int // newest Limit messages (still returned oldest first); 0: all
}

// MessageStore keeps the outbox.
type MessageStore interface {
	AddMessage(ctx context.Context, m *Message) error
	// ListMessages returns matching messages, oldest first.
	ListMessages(ctx context.Context, f MessageFilter) ([]*Message, error)
}

// ImportJob is a user import job.
type ImportJob struct {
	PoolID            string
	JobID             string
	Name              string
	Status            string // Created, Pending, InProgress, Stopping, Expired, Stopped, Failed, Succeeded
	RoleARN           string
	CreatedAt         time.Time
	StartedAt         *time.Time
	CompletedAt       *time.Time
	Imported          int64
	Skipped           int64
	Failed            int64
	CompletionMessage string
	Settings          []byte // opaque (e.g. the upload signature, hashing options)
	Version           int64
}

// ImportStore keeps import jobs and their uploaded CSV.
type ImportStore interface {
	CreateImportJob(ctx context.Context, j *ImportJob) error
	GetImportJob(ctx context.Context, poolID, jobID string) (*ImportJob, error)
	UpdateImportJob(ctx context.Context, poolID, jobID string, fn func(*ImportJob) error) (*ImportJob, error)
	// ListImportJobs pages through a pool's jobs, newest first.
	ListImportJobs(ctx context.Context, poolID string, page Page) (jobs []*ImportJob, next string, err error)
	PutImportData(ctx context.Context, poolID, jobID string, csv []byte) error
	GetImportData(ctx context.Context, poolID, jobID string) ([]byte, error)
}
