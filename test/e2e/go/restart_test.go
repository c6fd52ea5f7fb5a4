package e2e

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// A server stopped and started again on the same data keeps pools, clients,
// secrets, tags and keys.
func testRestartKeepsData(t *testing.T, b backend) {
	needs(t, "DescribeUserPool", "DescribeUserPoolClient", "ListTagsForResource", "GetSigningCertificate")
	loc := b.new(t)
	c1 := start(t, loc)
	pool := createPool(t, c1, "restart", &idp.CreateUserPoolInput{
		UserPoolTags:       map[string]string{"keep": "me"},
		DeletionProtection: types.DeletionProtectionTypeActive,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(14), RequireSymbols: true, TemporaryPasswordValidityDays: 2,
		}},
	})
	id := aws.ToString(pool.Id)
	cl := createClient(t, c1, &idp.CreateUserPoolClientInput{UserPoolId: &id, GenerateSecret: true})
	before := describePool(t, c1, id)
	cert, err := c1.IDP.GetSigningCertificate(ctx(t), &idp.GetSigningCertificateInput{UserPoolId: &id})
	if err != nil {
		t.Fatalf("GetSigningCertificate: %v", err)
	}
	keys := fetchJWKS(t, c1, c1.URL+"/"+id+"/.well-known/jwks.json")
	c1.stop()

	c2 := start(t, loc)
	// The pool's cleanup (registered with c1) must talk to the live server.
	t.Cleanup(func() {
		_, _ = c2.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &id, DeletionProtection: types.DeletionProtectionTypeInactive})
		_, _ = c2.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id})
	})
	after := describePool(t, c2, id)
	if got, want := asJSON(t, after), asJSON(t, before); got != want {
		t.Errorf("pool after restart differs:\nafter: %s\nbefore: %s", got, want)
	}
	d := describeClient(t, c2, id, aws.ToString(cl.ClientId))
	if aws.ToString(d.ClientSecret) != aws.ToString(cl.ClientSecret) || aws.ToString(d.ClientName) != aws.ToString(cl.ClientName) {
		t.Errorf("client after restart: name %q secret %q, want %q and the original secret",
			aws.ToString(d.ClientName), aws.ToString(d.ClientSecret), aws.ToString(cl.ClientName))
	}
	tags, err := c2.IDP.ListTagsForResource(ctx(t), &idp.ListTagsForResourceInput{ResourceArn: pool.Arn})
	if err != nil {
		t.Fatalf("ListTagsForResource: %v", err)
	}
	if tags.Tags["keep"] != "me" {
		t.Errorf("tags after restart = %v", tags.Tags)
	}
	cert2, err := c2.IDP.GetSigningCertificate(ctx(t), &idp.GetSigningCertificateInput{UserPoolId: &id})
	if err != nil {
		t.Fatalf("GetSigningCertificate: %v", err)
	}
	if aws.ToString(cert2.Certificate) != aws.ToString(cert.Certificate) {
		t.Errorf("signing certificate changed across a restart")
	}
	keys2 := fetchJWKS(t, c2, c2.URL+"/"+id+"/.well-known/jwks.json")
	for kid, k := range keys {
		if k2 := keys2[kid]; k2 == nil || !k2.Equal(k) {
			t.Errorf("signing key %s lost or changed across a restart", kid)
		}
	}
	// Deletion protection still holds, and writes work after the restart.
	_, err = c2.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id})
	wantClientError(t, err, "InvalidParameterException")
	if _, err := c2.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: &id, ClientName: aws.String("after-restart")}); err != nil {
		t.Errorf("CreateUserPoolClient after restart: %v", err)
	}
}

// Two servers on one PostgreSQL database are replicas: each sees the other's
// writes at once, with no caching in between.
func TestPostgresTwoServers(t *testing.T) {
	needs(t, "DescribeUserPool", "UpdateUserPool", "DescribeUserPoolClient", "ListUserPoolClients", "TagResource", "ListTagsForResource")
	shared := postgresBackend.new(t)
	a := start(t, shared)
	b := start(t, location{dataDir: t.TempDir(), databaseURL: shared.databaseURL})

	pool := createPool(t, a, "replicas", nil)
	id := aws.ToString(pool.Id)
	if got := describePool(t, b, id); aws.ToString(got.Name) != aws.ToString(pool.Name) {
		t.Fatalf("B sees pool name %q, want %q", aws.ToString(got.Name), aws.ToString(pool.Name))
	}
	// B updates, A reads at once.
	if _, err := b.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &id, Policies: &types.UserPoolPolicyType{
		PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(16)},
	}}); err != nil {
		t.Fatalf("B UpdateUserPool: %v", err)
	}
	if got := aws.ToInt32(describePool(t, a, id).Policies.PasswordPolicy.MinimumLength); got != 16 {
		t.Errorf("A sees MinimumLength %d after B set 16", got)
	}
	// A creates a client with a secret (sealed with the shared key), B reads it.
	cl := createClient(t, a, &idp.CreateUserPoolClientInput{UserPoolId: &id, GenerateSecret: true})
	d := describeClient(t, b, id, aws.ToString(cl.ClientId))
	if aws.ToString(d.ClientSecret) != aws.ToString(cl.ClientSecret) {
		t.Errorf("B reads client secret %q, A created %q", aws.ToString(d.ClientSecret), aws.ToString(cl.ClientSecret))
	}
	list, err := b.IDP.ListUserPoolClients(ctx(t), &idp.ListUserPoolClientsInput{UserPoolId: &id})
	if err != nil || len(list.UserPoolClients) != 1 {
		t.Errorf("B ListUserPoolClients: %v, %d clients, want 1", err, len(list.UserPoolClients))
	}
	// Tags written on B are read on A.
	if _, err := b.IDP.TagResource(ctx(t), &idp.TagResourceInput{ResourceArn: pool.Arn, Tags: map[string]string{"via": "b"}}); err != nil {
		t.Fatalf("B TagResource: %v", err)
	}
	tags, err := a.IDP.ListTagsForResource(ctx(t), &idp.ListTagsForResourceInput{ResourceArn: pool.Arn})
	if err != nil || tags.Tags["via"] != "b" {
		t.Errorf("A ListTagsForResource: %v %v", err, tags)
	}
	// Both serve the same keys.
	ka := fetchJWKS(t, a, a.URL+"/"+id+"/.well-known/jwks.json")
	kb := fetchJWKS(t, b, b.URL+"/"+id+"/.well-known/jwks.json")
	for kid, k := range ka {
		if kb[kid] == nil || !kb[kid].Equal(k) {
			t.Errorf("replicas disagree on key %s", kid)
		}
	}
	// B deletes the pool, A no longer finds it.
	if _, err := b.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id}); err != nil {
		t.Fatalf("B DeleteUserPool: %v", err)
	}
	_, err = a.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: &id})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = a.IDP.DescribeUserPoolClient(ctx(t), &idp.DescribeUserPoolClientInput{UserPoolId: &id, ClientId: cl.ClientId})
	wantClientError(t, err, "ResourceNotFoundException")
	resp, err := a.HTTP.Get(a.URL + "/" + id + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("A serves the JWKS of a pool B deleted: status %d, want 404", resp.StatusCode)
	}
}
