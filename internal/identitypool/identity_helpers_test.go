package identitypool

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/identitypool/creds"
	"github.com/cogito-dev/cogito/internal/identitypool/logins"
	"github.com/cogito-dev/cogito/internal/identitypool/openid"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

const (
	googleProvider = "accounts.google.com"
	devProvider    = "login.mycompany"
	roleAdmin      = "arn:aws:iam::123456789012:role/Admin"
	roleReader     = "arn:aws:iam::123456789012:role/Reader"
)

// fakeLogins stands in for logins.Validator: a token is the JSON of its
// claims ("bad…" is refused); the provider picks the kind. Identity tokens
// go to the real issuer.
type fakeLogins struct {
	issuer *openid.Issuer
}

func (f *fakeLogins) Check(ctx context.Context, pool *logins.Pool, provider, tok string) (*logins.Login, error) {
	if provider == logins.CognitoIdentityProvider {
		c, err := f.issuer.Verify(ctx, tok)
		if err != nil || c.Audience != pool.ID {
			return nil, cognitoidentity.NewNotAuthorizedException("Invalid login token. Couldn't verify signed token.")
		}
		return &logins.Login{Kind: logins.KindCognitoIdentity, Provider: provider, Subject: c.Subject, Identity: c}, nil
	}
	if strings.HasPrefix(tok, "bad") {
		return nil, cognitoidentity.NewNotAuthorizedException("Invalid login token. Token expired: 1 >= 0")
	}
	var claims map[string]any
	if err := json.Unmarshal([]byte(tok), &claims); err != nil {
		return nil, cognitoidentity.NewNotAuthorizedException("Invalid login token. Not a valid OpenId Connect identity token.")
	}
	sub, _ := claims["sub"].(string)
	l := &logins.Login{Provider: provider, Subject: sub, RoleMappingKey: provider, Claims: claims,
		AMR: []string{provider, provider + ":" + sub}}
	switch {
	case provider == userPool || strings.HasSuffix(provider, "/us-east-1_AbCdEfGhI"):
		l.Kind, l.Provider = logins.KindUserPool, userPool
		aud, _ := claims["aud"].(string)
		l.RoleMappingKey = userPool + ":" + aud
		l.AMR = []string{userPool, userPool + ":CognitoSignIn:" + sub}
		for _, r := range claimList(claims["cognito:roles"]) {
			l.Roles = append(l.Roles, r)
		}
		l.PreferredRole, _ = claims["cognito:preferred_role"].(string)
	case provider == googleProvider:
		l.Kind = logins.KindGoogle
	case provider == samlARN:
		l.Kind = logins.KindSAML
		l.Roles = claimList(claims["roles"])
	default:
		return nil, cognitoidentity.NewNotAuthorizedException("Token is not from a supported provider of this identity pool.")
	}
	return l, nil
}

// idEnv is a service with the identity operations, on SQLite, minting
// credentials.
type idEnv struct {
	*env
	issuer *openid.Issuer
	minter *creds.Minter
	logins *fakeLogins
}

func newIdentityEnv(t *testing.T) *idEnv {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	sealer, err := keys.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	issuer := openid.New(openid.Config{Store: st, Sealer: sealer, Clock: clk, URL: "http://localhost:9229/_cogito/identity", Region: region})
	minter := creds.NewMinter(creds.MintConfig{Store: st, Sealer: sealer, Clock: clk})
	fl := &fakeLogins{issuer: issuer}
	svc := New(Config{Store: st, Clock: clk, Region: region, AccountID: account,
		Identities: st, Logins: fl, Issuer: issuer, Credentials: minter})
	return &idEnv{env: &env{svc: svc, store: st, clock: clk}, issuer: issuer, minter: minter, logins: fl}
}

// pool creates an identity pool trusting the user pool client, Google, a
// SAML provider and a developer provider, with both default roles.
func (e *idEnv) pool(t *testing.T, allowGuests bool) string {
	t.Helper()
	p := e.create(t, &cognitoidentity.CreateIdentityPoolInput{
		IdentityPoolName:               ptrTo("Identities"),
		AllowUnauthenticatedIdentities: allowGuests,
		AllowClassicFlow:               ptrTo(true),
		CognitoIdentityProviders:       []cognitoidentity.CognitoIdentityProvider{{ProviderName: ptrTo(userPool), ClientId: ptrTo(clientID)}},
		SupportedLoginProviders:        map[string]string{googleProvider: "google-client"},
		SamlProviderARNs:               []string{samlARN},
		DeveloperProviderName:          ptrTo(devProvider),
	})
	e.setRoles(t, *p.IdentityPoolId, map[string]string{"authenticated": authRole, "unauthenticated": unauthRol}, nil)
	return *p.IdentityPoolId
}

func (e *idEnv) setRoles(t *testing.T, poolID string, roles map[string]string, mappings map[string]cognitoidentity.RoleMapping) {
	t.Helper()
	if _, err := e.svc.SetIdentityPoolRoles(context.Background(), &cognitoidentity.SetIdentityPoolRolesInput{
		IdentityPoolId: ptrTo(poolID), Roles: roles, RoleMappings: mappings,
	}); err != nil {
		t.Fatalf("SetIdentityPoolRoles: %v", err)
	}
}

// userToken is a user pool ID token (for fakeLogins) of sub with extra claims.
func userToken(sub string, extra map[string]any) string {
	c := map[string]any{"sub": sub, "aud": clientID}
	for k, v := range extra {
		c[k] = v
	}
	b, _ := json.Marshal(c)
	return string(b)
}

func (e *idEnv) getID(t *testing.T, poolID string, ls map[string]string) string {
	t.Helper()
	out, err := e.svc.GetId(context.Background(), &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(poolID), Logins: ls})
	if err != nil {
		t.Fatalf("GetId(%v): %v", ls, err)
	}
	return *out.IdentityId
}

// credentials gets credentials and returns what the minter recorded for them.
func (e *idEnv) credentials(t *testing.T, id string, ls map[string]string, custom string) (*cognitoidentity.GetCredentialsForIdentityResponse, *creds.Minted) {
	t.Helper()
	in := &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: ptrTo(id), Logins: ls}
	if custom != "" {
		in.CustomRoleArn = ptrTo(custom)
	}
	out, err := e.svc.GetCredentialsForIdentity(context.Background(), in)
	if err != nil {
		t.Fatalf("GetCredentialsForIdentity(%s, %v): %v", id, ls, err)
	}
	m, err := e.minter.Lookup(context.Background(), *out.Credentials.AccessKeyId)
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	return out, m
}

func (e *idEnv) credentialsErr(id string, ls map[string]string, custom string) error {
	in := &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: ptrTo(id), Logins: ls}
	if custom != "" {
		in.CustomRoleArn = ptrTo(custom)
	}
	_, err := e.svc.GetCredentialsForIdentity(context.Background(), in)
	return err
}
