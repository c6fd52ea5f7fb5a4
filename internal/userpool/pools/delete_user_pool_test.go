package pools

import (
	"context"
	"errors"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
)

func TestDeleteUserPool(t *testing.T) {
	e := newEnv(t, true)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{UserPoolTags: map[string]string{"k": "v"}})
	id, arn := *up.Id, *up.Arn
	other := *e.create(t, &cognitoidp.CreateUserPoolRequest{}).Id

	if _, err := e.svc.DeleteUserPool(e.ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: &id}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	_, err := e.svc.DescribeUserPool(e.ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: &id})
	wantErr(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
	_, err = e.svc.DeleteUserPool(e.ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: &id})
	wantErr(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
	_, err = e.svc.ListTagsForResource(e.ctx, &cognitoidp.ListTagsForResourceRequest{ResourceArn: &arn})
	wantErr(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")

	if tags, err := e.store.GetTags(e.ctx, arn); err != nil || len(tags) != 0 {
		t.Errorf("tags left after delete: %v, %v", tags, err)
	}
	if _, err := e.keys.JWKS(e.ctx, id); !errors.Is(err, keys.ErrNoKey) {
		t.Errorf("JWKS of a deleted pool: err = %v, want ErrNoKey", err)
	}
	// Other pools are untouched.
	e.describe(t, other)
	if _, err := e.keys.JWKS(e.ctx, other); err != nil {
		t.Errorf("JWKS of the other pool: %v", err)
	}
}

func TestDeleteUserPoolDeletionProtection(t *testing.T) {
	e := newEnv(t, false)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{DeletionProtection: api.Ptr(cognitoidp.DeletionProtectionTypeActive)}).Id
	_, err := e.svc.DeleteUserPool(e.ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: &id})
	wantErr(t, err, "InvalidParameterException",
		"The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	e.describe(t, id) // still there

	if _, err := e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{UserPoolId: &id,
		DeletionProtection: api.Ptr(cognitoidp.DeletionProtectionTypeInactive)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DeleteUserPool(e.ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: &id}); err != nil {
		t.Fatalf("DeleteUserPool after deactivating protection: %v", err)
	}
}

func TestDeleteUserPoolBeforeDeleteHook(t *testing.T) {
	refusal := cognitoidp.NewInvalidParameterException("domain first")
	e := newEnv(t, false, func(c *Config) {
		c.BeforeDelete = func(context.Context, string) error { return refusal }
	})
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{}).Id
	_, err := e.svc.DeleteUserPool(e.ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: &id})
	wantErr(t, err, "InvalidParameterException", "domain first")
	e.describe(t, id)
}
