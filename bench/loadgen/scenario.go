package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cogito-dev/cogito/bench/internal/benchuser"
)

// A scenario prepares what its loop needs once (setup), then the runner calls step over and over from every
// worker. A step may make several calls; each is timed under its own operation name through w.call.
//
// To add a scenario (sign-up, InitiateAuth, ListUsers, ...): write a setup that creates the pool, clients or
// users it needs (recording anything to delete in fx.cleanup), put what the loop reads into fixture fields,
// write a step that builds its body into w.scratch (no allocation-heavy work in the loop), list the
// operations it measures in ops, and add an entry to scenarios.
type scenario struct {
	name  string
	about string
	set   string   // the group compare.sh selects it by: "default" (run unless told otherwise) or "users"
	ops   []string // what the scenario measures; any other call it makes is reported as auxiliary
	setup func(ctx context.Context, c *client, fx *fixture) error
	step  stepFunc
	// users: the loop works on a pool of benchmark users (bench/internal/benchuser), which -prefill
	// creates before the measurement (or -pool names, already filled); minUsers is the fewest it needs.
	users    bool
	minUsers uint64
}

type stepFunc func(ctx context.Context, w *worker, fx *fixture, iter uint64) error

// fixture is the state a scenario's setup leaves for its loop. Its plain fields are written only during
// setup and read concurrently afterwards; pools and cleanup are safe for concurrent use.
type fixture struct {
	runID        string // unique per run, for names created in the loop
	poolID       string
	poolIDQuoted []byte // poolID as a JSON string, ready to append
	describeBody []byte
	pools        poolSeq // for loops that spread writes over several pools

	// user scenarios
	givenPool     string // -pool: measure this pool, filled beforehand; it is never deleted
	users         uint64 // benchmark users 0..users-1 the pool holds when the loop starts
	emailUsername bool   // the pool takes the email as username (see setupUserPool)

	signin *signinFixture // sign-in scenarios (signin.go)

	mu      sync.Mutex
	cleanup []func(ctx context.Context, c *client) error
}

func (fx *fixture) onCleanup(f func(ctx context.Context, c *client) error) {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	fx.cleanup = append(fx.cleanup, f)
}

// clientsPerPool bounds the app clients one pool receives: Cognito allows 1000 per pool by default, and
// Cogito enforces that quota.
const clientsPerPool = 500

var scenarios = []scenario{
	{
		name:  "describe-user-pool",
		set:   "default",
		about: "setup: CreateUserPool; loop: DescribeUserPool on that pool (a read of one pool)",
		ops:   []string{"DescribeUserPool"},
		setup: setupPool,
		step: func(ctx context.Context, w *worker, fx *fixture, _ uint64) error {
			_, err := w.call(ctx, "DescribeUserPool", fx.describeBody)
			return err
		},
	},
	{
		name: "create-user-pool-client",
		set:  "default",
		about: fmt.Sprintf("setup: CreateUserPool; loop: CreateUserPoolClient with a unique ClientName "+
			"(a write; a new pool after every %d clients, under Cognito's quota)", clientsPerPool),
		ops:   []string{"CreateUserPoolClient"},
		setup: setupPool,
		step: func(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
			pool, err := fx.pools.get(ctx, w, fx, int((iter-1)/clientsPerPool))
			if err != nil {
				return err
			}
			b := append(w.scratch[:0], `{"UserPoolId":`...)
			b = append(b, pool.quoted...)
			b = append(b, `,"ClientName":"bench-`...)
			b = append(b, fx.runID...)
			b = append(b, '-')
			b = strconv.AppendUint(b, iter, 10)
			b = append(b, `"}`...)
			w.scratch = b
			_, err = w.call(ctx, "CreateUserPoolClient", b)
			return err
		},
	},
	{
		name: "admin-create-user",
		set:  "users",
		about: "setup: a pool with email as alias attribute, -prefill users; loop: AdminCreateUser with a " +
			"unique Username, a verified email and MessageAction SUPPRESS (a write)",
		ops:   []string{"AdminCreateUser"},
		users: true,
		setup: setupUserPool,
		step:  stepAdminCreateUser,
	},
	{
		name: "list-users-prefix",
		set:  "users",
		about: fmt.Sprintf("setup: -prefill users; loop: ListUsers with Filter email ^= \"<prefix>\", each "+
			"prefix matching %d users (checked)", benchuser.PerPrefix),
		ops:      []string{"ListUsers"},
		users:    true,
		minUsers: benchuser.PerPrefix,
		setup:    setupUserPool,
		step:     stepListUsersPrefix,
	},
	{
		name:     "admin-get-user",
		set:      "users",
		about:    "setup: -prefill users; loop: AdminGetUser by username, users spread over the pool",
		ops:      []string{"AdminGetUser"},
		users:    true,
		minUsers: 1,
		setup:    setupUserPool,
		step:     stepAdminGetUser,
	},
	{
		name: "admin-get-user-alias",
		set:  "users",
		about: "setup: -prefill users (verified emails, email an alias attribute); loop: AdminGetUser by " +
			"email, resolved through the alias",
		ops:      []string{"AdminGetUser"},
		users:    true,
		minUsers: 1,
		setup:    setupUserPool,
		step:     stepAdminGetUserAlias,
	},
}

