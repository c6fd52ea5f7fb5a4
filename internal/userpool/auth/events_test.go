package auth

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/account"
)

// memEvents is an in-memory storage.EventStore, used while the SQL store
// does not keep auth events. Page tokens are offsets.
type memEvents struct {
	mu sync.Mutex
	m  map[string][]*storage.AuthEvent
}

func (m *memEvents) AddAuthEvent(_ context.Context, e *storage.AuthEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string][]*storage.AuthEvent{}
	}
	c := *e
	k := e.PoolID + "\x00" + e.UserKey
	m.m[k] = append(m.m[k], &c)
	return nil
}

func (m *memEvents) ListAuthEvents(_ context.Context, poolID, userKey string, page storage.Page) ([]*storage.AuthEvent, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := append([]*storage.AuthEvent(nil), m.m[poolID+"\x00"+userKey]...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].CreatedAt.After(all[j].CreatedAt) })
	off := 0
	if page.Token != "" {
		n, err := strconv.Atoi(page.Token)
		if err != nil || n < 0 || n > len(all) {
			return nil, "", storage.ErrInvalidPageToken
		}
		off = n
	}
	end := len(all)
	if page.Limit > 0 {
		end = min(off+page.Limit, len(all))
	}
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return all[off:end], next, nil
}

func (m *memEvents) UpdateAuthEvent(_ context.Context, poolID, userKey, eventID string, fn func(*storage.AuthEvent) error) (*storage.AuthEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.m[poolID+"\x00"+userKey] {
		if e.EventID == eventID {
			c := *e
			if err := fn(&c); err != nil {
				return nil, err
			}
			*e = c
			return &c, nil
		}
	}
	return nil, storage.ErrNotFound
}

// accountStore is the account family's store on the test's SQL store.
type accountStore struct {
	storage.PoolStore
	storage.UserStore
	storage.CodeStore
	storage.CounterStore
	storage.EventStore
}

// TestEventsThroughTheAccountFamily wires the account family's recorder, as
// the server does, and reads the sign-ins back with AdminListUserAuthEvents.
func TestEventsThroughTheAccountFamily(t *testing.T) {
	var acct *account.Service
	e := newEnv(t, func(c *Config) { c.Events = nil })
	var events storage.EventStore = &memEvents{}
	if es, ok := any(e.sql).(storage.EventStore); ok {
		events = es
	}
	acct = account.New(account.Config{
		Store:   &accountStore{PoolStore: e.sql, UserStore: e.sql, CodeStore: e.sql, CounterStore: e.store, EventStore: events},
		Clients: e.clients, Tokens: e.tokens, Sealer: e.sealer, Clock: e.clk,
	})
	e.svc.events = acct

	poolID := e.pool(func(in *cognitoidp.CreateUserPoolRequest) {
		in.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypePlus)
		in.UserPoolAddOns = &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeAudit)}
	})
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	ctx := awsjson.WithInfo(e.ctx, &awsjson.RequestInfo{RemoteIP: "198.51.100.4", UserAgent: "aws-amplify/6.15"})
	if _, err := e.svc.InitiateAuth(ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", "Wr0ngPass!"),
	}); err == nil {
		t.Fatal("wrong password accepted")
	}
	e.clk.Advance(1)
	out, err := e.svc.InitiateAuth(ctx, &cognitoidp.InitiateAuthRequest{
		ClientId: api.Ptr(clientID), AuthFlow: api.Ptr(cognitoidp.AuthFlowTypeUserPasswordAuth),
		AuthParameters: params("USERNAME", "alice", "PASSWORD", goodPassword),
	})
	if err != nil {
		t.Fatal(err)
	}
	list, err := acct.AdminListUserAuthEvents(e.ctx, &cognitoidp.AdminListUserAuthEventsRequest{UserPoolId: api.Ptr(poolID), Username: api.Ptr("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.AuthEvents) != 2 {
		t.Fatalf("%d events", len(list.AuthEvents))
	}
	pass, fail := list.AuthEvents[0], list.AuthEvents[1]
	if api.Deref(pass.EventResponse) != cognitoidp.EventResponseTypePass || api.Deref(fail.EventResponse) != cognitoidp.EventResponseTypeFail ||
		api.Deref(pass.EventType) != cognitoidp.EventTypeSignin {
		t.Errorf("events = %+v / %+v", pass, fail)
	}
	if c := pass.EventContextData; c == nil || api.Deref(c.IpAddress) != "198.51.100.4" || api.Deref(c.DeviceName) != "aws-amplify/6.15" {
		t.Errorf("context = %+v", pass.EventContextData)
	}
	if claims(t, api.Deref(out.AuthenticationResult.AccessToken))["event_id"] != api.Deref(pass.EventId) {
		t.Error("the access token's event_id is not the recorded event's")
	}
}
