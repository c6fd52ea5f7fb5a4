package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/cogito-dev/cogito/internal/config"
	"github.com/cogito-dev/cogito/internal/identitypool/creds/ststest"
)

// Identity pools end to end with aws-sdk-go-v2: user pool ID tokens as
// logins (both provider names), guests and their upgrade, credentials minted
// and looked up, roles from groups, the basic flow's token checked against
// the identity issuer's JWKS, developer identities, every admin operation,
// an OIDC provider, and STS mode against an STS double that trusts Cogito's
// identity issuer.
func TestIdentity(t *testing.T) {
	for _, b := range []backend{sqliteBackend, postgresBackend} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			oidc := newOIDCProvider(t)
			c := startWith(t, b.new(t), func(cfg *config.Config) {
				cfg.AccountID = "123456789012"
				cfg.Identity.OIDCProviders = []config.OIDCProvider{{ARN: oidcProviderARN, Issuer: oidc.srv.URL, ClientIDs: []string{"oidc-app"}}}
			})
			for _, tc := range []struct {
				name string
				run  func(t *testing.T, c *cogito)
			}{
				{"UserPoolLogins", testIdentityUserPoolLogins},
				{"Guests", testIdentityGuests},
				{"RolesFromGroups", testIdentityRolesFromGroups},
				{"BasicFlowToken", testIdentityBasicFlow},
				{"ServerSideTokenCheck", testIdentityServerSideTokenCheck},
				{"Developer", testIdentityDeveloper},
				{"Admin", testIdentityAdmin},
				{"OIDCProvider", func(t *testing.T, c *cogito) { testIdentityOIDC(t, c, oidc) }},
			} {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, c) })
			}
		})
	}
}

const (
	authRoleARN     = "arn:aws:iam::123456789012:role/CognitoAuth"
	unauthRoleARN   = "arn:aws:iam::123456789012:role/CognitoUnauth"
	adminRoleARN    = "arn:aws:iam::123456789012:role/Admins"
	oidcProviderARN = "arn:aws:iam::123456789012:oidc-provider/login.example.com"
	devProviderName = "login.example.dev"
)

// identityFixture is a user pool with a signed-in user and an identity pool
// trusting its client.
type identityFixture struct {
	userPool, client, provider string
	// amplifyProvider is the Logins key Amplify builds: the iss without scheme.
	amplifyProvider string
	idToken         string
	identityPool    string
}

func newIdentityFixture(t *testing.T, c *cogito, guests, serverSideCheck bool) *identityFixture {
	t.Helper()
	pool, client := signInPool(t, c, "idp", nil, nil)
	user := uniq("user")
	adminCreateConfirmed(t, c, pool, user, "Passw0rd!")
	out, err := passwordAuth(t, c, client, user, "Passw0rd!")
	r := tokens(t, "sign-in", out, err)
	f := &identityFixture{userPool: pool, client: client, provider: "cognito-idp.us-east-1.amazonaws.com/" + pool,
		amplifyProvider: strings.TrimPrefix(c.URL, "http://") + "/" + pool, idToken: *r.IdToken}
	ip, err := c.Identity.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{
		IdentityPoolName: aws.String(uniq("ids")), AllowUnauthenticatedIdentities: guests, AllowClassicFlow: aws.Bool(true),
		CognitoIdentityProviders:  []citypes.CognitoIdentityProvider{{ProviderName: &f.provider, ClientId: &client, ServerSideTokenCheck: aws.Bool(serverSideCheck)}},
		DeveloperProviderName:     aws.String(devProviderName),
		OpenIdConnectProviderARNs: []string{oidcProviderARN},
	})
	if err != nil {
		t.Fatalf("CreateIdentityPool: %v", err)
	}
	f.identityPool = *ip.IdentityPoolId
	if _, err := c.Identity.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: ip.IdentityPoolId,
		Roles: map[string]string{"authenticated": authRoleARN, "unauthenticated": unauthRoleARN}}); err != nil {
		t.Fatalf("SetIdentityPoolRoles: %v", err)
	}
	return f
}

