package account

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Authenticate is the check other families reuse: the token's claims, the
// pool and the signed-in user, or the answers every token-authorized
// operation of this package gives.
func TestAuthenticate(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	c, err := e.svc.Authenticate(e.ctx, &s.access)
	if err != nil {
		t.Fatal(err)
	}
	if c.Claims.Sub != s.user.Sub || c.Claims.ClientID != s.client || api.Deref(c.Pool.Id) != s.pool || c.User.Key != s.user.Key {
		t.Errorf("Caller = claims %+v pool %s user %s", c.Claims, api.Deref(c.Pool.Id), c.User.Key)
	}

	_, err = e.svc.Authenticate(e.ctx, nil)
	wantErr(t, err, "NotAuthorizedException", "Invalid Access Token")
	_, err = e.svc.Authenticate(e.ctx, api.Ptr("not-a-token"))
	if err == nil {
		t.Error("an unknown token is accepted")
	}
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Enabled = false })
	_, err = e.svc.Authenticate(e.ctx, &s.access)
	wantErr(t, err, "NotAuthorizedException", "User is disabled.")
	if err := e.store.DeleteUser(e.ctx, s.pool, s.user.Key); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Authenticate(e.ctx, &s.access)
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
}
