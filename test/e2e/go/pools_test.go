package e2e

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// createPool creates a pool named uniq(prefix) with in's other settings and
// deletes it when the test ends (ignoring errors: the test may have deleted
// it already).
func createPool(t *testing.T, c *cogito, prefix string, in *idp.CreateUserPoolInput) *types.UserPoolType {
	t.Helper()
	needs(t, "CreateUserPool", "DeleteUserPool")
	if in == nil {
		in = &idp.CreateUserPoolInput{}
	}
	in.PoolName = aws.String(uniq(prefix))
	out, err := c.IDP.CreateUserPool(ctx(t), in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	if out.UserPool == nil || out.UserPool.Id == nil {
		t.Fatalf("CreateUserPool returned no UserPool.Id: %+v", out)
	}
	id := *out.UserPool.Id
	t.Cleanup(func() {
		_, _ = c.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &id, DeletionProtection: types.DeletionProtectionTypeInactive})
		_, _ = c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id})
	})
	return out.UserPool
}

func describePool(t *testing.T, c *cogito, id string) *types.UserPoolType {
	t.Helper()
	out, err := c.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: &id})
	if err != nil {
		t.Fatalf("DescribeUserPool(%s): %v", id, err)
	}
	if out.UserPool == nil {
		t.Fatalf("DescribeUserPool(%s) returned no UserPool", id)
	}
	return out.UserPool
}

func asJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func schemaAttr(p *types.UserPoolType, name string) *types.SchemaAttributeType {
	for i := range p.SchemaAttributes {
		if aws.ToString(p.SchemaAttributes[i].Name) == name {
			return &p.SchemaAttributes[i]
		}
	}
	return nil
}

