package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/cogito-dev/cogito/bench/internal/benchuser"
)

// The user scenarios work on one kind of pool: email is an alias attribute, and every user has a verified
// email, so a user can be found by username and by email. Users 0..fx.users-1 follow the naming scheme of
// bench/internal/benchuser (u0000042, u0000042@bench.example), whoever created them: this run's prefill, an
// earlier run (-pool), or bench/harness writing straight into Cogito's store.
//
// Servers that know no alias attributes but can take the email as the username (cognito-local's default
// configuration, UsernameAttributes ["email"]) are detected from the pool they return: users are then
// created with their email as Username, the server names them itself, and finding them by email is the only
// lookup by name left (admin-get-user refuses to run; admin-get-user-alias measures the lookup by email).

type userPoolOut struct {
	UserPool struct {
		Id                 string
		UsernameAttributes []string
	}
}

// setupUserPool creates the user pool, or checks the one -pool names.
func setupUserPool(ctx context.Context, c *client, fx *fixture) error {
	var out userPoolOut
	if fx.givenPool != "" {
		if err := c.call(ctx, "DescribeUserPool", map[string]any{"UserPoolId": fx.givenPool}, &out); err != nil {
			return fmt.Errorf("-pool %s: %w", fx.givenPool, err)
		}
		out.UserPool.Id = fx.givenPool
	} else {
		in := map[string]any{"PoolName": "bench-" + fx.runID, "AliasAttributes": []string{"email"}}
		if err := c.call(ctx, "CreateUserPool", in, &out); err != nil {
			return err
		}
		if out.UserPool.Id == "" {
			return fmt.Errorf("CreateUserPool: no UserPool.Id in the response")
		}
		fx.deletePool(out.UserPool.Id)
	}
	p, err := newPoolRef(out.UserPool.Id)
	if err != nil {
		return err
	}
	fx.poolID, fx.poolIDQuoted = p.id, p.quoted
	fx.pools.set([]*poolRef{p})
	fx.emailUsername = slices.Contains(out.UserPool.UsernameAttributes, "email")
	return nil
}

// checkUserScenario refuses, before any prefill, a scenario the pool cannot serve.
func checkUserScenario(sc *scenario, fx *fixture) error {
	if sc.name == "admin-get-user" && fx.emailUsername {
		return fmt.Errorf("the pool takes the email as username (UsernameAttributes [\"email\"]), so the " +
			"server names the users and there is no username to look up; start the server with pools that " +
			"do not (cognito-local: CL_CONFIG='{\"UserPoolDefaults\":{\"UsernameAttributes\":[]}}')")
	}
	return nil
}

// appendCreateUser appends an AdminCreateUser body for a user with that username and (verified) email.
func appendCreateUser(b []byte, fx *fixture, name, email []byte) []byte {
	b = append(b, `{"UserPoolId":`...)
	b = append(b, fx.poolIDQuoted...)
	b = append(b, `,"Username":"`...)
	if fx.emailUsername {
		b = append(b, email...)
	} else {
		b = append(b, name...)
	}
	b = append(b, `","MessageAction":"SUPPRESS","UserAttributes":[{"Name":"email","Value":"`...)
	b = append(b, email...)
	b = append(b, `"},{"Name":"email_verified","Value":"true"}]}`...)
	return b
}

// stepPrefill creates benchmark user iter-1 (the prefill is the first phase of a run, so iterations are
// 1..N).
func stepPrefill(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	var nb, eb [64]byte
	i := iter - 1
	name := benchuser.AppendName(nb[:0], i)
	email := benchuser.AppendEmail(eb[:0], i)
	w.scratch = appendCreateUser(w.scratch[:0], fx, name, email)
	_, err := w.call(ctx, "AdminCreateUser", w.scratch)
	return err
}

