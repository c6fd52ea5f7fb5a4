package pools

import (
	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// This file gathers the facts about Cognito that the package imitates: the
// defaults a new pool gets, the limits and the client-visible messages. Each
// one is marked with where it comes from. "(unverified)" means it rests on
// third-party reports, emulators or reasoning, not on AWS documentation or a
// recorded response of the live service; correct it here when better evidence
// turns up.

// Defaults of a pool created with nothing but a name.
const (
	// DefaultMinimumLength and the four Require* flags (all true) are the
	// password policy when the request has no PasswordPolicy (AWS CLI
	// create-user-pool example output; reference facts §5.6).
	DefaultMinimumLength = 8
	// DefaultTemporaryPasswordValidityDays is documented ("Defaults to 7");
	// 0 in a request means "use the default" (PasswordPolicyType docs).
	DefaultTemporaryPasswordValidityDays = 7
	// defaultPolicyMinimumLength is the MinimumLength stored when a request
	// has a PasswordPolicy without MinimumLength (unverified).
	defaultPolicyMinimumLength = DefaultMinimumLength

	// DefaultMfaConfiguration: "MfaConfiguration": "OFF" in every published
	// output of a pool created without it.
	DefaultMfaConfiguration = cognitoidp.UserPoolMfaTypeOff
	// DefaultDeletionProtection: pools created through the API are not
	// protected (the console protects them; the API does not).
	DefaultDeletionProtection = cognitoidp.DeletionProtectionTypeInactive
	// DefaultEmailSendingAccount: "EmailConfiguration": {"EmailSendingAccount":
	// "COGNITO_DEFAULT"} (observed in raw responses since 2019).
	DefaultEmailSendingAccount = cognitoidp.EmailSendingAccountTypeCognitoDefault
	// DefaultEmailOption: "VerificationMessageTemplate": {"DefaultEmailOption":
	// "CONFIRM_WITH_CODE"} for a new pool (observed in recent outputs).
	DefaultEmailOption = cognitoidp.DefaultEmailOptionTypeConfirmWithCode
	// DefaultUserPoolTier is documented: "Defaults to ESSENTIALS".
	DefaultUserPoolTier = cognitoidp.UserPoolTierTypeEssentials
)

// defaultSignInFactors is the SignInPolicy a new pool reports when the
// request has none: password sign-in only (unverified: reported by pools
// created since choice-based sign-in launched in November 2024).
var defaultSignInFactors = []cognitoidp.AuthFactorType{cognitoidp.AuthFactorTypePassword}

// legacyRecoveryMechanisms is how Cognito recovers accounts of a pool without
// AccountRecoverySetting: "SMS is preferred over email" (API docs). Only
// stored when defaultAccountRecovery is true.
func legacyRecoveryMechanisms() []cognitoidp.RecoveryOptionType {
	return []cognitoidp.RecoveryOptionType{
		{Priority: api.Ptr(int32(1)), Name: api.Ptr(cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber)},
		{Priority: api.Ptr(int32(2)), Name: api.Ptr(cognitoidp.RecoveryOptionNameTypeVerifiedEmail)},
	}
}

// Shape choices for details of DescribeUserPool output.
const (
	// defaultAccountRecovery: false means a pool created without
	// AccountRecoverySetting reports none, and Cognito uses "the legacy
	// behavior ... where SMS is preferred over email" (API docs; that the
	// member is then absent from the output is unverified). true stores
	// legacyRecoveryMechanisms instead.
	defaultAccountRecovery = false
	// describeShowsEmptyTags: DescribeUserPool shows "UserPoolTags": {} for a
	// pool without tags (seen in the AWS CLI describe-user-pool example;
	// unverified for current pools). CreateUserPool echoes only tags it was given.
	describeShowsEmptyTags = true
	// newPoolsHaveIdentitiesAttribute: a new pool's schema lists the 20
	// standard attributes; "identities" is added when the first identity
	// provider is created (Terraform provider notes; unverified).
	newPoolsHaveIdentitiesAttribute = false
)

// Limits.
const (
	// MaxCustomAttributes per pool (Cognito quotas: 50 custom attributes).
	MaxCustomAttributes = 50
	// MaxCustomAttributeNameLen is the length of a custom attribute's name
	// without its custom: prefix (quotas; the model's CustomAttributeNameType).
	MaxCustomAttributeNameLen = 20
	// MaxStringAttributeLength bounds String constraints (observed message below).
	MaxStringAttributeLength = 2048
	// MaxTagsPerPool: "A user pool can have as many as 50 tags." (TagResource docs).
	MaxTagsPerPool = 50
	// createIDAttempts bounds retries when a random pool id is already taken.
	createIDAttempts = 5
)

// Attribute name prefixes.
const (
	CustomPrefix    = "custom:"
	DeveloperPrefix = "dev:"
)

// Client-visible messages. Observed ones are quoted from real responses in
// public reports; the rest are marked (unverified).
const (
	// msgPoolNotFound is observed: "User pool us-east-1_xxx does not exist."
	msgPoolNotFound = "User pool %s does not exist."
	// msgDeletionProtected is observed (real DeleteUserPool output in public issues).
	msgDeletionProtected = "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first."
	// msgUsernameAndAlias (unverified wording; the rule is documented).
	msgUsernameAndAlias = "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
	// msgPreferredUsernameRequiredAlias (unverified wording; the rule is documented).
	msgPreferredUsernameRequiredAlias = "preferred_username cannot be both an alias and a required attribute."
	// msgInvalidDataType is observed.
	msgInvalidDataType = "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
	// msgRequiredCustom is observed (moto mirrors it; unverified).
	msgRequiredCustom = "Required custom attributes are not supported currently."
	// msgStandardChange (moto mirrors it; unverified).
	msgStandardChange = "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s"
	// msgAttributeExists is observed: "custom:name: Existing attribute already
	// has name custom:name." (requested name, existing name).
	msgAttributeExists = "%s: Existing attribute already has name %s."
	// msgInvalidConstraints (moto mirrors it; unverified): constraint type, attribute.
	msgInvalidConstraints = "Invalid %s for schema attribute %s"
	// msgStringTooLong, msgMinOverMaxLength, msgMinOverMaxValue (moto mirrors them; unverified).
	msgStringTooLong    = "user.%s: String attributes cannot have a length of more than 2048"
	msgMinOverMaxLength = "user.%s: Max length cannot be less than min length."
	msgMinOverMaxValue  = "user.%s: Max value cannot be less than min value."
	// msgAttributeNameMissing (unverified).
	msgAttributeNameMissing = "Schema attribute name is required."
	// msgTooManyCustomAttributes (unverified wording; the quota is documented).
	msgTooManyCustomAttributes = "A user pool can have at most 50 custom attributes."
	// msgTempPasswordConflict is observed (aws-sdk-js issue #3817).
	msgTempPasswordConflict = "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"
	// msgVerifyBeforeUpdate is observed (aws-nuke issue #477).
	msgVerifyBeforeUpdate = "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"
	// msgAddOnsNeedPlus (unverified wording; the rule is documented).
	msgAddOnsNeedPlus = "Threat protection requires the Plus feature plan."
	// msgInvalidNextToken (unverified).
	msgInvalidNextToken = "Invalid NextToken."
	// msgInvalidARN (unverified).
	msgInvalidARN = "Invalid ARN: %s"
	// msgTooManyTags (unverified wording; the limit is documented).
	msgTooManyTags = "A user pool can have as many as 50 tags."
	// msgConcurrentModification (unverified).
	msgConcurrentModification = "The user pool was modified concurrently. Retry the request."

	// The newest members (newest.go); every wording is unverified, the rules
	// they answer are documented unless marked.
	// msgKmsKeyRequired: CUSTOMER_MANAGED_KEY without KmsKeyArn.
	msgKmsKeyRequired = "KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY."
	// msgKmsKeyWithAWSOwned: AWS_OWNED_KEY with a KmsKeyArn (the rule is unverified).
	msgKmsKeyWithAWSOwned = "KmsKeyArn can only be set when KeyType is CUSTOMER_MANAGED_KEY."
	// msgKmsKeyArn: a KmsKeyArn that is not the ARN of a KMS key (%s the ARN).
	msgKmsKeyArn = "Invalid KmsKeyArn %s: it must be the ARN of an AWS KMS key."
	// msgKmsKeyRegion: a KMS key in another Region than the pool's (the rule
	// is unverified: KMS keys are regional).
	msgKmsKeyRegion = "The KMS key %s must be in the user pool's Region %s."
	// msgACRLevel: an AcrConfiguration key other than Level1–Level4.
	msgACRLevel = "Invalid ACR level %s. Valid levels are Level1, Level2, Level3 and Level4."
	// msgACRDuplicate: one name for two levels (name, first level, second level).
	msgACRDuplicate = "The ACR value %s is used for both %s and %s. Each ACR level must have a unique name."
	// msgFeatureTier: FeatureUnavailableInTierException (the tier, the
	// feature), in the wording observed for email MFA.
	msgFeatureTier = "The following feature is not available for the %s pricing tier configured: %s"
	// msgDCRDuplicateGrant, msgDCRDuplicateScope: a grant type or scope
	// listed twice in DcrConfiguration (the rule is unverified).
	msgDCRDuplicateGrant = "Duplicate grant type %s in DcrConfiguration."
	msgDCRDuplicateScope = "Duplicate scope %s in DcrConfiguration AllowedScopes."
	// msgSNSAndEums: SnsCallerArn and EumsSms together (documented: "either
	// ... or this configuration, but not both"); see refuseSNSWithEums.
	msgSNSAndEums = "Provide either SnsCallerArn or EumsSms in SmsConfiguration, but not both."
	// msgEumsRegion: an EumsSms Region other than the pool's (documented:
	// "Amazon Cognito rejects any other value with an InvalidParameterException").
	msgEumsRegion = "EumsSms Region %s must be the user pool's Region %s."
	// msgEumsOrigination: an OriginationIdentity that is neither an E.164
	// phone number nor an ARN (documented forms; the check is unverified).
	msgEumsOrigination = "Invalid OriginationIdentity %s: provide an E.164 phone number or the ARN of a phone number, sender ID or phone pool."
)

// The newest members (newest.go), and what Cogito does with them:
//   - KeyConfiguration (documented: the KMS key that encrypts the pool's
//     data): accepted, checked (a CUSTOMER_MANAGED_KEY names a KMS key ARN
//     in the pool's Region; an AWS_OWNED_KEY none; without KeyType the ARN
//     decides), stored and returned. Cogito calls no KMS: whatever the
//     setting, it seals private keys and secrets at rest with its own master
//     key (internal/keys). UpdateUserPool without it keeps the pool's key
//     (unverified; documented only that secondary Regions cannot change it).
//     A pool created without it shows none (unverified).
//   - AcrConfiguration: Level1–Level4 with names of 1–64 characters
//     ([\x21\x23-\x5B\x5D-\x7E]+), unique across the four levels with
//     the defaults urn:cognito:loa:1–4 (documented), custom names only on
//     Essentials or Plus (documented). Every pool shows the effective
//     configuration, all four levels (documented: "always returns the
//     effective configuration"). Cognito puts the acr claim in tokens only
//     when a sign-in asks for a target level (TARGET_ACR_VALUES in USER_AUTH,
//     acr_values at the authorize endpoint), which the sign-in and OAuth
//     families own; ACRValue and ACRLevel give them the pool's names.
//   - DcrConfiguration: stored as given with EnableStatus defaulting to
//     ENABLED (documented); grant types are OAuthFlowType values (implicit
//     accepted and ignored, documented), AllowedScopes ScopeType values (at
//     most 50, as an app client's; custom scopes are not checked against
//     the pool's resource servers, since the registration endpoint checks
//     what a client asks for). ENABLED needs Essentials or Plus
//     (documented). DCR gives the policy in effect to the registration
//     endpoint (/oauth2/register, the OAuth family's).
//   - SmsConfiguration.EumsSms (AWS End User Messaging SMS instead of SNS):
//     checked (CallerArn an ARN, Region the pool's, OriginationIdentity an
//     E.164 number or an ARN), stored and returned. Cogito sends SMS through
//     its own delivery (the outbox and the SMS webhook) whichever service
//     the pool names.

// refuseSNSWithEums refuses an SmsConfiguration with both SnsCallerArn and
// EumsSms, as documented. (The generator lets the JS SDK declarations, which
// made SnsCallerArn optional with EumsSms, win over the Smithy model's
// required trait, so EumsSms alone passes validation.)
const refuseSNSWithEums = true

// maxDCRScopes bounds DcrConfiguration.AllowedScopes (the model's
// ScopeListType, as for app clients; unverified for this member).
const maxDCRScopes = 50

// standardAttributes are the attributes every new pool's schema lists, in
// the order DescribeUserPool shows them (AWS CLI examples; boto3 issue
// #2516 raw output). All are String with 0–2048 characters unless noted.
var standardAttributes = []cognitoidp.SchemaAttributeType{
	stdString("sub", false, true, "1", "2048"),
	stdString("name", true, false, "0", "2048"),
	stdString("given_name", true, false, "0", "2048"),
	stdString("family_name", true, false, "0", "2048"),
	stdString("middle_name", true, false, "0", "2048"),
	stdString("nickname", true, false, "0", "2048"),
	stdString("preferred_username", true, false, "0", "2048"),
	stdString("profile", true, false, "0", "2048"),
	stdString("picture", true, false, "0", "2048"),
	stdString("website", true, false, "0", "2048"),
	stdString("email", true, false, "0", "2048"),
	stdBoolean("email_verified"),
	stdString("gender", true, false, "0", "2048"),
	stdString("birthdate", true, false, "10", "10"),
	stdString("zoneinfo", true, false, "0", "2048"),
	stdString("locale", true, false, "0", "2048"),
	stdString("phone_number", true, false, "0", "2048"),
	stdBoolean("phone_number_verified"),
	stdString("address", true, false, "0", "2048"),
	{
		Name:                       api.Ptr("updated_at"),
		AttributeDataType:          api.Ptr(cognitoidp.AttributeDataTypeNumber),
		DeveloperOnlyAttribute:     api.Ptr(false),
		Mutable:                    api.Ptr(true),
		Required:                   api.Ptr(false),
		NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MinValue: api.Ptr("0")},
	},
}

