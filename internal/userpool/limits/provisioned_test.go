package limits

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func def(attrs map[string]string) *cognitoidp.LimitDefinitionType {
	return &cognitoidp.LimitDefinitionType{LimitClass: api.Ptr(cognitoidp.LimitClassApiCategory), Attributes: attrs}
}

func cat(c Category) *cognitoidp.LimitDefinitionType {
	return def(map[string]string{"Category": string(c)})
}

func TestGetProvisionedLimitDefaults(t *testing.T) {
	e := newEnv(t, false)
	for c, info := range categories {
		out, err := e.svc.GetProvisionedLimit(context.Background(), &cognitoidp.GetProvisionedLimitRequest{LimitDefinition: cat(c)})
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		l := out.Limit
		if *l.ProvisionedLimitValue != info.Free || *l.FreeLimitValue != info.Free {
			t.Errorf("%s: provisioned %d free %d; want %d both", c, *l.ProvisionedLimitValue, *l.FreeLimitValue, info.Free)
		}
		if *l.LimitDefinition.LimitClass != cognitoidp.LimitClassApiCategory || l.LimitDefinition.Attributes["Category"] != string(c) {
			t.Errorf("%s: definition %+v", c, l.LimitDefinition)
		}
	}
}

func TestProvisionedLimitErrors(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   *cognitoidp.LimitDefinitionType
		msg  string
	}{
		{"no definition", nil, "1 validation error detected: Value null at 'limitDefinition' failed to satisfy constraint: Member must not be null"},
		{"no attributes", def(nil), "1 validation error detected: Value null at 'limitDefinition.attributes' failed to satisfy constraint: Member must not be null"},
		{"no category", def(map[string]string{}), msgNoCategory},
		{"unknown category", cat("UserMagic"), "Unknown API category: UserMagic."},
		{"extra attribute", def(map[string]string{"Category": "UserRead", "Region": "us-east-1"}), "Unsupported limit attribute: Region."},
		{"bad class", &cognitoidp.LimitDefinitionType{LimitClass: api.Ptr(cognitoidp.LimitClass("ACCOUNT")), Attributes: map[string]string{"Category": "UserRead"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.GetProvisionedLimit(ctx, &cognitoidp.GetProvisionedLimitRequest{LimitDefinition: tc.in})
			wantCode(t, err, "InvalidParameterException", tc.msg)
			_, err = e.svc.UpdateProvisionedLimit(ctx, &cognitoidp.UpdateProvisionedLimitRequest{LimitDefinition: tc.in, RequestedLimitValue: api.Ptr[int32](10)})
			wantCode(t, err, "InvalidParameterException", tc.msg)
		})
	}
	for _, v := range []int32{0, -1, MaxProvisionedLimit + 1} {
		_, err := e.svc.UpdateProvisionedLimit(ctx, &cognitoidp.UpdateProvisionedLimitRequest{LimitDefinition: cat(UserRead), RequestedLimitValue: api.Ptr(v)})
		wantCode(t, err, "InvalidParameterException", "RequestedLimitValue must be between 1 and 1000000.")
	}
	_, err := e.svc.UpdateProvisionedLimit(ctx, &cognitoidp.UpdateProvisionedLimitRequest{LimitDefinition: cat(UserRead)})
	wantCode(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'requestedLimitValue' failed to satisfy constraint: Member must not be null")
	if l, _ := e.svc.Limit(ctx, UserRead); l != 120 {
		t.Errorf("UserRead after refused updates = %d; want 120", l)
	}
}

func TestUpdateProvisionedLimit(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	out, err := e.svc.UpdateProvisionedLimit(ctx, &cognitoidp.UpdateProvisionedLimitRequest{LimitDefinition: cat(UserAuthentication), RequestedLimitValue: api.Ptr[int32](300)})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Limit.ProvisionedLimitValue != 300 || *out.Limit.FreeLimitValue != 120 {
		t.Errorf("update answered %d/%d; want 300/120", *out.Limit.ProvisionedLimitValue, *out.Limit.FreeLimitValue)
	}
	// Lowered below the free rate, and a non-adjustable category too.
	for c, v := range map[Category]int32{UserList: 2, UserCreation: 1} {
		if _, err := e.svc.UpdateProvisionedLimit(ctx, &cognitoidp.UpdateProvisionedLimitRequest{LimitDefinition: cat(c), RequestedLimitValue: api.Ptr(v)}); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
	for c, want := range map[Category]int32{UserAuthentication: 300, UserList: 2, UserCreation: 1, UserRead: 120} {
		got, err := e.svc.GetProvisionedLimit(ctx, &cognitoidp.GetProvisionedLimitRequest{LimitDefinition: cat(c)})
		if err != nil {
			t.Fatal(err)
		}
		if *got.Limit.ProvisionedLimitValue != want {
			t.Errorf("%s = %d; want %d", c, *got.Limit.ProvisionedLimitValue, want)
		}
	}
	// Back to the free rate: the provisioned value is forgotten.
	if _, err := e.svc.UpdateProvisionedLimit(ctx, &cognitoidp.UpdateProvisionedLimitRequest{LimitDefinition: cat(UserAuthentication), RequestedLimitValue: api.Ptr[int32](120)}); err != nil {
		t.Fatal(err)
	}
	b, err := e.store.GetMeta(ctx, provisionedKey)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]int32
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["UserAuthentication"]; ok || doc["UserList"] != 2 || doc["UserCreation"] != 1 {
		t.Errorf("stored document %s", b)
	}
	// Another service on the same store (another replica) sees the limits.
	other := New(Config{Store: e.store})
	if l, _ := other.Limit(ctx, UserList); l != 2 {
		t.Errorf("other replica sees UserList %d; want 2", l)
	}
}

// TestThroughOperationTable drives the operations as the protocol layer does.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t, false)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	ctx := context.Background()
	out, err := ops["UpdateProvisionedLimit"].Call(ctx, []byte(`{"LimitDefinition":{"LimitClass":"API_CATEGORY","Attributes":{"Category":"UserCreation"}},"RequestedLimitValue":7}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	if want := `{"Limit":{"LimitDefinition":{"LimitClass":"API_CATEGORY","Attributes":{"Category":"UserCreation"}},"ProvisionedLimitValue":7,"FreeLimitValue":50}}`; string(b) != want {
		t.Errorf("UpdateProvisionedLimit:\n got %s\nwant %s", b, want)
	}
	out, err = ops["GetProvisionedLimit"].Call(ctx, []byte(`{"LimitDefinition":{"LimitClass":"API_CATEGORY","Attributes":{"Category":"UserCreation"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(out)
	if want := `{"Limit":{"LimitDefinition":{"LimitClass":"API_CATEGORY","Attributes":{"Category":"UserCreation"}},"ProvisionedLimitValue":7,"FreeLimitValue":50}}`; string(b) != want {
		t.Errorf("GetProvisionedLimit:\n got %s\nwant %s", b, want)
	}
}
