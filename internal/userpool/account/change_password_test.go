package account

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

func changePassword(e *env, tok, prev, next string) error {
	in := &cognitoidp.ChangePasswordRequest{AccessToken: &tok, ProposedPassword: &next}
	if prev != "" {
		in.PreviousPassword = &prev
	}
	_, err := e.svc.ChangePassword(e.ctx, in)
	return err
}

// matches reports whether pw is the stored user's password.
func matches(t *testing.T, e *env, u *storage.User, pw string) bool {
	t.Helper()
	cur := e.user(t, u.PoolID, u.Key)
	c, err := password.Decode(cur.Password)
	if err != nil {
		t.Fatal(err)
	}
	return c.Matches(u.PoolID, u.Username, pw)
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.clk.Advance(time.Minute)
	if err := changePassword(e, s.access, goodPassword, "N3w-passw0rd"); err != nil {
		t.Fatal(err)
	}
	if !matches(t, e, s.user, "N3w-passw0rd") || matches(t, e, s.user, goodPassword) {
		t.Error("password not changed")
	}
	u := e.user(t, s.pool, s.user.Key)
	if u.Status != "CONFIRMED" || !u.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("status %s, updated %v", u.Status, u.UpdatedAt)
	}
	// The session stays signed in.
	if _, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &s.access}); err != nil {
		t.Errorf("signed out by a password change: %v", err)
	}
	if len(e.tokens.revokedUsers()) != 0 {
		t.Error("a password change revoked tokens")
	}
}

func TestChangePasswordRefusals(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	for _, c := range []struct {
		name, prev, next, code, msg string
	}{
		{"wrong previous", "Wr0ng-password", "N3w-passw0rd", "NotAuthorizedException", "Incorrect username or password."},
		{"no previous", "", "N3w-passw0rd", "NotAuthorizedException", "Incorrect username or password."},
		{"too short", goodPassword, "Sh0rt!", "InvalidPasswordException", "Password does not conform to policy: Password not long enough"},
		{"no symbol", goodPassword, "N3wpassw0rd", "InvalidPasswordException", "Password does not conform to policy: Password must have symbol characters"},
		{"leading space", goodPassword, " N3w-passw0rd", "InvalidParameterException",
			"1 validation error detected: Value at 'proposedPassword' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.clk.Advance(time.Hour) // a fresh hourly allowance
			wantErr(t, changePassword(e, s.access, c.prev, c.next), c.code, c.msg)
			if !matches(t, e, s.user, goodPassword) {
				t.Error("password changed")
			}
		})
	}
	_, err := e.svc.ChangePassword(e.ctx, &cognitoidp.ChangePasswordRequest{AccessToken: &s.access})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'proposedPassword' failed to satisfy constraint: Member must not be null")
	wantErr(t, changePassword(e, "bad", goodPassword, "N3w-passw0rd"), "NotAuthorizedException", "Invalid Access Token")

	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Status = "RESET_REQUIRED" })
	wantErr(t, changePassword(e, s.access, goodPassword, "N3w-passw0rd"), "PasswordResetRequiredException", "Password reset required for the user")
}

// A user without a password (passwordless sign-in) sets one without
// PreviousPassword.
func TestChangePasswordFirstPassword(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Password = nil })
	if err := changePassword(e, s.access, "", "N3w-passw0rd"); err != nil {
		t.Fatal(err)
	}
	if !matches(t, e, s.user, "N3w-passw0rd") {
		t.Error("password not set")
	}
}

func TestChangePasswordHistory(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{
		UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypeEssentials),
		Policies: &cognitoidp.UserPoolPolicyType{PasswordPolicy: &cognitoidp.PasswordPolicyType{
			MinimumLength: api.Ptr(int32(8)), RequireLowercase: true, PasswordHistorySize: api.Ptr(int32(2)),
		}},
	})
	cl := e.client(t, pool, nil)
	u := e.seed(t, pool, "jane", nil)
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	wantErr(t, changePassword(e, tok, goodPassword, goodPassword), "PasswordHistoryPolicyViolationException",
		"The password has been used recently. Choose a different password.")
	if err := changePassword(e, tok, goodPassword, "second-one"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, changePassword(e, tok, "second-one", goodPassword), "PasswordHistoryPolicyViolationException", "")
	if err := changePassword(e, tok, "second-one", "third-one"); err != nil {
		t.Fatal(err)
	}
	// Two back is outside a history of 2 (the current and the one before).
	if err := changePassword(e, tok, "third-one", goodPassword); err != nil {
		t.Fatal(err)
	}
}

// ChangePassword allows 5 calls per user and hour, failed ones included.
func TestChangePasswordLimit(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	e.clk.Set(t0.Truncate(time.Hour))
	for range LimitChangePassword {
		wantErr(t, changePassword(e, s.access, "Wr0ng-password", "N3w-passw0rd"), "NotAuthorizedException", "")
	}
	wantErr(t, changePassword(e, s.access, goodPassword, "N3w-passw0rd"), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	e.clk.Advance(59 * time.Minute)
	wantErr(t, changePassword(e, s.access, goodPassword, "N3w-passw0rd"), "LimitExceededException", "")
	e.clk.Advance(time.Minute)
	if err := changePassword(e, s.access, goodPassword, "N3w-passw0rd"); err != nil {
		t.Fatal(err)
	}
	// Another user's allowance is their own.
	u := e.seed(t, s.pool, "john", nil)
	tok, _ := e.tokens.issue(s.pool, s.client, u)
	if err := changePassword(e, tok, goodPassword, "N3w-passw0rd"); err != nil {
		t.Fatal(err)
	}
}

// In a pool with threat protection every ChangePassword leaves a
// PasswordChange event.
func TestChangePasswordEvents(t *testing.T) {
	e := newEnv(t)
	pool := e.protectedPool(t)
	cl := e.client(t, pool, nil)
	u := e.seed(t, pool, "jane", nil)
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	wantErr(t, changePassword(e, tok, "Wr0ng-password", "N3w-passw0rd"), "NotAuthorizedException", "")
	e.clk.Advance(time.Second)
	if err := changePassword(e, tok, goodPassword, "N3w-passw0rd"); err != nil {
		t.Fatal(err)
	}
	out, err := e.svc.AdminListUserAuthEvents(e.ctx, &cognitoidp.AdminListUserAuthEventsRequest{UserPoolId: &pool, Username: api.Ptr("jane")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.AuthEvents) != 2 {
		t.Fatalf("%d events", len(out.AuthEvents))
	}
	for i, want := range []struct {
		resp      cognitoidp.EventResponseType
		challenge cognitoidp.ChallengeResponse
	}{{"Pass", "Success"}, {"Fail", "Failure"}} {
		ev := out.AuthEvents[i]
		if *ev.EventType != "PasswordChange" || *ev.EventResponse != want.resp ||
			len(ev.ChallengeResponses) != 1 || *ev.ChallengeResponses[0].ChallengeName != "Password" || *ev.ChallengeResponses[0].ChallengeResponse != want.challenge {
			t.Errorf("event %d: %+v", i, ev)
		}
	}
	// Pools without threat protection keep no events.
	s := e.signIn(t)
	if err := changePassword(e, s.access, goodPassword, "N3w-passw0rd"); err != nil {
		t.Fatal(err)
	}
	events, _, err := e.store.ListAuthEvents(e.ctx, s.pool, s.user.Key, storage.Page{Limit: 10})
	if err != nil || len(events) != 0 {
		t.Errorf("events %v, %v", events, err)
	}
}
