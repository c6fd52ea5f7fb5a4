package account

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/storage"
)

// eventsEnv is a pool with threat protection, user jane (email alias) and
// three recorded events a second apart.
func eventsEnv(t *testing.T) (*env, string, *storage.User, []string) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		UserPoolTier:    api.Ptr(cognitoidp.UserPoolTierTypePlus),
		UserPoolAddOns:  &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeEnforced)},
		AliasAttributes: []cognitoidp.AliasAttributeType{"email"},
	})
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "email_verified": "true"})
	up := e.poolType(t, pool)
	ctx := awsjson.WithInfo(e.ctx, &awsjson.RequestInfo{RemoteIP: "192.0.2.1"})
	var ids []string
	for _, ev := range []Event{
		{Type: cognitoidp.EventTypeSignup, Response: cognitoidp.EventResponseTypePass},
		{Type: cognitoidp.EventTypeSignin, Response: cognitoidp.EventResponseTypeFail,
			Challenges: []cognitoidp.ChallengeResponseType{{ChallengeName: api.Ptr(cognitoidp.ChallengeNamePassword), ChallengeResponse: api.Ptr(cognitoidp.ChallengeResponseFailure)}}},
		{Type: cognitoidp.EventTypeSignin, Response: cognitoidp.EventResponseTypePass,
			Risk:    &cognitoidp.EventRiskType{RiskDecision: api.Ptr(cognitoidp.RiskDecisionTypeAccounttakeover), RiskLevel: api.Ptr(cognitoidp.RiskLevelTypeMedium), CompromisedCredentialsDetected: api.Ptr(false)},
			Context: &cognitoidp.EventContextDataType{IpAddress: api.Ptr("198.51.100.7"), City: api.Ptr("Seattle"), Country: api.Ptr("United States")}},
	} {
		id, err := e.svc.RecordEvent(ctx, up, u, ev)
		if err != nil || id == "" {
			t.Fatalf("RecordEvent: %q, %v", id, err)
		}
		ids = append(ids, id)
		e.clk.Advance(time.Second)
	}
	return e, pool, u, ids
}

func (e *env) poolType(t testing.TB, poolID string) *cognitoidp.UserPoolType {
	t.Helper()
	up, err := e.pools.DescribeUserPool(e.ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: &poolID})
	if err != nil {
		t.Fatal(err)
	}
	return up.UserPool
}

func listEvents(e *env, pool, user string, max int32, next *string) (*cognitoidp.AdminListUserAuthEventsResponse, error) {
	in := &cognitoidp.AdminListUserAuthEventsRequest{UserPoolId: &pool, Username: &user, NextToken: next}
	if max != 0 {
		in.MaxResults = &max
	}
	return e.svc.AdminListUserAuthEvents(e.ctx, in)
}

func TestAdminListUserAuthEvents(t *testing.T) {
	e, pool, _, ids := eventsEnv(t)
	out, err := listEvents(e, pool, "jane@example.com", 0, nil) // by alias
	if err != nil {
		t.Fatal(err)
	}
	if len(out.AuthEvents) != 3 || out.NextToken != nil {
		t.Fatalf("%d events, next %v", len(out.AuthEvents), out.NextToken)
	}
	// Newest first.
	for i, ev := range out.AuthEvents {
		if *ev.EventId != ids[2-i] {
			t.Errorf("event %d is %s, want %s", i, *ev.EventId, ids[2-i])
		}
	}
	newest, oldest := out.AuthEvents[0], out.AuthEvents[2]
	if *newest.EventType != "SignIn" || *newest.EventResponse != "Pass" || !newest.CreationDate.Equal(t0.Add(2*time.Second)) ||
		*newest.EventRisk.RiskDecision != "AccountTakeover" || *newest.EventRisk.RiskLevel != "Medium" ||
		*newest.EventContextData.IpAddress != "198.51.100.7" || *newest.EventContextData.City != "Seattle" || newest.EventFeedback != nil {
		t.Errorf("newest %+v", newest)
	}
	// Without a risk verdict: NoRisk; without context: the request's address.
	if *oldest.EventType != "SignUp" || *oldest.EventRisk.RiskDecision != "NoRisk" || oldest.EventRisk.RiskLevel != nil ||
		*oldest.EventRisk.CompromisedCredentialsDetected || *oldest.EventContextData.IpAddress != "192.0.2.1" || oldest.ChallengeResponses != nil {
		t.Errorf("oldest %+v", oldest)
	}
	if c := out.AuthEvents[1].ChallengeResponses; len(c) != 1 || *c[0].ChallengeName != "Password" || *c[0].ChallengeResponse != "Failure" {
		t.Errorf("challenges %+v", c)
	}
}

