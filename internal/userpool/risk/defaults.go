package risk

// This file holds every Cognito fact the package relies on. Facts marked
// (unverified) are inference or third-party reports, not AWS documentation or
// observed service output.
//
// Documented (developer guide, "Threat protection", "Compromised credentials"):
//   - AUDIT evaluates and records risk but never acts; ENFORCED acts on the
//     pool's (or the app client's) risk configuration.
//   - Compromised credentials are checked on sign-up, password change and
//     sign-in with a plaintext password (USER_PASSWORD_AUTH,
//     ADMIN_USER_PASSWORD_AUTH); SRP sign-ins can't be checked. EventFilter
//     defaults to all three events. BLOCK on sign-in sets the user's status
//     to RESET_REQUIRED.
//   - Risk exceptions: SkippedIPRangeList is never evaluated (always
//     allowed), BlockedIPRangeList is always blocked.
//   - Account-takeover actions per risk level: BLOCK, MFA_IF_CONFIGURED,
//     MFA_REQUIRED, NO_ACTION; Notify sends the NotifyConfiguration email.
//
// Chosen without confirmation:
//   - A client-level configuration replaces the pool-level ("ALL") one as a
//     whole for that client; DescribeRiskConfiguration of a client without
//     its own answers the pool's, with ClientId "ALL" (unverified).
//   - Without any risk configuration, ENFORCED evaluates and records but takes
//     no action (unverified).
//   - The risk score Cogito computes is its own (Cognito's model is not
//     public); see Assess for the signals and weights.

// Client-visible messages.
const (
	// msgBlocked answers a sign-in refused for risk (a blocked IP range or a
	// BLOCK action) (unverified; reported wording).
	msgBlocked = "Unable to login because of security reasons."
	// msgCompromisedSignIn answers a sign-in blocked for compromised
	// credentials: the user is now RESET_REQUIRED (unverified).
	msgCompromisedSignIn = "Password reset required for the user"
	// msgCompromisedPassword answers a sign-up or password change blocked for
	// a compromised password (unverified).
	msgCompromisedPassword = "Password has been found in a data breach. Choose a different password."
	// msgNotifyNeedsConfig refuses a Notify action without a
	// NotifyConfiguration to send it with (unverified).
	msgNotifyNeedsConfig = "NotifyConfiguration is required when a Notify action is set."
	// msgBadIPRange refuses a risk exception that is not a CIDR block (unverified).
	msgBadIPRange = "Invalid IP range %s."
)

// ALL is the ClientId of the pool-level configuration.
const ALL = "ALL"

// Limits (API reference, RiskExceptionConfigurationType: at most 200 ranges
// in each list).
const maxIPRanges = 200

// Resource kind the configurations are stored under (storage.ResourceStore);
// the ID is the app client id or ALL.
const resourceKind = "risk-config"

// Risk levels and the score thresholds that map Cogito's score to them.
const (
	LevelLow    = "Low"
	LevelMedium = "Medium"
	LevelHigh   = "High"

	mediumScore = 40
	highScore   = 70
)

// Signal weights of Assess (Cogito's own model, documented in docs/risk.md).
const (
	weightNewDevice     = 20 // sign-in without a device the user has used before
	weightNewIP         = 25 // an IP address none of the user's recent successful sign-ins came from
	weightFailedAttempt = 10 // per recent failed sign-in, capped
	maxFailedWeight     = 40
	weightImpossible    = 60 // impossible travel, when an IP location table is configured
)
