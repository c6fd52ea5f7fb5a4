package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHistQuantiles(t *testing.T) {
	h := newHist()
	for i := 1; i <= 10000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 5000 * time.Microsecond}, {0.9, 9000 * time.Microsecond}, {0.99, 9900 * time.Microsecond}, {1, 10 * time.Millisecond}} {
		got := h.quantile(tc.q)
		if diff := float64(got-tc.want) / float64(tc.want); diff < 0 || diff > 1.0/histSub {
			t.Errorf("quantile(%v) = %v, want %v within +%.2f%%", tc.q, got, tc.want, 100.0/histSub)
		}
	}
	if h.min != time.Microsecond || h.max != 10*time.Millisecond || h.n != 10000 {
		t.Errorf("min/max/n = %v/%v/%d", h.min, h.max, h.n)
	}
	if got, want := h.mean(), 5000500*time.Nanosecond; got != want {
		t.Errorf("mean = %v, want %v", got, want)
	}

	// bucket edges are monotonic and every value lands in a bucket whose range holds it
	prev := uint64(0)
	for i := 1; i < histBuckets; i++ {
		u := histUpper(i)
		if u <= prev {
			t.Fatalf("histUpper(%d) = %d <= histUpper(%d) = %d", i, u, i-1, prev)
		}
		if histIndex(u) != i || histIndex(prev+1) != i {
			t.Fatalf("bucket %d: index(%d) = %d, index(%d) = %d", i, u, histIndex(u), prev+1, histIndex(prev+1))
		}
		prev = u
	}

	m := newHist()
	m.merge(h)
	m.merge(newHist())
	if m.n != h.n || m.quantile(0.99) != h.quantile(0.99) || m.min != h.min {
		t.Errorf("merge lost data")
	}
	if newHist().quantile(0.5) != 0 {
		t.Errorf("empty quantile != 0")
	}
}

func TestCheckEndpoint(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:9229", "http://localhost:1/", "http://[::1]:80/x", "https://127.0.0.2"} {
		if _, err := checkEndpoint(ok, false); err != nil {
			t.Errorf("checkEndpoint(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:9229", "http://192.0.2.1", "ftp://127.0.0.1", "127.0.0.1:9229", "http://"} {
		if _, err := checkEndpoint(bad, false); err == nil {
			t.Errorf("checkEndpoint(%q) accepted", bad)
		}
	}
	if _, err := checkEndpoint("http://192.0.2.1", true); err != nil {
		t.Errorf("-allow-remote: %v", err)
	}
	if err := loopbackOnly("tcp", "192.0.2.1:80", nil); err == nil {
		t.Errorf("loopbackOnly accepted 192.0.2.1")
	}
	if err := loopbackOnly("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("loopbackOnly(127.0.0.1): %v", err)
	}
}

// fakeIDP is just enough of a User Pools server for the scenarios; it checks what the generator sends.
type fakeIDP struct {
	t       *testing.T
	mu      sync.Mutex
	pools   map[string]int // pool id -> app clients
	clients map[string]bool
	calls   map[string]int
	failN   int // answer the first failN DescribeUserPool calls with an error
}

func (f *fakeIDP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	op, ok := strings.CutPrefix(target, "AWSCognitoIdentityProviderService.")
	if r.Method != http.MethodPost || !ok || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		!strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=") {
		f.t.Errorf("bad request: %s %s %v", r.Method, target, r.Header)
		w.WriteHeader(400)
		return
	}
	var in map[string]string
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.t.Errorf("%s: body: %v", op, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	fail := func(kind string) {
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"__type": kind, "message": "no"})
	}
	switch op {
	case "CreateUserPool":
		if !strings.HasPrefix(in["PoolName"], "bench-") {
			f.t.Errorf("PoolName %q", in["PoolName"])
		}
		id := fmt.Sprintf("local_%d", f.calls[op])
		f.pools[id] = 0
		w.Write([]byte(`{"UserPool":{"Id":"` + id + `","Name":"x"}}`))
	case "DescribeUserPool":
		if f.failN > 0 {
			f.failN--
			fail("InternalErrorException")
			return
		}
		if _, ok := f.pools[in["UserPoolId"]]; !ok {
			fail("ResourceNotFoundException")
			return
		}
		w.Write([]byte(`{"UserPool":{"Id":"local_1"}}`))
	case "CreateUserPoolClient":
		name := in["ClientName"]
		n, ok := f.pools[in["UserPoolId"]]
		if !ok || f.clients[name] {
			f.t.Errorf("CreateUserPoolClient %v: unknown pool or duplicate name", in)
			fail("InvalidParameterException")
			return
		}
		if n >= 1000 { // Cognito's default quota
			fail("LimitExceededException")
			return
		}
		f.pools[in["UserPoolId"]] = n + 1
		f.clients[name] = true
		w.Write([]byte(`{"UserPoolClient":{"ClientId":"c","ClientName":"` + name + `"}}`))
	case "DeleteUserPool":
		delete(f.pools, in["UserPoolId"])
		w.Write([]byte(`{}`))
	default:
		fail("UnknownOperationException")
	}
}

