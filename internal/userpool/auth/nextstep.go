package auth

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// NextStep is the hook the MFA and device families plug into. It is
// consulted once the user's password is verified (and a NEW_PASSWORD_REQUIRED
// challenge, if any, answered), and again for every answer to a challenge it
// issued. It returns either "issue tokens" (a Step without Challenge) or the
// next challenge.
//
// Errors it returns are answered as they are, so they should be Cognito's
// exceptions (CodeMismatchException, ...). A failed answer leaves the session
// usable, so a user may retry a code; the hook counts attempts itself (in
// Step.Data or the store) if it must limit them.
type NextStep interface {
	// Next decides what follows a verified password.
	Next(ctx context.Context, a *Attempt) (*Step, error)
	// Respond answers a challenge Next (or an earlier Respond) issued.
	// challenge is the answered challenge's name (the session's, which the
	// request had to name), responses the request's ChallengeResponses and
	// data the Step.Data the challenge was issued with.
	Respond(ctx context.Context, a *Attempt, challenge cognitoidp.ChallengeNameType, responses map[string]string, data []byte) (*Step, error)
}

// Attempt is one sign-in in progress.
type Attempt struct {
	Pool   *cognitoidp.UserPoolType
	Client *clients.Client
	User   *storage.User
	// Flow is the AuthFlow the sign-in began with.
	Flow cognitoidp.AuthFlowType
	// Admin reports the Admin* operations (IAM-authorized).
	Admin bool
	// DeviceKey is the DEVICE_KEY the client sent ("" for none).
	DeviceKey string
	// ClientMetadata is the request's ClientMetadata.
	ClientMetadata map[string]string
	// FirstFactor is how the user proved who they are: "PASSWORD" (any
	// password flow, SRP or not) or, for choice-based sign-in (USER_AUTH),
	// "EMAIL_OTP", "SMS_OTP" or "WEB_AUTHN". Cognito asks no MFA after a
	// passwordless first factor.
	FirstFactor string
	// RiskMFA is what threat protection demands of this sign-in's MFA
	// (risk.go): "" nothing, "MFA_IF_CONFIGURED" a challenge when the user
	// can answer one (an email address or phone number the pool's MFA can
	// reach, or TOTP) and none otherwise, "MFA_REQUIRED" a challenge, and
	// the sign-in refused when the user can answer none.
	RiskMFA string

	// risk is threat protection's decision (recorded with the sign-in's
	// auth event); source, when not "", the pre token generation trigger
	// source of the tokens this step issues.
	risk   *riskNote
	source string
	// acr is the authentication levels the sign-in asked for (acr.go), ""
	// for none; acrClaim and amrClaim the claims its tokens carry.
	acr      string
	acrClaim string
	amrClaim []string
}

// Threat protection's MFA demands (Attempt.RiskMFA).
const (
	RiskMFAIfConfigured = "MFA_IF_CONFIGURED"
	RiskMFARequired     = "MFA_REQUIRED"
)

// First factors of an Attempt.
const (
	FactorPassword = "PASSWORD"
	FactorEmailOTP = "EMAIL_OTP"
	FactorSMSOTP   = "SMS_OTP"
	FactorWebAuthn = "WEB_AUTHN"
	// FactorCustom is a custom authentication (CUSTOM_AUTH) that proved no
	// password: its challenges are the app's own, and no MFA follows.
	FactorCustom = "CUSTOM_CHALLENGE"
)

// Step is a NextStep decision.
type Step struct {
	// Challenge is the next challenge; "" issues tokens.
	Challenge cognitoidp.ChallengeNameType
	// Parameters are the challenge's ChallengeParameters (USERNAME is added
	// when missing).
	Parameters map[string]string
	// Data is sealed into the challenge's Session and given back to
	// Respond; keep it small (the Session must stay under 2048 characters).
	Data []byte
	// DeviceKey, with tokens, is the device the session authenticated (the
	// access token's device_key); "" keeps the Attempt's.
	DeviceKey string
	// NewDeviceMetadata, with tokens, is added to AuthenticationResult.
	NewDeviceMetadata *cognitoidp.NewDeviceMetadataType
	// Challenges, with tokens, are the challenges answered besides the
	// password, for the auth event (e.g. Mfa/Success).
	Challenges []cognitoidp.ChallengeResponseType
	// MFAFactor, with tokens, is the MFA factor the user answered
	// ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"; "" for none): the amr
	// claim's second factor.
	MFAFactor string
}

// MFARule is what MFA means for a user's first factors (MFAGate).
type MFARule struct {
	// Required: the user must do MFA (pool MFA ON, or OPTIONAL with a
	// factor of the user's turned on).
	Required bool
	// PasskeyMFA: passkey MFA is in effect for the user, so a passkey
	// sign-in satisfies MFA.
	PasskeyMFA bool
	// Factors are the MFA factors a password sign-in would ask or let the
	// user set up.
	Factors []string
}

// MFAGate is implemented by a NextStep hook that can tell choice-based
// sign-in the user's MFA rule before the first factor: passwordless first
// factors are not offered to a user who must do MFA unless passkey MFA
// applies (defaults.go), and TARGET_ACR_VALUES needs to know which levels
// the user can reach (acr.go).
type MFAGate interface {
	FirstFactorRule(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (MFARule, error)
}