func TestAdminListUserAuthEventsPages(t *testing.T) {
	e, pool, _, ids := eventsEnv(t)
	first, err := listEvents(e, pool, "jane", 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.AuthEvents) != 2 || first.NextToken == nil {
		t.Fatalf("first page: %d events, next %v", len(first.AuthEvents), first.NextToken)
	}
	second, err := listEvents(e, pool, "jane", 2, first.NextToken)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.AuthEvents) != 1 || *second.AuthEvents[0].EventId != ids[0] || second.NextToken != nil {
		t.Fatalf("second page: %+v", second)
	}
	// A token is only good for the listing that issued it.
	e.seed(t, pool, "john", nil)
	_, err = listEvents(e, pool, "john", 2, first.NextToken)
	wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = listEvents(e, pool, "jane", 2, api.Ptr("garbage"))
	wantErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	// A user without events.
	out, err := listEvents(e, pool, "john", 0, nil)
	if err != nil || len(out.AuthEvents) != 0 {
		t.Errorf("john: %+v, %v", out, err)
	}
}

func TestAuthEventsNeedThreatProtection(t *testing.T) {
	e := newEnv(t)
	for _, mode := range []*cognitoidp.UserPoolAddOnsType{nil, {AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeOff)}} {
		in := &cognitoidp.CreateUserPoolRequest{UserPoolAddOns: mode}
		if mode != nil {
			in.UserPoolTier = api.Ptr(cognitoidp.UserPoolTierTypePlus)
		}
		pool := e.pool(t, in)
		u := e.seed(t, pool, "jane", nil)
		const msg = "Threat protection is not enabled for this user pool."
		// Checked before the user: the same answer for an unknown one.
		for _, name := range []string{"jane", "nobody"} {
			_, err := listEvents(e, pool, name, 0, nil)
			wantErr(t, err, "UserPoolAddOnNotEnabledException", msg)
			_, err = e.svc.AdminUpdateAuthEventFeedback(e.ctx, &cognitoidp.AdminUpdateAuthEventFeedbackRequest{
				UserPoolId: &pool, Username: &name, EventId: api.Ptr("e1"), FeedbackValue: api.Ptr(cognitoidp.FeedbackValueTypeValid)})
			wantErr(t, err, "UserPoolAddOnNotEnabledException", msg)
			_, err = e.svc.UpdateAuthEventFeedback(e.ctx, &cognitoidp.UpdateAuthEventFeedbackRequest{
				UserPoolId: &pool, Username: &name, EventId: api.Ptr("e1"), FeedbackToken: api.Ptr("tok"), FeedbackValue: api.Ptr(cognitoidp.FeedbackValueTypeValid)})
			wantErr(t, err, "UserPoolAddOnNotEnabledException", msg)
		}
		// Nothing is recorded either.
		id, err := e.svc.RecordEvent(e.ctx, e.poolType(t, pool), u, Event{Type: cognitoidp.EventTypeSignin, Response: cognitoidp.EventResponseTypePass})
		if err != nil || id != "" {
			t.Errorf("RecordEvent = %q, %v", id, err)
		}
	}
}

func TestAuthEventsRefusals(t *testing.T) {
	e, pool, _, _ := eventsEnv(t)
	_, err := listEvents(e, pool, "nobody", 0, nil)
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = listEvents(e, "us-east-1_Nope", "jane", 0, nil)
	wantErr(t, err, "ResourceNotFoundException", "")
	_, err = listEvents(e, pool, "jane", 61, nil)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
}

