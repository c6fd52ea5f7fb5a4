package users

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestAdminGetUser(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, &cognitoidp.CreateUserPoolRequest{AliasAttributes: []cognitoidp.AliasAttributeType{"email", "preferred_username"}})
	u := e.seed(t, pool, "jane", "CONFIRMED", map[string]string{
		"email": "Jane@Example.com", "email_verified": "true", "preferred_username": "janey", "name": "Jane",
	})
	e.clk.Advance(1500 * 1e6) // 1.5 s
	e.seed(t, pool, "other", "UNCONFIRMED", map[string]string{"email": "jane@example.org"})

	for _, name := range []string{"jane", "jane@example.com", "JANE@EXAMPLE.COM", "janey", u.Sub} {
		out, err := e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &pool, Username: api.Ptr(name)})
		if err != nil {
			t.Fatalf("AdminGetUser(%q): %v", name, err)
		}
		if api.Deref(out.Username) != "jane" || !out.Enabled || api.Deref(out.UserStatus) != "CONFIRMED" {
			t.Errorf("AdminGetUser(%q) = %+v", name, out)
		}
		if got := attrNames(out.UserAttributes); !slices.Equal(got, []string{"sub", "email", "email_verified", "name", "preferred_username"}) {
			t.Errorf("attributes %v", got)
		}
		if v, _ := attrOf(out.UserAttributes, "sub"); v != u.Sub {
			t.Errorf("sub %q", v)
		}
		if !out.UserCreateDate.Equal(t0) || !out.UserLastModifiedDate.Equal(t0) {
			t.Errorf("dates %v %v", out.UserCreateDate, out.UserLastModifiedDate)
		}
		if out.MFAOptions != nil || out.PreferredMfaSetting != nil || out.UserMFASettingList != nil {
			t.Errorf("MFA shown without the MFA hook: %+v", out)
		}
	}

	// An unverified alias does not designate its user; neither does a name of another pool.
	for _, name := range []string{"jane@example.org", "nobody", "Jane"} {
		_, err := e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &pool, Username: api.Ptr(name)})
		wantErr(t, err, "UserNotFoundException", "User does not exist.")
	}
	other := e.pool(t, nil)
	_, err := e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &other, Username: api.Ptr("jane")})
	wantErr(t, err, "UserNotFoundException", "User does not exist.")

	_, err = e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: api.Ptr("us-east-1_Missing1"), Username: api.Ptr("jane")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_Missing1 does not exist.")

	_, err = e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &pool})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null")
}

func TestAdminGetUserMFAHook(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.MFA = func(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User) (MFAInfo, error) {
			return MFAInfo{
				Options:   []cognitoidp.MFAOptionType{{DeliveryMedium: api.Ptr(cognitoidp.DeliveryMediumTypeSms), AttributeName: api.Ptr("phone_number")}},
				Preferred: "SOFTWARE_TOKEN_MFA",
				Enabled:   []string{"SOFTWARE_TOKEN_MFA"},
			}, nil
		}
	})
	pool := e.pool(t, nil)
	e.seed(t, pool, "jane", "CONFIRMED", nil)
	out, err := e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &pool, Username: api.Ptr("jane")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var wire map[string]any
	_ = json.Unmarshal(b, &wire)
	if wire["PreferredMfaSetting"] != "SOFTWARE_TOKEN_MFA" || len(wire["UserMFASettingList"].([]any)) != 1 || len(wire["MFAOptions"].([]any)) != 1 {
		t.Errorf("wire %s", b)
	}
}

func TestUsernamesCaseSensitivity(t *testing.T) {
	e := newEnv(t)
	insensitive := e.pool(t, &cognitoidp.CreateUserPoolRequest{UsernameConfiguration: &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)}})
	e.seed(t, insensitive, "Jane", "CONFIRMED", nil)
	out, err := e.svc.AdminGetUser(e.ctx, &cognitoidp.AdminGetUserRequest{UserPoolId: &insensitive, Username: api.Ptr("JANE")})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(out.Username) != "Jane" {
		t.Errorf("Username %q, want the spelling it was created with", api.Deref(out.Username))
	}
}
