package pools

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// settingsFrom copies the members a Create/UpdateUserPool request shares
// (by name) with UserPoolType into a new UserPoolType. Going through JSON
// makes a deep copy, so the stored document never shares memory with the
// request, and members added to the model later are carried along.
func settingsFrom(req any) (*cognitoidp.UserPoolType, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("pools: copying request: %w", err)
	}
	up := new(cognitoidp.UserPoolType)
	if err := json.Unmarshal(b, up); err != nil {
		return nil, fmt.Errorf("pools: copying request: %w", err)
	}
	// Members that are not settings, whatever the request held.
	up.Id, up.Name, up.Arn = nil, nil, nil
	up.UserPoolTags = nil
	up.SchemaAttributes = nil
	up.CreationDate, up.LastModifiedDate = nil, nil
	up.EstimatedNumberOfUsers = 0
	up.Domain, up.CustomDomain = nil, nil
	up.Status = nil
	return up, nil
}

// applyDefaults fills every setting the request left out with Cognito's
// default and checks the rules that span several settings. It serves both
// CreateUserPool and UpdateUserPool ("if you don't provide a value for an
// attribute, Amazon Cognito sets it to its default value"). UserPoolTier
// must already be set.
func applyDefaults(up *cognitoidp.UserPoolType) error {
	if up.Policies == nil {
		up.Policies = &cognitoidp.UserPoolPolicyType{}
	}
	pp := up.Policies.PasswordPolicy
	if pp == nil {
		pp = &cognitoidp.PasswordPolicyType{
			MinimumLength:    api.Ptr(int32(DefaultMinimumLength)),
			RequireUppercase: true,
			RequireLowercase: true,
			RequireNumbers:   true,
			RequireSymbols:   true,
		}
		up.Policies.PasswordPolicy = pp
	}
	if pp.MinimumLength == nil {
		pp.MinimumLength = api.Ptr(int32(defaultPolicyMinimumLength))
	}
	if up.AdminCreateUserConfig == nil {
		up.AdminCreateUserConfig = &cognitoidp.AdminCreateUserConfigType{}
	}
	// The temporary password's validity lives in two places: the legacy
	// AdminCreateUserConfig.UnusedAccountValidityDays mirrors
	// PasswordPolicy.TemporaryPasswordValidityDays; 0 means "not given".
	temp, unused := pp.TemporaryPasswordValidityDays, up.AdminCreateUserConfig.UnusedAccountValidityDays
	if temp != 0 && unused != 0 && temp != unused {
		return cognitoidp.NewInvalidParameterException(msgTempPasswordConflict)
	}
	if temp == 0 {
		temp = unused
	}
	if temp == 0 {
		temp = DefaultTemporaryPasswordValidityDays
	}
	pp.TemporaryPasswordValidityDays = temp
	up.AdminCreateUserConfig.UnusedAccountValidityDays = temp

	if up.Policies.SignInPolicy == nil || len(up.Policies.SignInPolicy.AllowedFirstAuthFactors) == 0 {
		up.Policies.SignInPolicy = &cognitoidp.SignInPolicyType{AllowedFirstAuthFactors: slices.Clone(defaultSignInFactors)}
	}

	if up.DeletionProtection == nil {
		up.DeletionProtection = api.Ptr(DefaultDeletionProtection)
	}
	if up.LambdaConfig == nil {
		up.LambdaConfig = &cognitoidp.LambdaConfigType{}
	}
	mirrorPreTokenGeneration(up.LambdaConfig)
	if up.MfaConfiguration == nil {
		up.MfaConfiguration = api.Ptr(DefaultMfaConfiguration)
	}

	// The legacy verification message members and the template mirror each
	// other: whichever was given fills the other.
	t := up.VerificationMessageTemplate
	if t == nil {
		t = &cognitoidp.VerificationMessageTemplateType{}
		up.VerificationMessageTemplate = t
	}
	mirror(&t.SmsMessage, &up.SmsVerificationMessage)
	mirror(&t.EmailMessage, &up.EmailVerificationMessage)
	mirror(&t.EmailSubject, &up.EmailVerificationSubject)
	if t.DefaultEmailOption == nil {
		t.DefaultEmailOption = api.Ptr(DefaultEmailOption)
	}

	if up.EmailConfiguration == nil {
		up.EmailConfiguration = &cognitoidp.EmailConfigurationType{}
	}
	if up.EmailConfiguration.EmailSendingAccount == nil {
		up.EmailConfiguration.EmailSendingAccount = api.Ptr(DefaultEmailSendingAccount)
	}

	if s := up.UserAttributeUpdateSettings; s != nil {
		for _, a := range s.AttributesRequireVerificationBeforeUpdate {
			if !slices.Contains(up.AutoVerifiedAttributes, a) {
				return cognitoidp.NewInvalidParameterException(msgVerifyBeforeUpdate)
			}
		}
	}

	if a := up.UserPoolAddOns; a != nil && a.AdvancedSecurityMode != nil &&
		*a.AdvancedSecurityMode != cognitoidp.AdvancedSecurityModeTypeOff &&
		api.Deref(up.UserPoolTier) != cognitoidp.UserPoolTierTypePlus {
		return cognitoidp.NewFeatureUnavailableInTierException(msgAddOnsNeedPlus)
	}

	if defaultAccountRecovery && up.AccountRecoverySetting == nil {
		up.AccountRecoverySetting = &cognitoidp.AccountRecoverySettingType{RecoveryMechanisms: legacyRecoveryMechanisms()}
	}
	return nil
}

// mirror makes *a and *b equal when only one of them is set.
func mirror(a, b **string) {
	switch {
	case *a == nil && *b != nil:
		*a = api.Ptr(**b)
	case *b == nil && *a != nil:
		*b = api.Ptr(**a)
	}
}

// mirrorPreTokenGeneration shows the pre token generation trigger in both
// its members, as DescribeUserPool does: the legacy PreTokenGeneration ARN
// and PreTokenGenerationConfig (V1_0 when only the legacy member was given).
// The versioned member wins when both are given (unverified).
func mirrorPreTokenGeneration(lc *cognitoidp.LambdaConfigType) {
	c := lc.PreTokenGenerationConfig
	switch {
	case c != nil && c.LambdaArn != nil && *c.LambdaArn != "":
		lc.PreTokenGeneration = api.Ptr(*c.LambdaArn)
		if c.LambdaVersion == nil {
			c.LambdaVersion = api.Ptr(cognitoidp.PreTokenGenerationLambdaVersionTypeV10)
		}
	case lc.PreTokenGeneration != nil && *lc.PreTokenGeneration != "":
		lc.PreTokenGenerationConfig = &cognitoidp.PreTokenGenerationVersionConfigType{
			LambdaArn:     api.Ptr(*lc.PreTokenGeneration),
			LambdaVersion: api.Ptr(cognitoidp.PreTokenGenerationLambdaVersionTypeV10),
		}
	}
}
