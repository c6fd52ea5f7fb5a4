package oauth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"log/slog"
	"sync"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// Store is what the package needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.CodeStore
	storage.TokenStore
	storage.ResourceStore
}

// Auth issues users' tokens for the grants (*auth.Service).
type Auth interface {
	IssueOAuth(ctx context.Context, poolID, clientID string, u *storage.User, g auth.OAuthGrant) (*token.Issued, error)
	RefreshOAuth(ctx context.Context, clientID, refreshToken string) (*cognitoidp.AuthenticationResultType, error)
	UserInfo(ctx context.Context, poolID, clientID, username string, scopes []string) (map[string]string, error)
}

// Tokens verifies and revokes tokens and mints client-credentials tokens
// (*token.Service).
type Tokens interface {
	IssueClientCredentials(ctx context.Context, poolID, clientID string, scopes []string, validity time.Duration) (string, int32, error)
	VerifyAccess(ctx context.Context, tok string) (*token.AccessClaims, error)
	RevokeRefresh(ctx context.Context, refreshToken, clientID string) error
}

// Config holds the Service's dependencies. Store, Clients, Auth, Tokens and
// Sealer are required; a nil Clock is the real clock, a nil Logger discards.
type Config struct {
	Store   Store
	Clients *clients.Service
	Auth    Auth
	Tokens  Tokens
	// Sealer derives the keys of login transactions, authorization codes and
	// the hosted session cookie.
	Sealer *keys.Sealer
	// Region is the server's region (prefix domains' host names).
	Region string
	// Federation starts sign-ins through external identity providers; nil:
	// none (SetFederation may set it later).
	Federation Federation
	Clock      clock.Clock
	Logger     *slog.Logger
}

// Service serves the OAuth 2.0 / OpenID Connect endpoints of every pool
// with a domain. It is safe for concurrent use.
type Service struct {
	store   Store
	clients *clients.Service
	auth    Auth
	tokens  Tokens
	region  string
	clock   clock.Clock
	log     *slog.Logger

	txnAEAD     cipher.AEAD // login transactions
	codeAEAD    cipher.AEAD // authorization codes
	sessionAEAD cipher.AEAD // the hosted session cookie

	mu    sync.RWMutex
	fed   Federation
	pages Pages
}

// Key purposes (keys.Sealer.DeriveKey).
const (
	purposeTxn     = "oauth-login-transaction"
	purposeCode    = "oauth-authorization-code"
	purposeSession = "oauth-hosted-session"
)

// New returns a Service. It panics when a required dependency is missing (a
// wiring mistake).
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Clients == nil || cfg.Auth == nil || cfg.Tokens == nil || cfg.Sealer == nil {
		panic("oauth: Config.Store, Clients, Auth, Tokens and Sealer are required")
	}
	s := &Service{
		store: cfg.Store, clients: cfg.Clients, auth: cfg.Auth, tokens: cfg.Tokens,
		region: cfg.Region, clock: cfg.Clock, log: cfg.Logger, fed: cfg.Federation,
		txnAEAD:     aead(cfg.Sealer.DeriveKey(purposeTxn)),
		codeAEAD:    aead(cfg.Sealer.DeriveKey(purposeCode)),
		sessionAEAD: aead(cfg.Sealer.DeriveKey(purposeSession)),
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

func aead(key []byte) cipher.AEAD {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic("oauth: " + err.Error()) // a 32-byte key never fails
	}
	a, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("oauth: " + err.Error())
	}
	return a
}

// SetFederation plugs in the federation handler (internal/federation),
// which the authorize endpoint calls when a request names an external
// identity provider.
func (s *Service) SetFederation(f Federation) {
	s.mu.Lock()
	s.fed = f
	s.mu.Unlock()
}

func (s *Service) federation() Federation {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.fed
}

// Clients is the app-client service the endpoints read clients through.
func (s *Service) Clients() *clients.Service { return s.clients }

// Store is the service's store.
func (s *Service) Store() Store { return s.store }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.clock.Now() }
