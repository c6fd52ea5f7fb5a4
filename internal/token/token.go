// Package token mints and verifies the tokens of Cognito user pools: ID and
// access tokens (RS256 JWS with Cognito's claim sets, signed with the pool's
// keys from internal/keys) and refresh tokens (opaque JWE-shaped strings that
// seal a handle to a storage.RefreshToken record).
//
// A sign-in starts a token family: its origin_jti is carried by every ID and
// access token minted from it and by its refresh tokens, so revoking the
// family (RevokeToken) or all of a user's families (GlobalSignOut) rejects
// them all in VerifyAccess. Minting costs two RSA-2048 signatures and, with a
// refresh token, one store write and one AES-GCM seal; verification one RSA
// verification and one store read (the revocation check). Nothing is cached
// here beyond what keys.Manager caches of the keys.
//
// Cognito facts the package relies on, with how sure we are of each, are in
// defaults.go.
package token

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"log/slog"
	"time"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Config holds the service's dependencies. Keys, Sealer, Store and Issuer are
// required; a nil Clock is the real clock and a nil Logger discards.
type Config struct {
	Keys   *keys.Manager
	Sealer *keys.Sealer
	Store  storage.TokenStore
	Clock  clock.Clock
	// Issuer returns the iss of a pool's tokens (config.Config.Issuer).
	Issuer func(poolID string) string
	Logger *slog.Logger
	// PreTokenGeneration, when set, runs before tokens are minted (the pre
	// token generation trigger): it may change sub's claims overrides, group
	// claims and scopes. source is the trigger source (TokenGeneration_*).
	// An error it returns is the caller's, as it is.
	PreTokenGeneration func(ctx context.Context, sub *Subject, source string) error
}

// Service mints and verifies tokens. It is safe for concurrent use.
type Service struct {
	keys   *keys.Manager
	store  storage.TokenStore
	clock  clock.Clock
	issuer func(string) string
	log    *slog.Logger
	// preToken is Config.PreTokenGeneration.
	preToken func(ctx context.Context, sub *Subject, source string) error
	// refresh seals refresh-token handles (a key derived from the master key
	// for this purpose alone, so every replica opens every replica's tokens).
	refresh cipher.AEAD
}

