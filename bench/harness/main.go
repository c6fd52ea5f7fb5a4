// Command harness runs Cogito in-process for benchmarks, for two jobs the HTTP load generator cannot do:
//
//	harness prefill -data-dir DIR -n 1000000     fill a pool with benchmark users straight through the store
//	harness serve -data-dir DIR -listen 127.0.0.1:9229 -cpuprofile cpu.out    serve, profiling the server
//
// # prefill (a shortcut, not the API)
//
// Creating a user through the API computes an SRP verifier (≈ 1 ms of CPU), so a million users over HTTP take
// most of an hour on two cores. prefill instead creates the pool and ONE template user through Cogito's own
// HTTP handler (in-process, the real code path: AdminCreateUser with a verified email, email an alias
// attribute), then writes the other N-1 users with storage.UserStore.CreateUser — the call the service makes —
// each a copy of the template with its own username, sub, email and email alias, following the benchmark
// naming scheme (bench/internal/benchuser). The store maintains the derived rows (alias index, ListUsers search
// index, user count) exactly as for users created through the API. What differs: the copies share the
// template's credentials document (its verifier was computed for the template's username, so the copies
// cannot sign in) and its timestamps. That does not matter to lookups and listings, which is what such pools
// are measured for (bench/loadgen -pool ID -prefill N).
//
// It prints the pool id and the time taken; the data directory is then served by `cogito serve --data-dir DIR`
// (or harness serve). -n is bounded by the naming scheme (10M users) and the run by -timeout.
//
// # serve
//
// The server `cogito serve` runs, with a CPU profile (-cpuprofile) written when it stops: on SIGINT/SIGTERM
// or after -max-time, whichever comes first. Only loopback addresses are accepted.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/bench/internal/benchuser"
	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/server"
	"github.com/cogito-dev/cogito/internal/storage"
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "harness: "+format+"\n", args...)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: harness prefill|serve [flags] (harness CMD -h for the flags)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "prefill":
		err = prefillCmd(ctx, os.Args[2:])
	case "serve":
		err = serveCmd(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (prefill, serve)", os.Args[1])
	}
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		logf("%v", err)
		os.Exit(1)
	}
}

func newServer(ctx context.Context, dataDir, listen, logLevel string) (*server.Server, config.Config, error) {
	cfg := config.Defaults()
	cfg.DataDir = dataDir
	cfg.Listen = listen
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(strings.ToUpper(logLevel))); err != nil {
		return nil, cfg, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
	srv, err := server.New(ctx, cfg, log, server.Options{})
	return srv, cfg, err
}

// prefillOut is what prefill prints (JSON with -json).
type prefillOut struct {
	PoolID    string  `json:"pool_id"`
	Users     uint64  `json:"users"`
	DataDir   string  `json:"data_dir"`
	Via       string  `json:"via"`
	Writers   int     `json:"writers"`
	ElapsedS  float64 `json:"elapsed_s"` // the store phase: users 1..N-1
	UsersPerS float64 `json:"users_per_s"`
	DBBytes   int64   `json:"db_bytes"`
}

func prefillCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("harness prefill", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "Cogito data directory (SQLite); created if missing")
	n := fs.Uint64("n", 100000, "users in the pool (template included)")
	writers := fs.Int("c", 4, "concurrent store writers (SQLite serialises the writes; this overlaps their preparation)")
	timeout := fs.Duration("timeout", 2*time.Hour, "time limit")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *dataDir == "":
		return errors.New("prefill: -data-dir is required")
	case *n < 1 || *n > benchuser.Max:
		return fmt.Errorf("prefill: -n must be in 1..%d", benchuser.Max)
	case *writers < 1 || *writers > 64:
		return errors.New("prefill: -c must be in 1..64")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	srv, _, err := newServer(ctx, *dataDir, "127.0.0.1:0", "warn")
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		if !closed {
			srv.Close()
		}
	}()
	poolID, tmpl, err := createTemplate(ctx, srv)
	if err != nil {
		return err
	}
	logf("pool %s, template user %s created through the API; writing %d more users through the store", poolID, tmpl.Username, *n-1)

	st := srv.Store()
	var next, done atomic.Uint64
	next.Store(1)
	var firstErr error
	var errOnce sync.Once
	start := time.Now()
	progress := time.NewTicker(15 * time.Second)
	defer progress.Stop()
	stopProgress := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopProgress:
				return
			case <-progress.C:
				d := done.Load()
				logf("%d/%d users after %.0fs (%.0f/s)", d+1, *n, time.Since(start).Seconds(), float64(d)/time.Since(start).Seconds())
			}
		}
	}()
	var wg sync.WaitGroup
	for range *writers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= *n {
					return
				}
				if err := st.CreateUser(ctx, cloneUser(tmpl, i)); err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("user %d: %w", i, err) })
					cancel()
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	close(stopProgress)
	elapsed := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("prefill stopped after %d users: %w", done.Load()+1, err)
	}
	if got, err := st.CountUsers(ctx, poolID); err != nil || uint64(got) != *n {
		return fmt.Errorf("the pool holds %d users (err %v), want %d", got, err, *n)
	}
	closed = true
	if err := srv.Close(); err != nil {
		return err
	}
	out := prefillOut{
		PoolID: poolID, Users: *n, DataDir: *dataDir, Via: "store (template cloned)", Writers: *writers,
		ElapsedS: elapsed.Seconds(), UsersPerS: float64(*n-1) / elapsed.Seconds(),
	}
	for _, f := range []string{"cogito.db", "cogito.db-wal"} {
		if fi, err := os.Stat(*dataDir + "/" + f); err == nil {
			out.DBBytes += fi.Size()
		}
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Printf("pool %s: %d users in %s; %d written through the store in %.1fs (%.0f users/s, %d writers); database %.0f MB\n",
		out.PoolID, out.Users, out.DataDir, out.Users-1, out.ElapsedS, out.UsersPerS, out.Writers, float64(out.DBBytes)/1e6)
	return nil
}