func testPoolLifecycle(t *testing.T, c *cogito) {
	needs(t, "DescribeUserPool", "UpdateUserPool", "ListUserPools")
	in := &idp.CreateUserPoolInput{
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength:                 aws.Int32(10),
			RequireUppercase:              true,
			RequireLowercase:              true,
			RequireNumbers:                false,
			RequireSymbols:                false,
			TemporaryPasswordValidityDays: 3,
		}},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		UsernameConfiguration:  &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		MfaConfiguration:       types.UserPoolMfaTypeOff,
		AdminCreateUserConfig:  &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}},
		Schema: []types.SchemaAttributeType{{
			Name:                       aws.String("tenant"),
			AttributeDataType:          types.AttributeDataTypeString,
			Mutable:                    aws.Bool(true),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")},
		}},
		UserPoolTags: map[string]string{"env": "e2e", "team": "cogito"},
	}
	created := createPool(t, c, "lifecycle", in)
	id := aws.ToString(created.Id)
	name := aws.ToString(created.Name)

	// What CreateUserPool echoes.
	if !poolIDPattern.MatchString(id) {
		t.Errorf("pool id %q does not match %s", id, poolIDPattern)
	}
	pp := created.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 10 || !pp.RequireUppercase || !pp.RequireLowercase || pp.RequireNumbers || pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 3 {
		t.Errorf("PasswordPolicy = %s", asJSON(t, pp))
	}
	if !slices.Equal(created.AutoVerifiedAttributes, in.AutoVerifiedAttributes) {
		t.Errorf("AutoVerifiedAttributes = %v", created.AutoVerifiedAttributes)
	}
	if !slices.Equal(created.UsernameAttributes, in.UsernameAttributes) {
		t.Errorf("UsernameAttributes = %v", created.UsernameAttributes)
	}
	if created.UsernameConfiguration == nil || aws.ToBool(created.UsernameConfiguration.CaseSensitive) {
		t.Errorf("UsernameConfiguration = %s, want CaseSensitive false", asJSON(t, created.UsernameConfiguration))
	}
	if created.AdminCreateUserConfig == nil || !created.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		t.Errorf("AdminCreateUserConfig = %s", asJSON(t, created.AdminCreateUserConfig))
	}
	if r := created.AccountRecoverySetting; r == nil || len(r.RecoveryMechanisms) != 1 || r.RecoveryMechanisms[0].Name != types.RecoveryOptionNameTypeVerifiedEmail {
		t.Errorf("AccountRecoverySetting = %s", asJSON(t, r))
	}
	if a := schemaAttr(created, "custom:tenant"); a == nil {
		t.Errorf("SchemaAttributes lack custom:tenant: %s", asJSON(t, created.SchemaAttributes))
	} else if a.AttributeDataType != types.AttributeDataTypeString || !aws.ToBool(a.Mutable) ||
		a.StringAttributeConstraints == nil || aws.ToString(a.StringAttributeConstraints.MaxLength) != "64" {
		t.Errorf("custom:tenant = %s", asJSON(t, a))
	}
	if created.UserPoolTags["env"] != "e2e" || created.UserPoolTags["team"] != "cogito" {
		t.Errorf("UserPoolTags = %v", created.UserPoolTags)
	}

	// DescribeUserPool shows the same pool.
	desc := describePool(t, c, id)
	if got, want := asJSON(t, desc), asJSON(t, created); got != want {
		t.Errorf("DescribeUserPool differs from the CreateUserPool response:\ndescribe: %s\ncreate: %s", got, want)
	}

	// UpdateUserPool replaces the settings it is given.
	time.Sleep(1100 * time.Millisecond) // so LastModifiedDate can move on a clock with second resolution
	_, err := c.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{
		UserPoolId: &id,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(12), RequireNumbers: true, TemporaryPasswordValidityDays: 5,
		}},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		MfaConfiguration:       types.UserPoolMfaTypeOff,
		AdminCreateUserConfig:  &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: false},
		UserPoolTags:           map[string]string{"env": "updated"},
	})
	if err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	upd := describePool(t, c, id)
	pp = upd.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 12 || !pp.RequireNumbers || pp.RequireUppercase || pp.TemporaryPasswordValidityDays != 5 {
		t.Errorf("after update PasswordPolicy = %s", asJSON(t, pp))
	}
	if upd.AdminCreateUserConfig == nil || upd.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		t.Errorf("after update AdminCreateUserConfig = %s", asJSON(t, upd.AdminCreateUserConfig))
	}
	if aws.ToString(upd.Name) != name {
		t.Errorf("after update Name = %q, want %q (UpdateUserPool without PoolName keeps it)", aws.ToString(upd.Name), name)
	}
	// Settings fixed at creation survive an update that does not mention them.
	if !slices.Equal(upd.UsernameAttributes, in.UsernameAttributes) {
		t.Errorf("after update UsernameAttributes = %v, want %v", upd.UsernameAttributes, in.UsernameAttributes)
	}
	if schemaAttr(upd, "custom:tenant") == nil {
		t.Errorf("after update custom:tenant is gone")
	}
	if upd.UserPoolTags["env"] != "updated" {
		t.Errorf("after update UserPoolTags = %v", upd.UserPoolTags)
	}
	if !aws.ToTime(upd.CreationDate).Equal(aws.ToTime(created.CreationDate)) {
		t.Errorf("CreationDate changed on update: %v -> %v", created.CreationDate, upd.CreationDate)
	}
	if !aws.ToTime(upd.LastModifiedDate).After(aws.ToTime(created.LastModifiedDate)) {
		t.Errorf("LastModifiedDate did not advance on update: %v -> %v", created.LastModifiedDate, upd.LastModifiedDate)
	}

	// Renaming is an update too.
	newName := uniq("renamed")
	if _, err := c.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &id, PoolName: &newName}); err != nil {
		t.Fatalf("UpdateUserPool(PoolName): %v", err)
	}
	if got := aws.ToString(describePool(t, c, id).Name); got != newName {
		t.Errorf("after rename Name = %q, want %q", got, newName)
	}

	// ListUserPools shows it.
	found := false
	p := idp.NewListUserPoolsPaginator(c.IDP, &idp.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListUserPools: %v", err)
		}
		for _, d := range page.UserPools {
			if aws.ToString(d.Id) == id {
				found = true
				if aws.ToString(d.Name) != newName || d.CreationDate == nil || d.LastModifiedDate == nil {
					t.Errorf("ListUserPools entry = %s", asJSON(t, d))
				}
			}
		}
	}
	if !found {
		t.Errorf("ListUserPools does not list %s", id)
	}

	// DeleteUserPool removes it.
	if _, err := c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	_, err = c.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: &id})
	wantClientError(t, err, "ResourceNotFoundException", id)
	_, err = c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testPoolDefaults(t *testing.T, c *cogito) {
	needs(t, "DescribeUserPool")
	created := createPool(t, c, "defaults", nil)
	id := aws.ToString(created.Id)
	for _, p := range []struct {
		name string
		pool *types.UserPoolType
	}{{"CreateUserPool", created}, {"DescribeUserPool", describePool(t, c, id)}} {
		t.Run(p.name, func(t *testing.T) {
			up := p.pool
			if !poolIDPattern.MatchString(id) || len(id) > 55 {
				t.Errorf("Id = %q, want %s (at most 55 chars)", id, poolIDPattern)
			}
			if want := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + id; aws.ToString(up.Arn) != want {
				t.Errorf("Arn = %q, want %q", aws.ToString(up.Arn), want)
			}
			if !near(up.CreationDate, 5*time.Minute) || !near(up.LastModifiedDate, 5*time.Minute) {
				t.Errorf("CreationDate %v / LastModifiedDate %v not near now", up.CreationDate, up.LastModifiedDate)
			}
			if up.Policies == nil || up.Policies.PasswordPolicy == nil {
				t.Fatalf("Policies.PasswordPolicy missing: %s", asJSON(t, up.Policies))
			}
			pp := up.Policies.PasswordPolicy
			if aws.ToInt32(pp.MinimumLength) != 8 || !pp.RequireUppercase || !pp.RequireLowercase || !pp.RequireNumbers || !pp.RequireSymbols {
				t.Errorf("default PasswordPolicy = %s, want length 8 and all four character classes", asJSON(t, pp))
			}
			if pp.TemporaryPasswordValidityDays != 7 {
				t.Errorf("default TemporaryPasswordValidityDays = %d, want 7", pp.TemporaryPasswordValidityDays)
			}
			if up.MfaConfiguration != types.UserPoolMfaTypeOff {
				t.Errorf("MfaConfiguration = %q, want OFF", up.MfaConfiguration)
			}
			if up.DeletionProtection != types.DeletionProtectionTypeInactive {
				t.Errorf("DeletionProtection = %q, want INACTIVE", up.DeletionProtection)
			}
			if up.EstimatedNumberOfUsers != 0 {
				t.Errorf("EstimatedNumberOfUsers = %d", up.EstimatedNumberOfUsers)
			}
			if up.AdminCreateUserConfig == nil || up.AdminCreateUserConfig.AllowAdminCreateUserOnly {
				t.Errorf("AdminCreateUserConfig = %s, want AllowAdminCreateUserOnly false", asJSON(t, up.AdminCreateUserConfig))
			}
			if v := up.VerificationMessageTemplate; v == nil || v.DefaultEmailOption != types.DefaultEmailOptionTypeConfirmWithCode {
				t.Errorf("VerificationMessageTemplate = %s, want DefaultEmailOption CONFIRM_WITH_CODE", asJSON(t, v))
			}
			if e := up.EmailConfiguration; e == nil || e.EmailSendingAccount != types.EmailSendingAccountTypeCognitoDefault {
				t.Errorf("EmailConfiguration = %s, want EmailSendingAccount COGNITO_DEFAULT", asJSON(t, e))
			}
			if len(up.UsernameAttributes) != 0 || len(up.AliasAttributes) != 0 || len(up.AutoVerifiedAttributes) != 0 {
				t.Errorf("UsernameAttributes %v AliasAttributes %v AutoVerifiedAttributes %v, want none",
					up.UsernameAttributes, up.AliasAttributes, up.AutoVerifiedAttributes)
			}
			if len(up.UserPoolTags) != 0 {
				t.Errorf("UserPoolTags = %v, want none", up.UserPoolTags)
			}
			// The standard attributes, with their types.
			for _, want := range []struct {
				name     string
				typ      types.AttributeDataType
				required bool
				mutable  bool
			}{
				{"sub", types.AttributeDataTypeString, true, false},
				{"name", types.AttributeDataTypeString, false, true},
				{"given_name", types.AttributeDataTypeString, false, true},
				{"family_name", types.AttributeDataTypeString, false, true},
				{"preferred_username", types.AttributeDataTypeString, false, true},
				{"email", types.AttributeDataTypeString, false, true},
				{"email_verified", types.AttributeDataTypeBoolean, false, true},
				{"phone_number", types.AttributeDataTypeString, false, true},
				{"phone_number_verified", types.AttributeDataTypeBoolean, false, true},
				{"birthdate", types.AttributeDataTypeString, false, true},
				{"updated_at", types.AttributeDataTypeNumber, false, true},
			} {
				a := schemaAttr(up, want.name)
				if a == nil {
					t.Errorf("SchemaAttributes lack %s", want.name)
					continue
				}
				if a.AttributeDataType != want.typ || aws.ToBool(a.Required) != want.required || aws.ToBool(a.Mutable) != want.mutable {
					t.Errorf("%s = %s, want type %s required %v mutable %v", want.name, asJSON(t, a), want.typ, want.required, want.mutable)
				}
			}
			for _, a := range up.SchemaAttributes {
				if n := aws.ToString(a.Name); len(n) > 7 && n[:7] == "custom:" {
					t.Errorf("unexpected custom attribute %s in a pool created without a schema", n)
				}
			}
		})
	}
}