func findScenario(name string) (*scenario, error) {
	for i := range scenarios {
		if scenarios[i].name == name {
			return &scenarios[i], nil
		}
	}
	return nil, fmt.Errorf("unknown scenario %q (known: %s)", name, strings.Join(scenarioNames(), ", "))
}

func scenarioNames() []string {
	var names []string
	for _, s := range scenarios {
		names = append(names, s.name)
	}
	slices.Sort(names)
	return names
}

type poolRef struct {
	id     string
	quoted []byte // id as a JSON string
}

func newPoolRef(id string) (*poolRef, error) {
	q, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	return &poolRef{id: id, quoted: q}, nil
}

type createPoolOut struct {
	UserPool struct {
		Id string
	}
}

// deletePool arranges for pool id to be deleted after the run.
func (fx *fixture) deletePool(id string) {
	fx.onCleanup(func(ctx context.Context, c *client) error {
		return c.call(ctx, "DeleteUserPool", map[string]any{"UserPoolId": id}, nil)
	})
}

// setupPool creates one user pool named after the run; it is pool 0 of fx.pools, and deleted afterwards.
func setupPool(ctx context.Context, c *client, fx *fixture) error {
	var out createPoolOut
	if err := c.call(ctx, "CreateUserPool", map[string]any{"PoolName": "bench-" + fx.runID}, &out); err != nil {
		return err
	}
	if out.UserPool.Id == "" {
		return fmt.Errorf("CreateUserPool: no UserPool.Id in the response")
	}
	fx.deletePool(out.UserPool.Id)
	p, err := newPoolRef(out.UserPool.Id)
	if err != nil {
		return err
	}
	fx.poolID, fx.poolIDQuoted = p.id, p.quoted
	fx.describeBody = []byte(`{"UserPoolId":` + string(p.quoted) + `}`)
	fx.pools.set([]*poolRef{p})
	return nil
}

// poolSeq is an append-only list of pools; pool k is created (timed, as CreateUserPool) by the first worker
// that needs it. Lookups of existing pools take no lock.
type poolSeq struct {
	snap atomic.Pointer[[]*poolRef]
	mu   sync.Mutex // serialises creation
}

func (s *poolSeq) set(pools []*poolRef) { s.snap.Store(&pools) }

func (s *poolSeq) get(ctx context.Context, w *worker, fx *fixture, k int) (*poolRef, error) {
	if ps := s.snap.Load(); ps != nil && k < len(*ps) {
		return (*ps)[k], nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var pools []*poolRef
	if ps := s.snap.Load(); ps != nil {
		pools = *ps
	}
	for len(pools) <= k {
		body, _ := json.Marshal(map[string]string{"PoolName": fmt.Sprintf("bench-%s-%d", fx.runID, len(pools))})
		resp, err := w.call(ctx, "CreateUserPool", body)
		if err != nil {
			return nil, err
		}
		var out createPoolOut
		if err := json.Unmarshal(resp, &out); err != nil || out.UserPool.Id == "" {
			return nil, fmt.Errorf("CreateUserPool: no UserPool.Id in the response")
		}
		fx.deletePool(out.UserPool.Id)
		p, err := newPoolRef(out.UserPool.Id)
		if err != nil {
			return nil, err
		}
		pools = append(slices.Clip(pools), p)
		s.set(pools)
	}
	return pools[k], nil
}
