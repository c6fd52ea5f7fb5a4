package users

import (
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestAdminConfirmSignUp(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	u := e.seed(t, pool, "jane", "UNCONFIRMED", nil)
	if err := e.store.PutCode(e.ctx, &storage.Code{PoolID: pool, UserKey: u.Key, Purpose: message.PurposeSignUp,
		Hash: []byte("h"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Second)
	if _, err := e.svc.AdminConfirmSignUp(e.ctx, &cognitoidp.AdminConfirmSignUpRequest{UserPoolId: &pool, Username: api.Ptr("jane")}); err != nil {
		t.Fatal(err)
	}
	got := e.user(t, pool, "jane")
	if got.Status != "CONFIRMED" || !got.UpdatedAt.Equal(t0.Add(time.Second)) {
		t.Errorf("status %s updated %v", got.Status, got.UpdatedAt)
	}
	if e.code(t, pool, "jane", message.PurposeSignUp) != nil {
		t.Error("the sign-up code survived the confirmation")
	}

	_, err := e.svc.AdminConfirmSignUp(e.ctx, &cognitoidp.AdminConfirmSignUpRequest{UserPoolId: &pool, Username: api.Ptr("jane")})
	wantErr(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")

	for _, status := range []string{"FORCE_CHANGE_PASSWORD", "RESET_REQUIRED", "EXTERNAL_PROVIDER"} {
		e.seed(t, pool, "u-"+status, status, nil)
		_, err := e.svc.AdminConfirmSignUp(e.ctx, &cognitoidp.AdminConfirmSignUpRequest{UserPoolId: &pool, Username: api.Ptr("u-" + status)})
		wantErr(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is "+status)
		if got := e.user(t, pool, "u-"+status); got.Status != status {
			t.Errorf("status changed to %s", got.Status)
		}
	}
	_, err = e.svc.AdminConfirmSignUp(e.ctx, &cognitoidp.AdminConfirmSignUpRequest{UserPoolId: &pool, Username: api.Ptr("nobody")})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
}
