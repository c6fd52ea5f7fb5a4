package replicas

// class says how an operation fares in a secondary Region.
type class int

const (
	// exempt operations are not restricted (replica and limit management).
	exempt class = iota
	// adminRead reads configuration or users: served by INACTIVE and ACTIVE
	// secondaries.
	adminRead
	// endUser signs users in and serves them without changing their profile:
	// served by ACTIVE secondaries.
	endUser
	// userWrite creates users or changes their attributes, passwords or
	// settings: never served by a secondary.
	userWrite
	// configWrite changes the pool's configuration: never served by a
	// secondary (its Region-specific settings are not emulated).
	configWrite
)

// classes classifies every User Pools operation (a test checks none is
// missing).
var classes = map[string]class{
	"CreateUserPoolReplica":  exempt,
	"ListUserPoolReplicas":   exempt,
	"UpdateUserPoolReplica":  exempt,
	"DeleteUserPoolReplica":  exempt,
	"GetProvisionedLimit":    exempt,
	"UpdateProvisionedLimit": exempt,

	"DescribeUserPool":                     adminRead,
	"ListUserPools":                        adminRead,
	"GetUserPoolMfaConfig":                 adminRead,
	"GetLogDeliveryConfiguration":          adminRead,
	"GetSigningCertificate":                adminRead,
	"GetCSVHeader":                         adminRead,
	"DescribeUserPoolClient":               adminRead,
	"ListUserPoolClients":                  adminRead,
	"ListUserPoolClientSecrets":            adminRead,
	"DescribeIdentityProvider":             adminRead,
	"GetIdentityProviderByIdentifier":      adminRead,
	"ListIdentityProviders":                adminRead,
	"DescribeResourceServer":               adminRead,
	"ListResourceServers":                  adminRead,
	"DescribeUserPoolDomain":               adminRead,
	"DescribeManagedLoginBranding":         adminRead,
	"DescribeManagedLoginBrandingByClient": adminRead,
	"GetUICustomization":                   adminRead,
	"DescribeRiskConfiguration":            adminRead,
	"DescribeTerms":                        adminRead,
	"ListTerms":                            adminRead,
	"DescribeUserImportJob":                adminRead,
	"ListUserImportJobs":                   adminRead,
	"ListTagsForResource":                  adminRead,
	"GetGroup":                             adminRead,
	"ListGroups":                           adminRead,
	"ListUsers":                            adminRead,
	"ListUsersInGroup":                     adminRead,
	"AdminGetUser":                         adminRead,
	"AdminListGroupsForUser":               adminRead,
	"AdminListUserAuthEvents":              adminRead,
	"AdminGetDevice":                       adminRead,
	"AdminListDevices":                     adminRead,

	"InitiateAuth":                endUser,
	"RespondToAuthChallenge":      endUser,
	"AdminInitiateAuth":           endUser,
	"AdminRespondToAuthChallenge": endUser,
	"GetTokensFromRefreshToken":   endUser,
	"RevokeToken":                 endUser,
	"GlobalSignOut":               endUser,
	"AdminUserGlobalSignOut":      endUser,
	"GetUser":                     endUser,
	"GetUserAuthFactors":          endUser,
	"ConfirmDevice":               endUser,
	"GetDevice":                   endUser,
	"ListDevices":                 endUser,
	"UpdateDeviceStatus":          endUser,
	"ForgetDevice":                endUser,
	"AdminForgetDevice":           endUser,
	"AdminUpdateDeviceStatus":     endUser,
	"ListWebAuthnCredentials":     endUser,

	"SignUp":                           userWrite,
	"ConfirmSignUp":                    userWrite,
	"ResendConfirmationCode":           userWrite,
	"ForgotPassword":                   userWrite,
	"ConfirmForgotPassword":            userWrite,
	"ChangePassword":                   userWrite,
	"UpdateUserAttributes":             userWrite,
	"DeleteUserAttributes":             userWrite,
	"DeleteUser":                       userWrite,
	"GetUserAttributeVerificationCode": userWrite,
	"VerifyUserAttribute":              userWrite,
	"SetUserMFAPreference":             userWrite,
	"SetUserSettings":                  userWrite,
	"AssociateSoftwareToken":           userWrite,
	"VerifySoftwareToken":              userWrite,
	"UpdateAuthEventFeedback":          userWrite,
	"StartWebAuthnRegistration":        userWrite,
	"CompleteWebAuthnRegistration":     userWrite,
	"DeleteWebAuthnCredential":         userWrite,
	"AdminCreateUser":                  userWrite,
	"AdminConfirmSignUp":               userWrite,
	"AdminDeleteUser":                  userWrite,
	"AdminDeleteUserAttributes":        userWrite,
	"AdminDisableUser":                 userWrite,
	"AdminEnableUser":                  userWrite,
	"AdminDisableProviderForUser":      userWrite,
	"AdminLinkProviderForUser":         userWrite,
	"AdminResetUserPassword":           userWrite,
	"AdminSetUserPassword":             userWrite,
	"AdminSetUserMFAPreference":        userWrite,
	"AdminSetUserSettings":             userWrite,
	"AdminUpdateAuthEventFeedback":     userWrite,
	"AdminUpdateUserAttributes":        userWrite,
	"AdminAddUserToGroup":              userWrite,
	"AdminRemoveUserFromGroup":         userWrite,

	"CreateUserPool":              configWrite,
	"UpdateUserPool":              configWrite,
	"DeleteUserPool":              configWrite,
	"AddCustomAttributes":         configWrite,
	"SetUserPoolMfaConfig":        configWrite,
	"SetLogDeliveryConfiguration": configWrite,
	"CreateUserPoolClient":        configWrite,
	"UpdateUserPoolClient":        configWrite,
	"DeleteUserPoolClient":        configWrite,
	"AddUserPoolClientSecret":     configWrite,
	"DeleteUserPoolClientSecret":  configWrite,
	"CreateIdentityProvider":      configWrite,
	"UpdateIdentityProvider":      configWrite,
	"DeleteIdentityProvider":      configWrite,
	"CreateResourceServer":        configWrite,
	"UpdateResourceServer":        configWrite,
	"DeleteResourceServer":        configWrite,
	"CreateUserPoolDomain":        configWrite,
	"UpdateUserPoolDomain":        configWrite,
	"DeleteUserPoolDomain":        configWrite,
	"CreateManagedLoginBranding":  configWrite,
	"UpdateManagedLoginBranding":  configWrite,
	"DeleteManagedLoginBranding":  configWrite,
	"SetUICustomization":          configWrite,
	"SetRiskConfiguration":        configWrite,
	"CreateTerms":                 configWrite,
	"UpdateTerms":                 configWrite,
	"DeleteTerms":                 configWrite,
	"CreateUserImportJob":         configWrite,
	"StartUserImportJob":          configWrite,
	"StopUserImportJob":           configWrite,
	"CreateGroup":                 configWrite,
	"UpdateGroup":                 configWrite,
	"DeleteGroup":                 configWrite,
	// Tags name a resource by ARN, not a pool: a replica's ARN has its own
	// tags (Service.WrapTags), so the guard never sees a pool for them.
	"TagResource":   configWrite,
	"UntagResource": configWrite,
}