// stepAdminCreateUser creates a new user, named after the run and the iteration so that no name or email
// clashes with the prefilled users or another run's.
func stepAdminCreateUser(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	var nb, eb [96]byte
	name := append(nb[:0], 'n')
	name = append(name, fx.runID...)
	name = append(name, '-')
	name = strconv.AppendUint(name, iter, 10)
	email := append(append(append(eb[:0], name...), '@'), benchuser.Domain...)
	w.scratch = appendCreateUser(w.scratch[:0], fx, name, email)
	_, err := w.call(ctx, "AdminCreateUser", w.scratch)
	return err
}

// spread maps an iteration to an index in [0, n), scattered over the range (splitmix64's finaliser), so
// that reads do not walk the pool in order.
func spread(iter, n uint64) uint64 {
	x := iter + 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return x % n
}

var usernameKey = []byte(`"Username"`)

// stepListUsersPrefix lists the users whose email starts with a prefix that matches exactly
// benchuser.PerPrefix of them, and checks that so many came back.
func stepListUsersPrefix(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	g := spread(iter, fx.users/benchuser.PerPrefix)
	b := append(w.scratch[:0], `{"UserPoolId":`...)
	b = append(b, fx.poolIDQuoted...)
	b = append(b, `,"Filter":"email ^= \"`...)
	b = benchuser.AppendEmailPrefix(b, g)
	b = append(b, `\""}`...)
	w.scratch = b
	_, err := w.callCheck(ctx, "ListUsers", b, func(resp []byte) error {
		if n := bytes.Count(resp, usernameKey); n != benchuser.PerPrefix {
			return fmt.Errorf("ListUsers email ^= %q returned %d users, want %d", benchuser.EmailPrefix(g), n,
				benchuser.PerPrefix)
		}
		return nil
	})
	return err
}

// stepAdminGetUser reads a prefilled user by username and checks the answer names it.
func stepAdminGetUser(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	var nb [32]byte
	name := benchuser.AppendName(nb[:0], spread(iter, fx.users))
	return getUser(ctx, w, fx, name)
}

// stepAdminGetUserAlias reads a prefilled user by email and checks the answer carries that email.
func stepAdminGetUserAlias(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
	var eb [64]byte
	email := benchuser.AppendEmail(eb[:0], spread(iter, fx.users))
	return getUser(ctx, w, fx, email)
}

func getUser(ctx context.Context, w *worker, fx *fixture, name []byte) error {
	b := append(w.scratch[:0], `{"UserPoolId":`...)
	b = append(b, fx.poolIDQuoted...)
	b = append(b, `,"Username":"`...)
	b = append(b, name...)
	b = append(b, `"}`...)
	w.scratch = b
	_, err := w.callCheck(ctx, "AdminGetUser", b, func(resp []byte) error {
		if !bytes.Contains(resp, name) {
			return fmt.Errorf("AdminGetUser %s: the answer does not mention it: %.200s", name, resp)
		}
		return nil
	})
	return err
}

// prefillResult says how the pool was filled before the measured loop.
type prefillResult struct {
	Users             uint64    `json:"users"`
	Concurrency       int       `json:"concurrency"`
	ElapsedS          float64   `json:"elapsed_s"`
	UsersPerS         float64   `json:"users_per_s"`
	LatencyMs         latencyMs `json:"latency_ms"` // of its AdminCreateUser calls
	ServerCPUUsPerReq *float64  `json:"server_cpu_us_per_req,omitempty"`
}

// describePrefill is a one-line account of a prefill, for logs and the text output.
func describePrefill(p *prefillResult) string {
	s := fmt.Sprintf("prefill: %d users in %.1fs (%.0f users/s, c=%d, AdminCreateUser p50 %.2f ms, p99 %.2f ms",
		p.Users, p.ElapsedS, p.UsersPerS, p.Concurrency, p.LatencyMs.P50, p.LatencyMs.P99)
	if p.ServerCPUUsPerReq != nil {
		s += fmt.Sprintf(", server CPU %.0f µs/user", *p.ServerCPUUsPerReq)
	}
	return s + ")"
}
