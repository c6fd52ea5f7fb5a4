package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/importjobs"
)

// routes builds the handler: the API on any path that carries an
// X-Amz-Target, and the well-known and operator endpoints by path.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{poolID}/.well-known/jwks.json", s.jwks)
	mux.HandleFunc("GET /{poolID}/.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("GET /_cogito/health", s.health)
	mux.HandleFunc("POST /_cogito/reset", s.reset)
	s.identityRoutes(mux)
	s.uiRoutes(mux)
	s.oauthRoutes(mux)
	s.federationRoutes(mux)
	s.feedbackRoutes(mux) // register_authtriggers.go
	mux.Handle(importjobs.UploadPattern, s.imports.UploadHandler())
	if s.cfg.ServeOutbox() {
		mux.Handle("GET /_cogito/messages", message.OutboxHandler(s.store, s.log))
	}
	mux.HandleFunc("POST /{$}", func(w http.ResponseWriter, r *http.Request) {
		// A POST to / without X-Amz-Target (targeted requests never reach the mux).
		s.api.ServeHTTP(w, r)
	})
	top := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "" && r.Method != http.MethodOptions {
			s.api.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	return s.middleware(top)
}

// statusWriter records the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Headers browsers may send (the SDKs' and Amplify's) and may read.
const (
	corsAllowHeaders  = "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control"
	corsExposeHeaders = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"
)

// middleware adds the request id, CORS, panic recovery and the access log.
func (s *Server) middleware(next http.Handler) http.Handler {
	debugLog := s.log.Enabled(context.Background(), slog.LevelDebug)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := ids.RequestID()
		h := w.Header()
		h.Set("x-amzn-RequestId", id)
		h.Set("Date", start.UTC().Format(http.TimeFormat))
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if r.Method == http.MethodOptions {
			preflight(w, r)
			return
		}
		info := &awsjson.RequestInfo{RequestID: id, RemoteIP: remoteIP(r), UserAgent: r.UserAgent(), Header: r.Header}
		r = r.WithContext(awsjson.WithInfo(r.Context(), info))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "request_id", id, "op", info.Operation, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					awsjson.WriteError(sw, r, awserr.Internal("An internal error occurred. Error id: "+id+"."), nil)
				}
			}
			if debugLog || (sw.status >= 500 && sw.status != http.StatusNotImplemented) {
				lvl := slog.LevelDebug
				if sw.status >= 500 && sw.status != http.StatusNotImplemented {
					lvl = slog.LevelError
				}
				s.log.Log(r.Context(), lvl, "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
					"op", info.Operation, "status", sw.status, "duration", time.Since(start), "remote", info.RemoteIP)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	} else {
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	}
	h.Set("Access-Control-Max-Age", "86400")
	h.Add("Vary", "Origin, Access-Control-Request-Headers")
	w.WriteHeader(http.StatusOK)
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) poolExists(w http.ResponseWriter, r *http.Request) (string, bool) {
	poolID := r.PathValue("poolID")
	if !ids.ValidUserPoolID(poolID) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "User pool " + poolID + " does not exist."})
		return "", false
	}
	if _, err := s.store.GetPool(r.Context(), poolID); err != nil {
		if err == storage.ErrNotFound {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "User pool " + poolID + " does not exist."})
		} else {
			s.log.Error("read pool", "pool", poolID, "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal error."})
		}
		return "", false
	}
	return poolID, true
}

// jwks serves a pool's public signing keys.
func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	poolID, ok := s.poolExists(w, r)
	if !ok {
		return
	}
	b, err := s.keys.JWKS(r.Context(), poolID)
	if err != nil {
		s.log.Error("jwks", "pool", poolID, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal error."})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(b)
}

// discovery serves a pool's OpenID Connect discovery document, with the
// managed login endpoints of discoveryEndpoints (routes_oauth.go).
func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	poolID, ok := s.poolExists(w, r)
	if !ok {
		return
	}
	issuer := s.issuer(poolID)
	doc := map[string]any{
		"issuer":                                issuer,
		"jwks_uri":                              issuer + "/.well-known/jwks.json",
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "token"},
		"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
		"subject_types_supported":               []string{"public"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	}
	s.discoveryEndpoints(r, poolID, issuer, doc)
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Warn("health check failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "store": "unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "store": "ok"})
}

// reset wipes all state; only in test mode (otherwise the path does not exist).
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.TestMode {
		http.NotFound(w, r)
		return
	}
	if err := s.store.Reset(r.Context()); err != nil {
		s.log.Error("reset", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "reset failed"})
		return
	}
	if err := s.sealer.Restore(r.Context(), s.store); err != nil {
		s.log.Error("reset", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "reset failed"})
		return
	}
	s.keys.Reset()
	s.log.Info("state reset (test mode)")
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}
