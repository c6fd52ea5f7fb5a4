package pools

import (
	"context"
	"errors"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestDescribeUserPoolNotFound(t *testing.T) {
	e := newEnv(t, false)
	_, err := e.svc.DescribeUserPool(e.ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr("us-east-1_FooBar123")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_FooBar123 does not exist.")
	_, err = e.svc.DescribeUserPool(e.ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr("bad id")})
	wantErr(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'bad id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)
}

func TestDescribeUserPoolHooks(t *testing.T) {
	e := newEnv(t, false, func(c *Config) {
		c.CountUsers = func(_ context.Context, poolID string) (int, error) { return len(poolID), nil }
		c.Domains = func(context.Context, string) (string, string, error) { return "my-prefix", "auth.example.com", nil }
	})
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{}).Id
	up := e.describe(t, id)
	if up.EstimatedNumberOfUsers != int32(len(id)) || api.Deref(up.Domain) != "my-prefix" || api.Deref(up.CustomDomain) != "auth.example.com" {
		t.Errorf("hooks not applied: users %d, domain %v, custom %v", up.EstimatedNumberOfUsers, up.Domain, up.CustomDomain)
	}
	// Volatile values are never stored.
	rec, _ := e.store.GetPool(e.ctx, id)
	stored, _ := Decode(rec)
	if stored.EstimatedNumberOfUsers != 0 || stored.Domain != nil || stored.UserPoolTags != nil {
		t.Errorf("volatile values in the stored document: %s", rec.Settings)
	}

	failing := newEnv(t, false, func(c *Config) {
		c.CountUsers = func(context.Context, string) (int, error) { return 0, errors.New("boom") }
	})
	rec.Settings = append([]byte(nil), rec.Settings...)
	if err := failing.store.CreatePool(failing.ctx, &storage.UserPool{ID: id, Name: rec.Name, Settings: rec.Settings, CreatedAt: t0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	_, err := failing.svc.DescribeUserPool(failing.ctx, &cognitoidp.DescribeUserPoolRequest{UserPoolId: &id})
	if err == nil {
		t.Fatal("no error from a failing hook")
	}
	if _, ok := awserr.As(err); ok {
		t.Errorf("an internal failure became a client error: %v", err)
	}
}

func TestDecode(t *testing.T) {
	e := newEnv(t, false)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("decoded"),
		Schema: []cognitoidp.SchemaAttributeType{{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString)}}}).Id
	rec, err := e.store.GetPool(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	up, err := Decode(rec)
	if err != nil {
		t.Fatal(err)
	}
	if *up.Id != id || *up.Name != "decoded" || !up.CreationDate.Equal(t0) || !up.LastModifiedDate.Equal(t0) ||
		findAttr(up.SchemaAttributes, "custom:tier") == nil || *up.Arn != ARN(testRegion, testAccount, id) {
		t.Errorf("Decode = %s", mustJSON(t, up))
	}
	if _, err := Decode(&storage.UserPool{ID: "x", Settings: []byte("{")}); err == nil {
		t.Error("Decode of broken settings: no error")
	}
}
