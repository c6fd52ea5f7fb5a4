package clients

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestSecretsSealedAtRest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	id, secret := api.Deref(c.ClientId), api.Deref(c.ClientSecret)

	rec, err := e.store.GetClient(ctx, testPool, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Secrets) != 1 {
		t.Fatalf("%d stored secrets", len(rec.Secrets))
	}
	if bytes.Contains(rec.Secrets[0].Value, []byte(secret)) || bytes.Contains(rec.Settings, []byte(secret)) {
		t.Fatal("the plaintext secret is stored")
	}
	if !strings.HasPrefix(rec.Secrets[0].ID, id+"--") {
		t.Errorf("secret id %q, want %q--<epoch>", rec.Secrets[0].ID, id)
	}
	var settings map[string]any
	if err := json.Unmarshal(rec.Settings, &settings); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ClientSecret", "ClientId", "UserPoolId", "ClientName", "CreationDate"} {
		if _, ok := settings[k]; ok {
			t.Errorf("stored settings carry %s", k)
		}
	}

	// A sealed secret moved to another client no longer opens.
	other := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	_, err = e.store.UpdateClient(ctx, testPool, api.Deref(other.ClientId), func(o *storage.Client) error {
		o.Secrets = []storage.ClientSecret{rec.Secrets[0]}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Lookup(ctx, api.Deref(other.ClientId)); !errors.Is(err, keys.ErrSealedCorrupt) {
		t.Fatalf("moved secret: %v, want ErrSealedCorrupt", err)
	}
}

func TestClientSecretRotation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	id, first := c.ClientId, api.Deref(c.ClientSecret)
	add := func(value *string) (*cognitoidp.AddUserPoolClientSecretResponse, error) {
		return e.svc.AddUserPoolClientSecret(ctx, &cognitoidp.AddUserPoolClientSecretRequest{UserPoolId: api.Ptr(testPool), ClientId: id, ClientSecret: value})
	}
	list := func() []cognitoidp.ClientSecretDescriptorType {
		t.Helper()
		out, err := e.svc.ListUserPoolClientSecrets(ctx, &cognitoidp.ListUserPoolClientSecretsRequest{UserPoolId: api.Ptr(testPool), ClientId: id})
		if err != nil {
			t.Fatal(err)
		}
		if out.NextToken != nil {
			t.Error("ListUserPoolClientSecrets returned a NextToken")
		}
		return out.ClientSecrets
	}

	e.clock.Advance(time.Hour)
	gen, err := add(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := gen.ClientSecretDescriptor
	second := api.Deref(d.ClientSecretValue)
	if !clientSecretRe.MatchString(second) || api.Deref(d.ClientSecretId) != api.Deref(id)+"--1740834000000" || !d.ClientSecretCreateDate.Equal(t0.Add(time.Hour)) {
		t.Fatalf("generated descriptor %+v", d)
	}
	_, err = add(api.Ptr("a_third_secret_of_my_own_choosing"))
	wantErr(t, err, "LimitExceededException", "The app client already has the maximum of 2 client secrets.")

	secrets := list()
	if len(secrets) != 2 || secrets[0].ClientSecretValue != nil || secrets[1].ClientSecretValue != nil {
		t.Fatalf("list = %+v", secrets)
	}
	golden(t, "list_secrets.json", &cognitoidp.ListUserPoolClientSecretsResponse{ClientSecrets: secrets}, map[string]string{api.Deref(id): "CLIENT_ID"})

	cl, err := e.svc.Lookup(ctx, api.Deref(id))
	if err != nil {
		t.Fatal(err)
	}
	if !cl.SecretMatches(first) || !cl.SecretMatches(second) || cl.SecretMatches("nope") || cl.SecretMatches("") {
		t.Fatal("SecretMatches")
	}
	// Describe shows the first (oldest) secret.
	if got := api.Deref(e.describe(t, api.Deref(id)).ClientSecret); got != first {
		t.Errorf("Describe shows %q, want the first secret", got)
	}

	// Rotate: delete the first; Describe then shows the second.
	del := func(secretID string) error {
		_, err := e.svc.DeleteUserPoolClientSecret(ctx, &cognitoidp.DeleteUserPoolClientSecretRequest{UserPoolId: api.Ptr(testPool), ClientId: id, ClientSecretId: api.Ptr(secretID)})
		return err
	}
	wantErr(t, del("nope--1"), "ResourceNotFoundException", "Client secret nope--1 does not exist.")
	if err := del(api.Deref(secrets[0].ClientSecretId)); err != nil {
		t.Fatal(err)
	}
	if got := api.Deref(e.describe(t, api.Deref(id)).ClientSecret); got != second {
		t.Errorf("after rotation Describe shows %q, want the second secret", got)
	}
	wantErr(t, del(api.Deref(secrets[1].ClientSecretId)), "InvalidParameterException", msgCannotDeleteLastOne)

	// A caller-chosen secret is not echoed back.
	own, err := add(api.Ptr("a_third_secret_of_my_own_choosing"))
	if err != nil {
		t.Fatal(err)
	}
	if own.ClientSecretDescriptor.ClientSecretValue != nil {
		t.Error("the caller's own secret was echoed")
	}
	cl, err = e.svc.Lookup(ctx, api.Deref(id))
	if err != nil || !cl.SecretMatches("a_third_secret_of_my_own_choosing") || cl.SecretMatches(first) {
		t.Fatalf("after adding our own: %v", err)
	}
}

func TestSecretIDsWithinOneMillisecond(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.create(t, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	// The fake clock has not moved: the new secret's id must still differ.
	out, err := e.svc.AddUserPoolClientSecret(ctx, &cognitoidp.AddUserPoolClientSecretRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.ListUserPoolClientSecrets(ctx, &cognitoidp.ListUserPoolClientSecretsRequest{UserPoolId: api.Ptr(testPool), ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.ClientSecrets) != 2 || api.Deref(list.ClientSecrets[0].ClientSecretId) == api.Deref(out.ClientSecretDescriptor.ClientSecretId) {
		t.Fatalf("secret ids collide: %+v", list.ClientSecrets)
	}
}

func TestSecretOperationsErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	public := e.create(t, &cognitoidp.CreateUserPoolClientRequest{})
	_, err := e.svc.AddUserPoolClientSecret(ctx, &cognitoidp.AddUserPoolClientSecretRequest{UserPoolId: api.Ptr(testPool), ClientId: public.ClientId})
	wantErr(t, err, "InvalidParameterException", "Client "+api.Deref(public.ClientId)+" is not a confidential client: it has no client secret.")

	list, err := e.svc.ListUserPoolClientSecrets(ctx, &cognitoidp.ListUserPoolClientSecretsRequest{UserPoolId: api.Ptr(testPool), ClientId: public.ClientId})
	if err != nil || len(list.ClientSecrets) != 0 {
		t.Fatalf("public client's secrets: %+v %v", list, err)
	}

	for name, call := range map[string]func(pool, client string) error{
		"add": func(pool, client string) error {
			_, err := e.svc.AddUserPoolClientSecret(ctx, &cognitoidp.AddUserPoolClientSecretRequest{UserPoolId: api.Ptr(pool), ClientId: api.Ptr(client)})
			return err
		},
		"delete": func(pool, client string) error {
			_, err := e.svc.DeleteUserPoolClientSecret(ctx, &cognitoidp.DeleteUserPoolClientSecretRequest{UserPoolId: api.Ptr(pool), ClientId: api.Ptr(client), ClientSecretId: api.Ptr("x--1")})
			return err
		},
		"list": func(pool, client string) error {
			_, err := e.svc.ListUserPoolClientSecrets(ctx, &cognitoidp.ListUserPoolClientSecretsRequest{UserPoolId: api.Ptr(pool), ClientId: api.Ptr(client)})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			wantErr(t, call("us-east-1_Missing99", "abc"), "ResourceNotFoundException", "User pool us-east-1_Missing99 does not exist.")
			wantErr(t, call(testPool, "abc"), "ResourceNotFoundException", "User pool client abc does not exist.")
		})
	}
}
