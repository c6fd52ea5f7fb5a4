package pools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// These go through the generated operation table: JSON decoding, the model's
// validation and the handler, as the protocol layer calls them.

func TestRegisterFillsTheOperations(t *testing.T) {
	e := newEnv(t, false)
	ops := e.h.Service().Operations
	for _, name := range []string{"CreateUserPool", "DescribeUserPool", "UpdateUserPool", "DeleteUserPool", "ListUserPools",
		"AddCustomAttributes", "TagResource", "UntagResource", "ListTagsForResource", "GetSigningCertificate"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
}

func TestThroughTheOperationTable(t *testing.T) {
	e := newEnv(t, false)
	out, err := e.call("CreateUserPool", `{
		"PoolName": "table pool",
		"UsernameAttributes": ["email"],
		"Schema": [{"Name": "email", "Required": true}, {"Name": "tier", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "16"}}],
		"UserPoolTags": {"via": "table"}
	}`)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	up := out.(*cognitoidp.CreateUserPoolResponse).UserPool
	id := *up.Id

	out, err = e.call("DescribeUserPool", `{"UserPoolId":"`+id+`"}`)
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	b, _ := json.Marshal(out)
	for _, want := range []string{`"Name":"table pool"`, `"UsernameAttributes":["email"]`, `"UserPoolTags":{"via":"table"}`,
		`{"Name":"custom:tier","AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":true,"Required":false,"StringAttributeConstraints":{"MaxLength":"16"}}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("DescribeUserPool output lacks %s:\n%s", want, b)
		}
	}

	if _, err := e.call("AddCustomAttributes", `{"UserPoolId":"`+id+`","CustomAttributes":[{"Name":"plan","AttributeDataType":"Number"}]}`); err != nil {
		t.Fatalf("AddCustomAttributes: %v", err)
	}
	if _, err := e.call("UpdateUserPool", `{"UserPoolId":"`+id+`","DeletionProtection":"ACTIVE"}`); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	_, err = e.call("DeleteUserPool", `{"UserPoolId":"`+id+`"}`)
	wantErr(t, err, "InvalidParameterException", msgDeletionProtected)

	out, err = e.call("ListUserPools", `{"MaxResults": 60}`)
	if err != nil || len(out.(*cognitoidp.ListUserPoolsResponse).UserPools) != 1 {
		t.Fatalf("ListUserPools: %v, %v", out, err)
	}
	out, err = e.call("ListTagsForResource", `{"ResourceArn":"`+*up.Arn+`"}`)
	if err != nil || out.(*cognitoidp.ListTagsForResourceResponse).Tags["via"] != "table" {
		t.Fatalf("ListTagsForResource: %v, %v", out, err)
	}
	out, err = e.call("TagResource", `{"ResourceArn":"`+*up.Arn+`","Tags":{"b":"c"}}`)
	if err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if b, _ := json.Marshal(out); string(b) != "{}" {
		t.Errorf("TagResource output %s, want {}", b)
	}
}

func TestTableValidation(t *testing.T) {
	e := newEnv(t, false)
	cases := []struct{ op, body, code, msg string }{
		{"CreateUserPool", `{}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null"},
		{"CreateUserPool", `{"PoolName": 5}`, "SerializationException", ""},
		{"CreateUserPool", `{"PoolName":"p","MfaConfiguration":"SOMETIMES"}`, "InvalidParameterException",
			"1 validation error detected: Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"},
		{"CreateUserPool", `{"PoolName":"p","UsernameAttributes":["email"],"AliasAttributes":["email"]}`, "InvalidParameterException", msgUsernameAndAlias},
		{"CreateUserPool", `{"PoolName":"p","Schema":[{"Name":"c","AttributeDataType":"String","Required":true}]}`, "InvalidParameterException", msgRequiredCustom},
		{"DescribeUserPool", `{}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"DescribeUserPool", `{"UserPoolId":"us-east-1_nothere00"}`, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist."},
		{"ListUserPools", `{}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"},
		{"ListUserPools", `{"MaxResults":10,"NextToken":"nope"}`, "InvalidParameterException", msgInvalidNextToken},
		{"AddCustomAttributes", `{"UserPoolId":"us-east-1_nothere00","CustomAttributes":[]}`, "InvalidParameterException",
			"1 validation error detected: Value '' at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"TagResource", `{"ResourceArn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_nothere00","Tags":{"a":"b"}}`,
			"ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist."},
		{"GetSigningCertificate", `{"UserPoolId":"us-east-1_nothere00"}`, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist."},
	}
	for _, c := range cases {
		_, err := e.call(c.op, c.body)
		if c.msg == "" {
			wantErr(t, err, c.code, "")
			continue
		}
		wantErr(t, err, c.code, c.msg)
	}
}