// mintedCredentials is what GET /_cogito/credentials/{accessKeyId} shows.
type mintedCredentials struct {
	AccessKeyID     string            `json:"AccessKeyId"`
	SecretAccessKey string            `json:"SecretAccessKey"`
	SessionToken    string            `json:"SessionToken"`
	IdentityID      string            `json:"IdentityId"`
	IdentityPoolID  string            `json:"IdentityPoolId"`
	RoleARN         string            `json:"RoleArn"`
	PrincipalTags   map[string]string `json:"PrincipalTags"`
	Authenticated   bool              `json:"Authenticated"`
	Expiration      int64             `json:"Expiration"`
}

// identityCredentials calls GetCredentialsForIdentity and looks the minted set up.
func identityCredentials(t *testing.T, c *cogito, identityID string, logins map[string]string, custom string) (*ci.GetCredentialsForIdentityOutput, mintedCredentials) {
	t.Helper()
	in := &ci.GetCredentialsForIdentityInput{IdentityId: &identityID, Logins: logins}
	if custom != "" {
		in.CustomRoleArn = &custom
	}
	out, err := c.Identity.GetCredentialsForIdentity(ctx(t), in)
	if err != nil {
		t.Fatalf("GetCredentialsForIdentity: %v", err)
	}
	cr := out.Credentials
	if cr == nil || !strings.HasPrefix(aws.ToString(cr.AccessKeyId), "ASIA") || len(aws.ToString(cr.SecretKey)) != 40 ||
		aws.ToString(cr.SessionToken) == "" || !near(cr.Expiration, time.Hour+time.Minute) || cr.Expiration.Before(time.Now().Add(50*time.Minute)) {
		t.Fatalf("credentials %+v", cr)
	}
	var m mintedCredentials
	getJSON(t, c, c.URL+"/_cogito/credentials/"+*cr.AccessKeyId, &m)
	if m.SecretAccessKey != *cr.SecretKey || m.SessionToken != *cr.SessionToken || m.IdentityID != *out.IdentityId {
		t.Fatalf("looked-up credentials %+v do not match %+v", m, cr)
	}
	return out, m
}

func getID(t *testing.T, c *cogito, poolID string, logins map[string]string) string {
	t.Helper()
	out, err := c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &poolID, Logins: logins})
	if err != nil {
		t.Fatalf("GetId: %v", err)
	}
	return *out.IdentityId
}

