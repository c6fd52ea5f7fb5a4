package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cogito-dev/cogito/bench/internal/benchuser"
)

// errStopped means a call was cut short because the run ended; it is neither a success nor an error.
var errStopped = errors.New("stopped")

type config struct {
	endpoint    string
	label       string
	scenario    string
	concurrency int
	duration    time.Duration // measured phase limit (always set)
	count       uint64        // measured phase request-iteration limit (0: none)
	warmup      time.Duration
	reqTimeout  time.Duration
	setupTime   time.Duration
	serverPID   int
	keep        bool

	// user scenarios
	prefill        uint64        // benchmark users to create before the loop (or, with pool, the pool holds)
	prefillConc    int           // concurrent clients of the prefill
	prefillTimeout time.Duration // time limit of the prefill
	prefillOnly    bool          // stop after the prefill, keeping the pool
	pool           string        // measure this existing pool instead of creating and filling one
}

// worker is one concurrent client loop; it owns its buffers and statistics, so the loop takes no locks.
type worker struct {
	c       *client
	buf     []byte // last response body
	scratch []byte // request body under construction
	record  bool
	stats   map[string]*opStats
}

type opStats struct {
	lat      *hist
	errors   uint64
	kinds    map[string]uint64
	firstErr map[string]string
}

func newOpStats() *opStats {
	return &opStats{lat: newHist(), kinds: map[string]uint64{}, firstErr: map[string]string{}}
}

func (s *opStats) merge(o *opStats) {
	s.lat.merge(o.lat)
	s.errors += o.errors
	for k, v := range o.kinds {
		s.kinds[k] += v
	}
	for k, v := range o.firstErr {
		if _, ok := s.firstErr[k]; !ok {
			s.firstErr[k] = v
		}
	}
}

// call sends one operation, timing it under op when the worker is recording.
func (w *worker) call(ctx context.Context, op string, body []byte) ([]byte, error) {
	return w.callCheck(ctx, op, body, nil)
}

// callCheck is call with a check of a successful answer: an answer check refuses counts as an error of
// kind WrongAnswer (a server that ignores a filter must not look fast).
func (w *worker) callCheck(ctx context.Context, op string, body []byte, check func(resp []byte) error) ([]byte, error) {
	t0 := time.Now()
	resp, err := w.c.do(ctx, op, body, w.buf)
	d := time.Since(t0)
	w.buf = resp
	if err != nil && ctx.Err() != nil {
		return resp, errStopped
	}
	if err == nil && check != nil {
		if cerr := check(resp); cerr != nil {
			err = &apiError{status: 200, kind: "WrongAnswer", msg: cerr.Error()}
		}
	}
	return resp, w.recordOp(op, d, err)
}

// recordOp counts one outcome of op (a call, or several calls timed as one: d and err), when the worker
// is recording, and returns err.
func (w *worker) recordOp(op string, d time.Duration, err error) error {
	if !w.record {
		return err
	}
	st := w.stats[op]
	if st == nil {
		st = newOpStats()
		w.stats[op] = st
	}
	if err != nil {
		st.errors++
		kind := "error"
		var ae *apiError
		if errors.As(err, &ae) {
			kind = ae.kind
		}
		st.kinds[kind]++
		if _, ok := st.firstErr[kind]; !ok {
			st.firstErr[kind] = err.Error()
		}
		return err
	}
	st.lat.record(d)
	return nil
}

type runner struct {
	cfg config
	sc  *scenario
	c   *client
	fx  *fixture
	seq atomic.Uint64 // iteration numbers, unique over the whole run (warm-up included)
}

// hopeless is how many failures in a row, with no success at all, end a phase early: a server that
// rejects every request (an operation it lacks, a wrong endpoint) is reported at once, not hammered.
const hopeless = 1000

// phaseOutcome says how a phase went beyond its statistics.
type phaseOutcome struct {
	elapsed  time.Duration
	aborted  bool   // ended early: hopeless failures and no success
	firstErr string // the first failure seen, if any
}

