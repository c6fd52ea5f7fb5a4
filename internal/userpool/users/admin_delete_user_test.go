package users

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestAdminDeleteUser(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{AliasAttributes: []cognitoidp.AliasAttributeType{"email"}})
	e.seed(t, pool, "jane", "CONFIRMED", map[string]string{"email": "jane@example.com", "email_verified": "true"})
	e.seed(t, pool, "john", "CONFIRMED", nil)

	// By alias.
	if _, err := e.svc.AdminDeleteUser(e.ctx, &cognitoidp.AdminDeleteUserRequest{UserPoolId: &pool, Username: api.Ptr("jane@example.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.GetUser(e.ctx, pool, "jane"); err != storage.ErrNotFound {
		t.Fatalf("GetUser after delete: %v", err)
	}
	// The alias is free again.
	e.seed(t, pool, "jane2", "CONFIRMED", map[string]string{"email": "jane@example.com", "email_verified": "true"})

	_, err := e.svc.AdminDeleteUser(e.ctx, &cognitoidp.AdminDeleteUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	if n, _ := e.svc.CountUsers(e.ctx, pool); n != 2 {
		t.Errorf("CountUsers = %d, want 2", n)
	}
	_, err = e.svc.AdminDeleteUser(e.ctx, &cognitoidp.AdminDeleteUserRequest{UserPoolId: api.Ptr("us-east-1_Missing1"), Username: api.Ptr("john")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Missing1 does not exist.")
}
