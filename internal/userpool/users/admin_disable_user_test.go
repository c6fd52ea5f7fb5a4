package users

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestAdminDisableEnableUser(t *testing.T) {
	var revoked []string
	e := newEnv(t, func(c *Config) {
		c.Disabled = func(_ context.Context, poolID string, u *storage.User) error {
			revoked = append(revoked, u.Username)
			return nil
		}
	})
	pool := e.pool(t, nil)
	e.seed(t, pool, "jane", "CONFIRMED", nil)
	e.clk.Advance(time.Minute)

	if _, err := e.svc.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")}); err != nil {
		t.Fatal(err)
	}
	u := e.user(t, pool, "jane")
	if u.Enabled || !u.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after disable: enabled %v, updated %v", u.Enabled, u.UpdatedAt)
	}
	if len(revoked) != 1 || revoked[0] != "jane" {
		t.Errorf("Disabled hook calls %v", revoked)
	}
	// Again: nothing changes, the tokens are revoked again.
	e.clk.Advance(time.Minute)
	if _, err := e.svc.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")}); err != nil {
		t.Fatal(err)
	}
	if u2 := e.user(t, pool, "jane"); u2.Version != u.Version {
		t.Errorf("second disable wrote the user")
	}
	got, _ := e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")})
	if got.Enabled {
		t.Error("AdminGetUser shows a disabled user enabled")
	}

	if _, err := e.svc.AdminEnableUser(e.ctx, &cognitoidp.AdminEnableUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")}); err != nil {
		t.Fatal(err)
	}
	if u := e.user(t, pool, "jane"); !u.Enabled || !u.UpdatedAt.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("after enable: enabled %v, updated %v", u.Enabled, u.UpdatedAt)
	}
	if _, err := e.svc.AdminEnableUser(e.ctx, &cognitoidp.AdminEnableUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")}); err != nil {
		t.Fatal(err)
	}

	_, err := e.svc.AdminDisableUser(e.ctx, &cognitoidp.AdminDisableUserRequest{UserPoolId: &pool, Username: api.Ptr("nobody")})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.svc.AdminEnableUser(e.ctx, &cognitoidp.AdminEnableUserRequest{UserPoolId: &pool, Username: api.Ptr("nobody")})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.svc.AdminEnableUser(e.ctx, &cognitoidp.AdminEnableUserRequest{UserPoolId: api.Ptr("us-east-1_Missing1"), Username: api.Ptr("jane")})
	wantErr(t, err, "ResourceNotFoundException", "")
}
