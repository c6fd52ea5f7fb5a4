package e2e

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// outcomes runs f(0..n-1) at once and counts the results by error code
// ("ok" for success).
func outcomes(n int, f func(i int) error) map[string]int {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		res = map[string]int{}
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := "ok"
			if err := f(i); err != nil {
				var ae smithy.APIError
				if errors.As(err, &ae) {
					code = ae.ErrorCode()
				} else {
					code = err.Error()
				}
			}
			mu.Lock()
			res[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return res
}

// Clients racing for one username or one verified alias: exactly one wins,
// the others get Cognito's error; updates of different attributes of one
// user all stick.
func testConcurrentWriters(t *testing.T, c *cogito) {
	needs(t, "SignUp", "AdminCreateUser", "AdminUpdateUserAttributes", "AdminGetUser", "DescribeUserPool")
	const n = 8
	pool, client := signUpPool(t, c, "race", &idp.CreateUserPoolInput{
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})

	got := outcomes(n, func(int) error {
		_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &client, Username: aws.String("same"), Password: aws.String("Passw0rd!")})
		return err
	})
	if got["ok"] != 1 || got["UsernameExistsException"] != n-1 {
		t.Errorf("%d concurrent sign-ups of one username: %v, want one ok and the rest UsernameExistsException", n, got)
	}

	got = outcomes(n, func(i int) error {
		_, err := c.IDP.AdminCreateUser(ctx(t), &idp.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String(fmt.Sprintf("racer%d", i)),
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrList("email", "same@example.com", "email_verified", "true")})
		return err
	})
	if got["ok"] != 1 || got["AliasExistsException"] != n-1 {
		t.Errorf("%d concurrent creates with one verified email alias: %v, want one ok and the rest AliasExistsException", n, got)
	}

	adminCreate(t, c, pool, "target")
	names := []string{"name", "given_name", "family_name", "middle_name", "nickname", "profile", "website", "locale"}
	got = outcomes(len(names), func(i int) error {
		_, err := c.IDP.AdminUpdateUserAttributes(ctx(t), &idp.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("target"),
			UserAttributes: attrList(names[i], "v"+names[i])})
		return err
	})
	if got["ok"] != len(names) {
		t.Errorf("concurrent updates of different attributes: %v, want all ok", got)
	}
	a := attrMap(t, getUser(t, c, pool, "target").UserAttributes)
	for _, name := range names {
		if a[name] != "v"+name {
			t.Errorf("after concurrent updates %s = %q, want %q (a lost update)", name, a[name], "v"+name)
		}
	}
	if d := describePool(t, c, pool); d.EstimatedNumberOfUsers != 3 {
		t.Errorf("EstimatedNumberOfUsers = %d, want 3", d.EstimatedNumberOfUsers)
	}
}