// UpdateUserPool sets every setting it is not given back to its default.
func testUpdatePoolResetsOmitted(t *testing.T, c *cogito) {
	needs(t, "UpdateUserPool", "DescribeUserPool")
	created := createPool(t, c, "reset", &idp.CreateUserPoolInput{
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(20), TemporaryPasswordValidityDays: 2,
		}},
	})
	id := aws.ToString(created.Id)
	if _, err := c.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &id, MfaConfiguration: types.UserPoolMfaTypeOff}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	up := describePool(t, c, id)
	if len(up.AutoVerifiedAttributes) != 0 {
		t.Errorf("AutoVerifiedAttributes = %v after an update that omitted them, want none (the default)", up.AutoVerifiedAttributes)
	}
	if pp := up.Policies.PasswordPolicy; pp == nil || aws.ToInt32(pp.MinimumLength) != 8 || pp.TemporaryPasswordValidityDays != 7 {
		t.Errorf("PasswordPolicy = %s after an update that omitted it, want the default (8 characters, 7 days)", asJSON(t, up.Policies))
	}
}

func testListUserPoolsPaging(t *testing.T, c *cogito) {
	needs(t, "ListUserPools")
	want := map[string]bool{}
	for range 5 {
		want[aws.ToString(createPool(t, c, "paging", nil).Id)] = false
	}
	seen := map[string]int{}
	pages := 0
	p := idp.NewListUserPoolsPaginator(c.IDP, &idp.ListUserPoolsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListUserPools page %d: %v", pages+1, err)
		}
		pages++
		if len(page.UserPools) > 2 {
			t.Errorf("page %d has %d pools, MaxResults is 2", pages, len(page.UserPools))
		}
		for _, d := range page.UserPools {
			seen[aws.ToString(d.Id)]++
		}
		if pages > 10000 {
			t.Fatal("ListUserPools paging does not end")
		}
	}
	if pages < 3 {
		t.Errorf("%d pages for at least 5 pools at 2 per page", pages)
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("pool %s listed %d times, want once", id, seen[id])
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("pool %s listed %d times", id, n)
		}
	}
}

