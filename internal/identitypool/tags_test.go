package identitypool

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
)

func TestTags(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := *e.create(t, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: ptrTo("t"), IdentityPoolTags: map[string]string{"a": "1"}}).IdentityPoolId
	arn := "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" + id
	list := func() map[string]string {
		t.Helper()
		out, err := e.svc.ListTagsForResource(ctx, &cognitoidentity.ListTagsForResourceInput{ResourceArn: ptrTo(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return out.Tags
	}
	if d := cmp.Diff(map[string]string{"a": "1"}, list()); d != "" {
		t.Errorf("tags (-want +got):\n%s", d)
	}
	if _, err := e.svc.TagResource(ctx, &cognitoidentity.TagResourceInput{ResourceArn: ptrTo(arn), Tags: map[string]string{"a": "2", "b": ""}}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"a": "2", "b": ""}, list()); d != "" {
		t.Errorf("tags after TagResource (-want +got):\n%s", d)
	}
	if _, err := e.svc.UntagResource(ctx, &cognitoidentity.UntagResourceInput{ResourceArn: ptrTo(arn), TagKeys: []string{"a", "nope"}}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"b": ""}, list()); d != "" {
		t.Errorf("tags after UntagResource (-want +got):\n%s", d)
	}
	if got := e.describe(t, id).IdentityPoolTags; !cmp.Equal(got, map[string]string{"b": ""}) {
		t.Errorf("DescribeIdentityPool tags %v", got)
	}
	if _, err := e.svc.UntagResource(ctx, &cognitoidentity.UntagResourceInput{ResourceArn: ptrTo(arn), TagKeys: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	if got := list(); got == nil || len(got) != 0 {
		t.Errorf("no tags listed as %#v, want {}", got)
	}

	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprint("k", i)] = "v"
	}
	if _, err := e.svc.TagResource(ctx, &cognitoidentity.TagResourceInput{ResourceArn: ptrTo(arn), Tags: many}); err != nil {
		t.Fatalf("50 tags: %v", err)
	}
	_, err := e.svc.TagResource(ctx, &cognitoidentity.TagResourceInput{ResourceArn: ptrTo(arn), Tags: map[string]string{"one-more": "v"}})
	wantErr(t, err, "InvalidParameterException", "An identity pool can have as many as 50 tags.")

	missingARN := "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" + missingID
	otherAccount := "arn:aws:cognito-identity:us-east-1:210987654321:identitypool/" + id
	for _, tc := range []struct {
		name, arn, code, msg string
	}{
		{"missing pool", missingARN, "ResourceNotFoundException", notFoundMsg(missingID)},
		{"other account", otherAccount, "ResourceNotFoundException", notFoundMsg(id)},
		{"user pool ARN", "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI", "InvalidParameterException",
			"Invalid ARN: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI"},
		{"bad pool id", "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/nope", "InvalidParameterException",
			"Invalid ARN: arn:aws:cognito-identity:us-east-1:123456789012:identitypool/nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.TagResource(ctx, &cognitoidentity.TagResourceInput{ResourceArn: ptrTo(tc.arn), Tags: map[string]string{"k": "v"}})
			wantErr(t, err, tc.code, tc.msg)
			_, err = e.svc.UntagResource(ctx, &cognitoidentity.UntagResourceInput{ResourceArn: ptrTo(tc.arn), TagKeys: []string{"k"}})
			wantErr(t, err, tc.code, tc.msg)
			_, err = e.svc.ListTagsForResource(ctx, &cognitoidentity.ListTagsForResourceInput{ResourceArn: ptrTo(tc.arn)})
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	_, err = e.svc.TagResource(ctx, &cognitoidentity.TagResourceInput{ResourceArn: ptrTo(arn)})
	wantErr(t, err, "InvalidParameterException",
		"1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
}
