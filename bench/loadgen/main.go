// Command loadgen drives a Cognito User Pools endpoint (Cogito or a peer emulator) with concurrent clients
// speaking raw AWS JSON 1.1 over HTTP, and reports per operation: requests/s, errors and latency
// p50/p90/p99/max.
//
//	go run ./bench/loadgen -endpoint http://127.0.0.1:9229 -scenario describe-user-pool -c 16 -d 10s
//	go run ./bench/loadgen -table bench/results/RUN/*.json     # compare runs: ratios cogito/peer
//
// Every loop is bounded: the measured phase stops after -d, or after -n iterations (then -d, default 10m,
// still caps it); a prefill (-prefill N) stops after N users or -prefill-timeout; each request is bounded by
// -timeout. Only loopback endpoints are accepted unless -allow-remote is given.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
}

func main() {
	os.Exit(realMain(os.Args[1:]))
}

func realMain(args []string) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var (
		endpoint    = fs.String("endpoint", "http://127.0.0.1:9229", "server URL (requests are POSTed to it verbatim)")
		scenarioArg = fs.String("scenario", "describe-user-pool", "scenario to run: "+strings.Join(scenarioNames(), ", "))
		conc        = fs.Int("c", 16, "concurrent clients")
		dur         = fs.Duration("d", 10*time.Second, "measured duration (with -n and no -d: a 10m cap)")
		count       = fs.Uint64("n", 0, "measured iterations in total (0: run for -d)")
		warmup      = fs.Duration("warmup", 2*time.Second, "unmeasured warm-up before the measured phase")
		reqTimeout  = fs.Duration("timeout", 10*time.Second, "per-request timeout")
		setupTime   = fs.Duration("setup-timeout", 60*time.Second, "time limit for setup and for clean-up")
		asJSON      = fs.Bool("json", false, "print the result as JSON on stdout")
		label       = fs.String("label", "", "name of the target in the result (default: the endpoint)")
		serverPID   = fs.Int("server-pid", 0, "PID of the server process: report its CPU time per request (Linux)")
		keep        = fs.Bool("keep", false, "keep what setup created (default: delete it after the run)")
		allowRemote = fs.Bool("allow-remote", false, "allow a non-loopback endpoint")
		list        = fs.Bool("list", false, "list the scenarios and exit")
		listSet     = fs.String("set", "all", "with -list: only the scenarios of this set (default, users, all); names only")
		prefill     = fs.Uint64("prefill", 0, "user scenarios: create this many benchmark users before the loop (with -pool: how many the pool holds)")
		prefillConc = fs.Int("prefill-c", 0, "concurrent clients of the prefill (default: -c)")
		prefillTime = fs.Duration("prefill-timeout", 30*time.Minute, "time limit of the prefill")
		prefillOnly = fs.Bool("prefill-only", false, "user scenarios: create the pool and prefill it, keep it, print the result (with its pool_id) and exit")
		pool        = fs.String("pool", "", "user scenarios: measure this existing pool of -prefill benchmark users (created by -prefill-only or bench/harness); it is not deleted")
		table       = fs.Bool("table", false, "read result JSON files (the arguments) and print a comparison table")
		ref         = fs.String("ref", "cogito", "with -table: the label ratios are computed for (ref/peer)")
		cpuProfile  = fs.String("cpuprofile", "", "write the generator's own CPU profile to this file")
	)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: loadgen [flags]\n       loadgen -table [-ref LABEL] RESULT.json...\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		setGiven := false
		fs.Visit(func(f *flag.Flag) { setGiven = setGiven || f.Name == "set" })
		for _, s := range scenarios {
			switch {
			case !setGiven:
				fmt.Printf("%-22s %-8s %s\n", s.name, s.set, s.about)
			case *listSet == "all" || *listSet == s.set:
				fmt.Println(s.name)
			}
		}
		return 0
	}
	if *table {
		if fs.NArg() == 0 {
			logf("-table needs result files")
			return 2
		}
		if err := printTable(os.Stdout, fs.Args(), *ref); err != nil {
			logf("%v", err)
			return 1
		}
		return 0
	}
	if fs.NArg() > 0 {
		logf("unexpected arguments: %v", fs.Args())
		return 2
	}

	durSet := false
	fs.Visit(func(f *flag.Flag) { durSet = durSet || f.Name == "d" })
	if *count > 0 && !durSet {
		*dur = 10 * time.Minute
	}
	switch {
	case *conc < 1 || *conc > 4096:
		logf("-c must be in 1..4096")
		return 2
	case *dur <= 0:
		logf("-d must be positive")
		return 2
	case *warmup < 0 || *reqTimeout <= 0 || *setupTime <= 0 || *prefillTime <= 0:
		logf("-warmup must be >= 0, -timeout, -setup-timeout and -prefill-timeout > 0")
		return 2
	case *prefillConc < 0 || *prefillConc > 4096:
		logf("-prefill-c must be in 1..4096")
		return 2
	}
	if *prefillConc == 0 {
		*prefillConc = *conc
	}
	sc, err := findScenario(*scenarioArg)
	if err != nil {
		logf("%v", err)
		return 2
	}
	u, err := checkEndpoint(*endpoint, *allowRemote)
	if err != nil {
		logf("%v", err)
		return 2
	}
	if *label == "" {
		*label = u.Host
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			logf("%v", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			logf("%v", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}

	c := newClient(u.String(), max(*conc, *prefillConc), *reqTimeout, *allowRemote)
	defer c.close()
	cfg := config{
		endpoint: u.String(), label: *label, scenario: sc.name, concurrency: *conc,
		duration: *dur, count: *count, warmup: *warmup, reqTimeout: *reqTimeout,
		setupTime: *setupTime, serverPID: *serverPID, keep: *keep,
		prefill: *prefill, prefillConc: *prefillConc, prefillTimeout: *prefillTime, prefillOnly: *prefillOnly,
		pool: *pool,
	}
	res, err := run(ctx, cfg, sc, c)
	if err != nil {
		logf("%s against %s: %v", sc.name, u, err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			logf("%v", err)
			return 1
		}
	} else {
		printText(os.Stdout, res)
	}
	if *prefillOnly {
		return 0
	}
	if res.Requests == 0 || res.Errors == res.Requests {
		first := ""
		for _, o := range res.Ops {
			for _, msg := range o.ErrorFirst {
				first = "; first error: " + msg
				break
			}
		}
		logf("no successful request%s", first)
		return 1
	}
	return 0
}
