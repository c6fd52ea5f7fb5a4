package identitypool

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestListIdentityPools(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	out, err := e.svc.ListIdentityPools(ctx, &cognitoidentity.ListIdentityPoolsInput{MaxResults: ptrTo(int32(10))})
	if err != nil || out.IdentityPools == nil || len(out.IdentityPools) != 0 || out.NextToken != nil {
		t.Fatalf("empty ListIdentityPools = %+v, %v", out, err)
	}
	var want []string
	names := map[string]string{}
	for i := range 7 {
		p := e.create(t, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo(fmt.Sprint("pool", i))})
		want = append(want, *p.IdentityPoolId)
		names[*p.IdentityPoolId] = *p.IdentityPoolName
	}
	slices.Sort(want)
	var got []string
	var tok *string
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		out, err := e.svc.ListIdentityPools(ctx, &cognitoidentity.ListIdentityPoolsInput{MaxResults: ptrTo(int32(3)), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.IdentityPools) > 3 {
			t.Fatalf("page of %d", len(out.IdentityPools))
		}
		for _, p := range out.IdentityPools {
			got = append(got, *p.IdentityPoolId)
			if *p.IdentityPoolName != names[*p.IdentityPoolId] {
				t.Errorf("pool %s named %q", *p.IdentityPoolId, *p.IdentityPoolName)
			}
		}
		if out.NextToken == nil {
			break
		}
		tok = out.NextToken
	}
	if !slices.Equal(want, got) {
		t.Errorf("listed %v, want %v", got, want)
	}

	for _, tc := range []struct {
		name string
		in   *cognitoidentity.ListIdentityPoolsInput
		msg  string
	}{
		{"no MaxResults", &cognitoidentity.ListIdentityPoolsInput{},
			"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"},
		{"MaxResults 0", &cognitoidentity.ListIdentityPoolsInput{MaxResults: ptrTo(int32(0))},
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"MaxResults 61", &cognitoidentity.ListIdentityPoolsInput{MaxResults: ptrTo(int32(61))},
			"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"foreign token", &cognitoidentity.ListIdentityPoolsInput{MaxResults: ptrTo(int32(1)), NextToken: ptrTo("garbage")}, "Invalid NextToken."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.ListIdentityPools(ctx, tc.in)
			wantErr(t, err, "InvalidParameterException", tc.msg)
		})
	}
}
