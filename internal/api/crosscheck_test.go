package api_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
)

// modelsDir is ../shared/aws-models beside the repository.
func modelsDir(t *testing.T) string {
	dir := filepath.Join("..", "..", "..", "shared", "aws-models")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("models not found at %s", dir)
		}
		t.Skipf("models not found at %s", dir)
	}
	return dir
}

type botocore struct {
	Operations map[string]struct {
		AuthType string `json:"authtype"`
		Auth     []string
	} `json:"operations"`
	Metadata struct {
		TargetPrefix string `json:"targetPrefix"`
		SigningName  string `json:"endpointPrefix"`
	} `json:"metadata"`
}

// The generated operation tables must list exactly botocore's operations
// (plus the six newest User Pools operations botocore 1.43.11 predates), with
// the same unsigned/signed split.
func TestOperationsMatchBotocore(t *testing.T) {
	dir := modelsDir(t)
	newest := map[string]bool{"CreateUserPoolReplica": true, "DeleteUserPoolReplica": true, "ListUserPoolReplicas": true,
		"UpdateUserPoolReplica": true, "GetProvisionedLimit": true, "UpdateProvisionedLimit": true}
	for _, tc := range []struct {
		file, prefix, signing string
		names                 []string
		auth                  map[string]api.Auth
		want                  int
	}{
		{"cognito-idp.botocore.json", cognitoidp.TargetPrefix, cognitoidp.SigningName, cognitoidp.OperationNames, cognitoidp.OperationAuth, 128},
		{"cognito-identity.botocore.json", cognitoidentity.TargetPrefix, cognitoidentity.SigningName, cognitoidentity.OperationNames, cognitoidentity.OperationAuth, 23},
	} {
		b, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		var m botocore
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m.Metadata.TargetPrefix != tc.prefix || m.Metadata.SigningName != tc.signing {
			t.Errorf("%s: prefix/signing %q/%q, generated %q/%q", tc.file, m.Metadata.TargetPrefix, m.Metadata.SigningName, tc.prefix, tc.signing)
		}
		if len(tc.names) != tc.want {
			t.Errorf("%s: %d generated operations, want %d", tc.file, len(tc.names), tc.want)
		}
		if !sort.StringsAreSorted(tc.names) {
			t.Errorf("%s: operation names not sorted", tc.file)
		}
		gen := map[string]bool{}
		for _, n := range tc.names {
			gen[n] = true
			op, ok := m.Operations[n]
			if !ok {
				if !newest[n] {
					t.Errorf("%s: generated operation %s not in botocore", tc.file, n)
				}
				if tc.auth[n] != api.AuthSigV4 {
					t.Errorf("%s: newest operation %s should be SigV4", tc.file, n)
				}
				continue
			}
			unsigned := op.AuthType == "none"
			if unsigned != (tc.auth[n] != api.AuthSigV4) {
				t.Errorf("%s: %s unsigned=%v in botocore, generated auth %v", tc.file, n, unsigned, tc.auth[n])
			}
		}
		for n := range m.Operations {
			if !gen[n] {
				t.Errorf("%s: botocore operation %s not generated", tc.file, n)
			}
		}
	}
}

// Every operation is routed: the table has an entry per name, and an
// operation without a handler fails honestly instead of answering success.
func TestTableRoutesEveryOperation(t *testing.T) {
	for _, svc := range []struct {
		s     *api.Service
		names []string
	}{
		{(&cognitoidp.Handlers{}).Service(), cognitoidp.OperationNames},
		{(&cognitoidentity.Handlers{}).Service(), cognitoidentity.OperationNames},
	} {
		for _, n := range svc.names {
			op, ok := svc.s.Operations[n]
			if !ok {
				t.Fatalf("%s missing from table", n)
			}
			if op.Implemented {
				t.Errorf("%s implemented on empty Handlers", n)
			}
			_, err := op.Call(t.Context(), []byte(`{}`))
			if e, ok := awserr.As(err); !ok || (e.Code != "NotImplementedException" && e.Code != awserr.CodeInvalidParameter) {
				t.Errorf("%s: unimplemented operation answered %v", n, err)
			}
		}
	}
}

func TestValidationMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   interface{ Validate() error }
		want string
	}{
		{"required", &cognitoidp.DescribeUserPoolRequest{}, "InvalidParameterException: 1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"pattern", &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr("bad id")}, "InvalidParameterException: 1 validation error detected: Value 'bad id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"two", &cognitoidp.DescribeUserPoolClientRequest{}, "InvalidParameterException: 2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"range", &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr[int32](0)}, "InvalidParameterException: 1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"sensitive", &cognitoidp.AdminGetUserRequest{UserPoolId: api.Ptr("us-east-1_abc"), Username: api.Ptr("")}, "InvalidParameterException: 2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"},
		{"enum", &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("p"), MfaConfiguration: api.Ptr(cognitoidp.UserPoolMfaType("MAYBE"))}, "InvalidParameterException: 1 validation error detected: Value 'MAYBE' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"},
		{"nested list", &cognitoidp.AdminCreateUserRequest{UserPoolId: api.Ptr("us-east-1_abc"), Username: api.Ptr("u"), UserAttributes: []cognitoidp.AttributeType{{}}}, "InvalidParameterException: 1 validation error detected: Value null at 'userAttributes.1.member.name' failed to satisfy constraint: Member must not be null"},
		{"ok", &cognitoidp.DescribeUserPoolRequest{UserPoolId: api.Ptr("us-east-1_abc")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// Passwords follow the live service's pattern: inner spaces are allowed, and
// the message prints the pattern with its anchors.
func TestPasswordPattern(t *testing.T) {
	ok := &cognitoidp.SignUpRequest{ClientId: api.Ptr("abc"), Username: api.Ptr("u"), Password: api.Ptr("Pass word1!")}
	if err := ok.Validate(); err != nil {
		t.Fatalf("inner space refused: %v", err)
	}
	bad := &cognitoidp.SignUpRequest{ClientId: api.Ptr("abc"), Username: api.Ptr("u"), Password: api.Ptr(" Password1!")}
	want := "InvalidParameterException: 1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$"
	if err := bad.Validate(); err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// Clone is a deep copy: equal JSON, and changes to the copy never reach the original.
func TestCloneIsDeep(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "userpool", "pools", "testdata", "new_pool.describe.json"))
	if err != nil {
		t.Fatal(err)
	}
	orig := new(cognitoidp.UserPoolType)
	if err := json.Unmarshal(b, orig); err != nil {
		t.Fatal(err)
	}
	orig.UserPoolTags = map[string]string{"a": "b"}
	before, _ := json.Marshal(orig)
	c := orig.Clone()
	after, _ := json.Marshal(c)
	if string(before) != string(after) {
		t.Fatal("clone differs")
	}
	*c.SchemaAttributes[0].Name = "changed"
	c.SchemaAttributes = append(c.SchemaAttributes, cognitoidp.SchemaAttributeType{})
	c.UserPoolTags["a"] = "z"
	c.Policies.PasswordPolicy.MinimumLength = api.Ptr[int32](99)
	if again, _ := json.Marshal(orig); string(again) != string(before) {
		t.Fatal("mutating the clone changed the original")
	}
	if (*cognitoidp.UserPoolType)(nil).Clone() != nil {
		t.Fatal("nil clone")
	}
}