func testIdentityUserPoolLogins(t *testing.T, c *cogito) {
	f := newIdentityFixture(t, c, false, false)
	id := getID(t, c, f.identityPool, map[string]string{f.amplifyProvider: f.idToken})
	if got := getID(t, c, f.identityPool, map[string]string{f.provider: f.idToken}); got != id {
		t.Errorf("AWS-form provider name gave %s; the issuer form %s", got, id)
	}
	out, m := identityCredentials(t, c, id, map[string]string{f.amplifyProvider: f.idToken}, "")
	if *out.IdentityId != id || m.RoleARN != authRoleARN || !m.Authenticated || m.IdentityPoolID != f.identityPool {
		t.Errorf("credentials for %s: %+v", id, m)
	}
	d, err := c.Identity.DescribeIdentity(ctx(t), &ci.DescribeIdentityInput{IdentityId: &id})
	if err != nil || len(d.Logins) != 1 || d.Logins[0] != f.provider || !near(d.CreationDate, time.Minute) {
		t.Errorf("DescribeIdentity = %+v, %v", d, err)
	}

	// Refusals, with Cognito's messages.
	_, err = c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &id})
	wantClientError(t, err, "NotAuthorizedException", "Logins don't match. Please include at least one valid login for this identity or identity pool.")
	_, err = c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool})
	wantClientError(t, err, "NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.")
	other := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &f.userPool, ExplicitAuthFlows: allFlows})
	user := uniq("other")
	adminCreateConfirmed(t, c, f.userPool, user, "Passw0rd!")
	ao, err := passwordAuth(t, c, *other.ClientId, user, "Passw0rd!")
	r := tokens(t, "sign-in at another client", ao, err)
	_, err = c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool, Logins: map[string]string{f.provider: *r.IdToken}})
	wantClientError(t, err, "NotAuthorizedException", "Token is not from a supported provider of this identity pool.")
	_, err = c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool, Logins: map[string]string{f.provider: *r.AccessToken}})
	wantClientError(t, err, "NotAuthorizedException", "Invalid login token. Missing a required claim: aud")
	_, err = c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool, Logins: map[string]string{f.provider: "not-a-token"}})
	wantClientError(t, err, "NotAuthorizedException", "Invalid login token. Not a valid OpenId Connect identity token.")
	tampered := f.idToken[:len(f.idToken)-6] + "AAAAAA"
	_, err = c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool, Logins: map[string]string{f.provider: tampered}})
	wantClientError(t, err, "NotAuthorizedException", "Invalid login token.")
	_, err = c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool, Logins: map[string]string{"cognito-idp.us-east-1.amazonaws.com/us-east-1_Nope": f.idToken}})
	wantClientError(t, err, "NotAuthorizedException", "Token is not from a supported provider of this identity pool.")
	missing := "us-east-1:00000000-0000-0000-0000-000000000000"
	_, err = c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &missing})
	wantClientError(t, err, "ResourceNotFoundException", "Identity '"+missing+"' not found.")
}

func testIdentityGuests(t *testing.T, c *cogito) {
	f := newIdentityFixture(t, c, true, false)
	// Amplify sends Logins: {} for a guest, and no Logins to GetCredentialsForIdentity.
	guest := getID(t, c, f.identityPool, map[string]string{})
	_, m := identityCredentials(t, c, guest, nil, "")
	if m.RoleARN != unauthRoleARN || m.Authenticated {
		t.Errorf("guest credentials %+v", m)
	}
	// Signing in upgrades the guest identity.
	out, m := identityCredentials(t, c, guest, map[string]string{f.amplifyProvider: f.idToken}, "")
	if *out.IdentityId != guest || m.RoleARN != authRoleARN {
		t.Errorf("upgrade: %s with %+v", *out.IdentityId, m)
	}
	if got := getID(t, c, f.identityPool, map[string]string{f.amplifyProvider: f.idToken}); got != guest {
		t.Errorf("GetId after the upgrade: %s; want %s", got, guest)
	}
	// A second guest signing in as the same user joins that identity and is disabled.
	second := getID(t, c, f.identityPool, nil)
	out, _ = identityCredentials(t, c, second, map[string]string{f.amplifyProvider: f.idToken}, "")
	if *out.IdentityId != guest {
		t.Errorf("second guest ended on %s; want %s", *out.IdentityId, guest)
	}
	_, err := c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &second})
	wantClientError(t, err, "NotAuthorizedException", "Access to Identity '"+second+"' is forbidden.")
}

