package limits

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func (e *env) lower(t *testing.T, c Category, v int32) {
	t.Helper()
	if _, err := e.svc.UpdateProvisionedLimit(context.Background(), &cognitoidp.UpdateProvisionedLimitRequest{LimitDefinition: cat(c), RequestedLimitValue: api.Ptr(v)}); err != nil {
		t.Fatal(err)
	}
}

// checks runs Check n times and returns how many passed.
func checks(t *testing.T, s *Service, op, pool string, n int) int {
	t.Helper()
	passed := 0
	for range n {
		err := s.Check(context.Background(), op, pool)
		if err == nil {
			passed++
			continue
		}
		wantCode(t, err, "TooManyRequestsException", "Rate exceeded")
	}
	return passed
}

func TestEnforcementOffByDefault(t *testing.T) {
	e := newEnv(t, false)
	e.lower(t, UserAuthentication, 1)
	if got := checks(t, e.svc, "InitiateAuth", "", 20); got != 20 {
		t.Errorf("%d of 20 passed with enforcement off", got)
	}
	if err := e.svc.Allow(context.Background(), ClientAuthentication, ""); err != nil {
		t.Error(err)
	}
	if _, err := e.store.GetMeta(context.Background(), rateKey("UserAuthentication")); err == nil {
		t.Error("requests were counted with enforcement off")
	}
}

func TestCategoryRatePerSecond(t *testing.T) {
	e := newEnv(t, true)
	e.lower(t, UserAuthentication, 3)
	// InitiateAuth and AdminInitiateAuth share the category.
	if got := checks(t, e.svc, "InitiateAuth", "us-east-1_a", 2) + checks(t, e.svc, "AdminInitiateAuth", "us-east-1_b", 3); got != 3 {
		t.Errorf("%d of 5 passed in one second; want 3", got)
	}
	// Another category is unaffected.
	if got := checks(t, e.svc, "SignUp", "", 5); got != 5 {
		t.Errorf("SignUp: %d of 5 passed", got)
	}
	// Still the same second.
	e.clock.Advance(500 * time.Millisecond)
	if got := checks(t, e.svc, "InitiateAuth", "", 1); got != 0 {
		t.Error("a request later in the same second passed")
	}
	// The next second starts a new count.
	e.clock.Advance(200 * time.Millisecond)
	if got := checks(t, e.svc, "InitiateAuth", "", 4); got != 3 {
		t.Errorf("next second: %d of 4 passed; want 3", got)
	}
	// Exempt operations are never counted.
	if got := checks(t, e.svc, "GetProvisionedLimit", "", 10); got != 10 {
		t.Errorf("GetProvisionedLimit: %d of 10 passed", got)
	}
}

func TestDefaultRatesEnforced(t *testing.T) {
	e := newEnv(t, true)
	if got := checks(t, e.svc, "ListUsers", "", 35); got != 30 {
		t.Errorf("ListUsers: %d of 35 passed; want the default 30", got)
	}
}

func TestChallengeAllowance(t *testing.T) {
	e := newEnv(t, true)
	e.lower(t, UserAuthentication, 2)
	// 3 × 2 challenge answers do not count against the category.
	if got := checks(t, e.svc, "RespondToAuthChallenge", "", 6); got != 6 {
		t.Errorf("%d of 6 challenge answers passed", got)
	}
	// The category is untouched: two sign-ins still pass.
	if got := checks(t, e.svc, "InitiateAuth", "", 2); got != 2 {
		t.Errorf("%d of 2 sign-ins passed", got)
	}
	// Beyond the allowance, answers count against the (now full) category.
	if got := checks(t, e.svc, "AdminRespondToAuthChallenge", "", 1); got != 0 {
		t.Error("a challenge answer beyond the allowance passed with the category full")
	}
	e.clock.Advance(time.Second)
	// New second: 6 in the allowance, then 2 against the category, then refused.
	if got := checks(t, e.svc, "RespondToAuthChallenge", "", 9); got != 8 {
		t.Errorf("%d of 9 challenge answers passed; want 8", got)
	}
}

func TestPerPoolOperationRate(t *testing.T) {
	e := newEnv(t, true)
	e.createPool(t, "us-east-1_aaa")
	e.createPool(t, "us-east-1_bbb")
	if got := checks(t, e.svc, "CreateGroup", "us-east-1_aaa", 7); got != PerPoolOperationLimit {
		t.Errorf("CreateGroup in one pool: %d of 7 passed; want %d", got, PerPoolOperationLimit)
	}
	// Each operation has its own per-pool rate; other pools are apart.
	if got := checks(t, e.svc, "UpdateGroup", "us-east-1_aaa", 3); got != 3 {
		t.Errorf("UpdateGroup: %d of 3 passed", got)
	}
	if got := checks(t, e.svc, "CreateGroup", "us-east-1_bbb", 5); got != 5 {
		t.Errorf("CreateGroup in another pool: %d of 5 passed", got)
	}
	// Now 7+3+5 = 15 requests of UserPoolResourceUpdate: the account rate (15) is reached.
	if got := checks(t, e.svc, "DeleteGroup", "us-east-1_bbb", 1); got != 0 {
		t.Error("a request over the account rate passed")
	}
	// A pool that does not exist is left to the handler.
	e.clock.Advance(time.Second)
	if got := checks(t, e.svc, "CreateGroup", "us-east-1_none", 3); got != 3 {
		t.Errorf("unknown pool: %d of 3 passed", got)
	}
}

// TestSharedAcrossReplicas: two services on one store count together.
func TestSharedAcrossReplicas(t *testing.T) {
	e := newEnv(t, true)
	e.lower(t, UserRead, 4)
	other := New(Config{Store: e.store, Clock: e.clock, Enforce: true})
	if got := checks(t, e.svc, "GetUser", "", 2) + checks(t, other, "AdminGetUser", "", 3); got != 4 {
		t.Errorf("%d of 5 passed across two replicas; want 4", got)
	}
}

func TestAllow(t *testing.T) {
	e := newEnv(t, true)
	e.lower(t, ClientAuthentication, 2)
	ctx := context.Background()
	for i, want := range []bool{true, true, false} {
		err := e.svc.Allow(ctx, ClientAuthentication, "")
		if (err == nil) != want {
			t.Errorf("request %d: %v", i+1, err)
		}
	}
	if err := e.svc.Allow(ctx, "Nope", ""); err == nil {
		t.Error("an unknown category was allowed")
	}
}

func TestStoreFailureLetsRequestsThrough(t *testing.T) {
	e := newEnv(t, true)
	s := New(Config{Store: failingStore{e.store}, Clock: e.clock, Enforce: true})
	if got := checks(t, s, "InitiateAuth", "", 3); got != 3 {
		t.Errorf("%d of 3 passed with a broken store", got)
	}
	if err := s.Allow(context.Background(), UserFederation, ""); err != nil {
		t.Error(err)
	}
}
