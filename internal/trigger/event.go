package trigger

import (
	"bytes"
	"encoding/json"
)

// Event is what Cognito sends a trigger function, and what the function
// returns with Response filled in (developer guide, "User pool Lambda
// trigger event"). Req and Resp are the trigger's request and response
// shapes below.
type Event[Req, Resp any] struct {
	Version       string        `json:"version"`
	TriggerSource string        `json:"triggerSource"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      *string       `json:"userName"`
	CallerContext CallerContext `json:"callerContext"`
	Request       Req           `json:"request"`
	Response      Resp          `json:"response"`
}

// CallerContext says who called: the SDK (from the request's User-Agent)
// and the app client (CLIENT_ID_NOT_APPLICABLE for administrator calls).
type CallerContext struct {
	AWSSDKVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

// Attributes are a user's attributes as triggers see them: every value a
// string.
type Attributes = map[string]string

// PreSignUpRequest is the pre sign-up event's request.
type PreSignUpRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// PreSignUpResponse is the pre sign-up answer.
type PreSignUpResponse struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

// PostConfirmationRequest is the post confirmation event's request.
type PostConfirmationRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// Empty is the response of triggers whose answer changes nothing.
type Empty struct{}

// PreAuthenticationRequest is the pre authentication event's request.
type PreAuthenticationRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	UserNotFound   bool              `json:"userNotFound,omitempty"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// PostAuthenticationRequest is the post authentication event's request.
type PostAuthenticationRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// ChallengeResult is one step of a custom authentication session.
type ChallengeResult struct {
	ChallengeName     string  `json:"challengeName"`
	ChallengeResult   bool    `json:"challengeResult"`
	ChallengeMetadata *string `json:"challengeMetadata,omitempty"`
}

// DefineAuthChallengeRequest is the define auth challenge event's request.
type DefineAuthChallengeRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool              `json:"userNotFound,omitempty"`
}

// DefineAuthChallengeResponse is the define auth challenge answer.
type DefineAuthChallengeResponse struct {
	ChallengeName      *string `json:"challengeName"`
	IssueTokens        bool    `json:"issueTokens"`
	FailAuthentication bool    `json:"failAuthentication"`
}

// CreateAuthChallengeRequest is the create auth challenge event's request.
type CreateAuthChallengeRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	ChallengeName  string            `json:"challengeName"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool              `json:"userNotFound,omitempty"`
}

// CreateAuthChallengeResponse is the create auth challenge answer.
type CreateAuthChallengeResponse struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          *string           `json:"challengeMetadata"`
}

// VerifyAuthChallengeRequest is the verify auth challenge response event's
// request.
type VerifyAuthChallengeRequest struct {
	UserAttributes             Attributes        `json:"userAttributes"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeAnswer            string            `json:"challengeAnswer"`
	ClientMetadata             map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound               bool              `json:"userNotFound,omitempty"`
}

// VerifyAuthChallengeResponse is the verify auth challenge answer.
type VerifyAuthChallengeResponse struct {
	AnswerCorrect bool `json:"answerCorrect"`
}

// UserMigrationRequest is the user migration event's request; Password is
// absent for UserMigration_ForgotPassword.
type UserMigrationRequest struct {
	Password       *string           `json:"password,omitempty"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// UserMigrationResponse is the user migration answer.
type UserMigrationResponse struct {
	UserAttributes         map[string]string `json:"userAttributes"`
	FinalUserStatus        *string           `json:"finalUserStatus"`
	MessageAction          *string           `json:"messageAction"`
	DesiredDeliveryMediums []string          `json:"desiredDeliveryMediums"`
	ForceAliasCreation     *bool             `json:"forceAliasCreation"`
	EnableSMSMFA           *bool             `json:"enableSMSMFA"`
}

// CustomMessageRequest is the custom message event's request.
type CustomMessageRequest struct {
	UserAttributes    Attributes        `json:"userAttributes"`
	CodeParameter     string            `json:"codeParameter"`
	LinkParameter     *string           `json:"linkParameter"`
	UsernameParameter *string           `json:"usernameParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata,omitempty"`
}

// CustomMessageResponse is the custom message answer; null members keep the
// pool's text.
type CustomMessageResponse struct {
	SMSMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

// CustomSenderRequest is the custom email and SMS sender event's request.
type CustomSenderRequest struct {
	Type           string            `json:"type"`
	Code           *string           `json:"code"`
	UserAttributes Attributes        `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// GroupConfiguration is the user's groups as the tokens would carry them
// (pre token generation request), and the override a function answers
// with (groupOverrideDetails).
type GroupConfiguration struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IAMRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// PreTokenRequest is the pre token generation event's request (all
// versions; Scopes is sent by V2_0 and V3_0 only).
type PreTokenRequest struct {
	UserAttributes     Attributes         `json:"userAttributes"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	Scopes             []string           `json:"scopes,omitempty"`
	ClientMetadata     map[string]string  `json:"clientMetadata,omitempty"`
}

// PreTokenResponseV1 is a V1_0 answer: ID token claims and groups.
type PreTokenResponseV1 struct {
	ClaimsOverrideDetails *ClaimsOverrideDetails `json:"claimsOverrideDetails"`
}

// ClaimsOverrideDetails is the V1_0 override.
type ClaimsOverrideDetails struct {
	ClaimsToAddOrOverride map[string]json.RawMessage `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string                   `json:"claimsToSuppress"`
	GroupOverrideDetails  json.RawMessage            `json:"groupOverrideDetails"`
}

// PreTokenResponseV2 is a V2_0 or V3_0 answer: both tokens, scopes and groups.
type PreTokenResponseV2 struct {
	ClaimsAndScopeOverrideDetails *ClaimsAndScopeOverrideDetails `json:"claimsAndScopeOverrideDetails"`
}

// ClaimsAndScopeOverrideDetails is the V2_0/V3_0 override.
type ClaimsAndScopeOverrideDetails struct {
	IDTokenGeneration     *TokenGeneration `json:"idTokenGeneration"`
	AccessTokenGeneration *TokenGeneration `json:"accessTokenGeneration"`
	GroupOverrideDetails  json.RawMessage  `json:"groupOverrideDetails"`
}

// TokenGeneration is the override of one token; the scopes only for the
// access token.
type TokenGeneration struct {
	ClaimsToAddOrOverride map[string]json.RawMessage `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string                   `json:"claimsToSuppress"`
	ScopesToAdd           []string                   `json:"scopesToAdd"`
	ScopesToSuppress      []string                   `json:"scopesToSuppress"`
}

// jsonUnmarshal decodes data into v, refusing trailing data.
func jsonUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errTrailing
	}
	return nil
}

type trailingError struct{}

func (trailingError) Error() string { return "trailing data after JSON value" }

var errTrailing error = trailingError{}