func testConfig(url, scen string) config {
	return config{endpoint: url, label: "fake", scenario: scen, concurrency: 4, duration: 10 * time.Second,
		count: 300, warmup: 50 * time.Millisecond, reqTimeout: 5 * time.Second, setupTime: 5 * time.Second,
		serverPID: os.Getpid()}
}

func TestScenariosAgainstFake(t *testing.T) {
	for _, sc := range scenarios {
		if sc.users || sc.set == "signin" {
			continue // TestUserScenarios, TestSigninScenarios
		}
		t.Run(sc.name, func(t *testing.T) {
			if len(sc.ops) == 0 || sc.setup == nil || sc.step == nil || sc.about == "" {
				t.Fatalf("scenario %q is incomplete", sc.name)
			}
			f := &fakeIDP{t: t, pools: map[string]int{}, clients: map[string]bool{}, calls: map[string]int{}, failN: 0}
			srv := httptest.NewServer(f)
			defer srv.Close()
			cfg := testConfig(srv.URL, sc.name)
			wantPools := 1
			if sc.name == "create-user-pool-client" {
				// 1200 clients: pool 0 from setup, pools 1 and 2 created in the loop
				cfg.count, cfg.warmup, wantPools = 1200, 0, 3
			}
			c := newClient(srv.URL, cfg.concurrency, cfg.reqTimeout, false)
			defer c.close()
			res, err := run(context.Background(), cfg, &sc, c)
			if err != nil {
				t.Fatal(err)
			}
			if res.Requests != cfg.count+uint64(wantPools-1) || res.Errors != 0 || len(res.Ops) != min(wantPools, 2) {
				t.Fatalf("requests=%d errors=%d ops=%+v", res.Requests, res.Errors, res.Ops)
			}
			mainOp := "DescribeUserPool"
			if wantPools > 1 {
				mainOp = "CreateUserPoolClient"
			}
			o := findOp(res, mainOp)
			if o == nil {
				t.Fatalf("no %s in %+v", mainOp, res.Ops)
			}
			if wantPools > 1 {
				if cp := findOp(res, "CreateUserPool"); cp == nil || cp.Requests != 2 || !cp.Aux || o.Requests != 1200 ||
					res.Ops[0].Op != mainOp || o.Aux {
					t.Errorf("ops %+v", res.Ops)
				}
			}
			if o.RPS <= 0 || o.LatencyMs.P50 <= 0 || o.LatencyMs.P50 > o.LatencyMs.P99 || o.LatencyMs.P99 > o.LatencyMs.Max {
				t.Errorf("implausible latencies %+v rps %v", o.LatencyMs, o.RPS)
			}
			if res.ServerCPUS == nil {
				t.Errorf("server CPU not measured")
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.calls["CreateUserPool"] != wantPools || f.calls["DeleteUserPool"] != wantPools || len(f.pools) != 0 {
				t.Errorf("setup/cleanup calls: %v, pools left %v", f.calls, f.pools)
			}
		})
	}
}

func TestErrorsAreCounted(t *testing.T) {
	f := &fakeIDP{t: t, pools: map[string]int{}, clients: map[string]bool{}, calls: map[string]int{}, failN: 20}
	srv := httptest.NewServer(f)
	defer srv.Close()
	cfg := testConfig(srv.URL, "describe-user-pool")
	cfg.warmup = 0
	cfg.count = 100
	c := newClient(srv.URL, cfg.concurrency, cfg.reqTimeout, false)
	defer c.close()
	sc, _ := findScenario(cfg.scenario)
	res, err := run(context.Background(), cfg, sc, c)
	if err != nil {
		t.Fatal(err)
	}
	o := res.Ops[0]
	if o.Requests != 100 || o.Errors != 20 || o.ErrorKinds["InternalErrorException"] != 20 {
		t.Errorf("got %+v", o)
	}
}

func TestDurationBoundAndTable(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".CreateUserPool") {
			w.Write([]byte(`{"UserPool":{"Id":"p"}}`))
			return
		}
		time.Sleep(20 * time.Millisecond)
		w.Write([]byte(`{}`))
	})
	srv := httptest.NewServer(slow)
	defer srv.Close()
	cfg := testConfig(srv.URL, "describe-user-pool")
	cfg.count, cfg.duration, cfg.warmup = 0, 300*time.Millisecond, 0
	c := newClient(srv.URL, cfg.concurrency, cfg.reqTimeout, false)
	defer c.close()
	sc, _ := findScenario(cfg.scenario)
	start := time.Now()
	res, err := run(context.Background(), cfg, sc, c)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("run took %v with -d 300ms", el)
	}
	if res.Errors != 0 || res.Requests < 20 || res.Requests > 100 {
		t.Errorf("requests=%d errors=%d", res.Requests, res.Errors)
	}

	// the table reads results back, takes the median of rounds and computes ratios against the reference
	dir := t.TempDir()
	res.Label = "cogito"
	files := []string{}
	write := func(name string, r *result) {
		b, _ := json.Marshal(r)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.Join(dir, name))
	}
	for i, div := range []float64{4, 2, 1} {
		peer := *res
		peer.Label = "peer"
		peer.Ops = []opResult{res.Ops[0]}
		peer.Ops[0].RPS = res.Ops[0].RPS / div
		peer.RPS = peer.Ops[0].RPS
		write(fmt.Sprintf("peer%d.json", i), &peer)
	}
	write("cogito.json", res)
	var sb strings.Builder
	if err := printTable(&sb, files, "cogito"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(sb.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[2], "| cogito |") ||
		!strings.Contains(lines[3], "| peer (median of 3) |") || !strings.Contains(lines[3], "| 2× |") {
		t.Errorf("table:\n%s", sb.String())
	}
}

