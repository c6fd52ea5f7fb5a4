package storage

import (
	"context"
	"time"
)

// RefreshToken is one issued refresh token. The opaque string handed to the
// client carries only ID (sealed); everything else lives here. Every access
// and ID token minted from it carries OriginJTI as origin_jti, so revoking
// the family rejects them too.
type RefreshToken struct {
	ID        string // random handle; primary key
	PoolID    string
	ClientID  string
	UserKey   string
	OriginJTI string
	DeviceKey string
	Scopes    []string
	AuthTime  time.Time
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	// RotatedAt is when a newer token replaced this one (refresh-token
	// rotation); it stays usable for the client's grace period after it.
	RotatedAt *time.Time
	Version   int64
}

// TokenStore keeps refresh tokens and revoked token families.
type TokenStore interface {
	CreateRefreshToken(ctx context.Context, t *RefreshToken) error
	GetRefreshToken(ctx context.Context, id string) (*RefreshToken, error)
	UpdateRefreshToken(ctx context.Context, id string, fn func(*RefreshToken) error) (*RefreshToken, error)
	// RevokeFamily marks every refresh token of the family revoked at `at` and records the
	// family as revoked until expiresAt (when its last token would have expired anyway).
	RevokeFamily(ctx context.Context, poolID, originJTI string, at, expiresAt time.Time) error
	// RevokeUserTokens revokes every live family of the user (GlobalSignOut, disable,
	// delete, password reset) and returns how many.
	RevokeUserTokens(ctx context.Context, poolID, userKey string, at time.Time) (int, error)
	// FamilyRevoked reports whether the family was revoked.
	FamilyRevoked(ctx context.Context, poolID, originJTI string) (bool, error)
	// DeleteExpiredTokens removes refresh tokens and revocation records expired before now.
	DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error)
}

// Counter is a named, expiring counter (attempt limits, lockout).
type Counter struct {
	Value     int
	UpdatedAt time.Time
	ExpiresAt time.Time
}

// CounterStore keeps counters shared by every replica.
type CounterStore interface {
	// IncrementCounter atomically adds one to the named counter of the pool, starting a
	// new one expiring at expiresAt when it is missing or expired at now; it returns the
	// counter after the increment.
	IncrementCounter(ctx context.Context, poolID, name string, now, expiresAt time.Time) (Counter, error)
	// GetCounter returns the counter (zero Value when missing or expired at now).
	GetCounter(ctx context.Context, poolID, name string, now time.Time) (Counter, error)
	ResetCounter(ctx context.Context, poolID, name string) error
	DeleteExpiredCounters(ctx context.Context, now time.Time) (int, error)
}

// AuthEvent is one recorded sign-in attempt or account event of a user
// (AdminListUserAuthEvents).
type AuthEvent struct {
	PoolID           string
	UserKey          string
	EventID          string
	EventType        string // SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode, DeleteUser, ...
	EventResponse    string // Pass, Fail, InProgress
	CreatedAt        time.Time
	Data             []byte // opaque JSON: context data, challenge responses, risk
	FeedbackValue    string
	FeedbackProvider string
	FeedbackAt       *time.Time
}

// EventStore keeps auth events.
type EventStore interface {
	AddAuthEvent(ctx context.Context, e *AuthEvent) error
	// ListAuthEvents pages through a user's events, newest first.
	ListAuthEvents(ctx context.Context, poolID, userKey string, page Page) (events []*AuthEvent, next string, err error)
	UpdateAuthEvent(ctx context.Context, poolID, userKey, eventID string, fn func(*AuthEvent) error) (*AuthEvent, error)
}
