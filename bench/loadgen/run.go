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
	t0 := time.Now()
	resp, err := w.c.do(ctx, op, body, w.buf)
	d := time.Since(t0)
	w.buf = resp
	if err != nil && ctx.Err() != nil {
		return resp, errStopped
	}
	if !w.record {
		return resp, err
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
		return resp, err
	}
	st.lat.record(d)
	return resp, nil
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

// phase runs all workers until dur has passed, count iterations were started (count > 0), ctx ends, or
// every one of the first `hopeless` iterations failed. In-flight requests at the time limit are allowed to
// finish (each is bounded by the request timeout).
func (r *runner) phase(ctx context.Context, dur time.Duration, count uint64, record bool) ([]*worker, phaseOutcome) {
	hard, cancel := context.WithTimeout(ctx, dur+r.cfg.reqTimeout+time.Second)
	defer cancel()
	var stop, aborted, okSeen atomic.Bool
	timer := time.AfterFunc(dur, func() { stop.Store(true) })
	defer timer.Stop()

	var claimed, failures atomic.Uint64
	var firstErr sync.Once
	var out phaseOutcome
	workers := make([]*worker, r.cfg.concurrency)
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
				err := r.sc.step(hard, w, r.fx, r.seq.Add(1))
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

	setupCtx, cancel := context.WithTimeout(ctx, cfg.setupTime)
	err := sc.setup(setupCtx, c, r.fx)
	cancel()
	defer r.cleanup(ctx)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}

	if cfg.warmup > 0 {
		_, wo := r.phase(ctx, cfg.warmup, 0, false)
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
	workers, po := r.phase(ctx, cfg.duration, cfg.count, true)
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

func (r *runner) cleanup(ctx context.Context) {
	if r.cfg.keep {
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