func TestHopelessRunStopsEarly(t *testing.T) {
	f := &fakeIDP{t: t, pools: map[string]int{}, clients: map[string]bool{}, calls: map[string]int{}, failN: 1 << 30}
	srv := httptest.NewServer(f)
	defer srv.Close()
	sc, _ := findScenario("describe-user-pool")
	// The warm-up is long enough for the first failures to end it even on a
	// loaded machine (with -race); a hopeless run still stops long before it.
	for _, warmup := range []time.Duration{0, 15 * time.Second} {
		cfg := testConfig(srv.URL, sc.name)
		cfg.count, cfg.duration, cfg.warmup = 0, 20*time.Second, warmup
		c := newClient(srv.URL, cfg.concurrency, cfg.reqTimeout, false)
		start := time.Now()
		res, err := run(context.Background(), cfg, sc, c)
		c.close()
		if el := time.Since(start); el > 12*time.Second {
			t.Errorf("warmup %v: a run where everything fails took %v", warmup, el)
		}
		if warmup > 0 {
			if err == nil || !strings.Contains(err.Error(), "InternalErrorException") {
				t.Errorf("warmup %v: err = %v, want the first failure", warmup, err)
			}
			continue
		}
		if err != nil || !res.Aborted || res.Errors < hopeless || res.RPS != 0 {
			t.Errorf("warmup 0: err=%v aborted=%v errors=%d", err, res.Aborted, res.Errors)
		}
	}
}

// The unsigned-operation list must match the model when the shared models are at hand.
func TestUnsignedOpsMatchModel(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "aws-models", "cognito-identity-provider.smithy.json"))
	if err != nil {
		t.Skipf("model not available: %v", err)
	}
	var model struct {
		Shapes map[string]struct {
			Type   string                     `json:"type"`
			Traits map[string]json.RawMessage `json:"traits"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(b, &model); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for id, sh := range model.Shapes {
		if sh.Type != "operation" {
			continue
		}
		if a, ok := sh.Traits["smithy.api#auth"]; ok && strings.TrimSpace(string(a)) == "[]" {
			want[id[strings.IndexByte(id, '#')+1:]] = true
		}
	}
	for op := range want {
		if !unsignedOps[op] {
			t.Errorf("%s is unsigned in the model but not in unsignedOps", op)
		}
	}
	for op := range unsignedOps {
		if !want[op] {
			t.Errorf("%s is in unsignedOps but signed in the model", op)
		}
	}
}
