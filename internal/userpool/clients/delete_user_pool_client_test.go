package clients

import (
	"context"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestDeleteUserPoolClient(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	del := func(pool string) error {
		_, err := e.svc.DeleteUserPoolClient(ctx, &cognitoidp.DeleteUserPoolClientRequest{UserPoolId: api.Ptr(pool), ClientId: c.ClientId})
		return err
	}
	missing := "User pool client " + api.Deref(c.ClientId) + " does not exist."
	wantErr(t, del(otherPool), "ResourceNotFoundException", missing)
	wantErr(t, del("us-east-1_Missing99"), "ResourceNotFoundException", "User pool us-east-1_Missing99 does not exist.")
	if err := del(testPool); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.DescribeUserPoolClient(ctx, &cognitoidp.DescribeUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId})
	wantErr(t, err, "ResourceNotFoundException", missing)
	wantErr(t, del(testPool), "ResourceNotFoundException", missing)
	_, err = e.svc.Lookup(ctx, api.Deref(c.ClientId))
	wantErr(t, err, "ResourceNotFoundException", missing)
}

func TestDescribeNotFound(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.svc.DescribeUserPoolClient(ctx, &cognitoidp.DescribeUserPoolClientRequest{UserPoolId: api.Ptr("us-east-1_Missing99"), ClientId: api.Ptr("abc")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Missing99 does not exist.")
	_, err = e.svc.DescribeUserPoolClient(ctx, &cognitoidp.DescribeUserPoolClientRequest{UserPoolId: api.Ptr(testPool), ClientId: api.Ptr("abc")})
	wantErr(t, err, "ResourceNotFoundException", "User pool client abc does not exist.")
}
