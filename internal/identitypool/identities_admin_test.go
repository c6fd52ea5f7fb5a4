package identitypool

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestDescribeListDeleteIdentities(t *testing.T) {
	e := newIdentityEnv(t)
	ctx := context.Background()
	poolID := e.pool(t, true)
	other := e.pool(t, true)
	var ids []string
	for n := range 5 {
		ids = append(ids, e.getID(t, poolID, map[string]string{userPool: userToken(string(rune('a'+n)), nil)}))
		e.clock.Advance(time.Second)
	}
	guest := e.getID(t, poolID, nil)
	e.getID(t, other, nil)

	d, err := e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(ids[0])})
	if err != nil || *d.IdentityId != ids[0] || len(d.Logins) != 1 || d.Logins[0] != userPool || !d.CreationDate.Equal(t0) {
		t.Errorf("DescribeIdentity = %+v, %v", d, err)
	}
	g, _ := e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(guest)})
	if g.Logins != nil {
		t.Errorf("a guest shows logins %v", g.Logins)
	}
	_, err = e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(missingID)})
	wantErr(t, err, "ResourceNotFoundException", "Identity '"+missingID+"' not found.")

	// Paging sees each identity of the pool once.
	seen := map[string]bool{}
	var token *string
	for range 10 {
		out, err := e.svc.ListIdentities(ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: ptrTo(poolID), MaxResults: ptrTo(int32(2)), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		if *out.IdentityPoolId != poolID || len(out.Identities) > 2 {
			t.Fatalf("page %+v", out)
		}
		for _, i := range out.Identities {
			if seen[*i.IdentityId] {
				t.Errorf("%s listed twice", *i.IdentityId)
			}
			seen[*i.IdentityId] = true
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(seen) != 6 {
		t.Errorf("listed %d identities; want 6", len(seen))
	}
	_, err = e.svc.ListIdentities(ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: ptrTo(poolID), MaxResults: ptrTo(int32(2)), NextToken: ptrTo("garbage")})
	wantErr(t, err, "InvalidParameterException", "Invalid NextToken.")
	first, _ := e.svc.ListIdentities(ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: ptrTo(poolID), MaxResults: ptrTo(int32(1))})
	_, err = e.svc.ListIdentities(ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: ptrTo(other), MaxResults: ptrTo(int32(1)), NextToken: first.NextToken})
	wantErr(t, err, "InvalidParameterException", "Invalid NextToken.")
	_, err = e.svc.ListIdentities(ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: ptrTo(missingID), MaxResults: ptrTo(int32(1))})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(missingID))
	_, err = e.svc.ListIdentities(ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: ptrTo(poolID)})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null")

	out, err := e.svc.DeleteIdentities(ctx, &cognitoidentity.DeleteIdentitiesInput{IdentityIdsToDelete: []string{ids[0], ids[1], missingID}})
	if err != nil || out.UnprocessedIdentityIds == nil || len(out.UnprocessedIdentityIds) != 0 {
		t.Fatalf("DeleteIdentities = %+v, %v", out, err)
	}
	_, err = e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(ids[0])})
	wantErr(t, err, "ResourceNotFoundException", "")
	// The deleted identity's login makes a new identity next time.
	if again := e.getID(t, poolID, map[string]string{userPool: userToken("a", nil)}); again == ids[0] {
		t.Error("a deleted identity came back")
	}

	// Deleting the pool deletes its identities.
	if _, err := e.svc.DeleteIdentityPool(ctx, &cognitoidentity.DeleteIdentityPoolInput{IdentityPoolId: ptrTo(poolID)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(ids[2])})
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestUnlinkIdentity(t *testing.T) {
	e := newIdentityEnv(t)
	ctx := context.Background()
	poolID := e.pool(t, false)
	both := map[string]string{userPool: userToken("alice", nil), googleProvider: `{"sub":"g-alice"}`}
	id := e.getID(t, poolID, both)
	google := map[string]string{googleProvider: `{"sub":"g-alice"}`}

	unlink := func(ls map[string]string, remove ...string) error {
		_, err := e.svc.UnlinkIdentity(ctx, &cognitoidentity.UnlinkIdentityInput{IdentityId: ptrTo(id), Logins: ls, LoginsToRemove: remove})
		return err
	}
	wantErr(t, unlink(map[string]string{googleProvider: `{"sub":"g-mallory"}`}, userPool), "NotAuthorizedException", msgLoginsDontMatch)
	wantErr(t, unlink(map[string]string{googleProvider: "bad"}, userPool), "NotAuthorizedException", "")
	wantErr(t, unlink(google, devProvider), "InvalidParameterException", "")
	// Amplify's provider name for the user pool removes the same login.
	if err := unlink(google, "127.0.0.1:9229/us-east-1_AbCdEfGhI"); err != nil {
		t.Fatalf("UnlinkIdentity: %v", err)
	}
	d, _ := e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(id)})
	if len(d.Logins) != 1 || d.Logins[0] != googleProvider {
		t.Errorf("logins after unlink: %v", d.Logins)
	}
	// The unlinked login is new again.
	if fresh := e.getID(t, poolID, map[string]string{userPool: userToken("alice", nil)}); fresh == id {
		t.Error("an unlinked login still finds its old identity")
	}
	// Removing the last login makes the identity inaccessible.
	if err := unlink(google, googleProvider); err != nil {
		t.Fatal(err)
	}
	wantErr(t, e.credentialsErr(id, google, ""), "NotAuthorizedException", "Access to Identity '"+id+"' is forbidden.")
	wantErr(t, unlink(google, googleProvider), "NotAuthorizedException", "Access to Identity '"+id+"' is forbidden.")
}

