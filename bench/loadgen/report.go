package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"
	"time"
)

// result is one run of one scenario against one endpoint; -json prints it as is, and -table reads it back.
type result struct {
	Label             string     `json:"label"`
	Scenario          string     `json:"scenario"`
	Endpoint          string     `json:"endpoint"`
	Concurrency       int        `json:"concurrency"`
	LimitS            float64    `json:"limit_s"`
	LimitN            uint64     `json:"limit_n,omitempty"`
	WarmupS           float64    `json:"warmup_s"`
	ElapsedS          float64    `json:"elapsed_s"`
	StartedAt         string     `json:"started_at"`
	GoMaxProcs        int        `json:"gomaxprocs"`
	NumCPU            int        `json:"num_cpu"`
	Interrupted       bool       `json:"interrupted,omitempty"`
	Aborted           bool       `json:"aborted,omitempty"` // stopped early: every request failed
	Requests          uint64     `json:"requests"`          // successful + failed
	Errors            uint64     `json:"errors"`
	RPS               float64    `json:"rps"` // successful requests per second
	ClientCPUS        float64    `json:"client_cpu_s"`
	ServerCPUS        *float64   `json:"server_cpu_s,omitempty"`
	ServerCPUUsPerReq *float64   `json:"server_cpu_us_per_req,omitempty"`
	OtherCPUPct       *float64   `json:"other_cpu_pct,omitempty"` // machine CPU used by neither client nor server
	Ops               []opResult `json:"ops"`

	// user scenarios
	Users         uint64         `json:"users,omitempty"`   // benchmark users in the pool when the loop started
	PoolID        string         `json:"pool_id,omitempty"` // the pool measured (kept by -prefill-only)
	EmailUsername bool           `json:"email_username,omitempty"`
	Prefill       *prefillResult `json:"prefill,omitempty"` // how this run filled the pool, if it did
}

type opResult struct {
	Op         string            `json:"op"`
	Aux        bool              `json:"aux,omitempty"` // a helper call of the loop (e.g. a new pool), not what it measures
	Requests   uint64            `json:"requests"`
	Errors     uint64            `json:"errors"`
	RPS        float64           `json:"rps"`
	LatencyMs  latencyMs         `json:"latency_ms"` // successful requests only
	ErrorKinds map[string]uint64 `json:"error_kinds,omitempty"`
	ErrorFirst map[string]string `json:"error_first,omitempty"`
}