// identitiesAttribute is the attribute Cognito adds to a pool's schema for
// federated users' linked identities: a String with empty constraints
// (Terraform provider notes of API output).
var identitiesAttribute = cognitoidp.SchemaAttributeType{
	Name:                       api.Ptr("identities"),
	AttributeDataType:          api.Ptr(cognitoidp.AttributeDataTypeString),
	DeveloperOnlyAttribute:     api.Ptr(false),
	Mutable:                    api.Ptr(true),
	Required:                   api.Ptr(false),
	StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{},
}

func stdString(name string, mutable, required bool, minLen, maxLen string) cognitoidp.SchemaAttributeType {
	return cognitoidp.SchemaAttributeType{
		Name:                       api.Ptr(name),
		AttributeDataType:          api.Ptr(cognitoidp.AttributeDataTypeString),
		DeveloperOnlyAttribute:     api.Ptr(false),
		Mutable:                    api.Ptr(mutable),
		Required:                   api.Ptr(required),
		StringAttributeConstraints: &cognitoidp.StringAttributeConstraintsType{MinLength: api.Ptr(minLen), MaxLength: api.Ptr(maxLen)},
	}
}

func stdBoolean(name string) cognitoidp.SchemaAttributeType {
	return cognitoidp.SchemaAttributeType{
		Name:                   api.Ptr(name),
		AttributeDataType:      api.Ptr(cognitoidp.AttributeDataTypeBoolean),
		DeveloperOnlyAttribute: api.Ptr(false),
		Mutable:                api.Ptr(true),
		Required:               api.Ptr(false),
	}
}