func TestAdminUpdateAuthEventFeedback(t *testing.T) {
	e, pool, _, ids := eventsEnv(t)
	e.clk.Advance(time.Minute)
	if _, err := e.svc.AdminUpdateAuthEventFeedback(e.ctx, &cognitoidp.AdminUpdateAuthEventFeedbackRequest{
		UserPoolId: &pool, Username: api.Ptr("jane"), EventId: &ids[1], FeedbackValue: api.Ptr(cognitoidp.FeedbackValueTypeInvalid),
	}); err != nil {
		t.Fatal(err)
	}
	out, err := listEvents(e, pool, "jane", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	fb := out.AuthEvents[1].EventFeedback
	if fb == nil || *fb.FeedbackValue != "Invalid" || *fb.Provider != "Admin" || !fb.FeedbackDate.Equal(e.clk.Now()) {
		t.Errorf("feedback %+v", fb)
	}
	if out.AuthEvents[0].EventFeedback != nil || out.AuthEvents[2].EventFeedback != nil {
		t.Error("feedback on other events")
	}
	_, err = e.svc.AdminUpdateAuthEventFeedback(e.ctx, &cognitoidp.AdminUpdateAuthEventFeedbackRequest{
		UserPoolId: &pool, Username: api.Ptr("jane"), EventId: api.Ptr("no-such-event"), FeedbackValue: api.Ptr(cognitoidp.FeedbackValueTypeValid)})
	wantErr(t, err, "ResourceNotFoundException", "Auth event not found.")
	_, err = e.svc.AdminUpdateAuthEventFeedback(e.ctx, &cognitoidp.AdminUpdateAuthEventFeedbackRequest{
		UserPoolId: &pool, Username: api.Ptr("nobody"), EventId: &ids[1], FeedbackValue: api.Ptr(cognitoidp.FeedbackValueTypeValid)})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.svc.AdminUpdateAuthEventFeedback(e.ctx, &cognitoidp.AdminUpdateAuthEventFeedbackRequest{
		UserPoolId: &pool, Username: api.Ptr("jane"), EventId: &ids[1], FeedbackValue: api.Ptr(cognitoidp.FeedbackValueType("Maybe"))})
	wantErr(t, err, "InvalidParameterException", "")
}

func TestUpdateAuthEventFeedback(t *testing.T) {
	e, pool, u, ids := eventsEnv(t)
	update := func(user, event, tok string) error {
		_, err := e.svc.UpdateAuthEventFeedback(e.ctx, &cognitoidp.UpdateAuthEventFeedbackRequest{
			UserPoolId: &pool, Username: &user, EventId: &event, FeedbackToken: &tok, FeedbackValue: api.Ptr(cognitoidp.FeedbackValueTypeValid)})
		return err
	}
	tok, err := e.svc.FeedbackToken(pool, u.Sub, ids[2])
	if err != nil {
		t.Fatal(err)
	}
	const bad = "Invalid feedback token."
	wantErr(t, update("jane", ids[1], tok), "NotAuthorizedException", bad) // another event
	wantErr(t, update("jane", ids[2], tok+"x"), "NotAuthorizedException", bad)
	wantErr(t, update("jane", ids[2], "garbage"), "NotAuthorizedException", bad)
	john := e.seed(t, pool, "john", nil)
	johns, _ := e.svc.FeedbackToken(pool, john.Sub, ids[2])
	wantErr(t, update("jane", ids[2], johns), "NotAuthorizedException", bad) // another user
	if err := update("jane@example.com", ids[2], tok); err != nil {
		t.Fatal(err)
	}
	out, err := listEvents(e, pool, "jane", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fb := out.AuthEvents[0].EventFeedback; fb == nil || *fb.FeedbackValue != "Valid" || *fb.Provider != "User" {
		t.Errorf("feedback %+v", fb)
	}
	// Deleted and created again under the same name: the old token is no
	// good for the new user.
	if err := e.store.DeleteUser(e.ctx, pool, u.Key); err != nil {
		t.Fatal(err)
	}
	e.seed(t, pool, "jane", nil)
	wantErr(t, update("jane", ids[2], tok), "NotAuthorizedException", bad)
	// A token of another pool.
	other := e.protectedPool(t)
	e.seed(t, other, "jane", nil)
	_, err = e.svc.UpdateAuthEventFeedback(e.ctx, &cognitoidp.UpdateAuthEventFeedbackRequest{
		UserPoolId: &other, Username: api.Ptr("jane"), EventId: &ids[2], FeedbackToken: &tok, FeedbackValue: api.Ptr(cognitoidp.FeedbackValueTypeValid)})
	wantErr(t, err, "NotAuthorizedException", bad)
}

// Feedback tokens are unpadded base64url, within the model's pattern, and
// made with a sealer so another master key cannot open them.
func TestFeedbackTokenSealed(t *testing.T) {
	e := newEnv(t)
	tok, err := e.svc.FeedbackToken("us-east-1_Pool", "sub", "event")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tok {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			t.Fatalf("token %q has %q", tok, r)
		}
	}
	if !e.svc.feedbackTokenValid(tok, "us-east-1_Pool", "sub", "event") {
		t.Error("own token refused")
	}
	other := newEnv(t)
	if other.svc.feedbackTokenValid(tok, "us-east-1_Pool", "sub", "event") {
		t.Error("token opened under another master key")
	}
}
