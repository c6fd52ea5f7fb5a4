package limits

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestEveryOperationIsMapped: each User Pools operation counts against a
// documented category or is deliberately exempt, never both, and the tables
// name no operation the API lacks.
func TestEveryOperationIsMapped(t *testing.T) {
	known := map[string]bool{}
	for _, op := range cognitoidp.OperationNames {
		known[op] = true
		c, mapped := operationCategories[op]
		reason, exempt := exemptOperations[op]
		switch {
		case mapped && exempt:
			t.Errorf("%s is both mapped (%s) and exempt (%s)", op, c, reason)
		case !mapped && !exempt:
			t.Errorf("%s is neither mapped to a category nor exempt", op)
		case mapped:
			if _, ok := categories[c]; !ok {
				t.Errorf("%s maps to unknown category %q", op, c)
			}
		case reason == "":
			t.Errorf("%s is exempt without a reason", op)
		}
	}
	for op := range operationCategories {
		if !known[op] {
			t.Errorf("operationCategories names %s, which the API does not have", op)
		}
	}
	for op := range exemptOperations {
		if !known[op] {
			t.Errorf("exemptOperations names %s, which the API does not have", op)
		}
	}
	for op := range challengeOperations {
		if operationCategories[op] != UserAuthentication {
			t.Errorf("challenge operation %s is not UserAuthentication", op)
		}
	}
	if len(cognitoidp.OperationNames) != 128 {
		t.Errorf("the API has %d operations; this table was checked against 128", len(cognitoidp.OperationNames))
	}
}

// TestDocumentedExamples pins the assignments the quota guide states.
func TestDocumentedExamples(t *testing.T) {
	for op, want := range map[string]Category{
		"InitiateAuth": UserAuthentication, "AdminInitiateAuth": UserAuthentication,
		"RespondToAuthChallenge": UserAuthentication, "AdminRespondToAuthChallenge": UserAuthentication,
		"SignUp": UserCreation, "ConfirmSignUp": UserCreation, "AdminCreateUser": UserCreation, "AdminConfirmSignUp": UserCreation,
		"ListUsers": UserList, "ListUsersInGroup": UserList,
	} {
		if got, ok := CategoryOf(op); !ok || got != want {
			t.Errorf("CategoryOf(%s) = %s, %v; want %s", op, got, ok, want)
		}
	}
	if _, ok := CategoryOf("GetProvisionedLimit"); ok {
		t.Error("GetProvisionedLimit has a category; it is exempt")
	}
}

// TestDefaultRates pins the documented default rates and per-pool rules.
func TestDefaultRates(t *testing.T) {
	want := map[Category]int32{
		UserAuthentication: 120, UserCreation: 50, UserFederation: 25, UserAccountRecovery: 30,
		UserRead: 120, UserUpdate: 25, UserToken: 120, UserResourceRead: 50, UserResourceUpdate: 25,
		UserList: 30, UserPoolRead: 15, UserPoolUpdate: 15, UserPoolResourceRead: 20,
		UserPoolResourceUpdate: 15, UserPoolClientRead: 15, UserPoolClientUpdate: 15, ClientAuthentication: 150,
	}
	if len(categories) != len(want) {
		t.Errorf("%d categories; want %d", len(categories), len(want))
	}
	for c, rate := range want {
		if categories[c].Free != rate {
			t.Errorf("%s default %d; want %d", c, categories[c].Free, rate)
		}
	}
	for c, info := range categories {
		perPool := c == UserPoolResourceRead || c == UserPoolResourceUpdate || c == UserPoolClientRead || c == UserPoolClientUpdate
		if info.PerPool != perPool {
			t.Errorf("%s PerPool = %v; want %v", c, info.PerPool, perPool)
		}
	}
}
