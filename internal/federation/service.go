// Package federation signs users in to a user pool through external identity
// providers, as Cognito's managed login does: OpenID Connect providers (code
// flow with PKCE, state and nonce, ID-token verification with
// github.com/coreos/go-oidc, userinfo), the social providers Google,
// Facebook, Login with Amazon and Sign in with Apple (the same flow with each
// one's endpoints and quirks), and SAML 2.0 providers (SP metadata,
// AuthnRequests by the HTTP-Redirect binding, signed and optionally
// encrypted responses at the POST-binding ACS, IdP-initiated sign-in, with
// github.com/crewjam/saml).
//
// The OAuth endpoints (internal/oauth) call Start when an authorize request
// names an external provider; Start keeps the login transaction in the
// sealed state it sends to the IdP. The IdP answers at OIDCCallback
// (/oauth2/idpresponse) or SAMLResponse (/saml2/idpresponse); the user is
// found, linked (AdminLinkProviderForUser's links) or created as
// {ProviderName}_{user id} with status EXTERNAL_PROVIDER and the identities
// attribute, its mapped attributes updated, the pool's triggers run, and the
// sign-in handed back to the OAuth endpoints with oauth.Completer.Complete.
//
// Cognito facts the package relies on are in defaults.go.
package federation

import (
	"context"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/idps"
)

// Store is what the package needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.ResourceStore
	storage.CounterStore
}

// Clients finds app clients (the clients service).
type Clients interface {
	Lookup(ctx context.Context, clientID string) (*clients.Client, error)
}

// Keys gives the pool's signing key and certificate, which sign SAML
// requests and decrypt encrypted assertions (*keys.Manager).
type Keys interface {
	Signer(ctx context.Context, poolID, use string) (kid string, key *rsa.PrivateKey, err error)
	SigningCertificate(ctx context.Context, poolID string) (string, error)
}

// Triggers runs the pool's Lambda triggers (*trigger.Service).
type Triggers interface {
	PreSignUp(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.PreSignUpInput) (*trigger.PreSignUpResponse, error)
	PostConfirmation(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.PostConfirmationInput) error
	PreAuthentication(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.AuthInput, validationData map[string]string) error
	PostAuthentication(ctx context.Context, pool *cognitoidp.UserPoolType, in *trigger.AuthInput, newDeviceUsed bool) error
}

// Config holds the Service's dependencies. Store, Clients, Keys and Sealer
// are required; the Completer may be given later with Bind. A nil Triggers
// runs none, a nil Clock is the real clock, a nil Logger discards, a nil
// HTTPClient is one with Timeout (InsecureSkipVerify accepts any TLS
// certificate of the IdPs).
type Config struct {
	Store     Store
	Clients   Clients
	Keys      Keys
	Sealer    *keys.Sealer
	Completer oauth.Completer
	Triggers  Triggers
	// Pages renders the error page shown when an IdP's answer cannot go
	// back to the app (the managed login's); nil: a plain page.
	Pages  oauth.Pages
	Clock  clock.Clock
	Logger *slog.Logger

	HTTPClient         *http.Client
	InsecureSkipVerify bool
	Timeout            time.Duration // 0: DefaultHTTPTimeout
	// Endpoints override the social providers' endpoints, by provider type
	// (Google, Facebook, LoginWithAmazon, SignInWithApple), with
	// ProviderDetails keys (authorize_url, token_url, attributes_url,
	// jwks_uri, oidc_issuer): tests point them at fakes.
	Endpoints map[string]map[string]string
}

// Service signs users in through external identity providers. It
// implements oauth.Federation.
type Service struct {
	store     Store
	clients   Clients
	keys      Keys
	sealer    *keys.Sealer
	completer oauth.Completer
	triggers  Triggers
	pages     oauth.Pages
	clock     clock.Clock
	log       *slog.Logger
	http      *http.Client
	endpoints map[string]map[string]string

	mu        sync.Mutex
	keySets   map[string]*oidc.RemoteKeySet // by jwks_uri
	documents map[string]cachedDoc          // discovery and metadata documents by URL
}

var _ oauth.Federation = (*Service)(nil)

