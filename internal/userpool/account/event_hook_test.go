package account

import (
	"context"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// TestEventRecordedHook: every stored event reaches the hook as
// AdminListUserAuthEvents shows it; pools without threat protection record
// nothing and call nothing.
func TestEventRecordedHook(t *testing.T) {
	e := newEnv(t)
	var got []cognitoidp.AuthEventType
	e.svc.OnEventRecorded(func(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, ev cognitoidp.AuthEventType) {
		if u.Username != "jane" {
			t.Errorf("hook user %q", u.Username)
		}
		got = append(got, ev)
	})
	protected := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		UserPoolTier:   api.Ptr(cognitoidp.UserPoolTierTypePlus),
		UserPoolAddOns: &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeAudit)},
	})
	plain := e.pool(t, &cognitoidp.CreateUserPoolRequest{})
	for _, pool := range []string{plain, protected} {
		u := e.seed(t, pool, "jane", nil)
		id, err := e.svc.RecordEvent(e.ctx, e.poolType(t, pool), u, Event{Type: cognitoidp.EventTypeSignin, Response: cognitoidp.EventResponseTypePass})
		if err != nil {
			t.Fatal(err)
		}
		if pool == protected && (len(got) != 1 || api.Deref(got[0].EventId) != id || api.Deref(got[0].EventType) != cognitoidp.EventTypeSignin ||
			got[0].EventRisk == nil || api.Deref(got[0].EventRisk.RiskDecision) != cognitoidp.RiskDecisionTypeNorisk) {
			t.Errorf("hook got %+v for event %s", got, id)
		}
	}
	if len(got) != 1 {
		t.Errorf("hook called %d times; want 1", len(got))
	}
}
