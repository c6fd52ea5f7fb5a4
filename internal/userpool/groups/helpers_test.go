package groups

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// t0 is the fake clock's start: 2025-03-01T12:00:00Z = 1740830400.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	roleA = "arn:aws:iam::123456789012:role/GroupRoleA"
	roleB = "arn:aws:iam::123456789012:role/GroupRoleB"
	roleC = "arn:aws:iam::123456789012:role/GroupRoleC"
)

type env struct {
	svc   *Service
	store *sqlstore.Store
	clock *clock.Fake
	pools *pools.Service
	// pool is a pool with email and preferred_username aliases and
	// case-insensitive usernames; emailPool signs users up with their email
	// as username; other is a plain pool for isolation checks.
	pool, emailPool, other string
}

func newEnv(t *testing.T, opts ...func(*Config)) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	ps := pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	cfg := Config{Store: st, Clock: clk}
	for _, o := range opts {
		o(&cfg)
	}
	e := &env{svc: New(cfg), store: st, clock: clk, pools: ps}
	e.pool = e.createPool(t, &cognitoidp.CreateUserPoolRequest{
		PoolName:              api.Ptr("aliases"),
		AliasAttributes:       []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail, cognitoidp.AliasAttributeTypePreferredUsername},
		UsernameConfiguration: &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)},
	})
	e.emailPool = e.createPool(t, &cognitoidp.CreateUserPoolRequest{
		PoolName:           api.Ptr("email-usernames"),
		UsernameAttributes: []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail},
	})
	e.other = e.createPool(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("other")})
	return e
}

func (e *env) createPool(t *testing.T, in *cognitoidp.CreateUserPoolRequest) string {
	t.Helper()
	out, err := e.pools.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

// schema returns the attribute rules of a pool.
func (e *env) schema(t *testing.T, poolID string) *attrs.Schema {
	t.Helper()
	up, err := pools.Load(context.Background(), e.store, poolID)
	if err != nil {
		t.Fatal(err)
	}
	return attrs.FromPool(up)
}

// createUser stores a confirmed user the way the users family does: the key
// as the pool compares usernames and the aliases the attributes claim. For
// pools with email usernames, username is the email and the internal
// username is the sub.
func (e *env) createUser(t *testing.T, poolID, username string, kv ...string) *storage.User {
	t.Helper()
	sc := e.schema(t, poolID)
	values := attrs.Values{}
	for i := 0; i < len(kv); i += 2 {
		values[kv[i]] = kv[i+1]
	}
	sub := uuid.NewString()
	internal, err := sc.NewUsername(username, sub, values)
	if err != nil {
		t.Fatalf("NewUsername(%q): %v", username, err)
	}
	now := e.clock.Now()
	u := &storage.User{
		PoolID: poolID, Key: sc.Key(internal), Username: internal, Sub: sub,
		Status: "CONFIRMED", Enabled: true, Attributes: values, Aliases: sc.Aliases(values),
		CreatedAt: now, UpdatedAt: now,
	}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", username, err)
	}
	return u
}

// group creates a group; prec < 0 means no precedence, role "" no role.
func (e *env) group(t *testing.T, poolID, name string, prec int32, role string) *cognitoidp.GroupType {
	t.Helper()
	in := &cognitoidp.CreateGroupRequest{UserPoolId: api.Ptr(poolID), GroupName: api.Ptr(name)}
	if prec >= 0 {
		in.Precedence = api.Ptr(prec)
	}
	if role != "" {
		in.RoleArn = api.Ptr(role)
	}
	out, err := e.svc.CreateGroup(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateGroup(%q): %v", name, err)
	}
	return out.Group
}

func (e *env) add(t *testing.T, poolID, username, group string) {
	t.Helper()
	_, err := e.svc.AdminAddUserToGroup(context.Background(), &cognitoidp.AdminAddUserToGroupRequest{
		UserPoolId: api.Ptr(poolID), Username: api.Ptr(username), GroupName: api.Ptr(group)})
	if err != nil {
		t.Fatalf("AdminAddUserToGroup(%q, %q): %v", username, group, err)
	}
}

func (e *env) get(t *testing.T, poolID, name string) *cognitoidp.GroupType {
	t.Helper()
	out, err := e.svc.GetGroup(context.Background(), &cognitoidp.GetGroupRequest{UserPoolId: api.Ptr(poolID), GroupName: api.Ptr(name)})
	if err != nil {
		t.Fatalf("GetGroup(%q): %v", name, err)
	}
	return out.Group
}

// groupsOf lists all groups of a user through AdminListGroupsForUser.
func (e *env) groupsOf(t *testing.T, poolID, username string) []string {
	t.Helper()
	var names []string
	var tok *string
	for {
		out, err := e.svc.AdminListGroupsForUser(context.Background(), &cognitoidp.AdminListGroupsForUserRequest{
			UserPoolId: api.Ptr(poolID), Username: api.Ptr(username), NextToken: tok})
		if err != nil {
			t.Fatalf("AdminListGroupsForUser(%q): %v", username, err)
		}
		for _, g := range out.Groups {
			names = append(names, *g.GroupName)
		}
		if out.NextToken == nil {
			return names
		}
		tok = out.NextToken
	}
}

// membersOf lists all usernames of a group through ListUsersInGroup.
func (e *env) membersOf(t *testing.T, poolID, group string) []string {
	t.Helper()
	var names []string
	var tok *string
	for {
		out, err := e.svc.ListUsersInGroup(context.Background(), &cognitoidp.ListUsersInGroupRequest{
			UserPoolId: api.Ptr(poolID), GroupName: api.Ptr(group), NextToken: tok})
		if err != nil {
			t.Fatalf("ListUsersInGroup(%q): %v", group, err)
		}
		for _, u := range out.Users {
			names = append(names, *u.Username)
		}
		if out.NextToken == nil {
			return names
		}
		tok = out.NextToken
	}
}

// wantErr checks err is the AWS error code with exactly msg ("" skips the message).
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

func poolMissing(id string) string { return fmt.Sprintf("User pool %s does not exist.", id) }

// missingPool is a well-formed pool id no pool has.
const missingPool = "us-east-1_Missing00"

// cmpSortAttributes compares attribute lists whatever their order.
func cmpSortAttributes(less func(a, b cognitoidp.AttributeType) bool) cmp.Option {
	return cmpopts.SortSlices(less)
}

// The server hands the service its storage.Store.
var _ Store = storage.Store(nil)