func testTags(t *testing.T, c *cogito) {
	needs(t, "TagResource", "UntagResource", "ListTagsForResource", "DescribeUserPool")
	up := createPool(t, c, "tags", &idp.CreateUserPoolInput{UserPoolTags: map[string]string{"created": "yes"}})
	arn := aws.ToString(up.Arn)
	if _, err := c.IDP.TagResource(ctx(t), &idp.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"a": "1", "b": "2"}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	list := func() map[string]string {
		t.Helper()
		out, err := c.IDP.ListTagsForResource(ctx(t), &idp.ListTagsForResourceInput{ResourceArn: &arn})
		if err != nil {
			t.Fatalf("ListTagsForResource: %v", err)
		}
		return out.Tags
	}
	if got := list(); len(got) != 3 || got["a"] != "1" || got["b"] != "2" || got["created"] != "yes" {
		t.Errorf("tags = %v, want created, a, b", got)
	}
	// Tagging an existing key overwrites its value.
	if _, err := c.IDP.TagResource(ctx(t), &idp.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"b": "3"}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := c.IDP.UntagResource(ctx(t), &idp.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"a", "created"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	if got := list(); len(got) != 1 || got["b"] != "3" {
		t.Errorf("tags = %v, want only b=3", got)
	}
	// The pool's UserPoolTags are the same tags.
	if got := describePool(t, c, aws.ToString(up.Id)).UserPoolTags; len(got) != 1 || got["b"] != "3" {
		t.Errorf("DescribeUserPool UserPoolTags = %v, want only b=3", got)
	}

	missing := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_NoSuchPool1"
	_, err := c.IDP.TagResource(ctx(t), &idp.TagResourceInput{ResourceArn: &missing, Tags: map[string]string{"a": "1"}})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.ListTagsForResource(ctx(t), &idp.ListTagsForResourceInput{ResourceArn: &missing})
	wantClientError(t, err, "ResourceNotFoundException")
}

func testDeletionProtection(t *testing.T, c *cogito) {
	needs(t, "UpdateUserPool", "DescribeUserPool")
	up := createPool(t, c, "protected", &idp.CreateUserPoolInput{DeletionProtection: types.DeletionProtectionTypeActive})
	id := aws.ToString(up.Id)
	if up.DeletionProtection != types.DeletionProtectionTypeActive {
		t.Errorf("DeletionProtection = %q, want ACTIVE", up.DeletionProtection)
	}
	_, err := c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id})
	wantClientError(t, err, "InvalidParameterException", "deletion protection")
	describePool(t, c, id) // still there
	if _, err := c.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &id, DeletionProtection: types.DeletionProtectionTypeInactive}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	if _, err := c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &id}); err != nil {
		t.Fatalf("DeleteUserPool after lifting protection: %v", err)
	}
}

