package identitypool

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestGetId(t *testing.T) {
	e := newIdentityEnv(t)
	ctx := context.Background()
	closed := e.pool(t, false)
	open := e.pool(t, true)

	// Guests.
	_, err := e.svc.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(closed)})
	wantErr(t, err, "NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.")
	_, err = e.svc.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(closed), Logins: map[string]string{}})
	wantErr(t, err, "NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.")
	g1, g2 := e.getID(t, open, map[string]string{}), e.getID(t, open, nil)
	if g1 == g2 || len(g1) != len("us-east-1:")+36 || g1[:10] != "us-east-1:" {
		t.Errorf("guest ids %s, %s: want two new {region}:{uuid} ids", g1, g2)
	}

	// The same login gives the same identity; another provider's login links.
	alice := map[string]string{userPool: userToken("alice", nil)}
	a := e.getID(t, closed, alice)
	if again := e.getID(t, closed, alice); again != a {
		t.Errorf("same login: %s then %s", a, again)
	}
	// Amplify's key (the issuer without scheme) names the same provider.
	if again := e.getID(t, closed, map[string]string{"127.0.0.1:9229/us-east-1_AbCdEfGhI": userToken("alice", nil)}); again != a {
		t.Errorf("issuer-form provider name: %s, want %s", again, a)
	}
	both := e.getID(t, closed, map[string]string{userPool: userToken("alice", nil), googleProvider: `{"sub":"g-alice"}`})
	if both != a {
		t.Errorf("a second provider's login made identity %s; want it linked to %s", both, a)
	}
	if got := e.getID(t, closed, map[string]string{googleProvider: `{"sub":"g-alice"}`}); got != a {
		t.Errorf("the linked Google login alone gives %s; want %s", got, a)
	}
	d, err := e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(a)})
	if err != nil || len(d.Logins) != 2 || d.Logins[0] != googleProvider || d.Logins[1] != userPool {
		t.Errorf("DescribeIdentity = %+v, %v", d, err)
	}
	// The same login in another pool is another identity.
	if other := e.getID(t, open, alice); other == a {
		t.Error("two pools share an identity")
	}

	// Logins of two identities merge into the older one.
	bob := e.getID(t, closed, map[string]string{googleProvider: `{"sub":"g-bob"}`})
	e.clock.Advance(time.Second)
	carol := e.getID(t, closed, map[string]string{samlARN: `{"sub":"carol"}`})
	merged := e.getID(t, closed, map[string]string{googleProvider: `{"sub":"g-bob"}`, samlARN: `{"sub":"carol"}`})
	if merged != bob {
		t.Errorf("merge kept %s; want the older %s", merged, bob)
	}
	dc, _ := e.svc.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: ptrTo(carol)})
	if len(dc.Logins) != 0 {
		t.Errorf("merged-away identity still has logins %v", dc.Logins)
	}
	err = e.credentialsErr(carol, nil, "")
	wantErr(t, err, "NotAuthorizedException", "Access to Identity '"+carol+"' is forbidden.")
	// Two users of one provider cannot merge.
	_, err = e.svc.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(closed),
		Logins: map[string]string{userPool: userToken("alice", nil), googleProvider: `{"sub":"g-bob"}`}})
	wantErr(t, err, "ResourceConflictException", "")

	// Failures.
	_, err = e.svc.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(missingID)})
	wantErr(t, err, "ResourceNotFoundException", notFoundMsg(missingID))
	_, err = e.svc.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(closed), Logins: map[string]string{userPool: "bad token"}})
	wantErr(t, err, "NotAuthorizedException", "Invalid login token. Token expired: 1 >= 0")
	_, err = e.svc.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo("nope")})
	wantErr(t, err, "InvalidParameterException", "")
	// One bad login among good ones refuses the call and links nothing.
	_, err = e.svc.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(closed),
		Logins: map[string]string{googleProvider: `{"sub":"g-new"}`, userPool: "bad"}})
	wantErr(t, err, "NotAuthorizedException", "")
	if got := e.getID(t, closed, map[string]string{googleProvider: `{"sub":"g-new"}`}); got == a || got == bob {
		t.Error("a refused call linked its good login")
	}
}

// Concurrent first logins of one user end with one identity.
func TestGetIdConcurrent(t *testing.T) {
	e := newIdentityEnv(t)
	poolID := e.pool(t, false)
	ids := make(chan string, 8)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			out, err := e.svc.GetId(context.Background(), &cognitoidentity.GetIdInput{IdentityPoolId: ptrTo(poolID),
				Logins: map[string]string{userPool: userToken("racer", nil)}})
			if err != nil {
				errs <- err
				return
			}
			ids <- *out.IdentityId
		}()
	}
	seen := map[string]bool{}
	for range 8 {
		select {
		case id := <-ids:
			seen[id] = true
		case err := <-errs:
			t.Errorf("concurrent GetId: %v", err)
		}
	}
	if len(seen) != 1 {
		t.Errorf("concurrent GetId made %d identities: %v", len(seen), seen)
	}
}