// New returns a Service; it panics without its required dependencies (a
// wiring mistake).
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Clients == nil || cfg.Keys == nil || cfg.Sealer == nil {
		panic("federation: Config.Store, Clients, Keys and Sealer are required")
	}
	s := &Service{
		store: cfg.Store, clients: cfg.Clients, keys: cfg.Keys, sealer: cfg.Sealer,
		completer: cfg.Completer, triggers: cfg.Triggers, pages: cfg.Pages, clock: cfg.Clock, log: cfg.Logger,
		http: cfg.HTTPClient, endpoints: map[string]map[string]string{},
		keySets: map[string]*oidc.RemoteKeySet{}, documents: map[string]cachedDoc{},
	}
	for typ, m := range cfg.Endpoints {
		s.endpoints[typ] = maps.Clone(m)
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.http == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if cfg.InsecureSkipVerify {
			tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for by configuration
		}
		timeout := cfg.Timeout
		if timeout <= 0 {
			timeout = DefaultHTTPTimeout
		}
		s.http = &http.Client{Timeout: timeout, Transport: tr}
	}
	return s
}

// Bind gives the Service the OAuth endpoints it hands sign-ins back to (when
// they are built after it). Call it before serving.
func (s *Service) Bind(c oauth.Completer) { s.completer = c }

// Start redirects the browser to the identity provider idpName to
// authenticate the user for txn (oauth.Federation).
func (s *Service) Start(w http.ResponseWriter, r *http.Request, pool *cognitoidp.UserPoolType, client *clients.Client, idpName string, txn *oauth.Txn) {
	ctx := r.Context()
	p, err := idps.Load(ctx, s.store, txn.PoolID, idpName)
	if errors.Is(err, storage.ErrNotFound) {
		s.completer.Fail(w, r, txn, errInvalidRequest, fmt.Sprintf(msgProviderGone, idpName))
		return
	}
	if err != nil {
		s.internal(w, r, txn, fmt.Errorf("federation: loading provider %q of %s: %w", idpName, txn.PoolID, err))
		return
	}
	sealedTxn, err := s.completer.SealTxn(txn)
	if err != nil {
		s.internal(w, r, txn, fmt.Errorf("federation: sealing the login transaction: %w", err))
		return
	}
	rt := &roundTrip{Txn: sealedTxn, PoolID: txn.PoolID, Provider: idpName, ID: randomString(18),
		Expires: s.clock.Now().Add(RoundTripLifetime).Unix()}
	if providerType(p) == typeSAML {
		err = s.startSAML(w, r, p, txn, rt)
	} else {
		err = s.startOAuth(w, r, p, txn, rt)
	}
	if err != nil {
		s.fail(w, r, txn, err)
	}
}

// providerType is a provider's type as a string.
func providerType(p *cognitoidp.IdentityProviderType) string {
	return string(api.Deref(p.ProviderType))
}

// failure is an error sent to the app client's redirect_uri.
type failure struct {
	code, description string
	cause             error // logged, never sent
}

func (f *failure) Error() string {
	if f.cause != nil {
		return f.code + ": " + f.description + ": " + f.cause.Error()
	}
	return f.code + ": " + f.description
}

func (f *failure) Unwrap() error { return f.cause }

func fail(code, description string, cause error) *failure {
	return &failure{code: code, description: description, cause: cause}
}

// fail sends err to the app client: a *failure as it says, an AWS error
// (a trigger's, an attribute check's) as invalid_request with its message,
// anything else as server_error after logging it.
func (s *Service) fail(w http.ResponseWriter, r *http.Request, txn *oauth.Txn, err error) {
	var f *failure
	if errors.As(err, &f) {
		if f.cause != nil {
			s.log.InfoContext(r.Context(), "federated sign-in failed", "pool", txn.PoolID, "provider", txn.IdentityProvider,
				"error", f.code, "description", f.description, "cause", f.cause)
		}
		s.completer.Fail(w, r, txn, f.code, f.description)
		return
	}
	if e, ok := awsErr(err); ok {
		s.completer.Fail(w, r, txn, errInvalidRequest, e)
		return
	}
	s.internal(w, r, txn, err)
}

// internal logs an unexpected error and sends server_error.
func (s *Service) internal(w http.ResponseWriter, r *http.Request, txn *oauth.Txn, err error) {
	s.log.ErrorContext(r.Context(), "federated sign-in failed", "pool", txn.PoolID, "err", err)
	s.completer.Fail(w, r, txn, errServerError, msgInternal)
}