func testAddCustomAttributes(t *testing.T, c *cogito) {
	needs(t, "AddCustomAttributes", "DescribeUserPool")
	up := createPool(t, c, "custom", nil)
	id := aws.ToString(up.Id)
	_, err := c.IDP.AddCustomAttributes(ctx(t), &idp.AddCustomAttributesInput{UserPoolId: &id, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
		{Name: aws.String("age"), AttributeDataType: types.AttributeDataTypeNumber,
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("150")}},
	}})
	if err != nil {
		t.Fatalf("AddCustomAttributes: %v", err)
	}
	d := describePool(t, c, id)
	if a := schemaAttr(d, "custom:plan"); a == nil || a.AttributeDataType != types.AttributeDataTypeString {
		t.Errorf("custom:plan = %s", asJSON(t, a))
	}
	if a := schemaAttr(d, "custom:age"); a == nil || a.AttributeDataType != types.AttributeDataTypeNumber ||
		a.NumberAttributeConstraints == nil || aws.ToString(a.NumberAttributeConstraints.MaxValue) != "150" {
		t.Errorf("custom:age = %s", asJSON(t, a))
	}
	// A custom attribute cannot be added twice.
	_, err = c.IDP.AddCustomAttributes(ctx(t), &idp.AddCustomAttributesInput{UserPoolId: &id, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
	}})
	wantClientError(t, err, "InvalidParameterException")
	missing := "us-east-1_NoSuchPool2"
	_, err = c.IDP.AddCustomAttributes(ctx(t), &idp.AddCustomAttributesInput{UserPoolId: &missing, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString},
	}})
	wantClientError(t, err, "ResourceNotFoundException")
}
