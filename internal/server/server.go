// Package server wires Cogito together: storage, keys, the generated API
// tables filled by the service packages, the protocol handler, the
// well-known endpoints and the operator API, behind one HTTP listener.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/federation"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/sigv4"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/devices"
	"github.com/cogito-dev/cogito/internal/userpool/groups"
	"github.com/cogito-dev/cogito/internal/userpool/importjobs"
	"github.com/cogito-dev/cogito/internal/userpool/risk"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// Server is a running Cogito.
type Server struct {
	cfg      config.Config
	log      *slog.Logger
	clock    clock.Clock
	store    storage.Store
	keys     *keys.Manager
	sealer   *keys.Sealer
	api      *awsjson.Handler
	idp      *cognitoidp.Handlers
	identity *cognitoidentity.Handlers
	handler  http.Handler
	sender   *message.Sender

	// Services other families and endpoints call into.
	users   *users.Service
	clients *clients.Service
	groups  *groups.Service
	imports *importjobs.Service
	tokens  *token.Service
	account *account.Service
	risk    *risk.Service
	// auth is sign-in (register.go; signup's SignInSession hook calls it).
	auth *auth.Service
	// triggers runs the pools' Lambda triggers (register_triggers.go).
	triggers *trigger.Service
	devices  *devices.Service

	riskData riskData
	issue9   issue9Services
	// identityPools are the identity issuer and credentials minter (routes_identity.go).
	identityPools identityServices
	// oauth are the OAuth endpoints and managed login pages (register_oauth.go).
	oauth oauthServices
	// federation signs users in through external identity providers (register_federation.go).
	federation *federation.Service
}

// Options are the parts tests may replace.
type Options struct {
	Clock clock.Clock
	// Store, when set, is used instead of opening the configured database.
	Store storage.Store
}

// New opens the store, loads keys and builds the HTTP handler.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: log, clock: opts.Clock, store: opts.Store}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.store == nil {
		st, err := sqlstore.Open(ctx, sqlstore.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		s.store = st
	}
	sealer, err := keys.LoadSealer(ctx, keys.SealerConfig{
		Key:     cfg.EncryptionKey,
		DataDir: cfg.DataDir,
		Shared:  sqlstore.IsPostgresURL(cfg.DatabaseURL),
		Logger:  log,
	}, s.store)
	if err != nil {
		s.store.Close()
		return nil, err
	}
	s.sealer = sealer
	s.keys = keys.New(s.store, sealer, s.clock, log)
	s.sender, err = message.NewSender(cfg.Messages, message.Options{Store: s.store, Clock: s.clock, Logger: log})
	if err != nil {
		s.store.Close()
		return nil, fmt.Errorf("messages: %w", err)
	}

	if err := s.loadRiskData(); err != nil {
		s.store.Close()
		return nil, err
	}
	s.idp = &cognitoidp.Handlers{}
	s.identity = &cognitoidentity.Handlers{}
	s.register()
	if n, err := s.imports.Recover(ctx); err != nil {
		log.Warn("recovering user import jobs", "err", err)
	} else if n > 0 {
		log.Info("recovered user import jobs", "count", n)
	}

	verifier := sigv4.New(cfg.Credentials(), s.clock)
	if !verifier.Enabled() {
		log.Info("no IAM credentials configured: SigV4 signatures are not checked, every signature is accepted")
	} else {
		log.Info("SigV4 checks enabled for IAM-authorized operations", "access_keys", len(cfg.IAMCredentials))
	}
	s.api = awsjson.NewHandler([]*api.Service{s.idp.Service(), s.identity.Service()}, verifier, cfg.MaxBodyBytes, log)
	s.api.SetGuard(s.issue9Guard)
	s.handler = s.routes()
	return s, nil
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Store is the server's store.
func (s *Server) Store() storage.Store { return s.store }

// Close releases the store and background work.
func (s *Server) Close() error {
	return errors.Join(s.imports.Close(), s.keys.Close(), s.store.Close())
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully
// within the configured grace period.
//
// more are further listeners served alike (the HTTPS listener: a
// tls.NewListener, see TLSConfig).
func (s *Server) Serve(ctx context.Context, ln net.Listener, more ...net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	lns := append([]net.Listener{ln}, more...)
	errc := make(chan error, len(lns))
	for _, l := range lns {
		go func() { errc <- hs.Serve(l) }()
	}
	jctx, stopJanitor := context.WithCancel(ctx)
	defer stopJanitor()
	go s.janitor(jctx)
	select {
	case err := <-errc:
		_ = hs.Close() // and the other listeners
		return err
	case <-ctx.Done():
	}
	grace := s.cfg.ShutdownGrace.Duration
	if grace <= 0 {
		grace = 10 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Connections still busy (or opened but never used) after the grace
		// period are closed; that is the end of a graceful stop, not a failure.
		s.log.Warn("shutdown grace period over: closing the remaining connections", "grace", grace)
		err = hs.Close()
	}
	for range lns {
		if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
			err = errors.Join(err, e)
		}
	}
	return err
}
