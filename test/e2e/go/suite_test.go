package e2e

import "testing"

// sharedCases run in parallel against one server per backend; each creates
// its own pools, so they never see each other's resources.
var sharedCases = []struct {
	name string
	run  func(t *testing.T, c *cogito)
}{
	{"PoolLifecycle", testPoolLifecycle},
	{"PoolDefaults", testPoolDefaults},
	{"UpdatePoolResetsOmittedSettings", testUpdatePoolResetsOmitted},
	{"ListUserPoolsPaging", testListUserPoolsPaging},
	{"Tags", testTags},
	{"DeletionProtection", testDeletionProtection},
	{"AddCustomAttributes", testAddCustomAttributes},
	{"AppClientPublic", testAppClientPublic},
	{"AppClientWithSecret", testAppClientWithSecret},
	{"AppClientOptionsAndUpdate", testAppClientOptionsAndUpdate},
	{"ListUserPoolClientsPaging", testListUserPoolClientsPaging},
	{"AppClientErrors", testAppClientErrors},
	{"ClientSecrets", testClientSecrets},
	{"SigningCertificate", testSigningCertificate},
	{"JWKSAndDiscovery", testJWKSAndDiscovery},
	{"ValidationErrors", testValidationErrors},
	{"NotFoundErrors", testNotFoundErrors},
	{"IdentityPoolsSmoke", testIdentityPoolsSmoke},
	{"AdminCreateUser", testAdminCreateUser},
	{"AliasLookup", testAliasLookup},
	{"EmailAsUsername", testEmailAsUsername},
	{"UpdateDeleteAttributes", testUpdateDeleteAttributes},
	{"DisableEnable", testDisableEnable},
	{"SetUserPassword", testSetUserPassword},
	{"ResetUserPassword", testResetUserPassword},
	{"ListUsers", testListUsers},
	{"Groups", testGroups},
	{"SignUpJourney", testSignUpJourney},
	{"SignUpEmailUsername", testSignUpEmailUsername},
	{"ForgotPassword", testForgotPassword},
	{"SignUpSecretHash", testSignUpSecretHash},
	{"SignUpAdminOnly", testSignUpAdminOnly},
	{"UsernameCase", testUsernameCase},
	{"AliasLifecycle", testAliasLifecycle},
	{"SignUpSchema", testSignUpSchema},
	{"UserExistenceErrors", testUserExistenceErrors},
	{"ConcurrentWriters", testConcurrentWriters},
	{"UserImport", testUserImport},
	{"UserImportUpload", testUserImportUpload},
	{"SignInSRP", testSignInSRP},
	{"SignInPasswordFlows", testSignInPasswordFlows},
	{"SignInFailures", testSignInFailures},
	{"SignInLockout", testSignInLockout},
	{"RefreshAndRotation", testRefreshAndRotation},
	{"NewPasswordRequired", testNewPasswordRequired},
	{"TokenOperations", testTokenOperations},
}

// ownServerCases need a server of their own on a fresh location.
var ownServerCases = []struct {
	name string
	run  func(t *testing.T, b backend)
}{
	{"RestartKeepsData", testRestartKeepsData},
	{"ExpiredCodes", testExpiredCodes},
}

func runSuite(t *testing.T, b backend) {
	loc := b.new(t)
	c := start(t, loc)
	for _, tc := range sharedCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, c)
		})
	}
	for _, tc := range ownServerCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, b)
		})
	}
}

func TestSQLite(t *testing.T) { runSuite(t, sqliteBackend) }

func TestPostgres(t *testing.T) { runSuite(t, postgresBackend) }