// createTemplate creates the benchmark pool and user 0 through the server's own handler, and reads the
// user back from the store.
func createTemplate(ctx context.Context, srv *server.Server) (string, *storage.User, error) {
	var pool struct{ UserPool struct{ Id string } }
	err := callHandler(ctx, srv.Handler(), "CreateUserPool",
		map[string]any{"PoolName": "bench-harness", "AliasAttributes": []string{"email"}}, &pool)
	if err != nil {
		return "", nil, err
	}
	poolID := pool.UserPool.Id
	name, email := benchuser.Name(0), benchuser.Email(0)
	err = callHandler(ctx, srv.Handler(), "AdminCreateUser", map[string]any{
		"UserPoolId": poolID, "Username": name, "MessageAction": "SUPPRESS",
		"UserAttributes": []map[string]string{{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}},
	}, nil)
	if err != nil {
		return "", nil, err
	}
	users, _, err := srv.Store().ListUsers(ctx, poolID, storage.UserFilter{}, storage.Page{Limit: 2})
	if err != nil {
		return "", nil, err
	}
	if len(users) != 1 {
		return "", nil, fmt.Errorf("the new pool holds %d users, want 1", len(users))
	}
	t := users[0]
	// cloneUser relies on how the service stored the template: check it.
	wantAliases := []storage.Alias{{Kind: "email", Value: strings.ToLower(email)}}
	if t.Key != name || t.Username != name || t.Attributes["email"] != email ||
		len(t.Aliases) != 1 || t.Aliases[0] != wantAliases[0] {
		return "", nil, fmt.Errorf("the template user is not stored as expected (key %q, username %q, attributes %v, aliases %v)",
			t.Key, t.Username, t.Attributes, t.Aliases)
	}
	return poolID, t, nil
}

// cloneUser is benchmark user i shaped like the template (user 0).
func cloneUser(t *storage.User, i uint64) *storage.User {
	name, email := benchuser.Name(i), benchuser.Email(i)
	u := *t
	u.Key, u.Username, u.Sub = name, name, uuid.NewString()
	u.Attributes = maps.Clone(t.Attributes)
	u.Attributes["email"] = email
	u.Aliases = []storage.Alias{{Kind: "email", Value: strings.ToLower(email)}}
	u.Version = 0
	return &u
}

func callHandler(ctx context.Context, h http.Handler, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1/", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code/100 != 2 {
		return fmt.Errorf("%s: HTTP %d: %.300s", op, rec.Code, rec.Body.String())
	}
	if out != nil {
		return json.Unmarshal(rec.Body.Bytes(), out)
	}
	return nil
}

func serveCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("harness serve", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "Cogito data directory (SQLite)")
	listen := fs.String("listen", "127.0.0.1:9229", "loopback address to listen on")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the server to this file")
	maxTime := fs.Duration("max-time", 30*time.Minute, "stop by itself after this long")
	logLevel := fs.String("log-level", "warn", "log level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dataDir == "" {
		return errors.New("serve: -data-dir is required")
	}
	host, _, err := net.SplitHostPort(*listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("serve: -listen %q: a loopback IP address and port, please", *listen)
	}
	ctx, cancel := context.WithTimeout(ctx, *maxTime)
	defer cancel()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	srv, _, err := newServer(ctx, *dataDir, ln.Addr().String(), *logLevel)
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	logf("pid=%d serving http://%s (data %s, GOMAXPROCS %d, stops after %v)", os.Getpid(), ln.Addr(), *dataDir,
		runtime.GOMAXPROCS(0), *maxTime)
	return srv.Serve(ctx, ln)
}