// New returns a Service. It panics when a required dependency is missing (a
// wiring mistake).
func New(cfg Config) *Service {
	if cfg.Keys == nil || cfg.Sealer == nil || cfg.Store == nil || cfg.Issuer == nil {
		panic("token: Config.Keys, Sealer, Store and Issuer are required")
	}
	block, err := aes.NewCipher(cfg.Sealer.DeriveKey(refreshKeyPurpose))
	if err != nil {
		panic("token: " + err.Error()) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("token: " + err.Error())
	}
	s := &Service{keys: cfg.Keys, store: cfg.Store, clock: cfg.Clock, issuer: cfg.Issuer, log: cfg.Logger, refresh: aead, preToken: cfg.PreTokenGeneration}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Subject is who and what a token pair is for.
type Subject struct {
	PoolID, ClientID string
	// Username is the internal username (cognito:username, username); Sub the
	// user's sub.
	Username, Sub string
	// UserKey is the user's storage key (storage.User.Key), recorded with the
	// refresh token for RevokeUser; "" takes Username.
	UserKey string
	// Attributes are the readable attributes for the ID token, already
	// filtered by the caller (the app client's ReadAttributes). "sub" is
	// ignored (Sub is used); "identities" is rendered as the identities claim.
	Attributes map[string]string
	// Types maps attribute names to their schema type (String, Number,
	// Boolean, DateTime) to type the claims; custom:* attributes are always
	// strings. Nil: email_verified and phone_number_verified are booleans,
	// updated_at a number, the rest strings.
	Types map[string]string
	// Groups, Roles and PreferredRole are the group claims
	// (groups.ClaimsFor); each is left out when empty.
	Groups, Roles []string
	PreferredRole string
	// DeviceKey is the remembered device of the session (access token
	// device_key), if any.
	DeviceKey string
	// AuthTime is when the user authenticated; zero: now.
	AuthTime time.Time
	// Scopes of the access token; nil: ["aws.cognito.signin.user.admin"].
	Scopes []string
	// OriginJTI names the token family; "": a new family (a new sign-in).
	OriginJTI string
	// EventID is the auth event's id; "": a new UUID.
	EventID string
	// Nonce is the OAuth request's nonce (ID token only).
	Nonce string
	// AtHash adds at_hash (of the access token) to the ID token: OAuth flows.
	AtHash bool
	// Version, when not 0, adds "version" to the access token (OAuth flows
	// put 2 there (unverified)).
	Version int
	// Identities is the identities attribute of a federated user (a JSON
	// array); "": Attributes["identities"], if any.
	Identities string
	// IDOverride and AccessOverride are a pre token generation trigger's
	// changes to the claims.
	IDOverride, AccessOverride Override
	// TriggerSource is the pre token generation trigger source of this
	// issue (TokenGeneration_Authentication, _NewPasswordChallenge,
	// _AuthenticateDevice, _HostedAuth, ...); "": TriggerAuthentication for
	// Issue, TriggerRefreshTokens for Reissue.
	TriggerSource string
	// ClientMetadata is the request's ClientMetadata, for the trigger.
	ClientMetadata map[string]string
	// ACR is the authentication level the sign-in reached (the acr claim,
	// the pool's AcrConfiguration value); AMR the methods it used (the amr
	// claim, e.g. ["pwd","otp","mfa"]). Each is left out when empty: a
	// sign-in that asked for no level carries neither (unverified).
	ACR string
	AMR []string
}

// Pre token generation trigger sources Issue and Reissue default to, and
// the one of IssueClientCredentials.
const (
	TriggerAuthentication    = "TokenGeneration_Authentication"
	TriggerRefreshTokens     = "TokenGeneration_RefreshTokens"
	TriggerClientCredentials = "TokenGeneration_ClientCredentials"
)

// Override adds, replaces and removes claims of one token (pre token
// generation). Claims Cognito protects (sub, iss, exp, jti, ...) are left
// alone; the trigger code checks and reports them.
type Override struct {
	// Add sets claims: an existing claim keeps its place, a new one goes after
	// the standard claims (by name). Values must marshal to JSON.
	Add map[string]any
	// Suppress removes claims.
	Suppress []string
}

// Validity is how long each token lives; zero fields take Cognito's
// defaults (1 hour, 1 hour, 30 days).
type Validity struct{ ID, Access, Refresh time.Duration }

func (v Validity) withDefaults() Validity {
	if v.ID <= 0 {
		v.ID = DefaultIDValidity
	}
	if v.Access <= 0 {
		v.Access = DefaultAccessValidity
	}
	if v.Refresh <= 0 {
		v.Refresh = DefaultRefreshValidity
	}
	return v
}

// Issued is what a sign-in or refresh returns: AuthenticationResult's tokens
// and ExpiresIn (the access token's lifetime in seconds), plus the family and
// event ids for the caller's records.
type Issued struct {
	IDToken, AccessToken, RefreshToken string
	ExpiresIn                          int32
	OriginJTI, EventID                 string
	// IssuedAt is the tokens' iat.
	IssuedAt time.Time
}

// String never shows the tokens.
func (i *Issued) String() string {
	return "token.Issued{origin_jti:" + i.OriginJTI + " event_id:" + i.EventID + " tokens:[REDACTED]}"
}

// LogValue never shows the tokens.
func (i *Issued) LogValue() slog.Value {
	return slog.GroupValue(slog.String("origin_jti", i.OriginJTI), slog.String("event_id", i.EventID))
}

// Errors of VerifyID (VerifyAccess and Authorize answer with Cognito's
// NotAuthorizedException instead). Every error wraps one of them, or is an
// unexpected (store) failure.
var (
	// ErrInvalid: not a token of ours, badly signed, of another use, or from
	// an unknown pool or key.
	ErrInvalid = errors.New("token: invalid token")
	// ErrExpired: the token's exp has passed; the error is an *ExpiredError.
	ErrExpired = errors.New("token: token expired")
)

// ExpiredError reports an expired token: when it expired and the time it was
// checked at (identity pools quote both: "Token expired: <now> >= <exp>").
type ExpiredError struct {
	Now, ExpiresAt time.Time
}

func (e *ExpiredError) Error() string {
	return "token: token expired at " + e.ExpiresAt.UTC().Format(time.RFC3339) + ", checked at " + e.Now.UTC().Format(time.RFC3339)
}

// Is makes errors.Is(err, ErrExpired) true.
func (e *ExpiredError) Is(target error) bool { return target == ErrExpired }
