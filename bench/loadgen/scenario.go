package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A scenario prepares what its loop needs once (setup), then the runner calls step over and over from every
// worker. A step may make several calls; each is timed under its own operation name through w.call.
//
// To add a scenario (sign-up, InitiateAuth, ListUsers, ...): write a setup that creates the pool, clients or
// users it needs (recording anything to delete in fx.cleanup), put what the loop reads into fixture fields,
// write a step that builds its body into w.scratch (no allocation-heavy work in the loop), and add an entry
// to scenarios.
type scenario struct {
	name  string
	about string
	setup func(ctx context.Context, c *client, fx *fixture) error
	step  func(ctx context.Context, w *worker, fx *fixture, iter uint64) error
}

// fixture is the state a scenario's setup leaves for its loop. It is written only during setup and read
// concurrently afterwards.
type fixture struct {
	runID        string // unique per run, for names created in the loop
	poolID       string
	poolIDQuoted []byte // poolID as a JSON string, ready to append
	describeBody []byte
	cleanup      []func(ctx context.Context, c *client) error
}

var scenarios = []scenario{
	{
		name:  "describe-user-pool",
		about: "setup: CreateUserPool; loop: DescribeUserPool on that pool (a read of one pool)",
		setup: setupPool,
		step: func(ctx context.Context, w *worker, fx *fixture, _ uint64) error {
			_, err := w.call(ctx, "DescribeUserPool", fx.describeBody)
			return err
		},
	},
	{
		name:  "create-user-pool-client",
		about: "setup: CreateUserPool; loop: CreateUserPoolClient with a unique ClientName (a write that grows one pool)",
		setup: setupPool,
		step: func(ctx context.Context, w *worker, fx *fixture, iter uint64) error {
			b := append(w.scratch[:0], `{"UserPoolId":`...)
			b = append(b, fx.poolIDQuoted...)
			b = append(b, `,"ClientName":"bench-`...)
			b = append(b, fx.runID...)
			b = append(b, '-')
			b = strconv.AppendUint(b, iter, 10)
			b = append(b, `"}`...)
			w.scratch = b
			_, err := w.call(ctx, "CreateUserPoolClient", b)
			return err
		},
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

// setupPool creates one user pool named after the run and arranges for it to be deleted afterwards.
func setupPool(ctx context.Context, c *client, fx *fixture) error {
	var out struct {
		UserPool struct {
			Id string
		}
	}
	if err := c.call(ctx, "CreateUserPool", map[string]any{"PoolName": "bench-" + fx.runID}, &out); err != nil {
		return err
	}
	if out.UserPool.Id == "" {
		return fmt.Errorf("CreateUserPool: no UserPool.Id in the response")
	}
	fx.poolID = out.UserPool.Id
	q, err := json.Marshal(fx.poolID)
	if err != nil {
		return err
	}
	fx.poolIDQuoted = q
	fx.describeBody = []byte(`{"UserPoolId":` + string(q) + `}`)
	fx.cleanup = append(fx.cleanup, func(ctx context.Context, c *client) error {
		return c.call(ctx, "DeleteUserPool", map[string]any{"UserPoolId": fx.poolID}, nil)
	})
	return nil
}