func TestDeveloperIdentities(t *testing.T) {
	e := newIdentityEnv(t)
	ctx := context.Background()
	poolID := e.pool(t, false)
	devToken := func(in *cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput) (*cognitoidentity.GetOpenIdTokenForDeveloperIdentityResponse, error) {
		in.IdentityPoolId = ptrTo(poolID)
		return e.svc.GetOpenIdTokenForDeveloperIdentity(ctx, in)
	}

	out, err := devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{
		Logins: map[string]string{devProvider: "user-1"}, PrincipalTags: map[string]string{"tenant": "t1"}})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.IdentityId
	c, err := e.issuer.Verify(ctx, *out.Token)
	if err != nil || c.Subject != id || !c.ExpiresAt.Equal(t0.Add(15*time.Minute)) || c.PrincipalTags["tenant"] != "t1" ||
		len(c.AMR) != 3 || c.AMR[1] != devProvider || c.AMR[2] != devProvider+":"+poolID+":user-1" {
		t.Errorf("developer token %+v, %v", c, err)
	}
	again, _ := devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{Logins: map[string]string{devProvider: "user-1"}, TokenDuration: ptrTo(int64(86400))})
	if *again.IdentityId != id {
		t.Errorf("same developer user: %s, want %s", *again.IdentityId, id)
	}
	if c, _ := e.issuer.Verify(ctx, *again.Token); c == nil || !c.ExpiresAt.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("TokenDuration 86400: %+v", c)
	}
	_, err = devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{Logins: map[string]string{devProvider: "user-1"}, TokenDuration: ptrTo(int64(86401))})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{Logins: map[string]string{googleProvider: `{"sub":"g"}`}})
	wantErr(t, err, "InvalidParameterException", "Logins must include the developer provider login.mycompany.")

	// The enhanced flow: the token is the identity's login, its tags go into the credentials.
	_, m := e.credentials(t, id, map[string]string{"cognito-identity.amazonaws.com": *out.Token}, "")
	if m.RoleARN != authRole || m.PrincipalTags["tenant"] != "t1" || !m.Authenticated {
		t.Errorf("developer credentials %+v", m)
	}
	wantErr(t, e.credentialsErr(id, nil, ""), "NotAuthorizedException", msgLoginsDontMatch)

	// Linking: a second user id and a Google login onto the identity.
	linked, err := devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{IdentityId: ptrTo(id),
		Logins: map[string]string{devProvider: "user-1b", googleProvider: `{"sub":"g-1"}`}})
	if err != nil || *linked.IdentityId != id {
		t.Fatalf("linking to %s: %+v, %v", id, linked, err)
	}
	other, _ := devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{Logins: map[string]string{devProvider: "user-2"}})
	_, err = devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{IdentityId: ptrTo(id), Logins: map[string]string{devProvider: "user-2"}})
	wantErr(t, err, "DeveloperUserAlreadyRegisteredException",
		"The provided developer user identifier is already registered with Cognito under a different identity ID.")

	lookup := func(in *cognitoidentity.LookupDeveloperIdentityInput) (*cognitoidentity.LookupDeveloperIdentityResponse, error) {
		in.IdentityPoolId = ptrTo(poolID)
		return e.svc.LookupDeveloperIdentity(ctx, in)
	}
	l, err := lookup(&cognitoidentity.LookupDeveloperIdentityInput{DeveloperUserIdentifier: ptrTo("user-1b")})
	if err != nil || *l.IdentityId != id || len(l.DeveloperUserIdentifierList) != 2 || l.NextToken != nil {
		t.Errorf("lookup by user: %+v, %v", l, err)
	}
	l, err = lookup(&cognitoidentity.LookupDeveloperIdentityInput{IdentityId: ptrTo(id), MaxResults: ptrTo(int32(1))})
	if err != nil || len(l.DeveloperUserIdentifierList) != 1 || l.DeveloperUserIdentifierList[0] != "user-1" || l.NextToken == nil {
		t.Fatalf("lookup page 1: %+v, %v", l, err)
	}
	l, err = lookup(&cognitoidentity.LookupDeveloperIdentityInput{IdentityId: ptrTo(id), MaxResults: ptrTo(int32(1)), NextToken: l.NextToken})
	if err != nil || len(l.DeveloperUserIdentifierList) != 1 || l.DeveloperUserIdentifierList[0] != "user-1b" {
		t.Errorf("lookup page 2: %+v, %v", l, err)
	}
	_, err = lookup(&cognitoidentity.LookupDeveloperIdentityInput{IdentityId: ptrTo(id), DeveloperUserIdentifier: ptrTo("user-2")})
	wantErr(t, err, "ResourceConflictException", "")
	_, err = lookup(&cognitoidentity.LookupDeveloperIdentityInput{DeveloperUserIdentifier: ptrTo("nobody")})
	wantErr(t, err, "ResourceNotFoundException", "")
	_, err = lookup(&cognitoidentity.LookupDeveloperIdentityInput{})
	wantErr(t, err, "InvalidParameterException", "")

	// Merge user-2's identity into user-1's.
	merge := func(src, dst, provider string) (*cognitoidentity.MergeDeveloperIdentitiesResponse, error) {
		return e.svc.MergeDeveloperIdentities(ctx, &cognitoidentity.MergeDeveloperIdentitiesInput{IdentityPoolId: ptrTo(poolID),
			SourceUserIdentifier: ptrTo(src), DestinationUserIdentifier: ptrTo(dst), DeveloperProviderName: ptrTo(provider)})
	}
	_, err = merge("user-2", "user-1", "other.provider")
	wantErr(t, err, "InvalidParameterException", "")
	_, err = merge("user-2", "nobody", devProvider)
	wantErr(t, err, "ResourceNotFoundException", "")
	mo, err := merge("user-2", "user-1", devProvider)
	if err != nil || *mo.IdentityId != id {
		t.Fatalf("merge = %+v, %v", mo, err)
	}
	l, _ = lookup(&cognitoidentity.LookupDeveloperIdentityInput{DeveloperUserIdentifier: ptrTo("user-2")})
	if *l.IdentityId != id || len(l.DeveloperUserIdentifierList) != 3 {
		t.Errorf("after merge: %+v", l)
	}
	wantErr(t, e.credentialsErr(*other.IdentityId, nil, ""), "NotAuthorizedException", "Access to Identity '"+*other.IdentityId+"' is forbidden.")
	// A source user not yet registered is linked to the destination.
	if mo, err := merge("user-3", "user-1", devProvider); err != nil || *mo.IdentityId != id {
		t.Errorf("merge of a new user: %+v, %v", mo, err)
	}
	if mo, err := merge("user-3", "user-1", devProvider); err != nil || *mo.IdentityId != id {
		t.Errorf("merge of one identity with itself: %+v, %v", mo, err)
	}
	// Two Google users cannot end on one identity.
	devToken(&cognitoidentity.GetOpenIdTokenForDeveloperIdentityInput{Logins: map[string]string{devProvider: "user-9", googleProvider: `{"sub":"g-9"}`}})
	_, err = merge("user-9", "user-1", devProvider)
	wantErr(t, err, "ResourceConflictException", "")

	// Unlink.
	unlinkDev := func(identityID, user, provider string) error {
		_, err := e.svc.UnlinkDeveloperIdentity(ctx, &cognitoidentity.UnlinkDeveloperIdentityInput{IdentityId: ptrTo(identityID),
			IdentityPoolId: ptrTo(poolID), DeveloperProviderName: ptrTo(provider), DeveloperUserIdentifier: ptrTo(user)})
		return err
	}
	wantErr(t, unlinkDev(id, "nobody", devProvider), "ResourceNotFoundException", "")
	wantErr(t, unlinkDev(id, "user-3", "x.y"), "InvalidParameterException", "")
	wantErr(t, unlinkDev(missingID, "user-3", devProvider), "ResourceNotFoundException", "Identity '"+missingID+"' not found.")
	if err := unlinkDev(id, "user-3", devProvider); err != nil {
		t.Fatal(err)
	}
	_, err = lookup(&cognitoidentity.LookupDeveloperIdentityInput{DeveloperUserIdentifier: ptrTo("user-3")})
	wantErr(t, err, "ResourceNotFoundException", "")
}
