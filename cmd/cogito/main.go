// Command cogito is the Cogito server: Amazon Cognito's APIs on one port.
//
//	cogito serve [flags]   run the server (see `cogito serve -h`)
//	cogito version         print the version
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], getenv, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "cogito", versionString())
		return 0
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "cogito: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Cogito speaks Amazon Cognito's APIs on one port.

Usage:
  cogito serve [flags]   run the server (cogito serve -h lists the flags)
  cogito version         print the version
`)
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}

func serve(args []string, getenv func(string) string, stderr io.Writer) int {
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "cogito:", err)
		return 2
	}
	log := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		log.Error("listen", "addr", cfg.Listen, "err", err)
		return 1
	}
	// With port 0 the issuer follows the port actually bound.
	cfg.Listen = ln.Addr().String()
	srv, err := server.New(ctx, cfg, log, server.Options{})
	if err != nil {
		ln.Close()
		log.Error("start", "err", err)
		return 1
	}
	defer srv.Close()
	backend := "sqlite:" + cfg.DataDir
	if cfg.DatabaseURL != "" {
		backend = "postgres"
	}
	log.Info("cogito listening", "addr", "http://"+cfg.Listen, "version", versionString(), "store", backend,
		"region", cfg.Region, "test_mode", cfg.TestMode)
	more, err := listenTLS(cfg, log)
	if err != nil {
		log.Error("listen (https)", "addr", cfg.TLS.Listen, "err", err)
		return 1
	}
	if err := srv.Serve(ctx, ln, more...); err != nil {
		log.Error("serve", "err", err)
		return 1
	}
	log.Info("cogito stopped")
	return 0
}

// listenTLS opens the HTTPS listener of cfg.TLS, if any.
func listenTLS(cfg config.Config, log *slog.Logger) ([]net.Listener, error) {
	tc, err := server.TLSConfig(cfg, log)
	if err != nil || tc == nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.TLS.Listen)
	if err != nil {
		return nil, err
	}
	log.Info("cogito listening", "addr", "https://"+ln.Addr().String())
	return []net.Listener{tls.NewListener(ln, tc)}, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(cfg.LogLevel)))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
