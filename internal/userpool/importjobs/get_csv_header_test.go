package importjobs

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// documentedHeader is the developer guide's sample GetCSVHeader response.
var documentedHeader = []string{
	"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
	"picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
	"phone_number", "phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username",
}

func TestGetCSVHeader(t *testing.T) {
	e := newEnv(t)
	out, err := e.svc.GetCSVHeader(e.ctx, &cognitoidp.GetCSVHeaderRequest{UserPoolId: api.Ptr(e.pool)})
	if err != nil {
		t.Fatal(err)
	}
	if *out.UserPoolId != e.pool {
		t.Errorf("UserPoolId = %s", *out.UserPoolId)
	}
	if diff := cmp.Diff(documentedHeader, out.CSVHeader); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}

	// Custom attributes follow the standard ones, before the cognito: columns.
	custom := e.newPool(t, &cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{
		{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber)},
		{Name: api.Ptr("team"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString)},
	}})
	want := append(append([]string(nil), documentedHeader[:19]...), "custom:tier", "custom:team", "cognito:mfa_enabled", "cognito:username")
	if diff := cmp.Diff(want, e.header(t, custom)); diff != "" {
		t.Errorf("header with custom attributes (-want +got):\n%s", diff)
	}

	_, err = e.svc.GetCSVHeader(e.ctx, &cognitoidp.GetCSVHeaderRequest{UserPoolId: api.Ptr("us-east-1_nothere00")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err = e.svc.GetCSVHeader(e.ctx, &cognitoidp.GetCSVHeaderRequest{})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null")
}