// phase runs conc workers calling step until dur has passed, count iterations were started (count > 0),
// ctx ends, or every one of the first `hopeless` iterations failed. In-flight requests at the time limit
// are allowed to finish (each is bounded by the request timeout).
func (r *runner) phase(ctx context.Context, conc int, dur time.Duration, count uint64, record bool, step stepFunc) ([]*worker, phaseOutcome) {
	hard, cancel := context.WithTimeout(ctx, dur+r.cfg.reqTimeout+time.Second)
	defer cancel()
	var stop, aborted, okSeen atomic.Bool
	timer := time.AfterFunc(dur, func() { stop.Store(true) })
	defer timer.Stop()

	var claimed, failures atomic.Uint64
	var firstErr sync.Once
	var out phaseOutcome
	workers := make([]*worker, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range workers {
		w := &worker{c: r.c, record: record, stats: map[string]*opStats{}}
		workers[i] = w
		wg.Go(func() {
			for !stop.Load() && hard.Err() == nil {
				if count > 0 && claimed.Add(1) > count {
					return
				}
				err := step(hard, w, r.fx, r.seq.Add(1))
				switch {
				case errors.Is(err, errStopped):
					return
				case err != nil:
					firstErr.Do(func() { out.firstErr = err.Error() })
					if !okSeen.Load() && failures.Add(1) >= hopeless {
						aborted.Store(true)
						stop.Store(true)
					}
				case !okSeen.Load():
					okSeen.Store(true)
				}
			}
		})
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	out.aborted = aborted.Load() && !okSeen.Load()
	return workers, out
}

func run(ctx context.Context, cfg config, sc *scenario, c *client) (*result, error) {
	r := &runner{cfg: cfg, sc: sc, c: c, fx: &fixture{runID: fmt.Sprintf("%x", time.Now().UnixNano())}}
	if !sc.users && (cfg.prefill > 0 || cfg.pool != "" || cfg.prefillOnly) {
		return nil, fmt.Errorf("-prefill, -pool and -prefill-only apply to the user scenarios only")
	}
	if cfg.prefill > benchuser.Max {
		return nil, fmt.Errorf("-prefill: at most %d users", benchuser.Max)
	}
	if cfg.pool != "" && cfg.prefillOnly {
		return nil, fmt.Errorf("-pool names a pool already filled; -prefill-only fills a new one")
	}
	r.fx.givenPool = cfg.pool

	setupCtx, cancel := context.WithTimeout(ctx, cfg.setupTime)
	err := sc.setup(setupCtx, c, r.fx)
	cancel()
	defer r.cleanup(ctx)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}

	var prefill *prefillResult
	if sc.users {
		if err := checkUserScenario(sc, r.fx); err != nil {
			return nil, err
		}
		if cfg.pool != "" {
			r.fx.users = cfg.prefill // filled beforehand
		} else if cfg.prefill > 0 {
			if prefill, err = r.prefill(ctx); err != nil {
				return nil, err
			}
			r.fx.users = cfg.prefill
		}
		if !cfg.prefillOnly && r.fx.users < sc.minUsers {
			return nil, fmt.Errorf("%s needs a pool of at least %d users (-prefill)", sc.name, sc.minUsers)
		}
	}
	if cfg.prefillOnly {
		return &result{
			Label: cfg.label, Scenario: "prefill", Endpoint: cfg.endpoint, Concurrency: cfg.prefillConc,
			StartedAt: time.Now().UTC().Format(time.RFC3339), GoMaxProcs: runtime.GOMAXPROCS(0),
			NumCPU: runtime.NumCPU(), Users: r.fx.users, PoolID: r.fx.poolID, EmailUsername: r.fx.emailUsername,
			Prefill: prefill,
		}, nil
	}

	if cfg.warmup > 0 {
		_, wo := r.phase(ctx, cfg.concurrency, cfg.warmup, 0, false, sc.step)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if wo.aborted {
			return nil, fmt.Errorf("warm-up: the first %d requests all failed; first: %s", hopeless, wo.firstErr)
		}
	}

	cpu0 := selfCPU()
	srv0, srvErr := procCPU(cfg.serverPID)
	all0, allErr := machineBusy()
	workers, po := r.phase(ctx, cfg.concurrency, cfg.duration, cfg.count, true, sc.step)
	elapsed := po.elapsed
	cpu1 := selfCPU()
	srv1, srvErr2 := procCPU(cfg.serverPID)
	all1, allErr2 := machineBusy()

	res := &result{
		Label:       cfg.label,
		Scenario:    sc.name,
		Endpoint:    cfg.endpoint,
		Concurrency: cfg.concurrency,
		WarmupS:     cfg.warmup.Seconds(),
		ElapsedS:    elapsed.Seconds(),
		StartedAt:   time.Now().Add(-elapsed).UTC().Format(time.RFC3339),
		GoMaxProcs:  runtime.GOMAXPROCS(0),
		NumCPU:      runtime.NumCPU(),
		ClientCPUS:  (cpu1 - cpu0).Seconds(),
		Interrupted: ctx.Err() != nil,
		Aborted:     po.aborted,
	}
	if sc.users {
		res.Users, res.PoolID, res.EmailUsername, res.Prefill = r.fx.users, r.fx.poolID, r.fx.emailUsername, prefill
	}
	if cfg.count > 0 {
		res.LimitN = cfg.count
	}
	res.LimitS = cfg.duration.Seconds()

	merged := map[string]*opStats{}
	for _, w := range workers {
		for op, st := range w.stats {
			m := merged[op]
			if m == nil {
				m = newOpStats()
				merged[op] = m
			}
			m.merge(st)
		}
	}
	// the scenario's own operations in its order, then auxiliary ones by name
	var order []string
	for _, op := range sc.ops {
		if merged[op] != nil {
			order = append(order, op)
		}
	}
	var aux []string
	for op := range merged {
		if !slices.Contains(sc.ops, op) {
			aux = append(aux, op)
		}
	}
	slices.Sort(aux)
	order = append(order, aux...)
	res.fill(merged, order, sc.ops, elapsed)
	if cfg.serverPID > 0 && srvErr == nil && srvErr2 == nil {
		s := (srv1 - srv0).Seconds()
		res.ServerCPUS = &s
		if res.Requests > 0 {
			us := s * 1e6 / float64(res.Requests)
			res.ServerCPUUsPerReq = &us
		}
		if allErr == nil && allErr2 == nil {
			// what else ran meanwhile, as a share of the machine: a noisy neighbour skews the comparison
			other := (all1 - all0 - (cpu1 - cpu0) - (srv1 - srv0)).Seconds()
			pct := max(0, 100*other/(elapsed.Seconds()*float64(runtime.NumCPU())))
			res.OtherCPUPct = &pct
		}
	}
	return res, nil
}

// prefill creates benchmark users 0..cfg.prefill-1 with AdminCreateUser, cfg.prefillConc at a time, and
// fails unless every one was created. It is the first phase of a run, so its iterations are 1..N.
func (r *runner) prefill(ctx context.Context) (*prefillResult, error) {
	cfg := r.cfg
	if r.seq.Load() != 0 {
		return nil, fmt.Errorf("prefill: must be the first phase")
	}
	var done atomic.Uint64
	step := func(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
		err := stepPrefill(ctx, w, fx, iter)
		if err == nil {
			done.Add(1)
		}
		return err
	}
	pctx, stopProgress := context.WithCancel(ctx)
	defer stopProgress()
	go func() {
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		start := time.Now()
		for {
			select {
			case <-pctx.Done():
				return
			case <-t.C:
				n := done.Load()
				logf("prefill: %d/%d users after %.0fs (%.0f/s)", n, cfg.prefill, time.Since(start).Seconds(),
					float64(n)/time.Since(start).Seconds())
			}
		}
	}()
	srv0, srvErr := procCPU(cfg.serverPID)
	workers, po := r.phase(ctx, cfg.prefillConc, cfg.prefillTimeout, cfg.prefill, true, step)
	srv1, srvErr2 := procCPU(cfg.serverPID)
	stopProgress()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	st := newOpStats()
	for _, w := range workers {
		for _, s := range w.stats {
			st.merge(s)
		}
	}
	if n := done.Load(); n != cfg.prefill {
		return nil, fmt.Errorf("prefill: created %d of %d users in %.1fs (limit -prefill-timeout %v); %d failed; first failure: %s",
			n, cfg.prefill, po.elapsed.Seconds(), cfg.prefillTimeout, st.errors, po.firstErr)
	}
	p := &prefillResult{
		Users: cfg.prefill, Concurrency: cfg.prefillConc, ElapsedS: po.elapsed.Seconds(),
		UsersPerS: float64(cfg.prefill) / po.elapsed.Seconds(),
		LatencyMs: latencyMs{
			Min: ms(st.lat.min), Mean: ms(st.lat.mean()), P50: ms(st.lat.quantile(0.50)),
			P90: ms(st.lat.quantile(0.90)), P99: ms(st.lat.quantile(0.99)), Max: ms(st.lat.max),
		},
	}
	if cfg.serverPID > 0 && srvErr == nil && srvErr2 == nil {
		us := (srv1 - srv0).Seconds() * 1e6 / float64(cfg.prefill)
		p.ServerCPUUsPerReq = &us
	}
	logf("%s", describePrefill(p))
	return p, nil
}

func (r *runner) cleanup(ctx context.Context) {
	if r.cfg.keep || r.cfg.prefillOnly {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.cfg.setupTime)
	defer cancel()
	r.fx.mu.Lock()
	fns := slices.Clone(r.fx.cleanup)
	r.fx.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		if err := fns[i](ctx, r.c); err != nil {
			logf("cleanup: %v", err)
		}
	}
}
