package pools

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// richPool is a CreateUserPool request that sets nearly everything.
func richPool() *cognitoidp.CreateUserPoolRequest {
	return &cognitoidp.CreateUserPoolRequest{
		PoolName:           api.Ptr("rich"),
		DeletionProtection: api.Ptr(cognitoidp.DeletionProtectionTypeActive),
		Policies: &cognitoidp.UserPoolPolicyType{
			PasswordPolicy: &cognitoidp.PasswordPolicyType{MinimumLength: api.Ptr(int32(12)), RequireSymbols: true, TemporaryPasswordValidityDays: 2},
			SignInPolicy:   &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: []cognitoidp.AuthFactorType{"PASSWORD", "EMAIL_OTP"}},
		},
		LambdaConfig:           &cognitoidp.LambdaConfigType{PreSignUp: api.Ptr("arn:aws:lambda:us-east-1:123456789012:function:pre")},
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{"email"},
		UsernameAttributes:     []cognitoidp.UsernameAttributeType{"email"},
		UsernameConfiguration:  &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)},
		VerificationMessageTemplate: &cognitoidp.VerificationMessageTemplateType{
			DefaultEmailOption: api.Ptr(cognitoidp.DefaultEmailOptionTypeConfirmWithLink),
			EmailMessageByLink: api.Ptr("{##Verify##}"),
		},
		SmsAuthenticationMessage: api.Ptr("code {####}"),
		MfaConfiguration:         api.Ptr(cognitoidp.UserPoolMfaTypeOptional),
		DeviceConfiguration:      &cognitoidp.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true},
		EmailConfiguration: &cognitoidp.EmailConfigurationType{
			EmailSendingAccount: api.Ptr(cognitoidp.EmailSendingAccountTypeDeveloper),
			SourceArn:           api.Ptr("arn:aws:ses:us-east-1:123456789012:identity/me@example.com"),
		},
		AdminCreateUserConfig: &cognitoidp.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true},
		UserPoolAddOns:        &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeAudit)},
		AccountRecoverySetting: &cognitoidp.AccountRecoverySettingType{RecoveryMechanisms: []cognitoidp.RecoveryOptionType{
			{Name: api.Ptr(cognitoidp.RecoveryOptionNameTypeAdminOnly), Priority: api.Ptr(int32(1))},
		}},
		UserAttributeUpdateSettings: &cognitoidp.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []cognitoidp.VerifiedAttributeType{"email"}},
		UserPoolTier:                api.Ptr(cognitoidp.UserPoolTierTypePlus),
		Schema:                      []cognitoidp.SchemaAttributeType{{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString)}},
		UserPoolTags:                map[string]string{"team": "auth"},
	}
}

func TestUpdateUserPoolResetsOmittedSettings(t *testing.T) {
	e := newEnv(t, false)
	rich := e.create(t, richPool())
	id := *rich.Id
	e.clk.Advance(time.Hour)
	if _, err := e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{UserPoolId: &id}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	got := e.describe(t, id)

	// Expected: a pool created with defaults, but with what UpdateUserPool
	// cannot change (or keeps when omitted) carried over.
	want := e.describe(t, *e.create(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("rich")}).Id)
	want.Id, want.Arn, want.CreationDate = rich.Id, rich.Arn, rich.CreationDate
	want.LastModifiedDate = api.NewTime(t0.Add(time.Hour))
	want.SchemaAttributes = rich.SchemaAttributes
	want.UsernameAttributes = rich.UsernameAttributes
	want.UsernameConfiguration = rich.UsernameConfiguration
	want.UserPoolTier = rich.UserPoolTier
	want.UserPoolTags = map[string]string{"team": "auth"} // tags stay when UserPoolTags is omitted
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after an empty update (-want +got):\n%s", diff)
	}
	// Deletion protection was reset with the rest, so the pool can now be deleted.
	if _, err := e.svc.DeleteUserPool(e.ctx, &cognitoidp.DeleteUserPoolRequest{UserPoolId: &id}); err != nil {
		t.Errorf("DeleteUserPool after the reset: %v", err)
	}
}

func TestUpdateUserPoolSetsGivenSettings(t *testing.T) {
	e := newEnv(t, false)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("before"), UserPoolTags: map[string]string{"a": "1", "b": "2"}}).Id
	req := &cognitoidp.UpdateUserPoolRequest{
		UserPoolId:             &id,
		PoolName:               api.Ptr("after"),
		MfaConfiguration:       api.Ptr(cognitoidp.UserPoolMfaTypeOn),
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{"phone_number"},
		AdminCreateUserConfig:  &cognitoidp.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 9},
		UserPoolTier:           api.Ptr(cognitoidp.UserPoolTierTypeLite),
		UserPoolTags:           map[string]string{"b": "3", "c": "4"},
	}
	if _, err := e.svc.UpdateUserPool(e.ctx, req); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	up := e.describe(t, id)
	if *up.Name != "after" || *up.MfaConfiguration != cognitoidp.UserPoolMfaTypeOn ||
		!cmp.Equal(up.AutoVerifiedAttributes, req.AutoVerifiedAttributes) ||
		!up.AdminCreateUserConfig.AllowAdminCreateUserOnly || up.Policies.PasswordPolicy.TemporaryPasswordValidityDays != 9 ||
		*up.UserPoolTier != cognitoidp.UserPoolTierTypeLite ||
		!cmp.Equal(up.UserPoolTags, map[string]string{"b": "3", "c": "4"}) {
		t.Errorf("update not applied:\n%s", mustJSON(t, up))
	}
	list, err := e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(10))})
	if err != nil || len(list.UserPools) != 1 || *list.UserPools[0].Name != "after" {
		t.Errorf("ListUserPools after rename: %+v, %v", list, err)
	}
	// The stored document agrees with the record.
	rec, err := e.store.GetPool(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if doc, _ := Decode(rec); *doc.Name != "after" || rec.Name != "after" {
		t.Errorf("stored name: record %q, document %q", rec.Name, *doc.Name)
	}
}

func TestUpdateUserPoolErrors(t *testing.T) {
	e := newEnv(t, false)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{MfaConfiguration: api.Ptr(cognitoidp.UserPoolMfaTypeOptional)}).Id
	before := e.describe(t, id)

	_, err := e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{UserPoolId: api.Ptr("us-east-1_nothere00")})
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")

	_, err = e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{UserPoolId: &id,
		UserAttributeUpdateSettings: &cognitoidp.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []cognitoidp.VerifiedAttributeType{"email"}}})
	wantErr(t, err, "InvalidParameterException", msgVerifyBeforeUpdate)

	_, err = e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{UserPoolId: &id,
		UserPoolAddOns: &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeEnforced)}})
	wantErr(t, err, "FeatureUnavailableInTierException", msgAddOnsNeedPlus)

	_, err = e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null")

	if diff := cmp.Diff(before, e.describe(t, id)); diff != "" {
		t.Errorf("refused updates changed the pool:\n%s", diff)
	}
	// Upgrading to Plus in the same request allows threat protection.
	_, err = e.svc.UpdateUserPool(e.ctx, &cognitoidp.UpdateUserPoolRequest{UserPoolId: &id, UserPoolTier: api.Ptr(cognitoidp.UserPoolTierTypePlus),
		UserPoolAddOns: &cognitoidp.UserPoolAddOnsType{AdvancedSecurityMode: api.Ptr(cognitoidp.AdvancedSecurityModeTypeEnforced)}})
	if err != nil {
		t.Errorf("UpdateUserPool to Plus with threat protection: %v", err)
	}
}