func testIdentityRolesFromGroups(t *testing.T, c *cogito) {
	f := newIdentityFixture(t, c, false, false)
	user := uniq("admin")
	adminCreateConfirmed(t, c, f.userPool, user, "Passw0rd!")
	for _, g := range []struct {
		name, role string
		precedence int32
	}{{"admins", adminRoleARN, 1}, {"staff", authRoleARN, 5}} {
		if _, err := c.IDP.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: &f.userPool, GroupName: aws.String(g.name),
			RoleArn: aws.String(g.role), Precedence: aws.Int32(g.precedence)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.IDP.AdminAddUserToGroup(ctx(t), &idp.AdminAddUserToGroupInput{UserPoolId: &f.userPool, Username: &user, GroupName: aws.String(g.name)}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := passwordAuth(t, c, f.client, user, "Passw0rd!")
	idToken := *tokens(t, "sign-in", out, err).IdToken
	logins := map[string]string{f.provider: idToken}
	if _, err := c.Identity.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: &f.identityPool,
		Roles: map[string]string{"authenticated": authRoleARN},
		RoleMappings: map[string]citypes.RoleMapping{f.provider + ":" + f.client: {
			Type: citypes.RoleMappingTypeToken, AmbiguousRoleResolution: citypes.AmbiguousRoleResolutionTypeDeny}}}); err != nil {
		t.Fatal(err)
	}
	id := getID(t, c, f.identityPool, logins)
	if _, m := identityCredentials(t, c, id, logins, ""); m.RoleARN != adminRoleARN {
		t.Errorf("preferred role: %s", m.RoleARN)
	}
	if _, m := identityCredentials(t, c, id, logins, authRoleARN); m.RoleARN != authRoleARN {
		t.Errorf("CustomRoleArn among cognito:roles: %s", m.RoleARN)
	}
	_, err = c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &id, Logins: logins,
		CustomRoleArn: aws.String("arn:aws:iam::123456789012:role/NotMine")})
	wantClientError(t, err, "NotAuthorizedException")

	// Rules on cognito:groups, then principal tags from the defaults.
	if _, err := c.Identity.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: &f.identityPool,
		Roles: map[string]string{"authenticated": authRoleARN},
		RoleMappings: map[string]citypes.RoleMapping{f.provider + ":" + f.client: {
			Type: citypes.RoleMappingTypeRules, AmbiguousRoleResolution: citypes.AmbiguousRoleResolutionTypeAuthenticatedRole,
			RulesConfiguration: &citypes.RulesConfigurationType{Rules: []citypes.MappingRule{
				{Claim: aws.String("cognito:groups"), MatchType: citypes.MappingRuleMatchTypeContains, Value: aws.String("staff"), RoleARN: aws.String(adminRoleARN)},
			}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Identity.SetPrincipalTagAttributeMap(ctx(t), &ci.SetPrincipalTagAttributeMapInput{IdentityPoolId: &f.identityPool,
		IdentityProviderName: &f.provider, UseDefaults: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, m := identityCredentials(t, c, id, logins, "")
	if m.RoleARN != adminRoleARN || m.PrincipalTags["client"] != f.client || m.PrincipalTags["username"] == "" {
		t.Errorf("rules and tags: %+v", m)
	}
	// The default user has no group: the ambiguous resolution gives the default role.
	if _, m := identityCredentials(t, c, getID(t, c, f.identityPool, map[string]string{f.provider: f.idToken}), map[string]string{f.provider: f.idToken}, ""); m.RoleARN != authRoleARN {
		t.Errorf("no matching rule: %s", m.RoleARN)
	}
}

// identityClaims verifies an identity OpenID token against the issuer's
// published keys, as an STS does, and returns its claims.
func identityClaims(t testing.TB, baseURL, token string) (jwt.Claims, map[string]any, error) {
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSONURL(baseURL+"/_cogito/identity/.well-known/openid-configuration", &disc); err != nil {
		return jwt.Claims{}, nil, err
	}
	var set jose.JSONWebKeySet
	if err := getJSONURL(disc.JWKSURI, &set); err != nil {
		return jwt.Claims{}, nil, err
	}
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS512})
	if err != nil {
		return jwt.Claims{}, nil, err
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		return jwt.Claims{}, nil, fmt.Errorf("kid %q not in the JWKS", tok.Headers[0].KeyID)
	}
	var std jwt.Claims
	all := map[string]any{}
	if err := tok.Claims(keys[0].Key, &std, &all); err != nil {
		return jwt.Claims{}, nil, err
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: disc.Issuer, Time: time.Now()}, 5*time.Second); err != nil {
		return jwt.Claims{}, nil, err
	}
	return std, all, nil
}

func getJSONURL(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func testIdentityBasicFlow(t *testing.T, c *cogito) {
	f := newIdentityFixture(t, c, true, false)
	logins := map[string]string{f.amplifyProvider: f.idToken}
	id := getID(t, c, f.identityPool, logins)
	out, err := c.Identity.GetOpenIdToken(ctx(t), &ci.GetOpenIdTokenInput{IdentityId: &id, Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	std, all, err := identityClaims(t, c.URL, *out.Token)
	if err != nil {
		t.Fatalf("identity token: %v", err)
	}
	amr, _ := all["amr"].([]any)
	if std.Subject != id || !slices.Contains([]string(std.Audience), f.identityPool) || std.Expiry.Time().Sub(std.IssuedAt.Time()) != 10*time.Minute ||
		std.Issuer != c.URL+"/_cogito/identity" || len(amr) != 3 || amr[0] != "authenticated" || amr[1] != f.provider ||
		!strings.HasPrefix(amr[2].(string), f.provider+":CognitoSignIn:") ||
		all["https://cognito-identity.amazonaws.com/identity-pool-arn"] != "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/"+f.identityPool {
		t.Errorf("identity token claims %+v", all)
	}
	// The token is a login of its identity (the enhanced flow after a developer or basic token).
	if _, m := identityCredentials(t, c, id, map[string]string{"cognito-identity.amazonaws.com": *out.Token}, ""); m.RoleARN != authRoleARN {
		t.Errorf("credentials by identity token: %+v", m)
	}
	if _, err := c.Identity.UpdateIdentityPool(ctx(t), &ci.UpdateIdentityPoolInput{IdentityPoolId: &f.identityPool, IdentityPoolName: aws.String("x"),
		AllowUnauthenticatedIdentities: true, CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: &f.provider, ClientId: &f.client}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Identity.GetOpenIdToken(ctx(t), &ci.GetOpenIdTokenInput{IdentityId: &id, Logins: logins})
	wantClientError(t, err, "InvalidParameterException", "Basic (classic) flow is not enabled, please use enhanced flow.")
}

func testIdentityServerSideTokenCheck(t *testing.T, c *cogito) {
	f := newIdentityFixture(t, c, false, true)
	user := uniq("sst")
	adminCreateConfirmed(t, c, f.userPool, user, "Passw0rd!")
	out, err := passwordAuth(t, c, f.client, user, "Passw0rd!")
	r := tokens(t, "sign-in", out, err)
	logins := map[string]string{f.provider: *r.IdToken}
	id := getID(t, c, f.identityPool, logins)
	identityCredentials(t, c, id, logins, "")
	if _, err := c.IDP.GlobalSignOut(ctx(t), &idp.GlobalSignOutInput{AccessToken: r.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &id, Logins: logins})
	wantClientError(t, err, "NotAuthorizedException", "Token is inactive")
	// A deleted user's token is inactive too.
	out, err = passwordAuth(t, c, f.client, user, "Passw0rd!")
	r = tokens(t, "sign-in again", out, err)
	if _, err := c.IDP.AdminDeleteUser(ctx(t), &idp.AdminDeleteUserInput{UserPoolId: &f.userPool, Username: &user}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool, Logins: map[string]string{f.provider: *r.IdToken}})
	wantClientError(t, err, "NotAuthorizedException", "Token is inactive")
}

func testIdentityDeveloper(t *testing.T, c *cogito) {
	f := newIdentityFixture(t, c, false, false)
	dev := func(in *ci.GetOpenIdTokenForDeveloperIdentityInput) (*ci.GetOpenIdTokenForDeveloperIdentityOutput, error) {
		in.IdentityPoolId = &f.identityPool
		return c.Identity.GetOpenIdTokenForDeveloperIdentity(ctx(t), in)
	}
	out, err := dev(&ci.GetOpenIdTokenForDeveloperIdentityInput{Logins: map[string]string{devProviderName: "dev-user-1"},
		PrincipalTags: map[string]string{"tenant": "acme"}, TokenDuration: aws.Int64(3600)})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.IdentityId
	std, all, err := identityClaims(t, c.URL, *out.Token)
	if err != nil || std.Subject != id || std.Expiry.Time().Sub(std.IssuedAt.Time()) != time.Hour {
		t.Errorf("developer token %+v %v: %v", std, all, err)
	}
	if tags, _ := all["https://aws.amazon.com/tags"].(map[string]any); tags == nil {
		t.Errorf("no tags claim in %v", all)
	}
	_, m := identityCredentials(t, c, id, map[string]string{"cognito-identity.amazonaws.com": *out.Token}, "")
	if m.PrincipalTags["tenant"] != "acme" || m.RoleARN != authRoleARN {
		t.Errorf("developer credentials %+v", m)
	}
	// Link the user pool login to the developer identity.
	if o, err := dev(&ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityId: &id, Logins: map[string]string{devProviderName: "dev-user-1", f.provider: f.idToken}}); err != nil || *o.IdentityId != id {
		t.Fatalf("link: %+v, %v", o, err)
	}
	if got := getID(t, c, f.identityPool, map[string]string{f.provider: f.idToken}); got != id {
		t.Errorf("the linked user pool login finds %s; want %s", got, id)
	}
	two, _ := dev(&ci.GetOpenIdTokenForDeveloperIdentityInput{Logins: map[string]string{devProviderName: "dev-user-2"}})
	_, err = dev(&ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityId: &id, Logins: map[string]string{devProviderName: "dev-user-2"}})
	wantClientError(t, err, "DeveloperUserAlreadyRegisteredException")

	look, err := c.Identity.LookupDeveloperIdentity(ctx(t), &ci.LookupDeveloperIdentityInput{IdentityPoolId: &f.identityPool, DeveloperUserIdentifier: aws.String("dev-user-1")})
	if err != nil || *look.IdentityId != id || len(look.DeveloperUserIdentifierList) != 1 {
		t.Errorf("LookupDeveloperIdentity = %+v, %v", look, err)
	}
	merged, err := c.Identity.MergeDeveloperIdentities(ctx(t), &ci.MergeDeveloperIdentitiesInput{IdentityPoolId: &f.identityPool,
		DeveloperProviderName: aws.String(devProviderName), SourceUserIdentifier: aws.String("dev-user-2"), DestinationUserIdentifier: aws.String("dev-user-1")})
	if err != nil || *merged.IdentityId != id {
		t.Fatalf("MergeDeveloperIdentities = %+v, %v", merged, err)
	}
	look, _ = c.Identity.LookupDeveloperIdentity(ctx(t), &ci.LookupDeveloperIdentityInput{IdentityPoolId: &f.identityPool, IdentityId: &id, MaxResults: aws.Int32(1)})
	if len(look.DeveloperUserIdentifierList) != 1 || look.NextToken == nil {
		t.Errorf("paged lookup %+v", look)
	}
	_, err = c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: two.IdentityId,
		Logins: map[string]string{"cognito-identity.amazonaws.com": *two.Token}})
	wantClientError(t, err, "NotAuthorizedException", "is forbidden.")
	if _, err := c.Identity.UnlinkDeveloperIdentity(ctx(t), &ci.UnlinkDeveloperIdentityInput{IdentityId: &id, IdentityPoolId: &f.identityPool,
		DeveloperProviderName: aws.String(devProviderName), DeveloperUserIdentifier: aws.String("dev-user-2")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Identity.LookupDeveloperIdentity(ctx(t), &ci.LookupDeveloperIdentityInput{IdentityPoolId: &f.identityPool, DeveloperUserIdentifier: aws.String("dev-user-2")})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testIdentityAdmin(t *testing.T, c *cogito) {
	f := newIdentityFixture(t, c, true, false)
	var ids []string
	for range 3 {
		ids = append(ids, getID(t, c, f.identityPool, nil))
	}
	authed := getID(t, c, f.identityPool, map[string]string{f.provider: f.idToken})
	seen := map[string]bool{}
	var next *string
	for range 10 {
		out, err := c.Identity.ListIdentities(ctx(t), &ci.ListIdentitiesInput{IdentityPoolId: &f.identityPool, MaxResults: aws.Int32(2), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range out.Identities {
			seen[*i.IdentityId] = true
		}
		if next = out.NextToken; next == nil {
			break
		}
	}
	if len(seen) != 4 || !seen[authed] {
		t.Errorf("ListIdentities saw %v", seen)
	}
	// UnlinkIdentity with the identity's own login; the last login makes it inaccessible.
	if _, err := c.Identity.UnlinkIdentity(ctx(t), &ci.UnlinkIdentityInput{IdentityId: &authed,
		Logins: map[string]string{f.provider: f.idToken}, LoginsToRemove: []string{f.provider}}); err != nil {
		t.Fatalf("UnlinkIdentity: %v", err)
	}
	hidden, err := c.Identity.ListIdentities(ctx(t), &ci.ListIdentitiesInput{IdentityPoolId: &f.identityPool, MaxResults: aws.Int32(60), HideDisabled: true})
	if err != nil || len(hidden.Identities) != 3 {
		t.Errorf("HideDisabled: %+v, %v", hidden, err)
	}
	del, err := c.Identity.DeleteIdentities(ctx(t), &ci.DeleteIdentitiesInput{IdentityIdsToDelete: ids})
	if err != nil || len(del.UnprocessedIdentityIds) != 0 {
		t.Fatalf("DeleteIdentities = %+v, %v", del, err)
	}
	_, err = c.Identity.DescribeIdentity(ctx(t), &ci.DescribeIdentityInput{IdentityId: &ids[0]})
	wantClientError(t, err, "ResourceNotFoundException")
	// Deleting the pool takes its identities with it.
	if _, err := c.Identity.DeleteIdentityPool(ctx(t), &ci.DeleteIdentityPoolInput{IdentityPoolId: &f.identityPool}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Identity.DescribeIdentity(ctx(t), &ci.DescribeIdentityInput{IdentityId: &authed})
	wantClientError(t, err, "ResourceNotFoundException")
	// The look-up endpoint knows nothing of an unknown key.
	resp, err := c.HTTP.Get(c.URL + "/_cogito/credentials/ASIANOSUCHKEYNOSUCHK")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown access key: %d", resp.StatusCode)
	}
}

// oidcProvider is a tiny OpenID Connect provider: discovery, keys, and
// tokens it signs.
type oidcProvider struct {
	srv *httptest.Server
	key *rsa.PrivateKey
}

func newOIDCProvider(t *testing.T) *oidcProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &oidcProvider{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": p.srv.URL, "jwks_uri": p.srv.URL + "/keys"})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "oidc-1", Algorithm: "RS256", Use: "sig"}}})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *oidcProvider) token(t *testing.T, sub, aud string) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: p.key}, (&jose.SignerOptions{}).WithHeader("kid", "oidc-1"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(map[string]any{"iss": p.srv.URL, "sub": sub, "aud": aud,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(), "email": sub + "@example.com"}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func testIdentityOIDC(t *testing.T, c *cogito, p *oidcProvider) {
	f := newIdentityFixture(t, c, false, false)
	const name = "login.example.com"
	id := getID(t, c, f.identityPool, map[string]string{name: p.token(t, "oidc-user", "oidc-app")})
	if again := getID(t, c, f.identityPool, map[string]string{name: p.token(t, "oidc-user", "oidc-app")}); again != id {
		t.Errorf("same OIDC user: %s then %s", id, again)
	}
	if _, m := identityCredentials(t, c, id, map[string]string{name: p.token(t, "oidc-user", "oidc-app")}, ""); m.RoleARN != authRoleARN {
		t.Errorf("OIDC credentials %+v", m)
	}
	_, err := c.Identity.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: &f.identityPool, Logins: map[string]string{name: p.token(t, "oidc-user", "other-app")}})
	wantClientError(t, err, "NotAuthorizedException", "Token is not from a supported provider of this identity pool.")
}

// STS mode: Cogito asks an STS for the credentials with its own identity
// token; the STS double accepts only tokens that verify against Cogito's
// published identity keys, for the identity pool as audience and an
// authenticated amr.
func TestIdentitySTSMode(t *testing.T) {
	var cogitoURL string
	double := ststest.New(t, func(call ststest.Call) error {
		std, all, err := identityClaims(t, cogitoURL, call.WebIdentityToken)
		if err != nil {
			return &ststest.Refusal{Code: "InvalidIdentityToken", Message: err.Error()}
		}
		amr, _ := all["amr"].([]any)
		if len(std.Audience) != 1 || !strings.Contains(std.Audience[0], ":") || len(amr) == 0 {
			return &ststest.Refusal{Code: "InvalidIdentityToken", Message: "Incorrect token audience"}
		}
		if call.RoleARN == "arn:aws:iam::123456789012:role/Untrusting" {
			return &ststest.Refusal{Code: "AccessDenied", Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity"}
		}
		if call.RoleARN == unauthRoleARN && amr[0] != "unauthenticated" || call.RoleARN == authRoleARN && amr[0] != "authenticated" {
			return errors.New("amr does not fit the role")
		}
		return nil
	})
	c := startWith(t, sqliteBackend.new(t), func(cfg *config.Config) {
		cfg.AccountID = "123456789012"
		cfg.Identity.Credentials = config.CredentialsSTS
		cfg.Identity.STS.Endpoint = double.URL
	})
	cogitoURL = c.URL
	f := newIdentityFixture(t, c, true, false)
	logins := map[string]string{f.amplifyProvider: f.idToken}
	id := getID(t, c, f.identityPool, logins)
	out, err := c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &id, Logins: logins})
	if err != nil {
		t.Fatalf("GetCredentialsForIdentity in STS mode: %v", err)
	}
	call, ok := double.Issued(aws.ToString(out.Credentials.AccessKeyId))
	if !ok || call.RoleARN != authRoleARN || call.RoleSessionName != "CognitoIdentityCredentials" || out.Credentials.SecretKey == nil || out.Credentials.Expiration == nil {
		t.Errorf("STS credentials %+v from %+v", out.Credentials, call)
	}
	std, _, err := identityClaims(t, c.URL, call.WebIdentityToken)
	if err != nil || std.Subject != id {
		t.Errorf("web identity token: %+v, %v", std, err)
	}
	guest := getID(t, c, f.identityPool, nil)
	if _, err := c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &guest}); err != nil {
		t.Errorf("guest credentials from STS: %v", err)
	}
	// A role whose trust policy refuses Cogito: Cognito's configuration error.
	if _, err := c.Identity.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: &f.identityPool,
		Roles: map[string]string{"authenticated": "arn:aws:iam::123456789012:role/Untrusting"}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Identity.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: &id, Logins: logins})
	wantClientError(t, err, "InvalidIdentityPoolConfigurationException", "Invalid identity pool configuration. Check assigned IAM roles for this pool.")
	// Minted credentials are not recorded in STS mode.
	resp, err := c.HTTP.Get(c.URL + "/_cogito/credentials/" + aws.ToString(out.Credentials.AccessKeyId))
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("STS credentials looked up: %d", resp.StatusCode)
		}
	}
}
