package account

import (
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// GlobalSignOut revokes every token of the user: the same session, the
// user's other sessions, not other users'.
func TestGlobalSignOut(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	other, _ := e.tokens.issue(s.pool, s.client, s.user)
	john := e.seed(t, s.pool, "john", nil)
	johns, _ := e.tokens.issue(s.pool, s.client, john)
	if _, err := e.svc.GlobalSignOut(e.ctx, &cognitoidp.GlobalSignOutRequest{AccessToken: &s.access}); err != nil {
		t.Fatal(err)
	}
	if got := e.tokens.revokedUsers(); !slices.Equal(got, []string{s.pool + "/jane"}) {
		t.Errorf("revoked %v", got)
	}
	for _, tok := range []string{s.access, other} {
		_, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &tok})
		wantErr(t, err, "NotAuthorizedException", "Access Token has been revoked")
	}
	if _, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &johns}); err != nil {
		t.Errorf("another user signed out: %v", err)
	}
	_, err := e.svc.GlobalSignOut(e.ctx, &cognitoidp.GlobalSignOutRequest{AccessToken: &s.access})
	wantErr(t, err, "NotAuthorizedException", "Access Token has been revoked")
}

func TestAdminUserGlobalSignOut(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{AliasAttributes: []cognitoidp.AliasAttributeType{"email"}})
	cl := e.client(t, pool, nil)
	u := e.seed(t, pool, "jane", map[string]string{"email": "jane@example.com", "email_verified": "true"})
	tok, _ := e.tokens.issue(pool, *cl.ClientId, u)
	// By a verified alias, as any admin operation.
	if _, err := e.svc.AdminUserGlobalSignOut(e.ctx, &cognitoidp.AdminUserGlobalSignOutRequest{UserPoolId: &pool, Username: api.Ptr("jane@example.com")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &tok})
	wantErr(t, err, "NotAuthorizedException", "Access Token has been revoked")

	_, err = e.svc.AdminUserGlobalSignOut(e.ctx, &cognitoidp.AdminUserGlobalSignOutRequest{UserPoolId: &pool, Username: api.Ptr("nobody")})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.svc.AdminUserGlobalSignOut(e.ctx, &cognitoidp.AdminUserGlobalSignOutRequest{UserPoolId: api.Ptr("us-east-1_Nope"), Username: api.Ptr("jane")})
	wantErr(t, err, "ResourceNotFoundException", "")
	_, err = e.svc.AdminUserGlobalSignOut(e.ctx, &cognitoidp.AdminUserGlobalSignOutRequest{UserPoolId: &pool})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null")
	if got := e.tokens.revokedUsers(); len(got) != 1 {
		t.Errorf("revocations %v", got)
	}
}

// DeleteUser revokes the user's tokens and deletes the user; the answer
// encodes as {}.
func TestDeleteUser(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	out, err := e.svc.DeleteUser(e.ctx, &cognitoidp.DeleteUserRequest{AccessToken: &s.access})
	if err != nil || out == nil {
		t.Fatalf("DeleteUser: %v, %v", out, err)
	}
	if _, err := e.store.GetUser(e.ctx, s.pool, s.user.Key); err != storage.ErrNotFound {
		t.Errorf("user still there: %v", err)
	}
	if got := e.tokens.revokedUsers(); !slices.Equal(got, []string{s.pool + "/jane"}) {
		t.Errorf("revoked %v", got)
	}
	_, err = e.svc.DeleteUser(e.ctx, &cognitoidp.DeleteUserRequest{AccessToken: &s.access})
	wantErr(t, err, "NotAuthorizedException", "Access Token has been revoked")

	// A disabled user cannot delete themselves.
	u := e.seed(t, s.pool, "john", nil)
	tok, _ := e.tokens.issue(s.pool, s.client, u)
	e.setUser(t, s.pool, u.Key, func(u *storage.User) { u.Enabled = false })
	_, err = e.svc.DeleteUser(e.ctx, &cognitoidp.DeleteUserRequest{AccessToken: &tok})
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	e.user(t, s.pool, u.Key)
}