type latencyMs struct {
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (r *result) fill(stats map[string]*opStats, order, main []string, elapsed time.Duration) {
	secs := elapsed.Seconds()
	for _, op := range order {
		st := stats[op]
		ok := st.lat.n
		o := opResult{
			Op:       op,
			Requests: ok + st.errors,
			Errors:   st.errors,
			LatencyMs: latencyMs{
				Min: ms(st.lat.min), Mean: ms(st.lat.mean()),
				P50: ms(st.lat.quantile(0.50)), P90: ms(st.lat.quantile(0.90)),
				P99: ms(st.lat.quantile(0.99)), Max: ms(st.lat.max),
			},
		}
		if secs > 0 {
			o.RPS = float64(ok) / secs
		}
		o.Aux = !slices.Contains(main, op)
		if st.errors > 0 {
			o.ErrorKinds = st.kinds
			o.ErrorFirst = st.firstErr
		}
		r.Ops = append(r.Ops, o)
		r.Requests += o.Requests
		r.Errors += o.Errors
		r.RPS += o.RPS
	}
}

func printText(w io.Writer, r *result) {
	if r.Prefill != nil {
		fmt.Fprintf(w, "%s  pool %s  %s\n", r.Label, r.PoolID, describePrefill(r.Prefill))
	}
	if r.Scenario == "prefill" {
		return
	}
	fmt.Fprintf(w, "%s  %s  %s  c=%d  %.2fs (warm-up %.1fs)\n", r.Label, scenarioLabel(r), r.Endpoint,
		r.Concurrency, r.ElapsedS, r.WarmupS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "op\trequests\terrors\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
	for _, o := range r.Ops {
		name := o.Op
		if o.Aux {
			name += " (aux)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", name, o.Requests, o.Errors, o.RPS,
			o.LatencyMs.P50, o.LatencyMs.P90, o.LatencyMs.P99, o.LatencyMs.Max)
	}
	tw.Flush()
	for _, o := range r.Ops {
		kinds := make([]string, 0, len(o.ErrorKinds))
		for k := range o.ErrorKinds {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			fmt.Fprintf(w, "  %s errors: %d x %s (first: %s)\n", o.Op, o.ErrorKinds[k], k, o.ErrorFirst[k])
		}
	}
	line := fmt.Sprintf("client CPU %.2fs", r.ClientCPUS)
	if r.ServerCPUS != nil {
		line += fmt.Sprintf(", server CPU %.2fs", *r.ServerCPUS)
		if r.ServerCPUUsPerReq != nil {
			line += fmt.Sprintf(" (%.0f µs/request)", *r.ServerCPUUsPerReq)
		}
	}
	if r.OtherCPUPct != nil {
		line += fmt.Sprintf(", other processes %.0f%% of the machine", *r.OtherCPUPct)
	}
	if r.Interrupted {
		line += "; INTERRUPTED"
	}
	if r.Aborted {
		line += fmt.Sprintf("; ABORTED: the first %d requests all failed", hopeless)
	}
	fmt.Fprintln(w, line)
}

// printTable reads result files and prints one Markdown table with, on each peer row, the ratios ref/peer
// (ref is normally "cogito"): a req/s ratio > 1 and a latency or CPU ratio < 1 mean ref is faster. Several results
// for the same scenario and target (rounds) are reduced to the one with the median req/s.
func printTable(w io.Writer, files []string, ref string) error {
	type key struct{ scenario, label string } // scenario: with the pool size, see scenarioLabel
	groups := map[key][]*result{}
	var keys []key
	var all []*result
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		r := new(result)
		if err := json.Unmarshal(b, r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		all = append(all, r)
		if r.Scenario == "prefill" {
			continue // -prefill-only: no loop, only the prefill (below)
		}
		k := key{scenarioLabel(r), r.Label}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	median := func(rs []*result) *result {
		rs = slices.Clone(rs)
		slices.SortFunc(rs, func(a, b *result) int { return cmp.Compare(a.RPS, b.RPS) })
		return rs[(len(rs)-1)/2]
	}
	var scen []string
	for _, k := range keys {
		if !slices.Contains(scen, k.scenario) {
			scen = append(scen, k.scenario)
		}
	}

	fmt.Fprintf(w, "| scenario | op | target | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU µs/req | other CPU %% | req/s %s/peer | p50 %s/peer | p99 %s/peer | CPU/req %s/peer |\n", ref, ref, ref, ref)
	fmt.Fprintln(w, "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, s := range scen {
		var refRes *result
		if rs := groups[key{s, ref}]; len(rs) > 0 {
			refRes = median(rs)
		}
		// the reference first, then the peers in the order first seen
		order := []key{{s, ref}}
		for _, k := range keys {
			if k.scenario == s && k.label != ref {
				order = append(order, k)
			}
		}
		for _, k := range order {
			rs := groups[k]
			if len(rs) == 0 {
				continue
			}
			r := median(rs)
			target := r.Label
			if len(rs) > 1 {
				target += fmt.Sprintf(" (median of %d)", len(rs))
			}
			cpu, other := "–", "–"
			if r.ServerCPUUsPerReq != nil {
				cpu = fmt.Sprintf("%.0f", *r.ServerCPUUsPerReq)
			}
			if r.OtherCPUPct != nil {
				other = fmt.Sprintf("%.0f", *r.OtherCPUPct)
			}
			for _, o := range r.Ops {
				if o.Aux {
					continue // helper calls are in the JSON, not in the comparison
				}
				errs := fmt.Sprintf("%d", o.Errors)
				if o.Errors > 0 {
					errs = fmt.Sprintf("**%d**", o.Errors)
				}
				rRPS, rP50, rP99, rCPU := "", "", "", ""
				if r != refRes {
					rRPS, rP50, rP99, rCPU = "n/a", "n/a", "n/a", "n/a"
					if refRes != nil {
						if ro := findOp(refRes, o.Op); ro != nil && ro.RPS > 0 {
							rRPS = ratio(ro.RPS, o.RPS)
							rP50 = ratio(ro.LatencyMs.P50, o.LatencyMs.P50)
							rP99 = ratio(ro.LatencyMs.P99, o.LatencyMs.P99)
						}
						// per request of the whole scenario, so only meaningful when both succeeded
						if refRes.ServerCPUUsPerReq != nil && r.ServerCPUUsPerReq != nil &&
							refRes.Errors == 0 && r.Errors == 0 {
							rCPU = ratio(*refRes.ServerCPUUsPerReq, *r.ServerCPUUsPerReq)
						}
					}
				}
				fmt.Fprintf(w, "| %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %s |\n",
					s, o.Op, target, o.RPS, o.LatencyMs.P50, o.LatencyMs.P90, o.LatencyMs.P99, o.LatencyMs.Max,
					errs, cpu, other, rRPS, rP50, rP99, rCPU)
			}
		}
	}
	printPrefills(w, all, ref)
	return nil
}

// printPrefills adds a table of how pools were filled (AdminCreateUser from empty to N users), one row per
// size and target (the median time when there are several), with ratios ref/peer at equal sizes.
func printPrefills(w io.Writer, all []*result, ref string) {
	type key struct {
		users uint64
		label string // with " (email as username)" for pools that take the email as username
	}
	groups := map[key][]*prefillResult{}
	var keys []key
	for _, r := range all {
		if r.Prefill == nil {
			continue
		}
		k := key{r.Prefill.Users, r.Label}
		if r.EmailUsername {
			k.label += " (email as username)"
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r.Prefill)
	}
	if len(keys) == 0 {
		return
	}
	median := func(ps []*prefillResult) *prefillResult {
		ps = slices.Clone(ps)
		slices.SortFunc(ps, func(a, b *prefillResult) int { return cmp.Compare(a.ElapsedS, b.ElapsedS) })
		return ps[(len(ps)-1)/2]
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.users, b.users), cmp.Compare(boolInt(a.label != ref), boolInt(b.label != ref)))
	})
	fmt.Fprintf(w, "\nPrefills (AdminCreateUser from an empty pool to N users, concurrently):\n\n")
	fmt.Fprintf(w, "| users | target | c | seconds | users/s | p50 ms | p99 ms | server CPU µs/user | users/s %s/peer | CPU/user %s/peer |\n", ref, ref)
	fmt.Fprintln(w, "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, k := range keys {
		p := median(groups[k])
		target := k.label
		if n := len(groups[k]); n > 1 {
			target += fmt.Sprintf(" (median of %d)", n)
		}
		cpu, rRate, rCPU := "–", "", ""
		if p.ServerCPUUsPerReq != nil {
			cpu = fmt.Sprintf("%.0f", *p.ServerCPUUsPerReq)
		}
		if k.label != ref {
			rRate, rCPU = "n/a", "n/a"
			if rs := groups[key{k.users, ref}]; len(rs) > 0 {
				rp := median(rs)
				rRate = ratio(rp.UsersPerS, p.UsersPerS)
				if rp.ServerCPUUsPerReq != nil && p.ServerCPUUsPerReq != nil {
					rCPU = ratio(*rp.ServerCPUUsPerReq, *p.ServerCPUUsPerReq)
				}
			}
		}
		fmt.Fprintf(w, "| %d | %s | %d | %.1f | %.0f | %.2f | %.2f | %s | %s | %s |\n", k.users, target, p.Concurrency,
			p.ElapsedS, p.UsersPerS, p.LatencyMs.P50, p.LatencyMs.P99, cpu, rRate, rCPU)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scenarioLabel names a scenario with the size of its pool when it has users ("list-users-prefix @100k"),
// so that runs on pools of different sizes are never compared with each other.
func scenarioLabel(r *result) string {
	if r.Users == 0 {
		return r.Scenario
	}
	return r.Scenario + " @" + sizeLabel(r.Users)
}

func sizeLabel(n uint64) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprintf("%d", n)
}

func findOp(r *result, op string) *opResult {
	for i := range r.Ops {
		if r.Ops[i].Op == op {
			return &r.Ops[i]
		}
	}
	return nil
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "n/a"
	}
	x := a / b
	if x >= 100 {
		return fmt.Sprintf("%.0f×", x)
	}
	return fmt.Sprintf("%.3g×", x)
}
