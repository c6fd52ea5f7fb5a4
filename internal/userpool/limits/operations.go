package limits

// operationCategories assigns every rate-limited User Pools operation to its
// category. The documented examples: UserAuthentication (InitiateAuth,
// AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge),
// UserCreation (SignUp, ConfirmSignUp, AdminCreateUser, AdminConfirmSignUp),
// UserList (ListUsers, ListUsersInGroup); the rest follow the categories'
// descriptions (unverified). A test checks that every operation of the API is
// here or in exemptOperations.
var operationCategories = map[string]Category{
	// Sign-in (and token refresh, unverified).
	"InitiateAuth":                UserAuthentication,
	"AdminInitiateAuth":           UserAuthentication,
	"RespondToAuthChallenge":      UserAuthentication,
	"AdminRespondToAuthChallenge": UserAuthentication,
	"GetTokensFromRefreshToken":   UserAuthentication,

	// Creating and confirming users.
	"SignUp":             UserCreation,
	"ConfirmSignUp":      UserCreation,
	"AdminCreateUser":    UserCreation,
	"AdminConfirmSignUp": UserCreation,

	// Recovering an account, changing or setting a password.
	"ForgotPassword":         UserAccountRecovery,
	"ConfirmForgotPassword":  UserAccountRecovery,
	"ChangePassword":         UserAccountRecovery,
	"AdminResetUserPassword": UserAccountRecovery,
	"AdminSetUserPassword":   UserAccountRecovery,

	// Reading a user.
	"GetUser":                 UserRead,
	"AdminGetUser":            UserRead,
	"GetUserAuthFactors":      UserRead,
	"AdminListUserAuthEvents": UserRead,

	// Managing users and their attributes and settings.
	"AdminDeleteUser":                  UserUpdate,
	"AdminDeleteUserAttributes":        UserUpdate,
	"AdminDisableProviderForUser":      UserUpdate,
	"AdminDisableUser":                 UserUpdate,
	"AdminEnableUser":                  UserUpdate,
	"AdminLinkProviderForUser":         UserUpdate,
	"AdminSetUserMFAPreference":        UserUpdate,
	"AdminSetUserSettings":             UserUpdate,
	"AdminUpdateAuthEventFeedback":     UserUpdate,
	"AdminUpdateUserAttributes":        UserUpdate,
	"AssociateSoftwareToken":           UserUpdate,
	"CompleteWebAuthnRegistration":     UserUpdate,
	"DeleteUser":                       UserUpdate,
	"DeleteUserAttributes":             UserUpdate,
	"DeleteWebAuthnCredential":         UserUpdate,
	"GetUserAttributeVerificationCode": UserUpdate,
	"ResendConfirmationCode":           UserUpdate,
	"SetUserMFAPreference":             UserUpdate,
	"SetUserSettings":                  UserUpdate,
	"StartWebAuthnRegistration":        UserUpdate,
	"UpdateAuthEventFeedback":          UserUpdate,
	"UpdateUserAttributes":             UserUpdate,
	"VerifySoftwareToken":              UserUpdate,
	"VerifyUserAttribute":              UserUpdate,

	// Tokens.
	"RevokeToken":            UserToken,
	"GlobalSignOut":          UserToken,
	"AdminUserGlobalSignOut": UserToken,

	// A user's devices, group memberships and passkeys.
	"AdminGetDevice":          UserResourceRead,
	"AdminListDevices":        UserResourceRead,
	"AdminListGroupsForUser":  UserResourceRead,
	"GetDevice":               UserResourceRead,
	"ListDevices":             UserResourceRead,
	"ListWebAuthnCredentials": UserResourceRead,

	"AdminAddUserToGroup":      UserResourceUpdate,
	"AdminForgetDevice":        UserResourceUpdate,
	"AdminRemoveUserFromGroup": UserResourceUpdate,
	"AdminUpdateDeviceStatus":  UserResourceUpdate,
	"ConfirmDevice":            UserResourceUpdate,
	"ForgetDevice":             UserResourceUpdate,
	"UpdateDeviceStatus":       UserResourceUpdate,

	// Listing users.
	"ListUsers":        UserList,
	"ListUsersInGroup": UserList,

	// User pools.
	"DescribeUserPool":            UserPoolRead,
	"ListUserPools":               UserPoolRead,
	"GetUserPoolMfaConfig":        UserPoolRead,
	"GetLogDeliveryConfiguration": UserPoolRead,
	"ListUserPoolReplicas":        UserPoolRead,

	"CreateUserPool":              UserPoolUpdate,
	"UpdateUserPool":              UserPoolUpdate,
	"DeleteUserPool":              UserPoolUpdate,
	"AddCustomAttributes":         UserPoolUpdate,
	"SetUserPoolMfaConfig":        UserPoolUpdate,
	"SetLogDeliveryConfiguration": UserPoolUpdate,
	"CreateUserPoolReplica":       UserPoolUpdate,
	"UpdateUserPoolReplica":       UserPoolUpdate,
	"DeleteUserPoolReplica":       UserPoolUpdate,

	// Resources of a pool: groups, identity providers, resource servers,
	// domains, branding, terms, import jobs, threat protection, tags.
	"DescribeIdentityProvider":             UserPoolResourceRead,
	"DescribeManagedLoginBranding":         UserPoolResourceRead,
	"DescribeManagedLoginBrandingByClient": UserPoolResourceRead,
	"DescribeResourceServer":               UserPoolResourceRead,
	"DescribeRiskConfiguration":            UserPoolResourceRead,
	"DescribeTerms":                        UserPoolResourceRead,
	"DescribeUserImportJob":                UserPoolResourceRead,
	"DescribeUserPoolDomain":               UserPoolResourceRead,
	"GetCSVHeader":                         UserPoolResourceRead,
	"GetGroup":                             UserPoolResourceRead,
	"GetIdentityProviderByIdentifier":      UserPoolResourceRead,
	"GetSigningCertificate":                UserPoolResourceRead,
	"GetUICustomization":                   UserPoolResourceRead,
	"ListGroups":                           UserPoolResourceRead,
	"ListIdentityProviders":                UserPoolResourceRead,
	"ListResourceServers":                  UserPoolResourceRead,
	"ListTagsForResource":                  UserPoolResourceRead,
	"ListTerms":                            UserPoolResourceRead,
	"ListUserImportJobs":                   UserPoolResourceRead,

	"CreateGroup":                UserPoolResourceUpdate,
	"CreateIdentityProvider":     UserPoolResourceUpdate,
	"CreateManagedLoginBranding": UserPoolResourceUpdate,
	"CreateResourceServer":       UserPoolResourceUpdate,
	"CreateTerms":                UserPoolResourceUpdate,
	"CreateUserImportJob":        UserPoolResourceUpdate,
	"CreateUserPoolDomain":       UserPoolResourceUpdate,
	"DeleteGroup":                UserPoolResourceUpdate,
	"DeleteIdentityProvider":     UserPoolResourceUpdate,
	"DeleteManagedLoginBranding": UserPoolResourceUpdate,
	"DeleteResourceServer":       UserPoolResourceUpdate,
	"DeleteTerms":                UserPoolResourceUpdate,
	"DeleteUserPoolDomain":       UserPoolResourceUpdate,
	"SetRiskConfiguration":       UserPoolResourceUpdate,
	"SetUICustomization":         UserPoolResourceUpdate,
	"StartUserImportJob":         UserPoolResourceUpdate,
	"StopUserImportJob":          UserPoolResourceUpdate,
	"TagResource":                UserPoolResourceUpdate,
	"UntagResource":              UserPoolResourceUpdate,
	"UpdateGroup":                UserPoolResourceUpdate,
	"UpdateIdentityProvider":     UserPoolResourceUpdate,
	"UpdateManagedLoginBranding": UserPoolResourceUpdate,
	"UpdateResourceServer":       UserPoolResourceUpdate,
	"UpdateTerms":                UserPoolResourceUpdate,
	"UpdateUserPoolDomain":       UserPoolResourceUpdate,

	// App clients and their secrets.
	"DescribeUserPoolClient":    UserPoolClientRead,
	"ListUserPoolClients":       UserPoolClientRead,
	"ListUserPoolClientSecrets": UserPoolClientRead,

	"CreateUserPoolClient":       UserPoolClientUpdate,
	"UpdateUserPoolClient":       UserPoolClientUpdate,
	"DeleteUserPoolClient":       UserPoolClientUpdate,
	"AddUserPoolClientSecret":    UserPoolClientUpdate,
	"DeleteUserPoolClientSecret": UserPoolClientUpdate,
}

// exemptOperations are never throttled, each with the reason.
var exemptOperations = map[string]string{
	"GetProvisionedLimit":    "limit management: never throttled by the limits it manages (unverified)",
	"UpdateProvisionedLimit": "limit management: a limit set too low can always be raised again (unverified)",
}

// challengeOperations answer sign-in challenges: they have their own
// allowance of ChallengeAllowanceFactor times the UserAuthentication rate.
var challengeOperations = map[string]bool{
	"RespondToAuthChallenge":      true,
	"AdminRespondToAuthChallenge": true,
}

// CategoryOf returns the category an operation counts against; false for
// exempt and unknown operations.
func CategoryOf(operation string) (Category, bool) {
	c, ok := operationCategories[operation]
	return c, ok
}
