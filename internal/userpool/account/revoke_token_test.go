package account

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func revoke(e *env, tok, clientID string, secret *string) error {
	_, err := e.svc.RevokeToken(e.ctx, &cognitoidp.RevokeTokenRequest{Token: &tok, ClientId: &clientID, ClientSecret: secret})
	return err
}

// RevokeToken revokes the refresh token's family: its access tokens stop
// working; the user's other sessions do not.
func TestRevokeToken(t *testing.T) {
	e := newEnv(t)
	s := e.signIn(t)
	other, _ := e.tokens.issue(s.pool, s.client, s.user)
	if err := revoke(e, s.refresh, s.client, nil); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &s.access})
	wantErr(t, err, "NotAuthorizedException", "Access Token has been revoked")
	if _, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &other}); err != nil {
		t.Errorf("another session revoked: %v", err)
	}
	// Again: still a success.
	if err := revoke(e, s.refresh, s.client, nil); err != nil {
		t.Fatal(err)
	}
	// The token service's refusals pass through.
	wantErr(t, revoke(e, s.access, s.client, nil), "UnsupportedTokenTypeException", "")
}

func TestRevokeTokenClientChecks(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	u := e.seed(t, pool, "jane", nil)

	confidential := e.client(t, pool, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true})
	id, secret := *confidential.ClientId, *confidential.ClientSecret
	_, refresh := e.tokens.issue(pool, id, u)
	wantErr(t, revoke(e, refresh, id, nil), "UnauthorizedException", "Client "+id+" is configured for secret but secret was not received")
	wantErr(t, revoke(e, refresh, id, api.Ptr("wrongsecretwrongsecretwrongsecret")), "UnauthorizedException", "Unable to verify secret for client "+id)
	if err := revoke(e, refresh, id, &secret); err != nil {
		t.Fatal(err)
	}

	disabled := e.client(t, pool, &cognitoidp.CreateUserPoolClientRequest{EnableTokenRevocation: api.Ptr(false)})
	_, refresh = e.tokens.issue(pool, *disabled.ClientId, u)
	wantErr(t, revoke(e, refresh, *disabled.ClientId, nil), "UnsupportedOperationException", "Token revocation is not enabled for this client.")

	// The secret is checked before the revocation setting.
	both := e.client(t, pool, &cognitoidp.CreateUserPoolClientRequest{GenerateSecret: true, EnableTokenRevocation: api.Ptr(false)})
	wantErr(t, revoke(e, refresh, *both.ClientId, nil), "UnauthorizedException", "")

	// Another client's token.
	public := e.client(t, pool, nil)
	_, refresh = e.tokens.issue(pool, id, u)
	wantErr(t, revoke(e, refresh, *public.ClientId, nil), "UnauthorizedException", "")

	wantErr(t, revoke(e, refresh, "nosuchclient1234567890abcd", nil), "ResourceNotFoundException", "")
	_, err := e.svc.RevokeToken(e.ctx, &cognitoidp.RevokeTokenRequest{ClientId: &id})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'token' failed to satisfy constraint: Member must not be null")
}

// RevokeAssociatedSessions is taken (NONE or LINKED) and revokes what
// RevokeToken always revokes: there are no SSO sessions to revoke besides.
func TestRevokeTokenAssociatedSessions(t *testing.T) {
	e := newEnv(t)
	for _, v := range []cognitoidp.RevokeAssociatedSessionsType{cognitoidp.RevokeAssociatedSessionsTypeLinked, cognitoidp.RevokeAssociatedSessionsTypeNone} {
		s := e.signIn(t)
		other, _ := e.tokens.issue(s.pool, s.client, s.user)
		_, err := e.svc.RevokeToken(e.ctx, &cognitoidp.RevokeTokenRequest{Token: &s.refresh, ClientId: &s.client, RevokeAssociatedSessions: api.Ptr(v)})
		if err != nil {
			t.Fatalf("RevokeToken %s: %v", v, err)
		}
		_, err = e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &s.access})
		wantErr(t, err, "NotAuthorizedException", "Access Token has been revoked")
		if _, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &other}); err != nil {
			t.Errorf("%s revoked another session: %v", v, err)
		}
	}
	s := e.signIn(t)
	_, err := e.svc.RevokeToken(e.ctx, &cognitoidp.RevokeTokenRequest{Token: &s.refresh, ClientId: &s.client,
		RevokeAssociatedSessions: api.Ptr(cognitoidp.RevokeAssociatedSessionsType("ALL"))})
	wantErr(t, err, "InvalidParameterException",
		"1 validation error detected: Value 'ALL' at 'revokeAssociatedSessions' failed to satisfy constraint: Member must satisfy enum value set: [LINKED, NONE]")
	if _, err := e.svc.GetUser(e.ctx, &cognitoidp.GetUserRequest{AccessToken: &s.access}); err != nil {
		t.Errorf("a refused RevokeToken revoked the token: %v", err)
	}
}
