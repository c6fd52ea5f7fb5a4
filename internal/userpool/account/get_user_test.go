package account

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

func TestGetUser(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	out, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &s.access})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Username != "jane" {
		t.Errorf("Username %q", *out.Username)
	}
	if got, want := attrNames(out.UserAttributes), []string{"sub", "email", "email_verified", "name"}; !slices.Equal(got, want) {
		t.Errorf("attributes %v, want %v", got, want)
	}
	if v, _ := attrOf(out.UserAttributes, "sub"); v != s.user.Sub {
		t.Errorf("sub %q", v)
	}
	if out.MFAOptions != nil || out.PreferredMfaSetting != nil || out.UserMFASettingList != nil {
		t.Errorf("MFA shown without the MFA hook: %+v", out)
	}
}

// The internal username is shown, not the email a user signs in with.
func TestGetUserEmailAsUsername(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{UsernameAttributes: []cognitoidp.UsernameAttributeType{"email"}})
	cl := e.client(t, pool, nil)
	sub := uuid.NewString()
	u := e.seed(t, pool, sub, map[string]string{"email": "jane@example.com"})
	a, _ := e.tokens.issue(pool, *cl.ClientId, u)
	out, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &a})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Username != sub {
		t.Errorf("Username %q, want the internal username %q", *out.Username, sub)
	}
}

// A client's ReadAttributes limit what GetUser shows; sub is always shown
// and developer-only attributes never.
func TestGetUserReadAttributes(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
		{Name: api.Ptr("secret"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), DeveloperOnlyAttribute: api.Ptr(true)},
		{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString)},
	}})
	u := e.seed(t, pool, "jane", map[string]string{
		"email": "jane@example.com", "name": "Jane", "custom:tier": "gold", "dev:custom:secret": "s3cret",
	})
	all := e.client(t, pool, nil)
	some := e.client(t, pool, &cognitoidp.CreateUserPoolClientRequest{ReadAttributes: []string{"email", "custom:tier"}})
	for _, c := range []struct {
		client string
		want   []string
	}{
		{*all.ClientId, []string{"sub", "custom:tier", "email", "name"}},
		{*some.ClientId, []string{"sub", "custom:tier", "email"}},
	} {
		a, _ := e.tokens.issue(pool, c.client, u)
		out, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &a})
		if err != nil {
			t.Fatal(err)
		}
		if got := attrNames(out.UserAttributes); !slices.Equal(got, c.want) {
			t.Errorf("client %s: attributes %v, want %v", c.client, got, c.want)
		}
	}
}

func TestGetUserMFAHook(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.MFA = func(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User) (users.MFAInfo, error) {
			return users.MFAInfo{Preferred: "SOFTWARE_TOKEN_MFA", Enabled: []string{"SOFTWARE_TOKEN_MFA"}}, nil
		}
	})
	s := e.signIn(t)
	out, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &s.access})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || !slices.Equal(out.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Errorf("MFA %+v", out)
	}
}

// Every token-authorized operation refuses a token the token service
// refuses, a deleted (or re-created) user, a disabled user and a deleted
// client, as GetUser shows.
func TestGetUserRefusals(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	get := func(tok string) error {
		_, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &tok})
		return err
	}

	_, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null")
	wantErr(t, get("not.a.token"), "NotAuthorizedException", "Invalid Access Token")

	// Disabled.
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Enabled = false })
	wantErr(t, get(s.access), "NotAuthorizedException", "User is disabled.")
	e.setUser(t, s.pool, s.user.Key, func(u *storage.User) { u.Enabled = true })
	if err := get(s.access); err != nil {
		t.Fatal(err)
	}

	// Deleted, then created again under the same name: another user.
	if err := e.store.DeleteUser(e.ctx, s.pool, s.user.Key); err != nil {
		t.Fatal(err)
	}
	wantErr(t, get(s.access), "UserNotFoundException", "User does not exist.")
	e.seed(t, s.pool, "jane", nil)
	wantErr(t, get(s.access), "UserNotFoundException", "User does not exist.")

	// A token of a client deleted since.
	u := e.seed(t, s.pool, "john", nil)
	cl := e.client(t, s.pool, nil)
	tok, _ := e.tokens.issue(s.pool, *cl.ClientId, u)
	if _, err := e.clients.DeleteUserPoolClient(e.ctx, &cognitoidp.DeleteUserPoolClientRequest{UserPoolId: &s.pool, ClientId: cl.ClientId}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, get(tok), "NotAuthorizedException", "Invalid Access Token")
}
