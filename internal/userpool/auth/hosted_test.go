package auth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// The managed login pages sign in for the client whatever its
// ExplicitAuthFlows and secret, and get the user back instead of tokens.
func TestHostedSignIn(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(nil)
	client := e.client(pool, func(in *cognitoidp.CreateUserPoolClientRequest) {
		in.ExplicitAuthFlows = []cognitoidp.ExplicitAuthFlowsType{cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
		in.GenerateSecret = true
	})
	id := *client.ClientId
	u := e.confirmedUser(pool, "ann", goodPassword, "email", "ann@example.com", "email_verified", "true")

	step, err := e.svc.HostedSignIn(e.ctx, pool, id, "ann", goodPassword, nil)
	if err != nil || !step.Done() || step.User.Sub != u.Sub || !step.AuthTime.Equal(t0) || step.Username() != "ann" {
		t.Fatalf("HostedSignIn = %v, %v", step, err)
	}
	e.events.mu.Lock()
	n := len(e.events.events)
	e.events.mu.Unlock()
	if n == 0 {
		t.Errorf("no auth event recorded")
	}
	_, err = e.svc.HostedSignIn(e.ctx, pool, id, "ann", "wrong", nil)
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = e.svc.HostedSignIn(e.ctx, pool, id, "nobody", goodPassword, nil)
	wantErr(t, err, "UserNotFoundException", "User does not exist.")
	// The API still asks the flow and the secret.
	_, err = e.passwordAuth(id, "ann", goodPassword)
	wantErr(t, err, "InvalidParameterException", "")
	// A client of another pool is not found.
	other := e.pool(nil)
	_, err = e.svc.HostedSignIn(e.ctx, other, id, "ann", goodPassword, nil)
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestHostedNewPasswordAndConfirmed(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(nil)
	id := e.clientID(pool)
	e.createUser(pool, "bo", "Temp0rary!", "email", "bo@example.com")
	step, err := e.svc.HostedSignIn(e.ctx, pool, id, "bo", "Temp0rary!", nil)
	if err != nil || step.Challenge != cognitoidp.ChallengeNameTypeNewPasswordRequired || step.Username() != "bo" {
		t.Fatalf("HostedSignIn = %v, %v", step, err)
	}
	done, err := e.svc.HostedRespond(e.ctx, pool, id, step.Challenge, step.Session, map[string]string{"USERNAME": "bo", "NEW_PASSWORD": "N3w-Passw0rd!"})
	if err != nil || !done.Done() || done.User.Username != "bo" {
		t.Fatalf("HostedRespond = %v, %v", done, err)
	}
	// Signed in again right after a confirmation: by username or alias.
	again, err := e.svc.HostedSignInConfirmed(e.ctx, pool, id, "bo")
	if err != nil || !again.Done() {
		t.Fatalf("HostedSignInConfirmed = %v, %v", again, err)
	}
	_, err = e.svc.HostedSignInConfirmed(e.ctx, pool, id, "nobody")
	wantErr(t, err, "UserNotFoundException", "")
}

func TestIssueOAuthScopes(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(nil)
	id := e.clientID(pool)
	u := e.confirmedUser(pool, "cy", goodPassword, "email", "cy@example.com", "email_verified", "true", "name", "Cy", "phone_number", "+15555550100")
	issued, err := e.svc.IssueOAuth(e.ctx, pool, id, u, OAuthGrant{Scopes: []string{"openid", "email"}, Nonce: "n1", AuthTime: t0.Add(-time5m), WithRefresh: true, EventID: "ev-1"})
	if err != nil {
		t.Fatal(err)
	}
	idc := claims(t, issued.IDToken)
	if idc["nonce"] != "n1" || idc["at_hash"] == nil || idc["email"] != "cy@example.com" || idc["name"] != nil || idc["phone_number"] != nil ||
		idc["auth_time"] != float64(t0.Add(-time5m).Unix()) || idc["event_id"] != "ev-1" {
		t.Errorf("ID token = %v", idc)
	}
	ac := claims(t, issued.AccessToken)
	if ac["scope"] != "openid email" || ac["version"] != float64(2) || ac["username"] != "cy" {
		t.Errorf("access token = %v", ac)
	}
	if issued.RefreshToken == "" {
		t.Errorf("no refresh token")
	}
	// The refresh_token grant keeps the scopes' claims.
	res, err := e.svc.RefreshOAuth(e.ctx, id, issued.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if r := claims(t, *res.IdToken); r["name"] != nil || r["email"] != "cy@example.com" {
		t.Errorf("refreshed ID token = %v", r)
	}
	if _, err := e.svc.RefreshOAuth(e.ctx, e.clientID(pool), issued.RefreshToken); err == nil {
		t.Errorf("another client's refresh token accepted")
	}
	// userInfo by scope.
	info, err := e.svc.UserInfo(e.ctx, pool, id, "cy", []string{"openid", "phone"})
	if err != nil || info["phone_number"] != "+15555550100" || info["email"] != "" || info["sub"] != u.Sub || info["username"] != "cy" {
		t.Errorf("UserInfo = %v, %v", info, err)
	}
	info, err = e.svc.UserInfo(e.ctx, pool, id, "cy", []string{"openid"})
	if err != nil || info["name"] != "Cy" || info["email_verified"] != "true" {
		t.Errorf("UserInfo openid = %v, %v", info, err)
	}
	_, err = e.svc.UserInfo(e.ctx, pool, id, "gone", []string{"openid"})
	wantErr(t, err, "NotAuthorizedException", "")
}

func TestScopeAttributes(t *testing.T) {
	all := map[string]string{"email": "e", "email_verified": "true", "phone_number": "p", "phone_number_verified": "false", "name": "n", "custom:x": "x"}
	for _, tc := range []struct {
		scopes []string
		want   string
	}{
		{nil, "custom:x email email_verified name phone_number phone_number_verified"},
		{[]string{"aws.cognito.signin.user.admin"}, "custom:x email email_verified name phone_number phone_number_verified"},
		{[]string{"openid"}, "custom:x email email_verified name phone_number phone_number_verified"},
		{[]string{"openid", "profile", "email"}, "custom:x email email_verified name phone_number phone_number_verified"},
		{[]string{"openid", "email"}, "email email_verified"},
		{[]string{"openid", "phone"}, "phone_number phone_number_verified"},
		{[]string{"openid", "email", "phone", "api/read"}, "email email_verified phone_number phone_number_verified"},
	} {
		got := ScopeAttributes(all, tc.scopes)
		keys := make([]string, 0, len(got))
		for k := range got {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if strings.Join(keys, " ") != tc.want {
			t.Errorf("ScopeAttributes(%v) = %v", tc.scopes, keys)
		}
	}
}

const time5m = 5 * time.Minute
