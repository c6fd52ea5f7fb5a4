package pools

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func (e *env) listTags(t *testing.T, arn string) map[string]string {
	t.Helper()
	out, err := e.svc.ListTagsForResource(e.ctx, &cognitoidp.ListTagsForResourceRequest{ResourceArn: &arn})
	if err != nil {
		t.Fatalf("ListTagsForResource: %v", err)
	}
	return out.Tags
}

func TestTags(t *testing.T) {
	e := newEnv(t, false)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{UserPoolTags: map[string]string{"env": "dev", "team": "auth"}})
	arn := *up.Arn
	if got := e.listTags(t, arn); !cmp.Equal(got, map[string]string{"env": "dev", "team": "auth"}) {
		t.Errorf("tags from CreateUserPool: %v", got)
	}
	if _, err := e.svc.TagResource(e.ctx, &cognitoidp.TagResourceRequest{ResourceArn: &arn, Tags: map[string]string{"env": "prod", "cost": "42"}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := e.svc.UntagResource(e.ctx, &cognitoidp.UntagResourceRequest{ResourceArn: &arn, TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	want := map[string]string{"env": "prod", "cost": "42"}
	if got := e.listTags(t, arn); !cmp.Equal(got, want) {
		t.Errorf("tags = %v, want %v", got, want)
	}
	if got := e.describe(t, *up.Id).UserPoolTags; !cmp.Equal(got, want) {
		t.Errorf("DescribeUserPool UserPoolTags = %v, want %v", got, want)
	}

	// No tags: an empty map, not null.
	bare := e.create(t, &cognitoidp.CreateUserPoolRequest{})
	if got := e.listTags(t, *bare.Arn); got == nil || len(got) != 0 {
		t.Errorf("tags of an untagged pool: %#v", got)
	}
	out, _ := e.svc.ListTagsForResource(e.ctx, &cognitoidp.ListTagsForResourceRequest{ResourceArn: bare.Arn})
	if got := mustJSON(t, out); got != "{\n  \"Tags\": {}\n}" {
		t.Errorf("ListTagsForResource JSON = %s", got)
	}
}

func TestTagsErrors(t *testing.T) {
	e := newEnv(t, false)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{})
	id := *up.Id
	missing := "us-east-1_nothere00"
	cases := []struct{ arn, code, msg string }{
		{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + missing, "ResourceNotFoundException", "User pool " + missing + " does not exist."},
		{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/" + id, "ResourceNotFoundException", "User pool " + id + " does not exist."},
		{"arn:aws:cognito-idp:us-east-1:999999999999:userpool/" + id, "ResourceNotFoundException", "User pool " + id + " does not exist."},
		{"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:0d7a4b5e-1111-2222-3333-444455556666", "InvalidParameterException", ""},
		{"arn:aws:cognito-idp:us-east-1:123456789012:userpoolclient/" + id, "InvalidParameterException", ""},
		{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/not a pool", "InvalidParameterException", ""},
		{"not-an-arn-but-long-enough", "InvalidParameterException", ""},
	}
	for _, c := range cases {
		_, err := e.svc.ListTagsForResource(e.ctx, &cognitoidp.ListTagsForResourceRequest{ResourceArn: api.Ptr(c.arn)})
		wantErr(t, err, c.code, c.msg)
		_, err = e.svc.TagResource(e.ctx, &cognitoidp.TagResourceRequest{ResourceArn: api.Ptr(c.arn), Tags: map[string]string{"a": "b"}})
		wantErr(t, err, c.code, c.msg)
		_, err = e.svc.UntagResource(e.ctx, &cognitoidp.UntagResourceRequest{ResourceArn: api.Ptr(c.arn), TagKeys: []string{"a"}})
		wantErr(t, err, c.code, c.msg)
	}
	_, err := e.svc.ListTagsForResource(e.ctx, &cognitoidp.ListTagsForResourceRequest{ResourceArn: api.Ptr("arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + missing)})
	wantErr(t, err, "ResourceNotFoundException", "")

	// At most 50 tags; overwriting existing keys does not count.
	tags := map[string]string{}
	for i := range 50 {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	if _, err := e.svc.TagResource(e.ctx, &cognitoidp.TagResourceRequest{ResourceArn: up.Arn, Tags: tags}); err != nil {
		t.Fatalf("50 tags: %v", err)
	}
	if _, err := e.svc.TagResource(e.ctx, &cognitoidp.TagResourceRequest{ResourceArn: up.Arn, Tags: map[string]string{"k00": "w"}}); err != nil {
		t.Errorf("overwriting a tag at the limit: %v", err)
	}
	_, err = e.svc.TagResource(e.ctx, &cognitoidp.TagResourceRequest{ResourceArn: up.Arn, Tags: map[string]string{"k50": "v"}})
	wantErr(t, err, "InvalidParameterException", msgTooManyTags)
	if n := len(e.listTags(t, *up.Arn)); n != 50 {
		t.Errorf("%d tags after the refused request, want 50", n)
	}
}

func TestARNPartitions(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1":     "arn:aws:cognito-idp:us-east-1:1:userpool/p",
		"cn-north-1":    "arn:aws-cn:cognito-idp:cn-north-1:1:userpool/p",
		"us-gov-west-1": "arn:aws-us-gov:cognito-idp:us-gov-west-1:1:userpool/p",
	} {
		if got := ARN(region, "1", "p"); got != want {
			t.Errorf("ARN(%s) = %s, want %s", region, got, want)
		}
	}
}
